"""The catalog passes the official DCAT-AP 3.0.0 SHACL shapes (tests/data/dcat-ap-3.0.0)."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph
from rdflib.namespace import SH

from publisher.catalog import Publication
from publisher.config import Settings
from publisher.store import open_store

SHAPES = "dcat-ap-3.0.0/dcat-ap-SHACL.ttl"


@pytest.fixture(scope="module")
def shapes(test_data) -> Graph:
    return Graph().parse(test_data / SHAPES, format="turtle")


@pytest.fixture(scope="module")
def catalog(test_data) -> Graph:
    settings = Settings(data_paths=[test_data / "publisher"])
    return Publication(open_store(settings), settings).catalog()


def _results(report: Graph, severity) -> list:
    return list(report.subjects(SH.resultSeverity, severity))


def test_catalog_conforms_to_dcat_ap_3(catalog, shapes):
    conforms, report, text = pyshacl.validate(catalog, shacl_graph=shapes, allow_warnings=True)
    assert conforms, text
    # Reported so a regression in recommended properties shows up in the test output.
    warnings = len(_results(report, SH.Warning))
    print(f"DCAT-AP 3.0.0: conforms, {warnings} warnings")
    assert warnings == 0


def test_the_shapes_catch_a_broken_catalog(catalog, shapes):
    broken = Graph()
    for triple in catalog:
        if str(triple[1]) != "http://purl.org/dc/terms/title":
            broken.add(triple)
    conforms, report, _ = pyshacl.validate(broken, shacl_graph=shapes)
    assert not conforms
    assert _results(report, SH.Violation)
