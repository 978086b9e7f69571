"""The one property checked on every HTTP answer of the fuzzing suite, and the bad values the
HTTP tests draw (header values, path segments, parameter values).

Whatever the request: no 5xx (but a 503 that says when to retry: a query or validation
that ran out of time is refused by design), nothing logged as an error or with a traceback,
no traceback in the body, and an error body that is what its Content-Type says (the error
boundary's JSON with the status, its plain text starting with the status, an HTML page, or
a validation report in the format asked for).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree

import httpx
from fuzz_support import logged, nasty_text, tracebacks_in
from hypothesis import strategies as st
from rdflib import Graph

# Header values a client could send: latin-1 without controls (h11 refuses those).
_HEADER_ALPHABET = st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f")


def request(client, method: str, url: str, **kwargs) -> httpx.Response:
    """`client.request(...)`, checked by `assert_well_answered`."""
    with logged() as records:
        response = client.request(method, url, **kwargs)
    assert_well_answered(response, method)
    assert tracebacks_in(records) == [], (method, url, tracebacks_in(records))
    return response


def assert_well_answered(response: httpx.Response, method: str = "GET") -> None:
    status = response.status_code
    where = f"{method} {response.request.url} -> {status}"
    if status >= 500:
        assert status == 503 and "retry-after" in response.headers, (where, response.text[:2000])
    assert b"Traceback" not in response.content, where
    if status < 400 or method == "HEAD":
        return
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    body = response.content
    assert body.strip(), f"{where}: empty error body"
    if media_type.endswith("json"):
        parsed = json.loads(body)
        if isinstance(parsed, dict) and "status" in parsed:  # the error boundary's body
            assert parsed["status"] == status and parsed["message"], where
    elif media_type == "text/plain":
        text = body.decode("utf-8")
        # The error boundary's text starts with the status; a validation report does not.
        assert text.startswith(f"{status} ") or response.request.url.path == "/validate", (
            where,
            text[:500],
        )
    elif media_type == "text/html":
        assert b"</html>" in body, where
    elif media_type in ("application/xml", "application/junit+xml"):  # a JUnit report
        ElementTree.fromstring(body)
    elif media_type == "text/turtle":  # a validation report in Turtle
        assert response.request.url.path == "/validate", where
        Graph().parse(data=body, format="turtle")
    else:
        raise AssertionError(f"{where}: error body of type {media_type!r}")


header_values = st.one_of(
    st.text(_HEADER_ALPHABET, max_size=60),
    st.sampled_from(
        [
            "",
            "*/*",
            "*/*;q=0",
            "text/html;q=1.5",
            "text/turtle;q=abc, */*;q=0.1",
            "application/json;;;",
            ";q=1",
            "text/*, image/*;q=0",
            "application/sparql-results+json;charset=latin-1",
            "text/html;level=1",
            ",,,,",
            "fr-FR,fr;q=0.9,en;q=0.8",
            "*;q=0",
            "zz, x-klingon;q=1",
            "gzip;q=0, identity;q=0",
            "br, zstd, gzip;q=0.5",
            "x-gzip",
            '"abc"',
            'W/"abc", "def"',
            "*",
            '"' * 30,
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Thu, 01 Jan 1970 00:00:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "Mon, 32 Foo 2020 99:99:99 GMT",
            "-1",
            "0",
            "a" * 4000,
            "é",
        ]
    ),
).map(lambda value: value.encode("latin-1"))

# Parameter values: text people type, and what breaks parsers.
parameter_values = st.one_of(
    nasty_text,
    st.sampled_from(
        ["0", "-1", "1e309", "nan", "inf", "99999999999999999999", "true", "<>", "%", "%ZZ"]
    ),
)

# One path segment, possibly percent-encoded (an invalid UTF-8 sequence, a slash, NUL).
path_segments = st.one_of(
    st.text(
        # httpx refuses DEL in a URL; other characters are percent-encoded.
        st.characters(min_codepoint=0x21, max_codepoint=0x2FF, exclude_characters="/?#\x7f"),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from(
        [
            "..",
            ".",
            "",
            "%2F",
            "%2e%2e",
            "%00",
            "%C3%28",
            "%ZZ",
            "%",
            "%E2%82",
            "21231",
            "commune",
            "de",
            "mainz",
            "partnership-form",
            "twinningCharter",
            "x" * 3000,
            "%F0%9F%98%80",
            ";jsessionid=1",
        ]
    ),
)
