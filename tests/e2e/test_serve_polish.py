"""Through a real `aict serve` (uvicorn, real sockets): POST /validate, per-encoding ETags and
the catalog page for browsers."""

from __future__ import annotations

import gzip
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import serving

CONTRIBUTIONS = Path(__file__).resolve().parent.parent / "data" / "validation" / "contributions"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def server(test_data, tmp_path_factory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("serve-polish") / "serve.log"
    with serving(str(test_data / "publisher"), log=log) as base:
        yield base


def fetch(url: str, data: bytes | None = None, **headers: str):
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_post_validate_reports_a_mistake_with_its_line(server: str):
    body = (CONTRIBUTIONS / "missing-french-label.ttl").read_bytes()
    status, headers, content = fetch(
        server + "validate",
        body,
        **{"Content-Type": "text/turtle", "Accept": "application/json", "Accept-Language": "en"},
    )
    assert status == 200
    assert headers["AICT-Conforms"] == "false" and headers["AICT-Passes"] == "false"
    report = json.loads(content)
    assert ("request.ttl", 11) in {(r["file"], r["line"]) for r in report["results"]}


def test_post_validate_refuses_a_bomb(server: str):
    body = (CONTRIBUTIONS / "bomb.rdf").read_bytes()
    status, _, content = fetch(
        server + "validate", body, **{"Content-Type": "application/rdf+xml", "Accept": "text/plain"}
    )
    assert status == 400 and b"DOCTYPE" in content


@pytest.mark.parametrize("path", ["", "catalog", "-/static/site.css"])
def test_each_encoding_has_its_own_etag(server: str, path: str):
    _, plain, plain_body = fetch(server + path, Accept=BROWSER, **{"Accept-Encoding": "identity"})
    _, zipped, zipped_body = fetch(server + path, Accept=BROWSER, **{"Accept-Encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert gzip.decompress(zipped_body) == plain_body
    assert plain["ETag"] != zipped["ETag"]
    for encoding, tag in (("identity", plain["ETag"]), ("gzip", zipped["ETag"])):
        status, _, _ = fetch(
            server + path,
            Accept=BROWSER,
            **{"Accept-Encoding": encoding, "If-None-Match": tag},
        )
        assert status == 304


def test_catalog_page_for_browsers(server: str):
    status, headers, content = fetch(
        server + "catalog", Accept=BROWSER, **{"Accept-Language": "en"}
    )
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"AICT linked open data catalog" in content and b"SHA256" in content
