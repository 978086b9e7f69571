"""The public base every route rewrites canonical IRIs to."""

from starlette.requests import Request

from publisher.config import Settings
from publisher.web.deps import public_base


def request_for(host: str) -> Request:
    scope = {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "path": "/id/commune/21231",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", host.encode())],
        "server": ("127.0.0.1", 8000),
    }
    return Request(scope)


def test_request_host_when_unset():
    assert public_base(request_for("localhost:9000"), Settings()) == "http://localhost:9000/"


def test_configured_public_base_wins_over_the_host_header():
    settings = Settings(public_base="https://data.example.org/aict")
    assert (
        public_base(request_for("attacker.example"), settings) == "https://data.example.org/aict/"
    )
