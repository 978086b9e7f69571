"""Benchmark of /sparql against `oxigraph serve` and rdflib-endpoint on the same data.

    .venv/bin/python bench/bench_sparql.py [--scale 1000000] [--repeat 30] [--rounds 5]

For each dataset (the bundled one, then a deterministic synthetic scale-up of it to about
--scale triples) it starts the three servers on 127.0.0.1, runs a fixed set of realistic
queries (median latency of --repeat sequential requests after warm-up), then the light
queries from 8 concurrent clients (throughput: median of --rounds runs of --seconds), and
prints markdown tables.
Every server is stopped at the end, whatever happens; every request has a timeout.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.config import Settings  # noqa: E402
from publisher.namespaces import ID_BASE  # noqa: E402
from publisher.sparql.named_queries import bundled_queries  # noqa: E402
from publisher.sparql.portable import portable_query  # noqa: E402
from publisher.store import open_store  # noqa: E402

BIN = Path(sys.executable).parent
REQUEST_TIMEOUT = 120.0
# rdflib-endpoint takes about two minutes on some of the shipped queries: they are timed
# once (a query that long is not worth repeating), with this timeout.
SLOW_TIMEOUT = 600.0
SLOW = 5.0
START_TIMEOUT = 900.0

P = """PREFIX aict: <https://w3id.org/aict/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# name -> (query, light: used in the throughput run)
QUERIES: dict[str, tuple[str, bool]] = {
    "ask": ("ASK { <https://w3id.org/aict/id/commune/21231> ?p ?o }", True),
    "describe-one": ("SELECT ?p ?o WHERE { <https://w3id.org/aict/id/commune/21231> ?p ?o }", True),
    "twinnings-of-dijon": (
        P
        + """SELECT ?partner ?name WHERE {
  ?a a aict:FrenchLocalAuthority ; skos:prefLabel "Dijon"@fr ; aict:twinnedWith ?partner .
  OPTIONAL { ?partner skos:prefLabel ?name } } ORDER BY ?name""",
        True,
    ),
    "authorities-in-21": (
        P
        + """SELECT ?a ?name (COUNT(?p) AS ?n) WHERE {
  ?a aict:departement <https://w3id.org/aict/id/departement/21> ; org:memberOf ?p ;
     skos:prefLabel ?name } GROUP BY ?a ?name ORDER BY DESC(?n)""",
        True,
    ),
    "partnerships-by-country": (
        P
        + """SELECT ?country (COUNT(DISTINCT ?p) AS ?n) WHERE {
  ?p a aict:Partnership ; dct:spatial ?country } GROUP BY ?country ORDER BY DESC(?n)""",
        False,
    ),
    "classes": (
        "SELECT ?c (COUNT(*) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)",
        False,
    ),
    "label-search": (
        P
        + """SELECT ?s ?l WHERE { ?s skos:prefLabel ?l
  FILTER(STRSTARTS(LCASE(STR(?l)), "saint-")) } LIMIT 100""",
        False,
    ),
}


AICT_NAME = "aict /sparql"

# The named queries the publisher ships (the examples of its query page, /api/<name>) as the
# whole-dataset views a researcher asks for with no parameter (every city, every country).
# authorities-by-departement needs one; authorities-in-21 above is that query written out.
QUERIES.update(
    {
        f"api/{name}": (query.text, False)
        for name, query in bundled_queries().items()
        if not any(parameter.required for parameter in query.parameters)
    }
)


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen

    def text(self, query: str) -> str:
        """The query as this server takes it: the other engines lack our extension function
        aictfn:fold, so they get the standard SPARQL the remote-store mode sends them."""
        if self.name == AICT_NAME:
            return query
        return portable_query(query, base_iri=None, bindings={})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bundled_nquads(path: Path) -> Path:
    """The bundled ontology, vocabularies and dataset in their named graphs, as N-Quads."""
    store = open_store(Settings())
    try:
        return store.snapshot_nquads(path)
    finally:
        store.close()


def scaled_nquads(source: Path, target: Path, triples: int) -> Path:
    """Copies of the data under renamed IRIs (…/id/<k>/…) until about `triples` quads.

    Deterministic: copy k rewrites every IRI under our id/ base, literals stay the same,
    so the synthetic data has the shape and selectivity of the real one, only larger.
    """
    quads = list(ox.parse(path=str(source), format=ox.RdfFormat.N_QUADS))
    copies = max(1, round(triples / len(quads)))

    def rename(term, k: int):
        if isinstance(term, ox.NamedNode) and term.value.startswith(ID_BASE) and k:
            return ox.NamedNode(f"{ID_BASE}{k}/{term.value[len(ID_BASE) :]}")
        return term

    def all_copies():
        for k in range(copies):
            for q in quads:
                yield ox.Quad(rename(q.subject, k), q.predicate, rename(q.object, k), q.graph_name)

    ox.serialize(all_copies(), str(target), format=ox.RdfFormat.N_QUADS)
    return target


def wait_ready(url: str, process: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with code {process.returncode}")
        try:
            status, _ = request(url, "ASK {}", timeout=5)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{name} did not start within {START_TIMEOUT:.0f} s")


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its children (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def wait_idle(process: subprocess.Popen, limit: float = 600.0) -> None:
    """Wait until the server has finished its start-up work (a catalog, dumps, indexes
    built in the background) so that it is measured, not its warm-up: below 5 % of a CPU
    over two seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = cpu_seconds(process.pid)
        time.sleep(2.0)
        if cpu_seconds(process.pid) - before < 0.1:
            return
    print("  (still busy: measuring anyway)", file=sys.stderr)


@contextmanager
def running(name: str, command: list[str], url: str, env: dict | None = None):
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    try:
        started = time.monotonic()
        wait_ready(url, process, name)
        wait_idle(process)
        print(f"  {name} ready in {time.monotonic() - started:.1f} s", file=sys.stderr)
        yield Server(name, url, process)
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def request(
    url: str,
    query: str,
    timeout: float = REQUEST_TIMEOUT,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, bytes]:
    """One GET with Accept JSON results (a persistent connection when given)."""
    host, _, path = url.removeprefix("http://").partition("/")
    own = conn is None
    conn = conn or http.client.HTTPConnection(host, timeout=timeout)
    try:
        conn.request(
            "GET",
            f"/{path}?{urlencode({'query': query})}",
            headers={"Accept": "application/sparql-results+json"},
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


def timings(server: Server, conn: http.client.HTTPConnection, query: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        status, body = request(server.url, query, conn=conn)
        times.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError(f"{server.name}: HTTP {status}: {body[:200]!r}")
    return times


def answer_size(server: Server, query: str) -> tuple[int | bool, float]:
    """Rows of a SELECT (or the boolean of an ASK), and the seconds it took: a fast wrong
    answer is no win, so the servers' answers are compared before they are timed."""
    started = time.perf_counter()
    status, body = request(server.url, query, timeout=SLOW_TIMEOUT)
    seconds = time.perf_counter() - started
    if status != 200:
        raise RuntimeError(f"{server.name}: HTTP {status}: {body[:200]!r}")
    results = json.loads(body)
    size = results["boolean"] if "boolean" in results else len(results["results"]["bindings"])
    return size, seconds


def latencies(servers: list[Server], query: str, repeat: int, rounds: int = 5) -> dict[str, float]:
    """Median latency per server, the servers taking turns in `rounds` rounds so that a
    change in the machine's load weighs on all of them alike. Each turn opens its own
    keep-alive connection (idle ones are closed by servers) and warms it up untimed."""
    times: dict[str, list[float]] = {s.name: [] for s in servers}
    for _ in range(rounds):
        for server in servers:
            share = repeat if server.name != "rdflib-endpoint" else max(1, repeat // 10)
            host = server.url.removeprefix("http://").partition("/")[0]
            conn = http.client.HTTPConnection(host, timeout=REQUEST_TIMEOUT)
            try:
                text = server.text(query)
                timings(server, conn, text, 1)
                times[server.name] += timings(server, conn, text, max(1, share // rounds))
            finally:
                conn.close()
    return {name: statistics.median(t) * 1000 for name, t in times.items()}


def throughput(server: Server, queries: list[str], seconds: float, clients: int = 8) -> float:
    host = server.url.removeprefix("http://").partition("/")[0]
    done = [0] * clients
    stop = time.monotonic() + seconds

    def work(i: int) -> None:
        conn = http.client.HTTPConnection(host, timeout=REQUEST_TIMEOUT)
        try:
            n = i
            while time.monotonic() < stop:
                status, _ = request(server.url, queries[n % len(queries)], conn=conn)
                if status == 200:
                    done[i] += 1
                n += 1
        finally:
            conn.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + REQUEST_TIMEOUT)
    return sum(done) / (time.monotonic() - started)


def bench_dataset(label: str, nquads: Path, work: Path, args) -> list[str]:
    count = sum(1 for _ in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS))
    print(f"{label}: {count} quads", file=sys.stderr)
    results: dict[str, dict[str, float]] = {}
    rates: dict[str, float] = {}
    oxi_dir = work / f"oxigraph-{label}"
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(oxi_dir), "--file", str(nquads)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=START_TIMEOUT,
    )
    servers = [
        (
            "aict /sparql",
            lambda p: [str(BIN / "aict"), "serve", str(nquads), "--port", str(p)],
            "/sparql",
            {
                "AICT_QUERY_WORKERS": str(args.workers),
                "AICT_QUERY_TIMEOUT": "60",
                "AICT_RESULT_LIMIT": "100000",
            },
        ),
        (
            "oxigraph serve",
            lambda p: [
                str(BIN / "oxigraph"),
                "serve-read-only",
                "--location",
                str(oxi_dir),
                "--bind",
                f"127.0.0.1:{p}",
                "--union-default-graph",
            ],
            "/query",
            None,
        ),
    ]
    if not args.skip_rdflib and count <= args.rdflib_max:
        servers.append(
            (
                "rdflib-endpoint",
                lambda p: [
                    str(BIN / "rdflib-endpoint"),
                    "serve",
                    str(nquads),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(p),
                ],
                "/",
                None,
            )
        )
    light = [q for q, is_light in QUERIES.values() if is_light]
    with ExitStack() as stack:
        started: list[Server] = []
        for name, command, path, env in servers:
            port = free_port()
            started.append(
                stack.enter_context(
                    running(name, command(port), f"http://127.0.0.1:{port}{path}", env)
                )
            )
        for server in started:
            wait_idle(server.process)  # the others' start-up must not weigh on it
        # Untimed warm-up, the same for every server: caches (RocksDB's, ours), and for
        # aict the copy-on-write page faults its forked serving processes pay on their
        # first few hundred requests. Measured: 41 faults per request at first, 1.3 after
        # a thousand; a fresh process's small query 1.0-1.3 ms, then 0.7 ms.
        for server in started:
            throughput(server, light, args.warmup)
        results = {server.name: {} for server in started}
        for query_name, (query, _) in QUERIES.items():
            answers = {server.name: answer_size(server, server.text(query)) for server in started}
            sizes = {name: size for name, (size, _) in answers.items()}
            if len(set(sizes.values())) > 1:
                raise RuntimeError(f"{query_name}: the servers disagree: {sizes}")
            slow = {name for name, (_, seconds) in answers.items() if seconds > SLOW}
            measured = latencies([s for s in started if s.name not in slow], query, args.repeat)
            measured.update({name: answers[name][1] * 1000 for name in slow})
            for name, value in measured.items():
                results[name][query_name] = value
                print(f"  {name:16} {query_name:24} {value:9.2f} ms", file=sys.stderr)
        # --rounds alternating runs of --seconds each, so that a change in the machine's
        # load weighs on all alike; the median run is reported.
        runs: dict[str, list[float]] = defaultdict(list)
        for _ in range(args.rounds):
            for server in started:
                runs[server.name].append(throughput(server, light, args.seconds))
        rates = {name: statistics.median(values) for name, values in runs.items()}
        for server in started:
            print(f"  {server.name:16} throughput {rates[server.name]:.0f} req/s", file=sys.stderr)
    return table(label, count, results, rates)


def table(label: str, count: int, results: dict, rates: dict) -> list[str]:
    names = list(results)
    ours, oxigraph = results["aict /sparql"], results["oxigraph serve"]
    rdflib = results.get("rdflib-endpoint")
    ratio_heads = " aict / oxigraph |" + (" rdflib / aict |" if rdflib else "")
    lines = [
        f"**{label}** ({count:,} quads): median latency in ms (lower is better)",
        "",
        "| query | " + " | ".join(names) + " |" + ratio_heads,
        "|---|" + "---:|" * (len(names) + 1 + bool(rdflib)),
    ]

    def ratios(key: str) -> str:
        cells = f" {ours[key] / oxigraph[key]:.2f} |"
        return cells + (f" {rdflib[key] / ours[key]:.1f} |" if rdflib else "")

    for query_name in QUERIES:
        cells = [f"{results[n][query_name]:.2f}" for n in names]
        lines.append(f"| {query_name} | " + " | ".join(cells) + " |" + ratios(query_name))
    for n in names:
        values = [results[n][q] for q in QUERIES]
        results[n]["_median"] = statistics.median(values)
        results[n]["_geomean"] = statistics.geometric_mean(values)
        # The Berlin SPARQL Benchmark's query mix: what a user running each query once waits.
        results[n]["_mix"] = sum(values)
    summaries = [
        ("_median", "median of the medians"),
        ("_geomean", "geometric mean"),
        ("_mix", "query mix (each query once)"),
    ]
    for key, title in summaries:
        cells = [f"{results[n][key]:.2f}" for n in names]
        lines.append(f"| **{title}** | " + " | ".join(cells) + " |" + ratios(key))
    cells = [f"{rates[n]:.0f}" for n in names]
    lines += [
        "",
        "| throughput, 8 clients, light queries | " + " | ".join(names) + " | aict / oxigraph |",
        "|---|" + "---:|" * (len(names) + 1),
        "| requests per second | "
        + " | ".join(cells)
        + f" | {rates['aict /sparql'] / rates['oxigraph serve']:.2f} |",
        "",
    ]
    return lines


def tables_from_log(text: str) -> list[str]:
    """The tables again from the progress lines a run wrote on stderr."""
    lines: list[str] = []
    sections = re.split(r"^(\S+): (\d+) quads$", text, flags=re.M)
    for label, count, body in zip(sections[1::3], sections[2::3], sections[3::3], strict=True):
        results: dict[str, dict[str, float]] = defaultdict(dict)
        rates: dict[str, float] = {}
        for name, query_name, value in re.findall(
            r"^  (.+?)\s+(\S+)\s+([\d.]+) ms$", body, flags=re.M
        ):
            results[name.strip()][query_name] = float(value)
        for name, rate in re.findall(r"^  (.+?)\s+throughput (\d+) req/s$", body, flags=re.M):
            rates[name.strip()] = float(rate)
        if {"aict /sparql", "oxigraph serve"} <= set(rates):  # a finished section
            lines += table(label, int(count), dict(results), rates)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1_000_000, help="triples of the scale-up")
    parser.add_argument("--repeat", type=int, default=30, help="requests per query and server")
    parser.add_argument("--seconds", type=float, default=2.0, help="one throughput run")
    parser.add_argument("--rounds", type=int, default=5, help="throughput runs per server")
    parser.add_argument(
        "--warmup", type=float, default=3.0, help="seconds of untimed light queries per server"
    )
    parser.add_argument("--workers", type=int, default=2, help="AICT_QUERY_WORKERS")
    parser.add_argument("--skip-rdflib", action="store_true", help="leave rdflib-endpoint out")
    parser.add_argument(
        "--rdflib-max",
        type=int,
        default=2_000_000,
        help="skip rdflib-endpoint above this many quads",
    )
    parser.add_argument("--only-bundled", action="store_true", help="skip the scale-up")
    parser.add_argument("--from-log", type=Path, help="only print the tables of a run's stderr")
    args = parser.parse_args()
    # A `timeout` or Ctrl-C still stops every server: the context managers run on exit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if args.from_log:
        print("\n".join(tables_from_log(args.from_log.read_text(encoding="utf-8"))))
        return
    with ExitStack() as stack:
        work = Path(tempfile.mkdtemp(prefix="aict-bench-"))
        stack.callback(shutil.rmtree, work, True)
        bundled = bundled_nquads(work / "bundled.nq")
        lines = [
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"pyoxigraph {ox.__version__}; aict with {args.workers} query workers.",
            "",
        ]
        loads = [os.getloadavg()[0]]
        lines += bench_dataset("bundled", bundled, work, args)
        loads.append(os.getloadavg()[0])
        if not args.only_bundled:
            scaled = scaled_nquads(bundled, work / "scaled.nq", args.scale)
            lines += bench_dataset("scale-up", scaled, work, args)
            loads.append(os.getloadavg()[0])
        # Other jobs on the machine weigh on every figure: say how busy it was.
        lines.append(
            "Load average (1 min) at the start and after each dataset: "
            + ", ".join(f"{load:.2f}" for load in loads)
            + "."
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
