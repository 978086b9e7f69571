"""The JavaScript SPARQL clients researchers use, unchanged, against `aict serve` on the bundled
data: Comunica (over /sparql and over the Triple Pattern Fragments of /fragments) and YASGUI
(in chromium, from a site of its own, so that CORS is enforced as on a portal). Every answer is
compared with the one /sparql gives directly.

scripts/test.sh installs the clients from the npm registry, at the versions of
js-clients/package-lock.json, into .cache/js-clients; without them these tests fail and say so.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from chromium import needs_chromium, page_requests, run_chromium
from rdflib import Graph
from serving import serving

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CLIENTS = Path(__file__).resolve().parent / "js-clients"
INSTALLED = PROJECT_ROOT / ".cache" / "js-clients"
RESULTS_JSON = "application/sparql-results+json"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
PREFIXES = """PREFIX aict: <https://w3id.org/aict/ontology#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
DIJON = "https://w3id.org/aict/id/commune/21231"
FIXTURE = PROJECT_ROOT / "tests" / "data" / "sparql" / "fixture.trig"  # small, for updates
EX = "http://example.org/"
TOKEN = "e2e-token"
# Queries for Comunica: over /fragments it evaluates them itself from triple patterns.
QUERIES = {
    "twinnings of Dijon (joins, OPTIONAL, language-tagged literals)": """
SELECT ?partner ?name WHERE {
  ?a skos:prefLabel "Dijon"@fr ; aict:twinnedWith ?partner .
  OPTIONAL { ?partner skos:prefLabel ?name } }""",
    "every twinning counted (about 70 pages of one fragment)": """
SELECT (COUNT(*) AS ?n) WHERE { ?a aict:twinnedWith ?p }""",
    "partnerships with Poland (a typed pattern, then a filter)": """
SELECT ?p WHERE { ?p a aict:Partnership ; dct:spatial ?c
  FILTER(?c = <http://publications.europa.eu/resource/authority/country/POL>) }""",
    "memberships begun on a day (a typed literal in a pattern)": """
SELECT ?m ?member WHERE {
  ?m org:memberDuring [ dcat:startDate "2011-11-09"^^xsd:date ] ; org:member ?member }""",
    "is Dijon twinned with itself (ASK)": f"ASK {{ <{DIJON}> aict:twinnedWith <{DIJON}> }}",
    "is Dijon twinned (ASK)": f"ASK {{ <{DIJON}> aict:twinnedWith ?p }}",
    "Dijon described (CONSTRUCT)": f"CONSTRUCT WHERE {{ <{DIJON}> ?p ?o }}",
}


def installed() -> Path:
    """The installed clients' node_modules, or a failure that says how to get them."""
    lock = INSTALLED / "package-lock.json"
    if not (INSTALLED / "node_modules").is_dir() or not lock.is_file():
        pytest.fail(
            f"the JavaScript clients are not installed in {INSTALLED}: `bash scripts/test.sh` "
            "installs them from the npm registry with `npm ci` (see its output if it could not)"
        )
    if lock.read_bytes() != (CLIENTS / "package-lock.json").read_bytes():
        pytest.fail(f"{INSTALLED} holds other versions: `bash scripts/test.sh` installs these")
    return INSTALLED / "node_modules"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`aict serve` on the bundled data, on a free port; stopped after the module."""
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with serving(log=log, startup_seconds=90) as base:
        yield base


def kind(query: str) -> str:
    return "CONSTRUCT" if "CONSTRUCT" in query else "ASK" if "ASK" in query else "SELECT"


def rows(answer: dict) -> Counter:
    """SELECT solutions as comparable rows: variable -> (value, datatype, language)."""
    return Counter(
        tuple(
            sorted(
                (
                    name,
                    term["value"],
                    "" if term.get("datatype") == XSD_STRING else term.get("datatype", ""),
                    term.get("xml:lang", ""),
                )
                for name, term in binding.items()
            )
        )
        for binding in answer["results"]["bindings"]
    )


def comparable(query: str, text: str):
    if kind(query) == "CONSTRUCT":
        return set(Graph().parse(data=text, format="nt"))
    answer = json.loads(text)
    return answer["boolean"] if kind(query) == "ASK" else rows(answer)


def from_sparql(base: str, query: str):
    """The answer of /sparql, asked directly."""
    accept = "application/n-triples" if kind(query) == "CONSTRUCT" else RESULTS_JSON
    response = httpx.post(
        base + "sparql", data={"query": query}, headers={"Accept": accept}, timeout=60
    )
    response.raise_for_status()
    return comparable(query, response.text)


# --- Comunica -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def comunica(server: str) -> dict[tuple[str, str], object]:
    """Every query through Comunica over each source, in one node process.

    A source is given by its bare URL, as to the `comunica-sparql` command: Comunica finds
    out what it is (the service description of /sparql, the Hydra controls of /fragments)."""
    modules = installed()
    jobs = [
        {
            "source": server + source,
            "query": PREFIXES + query,
            "format": "application/n-triples" if kind(query) == "CONSTRUCT" else RESULTS_JSON,
        }
        for source in ("sparql", "fragments")
        for query in QUERIES.values()
    ]
    done = subprocess.run(
        ["node", str(CLIENTS / "comunica-query.cjs"), str(modules)],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answers = json.loads(done.stdout)
    return {
        (job["source"].removeprefix(server), title): comparable(job["query"], answer)
        for job, title, answer in zip(jobs, [*QUERIES] * 2, answers, strict=True)
    }


@pytest.mark.parametrize("source", ["sparql", "fragments"])
@pytest.mark.parametrize("title", list(QUERIES))
def test_comunica_answers_as_the_endpoint_does(server, comunica, source, title):
    expected = from_sparql(server, PREFIXES + QUERIES[title])
    assert expected or kind(QUERIES[title]) == "ASK", "a query with no answer tests nothing"
    if source == "sparql" and isinstance(expected, Counter):
        # Comunica 4 (the last to run on Node.js 20) drops the language tag of every literal
        # a SPARQL endpoint returns, Oxigraph server's too: the sparqljson-parse it installs
        # passes {language, direction} to its rdf-data-factory 1, which takes it for a
        # datatype. All the rest must match; when a newer Comunica keeps the tags, this fails.
        expected = Counter(
            {tuple(term[:3] + ("",) for term in row): n for row, n in expected.items()}
        )
    assert comunica[(source, title)] == expected


# --- YASGUI ---------------------------------------------------------------------------------

YASGUI_QUERIES = {
    "twinnings of Dijon": QUERIES["twinnings of Dijon (joins, OPTIONAL, language-tagged literals)"],
    "partnerships by country": """
SELECT ?country (COUNT(*) AS ?n) ("a \\"quoted\\" <b> & c" AS ?text)
WHERE { ?p a aict:Partnership ; dct:spatial ?country }
GROUP BY ?country ORDER BY DESC(?n) LIMIT 8""",
}


@pytest.fixture(scope="module")
def yasgui_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Our YASGUI page with YASGUI's built files, on a loopback port of its own: another
    origin than the endpoint's."""
    build = installed() / "@zazuko" / "yasgui" / "build"
    site = tmp_path_factory.mktemp("yasgui-site")
    (site / "index.html").write_bytes((CLIENTS / "yasgui.html").read_bytes())
    (site / "yasgui").symlink_to(build, target_is_directory=True)
    handler = functools.partial(_QuietFiles, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
        httpd.shutdown()


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


@needs_chromium
@pytest.mark.parametrize("method", ["POST", "GET"])  # POST: YASGUI's default
@pytest.mark.parametrize("title", list(YASGUI_QUERIES))
def test_yasgui_from_another_site_draws_the_answer(server, yasgui_site, tmp_path, method, title):
    query = PREFIXES + YASGUI_QUERIES[title]
    endpoint = server + "sparql"
    assert yasgui_site.split("/")[2] != endpoint.split("/")[2]  # two origins
    netlog = tmp_path / "netlog.json"
    address = (
        yasgui_site + "#" + urlencode({"endpoint": endpoint, "method": method, "query": query})
    )
    dom = run_chromium(
        tmp_path, address, f"--log-net-log={netlog}", "--virtual-time-budget=20000", "--dump-dom"
    ).stdout
    assert page_outcome(dom) == "drawn"
    sent = [(m, url) for m, url in page_requests(netlog) if url.startswith(endpoint)]
    assert [m for m, _ in sent] == [method], sent  # YASGUI sent it, as asked
    assert drawn_rows(dom) == from_sparql(server, query)


@needs_chromium
def test_yasgui_from_another_site_sends_an_update_with_the_token(yasgui_site, tmp_path):
    """A SPARQL Update from YASGUI given the token: the browser's preflight must let the
    Authorization header through."""
    people = f"PREFIX ex: <{EX}> SELECT ?name WHERE {{ ?p a ex:Person ; ex:name ?name }}"
    env = {"AICT_UPDATE_TOKEN": TOKEN}
    with serving(str(FIXTURE), log=tmp_path / "serve.log", env=env) as base:
        before = from_sparql(base, people)
        update = f'PREFIX ex: <{EX}> INSERT DATA {{ ex:carol a ex:Person ; ex:name "Carol" }}'
        asked = {"endpoint": base + "sparql", "method": "POST", "query": update, "token": TOKEN}
        dom = run_chromium(
            tmp_path,
            yasgui_site + "#" + urlencode(asked),
            "--virtual-time-budget=20000",
            "--dump-dom",
        ).stdout
        assert page_outcome(dom) == "updated: 204"
        assert from_sparql(base, people) - before == Counter({(("name", "Carol", "", ""),): 1})


def page_outcome(dom: str) -> str | None:
    """What the page wrote in #done."""
    done = re.search(r'<pre id="done">([^<]*)</pre>', dom)
    return done and done[1]


def drawn_rows(dom: str) -> Counter:
    """The rows of the table YASGUI drew, as `rows` gives them (variable names from the head)."""
    table = _ResultTable()
    table.feed(dom)
    assert table.head and table.body, "no result table in the page"
    names = table.head[1:]  # the first column numbers the rows
    return Counter(
        tuple(sorted((name, *cell) for name, cell in zip(names, row[1:], strict=True) if cell))
        for row in table.body
    )


class _ResultTable(HTMLParser):
    """Reads YASR's table: an IRI is drawn `<a class="iri" href=…>` in a plain span, a literal
    as a span "nonIri": `"text"` then `<sup>@lang</sup>` or `<sup>^^<a href=datatype></sup>`,
    or its bare text for a plain string."""

    def __init__(self) -> None:
        super().__init__()
        self.head: list[str] = []
        self.body: list[list[tuple[str, str, str] | None]] = []
        self._where: str | None = None  # "thead" or "tbody"
        self._cell: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("thead", "tbody") and self._where is None and not self.body:
            self._where = tag
        elif self._where == "tbody" and tag == "tr":
            self.body.append([])
        elif self._where and tag in ("td", "th"):
            self._cell = {"text": "", "sup": "", "href": None, "datatype": "", "literal": False}
            self._cell["in_sup"] = False
        elif self._cell is not None:
            if tag == "span" and "nonIri" in (attributes.get("class") or ""):
                self._cell["literal"] = True
            elif tag == "sup":
                self._cell["in_sup"] = True
            elif tag == "a" and attributes.get("href"):
                self._cell["datatype" if self._cell["in_sup"] else "href"] = attributes["href"]

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell["sup" if self._cell["in_sup"] else "text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "sup" and self._cell is not None:
            self._cell["in_sup"] = False
        elif tag in ("td", "th") and self._cell is not None:
            cell, self._cell = self._cell, None
            if self._where == "thead":
                self.head.append(cell["text"].strip())
            else:
                self.body[-1].append(_term(cell))
        elif tag == self._where:
            self._where = None


def _term(cell: dict) -> tuple[str, str, str] | None:
    """(value, datatype, language) of a drawn cell, None for an empty (unbound) one."""
    if not cell["literal"]:
        return (cell["href"], "", "") if cell["href"] else None
    text, sup = cell["text"], cell["sup"]
    if not sup:
        return (text, "", "")
    assert text.startswith('"') and text.endswith('"'), text
    value = text[1:-1]
    if sup.startswith("@"):
        return (value, "", sup[1:])
    return (value, cell["datatype"], "")
