"""Benchmark of `aict serve` over a remote SPARQL engine holding about a million triples.

    .venv/bin/python bench/bench_remote.py [--scale 1000000] [--runs 5]

An Oxigraph server (`oxigraph serve-read-only --union-default-graph`, the `oxigraph` of the
test extra) is loaded once with bench_sparql's deterministic scale-up of the bundled data and
kept running. Against it:
- the build, once: `aict load --endpoint URL --store DIR` asks the engine its figures,
  catalog and VoID figures, home-page counts and label index by aggregate queries and keeps
  them in DIR; and the first answer of a first start ever, without a build (it makes one in
  the background);
- then --runs starts with AICT_STORE_DIR=DIR, the build read from there (over a remote engine, aict
  serve runs one process: it waits on the engine, not on the CPU): start to first answer
  (launch to the first 200 to `ASK {}` on /sparql, polled every 20 ms), the first HTML page
  of a resource after that (cold: no page cache), and the memory of the server after the
  same 200 SPARQL requests as bench_start.py: PSS and RSS, from /proc/PID/smaps_rollup.
The engine's own start to first answer on the same store is measured --runs times too, for
reference. Medians, as a markdown table. Every server is stopped at the end; every request
has a timeout. Not part of the tests.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sparql import BIN, bundled_nquads, free_port, request, scaled_nquads  # noqa: E402
from bench_start import WORKLOAD, pss_mb, started, tree, workload_queries  # noqa: E402

# A resource of the scale-up (copy 1 of Dijon): no run has asked for it before its start.
PAGE = "/id/1/commune/21231"


def rss_mb(pid: int) -> float:
    """Total RSS of a process tree, in MB (counts shared pages once per process)."""
    total_kb = 0
    for member in tree(pid):
        try:
            text = Path(f"/proc/{member}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("Rss:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def page_seconds(base: str) -> float:
    host = base.removeprefix("http://").rstrip("/")
    began = time.monotonic()
    conn = http.client.HTTPConnection(host, timeout=60)
    try:
        conn.request("GET", PAGE, headers={"Accept": "text/html"})
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"{PAGE} answered {response.status}")
    return time.monotonic() - began


def aict_command(port: int) -> list[str]:
    return [str(BIN / "aict"), "serve", "--host", "127.0.0.1", "--port", str(port)]


def engine_command(location: Path, port: int) -> list[str]:
    return [
        str(BIN / "oxigraph"),
        "serve-read-only",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1_000_000, help="triples of the engine")
    parser.add_argument("--runs", type=int, default=5, help="starts per configuration")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    with ExitStack() as stack:
        work = Path(tempfile.mkdtemp(prefix="aict-bench-remote-"))
        stack.callback(shutil.rmtree, work, True)
        scaled = scaled_nquads(bundled_nquads(work / "b.nq"), work / "scaled.nq", args.scale)
        quads = sum(1 for _ in ox.parse(path=str(scaled), format=ox.RdfFormat.N_QUADS))
        location = work / "oxigraph"
        subprocess.run(
            [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(scaled)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=1800,
        )
        print(f"engine loaded with {quads:,} quads", file=sys.stderr)

        engine_first = []
        for _ in range(args.runs):
            port = free_port()
            with started(engine_command(location, port), f"http://127.0.0.1:{port}/query") as (
                seconds,
                _,
            ):
                engine_first.append(seconds)
        port = free_port()
        endpoint = f"http://127.0.0.1:{port}/query"
        _, engine = stack.enter_context(started(engine_command(location, port), endpoint))

        # The first start ever: it answers, and makes the build in the background.
        env = {
            "AICT_STORE_ENDPOINT": endpoint,
            "AICT_CACHE_DIR": str(work / "cache"),
            "AICT_QUERY_TIMEOUT": "60",
        }
        port = free_port()
        with started(aict_command(port), f"http://127.0.0.1:{port}/sparql", env) as (fresh, _):
            print(f"first start ever: first answer {fresh:.2f} s", file=sys.stderr)
        # The build, as a deployment makes it once for all its servers.
        built = work / "build"
        began = time.monotonic()
        subprocess.run(
            [str(BIN / "aict"), "load", "--endpoint", endpoint, "--store", str(built)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=3600,
        )
        build = time.monotonic() - began
        print(f"aict load --endpoint: {build:.2f} s", file=sys.stderr)
        env = {**env, "AICT_STORE_DIR": str(built)}

        first: list[float] = []
        page: list[float] = []
        pss: list[float] = []
        rss: list[float] = []
        queries = workload_queries(WORKLOAD)
        for run in range(args.runs):
            port = free_port()
            base = f"http://127.0.0.1:{port}/"
            with started(aict_command(port), base + "sparql", env) as (seconds, process):
                page.append(page_seconds(base))
                for query in queries:
                    status, _ = request(base + "sparql", query, timeout=60)
                    if status != 200:
                        raise RuntimeError(f"aict answered {status} to {query}")
                time.sleep(1.0)  # let background work settle before reading memory
                pss.append(pss_mb(process.pid))
                rss.append(rss_mb(process.pid))
            first.append(seconds)
            print(
                f"  run {run + 1}: first answer {seconds:.2f} s, page {page[-1]:.2f} s, "
                f"PSS {pss[-1]:.0f} MB, RSS {rss[-1]:.0f} MB",
                file=sys.stderr,
            )
        engine_pss = pss_mb(engine.pid)

    median = statistics.median
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"pyoxigraph {ox.__version__}; engine: oxigraph serve-read-only holding {quads:,} "
        f"quads (PSS {engine_pss:.0f} MB after the runs).",
        "",
        f"The build (`aict load --endpoint`, once): {build:.2f} s. The first start ever "
        f"(no build: made in the background) answered after {fresh:.2f} s. "
        f"The engine's own start to first answer: {median(engine_first):.2f} s.",
        "",
        f"Later starts (build kept), medians of {args.runs}:",
        "",
        "| start to first answer | first HTML page after it | PSS after 200 queries | RSS |",
        "|---|---|---|---|",
        f"| {median(first):.2f} s | {median(page):.2f} s | {median(pss):.0f} MB | "
        f"{median(rss):.0f} MB |",
        "",
        f"Load average (1 min) at the end: {os.getloadavg()[0]:.2f}.",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
