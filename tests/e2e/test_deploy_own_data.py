"""docs/deploy.md, "Your own data with the bundled vocabularies": the documented `aict load`
line, with a fixture as the user's data, builds a store that `aict serve --store` publishes
with our ontology and vocabularies in the graphs the bundled data gives them."""

from __future__ import annotations

import json
import re
import shlex
import urllib.parse
import urllib.request

from typer.testing import CliRunner

from publisher.cli import app
from publisher.config import PROJECT_ROOT
from tests.conftest import FIXTURE_DATA
from tests.e2e.serving import serving

DEPLOY = PROJECT_ROOT / "docs" / "deploy.md"
MY_DATA = FIXTURE_DATA / "twinnings.trig"  # Dijon's twinnings, pointing at our concepts
GRAPH = "https://w3id.org/aict/graph/"


def documented_load() -> list[str]:
    section = DEPLOY.read_text(encoding="utf-8").split("## Your own data", 1)[1]
    line = re.search(r"^aict load .*my-data/.*$", section, re.MULTILINE)[0]
    return shlex.split(line.split("#")[0])[1:]


def test_own_data_beside_our_vocabularies(tmp_path, monkeypatch):
    store = tmp_path / "store"
    args = [
        str(MY_DATA) if a == "my-data/" else str(store) if a.startswith("/var/lib/aict") else a
        for a in documented_load()
    ]
    monkeypatch.chdir(PROJECT_ROOT)  # the documented paths are the repository's
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output

    with serving("--store", str(store), log=tmp_path / "serve.log") as base:
        query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        url = base + "sparql?" + urllib.parse.urlencode({"query": query})
        with urllib.request.urlopen(url, timeout=30) as answer:
            rows = json.load(answer)["results"]["bindings"]
        graphs = {row["g"]["value"].removeprefix(GRAPH) for row in rows}
        assert {"ontology", "vocab-partnership-form", "vocab-theme", "twinnings"} <= graphs
        assert not any("sdg" in g for g in graphs)  # ontology/external is not published

        page = urllib.request.Request(
            base + "id/partnership/commune-21231--de-mainz",
            headers={"Accept": "text/html", "Accept-Language": "fr"},
        )
        with urllib.request.urlopen(page, timeout=30) as answer:
            assert "Charte de jumelage" in answer.read().decode()  # our concept's label
