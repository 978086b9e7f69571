"""User SPARQL: protocol, policy, worker processes with hard deadlines, named queries and
Triple Pattern Fragments. The web layer uses `SparqlService`; see docs/sparql.md.

Exports are imported on first use: a query worker imports only its own modules."""

from typing import TYPE_CHECKING

from publisher.lazy import lazy_exports

if TYPE_CHECKING:
    from publisher.sparql.named_queries import NamedQuery, bundled_queries, load_named_queries
    from publisher.sparql.service import Answer, SparqlService

__getattr__ = lazy_exports(
    __name__,
    {
        "NamedQuery": "publisher.sparql.named_queries",
        "bundled_queries": "publisher.sparql.named_queries",
        "load_named_queries": "publisher.sparql.named_queries",
        "Answer": "publisher.sparql.service",
        "SparqlService": "publisher.sparql.service",
    },
)

__all__ = ["Answer", "NamedQuery", "SparqlService", "bundled_queries", "load_named_queries"]
