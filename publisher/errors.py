"""The exception hierarchy. Library code raises only AictError subclasses."""

from __future__ import annotations


class AictError(Exception):
    """Base class of every error the toolkit raises on purpose.

    The message is English; `message_fr`, where one is written, is the whole message in
    French, for the pages a French reader gets (an error page in the site's language)."""

    message_fr: str | None = None

    def __init__(self, *args: object, message_fr: str | None = None) -> None:
        super().__init__(*args)
        if message_fr is not None:
            self.message_fr = message_fr

    def text_in(self, lang: str) -> str:
        """The whole message in `lang` ("fr" or "en"): English when no French was written."""
        return self.message_fr if lang == "fr" and self.message_fr else str(self)


class InputError(AictError):
    """Input that cannot be read: missing file, unknown format, syntax error, bad row.

    `message` is English; `message_fr`, when given, is the same in French, for reports that
    speak the reader's language (a filled spreadsheet template's cells)."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        message_fr: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_fr = message_fr
        self.file = file
        self.line = line
        self.column = column
        self.field = field

    def message_in(self, lang: str) -> str:
        """The message in `lang` ("fr" or "en"): English when there is no French."""
        return self.message_fr if lang == "fr" and self.message_fr else self.message

    def located(self, lang: str = "en") -> str:
        """'file:line:column [field]: message', the message in `lang`."""
        message = self.message_in(lang)
        where = ":".join(str(x) for x in (self.file, self.line, self.column) if x is not None)
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {message}" if where else f"{message}{field}"

    def text_in(self, lang: str) -> str:
        return self.located(lang)

    def __str__(self) -> str:
        return self.located()


class ConfigError(AictError):
    """A setting with a wrong value; the message names the setting."""


class ValidationFailed(AictError):
    """Data does not conform to the shapes."""


class StoreError(AictError):
    """The RDF store failed to open, load or answer."""


class NotFound(AictError):
    """No description for the requested resource."""


class RequestRefused(AictError):
    """A request refused before any work, with the HTTP status that says why (400, 405, 413,
    415)."""

    def __init__(
        self,
        message: str,
        status: int = 400,
        headers: dict[str, str] | None = None,
        *,
        message_fr: str | None = None,
    ) -> None:
        super().__init__(message, message_fr=message_fr)
        self.message = message
        self.status = status
        self.headers = headers or {}  # e.g. Allow with a 405


class Unavailable(AictError):
    """The answer could not be given in time; the client may retry later (503)."""


class StoreUnavailable(StoreError, Unavailable):
    """A remote SPARQL engine is down, refuses connections or is overloaded (503): the
    publisher keeps running and answers again as soon as the engine does."""


class QueryError(AictError):
    """A SPARQL query could not be answered."""


class QuerySyntaxError(QueryError):
    """The query does not parse; carries the parser's message and position."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class QueryForbidden(QueryError):
    """The query asks for something refused by policy (SERVICE, LOAD, remote FROM)."""


class UpdateForbidden(QueryForbidden):
    """SPARQL Update is disabled, or the request lacks the configured token."""


class QueryTimeout(QueryError, Unavailable):
    """The query ran past its deadline and was stopped."""


class EngineRefused(QueryError):
    """A remote SPARQL engine answered a query with an error of its own (502): its message
    says why (often a limit of its configuration)."""


class ResultTooLarge(QueryError):
    """The result went past the configured cap."""
