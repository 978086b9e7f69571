"""AICT linked open data toolkit: the public API (imported on first use, see publisher.lazy)."""

from typing import TYPE_CHECKING

from publisher.errors import (
    AictError,
    ConfigError,
    InputError,
    NotFound,
    QueryError,
    QueryForbidden,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    StoreError,
    ValidationFailed,
)
from publisher.lazy import lazy_exports

if TYPE_CHECKING:
    from publisher.config import Settings, load_settings, package_version
    from publisher.validation import Report, validate

_exports = lazy_exports(
    __name__,
    {
        "Settings": "publisher.config",
        "load_settings": "publisher.config",
        "package_version": "publisher.config",
        "Report": "publisher.validation",
        "validate": "publisher.validation",
    },
)


def __getattr__(name: str) -> object:
    if name == "__version__":
        return _exports("package_version")()  # type: ignore[operator]
    return _exports(name)


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "AictError",
    "ConfigError",
    "InputError",
    "NotFound",
    "QueryError",
    "QueryForbidden",
    "QuerySyntaxError",
    "QueryTimeout",
    "Report",
    "ResultTooLarge",
    "Settings",
    "StoreError",
    "ValidationFailed",
    "load_settings",
    "package_version",
    "validate",
]
