"""The Covenant of Mayors memberships as people and scripts see them, on the bundled data:
the "networks and commitments" section of an authority's page, the home chart, the figures
as JSON, and no mayor's name in anything served (pages, named query, dump)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS

from publisher.catalog import GCOM_CITATION, GCOM_LICENCE
from publisher.config import SOURCES_DIR, Settings
from publisher.importer.build import GCOM_WORKBOOK, REPORTS_DIR
from publisher.web.app import create_app

GRENOBLE = "/id/commune/38185"
PUBLIC = "http://testserver/"
GCOM_NODE = URIRef(PUBLIC + "catalog#gcom-members")
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(query_workers=1))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def summary() -> dict:
    return json.loads((REPORTS_DIR / "summary.json").read_text(encoding="utf-8"))["gcom"]


def _section(page: str) -> str:
    start = page.index('<section class="networks"')
    return page[start : page.index("</section>", start)]


def test_authority_page_lists_its_networks_and_commitments(client: TestClient) -> None:
    page = client.get(GRENOBLE, headers=HTML)
    assert page.status_code == 200
    section = _section(page.text)
    assert "Réseaux et engagements" in section
    assert "/id/organisation/covenant-of-mayors" in section
    assert '<time datetime="2008-11-17">' in section  # Grenoble signed on 17 November 2008
    for notation in ("com2020", "com2030", "mayorsAdapt"):
        assert f"/vocab/covenant-commitment/{notation}" in section
    assert "com2050" not in section
    assert "CC BY 4.0" in section  # the credit the JRC's licence asks for
    english = _section(client.get(GRENOBLE + "?lang=en", headers=HTML).text)
    assert "Networks and commitments" in english and "Mayors Adapt" in english


def test_authority_without_membership_has_no_section(client: TestClient) -> None:
    page = client.get("/id/commune/21231", headers=HTML)  # Dijon: not a signatory
    assert page.status_code == 200 and 'class="networks"' not in page.text


def test_home_chart_counts_memberships_by_commitment(client: TestClient, summary: dict) -> None:
    page = client.get("/", headers=HTML).text
    start = page.index('id="chart-commitment"')
    chart = page[start : page.index("</figure>", start)]
    counts = [int(n) for n in re.findall(r'class="value">(\d+)</text>', chart)]
    assert sorted(counts, reverse=True) == sorted(
        summary["memberships_by_commitment"].values(), reverse=True
    )
    figures = client.get("/-/stats.json").json()["membershipsByCommitment"]
    assert {c["iri"].rsplit("/", 1)[-1]: c["count"] for c in figures} == summary[
        "memberships_by_commitment"
    ]


def test_no_mayor_name_is_served(client: TestClient) -> None:
    book = load_workbook(SOURCES_DIR / GCOM_WORKBOOK, read_only=True)
    try:
        rows = book["1"].iter_rows(values_only=True)
        header = next(rows)
        country, mayor = header.index("country_code"), header.index("mayor")
        names = {r[mayor].strip() for r in rows if r[country] == "fr" and isinstance(r[mayor], str)}
    finally:
        book.close()
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names) if len(n) > 3))
    served = {
        "page": client.get(GRENOBLE, headers=HTML).text,
        "query": client.get("/api/members-of-a-network", headers={"Accept": "text/csv"}).text,
        "dump": client.get("/dumps/aict.nq").text,
    }
    for what, text in served.items():
        assert len(text) > 1000, what
        found = pattern.search(text)
        assert found is None, f"the {what} names a mayor at offset {found.start()}"


def test_covenant_distribution_credits_the_jrc(client: TestClient) -> None:
    """CC BY 4.0 asks for credit and an indication of changes: the catalog gives the JRC's
    citation, the licence and what was changed, and the distribution's URL answers."""
    graph = Graph().parse(data=client.get("/catalog", headers={"Accept": "text/turtle"}).text)
    dataset = URIRef(PUBLIC + "catalog#dataset")
    assert (dataset, DCAT.distribution, GCOM_NODE) in graph
    assert graph.value(GCOM_NODE, DCTERMS.bibliographicCitation) == Literal(GCOM_CITATION)
    assert graph.value(GCOM_NODE, DCTERMS.license) == GCOM_LICENCE
    descriptions = {d.language: str(d) for d in graph.objects(GCOM_NODE, DCTERMS.description)}
    assert GCOM_CITATION in descriptions["en"] and GCOM_CITATION in descriptions["fr"]
    assert "mayors' names left out" in descriptions["en"]
    url = str(graph.value(GCOM_NODE, DCAT.accessURL))
    assert url == PUBLIC + "api/members-of-a-network"
    assert client.get(url.removeprefix(PUBLIC.rstrip("/"))).status_code == 200
    page = client.get("/catalog", headers={"Accept": "text/html"})
    assert "Joint Research Centre (JRC)" in page.text and "CC BY 4.0" in page.text


@pytest.mark.parametrize(("lang", "kind"), [("fr", "adhésion"), ("en", "membership")])
def test_search_names_a_membership_in_the_page_language(
    client: TestClient, lang: str, kind: str
) -> None:
    # The data gives org:Membership no label: the search badge said "Membership" on the
    # French page; the publisher's own labels of reused terms now name it.
    page = client.get("/search", params={"q": "dijon", "lang": lang}, headers=HTML).text
    assert "/id/membership/gcom-" in page
    assert f'<span class="type">{kind}</span>' in page
    assert '<span class="type">Membership</span>' not in page
    membership = re.search(r'href="[^"]*/id/membership/(gcom-\d+)"', page)
    assert membership is not None
    described = client.get(
        f"/id/membership/{membership.group(1)}", params={"lang": lang}, headers=HTML
    )
    assert "org:memberDuring" not in described.text
