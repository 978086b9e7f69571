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


# (url, Accept, the French message, the English one): where a French reader lands by mistake.
READERS_ERRORS = [
    (
        "/id/commune/00000",
        "text/html",
        "aucune description de https://w3id.org/aict/id/commune/00000",
        "nothing is known about https://w3id.org/aict/id/commune/00000",
    ),
    ("/no/such/page", "text/html", "aucune ressource à l'adresse /no/such/page", "no resource at"),
    ("/dumps/aict.xls", "text/html", "aucun téléchargement nommé aict.xls", "no dump named"),
    (
        "/api/twinnings-of-a-city?city=Dijon&x=1",
        "text/html",
        "paramètre x : paramètre(s) inconnu(s) x ; cette requête prend city",
        "parameter x: unknown parameter(s) x; this query takes city",
    ),
    (
        "/api/partnerships-by-country?country=ZZZ",
        "text/html",
        "attendu un code de pays ISO 3166",
        "is not a valid country",
    ),
    ("/api/twinnings-of-a-city?format=xml", "text/html", "format doit valoir", "format must be"),
    ("/fragments?page=0", "text/html", "page doit être un nombre entier", "page must be a"),
    (
        "/fragments?subject=%22x%22",
        "text/html",
        "un littéral ne peut pas être le sujet d'un triplet",
        "a literal cannot be the subject of a triple",
    ),
    ("/fragments?object=nope", "text/html", "n'est pas une IRI absolue", "is not an absolute IRI"),
    ("/id/a//b", "text/html", "chemin de ressource mal formé", "malformed resource path"),
    ("/catalog.xyz", "text/html", "format inconnu : .xyz", "no such format: .xyz"),
    (
        "/sparql?query=ASK%7B%7D",  # a query answer has no HTML (/api and /fragments give data)
        "text/html",
        "aucun des formats disponibles n'est accepté",
        "none of the available media types is acceptable",
    ),
]


@pytest.mark.parametrize(("url", "accept", "french", "english"), READERS_ERRORS)
def test_error_pages_speak_the_page_language(client, url, accept, french, english):
    # French error pages said their message in English under a French heading.
    fr = client.get(url, headers={"Accept": accept, "Accept-Language": "fr"})
    text = fr.text.replace("&#39;", "'")
    assert '<html lang="fr">' in text and french in text and english not in text
    en = client.get(url, headers={"Accept": accept, "Accept-Language": "en"})
    assert '<html lang="en">' in en.text and english in en.text
    # Programs keep the English message whatever language they ask for.
    program = client.get(url, headers={"Accept": "application/json", "Accept-Language": "fr"})
    if program.status_code == fr.status_code:  # JSON is what /api answers: no error there
        assert english in program.json()["message"]


def test_a_method_not_allowed_is_said_in_the_page_language(client):
    page = {"Accept": "text/html", "Accept-Language": "fr"}
    fr = client.request("DELETE", "/catalog", headers=page)
    assert fr.status_code == 405 and fr.headers["allow"] == "GET, HEAD"
    assert "DELETE n'est pas permis ici ; permis : GET, HEAD" in fr.text.replace("&#39;", "'")
    en = client.request("DELETE", "/catalog", headers={**page, "Accept-Language": "en"})
    assert "DELETE is not allowed here; allowed: GET, HEAD" in en.text
