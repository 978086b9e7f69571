"""AICT linked open data toolkit: the public API."""

from publisher.config import Settings, load_settings, package_version
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
from publisher.validation import Report, validate

__version__ = package_version()

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
