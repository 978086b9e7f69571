"""validate(): the same findings in every input format and with both engines, located by
file and line, with the published data as reference and only the contribution reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.config import Settings
from publisher.errors import InputError
from publisher.validation import InputErrors, Severity, Source, validate

CORE = Path(__file__).resolve().parent.parent / "data" / "validation" / "core"
SHAPES = [CORE / "test-shapes.ttl"]
NODE = "http://www.w3.org/ns/shacl#NodeConstraintComponent"
QUALIFIED = "http://www.w3.org/ns/shacl#QualifiedMinCountConstraintComponent"
ACTION = "https://w3id.org/aict/id/action/no-french-label"

# format -> (line of the action, line of its period's start date, line where the action's
# dct:temporal value is written); JSON-LD gives a nested blank node the line of the node
# above it, and JSON-LD and RDF/XML give a value the line of its subject (best effort, see
# publisher/validation/lines.py).
LINES = {
    "ttl": (9, 14, 13),
    "nt": (1, 6, 5),
    "nq": (1, 6, 5),
    "trig": (8, 13, 12),
    "jsonld": (5, 5, 5),
    "rdf": (7, 12, 7),
}


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(lang="en")


@pytest.fixture(autouse=True)
def _in_core_folder(monkeypatch):
    monkeypatch.chdir(CORE)


def _run(paths, settings, **options):
    return validate(
        [Path(p) for p in paths], settings=settings, shapes=SHAPES, project_shapes=False, **options
    )


@pytest.mark.parametrize("engine", ["pyshacl", "shacl-rust"])
@pytest.mark.parametrize("ext", sorted(LINES))
def test_same_findings_in_every_format(ext, engine, settings):
    report = _run([f"mistakes.{ext}"], settings, engine=engine)
    action_line, period_line, temporal_line = LINES[ext]
    by_component = {r.constraint_component: r for r in report.results}
    assert set(by_component) == {NODE, QUALIFIED}
    label = by_component[QUALIFIED]
    assert (label.file, label.line, label.focus_node) == (f"mistakes.{ext}", action_line, ACTION)
    assert label.message_en == "The French label is missing"
    assert label.message_fr == "Il manque le libellé en français"
    assert label.path == "<http://www.w3.org/2004/02/skos/core#prefLabel>"
    period = by_component[NODE]
    assert period.line == temporal_line
    [reason] = period.details
    assert reason.message_fr == "La date de fin précède la date de début"
    assert (reason.file, reason.line) == (f"mistakes.{ext}", period_line)
    assert reason.value == '"2022-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert report.fails(Severity.VIOLATION)


def test_reference_data_lets_a_contribution_point_at_published_authorities(settings):
    report = _run(["good.ttl"], settings)
    assert report.conforms, report.results
    alone = _run(["good.ttl"], settings, reference_data=False)
    components = sorted(r.constraint_component.rsplit("#")[-1] for r in alone.results)
    # Without the reference data the commune is unknown: not a FrenchLocalAuthority, no code.
    assert components == ["ClassConstraintComponent", "NodeConstraintComponent"]


def test_only_results_about_the_contribution_are_kept(tmp_path, settings):
    # The published action has no lead authority (it would fail these test shapes) but it is
    # reference data: the contribution that links to it is the only thing judged.
    linked = (CORE / "good.ttl").read_text() + (
        "\nid:action\\/test-good dct:isPartOf "
        "<https://w3id.org/aict/id/action/cuf-fonds-solidarite-haiti-2021> .\n"
    )
    path = tmp_path / "linked.ttl"
    path.write_text(linked)
    report = _run([path], settings)
    assert report.conforms, report.results


def test_warnings_pass_unless_asked(tmp_path, settings):
    text = (CORE / "good.ttl").read_text().replace('dct:description "Une action de test."@fr ;', "")
    path = tmp_path / "nodesc.ttl"
    path.write_text(text)
    report = _run([path], settings)
    [warning] = report.results
    assert warning.severity is Severity.WARNING
    assert warning.line == 8
    assert not report.fails(Severity.VIOLATION)
    assert report.fails(Severity.WARNING)


def test_blank_node_labels_stay_apart_across_files(settings):
    report = _run(["mistakes.nt", "mistakes.trig"], settings)
    files = sorted({d.file for r in report.results for d in r.details})
    assert files == ["mistakes.nt", "mistakes.trig"]


def test_every_unreadable_file_is_reported(tmp_path, settings):
    (tmp_path / "a.ttl").write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    (tmp_path / "b.nt").write_text("<http://example.org/a> <http://example.org/b> .\n")
    with pytest.raises(InputErrors) as caught:
        _run([tmp_path], settings)
    located = [(Path(e.file).name, e.line) for e in caught.value.errors]
    assert located == [("a.ttl", 2), ("b.nt", 1)]


def test_in_memory_sources(settings):
    data = (CORE / "mistakes.ttl").read_bytes()
    report = validate(
        [Source("upload.ttl", data, "turtle")],
        settings=settings,
        shapes=SHAPES,
        project_shapes=False,
    )
    assert {r.file for r in report.results} == {"upload.ttl"}
    # The missing label at the action's line, the period at the line of its dct:temporal.
    assert {r.line for r in report.results} == {9, 13}


def test_empty_folder_is_an_input_error(tmp_path, settings):
    with pytest.raises(InputError, match="no RDF files found"):
        _run([tmp_path], settings)


@pytest.fixture
def counting_server():
    """A local HTTP server that counts the requests it receives (and serves valid RDF)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            hits.append(self.path)
            body = b'{"@context": {"ex": "http://example.org/"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_imports_and_remote_contexts_are_never_fetched(tmp_path, settings, counting_server):
    base, hits = counting_server
    data = tmp_path / "imports.ttl"
    data.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        f"<http://example.org/d> a owl:Ontology ; owl:imports <{base}/data.ttl> .\n"
    )
    extra = tmp_path / "extra-shapes.ttl"
    extra.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        f"<http://example.org/s> a owl:Ontology ; owl:imports <{base}/shapes.ttl> .\n"
    )
    report = validate([data], settings=settings, shapes=[extra], engine="pyshacl")
    assert report.conforms
    remote = tmp_path / "remote.jsonld"
    remote.write_text(f'{{"@context": "{base}/context.jsonld", "@id": "http://example.org/a"}}')
    with pytest.raises(InputError, match="never fetched"):
        validate([remote], settings=settings)
    assert hits == []


def test_reports_are_identical_from_run_to_run(settings):
    # Anonymous blank nodes get random labels from the parser; ours are numbered in order.
    first = _run(["mistakes.ttl", "mistakes.jsonld"], settings)
    second = _run(["mistakes.ttl", "mistakes.jsonld"], settings)
    assert first == second
    assert any(d.focus_node.startswith("_:") for result in first.results for d in result.details)
