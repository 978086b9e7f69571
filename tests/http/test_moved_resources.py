"""IRIs that moved (data/sources/curated/moved_iris.csv), on the bundled dataset: each answers
301 to the IRI that replaces it, whatever the format asked; described resources never do;
the replacement is published and queryable; pages and search do not list the old IRIs."""

from __future__ import annotations

import csv
import json

import pytest
from fastapi.testclient import TestClient

from publisher.config import DATA_DIR, SOURCES_DIR, Settings
from publisher.importer.build import MOVED_IRIS
from publisher.importer.moved_iris import read_moved_iris
from publisher.web.app import create_app

PUBLIC = "http://testserver/"
CANONICAL = "https://w3id.org/aict/"
ODZ, LODZ = "id/authority/pl/odz", "id/authority/pl/lodz"
OLD_PARTNERSHIP = "id/partnership/commune-45234--de-munster"
NEW_PARTNERSHIP = "id/partnership/commune-45234--de-muenster"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
DCT_IS_REPLACED_BY = "http://purl.org/dc/terms/isReplacedBy"


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(query_workers=1)


@pytest.fixture(scope="module")
def client(settings: Settings):
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


@pytest.mark.parametrize(
    ("old", "new"), [(ODZ, LODZ), (OLD_PARTNERSHIP, NEW_PARTNERSHIP)], ids=["authority", "link"]
)
@pytest.mark.parametrize("accept", [None, "text/turtle", BROWSER, "image/png"])
def test_an_old_iri_answers_301_to_the_new_one(client, settings, old, new, accept) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get(f"/{old}", headers=headers)
    assert response.status_code == 301
    assert response.headers["location"] == PUBLIC + new
    assert response.headers["cache-control"] == f"public, max-age={settings.cache_max_age}"
    followed = client.get(response.headers["location"], headers=headers)
    # image/png is not acceptable for the new resource either: the redirect did not negotiate
    assert followed.status_code == (406 if accept == "image/png" else 200)


@pytest.mark.parametrize("ext", ["ttl", "jsonld", "html"])
def test_a_format_suffix_and_the_page_are_kept(client, ext) -> None:
    response = client.get(f"/{ODZ}.{ext}")
    assert response.status_code == 301
    assert response.headers["location"] == f"{PUBLIC}{LODZ}.{ext}"
    assert client.get(response.headers["location"]).status_code == 200
    paged = client.get(f"/{OLD_PARTNERSHIP}.{ext}?page=2")
    assert paged.headers["location"] == f"{PUBLIC}{NEW_PARTNERSHIP}.{ext}?page=2"


def test_head_answers_301_too(client) -> None:
    response = client.head(f"/{ODZ}", headers={"Accept": BROWSER})
    assert response.status_code == 301
    assert response.headers["location"] == PUBLIC + LODZ
    assert response.content == b""


def test_the_location_follows_the_serving_host() -> None:
    settings = Settings(query_workers=1, public_base="https://data.example.org/aict/")
    with TestClient(create_app(settings), follow_redirects=False) as client:
        response = client.get(f"/{ODZ}.ttl")
    assert response.headers["location"] == f"https://data.example.org/aict/{LODZ}.ttl"


def test_every_old_iri_of_the_table_is_redirected(client) -> None:
    for row in read_moved_iris(SOURCES_DIR / MOVED_IRIS):
        response = client.head("/" + row.old.removeprefix(CANONICAL))
        assert response.status_code == 301, row.old
        assert response.headers["location"] == PUBLIC + row.new.removeprefix(CANONICAL)


def test_every_twinning_merged_from_two_spellings_is_redirected(client) -> None:
    with (DATA_DIR / "reports" / "partner_merges.csv").open(encoding="utf-8") as f:
        merged = [row for row in csv.DictReader(f) if row["decision"] == "merged"]
    assert merged
    for row in merged:
        response = client.head("/" + row["merged_partnership"].removeprefix(CANONICAL))
        assert response.status_code == 301, row["merged_partnership"]
        assert response.headers["location"] == PUBLIC + row["kept_partnership"].removeprefix(
            CANONICAL
        )


def test_a_partner_spelling_merged_away_is_redirected_unless_another_twinning_names_it(
    client,
) -> None:
    response = client.get("/id/authority/de/berlin-mitte.ttl")
    assert response.status_code == 301
    assert response.headers["location"] == PUBLIC + "id/authority/de/mitte-berlin.ttl"
    # "Halle" (Germany) is Halle (Saale) for Grenoble, but another French town's twinning
    # names it too: that one is not merged, so the resource stays.
    assert client.get("/id/authority/de/halle.ttl").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "id/organisation/daect",  # dct:isReplacedBy dctciv, but described: a real resource
        "id/authority/de/munster",  # Munster (Lower Saxony) kept its IRI
        LODZ,
    ],
)
def test_a_described_resource_is_not_redirected(client, path) -> None:
    response = client.get(f"/{path}.ttl")
    assert response.status_code == 200
    assert "location" not in response.headers


def test_an_unknown_iri_is_still_404(client) -> None:
    assert client.get("/id/authority/pl/nowhere").status_code == 404


def test_the_replacement_is_published_and_queryable(client) -> None:
    query = f"SELECT ?new WHERE {{ <{CANONICAL}{ODZ}> <{DCT_IS_REPLACED_BY}> ?new }}"
    response = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200
    bindings = response.json()["results"]["bindings"]
    assert [b["new"]["value"] for b in bindings] == [CANONICAL + LODZ]


def test_pages_and_search_do_not_list_old_iris(client) -> None:
    search = client.get("/search", params={"q": "Lodz"}, headers={"Accept": BROWSER})
    assert search.status_code == 200
    assert f"/{LODZ}" in search.text
    assert f'/{ODZ}"' not in search.text and f"/{ODZ}." not in search.text
    home = client.get("/", headers={"Accept": BROWSER}).text
    assert "/id/authority/pl/odz" not in home
    stats = client.get("/-/stats.json").json()
    assert "/id/authority/pl/odz" not in str(stats)
    # the figures count resources by type: the old IRIs, which have none, add nothing
    summary = json.loads((DATA_DIR / "reports" / "summary.json").read_text(encoding="utf-8"))
    figures = stats["figures"]
    assert figures["partner_authorities"] == summary["partner_authorities"]
    assert figures["partnerships"] == summary["partnerships"]
