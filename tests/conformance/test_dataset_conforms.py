"""The bundled dataset (data/dataset/) conforms to the shapes: no violation. Warnings are
allowed and counted (printed with `pytest -s`)."""

from __future__ import annotations

from collections import Counter

import pytest
from shapes_support import DATASET_FILES, dataset_and_examples_results, example_graphs

from publisher.config import DATASET_DIR

# Skipped only when the dataset folder is absent (a fresh checkout always has it: it is
# committed, built by `aict import`).
pytestmark = pytest.mark.skipif(
    not DATASET_DIR.is_dir(), reason="data/dataset/ is absent: run `aict import`"
)


def _example_nodes() -> set:
    return {s for graph in example_graphs().values() for s in graph.subjects()}


def test_dataset_has_files():
    assert DATASET_FILES, "data/dataset/ holds no Turtle file"


def test_dataset_conforms_to_the_shapes():
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
