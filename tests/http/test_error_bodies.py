"""Errors asked for by RDF clients are plain text, labelled so: never a body that claims to be
Turtle or RDF/XML and is not."""

from __future__ import annotations

import pytest

RDF_TYPES = ["text/turtle", "application/n-triples", "application/rdf+xml", "*/*"]
ERRORS = [
    ("/id/commune/00000", 404),
    ("/id/commune/00000.ttl", 404),
    ("/vocab/no-such-scheme", 404),
    ("/catalog.xls", 404),
    ("/dumps/aict.xls", 404),
    ("/id/a//b", 400),
    ("/id/commune/21231?page=0", 400),
]


@pytest.mark.parametrize("accept", RDF_TYPES)
@pytest.mark.parametrize(("url", "status"), ERRORS)
def test_errors_for_rdf_clients_are_plain_text(client, url: str, status: int, accept: str):
    response = client.get(url, headers={"Accept": accept})
    assert response.status_code == status
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.startswith(f"{status} ")
    assert response.headers["cache-control"] == "no-store"
    assert "Traceback" not in response.text


def test_unacceptable_rdf_type_is_406_in_plain_text(client):
    response = client.get("/id/commune/21231", headers={"Accept": "text/n3"})
    assert response.status_code == 406
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert "text/turtle" in response.text  # lists what is available
