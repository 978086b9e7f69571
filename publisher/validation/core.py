"""`validate()`: the one validation core the CLI and the publisher's POST /validate share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, BNode, Graph, URIRef
from rdflib.term import Node

from publisher.config import Settings
from publisher.errors import InputError
from publisher.namespaces import SH
from publisher.validation.engines import RawResult, run_engine
from publisher.validation.focus import TARGET_PREDICATES, restrict_targets
from publisher.validation.ill_typed import (
    IllTyped,
    failed_rule,
    ill_typed_messages,
    is_nesting,
    stand_in_ill_typed,
)
from publisher.validation.incomparable import without_incomparable
from publisher.validation.inputs import InputErrors, Source, expand_paths, load_sources
from publisher.validation.lines import LineIndex
from publisher.validation.literals import quiet_rdflib_about_ill_typed
from publisher.validation.messages import word_result
from publisher.validation.parsing import parse_source
from publisher.validation.partial_dates import register_partial_dates
from publisher.validation.paths import predicate_of
from publisher.validation.rdf_lists import looping_list_node
from publisher.validation.reference import ReferenceData, load_reference
from publisher.validation.report import Report, Result, Severity, result_order
from publisher.validation.shapes import load_shapes, reach_depth, read_predicates
from publisher.validation.tabular import TABULAR_FORMATS, Cell, CellIndex, parse_tabular
from publisher.validation.terms import compact_text, node_string, term_string
from publisher.validation.unknown_terms import (
    OUR_NAMESPACES,
    Finding,
    Vocabulary,
    find_unknown_terms,
)

_NODE_COMPONENT = str(SH.NodeConstraintComponent)
# sh:node inside sh:node inside sh:node: deeper reasons are rarely useful and cost a run each.
_EXPLAIN_DEPTH = 3
_SEVERITIES = {
    str(SH.Violation): Severity.VIOLATION,
    str(SH.Warning): Severity.WARNING,
    str(SH.Info): Severity.INFO,
}


@dataclass
class _Parsed:
    source: Source
    graph: Graph
    lines: LineIndex | CellIndex


def validate(
    inputs: Sequence[Path | Source],
    *,
    settings: Settings,
    shapes: Sequence[Path] = (),
    engine: str = "pyshacl",
    input_format: str | None = None,
    project_shapes: bool = True,
    reference_data: bool = True,
    together: bool = True,
) -> Report:
    """Validate files, folders or in-memory sources against our shapes (plus `shapes`), with
    the ontology, vocabularies and published dataset as reference data: all the inputs as
    one graph (`together`, as SHACL validates one data graph), or each file apart.

    Raises InputError (InputErrors when several) for anything that cannot be read; the
    returned Report holds the SHACL results about the contribution, each with its file/line.
    """
    register_partial_dates()
    quiet_rdflib_about_ill_typed()
    sources = load_sources(inputs, max_bytes=settings.max_input_bytes, forced_format=input_format)
    if not sources:
        raise InputError(
            "no RDF files found (looked for: .ttl .nt .nq .trig .jsonld .rdf .owl .xml)"
        )
    parsed = _parse_all(sources)
    shapes_graph, shape_names = load_shapes(
        shapes, max_bytes=settings.max_input_bytes, project_shapes=project_shapes
    )
    reference = None
    if reference_data:
        on_disk = [p for p in inputs if isinstance(p, Path)]
        reference = load_reference(exclude=expand_paths(on_disk))
    # Results are kept apart even when they read alike: SHACL reports each constraint (two
    # sh:class of one shape failing on one node are two results).
    results: list[Result] = []
    triples = 0
    for group in [parsed] if together else [[item] for item in parsed]:
        found, size = _check(group, shapes_graph, reference, engine)
        triples += size
        results += found
    return Report(
        files=tuple(item.source.name for item in parsed),
        results=tuple(sorted(results, key=result_order)),
        engine=engine,
        triples=triples,
        shapes=tuple(shape_names),
    )


def _check(
    parsed: list[_Parsed], shapes_graph: Graph, reference: ReferenceData | None, engine: str
) -> tuple[list[Result], int]:
    """The results of validating these parsed sources as one graph, and its size."""
    contribution = Graph()
    for item in parsed:
        contribution += item.graph
    data = contribution
    keep = _everything
    vocabulary: Vocabulary | None = None
    if reference is not None:
        subjects = set(contribution.subjects())
        seeds = subjects | {
            o
            for p, o in contribution.predicate_objects()
            if isinstance(o, URIRef) and p != RDF.type
        }
        mentioned = seeds | set(contribution.objects())
        data = reference.reachable(
            seeds, reach_depth(shapes_graph), read_predicates(shapes_graph), into=contribution
        )

        def keep(focus: Node) -> bool:
            return focus in subjects or (focus in mentioned and not reference.describes(focus))

        vocabulary = Vocabulary.of(
            shapes_graph, reference.defined(OUR_NAMESPACES), reference.terms()
        )

    ill_typed = stand_in_ill_typed(data, contribution)
    focused = restrict_targets(shapes_graph, data, keep)
    raw_results = [raw for raw in run_engine(engine, data, focused) if keep(raw.focus)]
    explanations = _explain(engine, data, shapes_graph, raw_results, _EXPLAIN_DEPTH)
    if ill_typed:
        raw_results, explanations = _without_ill_typed(
            raw_results, explanations, ill_typed, shapes_graph, data
        )
    raw_results = without_incomparable(raw_results, shapes_graph, data)
    explanations = {
        key: without_incomparable(nested, shapes_graph, data)
        for key, nested in explanations.items()
    }
    results = _ill_typed_results(ill_typed, set(focused.objects(None, SH.targetNode)), parsed)
    results += [_result(raw, shapes_graph, parsed, explanations) for raw in raw_results]
    if vocabulary is not None:
        for item in parsed:
            results += [
                _finding_result(f, item) for f in find_unknown_terms(item.graph, vocabulary)
            ]
    return results, len(data)


def _without_ill_typed(
    raws: list[RawResult],
    explanations: dict[tuple[Node, Node], list[RawResult]],
    ill_typed: IllTyped,
    shapes: Graph,
    data: Graph,
) -> tuple[list[RawResult], dict[tuple[Node, Node], list[RawResult]]]:
    """The results minus those about ill-typed values (reported once, by
    `_ill_typed_results`), including a nested-shape failure whose every reason was one."""
    kept_explanations: dict[tuple[Node, Node], list[RawResult]] = {}
    for key, nested in explanations.items():
        kept = [r for r in nested if not ill_typed.about_ill_typed(r, shapes, data)]
        if kept or not nested:
            kept_explanations[key] = kept
    kept_raws = []
    for raw in raws:
        if ill_typed.about_ill_typed(raw, shapes, data):
            continue
        key = (raw.shape, raw.value)
        if is_nesting(raw.component) and key in explanations and key not in kept_explanations:
            continue
        kept_raws.append(raw)
    return kept_raws, kept_explanations


def _ill_typed_results(
    ill_typed: IllTyped, focus_nodes: set[Node], parsed: list[_Parsed]
) -> list[Result]:
    """One violation per ill-typed literal that validation reads (a value of a focus node or
    one a rule failed on), at the line where it is written, under the rule it fails."""
    results = []
    for subject, predicate, value, stand_in in ill_typed.triples:
        failures = ill_typed.failed.get(stand_in, set())
        if not failures and subject not in focus_nodes:
            continue
        component, shape = failed_rule(failures)
        french, english = ill_typed_messages(value)
        file, line = _locate_value(subject, predicate, value, parsed)
        results.append(
            Result(
                severity=Severity.VIOLATION,
                message_fr=french,
                message_en=english,
                focus_node=node_string(subject),
                path=term_string(predicate),
                value=term_string(value),
                constraint_component=component,
                source_shape=node_string(shape),
                file=file,
                line=line,
            )
        )
    return results


def _finding_result(finding: Finding, item: _Parsed) -> Result:
    line = item.lines.line_of_value(finding.subject, finding.predicate, finding.value)
    return Result(
        severity=finding.severity,
        message_fr=finding.message_fr,
        message_en=finding.message_en,
        focus_node=node_string(finding.subject),
        path=term_string(finding.predicate),
        value=term_string(finding.term) if finding.term != finding.predicate else None,
        constraint_component=finding.component,
        source_shape=str(finding.shape),
        file=item.source.name,
        line=line or item.lines.line_of(finding.subject),
    )


def _result(
    raw: RawResult,
    shapes: Graph,
    parsed: list[_Parsed],
    explanations: dict[tuple[Node, Node], list[RawResult]],
    depth: int = 0,
) -> Result:
    cell = _locate_cell(raw.focus, raw.path, str(raw.shape), parsed)
    column, field = (cell.column, cell.field) if cell is not None else (None, None)
    predicate = predicate_of(raw.path)
    if cell is not None:
        file, line = cell.file, cell.row
    elif raw.value is not None and predicate is not None:
        file, line = _locate_value(raw.focus, predicate, raw.value, parsed)
    else:
        file, line = _locate(raw.focus, parsed)
    french, english = word_result(shapes, raw.shape, raw.component, raw.messages, _short_term)
    details: tuple[Result, ...] = ()
    if raw.value is not None and depth < _EXPLAIN_DEPTH:
        nested = explanations.get((raw.shape, raw.value), [])
        details = tuple(
            dict.fromkeys(_result(d, shapes, parsed, explanations, depth + 1) for d in nested)
        )
    return Result(
        severity=_SEVERITIES.get(raw.severity, Severity.VIOLATION),
        message_fr=french,
        message_en=english,
        focus_node=node_string(raw.focus),
        path=raw.path,
        value=term_string(raw.value) if raw.value is not None else None,
        constraint_component=raw.component,
        source_shape=node_string(raw.shape),
        file=file,
        line=line,
        details=details,
        column=column,
        field=field,
    )


def _explain(
    engine: str, data: Graph, shapes: Graph, raws: list[RawResult], depth: int
) -> dict[tuple[Node, Node], list[RawResult]]:
    """For each sh:node failure, the results of its value node against the nested shape.

    SHACL reports only "the value does not conform to the shape"; the reasons are what a
    contributor needs. One extra engine run per nesting level targets each failing value node
    with its shape alone, so both engines explain alike."""
    explanations: dict[tuple[Node, Node], list[RawResult]] = {}
    pending = [r for r in raws if r.component == _NODE_COMPONENT and _is_node(r.value)]
    for _ in range(depth):
        if not pending:
            break
        probe = Graph()
        for triple in shapes:
            if triple[1] not in TARGET_PREDICATES:
                probe.add(triple)
        wanted: dict[Node, list[tuple[Node, Node]]] = {}
        for raw in pending:
            for nested in shapes.objects(raw.shape, SH.node):
                probe.add((nested, SH.targetNode, raw.value))
                wanted.setdefault(raw.value, []).append((raw.shape, nested))
        found = [r for r in run_engine(engine, data, probe) if r.focus in wanted]
        for raw in found:
            for parent_shape, _nested in wanted[raw.focus]:
                explanations.setdefault((parent_shape, raw.focus), []).append(raw)
        pending = [r for r in found if r.component == _NODE_COMPONENT and _is_node(r.value)]
    return explanations


def _is_node(term: Node | None) -> bool:
    return isinstance(term, (URIRef, BNode))


def _everything(_: Node) -> bool:
    return True


def _parse_all(sources: list[Source]) -> list[_Parsed]:
    """Every source parsed; all unreadable ones reported together, not only the first."""
    parsed: list[_Parsed] = []
    errors: list[InputError] = []
    for index, source in enumerate(sources):
        try:
            if source.format in TABULAR_FORMATS:
                graph, cells = parse_tabular(source)
                parsed.append(_Parsed(source, graph, cells))
                continue
            labels: dict[str, str] = {}
            graph = parse_source(source, index, labels)
        except InputErrors as exc:
            errors.extend(exc.errors)
            continue
        except InputError as exc:
            errors.append(exc)
            continue
        lines = LineIndex(source, graph, labels)
        looping = looping_list_node(graph)
        if looping is not None:
            errors.append(_looping_list_error(source, lines.line_of(looping)))
            continue
        parsed.append(_Parsed(source, graph, lines))
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InputErrors(errors)
    return parsed


def _looping_list_error(source: Source, line: int | None) -> InputError:
    return InputError(
        "this list (rdf:List) loops: its rdf:rest links lead back to one of its own nodes "
        "instead of ending with rdf:nil",
        file=source.name,
        line=line,
        message_fr="cette liste (rdf:List) boucle : ses liens rdf:rest reviennent sur l'un de "
        "ses propres nœuds au lieu de finir par rdf:nil",
    )


def _locate_value(
    subject: Node, predicate: Node, value: Node, parsed: list[_Parsed]
) -> tuple[str | None, int | None]:
    """The file and line where `value` is written for `subject` and `predicate`; else where
    `subject` is described."""
    for item in parsed:
        if (subject, predicate, value) in item.graph:
            line = item.lines.line_of_value(subject, predicate, value)
            return item.source.name, line or item.lines.line_of(subject)
    return _locate(subject, parsed)


def _locate(focus: Node, parsed: list[_Parsed]) -> tuple[str | None, int | None]:
    """The file and line describing `focus`: the first file where it is typed (its main
    description, when several files add to it), else where it is a subject, else the first
    that mentions it."""
    for item in parsed:
        if (focus, RDF.type, None) in item.graph:
            return item.source.name, item.lines.line_of(focus)
    for item in parsed:
        if (focus, None, None) in item.graph:
            return item.source.name, item.lines.line_of(focus)
    for item in parsed:
        if (None, None, focus) in item.graph:
            return item.source.name, item.lines.line_of(focus)
    return None, None


def _locate_cell(focus: Node, path: str | None, shape: str, parsed: list[_Parsed]) -> Cell | None:
    """For a focus node of a spreadsheet, the cell to fix (the cell of `path` in its row)."""
    for pattern in ((focus, None, None), (None, None, focus)):
        for item in parsed:
            if pattern in item.graph:
                if isinstance(item.lines, CellIndex):
                    return item.lines.cell_of(focus, path, shape)
                return None
    return None


def _short_term(node: Node) -> str:
    return compact_text(term_string(node))
