"""POST /validate: the validation core over HTTP, each report format, each refusal."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import defusedxml.ElementTree as SafeET
import httpx
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SH

from publisher.config import Settings
from publisher.validation import Source, validate
from publisher.validation.render import RenderOptions, render
from publisher.web.app import create_app

VALIDATION_DATA = Path(__file__).resolve().parent.parent / "data" / "validation"
CONTRIBUTIONS = VALIDATION_DATA / "contributions"
CORE = VALIDATION_DATA / "core"
TYPES = {
    ".ttl": ("text/turtle", "turtle"),
    ".nt": ("application/n-triples", "ntriples"),
    ".jsonld": ("application/ld+json", "jsonld"),
    ".rdf": ("application/rdf+xml", "rdfxml"),
    ".trig": ("application/trig", "trig"),
    ".nq": ("application/n-quads", "nquads"),
}


def post(client, path: Path | bytes, content_type: str | None = None, **headers: str):
    body = path.read_bytes() if isinstance(path, Path) else path
    if content_type is None and isinstance(path, Path):
        content_type = TYPES[path.suffix][0]
    if content_type is not None:
        headers["Content-Type"] = content_type
    return client.request("POST", "/validate", content=body, headers=headers)


@pytest.fixture(autouse=True)
def _no_language_cookie(client) -> None:
    client.forget_cookies()


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings()


def core_json(path: Path, settings: Settings, lang: str) -> dict:
    """What the validation core itself reports on the same bytes, named as the route names it."""
    media_type, fmt = TYPES[path.suffix]
    extension = {"turtle": "ttl", "ntriples": "nt", "rdfxml": "rdf", "nquads": "nq"}.get(fmt, fmt)
    source = Source(f"request.{extension}", path.read_bytes(), fmt)
    report = validate([source], settings=settings)
    return json.loads(render(report, "json", RenderOptions(lang=lang)))


@pytest.mark.parametrize(
    "path",
    [
        CONTRIBUTIONS / "good.ttl",
        CONTRIBUTIONS / "good.jsonld",
        CONTRIBUTIONS / "missing-french-label.ttl",
        CONTRIBUTIONS / "bad-siren.ttl",
        CORE / "mistakes.nt",
        CORE / "mistakes.rdf",
        CORE / "mistakes.trig",
        CORE / "mistakes.nq",
        CORE / "mistakes.jsonld",
    ],
    ids=lambda p: p.name,
)
def test_report_is_the_cores_report(client, settings, path: Path):
    response = post(client, path, Accept="application/json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    document = response.json()
    assert document == core_json(path, settings, client.app.state.settings.lang)
    assert response.headers["aict-conforms"] == str(document["conforms"]).lower()
    assert response.headers["aict-passes"] == str(document["passes"]).lower()
    assert response.headers["cache-control"] == "no-store"


def test_a_mistake_is_reported_with_its_line_in_the_readers_language(client):
    path = CONTRIBUTIONS / "missing-french-label.ttl"
    french = post(client, path, **{"Accept-Language": "fr"}).json()
    english = post(client, path, **{"Accept-Language": "en"}).json()
    assert french["conforms"] is False and french["passes"] is False
    label = [r for r in english["results"] if "French label" in r["message"]]
    assert [(r["file"], r["line"], r["severity"]) for r in label] == [
        ("request.ttl", 11, "violation")
    ]
    assert french["lang"] == "fr" and english["lang"] == "en"
    assert any("libellé" in r["message"] for r in french["results"])


def test_messages_default_to_the_command_lines_language(client):
    """Unasked, the report speaks the language `aict validate` speaks with the same settings
    (AICT_LANG, else the locale: English unless French); ?lang= or Accept-Language change it."""
    path = CONTRIBUTIONS / "missing-french-label.ttl"
    cli = subprocess.run(
        [sys.executable, "-m", "publisher", "validate", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 1, cli.stderr
    unasked = post(client, path).json()["lang"]
    assert unasked == json.loads(cli.stdout)["lang"] == client.app.state.settings.lang
    for asked, headers in (("fr", {}), ("en", {"Accept-Language": "fr"})):
        response = client.request(
            "POST",
            f"/validate?lang={asked}",
            content=path.read_bytes(),
            headers={"Content-Type": "text/turtle", **headers},
        )
        assert response.json()["lang"] == asked
    for accept_language, expected in (("fr-FR,fr;q=0.9", "fr"), ("en-GB", "en")):
        assert post(client, path, **{"Accept-Language": accept_language}).json()["lang"] == expected


def test_good_contribution_passes(client):
    response = post(client, CONTRIBUTIONS / "good.ttl")
    assert response.headers["aict-passes"] == "true"
    assert response.json()["summary"]["violations"] == 0


def test_fail_on_warning(client):
    response = post(client, CONTRIBUTIONS / "good.ttl")
    strict = client.request(
        "POST",
        "/validate?fail_on=warning",
        content=(CONTRIBUTIONS / "good.ttl").read_bytes(),
        headers={"Content-Type": "text/turtle"},
    )
    warnings = response.json()["summary"]["warnings"]
    assert strict.headers["aict-passes"] == ("false" if warnings else "true")
    bad = client.request(
        "POST",
        "/validate?fail_on=bogus",
        content=b"<a:b> <a:c> <a:d> .",
        headers={"Content-Type": "text/turtle"},
    )
    assert bad.status_code == 400


def test_turtle_report_is_the_shacl_report(client):
    response = post(client, CONTRIBUTIONS / "missing-french-label.ttl", Accept="text/turtle")
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=response.text, format="turtle")
    report = next(graph.subjects(None, SH.ValidationReport))
    assert graph.value(report, SH.conforms) == Literal(False)
    assert len(set(graph.objects(report, SH.result))) >= 1


def test_text_and_junit_reports(client):
    path = CONTRIBUTIONS / "missing-french-label.ttl"
    text = post(client, path, Accept="text/plain", **{"Accept-Language": "en"})
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert "request.ttl" in text.text and "11" in text.text
    junit = post(client, path, Accept="application/xml")
    assert junit.headers["content-type"] == "application/xml; charset=utf-8"
    root = SafeET.fromstring(junit.content)
    assert root.iter("failure") is not None and list(root.iter("failure"))
    by_query = client.request(
        "POST",
        "/validate?format=text",
        content=path.read_bytes(),
        headers={"Content-Type": "text/turtle", "Accept": "application/json"},
    )
    assert by_query.headers["content-type"] == "text/plain; charset=utf-8"


def test_syntax_error_is_400_with_file_line_and_column(client):
    response = post(client, CONTRIBUTIONS / "syntax-error.ttl")
    assert response.status_code == 400
    assert response.headers["aict-conforms"] == "false"
    [error] = response.json()["errors"]
    assert error["file"] == "request.ttl"
    assert error["line"] == 11 and error["column"] is not None


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("bomb.rdf", "application/rdf+xml", "DOCTYPE"),
        ("remote-context.jsonld", "application/ld+json", "context"),
        ("junk.ttl", "text/turtle", "binary"),
    ],
)
def test_hostile_input_is_refused_fast(client, name: str, content_type: str, expected: str):
    started = time.monotonic()
    response = post(client, CONTRIBUTIONS / name, content_type, Accept="text/plain")
    assert response.status_code == 400
    assert expected.lower() in response.text.lower()
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("content_type", "status", "says"),
    [
        (None, 415, "text/turtle"),  # what would be accepted
        ("image/png", 415, "text/csv"),
        ("text/turtle; charset=iso-8859-1", 415, "UTF-8"),
        ("text/turtle; charset=UTF-8", 200, ""),
    ],
)
def test_content_type_is_checked(client, content_type, status: int, says: str):
    response = post(client, (CONTRIBUTIONS / "good.ttl").read_bytes(), content_type)
    assert response.status_code == status, response.text
    assert says in response.text


def test_too_large_body_is_413(client, fixture_settings):
    body = b"#" * (fixture_settings.max_body_bytes + 1)
    response = post(client, body, "text/turtle")
    assert response.status_code == 413


def test_empty_body_and_unacceptable_report_type(client):
    assert post(client, b"  \n", "text/turtle").status_code == 400
    refused = post(client, CONTRIBUTIONS / "good.ttl", Accept="image/png")
    assert refused.status_code == 406
    assert "application/json" in refused.text
    assert client.get("/validate").status_code == 405


@pytest.mark.parametrize("fmt", ["github", "gitlab", "sarif"])
def test_ci_formats_are_for_the_command_only(client, fmt):
    # They pin findings to repository paths, and an upload has none (it is "request.ttl").
    refused = client.request(
        "POST",
        f"/validate?format={fmt}",
        content=(CONTRIBUTIONS / "good.ttl").read_bytes(),
        headers={"Content-Type": "text/turtle"},
    )
    assert refused.status_code == 400
    assert "format must be one of: json, turtle, text, junit" in refused.text


def test_a_validation_that_takes_too_long_is_503():
    # No lifespan needed: the route only reads the settings.
    app = create_app(Settings(validation_timeout=0.001))
    body = (CONTRIBUTIONS / "good.ttl").read_bytes()

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.post(
                "/validate", content=body, headers={"Content-Type": "text/turtle"}
            )

    response = asyncio.run(go())
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    app.state.validation_executor.shutdown(wait=True)
