"""Query /fragments with Comunica, the Linked Data Fragments client, and compare with /sparql.

    .venv/bin/python scripts/check_comunica.py [--comunica-dir DIR]

Comunica comes from npm (`@comunica/query-sparql`), which the test suite may not install
(it installs only from PyPI and Debian), so this check is run by hand. It needs `npm` on
the PATH; the package is installed once into --comunica-dir. It starts `aict serve` on
127.0.0.1, runs each query through Comunica over the Triple Pattern Fragments and through
the SPARQL endpoint, and exits 1 if any answer differs. The server is stopped in any case.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

AICT = Path(sys.executable).parent / "aict"
PACKAGE = "@comunica/query-sparql@3"
QUERIES = {
    "twinnings of Dijon (joins, OPTIONAL, a literal)": """
PREFIX aict: <https://w3id.org/aict/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?partner ?name WHERE {
  ?a skos:prefLabel "Dijon"@fr ; aict:twinnedWith ?partner .
  OPTIONAL { ?partner skos:prefLabel ?name } }""",
    "every twinning counted (70 pages of one fragment)": """
SELECT (COUNT(*) AS ?n) WHERE { ?a <https://w3id.org/aict/ontology#twinnedWith> ?p }""",
    "partnerships with Poland (a typed pattern, then a filter)": """
PREFIX aict: <https://w3id.org/aict/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?p WHERE { ?p a aict:Partnership ; dct:spatial ?c
  FILTER(?c = <http://publications.europa.eu/resource/authority/country/POL>) }""",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def install_comunica(folder: Path) -> Path:
    binary = folder / "node_modules" / ".bin" / "comunica-sparql"
    if not binary.exists():
        if shutil.which("npm") is None:
            sys.exit("npm is not on the PATH: install Node.js and npm first")
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund", PACKAGE],
            check=True,
            timeout=600,
        )
    return binary


def wait_ready(base: str, process: subprocess.Popen, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"aict serve stopped with code {process.returncode}")
        try:
            with urllib.request.urlopen(base + "healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"aict serve did not answer within {seconds:.0f} s")


def rows(bindings: list[dict]) -> Counter:
    """Solutions as comparable rows: variable -> value (datatypes and languages kept)."""
    return Counter(
        tuple(
            sorted(
                (name, term["value"], term.get("datatype", ""), term.get("xml:lang", ""))
                for name, term in binding.items()
            )
        )
        for binding in bindings
    )


def through_sparql(base: str, query: str) -> Counter:
    request = urllib.request.Request(
        base + "sparql?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return rows(json.load(response)["results"]["bindings"])


def through_comunica(binary: Path, base: str, query: str) -> Counter:
    done = subprocess.run(
        [str(binary), base + "fragments", query, "-t", "application/sparql-results+json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return rows(json.loads(done.stdout)["results"]["bindings"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--comunica-dir",
        type=Path,
        default=Path.home() / ".cache" / "aict-comunica",
        help="where Comunica is installed (once)",
    )
    args = parser.parse_args()
    binary = install_comunica(args.comunica_dir)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = tempfile.NamedTemporaryFile(prefix="aict-serve-", suffix=".log", delete=False)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AICT_")}
    process = subprocess.Popen(
        [str(AICT), "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=environment,
    )
    failures = 0
    try:
        wait_ready(base, process)
        for title, query in QUERIES.items():
            started = time.monotonic()
            fragments = through_comunica(binary, base, query)
            seconds = time.monotonic() - started
            expected = through_sparql(base, query)
            same = fragments == expected
            failures += not same
            verdict = "same answer" if same else "DIFFERENT"
            print(f"{title}: {sum(fragments.values())} rows in {seconds:.1f} s, {verdict}")
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
    print(f"server log: {log.name}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
