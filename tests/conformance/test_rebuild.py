"""The committed dataset is exactly what `aict import` builds from data/sources, and the
README figures are exactly those of data/reports/summary.json."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
from rdflib.namespace import PROV, RDF

from publisher.config import DATASET_DIR, PROJECT_ROOT, SOURCES_DIR
from publisher.importer import build_dataset
from publisher.importer.build import REPORTS_DIR
from publisher.importer.summary import render_figures, replace_figures
from publisher.importer.twinnings import OUTSIDE_COUNTRY
from publisher.namespaces import AICT


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("rebuild")
    build_dataset(SOURCES_DIR, root / "dataset", root / "reports")
    return root / "dataset", root / "reports"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_rebuilt_dataset_is_byte_identical(rebuilt: tuple[Path, Path]) -> None:
    committed, fresh = _files(DATASET_DIR), _files(rebuilt[0])
    assert sorted(fresh) == sorted(committed)
    for name, content in fresh.items():
        assert content == committed[name], f"data/dataset/{name} is stale: run `aict import`"


def test_rebuilt_reports_are_byte_identical(rebuilt: tuple[Path, Path]) -> None:
    committed, fresh = _files(REPORTS_DIR), _files(rebuilt[1])
    assert fresh == committed, "data/reports is stale: run `aict import`"


def test_readme_figures_are_those_of_the_summary() -> None:
    summary = json.loads((REPORTS_DIR / "summary.json").read_text(encoding="utf-8"))
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert replace_figures(readme, render_figures(summary)) == readme, (
        "README figures are stale: run `aict import --update-readme`"
    )


def test_summary_agrees_with_the_reject_report() -> None:
    summary = json.loads((REPORTS_DIR / "summary.json").read_text(encoding="utf-8"))
    with (REPORTS_DIR / "rejects.csv").open(encoding="utf-8", newline="") as handle:
        problems = list(csv.DictReader(handle))
    # A partner position outside its country is reported, but its row is imported without it.
    rejects = [r for r in problems if r["reason"] != OUTSIDE_COUNTRY]
    outside = [r for r in problems if r["reason"] == OUTSIDE_COUNTRY]
    assert len({r["line"] for r in rejects}) == summary["rejected_rows"]
    assert Counter(r["reason"] for r in rejects) == Counter(summary["rejects_by_reason"])
    assert len(outside) == summary["partner_coordinates_outside_country"]["rows"]
    assert not {r["line"] for r in outside} & {r["line"] for r in rejects}
    assert summary["imported_rows"] + summary["rejected_rows"] == summary["french_rows"]
    assert summary["imported_rows"] == summary["partnerships"] + summary["merged_duplicates"]


def test_gcom_rows_meet_the_target_and_every_other_row_is_reported_with_its_reason() -> None:
    gcom = json.loads((REPORTS_DIR / "summary.json").read_text(encoding="utf-8"))["gcom"]
    with (REPORTS_DIR / "gcom_rejects.csv").open(encoding="utf-8", newline="") as handle:
        rejects = list(csv.DictReader(handle))
    assert gcom["resolved_rows"] / gcom["french_rows"] >= 0.95 and gcom["target_met"] is True
    assert gcom["resolved_rows"] + gcom["rejected_rows"] == gcom["french_rows"]
    assert len({r["line"] for r in rejects}) == gcom["rejected_rows"]
    assert all(r["reason"] for r in rejects)


def test_every_derivation_points_at_a_described_source() -> None:
    derived_from, rdf_type = str(PROV.wasDerivedFrom), str(RDF.type)
    kinds = {str(AICT.SourceRecord), str(PROV.Entity)}
    described: set[str] = set()
    targets: dict[str, set[str]] = {}
    for path in sorted(DATASET_DIR.glob("*.ttl")):
        for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
            predicate = quad.predicate.value
            if predicate == rdf_type and quad.object.value in kinds:
                described.add(quad.subject.value)
            elif predicate == derived_from:
                targets.setdefault(path.name, set()).add(quad.object.value)
    assert targets, "no prov:wasDerivedFrom at all"
    for name, used in targets.items():
        assert used <= described, f"{name}: {sorted(used - described)[:3]}"


def test_build_reads_nothing_outside_the_repository() -> None:
    for module in (PROJECT_ROOT / "publisher" / "importer").glob("*.py"):
        assert "shared/" not in module.read_text(encoding="utf-8"), module.name
