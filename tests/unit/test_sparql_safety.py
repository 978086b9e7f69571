"""What the tokenizer finds in queries, and the outbound-request policy (sparql/safety.py)."""

import pytest

from publisher.errors import QueryForbidden
from publisher.sparql.safety import allowed, check_query, inspect_text


def test_form_and_dataset_clauses():
    facts = inspect_text(
        "PREFIX ex: <http://ex/>\nSELECT * FROM ex:g FROM NAMED <http://h> WHERE { ?s ?p ?o }"
    )
    assert facts.form == "SELECT" and facts.is_query
    assert facts.from_graphs == ["http://ex/g"]
    assert facts.from_named_graphs == ["http://h"]
    assert facts.services == []


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * { ?s ?p "SERVICE <http://127.0.0.1/>" }',
        "SELECT * { ?s ?p ?o } # SERVICE <http://127.0.0.1/>",
        "SELECT * { ?s <http://a/SERVICE> ?o }",
        'SELECT * { ?s ?p """multi\nSERVICE <http://x/>\nline""" }',
        "PREFIX service: <http://s/> SELECT * { ?s service:SERVICE ?o }",
        'SELECT * { ?s ?p "x"@service }',
        "SELECT ?SERVICE { ?SERVICE ?p ?o }",
    ],
)
def test_keywords_inside_strings_iris_comments_names_are_not_calls(text):
    assert inspect_text(text).services == []


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "http://127.0.0.1:9/"),
        ("select * { service silent <file:///etc/passwd> { ?s ?p ?o } }", "file:///etc/passwd"),
        (
            "PREFIX r: <http://remote/> SELECT * { SERVICE r:sparql { ?s ?p ?o } }",
            "http://remote/sparql",
        ),
        ("SELECT * { FILTER(?a<?b)SERVICE<http://hidden/>{} }", "http://hidden/"),
        (r"SELECT * { \u0053ERVICE <http://escaped/> { } }", "http://escaped/"),
        ("BASE <http://base/> SELECT * { SERVICE <relative> {} }", "http://base/relative"),
    ],
)
def test_service_calls_are_found(text, target):
    assert target in inspect_text(text).services


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("SELECT * { SERVICE <sparql> {} }", "http://here.example/data/sparql"),
        ("SELECT * { SERVICE <//127.0.0.1:9/x> {} }", "http://127.0.0.1:9/x"),
        ("SELECT * { SERVICE <../../up> {} }", "http://here.example/up"),
        ("BASE <other/> SELECT * { SERVICE <x> {} }", "http://here.example/data/other/x"),
        ("BASE <file:///etc/> SELECT * { SERVICE <passwd> {} }", "file:///etc/passwd"),
        ("PREFIX p: <q/> SELECT * { SERVICE p:r {} }", "http://here.example/data/q/r"),
    ],
)
def test_relative_iris_are_resolved_as_the_engine_resolves_them(text, target):
    """The policy judges the IRI the engine will call, not the text the client wrote."""
    assert inspect_text(text, "http://here.example/data/sparql").services == [target]


def test_the_same_text_on_another_base_is_inspected_again():
    text = "SELECT * FROM <g> { ?s ?p ?o }"
    assert inspect_text(text, "http://a.example/sparql").from_graphs == ["http://a.example/g"]
    assert inspect_text(text, "http://b.example/sparql").from_graphs == ["http://b.example/g"]


def test_service_with_variable_is_found_as_none():
    assert inspect_text("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }").services == [None]


def test_load_is_an_update_and_found():
    facts = inspect_text("LOAD <http://example.org/data.ttl> INTO GRAPH <http://g>")
    assert facts.is_update and facts.loads == ["http://example.org/data.ttl"]


def test_policy_refuses_service_load_and_unknown_graphs():
    local = {"http://local/g"}
    with pytest.raises(QueryForbidden, match="SERVICE"):
        check_query(
            inspect_text("SELECT * { SERVICE <http://x/> {} }"), local_graphs=local, allowlist=[]
        )
    with pytest.raises(QueryForbidden, match="variable"):
        check_query(inspect_text("SELECT * { SERVICE ?x {} }"), local_graphs=local, allowlist=[])
    with pytest.raises(QueryForbidden, match="LOAD"):
        check_query(inspect_text("LOAD <http://x/>"), local_graphs=local, allowlist=[])
    with pytest.raises(QueryForbidden, match="FROM"):
        check_query(inspect_text("SELECT * FROM <http://x/> {}"), local_graphs=local, allowlist=[])
    check_query(inspect_text("SELECT * FROM <http://local/g> {}"), local_graphs=local, allowlist=[])
    check_query(
        inspect_text("SELECT * { SERVICE <http://ok.example/sparql> {} }"),
        local_graphs=local,
        allowlist=["http://ok.example/"],
    )


def test_allowlist_needs_exact_iri_or_a_path_boundary():
    assert allowed("http://a.example/sparql", ["http://a.example/sparql"])
    assert allowed("http://a.example/x/sparql", ["http://a.example/"])
    assert not allowed("http://a.example.evil/sparql", ["http://a.example"])
    assert not allowed("http://anything/", [])
