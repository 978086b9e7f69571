"""User SPARQL: protocol, policy, worker processes with hard deadlines, named queries and
Triple Pattern Fragments. The web layer uses `SparqlService`; see README, section SPARQL."""

from publisher.sparql.named_queries import NamedQuery, bundled_queries, load_named_queries
from publisher.sparql.service import Answer, SparqlService

__all__ = ["Answer", "NamedQuery", "SparqlService", "bundled_queries", "load_named_queries"]
