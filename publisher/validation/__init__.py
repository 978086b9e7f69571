"""Validation of contributed RDF against the project's shapes, with the published data as
reference: one `validate()` returning one `Report`, rendered by `render()` in each format."""

from publisher.validation.core import validate
from publisher.validation.inputs import INPUT_FORMATS, InputErrors, Source
from publisher.validation.report import Report, Result, Severity

__all__ = ["INPUT_FORMATS", "InputErrors", "Report", "Result", "Severity", "Source", "validate"]
