"""Named-query files: header syntax, parameter types (publisher/sparql/named_queries.py)."""

from pathlib import Path

import pytest

from publisher.errors import InputError
from publisher.sparql.named_queries import ParameterError, bundled_queries, parse_named_query

QUERY = """#+ title: Things
#+ description: Things of a kind.
#+ param: kind concept:action-type "twinning" Kind of action
#+ param: size integer required "3" How many
SELECT ?kind ?size ?s WHERE { ?s ?p ?kind }
"""


def write(tmp_path: Path, text: str, name: str = "things.rq") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_is_read(tmp_path):
    query = parse_named_query(write(tmp_path, QUERY))
    assert (query.name, query.title, query.description) == ("things", "Things", "Things of a kind.")
    kind, size = query.parameters
    assert (kind.name, kind.type, kind.required, kind.example) == (
        "kind",
        "concept:action-type",
        False,
        "twinning",
    )
    assert (size.name, size.type, size.required) == ("size", "integer", True)


def test_french_title_and_description_fall_back_to_english(tmp_path):
    query = parse_named_query(write(tmp_path, QUERY))
    assert (query.title_in("fr"), query.description_in("fr")) == ("Things", "Things of a kind.")
    translated = QUERY.replace(
        "#+ description:", "#+ title@fr: Choses\n#+ description@fr: Des choses.\n#+ description:"
    )
    query = parse_named_query(write(tmp_path, translated))
    assert (query.title_in("fr"), query.description_in("fr")) == ("Choses", "Des choses.")
    assert (query.title_in("en"), query.description_in("en")) == ("Things", "Things of a kind.")


def test_every_bundled_query_has_its_french_title_and_description():
    # The French query page lists them: an English one there is a language mix-up.
    for query in bundled_queries().values():
        assert query.title_in("fr") != query.title, query.name
        assert query.description_in("fr") != query.description, query.name


def test_bindings_are_typed_terms(tmp_path):
    query = parse_named_query(write(tmp_path, QUERY))
    assert query.bindings({"kind": "solidarity", "size": "04"}) == {
        "kind": ("iri", "https://w3id.org/aict/vocab/action-type/solidarity"),
        "size": ("literal", "4", "http://www.w3.org/2001/XMLSchema#integer", ""),
    }
    assert query.bindings({"size": "1"}) == {
        "size": ("literal", "1", "http://www.w3.org/2001/XMLSchema#integer", "")
    }


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"size": "three"}, "size"),
        ({}, "size"),
        ({"size": "1", "colour": "red"}, "colour"),
        ({"size": "1", "kind": "not a notation!"}, "kind"),
    ],
)
def test_bad_values_name_the_parameter(tmp_path, given, field):
    query = parse_named_query(write(tmp_path, QUERY))
    with pytest.raises(ParameterError) as caught:
        query.bindings(given)
    assert caught.value.field == field
    # French pages give it in French (publisher.web.errors): never the English again.
    french = caught.value.message_in("fr")
    assert french != caught.value.message_in("en") and " is " not in french, french


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("integer", "x"),
        ("decimal", "x"),
        ("date", "2021-13-01"),
        ("boolean", "yes"),
        ("iri", "no iri"),
        ("country", "ZZZ"),
        ("departement", "999x"),
        ("concept:action-type", "?"),
    ],
)
def test_every_type_says_in_french_what_it_expects(tmp_path, kind, value):
    text = f"#+ title: t\n#+ description: d\n#+ param: v {kind} x\nSELECT ?v {{ ?s ?p ?v }}\n"
    with pytest.raises(ParameterError) as caught:
        parse_named_query(write(tmp_path, text)).bindings({"v": value})
    assert caught.value.message_in("fr").startswith(f"{value!r} ne convient pas : attendu ")


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("country", "de", ("iri", "http://publications.europa.eu/resource/authority/country/DEU")),
        ("country", "DEU", ("iri", "http://publications.europa.eu/resource/authority/country/DEU")),
        ("departement", "2a", ("iri", "https://w3id.org/aict/id/departement/2A")),
        (
            "date",
            "2021-06-15",
            ("literal", "2021-06-15", "http://www.w3.org/2001/XMLSchema#date", ""),
        ),
        ("iri", "http://example.org/x", ("iri", "http://example.org/x")),
        ("string", "Dijon", ("literal", "Dijon", "", "")),
    ],
)
def test_parameter_types(tmp_path, kind, value, expected):
    text = f"#+ title: t\n#+ description: d\n#+ param: v {kind} x\nSELECT ?v {{ ?s ?p ?v }}\n"
    assert parse_named_query(write(tmp_path, text)).bindings({"v": value}) == {"v": expected}


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("#+ title: t\nSELECT * {}\n", None, "description"),
        (
            "#+ title: t\n#+ description: d\n#+ param: v colour\nSELECT ?v {}\n",
            3,
            "unknown parameter type",
        ),
        ("#+ title: t\n#+ description: d\n#+ colour: red\nSELECT * {}\n", 3, "unknown header key"),
        ('#+ title: t\n#+ description: d\n#+ param: v integer "x"\nSELECT ?v {}\n', 3, "example"),
        (
            "#+ title: t\n#+ description: d\n#+ param: v string\nSELECT ?s { ?s ?p ?v }\n",
            None,
            "SELECT clause",
        ),
        ("#+ title:\n", 1, "expected"),
    ],
)
def test_malformed_headers_name_file_and_line(tmp_path, text, line, fragment):
    with pytest.raises(InputError) as caught:
        parse_named_query(write(tmp_path, text))
    assert caught.value.file.endswith("things.rq")
    assert caught.value.line == line
    assert fragment in str(caught.value)


def test_select_star_projects_every_parameter(tmp_path):
    text = "#+ title: t\n#+ description: d\n#+ param: v string\nSELECT * { ?s ?p ?v }\n"
    assert parse_named_query(write(tmp_path, text)).parameters[0].name == "v"


def test_bundled_queries_parse_and_cover_the_issue():
    queries = bundled_queries()
    for required in (
        "twinnings-of-a-city",
        "actions-by-country-and-kind",
        "authorities-by-departement",
        "partnerships-by-country",
    ):
        assert required in queries
    assert len(queries) >= 5
    for query in queries.values():
        assert query.title and query.description
        query.bindings(query.example_bindings())  # every example value is valid
