"""Every route family negotiates the same way (one registry, one negotiator): a malformed
q-value drops its range, a media-type parameter we do not send matches nothing, `*/*` gives
the route's first format, and an error body follows the same rules."""

import pytest

from tests.conftest import Client

SELECT = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
# (path, a type the route serves, another one it serves)
ROUTES = [
    ("/id/commune/21231", "application/rdf+xml", "text/turtle"),
    ("/vocab/partnership-form", "application/rdf+xml", "text/turtle"),
    ("/catalog", "application/rdf+xml", "text/turtle"),
    ("/.well-known/void", "application/rdf+xml", "text/turtle"),
    (f"/sparql?query={SELECT}", "text/csv", "application/sparql-results+xml"),
    ("/sparql", "application/rdf+xml", "text/turtle"),  # the service description
    ("/api/most-twinned-authorities", "text/csv", "application/sparql-results+json"),
    ("/fragments", "application/n-triples", "text/turtle"),
]


def media_type(response) -> str:
    return response.headers["content-type"].split(";")[0]


@pytest.mark.parametrize(("path", "wanted", "other"), ROUTES)
def test_a_malformed_q_value_drops_its_range_everywhere(client: Client, path, wanted, other):
    for bad in ("1.5", "-1", "abc", "0.1234", '"0.5"'):
        response = client.get(path, headers={"Accept": f"{other};q={bad}, {wanted};q=0.5"})
        assert response.status_code == 200, (bad, response.text)
        assert media_type(response) == wanted, bad


@pytest.mark.parametrize(("path", "wanted", "other"), ROUTES)
def test_a_parameter_we_do_not_send_matches_nothing_everywhere(client, path, wanted, other):
    only = client.get(path, headers={"Accept": f"{wanted};level=1"})
    assert only.status_code == 406, only.text
    assert wanted in only.text  # the 406 lists what is available
    fallback = client.get(path, headers={"Accept": f"{wanted};level=1, {other};q=0.1"})
    assert fallback.status_code == 200 and media_type(fallback) == other
    known = client.get(path, headers={"Accept": f"{wanted};charset=utf-8"})
    assert known.status_code == 200 and media_type(known) == wanted


@pytest.mark.parametrize(("path", "wanted", "other"), ROUTES)
def test_html_with_a_parameter_is_not_html_anywhere(client, path, wanted, other):
    response = client.get(path, headers={"Accept": f"text/html;level=1, {other};q=0.1"})
    assert response.status_code == 200 and media_type(response) == other


@pytest.mark.parametrize(
    ("path", "first"),
    [
        ("/api/most-twinned-authorities", "application/sparql-results+json"),
        ("/fragments", "application/trig"),
    ],
)
def test_data_without_a_page_answers_a_browser_asking_for_html_only(client, path, first):
    """The links of our pages lead there: a browser sending `Accept: text/html` alone gets
    the route's first format, said to vary with Accept, instead of a 406."""
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    assert media_type(response) == first
    assert "Accept" in response.headers["vary"]
    assert client.get(path, headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize(
    "path", ["/id/commune/00000", "/dumps/no-such-dump", "/catalog.xyz", "/api/no-such-query"]
)
@pytest.mark.parametrize(
    ("accept", "body_type"),
    [
        ("application/json", "application/json"),
        ("text/html", "text/html"),
        ("text/html;q=1.5, application/ld+json", "application/json"),
        ("text/html;level=1", "text/plain"),
    ],
)
def test_error_bodies_negotiate_alike(client, path, accept, body_type):
    response = client.get(path, headers={"Accept": accept})
    # Nothing acceptable: a negotiated resource answers 406 before looking it up.
    assert response.status_code in ((404, 406) if body_type == "text/plain" else (404,))
    assert media_type(response) == body_type
