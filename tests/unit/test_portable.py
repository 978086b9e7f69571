"""Queries as a remote engine receives them (publisher.sparql.portable), evaluated here by
pyoxigraph as a stand-in engine; the same rewrites run against Oxigraph server and Virtuoso
in tests/e2e/test_remote_engines.py."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from publisher.folding import fold
from publisher.sparql.portable import portable_query, with_row_limit
from publisher.web.label_search import LabelIndex

CAP = 10001


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", f"SELECT * WHERE {{ ?s ?p ?o }}\nLIMIT {CAP}\n"),
        ("SELECT * { ?s ?p ?o } LIMIT 5", "SELECT * { ?s ?p ?o } LIMIT 5"),
        (
            "SELECT * { ?s ?p ?o } LIMIT 50000 OFFSET 3",
            f"SELECT * {{ ?s ?p ?o }} LIMIT {CAP} OFFSET 3",
        ),
        # The subquery's LIMIT is not the query's; a trailing comment does not swallow ours.
        (
            "SELECT * { { SELECT * { ?s ?p ?o } LIMIT 99999 } } # done",
            f"SELECT * {{ {{ SELECT * {{ ?s ?p ?o }} LIMIT 99999 }} }} # done\nLIMIT {CAP}\n",
        ),
        # The trailing VALUES block comes after the solution modifiers.
        (
            "SELECT ?x { ?x ?p ?o } VALUES ?x { <urn:a> }",
            f"SELECT ?x {{ ?x ?p ?o }} \nLIMIT {CAP}\nVALUES ?x {{ <urn:a> }}",
        ),
        # A keyword in a string or an IRI is not one.
        (
            'PREFIX a: <urn:LIMIT> SELECT ("LIMIT 3" AS ?l) {}',
            f'PREFIX a: <urn:LIMIT> SELECT ("LIMIT 3" AS ?l) {{}}\nLIMIT {CAP}\n',
        ),
        # Sorted (Virtuoso refuses a sorted LIMIT past 10,000), ASK, CONSTRUCT: kept.
        ("SELECT * { ?s ?p ?o } ORDER BY ?s", "SELECT * { ?s ?p ?o } ORDER BY ?s"),
        ("ASK { ?s ?p ?o }", "ASK { ?s ?p ?o }"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"),
    ],
)
def test_a_select_asks_the_engine_for_our_row_cap(query, expected):
    assert with_row_limit(query, CAP) == expected
    ox.Store().query(expected)  # still a valid query


def test_the_row_cap_limits_what_the_engine_computes():
    store = ox.Store()
    for n in range(30):
        store.add(ox.Quad(ox.NamedNode(f"urn:s{n}"), ox.NamedNode("urn:p"), ox.Literal(n)))
    assert len(list(store.query(with_row_limit("SELECT * { ?s ?p ?o }", 11)))) == 11


LABELS = ["Saint-Étienne", "Saint-Etienne", "Besançon", "Dijon", "Saint-Étienne-du-Rouvray"]
FOLD_QUERY = """PREFIX aictfn: <https://w3id.org/aict/function#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s WHERE {
  ?s skos:prefLabel ?name FILTER(COALESCE(aictfn:fold(?name) = aictfn:fold(?city), true))
}"""


@pytest.fixture(scope="module")
def labelled() -> tuple[ox.Store, LabelIndex]:
    store = ox.Store()
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    for n, text in enumerate(LABELS):
        store.add(ox.Quad(ox.NamedNode(f"urn:c{n}"), label, ox.Literal(text, language="fr")))
    index = LabelIndex(tuple(sorted((fold(t), f"urn:c{n}", t) for n, t in enumerate(LABELS))))
    return store, index


@pytest.mark.parametrize(
    ("city", "found"),
    [
        ("saint etienne", {"urn:c0", "urn:c1"}),
        ("SAINT-ÉTIENNE", {"urn:c0", "urn:c1"}),
        ("besancon", {"urn:c2"}),
        ("Dijon", {"urn:c3"}),
        ("Lyon", set()),
    ],
)
def test_fold_compared_to_a_name_lists_the_labels_built_for_it(labelled, city, found):
    store, index = labelled
    text = portable_query(
        FOLD_QUERY, base_iri=None, bindings={"city": ox.Literal(city)}, names=index.labels_folded_as
    )
    assert "aictfn" not in text.split("SELECT", 1)[1]  # nothing left for the engine to refuse
    rows = store.query(text)
    assert {row["s"].value for row in rows} == found


def test_the_label_index_gives_the_labels_of_one_folded_name(labelled):
    _, index = labelled
    assert sorted(index.labels_folded_as("saint etienne")) == ["Saint-Etienne", "Saint-Étienne"]
    assert index.labels_folded_as("saint") == []
