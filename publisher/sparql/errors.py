"""SPARQL protocol errors: each carries the HTTP status the protocol asks for."""

from __future__ import annotations

from publisher.errors import QueryError


class ProtocolError(QueryError):
    """A request the SPARQL 1.1 Protocol does not allow (400, 405, 413, 415...)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class NotAcceptableFormat(QueryError):
    """No result format the client accepts fits the query form (406)."""

    def __init__(self, available: list[str]) -> None:
        super().__init__("none of the available media types is acceptable: " + ", ".join(available))
        self.available = available
