"""`aict validate` on bad RDF: ill-typed literals for every datatype the shapes name, language
tags where a datatype is expected and the reverse, unknown datatypes, huge literals and IRIs,
deep, long and cyclic rdf:Lists and blank-node chains. Whatever the input: exit 0, 1 or 2,
never 3, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

from fuzz_support import budget, nasty_text, run_cli, shape_datatypes
from hypothesis import given
from hypothesis import strategies as st

from publisher.config import EXAMPLES_DIR

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.ttl"))
DATATYPES = shape_datatypes()
UNKNOWN_DATATYPES = [
    "http://www.w3.org/2001/XMLSchema#notAType",
    "https://w3id.org/aict/ontology#Action",
    "http://example.org/dt",
    "urn:x",
]
# A typed, language-tagged or plain literal of the examples, and the booleans.
_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"(?:\^\^[\w-]*:\w+|@[A-Za-z-]+)?|\btrue\b')


def _turtle_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r")
    return (
        '"'
        + "".join(
            c if c.isprintable() or c == " " else f"\\u{ord(c):04x}"
            for c in escaped
            if ord(c) < 0x10000 and not 0xD800 <= ord(c) <= 0xDFFF
        )
        + '"'
    )


language_tags = st.one_of(
    st.sampled_from(["fr", "en", "fr-FR", "x-private", "EN", "zh-Hant-TW", "i-klingon"]),
    st.from_regex(r"[a-z]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True),
)


@st.composite
def replaced_literals(draw) -> str:
    """A literal standing where one of the examples' values stood."""
    lexical = _turtle_string(draw(nasty_text))
    kind = draw(st.sampled_from(["datatype", "language", "unknown", "huge", "plain"]))
    if kind == "datatype":
        return f"{lexical}^^<{draw(st.sampled_from(DATATYPES))}>"
    if kind == "language":  # a tag where a datatype is expected, or the reverse
        return f"{lexical}@{draw(language_tags)}"
    if kind == "unknown":
        return f"{lexical}^^<{draw(st.sampled_from(UNKNOWN_DATATYPES))}>"
    if kind == "huge":
        size = draw(st.sampled_from([10_000, 300_000]))
        return f'"{"9" * size}"^^<{draw(st.sampled_from(DATATYPES))}>'
    return lexical


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@budget(1)
@given(
    example=st.sampled_from(EXAMPLES),
    which=st.integers(min_value=0),
    literal=replaced_literals(),
)
def test_a_replaced_literal_never_crashes(tmp_path_factory, example, which, literal):
    text = example.read_text(encoding="utf-8")
    body = text.index("\n\n", text.index("@prefix"))  # leave the prefixes alone
    matches = [m for m in _LITERAL.finditer(text) if m.start() > body]
    chosen = matches[which % len(matches)]
    broken = text[: chosen.start()] + literal + text[chosen.end() :]
    path = _write(tmp_path_factory.mktemp("lit"), example.name, broken)
    result = run_cli(["validate", str(path), "--format", "json", "--lang", "en"])
    assert result.exit_code in (0, 1, 2), result.output[-2000:]


_PREFIXES = """@prefix aict: <https://w3id.org/aict/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix dct: <http://purl.org/dc/terms/> .
"""
_ACTION = "<https://w3id.org/aict/id/action/fuzz>"
# Sizes per kind of structure, bounded for time, not for correctness: nesting is linear
# (3,000 deep in about a second); a long list as a value is quadratic in pyshacl, which
# copies it into its report item by item (200 items: 4 s, 1,000: 30 s); each node of a chain
# on dct:temporal is a focus node (300: 3 s). The long profile draws the same sizes.
_DEPTHS = {
    "nested-list": [1, 50, 400, 3000],
    "long-list": [1, 10, 60],
    "cyclic-list": [1, 2, 50, 400],
    "chain": [1, 10, 100],
    "cycle": [1, 2, 100],
    "iri": [1, 50, 1000],
}


@st.composite
def structures(draw) -> str:
    """Deep, long or cyclic lists, long or cyclic blank-node chains, huge IRIs, hung from an
    action on properties the shapes read."""
    prop = draw(st.sampled_from(["aict:theme", "dct:temporal", "aict:leadAuthority", "rdf:rest"]))
    kind = draw(st.sampled_from(sorted(_DEPTHS)))
    depth = draw(st.sampled_from(_DEPTHS[kind]))
    head = f"{_PREFIXES}{_ACTION} a aict:Action ;\n    {prop} "
    if kind == "nested-list":
        return head + "(" * depth + '"x"' + ")" * depth + " .\n"
    if kind == "long-list":
        return head + "(" + " ".join(f'"{i}"' for i in range(depth)) + ") .\n"
    if kind == "cyclic-list":
        nodes = "".join(
            f"_:l{i} rdf:first {i} ; rdf:rest _:l{(i + 1) % depth} .\n" for i in range(depth)
        )
        return head + "_:l0 .\n" + nodes
    if kind == "chain":
        return (
            head
            + f"[ {prop} " * depth
            + "<https://w3id.org/aict/id/commune/21231>"
            + " ]" * depth
            + " .\n"
        )
    if kind == "cycle":
        nodes = "".join(f"_:b{i} {prop} _:b{(i + 1) % depth} .\n" for i in range(depth))
        return head + "_:b0 .\n" + nodes
    return head + "<https://w3id.org/aict/id/" + "x" * (depth * 100) + "> .\n"


@budget(0.75)
@given(document=structures())
def test_deep_cyclic_and_huge_structures_never_crash(tmp_path_factory, document):
    path = _write(tmp_path_factory.mktemp("deep"), "deep.ttl", document)
    result = run_cli(["validate", str(path), "--format", "json", "--lang", "en"])
    assert result.exit_code in (1, 2), result.output[-2000:]  # an Action missing its fields
