"""Accent- and case-forgiving search over labels."""

from __future__ import annotations

from publisher.web.label_search import LabelIndex, fold


def index(*labels: tuple[str, str]) -> LabelIndex:
    return LabelIndex(tuple(sorted((fold(label), iri, label) for iri, label in labels)))


def test_fold() -> None:
    assert fold("Saint-Étienne") == "saint etienne"
    assert fold("  Chişinău ") == "chisinau"
    assert fold("Œuvre—Straße") == "oeuvre strasse"


def test_exact_then_prefix_then_contains_then_shorter() -> None:
    found = index(
        ("a", "Jumelage Dijon – Mainz"),
        ("b", "Dijon"),
        ("c", "Dijon Métropole"),
        ("d", "Côte-d'Or (Dijon)"),
    ).search("DIJON", 10)
    assert [hit.iri for hit in found] == ["b", "c", "d", "a"]


def test_every_word_must_match_and_each_resource_comes_once() -> None:
    idx = index(("a", "Jumelage Dijon – Mainz"), ("a", "Twinning Dijon – Mainz"), ("b", "Mainz"))
    assert [hit.iri for hit in idx.search("mainz dijon", 10)] == ["a"]
    assert [hit.iri for hit in idx.search("mainz", 10)] == ["b", "a"]


def test_too_short_or_empty_queries_find_nothing() -> None:
    idx = index(("a", "Ay"))
    assert idx.search("", 10) == [] and idx.search(" - ", 10) == [] and idx.search("a", 10) == []
    assert [hit.iri for hit in idx.search("ay", 10)] == ["a"]


def test_limit() -> None:
    idx = index(*((str(i), f"Ville {i}") for i in range(30)))
    assert len(idx.search("ville", 5)) == 5
