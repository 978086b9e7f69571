"""SPARQL protocol errors: each carries the HTTP status the protocol asks for."""

from __future__ import annotations

from publisher.errors import QueryError, RequestRefused


class ProtocolError(RequestRefused, QueryError):
    """A request the SPARQL 1.1 Protocol does not allow (400, 405, 413, 415...)."""
