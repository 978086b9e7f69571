"""POST /validate: the validator over HTTP, the same core and renderers as `aict validate`.

The body is one RDF document or one filled actions template (CSV or XLSX), its format named
by Content-Type; it is validated against our shapes with the ontology, vocabularies and
bundled dataset as reference data (a template's findings name sheet, row and column, as the
command's do), and the report is rendered in the format the Accept header (or ?format=)
asks for. Nothing remote is ever fetched (the core refuses remote JSON-LD contexts and XML
entities). Validations run one at a time, in a worker process (publisher.validation.worker)
that one thread of the app talks to; a request that cannot finish within
Settings.validation_timeout gets 503, and its run is stopped by killing that process: some
inputs would take pySHACL hours (a list value costs the square of its length: 2,000 items
33 s), and a thread cannot be stopped.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from publisher.config import Settings
from publisher.errors import InputError, RequestRefused
from publisher.formats import (
    INPUT_FORMATS,
    REPORT_FORMATS,
    TEMPLATE_FORMATS,
    Format,
    by_media_type,
)
from publisher.negotiation import choose
from publisher.validation.inputs import InputErrors, Source
from publisher.validation.report import Report, Severity
from publisher.validation.worker import ValidationTimedOut
from publisher.web import i18n
from publisher.web.deps import SettingsDep, ValidationExecutorDep, ValidationWorkerDep

router = APIRouter(tags=["validation"])

# SHACL's conforms (no result at all), and passes (no result at or above ?fail_on).
CONFORMS_HEADER = "AICT-Conforms"
PASSES_HEADER = "AICT-Passes"

# Request Content-Type (a name of one of the formats we read) -> that format. Charset, when
# given, must be UTF-8 (the core refuses anything else anyway).
ACCEPTED_FORMATS = (*INPUT_FORMATS, *TEMPLATE_FORMATS)
INPUT_TYPES = by_media_type(ACCEPTED_FORMATS)
_BY_KEY = {f.key: f for f in REPORT_FORMATS}
FAIL_ON = {"violation": Severity.VIOLATION, "warning": Severity.WARNING, "info": Severity.INFO}


@router.post(
    "/validate",
    summary="Validate an RDF document or a filled actions template against the AICT shapes",
    response_class=Response,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {media_type: {} for media_type in INPUT_TYPES},
        },
        "responses": {
            "200": {
                "description": "The validation report (conforms true or false)",
                "content": {f.media_type: {} for f in REPORT_FORMATS},
            },
            "400": {
                "description": "The body cannot be read (line and column given; for a "
                "template, the sheet, row and column of the cell)"
            },
            "413": {"description": "The body is larger than max_body_bytes"},
            "415": {"description": "Unknown Content-Type"},
            "503": {"description": "The validation did not finish in time"},
        },
    },
)
async def post_validate(
    request: Request,
    settings: SettingsDep,
    executor: ValidationExecutorDep,
    worker: ValidationWorkerDep,
    format: Annotated[
        str | None, Query(description="json, turtle, text or junit; overrides Accept")
    ] = None,
    fail_on: Annotated[
        str,
        Query(description="Lowest severity that makes 'passes' false: violation, warning, info"),
    ] = "violation",
) -> Response:
    output = _report_format(request, format)
    if fail_on not in FAIL_ON:
        raise RequestRefused(f"fail_on must be one of: {', '.join(FAIL_ON)}")
    input_format, extension = _input_format(request.headers.get("content-type"))
    # Imported at the first validation, not at start: most serving processes never validate.
    from publisher.validation.render import RenderOptions, render, render_errors

    lang = i18n.choose_message_lang(request, settings.lang)
    options = RenderOptions(lang=lang, fail_on=FAIL_ON[fail_on])
    body = await request.body()
    if len(body) > settings.max_body_bytes:  # also checked by the app's body-size middleware
        message = f"the request body is larger than {settings.max_body_bytes} bytes"
        raise RequestRefused(message, 413)
    if not body.strip():
        raise RequestRefused(
            "the request body is empty: send the RDF document or filled template to validate"
        )
    source = Source(f"request.{extension}", body, input_format)
    deadline = time.monotonic() + settings.validation_timeout
    try:
        report = await _run(
            executor, lambda: worker.validate([source], settings, deadline), settings
        )
    except InputError as exc:
        errors = exc.errors if isinstance(exc, InputErrors) else [exc]
        text = render_errors(errors, output.key, options)
        if not text.strip():  # a SHACL report in Turtle cannot say "unreadable"
            raise
        return _answer(400, text, output, conforms=False, passes=False)
    text = render(report, output.key, options)
    passes = not report.fails(options.fail_on)
    return _answer(200, text, output, conforms=report.conforms, passes=passes)


def _report_format(request: Request, override: str | None) -> Format:
    if override is not None:
        if override not in _BY_KEY:
            raise RequestRefused(f"format must be one of: {', '.join(_BY_KEY)}")
        return _BY_KEY[override]
    return choose(request.headers.get("accept"), REPORT_FORMATS)


def _input_format(content_type: str | None) -> tuple[str, str]:
    if not content_type:
        raise RequestRefused("no Content-Type: " + _accepted_types(), 415)
    media_type, _, params = content_type.partition(";")
    found = INPUT_TYPES.get(media_type.strip().lower())
    if found is None:
        raise RequestRefused(f"cannot validate {media_type.strip()!r}: " + _accepted_types(), 415)
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in (
            "utf-8",
            "utf8",
        ):
            raise RequestRefused(f"the body must be UTF-8, not {value.strip()}", 415)
    return found.key, found.extension


def _accepted_types() -> str:
    return "send one of " + ", ".join(sorted(f.media_type for f in ACCEPTED_FORMATS))


async def _run(
    executor: ThreadPoolExecutor, job: Callable[[], Report], settings: Settings
) -> Report:
    """Run `job` on the app's one validation thread, waiting at most the timeout (the job
    itself kills its worker process at the same deadline)."""
    future: Future[Report] = executor.submit(job)
    try:
        return await asyncio.wait_for(
            asyncio.wrap_future(future), timeout=settings.validation_timeout
        )
    except TimeoutError:
        future.cancel()  # drops a run that had not started
        raise ValidationTimedOut(settings.validation_timeout) from None


def _answer(status: int, text: str, fmt: Format, *, conforms: bool, passes: bool) -> Response:
    return Response(
        text.encode("utf-8"),
        status_code=status,
        media_type=fmt.content_type,
        headers={
            CONFORMS_HEADER: "true" if conforms else "false",
            PASSES_HEADER: "true" if passes else "false",
            "Cache-Control": "no-store",
            "Vary": "Accept, Accept-Language, Cookie",
        },
    )
