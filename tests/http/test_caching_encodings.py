"""One strong ETag names one byte sequence (RFC 9110 §8.8.3), on every route, in every encoding.

For each route, the answer is fetched without and with gzip: a strong ETag must differ between
the two encodings (or the compressed one must be weak), and If-None-Match with either answers
304. `gzip;q=0` is a refusal of gzip.
"""

from __future__ import annotations

import asyncio
import gzip

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from publisher.web.caching import accepts_gzip_header
from publisher.web.compression import GZipWithHonestETags

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

# (url, Accept, whether the route sends validators); every kind of route is here.
ROUTES = [
    ("/", BROWSER, True),
    ("/search?q=dijon", BROWSER, True),
    ("/-/stats.json", "application/json", True),
    ("/id/commune/21231", BROWSER, True),
    ("/id/commune/21231", "text/turtle", True),
    ("/id/commune/21231.jsonld", "*/*", True),
    ("/id/partnership/commune-21231--de-mainz.nt", "*/*", True),
    ("/vocab/partnership-form", BROWSER, True),
    ("/graph/twinnings", "text/turtle", True),
    ("/ontology", BROWSER, True),
    ("/ontology", "text/turtle", True),
    ("/catalog", "text/turtle", True),
    ("/catalog", BROWSER, True),
    ("/catalog.rdf", "*/*", True),
    ("/.well-known/void", "text/turtle", True),
    ("/.well-known/void", BROWSER, True),
    ("/dumps/aict.ttl", "*/*", True),
    ("/dumps/aict.jsonld", "*/*", True),
    ("/dumps/aict.nt.gz", "*/*", True),
    ("/-/static/site.css", "text/css", True),
    ("/-/static/vendor/world-atlas/countries-50m.json", "*/*", True),
    ("/fragments", "text/turtle", True),
    (
        "/fragments?predicate=http%3A%2F%2Fwww.w3.org%2F2004%2F02%2Fskos%2Fcore%23prefLabel&page=3",
        "application/trig",
        True,
    ),
    ("/api/twinnings-of-a-city?city=Dijon", "application/json", True),
    ("/api/most-twinned-authorities", "text/csv", True),
    ("/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D", "text/csv", False),
    ("/sparql", BROWSER, False),  # the query form
    ("/sparql", "text/turtle", False),  # the service description
    ("/-/openapi.json", "application/json", False),
    ("/version", "application/json", False),
    ("/healthz", "application/json", False),
]


def _get(client, url: str, accept: str, encoding: str, **headers: str) -> httpx.Response:
    return client.get(url, headers={"Accept": accept, "Accept-Encoding": encoding, **headers})


@pytest.mark.parametrize(
    ("url", "accept", "validated"), ROUTES, ids=[f"{url} {accept[:9]}" for url, accept, _ in ROUTES]
)
def test_each_encoding_has_its_own_validator(client, url: str, accept: str, validated: bool):
    plain = _get(client, url, accept, "identity")
    zipped = _get(client, url, accept, "gzip")
    assert plain.status_code == zipped.status_code == 200, url
    assert "content-encoding" not in plain.headers
    if not validated:
        assert "etag" not in plain.headers and "etag" not in zipped.headers
        return
    assert plain.content == zipped.content  # httpx decodes: the same representation
    plain_tag, zipped_tag = plain.headers["etag"], zipped.headers["etag"]
    if zipped.headers.get("content-encoding") == "gzip":
        assert plain_tag != zipped_tag or zipped_tag.startswith("W/")
    else:
        assert plain_tag == zipped_tag  # the same bytes were sent
    for encoding, tag in (("identity", plain_tag), ("gzip", zipped_tag)):
        again = _get(client, url, accept, encoding, **{"If-None-Match": tag})
        assert again.status_code == 304, (url, encoding)
        assert again.headers["etag"].removeprefix("W/") == tag.removeprefix("W/")
        assert not again.content


@pytest.mark.parametrize("url", ["/", "/catalog", "/-/static/site.css", "/fragments"])
def test_refused_gzip_is_not_sent(client, url: str):
    response = _get(client, url, "*/*", "gzip;q=0, identity")
    assert response.status_code == 200
    assert "content-encoding" not in response.headers


def test_a_big_body_is_gzipped_for_who_accepts_it(client):
    response = _get(client, "/-/static/site.css", "text/css", "br;q=1, gzip;q=0.5")
    assert response.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["vary"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip", True),
        ("gzip;q=0", False),
        ("gzip; q=0.000", False),
        ("deflate, gzip;q=0.1", True),
        ("x-gzip", True),
        ("*", True),
        ("*;q=1, gzip;q=0", False),  # a named coding overrides the wildcard
        ("identity", False),
        ("", False),
        ("gzip;q=bogus", False),
    ],
)
def test_accept_encoding_q_values(header: str, expected: bool):
    assert accepts_gzip_header(header) is expected


def _app_with_strong_etag() -> GZipWithHonestETags:
    """A route that sets a strong ETag on identity bytes and lets the middleware compress."""

    async def page(request: Request) -> Response:
        body = ("données " * 200).encode()
        if request.headers.get("if-none-match", "").removeprefix("W/") == '"v1"':
            return Response(status_code=304, headers={"ETag": '"v1"'})
        return Response(body, media_type="text/plain", headers={"ETag": '"v1"'})

    async def pre_compressed(request: Request) -> Response:
        body = gzip.compress(b"x" * 2000)
        headers = {"ETag": '"gz"', "Content-Encoding": "gzip"}
        return Response(body, media_type="text/plain", headers=headers)

    inner = Starlette(routes=[Route("/page", page), Route("/gz", pre_compressed)])
    return GZipWithHonestETags(inner, minimum_size=500, exclude_content_types=())


def _call(app, path: str, headers: dict[str, str]) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get(path, headers=headers)

    return asyncio.run(go())


def test_middleware_weakens_a_strong_etag_it_compresses():
    app = _app_with_strong_etag()
    plain = _call(app, "/page", {"Accept-Encoding": "identity"})
    zipped = _call(app, "/page", {"Accept-Encoding": "gzip"})
    assert plain.headers["etag"] == '"v1"'
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["etag"] == 'W/"v1"'
    assert zipped.content == plain.content
    revalidated = _call(app, "/page", {"Accept-Encoding": "gzip", "If-None-Match": 'W/"v1"'})
    assert revalidated.status_code == 304


def test_middleware_leaves_a_route_compressed_answer_alone():
    zipped = _call(_app_with_strong_etag(), "/gz", {"Accept-Encoding": "gzip"})
    assert zipped.headers["etag"] == '"gz"'
    assert zipped.content == b"x" * 2000


@pytest.mark.parametrize(
    ("url", "accept", "validated"), ROUTES, ids=[f"{url} {accept[:9]}" for url, accept, _ in ROUTES]
)
def test_every_route_answers_head_as_get(client, url: str, accept: str, validated: bool):
    """RFC 9110 §9.1: a general-purpose server supports HEAD wherever it supports GET."""
    got = _get(client, url, accept, "identity")
    head = client.request("HEAD", url, headers={"Accept": accept, "Accept-Encoding": "identity"})
    assert head.status_code == got.status_code == 200, url
    assert not head.content
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers.get("etag") == got.headers.get("etag")
