"""Benchmark of `aict validate` against plain pySHACL on the same files.

    .venv/bin/python bench/bench_validate.py [--runs 5] [--baseline-runs 3] [--skip-dataset]

1. A 100-action contribution, generated deterministically from real IRIs of the bundled
   reference data (French communes, countries, vocabulary concepts), validated against the
   full reference data: our core with pySHACL and with shacl-rust, each run from a cold cache
   (reference store and shapes reloaded), then plain pySHACL (rdflib parses the contribution
   and every reference file into one graph, then pyshacl.validate with our shapes).
2. The whole bundled dataset (data/dataset/*.ttl) validated the same three ways.

First, a correctness check: on the fixtures of every kind of mistake (tests/data/shapes and
tests/data/validation/contributions), our results must be the set plain pySHACL gives over
the fixtures plus all the reference data (restricted to the nodes the fixtures describe).

Prints a markdown table of medians (seconds) and result counts. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.config import DATASET_DIR, Settings  # noqa: E402
from publisher.namespaces import AICT, EU_COUNTRY, VOCAB_BASE  # noqa: E402
from publisher.validation import reference as reference_module  # noqa: E402
from publisher.validation import shapes as shapes_module  # noqa: E402
from publisher.validation import validate  # noqa: E402
from publisher.validation.reference import reference_files  # noqa: E402
from publisher.validation.shapes import project_shape_files  # noqa: E402

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS_IN_SCHEME = "http://www.w3.org/2004/02/skos/core#inScheme"


def _instances(store: ox.Store, cls: str) -> list[str]:
    quads = store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls))
    return sorted(q.subject.value for q in quads)


def _concepts(store: ox.Store, scheme: str) -> list[str]:
    quads = store.quads_for_pattern(
        None, ox.NamedNode(SKOS_IN_SCHEME), ox.NamedNode(VOCAB_BASE + scheme)
    )
    return sorted({q.subject.value for q in quads})


def build_contribution(actions: int = 100) -> str:
    """Turtle for `actions` well-formed actions pointing at real reference IRIs; the same
    text on every run (picks are by sorted position, no randomness)."""
    store = reference_module.load_reference().store
    communes = _instances(store, str(AICT.FrenchLocalAuthority))
    countries = sorted(
        {
            q.subject.value
            for q in store.quads_for_pattern(None, None, None)
            if q.subject.value.startswith(str(EU_COUNTRY))
        }
    )
    types = _concepts(store, "action-type")
    themes = _concepts(store, "theme")
    statuses = _concepts(store, "status")
    if not (communes and countries and types and themes and statuses):
        raise SystemExit("the reference data lacks communes, countries or vocabularies")
    lines = [
        "@prefix aict: <https://w3id.org/aict/ontology#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix adms: <http://www.w3.org/ns/adms#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
    ]
    for i in range(actions):
        commune = communes[(i * 37) % len(communes)]
        year = 2015 + i % 10
        lines += [
            f"<https://w3id.org/aict/id/action/bench-{i:03d}> a aict:Action ;",
            f'    skos:prefLabel "Action de référence {i}"@fr, "Benchmark action {i}"@en ;',
            f'    dct:description "Action générée pour la mesure {i}."@fr ;',
            f"    aict:actionType <{types[i % len(types)]}> ;",
            f"    aict:leadAuthority <{commune}> ;",
            f"    dct:spatial <{countries[(i * 7) % len(countries)]}> ;",
            f"    aict:theme <{themes[i % len(themes)]}> ;",
            f"    adms:status <{statuses[i % len(statuses)]}> ;",
            "    dct:temporal [ a dct:PeriodOfTime ;",
            f'        dcat:startDate "{year}-01-01"^^xsd:date ;',
            f'        dcat:endDate "{year + 2}-12-31"^^xsd:date ] .',
            "",
        ]
    return "\n".join(lines)


def _cold() -> None:
    reference_module._cache.clear()
    shapes_module._parsed_shapes.cache_clear()


def ours(paths: list[Path], engine: str) -> int:
    _cold()
    report = validate(paths, settings=Settings(max_input_bytes=200_000_000), engine=engine)
    return len(report.results)


def plain_pyshacl(paths: list[Path], with_reference: bool) -> int:
    """What a user of pySHACL alone would run on the same files."""
    import pyshacl
    from rdflib import Graph

    data = Graph()
    for path in paths:
        data.parse(path)
    if with_reference:
        for path, _ in reference_files():
            if path not in paths:
                data.parse(path)
    shapes = Graph()
    for path in project_shape_files():
        shapes.parse(path)
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    from publisher.namespaces import SH

    return len(list(report.objects(None, SH.result)))


def result_keys(report_results) -> set[tuple]:
    return {
        (
            "_:" if r.focus_node.startswith("_:") else r.focus_node,
            r.path,
            r.constraint_component,
            r.severity.value,
        )
        for r in report_results
    }


def check_equivalence(files: list[Path]) -> str:
    """Our results on `files` against plain pySHACL over the files plus every reference file,
    keeping its results whose focus node the files describe: they must be the same set."""
    import pyshacl
    from rdflib import BNode, Graph

    from publisher.namespaces import SH
    from publisher.validation.paths import path_to_string

    ours = {
        engine: result_keys(validate(files, settings=Settings(), engine=engine).results)
        for engine in ("pyshacl", "shacl-rust")
    }
    data, subjects = Graph(), set()
    for path in files:
        graph = Graph().parse(path)
        subjects |= set(graph.subjects())
        data += graph
    for path, _ in reference_files():
        data.parse(path)
    shapes = Graph()
    for path in project_shape_files():
        shapes.parse(path)
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    naive = set()
    for node in report.objects(None, SH.result):
        focus = report.value(node, SH.focusNode)
        if focus not in subjects:
            continue
        path = report.value(node, SH.resultPath)
        naive.add(
            (
                "_:" if isinstance(focus, BNode) else str(focus),
                path_to_string(report, path) if path is not None else None,
                str(report.value(node, SH.sourceConstraintComponent)),
                str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1].lower(),
            )
        )
    verdicts = [
        f"{engine}: {'same' if got == naive else 'DIFFERENT'} ({len(got)} results)"
        for engine, got in ours.items()
    ]
    return f"{len(files)} files, plain pySHACL {len(naive)} results; " + "; ".join(verdicts)


def measure(label: str, runs: int, action: Callable[[], int]) -> tuple[str, float, float, int, int]:
    """Median wall time and median CPU time of this process (all its threads): on a shared
    machine the CPU time is the better estimate of the wall time on an idle one."""
    walls: list[float] = []
    cpus: list[float] = []
    count = 0
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        count = action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        print(
            f"  {label}: {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU, {count} results",
            file=sys.stderr,
        )
    return label, statistics.median(walls), statistics.median(cpus), runs, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of our validator (median)")
    parser.add_argument("--baseline-runs", type=int, default=3, help="runs of plain pySHACL")
    parser.add_argument("--skip-dataset", action="store_true", help="only the contribution")
    args = parser.parse_args()

    fixtures = sorted((ROOT / "tests" / "data" / "shapes").glob("*.ttl")) + sorted(
        (ROOT / "tests" / "data" / "validation" / "contributions").glob("*.ttl")
    )
    fixtures = [f for f in fixtures if f.name not in ("syntax-error.ttl", "junk.ttl")]
    equivalence = check_equivalence(fixtures) if fixtures else "no fixtures"
    print(f"  equivalence: {equivalence}", file=sys.stderr)

    rows: list[tuple[str, str, float, float, int, int]] = []
    with tempfile.TemporaryDirectory() as folder:
        contribution = Path(folder) / "contribution-100-actions.ttl"
        contribution.write_text(build_contribution(), encoding="utf-8")
        case = "100-action contribution + full reference data"
        for label, runs, action in (
            ("aict validate (pySHACL)", args.runs, lambda: ours([contribution], "pyshacl")),
            ("aict validate (shacl-rust)", args.runs, lambda: ours([contribution], "shacl-rust")),
            (
                "plain pySHACL (rdflib parse of everything)",
                args.baseline_runs,
                lambda: plain_pyshacl([contribution], True),
            ),
        ):
            rows.append((case, *measure(label, runs, action)))
    if not args.skip_dataset:
        dataset = sorted(DATASET_DIR.glob("*.ttl"))
        case = f"whole bundled dataset ({len(dataset)} files)"
        for label, runs, action in (
            ("aict validate (pySHACL)", args.baseline_runs, lambda: ours(dataset, "pyshacl")),
            ("aict validate (shacl-rust)", args.runs, lambda: ours(dataset, "shacl-rust")),
            (
                "plain pySHACL (rdflib parse of everything)",
                args.baseline_runs,
                lambda: plain_pyshacl(dataset, True),
            ),
        ):
            rows.append((case, *measure(label, runs, action)))

    load = os.getloadavg()[0]
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{platform.python_implementation()} {platform.python_version()}, load average "
        f"{load:.1f} at the end; medians in seconds, cold caches.\n"
    )
    print(f"Same results as plain pySHACL on the mistake fixtures: {equivalence}.\n")
    print("| case | validator | wall (s) | CPU (s) | runs | results |")
    print("|---|---|---:|---:|---:|---:|")
    for case, label, wall, cpu, runs, count in rows:
        print(f"| {case} | {label} | {wall:.2f} | {cpu:.2f} | {runs} | {count} |")


if __name__ == "__main__":
    main()
