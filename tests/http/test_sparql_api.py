"""Named queries at /api/<name> on the bundled dataset, each checked against an answer
computed independently: by walking the dataset's triples in Python, or from the importer's
data/reports/summary.json. Also the fragments endpoint on the same data.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from publisher.config import DATA_DIR, DATASET_DIR, Settings
from publisher.sparql.named_queries import bundled_queries
from publisher.web.app import create_app

AICT = "https://w3id.org/aict/ontology#"
ORG = "http://www.w3.org/ns/org#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
FRANCE = COUNTRY + "FRA"


class Triples:
    """The bundled dataset as plain Python indexes (no SPARQL involved)."""

    def __init__(self) -> None:
        self.out: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.subjects: dict[str, set[str]] = defaultdict(set)  # (p, o) -> subjects
        for path in sorted(DATASET_DIR.glob("*.ttl")):
            for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                s, p, o = t.subject.value, t.predicate.value, t.object.value
                self.out[(s, p)].add(o)
                self.subjects[(p, o)].add(s)

    def of_type(self, cls: str) -> set[str]:
        return self.subjects[(RDF_TYPE, cls)]

    def objects(self, s: str, p: str) -> set[str]:
        return self.out.get((s, p), set())


@pytest.fixture(scope="module")
def data() -> Triples:
    return Triples()


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings(query_workers=2))) as client:
        yield client


def rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def partnerships_of(data: Triples, authority: str) -> set[str]:
    return {
        p
        for p in data.objects(authority, ORG + "memberOf")
        if AICT + "Partnership" in data.objects(p, RDF_TYPE)
    }


def test_twinnings_of_a_city(client, data):
    dijon = {
        a
        for a in data.of_type(AICT + "FrenchLocalAuthority")
        if any(label == "Dijon" for label in data.objects(a, SKOS + "prefLabel"))
    }
    assert dijon, "the bundled data should hold Dijon"
    partners = {p for a in dijon for p in data.objects(a, AICT + "twinnedWith")}
    got = rows(client.get("/api/twinnings-of-a-city", params={"city": "Dijon"}))
    assert {r["partner"] for r in got} == partners
    assert {r["authority"] for r in got} == dijon
    for r in got:  # each partner's country is the one the data gives it
        assert r["country"] in data.objects(r["partner"], DCT + "spatial")


@pytest.mark.parametrize(
    ("label", "typed"),
    [
        ("Dijon", "dijon"),
        ("Dijon", "DIJON"),
        ("Saint-Étienne", "saint etienne"),
        ("Besançon", "besancon"),
        ("Orléans", " ORLEANS "),
    ],
)
def test_city_names_match_as_the_search_box_does(client, data, label, typed):
    """Case, accents and punctuation do not matter, as in the search box."""
    authorities = {
        a
        for a in data.of_type(AICT + "FrenchLocalAuthority")
        if label in data.objects(a, SKOS + "prefLabel") and data.objects(a, AICT + "twinnedWith")
    }
    assert authorities, f"the bundled data should hold twinnings of {label}"
    partners = {p for a in authorities for p in data.objects(a, AICT + "twinnedWith")}
    got = rows(client.get("/api/twinnings-of-a-city", params={"city": typed}))
    assert {r["authority"] for r in got} == authorities
    assert {r["partner"] for r in got} == partners


def test_partnerships_by_country_match_the_import_summary(client):
    summary = json.loads((DATA_DIR / "reports" / "summary.json").read_text(encoding="utf-8"))
    expected = {c["iso3"]: c["partnerships"] for c in summary["partnerships_by_partner_country"]}
    got = rows(client.get("/api/partnerships-by-country"))
    assert {r["country"].removeprefix(COUNTRY): int(r["partnerships"]) for r in got} == expected
    counts = [int(r["partnerships"]) for r in got]
    assert counts == sorted(counts, reverse=True)
    germany = rows(client.get("/api/partnerships-by-country", params={"country": "DE"}))
    assert [(r["country"], int(r["partnerships"])) for r in germany] == [
        (COUNTRY + "DEU", expected["DEU"])
    ]


def test_authorities_by_departement(client, data):
    departement = "https://w3id.org/aict/id/departement/21"
    expected = {}
    for a in data.of_type(AICT + "FrenchLocalAuthority"):
        if departement in data.objects(a, AICT + "departement"):
            count = len(partnerships_of(data, a))
            if count:
                expected[a] = count
    got = rows(client.get("/api/authorities-by-departement", params={"departement": "21"}))
    assert {r["authority"]: int(r["partnerships"]) for r in got} == expected
    missing = client.get("/api/authorities-by-departement")
    assert missing.status_code == 400 and "departement" in missing.text


def test_actions_by_country_and_kind(client, data):
    every = {
        (c, k, a)
        for a in data.of_type(AICT + "Action")
        for c in data.objects(a, DCT + "spatial")
        for k in data.objects(a, AICT + "actionType")
    }
    got = rows(client.get("/api/actions-by-country-and-kind"))
    assert {(r["country"], r["kind"], r["action"]) for r in got} == every
    kind = "https://w3id.org/aict/vocab/action-type/humanitarianEmergency"
    filtered = rows(
        client.get(
            "/api/actions-by-country-and-kind",
            params={"country": "UKR", "kind": "humanitarianEmergency"},
        )
    )
    assert {r["action"] for r in filtered} == {
        a for c, k, a in every if c == COUNTRY + "UKR" and k == kind
    }


def test_most_twinned_authorities(client, data):
    counts = {}
    for a in data.of_type(AICT + "FrenchLocalAuthority"):
        foreign = {
            p for p in partnerships_of(data, a) if data.objects(p, DCT + "spatial") - {FRANCE}
        }
        if foreign:
            counts[a] = len(foreign)
    top = sorted(counts.values(), reverse=True)[:50]
    got = rows(client.get("/api/most-twinned-authorities"))
    assert [int(r["partnerships"]) for r in got] == top
    for r in got:
        assert counts[r["authority"]] == int(r["partnerships"])


def test_responses_to_crises(client, data):
    expected = {
        (c, a) for a in data.of_type(AICT + "Action") for c in data.objects(a, AICT + "respondsTo")
    }
    got = rows(client.get("/api/responses-to-crises"))
    assert {(r["crisis"], r["action"]) for r in got} == expected


def test_members_of_a_network(client, data):
    covenant = "https://w3id.org/aict/id/organisation/covenant-of-mayors"
    expected = {
        (m, c)
        for m in data.of_type(ORG + "Membership")
        if covenant in data.objects(m, ORG + "organization")
        for c in data.objects(m, AICT + "commitment")
    }
    assert len(expected) > 150
    got = rows(client.get("/api/members-of-a-network", params={"network": covenant}))
    assert {(r["membership"], r["commitment"]) for r in got} == expected
    for r in got:
        assert data.objects(r["membership"], ORG + "member") == {r["member"]}
    com2050 = "https://w3id.org/aict/vocab/covenant-commitment/com2050"
    filtered = rows(client.get("/api/members-of-a-network", params={"commitment": "com2050"}))
    assert {r["membership"] for r in filtered} == {m for m, c in expected if c == com2050}
    summary = json.loads((DATA_DIR / "reports" / "summary.json").read_text(encoding="utf-8"))
    assert len(filtered) == summary["gcom"]["memberships_by_commitment"]["com2050"]


def test_every_named_query_has_an_answer_test():
    tested = {
        name.removeprefix("test_").replace("_", "-")
        for name in globals()
        if name.startswith("test_")
    }
    for name in bundled_queries():
        assert any(t.startswith(name) for t in tested), f"no test for named query {name}"


def test_csv_and_errors(client):
    r = client.get("/api/partnerships-by-country", params={"country": "DEU", "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    records = list(csv.reader(io.StringIO(r.text, newline="")))
    assert records[0] == ["country", "countryName", "partnerships"] and len(records) == 2
    r = client.get("/api/partnerships-by-country", headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    bad = client.get("/api/partnerships-by-country", params={"country": "Germany"})
    assert bad.status_code == 400 and "country" in bad.text
    unknown = client.get("/api/partnerships-by-country", params={"colour": "red"})
    assert unknown.status_code == 400 and "colour" in unknown.text
    twice = client.get("/api/partnerships-by-country?country=DEU&country=ITA")
    assert twice.status_code == 400 and "more than once" in twice.text


def test_named_queries_are_in_the_openapi_document(client):
    spec = client.get("/-/openapi.json").json()
    for name, query in bundled_queries().items():
        operation = spec["paths"][f"/api/{name}"]["get"]
        assert operation["summary"] == query.title
        declared = {p["name"] for p in operation["parameters"]}
        assert {p.name for p in query.parameters} <= declared


def test_query_page_lists_the_named_queries(client):
    page = client.get("/sparql", headers={"Accept": "text/html"})
    for name, query in bundled_queries().items():
        assert f"/api/{name}" in page.text and query.title in page.text


# --- Triple Pattern Fragments on the bundled data ------------------------------------------


def fragment(client, accept="application/trig", **params):
    r = client.get("/fragments", params=params, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    dataset = ox.Dataset(
        ox.parse(
            r.content,
            format=ox.RdfFormat.TRIG if accept == "application/trig" else ox.RdfFormat.TURTLE,
        )
    )
    return dataset


def test_fragment_counts_and_pages(client, data):
    predicate = AICT + "twinnedWith"
    expected = sum(len(v) for (s, p), v in data.out.items() if p == predicate)
    first = fragment(client, predicate=predicate)
    data_triples = [q for q in first if isinstance(q.graph_name, ox.DefaultGraph)]
    assert len(data_triples) == 100
    hydra = "http://www.w3.org/ns/hydra/core#"
    totals = {q.object.value for q in first if q.predicate.value == hydra + "totalItems"}
    assert totals == {str(expected)}
    nexts = [q.object.value for q in first if q.predicate.value == hydra + "next"]
    assert len(nexts) == 1 and "page=2" in nexts[0]
    second = client.get(
        nexts[0].replace("http://testserver", ""), headers={"Accept": "application/trig"}
    )
    page2 = ox.Dataset(ox.parse(second.content, format=ox.RdfFormat.TRIG))
    page2_data = {
        (q.subject, q.predicate, q.object)
        for q in page2
        if isinstance(q.graph_name, ox.DefaultGraph)
    }
    assert len(page2_data) == 100
    assert not page2_data & {(q.subject, q.predicate, q.object) for q in data_triples}
    assert any(q.predicate.value == hydra + "previous" for q in page2)
    templates = {q.object.value for q in first if q.predicate.value == hydra + "template"}
    assert templates == {"http://testserver/fragments{?subject,predicate,object}"}


def test_fragment_with_a_literal_object(client):
    dataset = fragment(client, "text/turtle", object='"Dijon"@fr')
    subjects = {q.subject.value for q in dataset if q.object == ox.Literal("Dijon", language="fr")}
    assert "https://w3id.org/aict/id/commune/21231" in subjects


def test_fragment_bad_terms(client):
    assert client.get("/fragments", params={"subject": '"literal"'}).status_code == 400
    assert client.get("/fragments", params={"subject": "not an iri"}).status_code == 400
    assert client.get("/fragments", params={"page": "0"}).status_code == 400
    huge = client.get("/fragments", params={"page": "9" * 30})
    assert huge.status_code == 400 and "page" in huge.text


def test_walking_every_page_gives_each_triple_once(client, data):
    """Paging is only usable if the order holds from one request to the next."""
    predicate = AICT + "twinnedWith"
    expected = {(s, o) for (s, p), objects in data.out.items() if p == predicate for o in objects}
    seen: list[tuple[str, str]] = []
    page = 1
    while True:
        dataset = fragment(client, predicate=predicate, page=str(page))
        seen += [
            (q.subject.value, q.object.value)
            for q in dataset
            if isinstance(q.graph_name, ox.DefaultGraph)
        ]
        if not any(q.predicate.value.endswith("hydra/core#next") for q in dataset):
            break
        page += 1
    assert page > 2
    assert len(seen) == len(set(seen)) and set(seen) == expected


def test_a_fragment_page_revalidates(client):
    url, headers = "/fragments", {"Accept": "text/turtle", "Accept-Encoding": "identity"}
    params = {"predicate": AICT + "twinnedWith", "page": "2"}
    first = client.get(url, params=params, headers=headers)
    again = client.get(url, params=params, headers=headers)
    assert first.content == again.content and first.headers["etag"] == again.headers["etag"]
    assert first.headers["last-modified"]
    revalidated = client.get(
        url, params=params, headers={**headers, "If-None-Match": first.headers["etag"]}
    )
    assert revalidated.status_code == 304 and not revalidated.content
    other_page = client.get(url, params={**params, "page": "3"}, headers=headers)
    assert other_page.headers["etag"] != first.headers["etag"]


def test_named_query_answers_revalidate_and_say_when_capped():
    with TestClient(create_app(Settings(query_workers=1, result_limit=5))) as capped:
        first = capped.get("/api/twinnings-of-a-city", headers={"Accept": "text/csv"})
        assert first.status_code == 200
        assert len(first.text.strip().splitlines()) == 1 + 5  # header line, capped rows
        assert first.headers["AICT-Result-Truncated"] == "true"
        assert first.headers["AICT-Result-Limit"] == "5"
        again = capped.get(
            "/api/twinnings-of-a-city",
            headers={"Accept": "text/csv", "If-None-Match": first.headers["etag"]},
        )
        assert again.status_code == 304 and not again.content
        json_answer = capped.get("/api/twinnings-of-a-city", headers={"Accept": "application/json"})
        assert json_answer.headers["etag"] != first.headers["etag"]
