"""Benchmark of start-up and memory: `aict serve --store DIR` against `oxigraph serve`.

    .venv/bin/python bench/bench_start.py [--scale 1000000] [--runs 5]

For the bundled data and a deterministic ~--scale-triple scale-up of it (bench_sparql's), both
loaded beforehand (`aict load … --store DIR`, `oxigraph load`; the load is timed once, apart),
it measures, --runs times with the servers taking turns:
- start to first answer: from launching the server to its first 200 answer to `ASK {}` on
  its SPARQL endpoint (polled every 20 ms), for `aict serve --store DIR` (a second start: the
  build is already there), `oxigraph serve-read-only --union-default-graph` on the same data,
  and, for the bundled data, `aict serve` with the data in memory (cache off) for reference;
  and a floor that no Python server can go under: floor_server.py, one process importing
  only pyoxigraph and the standard library, on aict's store;
- memory: after the same 200 SPARQL requests to each, the total PSS (proportional set size:
  shared pages divided among the processes sharing them) of every process of the server
  (aict: the supervisor and its serving processes), from /proc/PID/smaps_rollup.

The package's bytecode is written first, as `pip install` does: a source checkout run with
PYTHONDONTWRITEBYTECODE=1 would otherwise compile its modules from source at every start
(about 0.1 s), which no installed server pays.

Medians are reported with the aict/oxigraph ratios, as markdown tables. Every server is
stopped at the end, whatever happens; every request has a timeout. Not part of the tests.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

import publisher

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sparql import (  # noqa: E402
    BIN,
    ID_BASE,
    bundled_nquads,
    free_port,
    request,
    scaled_nquads,
)

FLOOR = Path(__file__).resolve().parent / "floor_server.py"
START_TIMEOUT = 600.0
POLL = 0.02
# The same light work for every server before its memory is read: lookups of resources,
# an ASK and a page of labels, each with its own text (no answer cache helps).
WORKLOAD = 200


def workload_queries(n: int) -> list[str]:
    queries = []
    for i in range(n):
        kind = i % 3
        if kind == 0:
            queries.append(f"ASK {{ <{ID_BASE}commune/{21000 + i}> ?p ?o }}")
        elif kind == 1:
            queries.append(
                f"SELECT ?p ?o WHERE {{ <{ID_BASE}commune/{21000 + i}> ?p ?o }} LIMIT {10 + i}"
            )
        else:
            queries.append(
                "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } "
                f"LIMIT {i}"
            )
    return queries


def tree(pid: int) -> set[int]:
    """`pid` and its live descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found.update(children)
        frontier.extend(children)
    return found


def pss_mb(pid: int) -> float:
    """Total PSS of a process tree, in MB."""
    total_kb = 0
    for member in tree(pid):
        try:
            text = Path(f"/proc/{member}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("Pss:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


@contextmanager
def started(command: list[str], url: str, env: dict[str, str] | None = None):
    """Launch a server; yields (seconds to its first 200 answer, process). Always stopped."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AICT_")}
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**environment, **(env or {})},
    )
    launched = time.monotonic()
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[:2]} exited with code {process.returncode}")
            try:
                status, _ = request(url, "ASK {}", timeout=5)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() - launched > START_TIMEOUT:
                raise RuntimeError(f"{command[:2]} gave no answer in {START_TIMEOUT:.0f} s")
            time.sleep(POLL)
        yield time.monotonic() - launched, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def servers(label: str, nquads: Path | None, work: Path, args) -> dict[str, tuple]:
    """Name -> (command for a port, endpoint path, env); the stores loaded beforehand."""
    files = [] if nquads is None else [str(nquads)]
    store = work / f"aict-{label}"
    began = time.monotonic()
    subprocess.run(
        [str(BIN / "aict"), "load", *files, "--store", str(store)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=START_TIMEOUT * 3,
    )
    print(f"  aict load: {time.monotonic() - began:.1f} s", file=sys.stderr)
    oxi = work / f"oxigraph-{label}"
    source = nquads or bundled_nquads(work / "bundled.nq")
    began = time.monotonic()
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(oxi), "--file", str(source)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=START_TIMEOUT * 3,
    )
    print(f"  oxigraph load: {time.monotonic() - began:.1f} s", file=sys.stderr)
    env = {
        "AICT_PROCESSES": str(args.processes),
        "AICT_QUERY_WORKERS": "2",
        "AICT_QUERY_TIMEOUT": "60",
    }
    chosen = {
        "aict serve --store": (
            lambda p: [str(BIN / "aict"), "serve", "--store", str(store), "--port", str(p)],
            "/sparql",
            env,
        ),
        "oxigraph serve": (
            lambda p: [
                str(BIN / "oxigraph"),
                "serve-read-only",
                "--location",
                str(oxi),
                "--bind",
                f"127.0.0.1:{p}",
                "--union-default-graph",
            ],
            "/query",
            None,
        ),
        # Not a contender: what any Python server over pyoxigraph pays (floor_server.py).
        "python floor": (
            lambda p: [sys.executable, str(FLOOR), str(store / "oxigraph"), str(p)],
            "/query",
            None,
        ),
    }
    if nquads is None:
        # The bundled data without --store is served from a store built in the cache folder
        # (the same as --store after the first start); in memory for reference, cache off.
        chosen["aict serve, in memory"] = (
            lambda p: [str(BIN / "aict"), "serve", "--port", str(p)],
            "/sparql",
            {**env, "AICT_CACHE_DIR": ""},
        )
    return chosen


def bench_dataset(label: str, nquads: Path | None, work: Path, args) -> list[str]:
    print(f"{label}:", file=sys.stderr)
    chosen = servers(label, nquads, work, args)
    first: dict[str, list[float]] = defaultdict(list)
    memory: dict[str, list[float]] = defaultdict(list)
    queries = workload_queries(WORKLOAD)
    for run in range(args.runs):
        for name, (command, path, env) in chosen.items():
            port = free_port()
            url = f"http://127.0.0.1:{port}{path}"
            with started(command(port), url, env) as (seconds, process):
                for query in queries:
                    status, _ = request(url, query, timeout=60)
                    if status != 200:
                        raise RuntimeError(f"{name} answered {status} to {query}")
                time.sleep(1.0)  # let background work settle before reading memory
                megabytes = pss_mb(process.pid)
            first[name].append(seconds)
            memory[name].append(megabytes)
            print(
                f"  run {run + 1} {name}: first answer {seconds:.2f} s, PSS {megabytes:.0f} MB",
                file=sys.stderr,
            )
    triples = (
        sum(1 for _ in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)) if nquads else None
    )
    return table(label, triples, first, memory)


def table(label: str, triples: int | None, first: dict, memory: dict) -> list[str]:
    oxi_first = statistics.median(first["oxigraph serve"])
    oxi_memory = statistics.median(memory["oxigraph serve"])
    size = f"{triples:,} quads" if triples else "bundled data"
    lines = [
        f"**{label}** ({size}), medians of {len(first['oxigraph serve'])} starts:",
        "",
        "| server | start to first answer | / oxigraph | total PSS after 200 queries "
        "| / oxigraph |",
        "|---|---|---|---|---|",
    ]
    for name in first:
        seconds, megabytes = statistics.median(first[name]), statistics.median(memory[name])
        lines.append(
            f"| {name} | {seconds:.2f} s | {seconds / oxi_first:.2f} | {megabytes:.0f} MB | "
            f"{megabytes / oxi_memory:.2f} |"
        )
    return [*lines, ""]


def compile_package() -> None:
    """Write the bytecode of the package the servers run (see the module docstring)."""
    compileall.compile_dir(Path(publisher.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1_000_000, help="triples of the scale-up")
    parser.add_argument("--runs", type=int, default=5, help="starts per server")
    parser.add_argument("--processes", type=int, default=2, help="aict serving processes")
    parser.add_argument("--only-bundled", action="store_true", help="skip the scale-up")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    compile_package()
    with ExitStack() as stack:
        work = Path(tempfile.mkdtemp(prefix="aict-bench-start-"))
        stack.callback(shutil.rmtree, work, True)
        lines = [
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"pyoxigraph {ox.__version__}; aict with {args.processes} serving processes.",
            "",
        ]
        loads = [os.getloadavg()[0]]
        lines += bench_dataset("bundled", None, work, args)
        loads.append(os.getloadavg()[0])
        if not args.only_bundled:
            scaled = scaled_nquads(bundled_nquads(work / "b.nq"), work / "scaled.nq", args.scale)
            lines += bench_dataset("scale-up", scaled, work, args)
            loads.append(os.getloadavg()[0])
        lines.append(
            "Load average (1 min) at the start and after each dataset: "
            + ", ".join(f"{load:.2f}" for load in loads)
            + "."
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
