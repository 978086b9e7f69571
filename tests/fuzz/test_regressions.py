"""Inputs the fuzzing suite found that broke a command, kept as named tests."""

from __future__ import annotations

from fuzz_support import run_cli


def test_a_collection_nested_thousands_deep_is_validated_not_an_internal_error(tmp_path):
    # The line locator's Turtle walker recursed once per "(" and hit Python's stack limit
    # (RecursionError, exit 3) although rdflib had parsed the file.
    depth = 3000
    path = tmp_path / "deep.ttl"
    path.write_text(
        "@prefix aict: <https://w3id.org/aict/ontology#> .\n"
        "<https://w3id.org/aict/id/action/fuzz> a aict:Action ;\n"
        f'    aict:theme {"(" * depth}"x"{")" * depth} .\n',
        encoding="utf-8",
    )
    result = run_cli(["validate", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert "deep.ttl:2: violation" in result.output
