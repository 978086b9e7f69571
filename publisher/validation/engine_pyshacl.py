"""pySHACL, the default engine and the reference."""

from __future__ import annotations

import logging

from rdflib import Graph, Literal

from publisher.errors import InputError
from publisher.namespaces import SH
from publisher.validation.paths import path_to_string
from publisher.validation.raw_result import RawResult


def run_pyshacl(data: Graph, shapes: Graph) -> list[RawResult]:
    import pyshacl
    from pyshacl.errors import ReportableRuntimeError, ShapeLoadError

    # pySHACL logs shape problems as warnings on the root logger; our report says enough.
    logging.getLogger("pyshacl").setLevel(logging.ERROR)
    try:
        _, report, _ = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            abort_on_first=False,
            allow_infos=True,
            allow_warnings=True,
            do_owl_imports=False,  # never fetch anything
            inplace=True,  # the data graph is built for this run: no need for pySHACL's copy
        )
    except (ShapeLoadError, ReportableRuntimeError) as exc:
        raise InputError(f"the shapes cannot be used: {exc.message}", field="--shapes") from None
    results: list[RawResult] = []
    # Only top-level results: pySHACL also types the nested sh:detail results.
    for node in report.objects(None, SH.result):
        path_node = report.value(node, SH.resultPath)
        results.append(
            RawResult(
                focus=report.value(node, SH.focusNode),
                path=path_to_string(report, path_node) if path_node is not None else None,
                value=report.value(node, SH.value),
                component=str(report.value(node, SH.sourceConstraintComponent)),
                shape=report.value(node, SH.sourceShape),
                severity=str(report.value(node, SH.resultSeverity)),
                messages=tuple(
                    m for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)
                ),
            )
        )
    return results
