"""Bad requests sent over real sockets to a real `aict serve` (uvicorn in front): what the
in-process fuzzing (tests/fuzz/test_http_fuzz.py) cannot send, such as raw bytes in the
request line, a broken percent-encoding, an oversized header or a body shorter than its
Content-Length. Never a 5xx, never a traceback in the server's log."""

from __future__ import annotations

import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import serving

BAD_REQUESTS = {
    "raw bytes in the path": b"GET /id/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
    "broken percent-encoding": b"GET /id/commune/%ZZ%C3%28 HTTP/1.1\r\nHost: x\r\n\r\n",
    "broken percent-encoding in a query": b"GET /sparql?query=%ZZ%C3 HTTP/1.1\r\nHost: x\r\n\r\n",
    "a NUL in the query string": b"GET /search?q=a%00b HTTP/1.1\r\nHost: x\r\n\r\n",
    "latin-1 header values": (
        b"GET /id/commune/21231 HTTP/1.1\r\nHost: x\r\nAccept: text/\xe9\r\n"
        b'Accept-Language: fr-\xe9;q=\xff\r\nIf-None-Match: "\xe9"\r\n\r\n'
    ),
    "a header of 100 kB": b"GET / HTTP/1.1\r\nHost: x\r\nAccept: " + b"a" * 100_000 + b"\r\n\r\n",
    "an unknown method": b"BREW /sparql HTTP/1.1\r\nHost: x\r\n\r\n",
    "no Host, HTTP/1.0": b"GET /fragments?page=-1 HTTP/1.0\r\n\r\n",
    "a negative Content-Length": (
        b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: text/turtle\r\n"
        b"Content-Length: -5\r\n\r\n"
    ),
    "a body shorter than its Content-Length": (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 500\r\nConnection: close\r\n\r\nASK {}"
    ),
    "broken chunked encoding": (
        b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: text/turtle\r\n"
        b"Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n"
    ),
    "a form body in latin-1": (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 22\r\n\r\nquery=ASK{\xe9}&timeout=x"
    ),
}


@pytest.fixture(scope="module")
def server(test_data, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    log = tmp_path_factory.mktemp("serve-bad-requests") / "serve.log"
    with serving(str(test_data / "publisher"), log=log) as base:
        yield base, log


def _send(base: str, raw: bytes) -> bytes:
    host, port = base.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(raw)
        sock.shutdown(socket.SHUT_WR)  # the server sees the end of a short body
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("raw", BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
def test_a_bad_request_gets_a_4xx_and_no_traceback(server, raw: bytes):
    base, log = server
    logged_before = log.stat().st_size
    answer = _send(base, raw)
    status_line = answer.split(b"\r\n", 1)[0]
    # Answers from the app or from uvicorn (which may also just close the connection).
    if answer:
        status = int(status_line.split()[1])
        assert status < 500, answer[:2000]
    assert b"Traceback" not in answer
    # Then a good request: the server has done with the bad one (and logged it) when it
    # answers, since it answers in order on one connection's worth of work.
    with urllib.request.urlopen(base + "healthz", timeout=30) as healthy:
        assert healthy.status == 200
    time.sleep(0.2)
    with log.open("rb") as handle:
        handle.seek(logged_before)
        logged = handle.read().decode("utf-8", "replace")
    assert "Traceback" not in logged and "ERROR" not in logged, logged[-3000:]
