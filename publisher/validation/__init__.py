"""Validation of contributed RDF against the project's shapes, with the published data as
reference: one `validate()` returning one `Report`, rendered by `render()` in each format.

Exports are imported on first use: the web layer loads the validator at its first
POST /validate, not at start."""

from typing import TYPE_CHECKING

from publisher.lazy import lazy_exports

if TYPE_CHECKING:
    from publisher.validation.core import validate
    from publisher.validation.inputs import INPUT_FORMATS, InputErrors, Source
    from publisher.validation.report import Report, Result, Severity

__getattr__ = lazy_exports(
    __name__,
    {
        "validate": "publisher.validation.core",
        "INPUT_FORMATS": "publisher.validation.inputs",
        "InputErrors": "publisher.validation.inputs",
        "Source": "publisher.validation.inputs",
        "Report": "publisher.validation.report",
        "Result": "publisher.validation.report",
        "Severity": "publisher.validation.report",
    },
)

__all__ = ["INPUT_FORMATS", "InputErrors", "Report", "Result", "Severity", "Source", "validate"]
