"""The bundled dataset, as the store serves it (ontology, vocabularies and data/dataset/
loaded into the store and read back from its dump), conforms to the shapes: no violation.
Warnings are allowed and counted (printed with `pytest -s`)."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import BNode, Literal
from shapes_support import (
    DATASET_FILES,
    built_graph,
    dataset_and_examples_results,
    example_graphs,
    reference_graph,
)

from publisher.config import DATASET_DIR

# Skipped only when the dataset folder is absent (a fresh checkout always has it: it is
# committed, built by `aict import`).
pytestmark = pytest.mark.skipif(
    not DATASET_DIR.is_dir(), reason="data/dataset/ is absent: run `aict import`"
)


def _example_nodes() -> set:
    return {s for graph in example_graphs().values() for s in graph.subjects()}


def _without_blank_nodes(graph) -> set:
    return {t for t in graph if not any(isinstance(n, BNode) for n in t)}


def test_dataset_has_files():
    assert DATASET_FILES, "data/dataset/ holds no Turtle file"


def test_the_store_serves_every_literal_as_built():
    """What was built and validated is what users download: the store changes no datatype
    and no lexical form (Oxigraph keeps derived integer types as xsd:integer and numbers in
    their canonical form, so the importer must write them that way)."""
    built, served = _without_blank_nodes(built_graph()), _without_blank_nodes(reference_graph())
    changed = sorted(built - served)
    datatypes = Counter(str(o.datatype) for _s, _p, o in changed if isinstance(o, Literal))
    shown = "\n".join(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in changed[:10])
    assert not changed, f"{len(changed)} triple(s) served otherwise, {dict(datatypes)}:\n{shown}"
    assert built == served


def test_served_dataset_conforms_to_the_shapes():
    examples = _example_nodes()
    results = [r for r in dataset_and_examples_results() if r.focus not in examples]
    violations = [r for r in results if r.severity == "Violation"]
    warnings = Counter(str(r.shape).rsplit("#", 1)[-1] for r in results if r.severity == "Warning")
    print(f"\ndataset: {len(violations)} violation(s), {sum(warnings.values())} warning(s)")
    for shape, count in warnings.most_common():
        print(f"  {count:6d} warning(s) from {shape}")
    shown = "\n".join(
        f"{r.focus} {r.path} {r.component}: {r.messages.get('en')}" for r in violations[:20]
    )
    assert not violations, f"{len(violations)} violation(s), first ones:\n{shown}"
