"""SPARQL protocol errors: each carries the HTTP status the protocol asks for."""

from __future__ import annotations

from publisher.errors import QueryError


class ProtocolError(QueryError):
    """A request the SPARQL 1.1 Protocol does not allow (400, 405, 413, 415...)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
