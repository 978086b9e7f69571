"""Resource pages under load, and trivial queries beside runaway ones, on a real `aict serve`.

    .venv/bin/python bench/bench_pages.py                # both parts, about 4 minutes
    .venv/bin/python bench/bench_pages.py --only pages   # or --only starvation

Pages: `wrk` (Debian package `wrk`: `apt-get install wrk`; this script installs nothing)
at `--connections` (32) for `--seconds` (10) per run against `aict serve` on the bundled
data (default set-up), HTML and Turtle of /id/commune/21231, of a fixed set of other IRIs,
and of many distinct IRIs, each requested once (inputs no cache has seen before). Reports
requests per second, errors (non-2xx/3xx and socket errors), client timeouts (5 s), p50
and p99 latency.

Starvation: six concurrent runaway queries (the cartesian product of three triple patterns),
three rounds, while one client sends trivial ASK queries whose text the server has never
seen, alternately on a keep-alive connection and on fresh ones (5 s client timeout), in both
set-ups: several serving processes with query threads (default), and one process with
query worker processes (as with SPARQL Update). Reports the trivial queries' p50, p95, max,
timeouts and errors, and what the runaways got.

Everything runs on 127.0.0.1 and every process started is stopped. Markdown tables go to
stdout (for the README and bench/README.md), progress to stderr.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sparql import free_port, wait_idle  # noqa: E402

from publisher.config import Settings  # noqa: E402
from publisher.namespaces import BASE  # noqa: E402
from publisher.store import open_store  # noqa: E402

AICT = Path(sys.executable).parent / "aict"
DIJON = "/id/commune/21231"
# A fixed set of other resources of several kinds (as a crawler revisiting a site).
OTHERS = [
    "/id/commune/75056",
    "/id/commune/69123",
    "/id/commune/13055",
    "/id/commune/33063",
    "/id/commune/67482",
    "/ontology",
    "/vocab/partnership-form",
    "/catalog",
]
ACCEPT = {"html": "text/html", "turtle": "text/turtle"}
CLIENT_TIMEOUT = 5.0
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
WRK_SCRIPT = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local counter = 0
local step = 1
function setup(thread)
  thread:set("first", #threads_started)
  threads_started[#threads_started + 1] = thread
end
threads_started = {}
function init(args)
  counter = first
  step = %(threads)d
end
function request()
  local path = paths[(counter %% #paths) + 1]
  counter = counter + step
  return wrk.format("GET", path, {["Accept"] = "%(accept)s",
                                  ["Accept-Encoding"] = "gzip"})
end
"""


def resource_paths() -> list[str]:
    """Paths of every resource under id/ in the bundled data, in a fixed shuffled order."""
    store = open_store(Settings())
    try:
        rows = store.select(
            f"SELECT DISTINCT ?s WHERE {{ ?s a ?type FILTER(STRSTARTS(STR(?s), '{BASE}id/')) }}"
        )
        paths = sorted("/" + str(row["s"])[len(BASE) :] for row in rows)
    finally:
        store.close()
    random.Random(10).shuffle(paths)
    return paths


@contextmanager
def serving(env: dict[str, str] | None = None):
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AICT_")}
    environment.update(env or {})
    process = subprocess.Popen(
        [str(AICT), "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"aict serve exited with {process.returncode}")
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
            if time.monotonic() - started > 180:
                raise RuntimeError("aict serve did not start")
        wait_idle(process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wrk(base: str, paths: list[str], accept: str, args, work: Path) -> dict[str, float]:
    """One wrk run over `paths` in turn; its figures."""
    listing = work / f"paths-{uuid.uuid4().hex}.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = work / "rotate.lua"
    threads = 2
    script.write_text(WRK_SCRIPT % {"paths": listing, "threads": threads, "accept": accept})
    done = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{args.connections}",
            f"-d{args.seconds}s",
            f"--timeout={CLIENT_TIMEOUT:g}s",
            "--latency",
            "-s",
            str(script),
            base,
        ],
        capture_output=True,
        text=True,
        timeout=args.seconds + 60,
        check=True,
    )
    return parse_wrk(done.stdout)


def parse_wrk(text: str) -> dict[str, float]:
    def number(pattern: str, default: float = 0.0) -> float:
        found = re.search(pattern, text)
        return float(found.group(1)) if found else default

    def millis(label: str) -> float:
        found = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        if not found:
            return float("nan")
        value, unit = float(found.group(1)), found.group(2)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    connect, read, write, timeouts = (
        (int(v) for v in socket_errors.groups()) if socket_errors else (0, 0, 0, 0)
    )
    return {
        "requests": number(r"(\d+) requests in"),
        "rate": number(r"Requests/sec:\s+([\d.]+)"),
        "non2xx": number(r"Non-2xx or 3xx responses: (\d+)"),
        "errors": connect + read + write,
        "timeouts": timeouts,
        "p50": millis("50%"),
        "p99": millis("99%"),
    }


def bench_pages(args, work: Path) -> list[str]:
    paths = resource_paths()
    print(f"  {len(paths)} distinct resources under id/", file=sys.stderr)
    rows = []
    with serving() as base:
        for kind in ("html", "turtle"):  # fill the caches a visitor would find filled
            for path in [DIJON, *OTHERS]:
                urllib.request.urlopen(
                    urllib.request.Request(base + path, headers={"Accept": ACCEPT[kind]})
                ).read()
        runs = [
            ("Dijon", "html", [DIJON]),
            ("Dijon", "turtle", [DIJON]),
            (f"{len(OTHERS)} other IRIs in turn", "html", OTHERS),
            (f"{len(OTHERS)} other IRIs in turn", "turtle", OTHERS),
            # Halves, so that the Turtle run asks nothing the HTML run already made.
            ("distinct IRIs, each once", "html", paths[0::2]),
            ("distinct IRIs, each once", "turtle", paths[1::2]),
        ]
        for label, kind, chosen in runs:
            figures = wrk(base, chosen, ACCEPT[kind], args, work)
            print(f"  {label} {kind}: {figures}", file=sys.stderr)
            if "distinct" in label and figures["requests"] > len(chosen):
                label += f" (wrapped: {figures['requests']:.0f} requests, {len(chosen)} IRIs)"
            rows.append(
                f"| {label} | {kind} | {figures['rate']:,.0f} | "
                f"{figures['non2xx'] + figures['errors']:.0f} | {figures['timeouts']:.0f} | "
                f"{figures['p50']:.1f} | {figures['p99']:.1f} |"
            )
    return [
        f"Resource pages, `wrk -c{args.connections} -d{args.seconds}s --timeout "
        f"{CLIENT_TIMEOUT:g}s`, Accept-Encoding gzip, `aict serve` default set-up:",
        "",
        "| resources | format | req/s | errors | timeouts | p50 ms | p99 ms |",
        "|---|---|---:|---:|---:|---:|---:|",
        *rows,
    ]


def sparql_get(base: str, query: str, conn: http.client.HTTPConnection | None) -> int:
    host = base.removeprefix("http://")
    own = conn is None
    conn = conn or http.client.HTTPConnection(host, timeout=CLIENT_TIMEOUT)
    try:
        conn.request("GET", "/sparql?" + urlencode({"query": query}))
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        if own:
            conn.close()


def starvation_round(base: str, runaway_timeout: float) -> tuple[list, list]:
    runaways: list = []

    def runaway() -> None:
        started = time.monotonic()
        try:
            conn = http.client.HTTPConnection(
                base.removeprefix("http://"), timeout=runaway_timeout + 30
            )
            status = sparql_get(base, RUNAWAY, conn)
            conn.close()
        except OSError as exc:
            status = type(exc).__name__
        runaways.append((status, time.monotonic() - started))

    threads = [threading.Thread(target=runaway) for _ in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    trivial: list = []
    kept = http.client.HTTPConnection(base.removeprefix("http://"), timeout=CLIENT_TIMEOUT)
    deadline = time.monotonic() + runaway_timeout
    fresh = False
    while time.monotonic() < deadline or any(t.is_alive() for t in threads):
        query = f"ASK {{ <urn:x-{uuid.uuid4().hex}> ?p ?o }}"
        started = time.monotonic()
        try:
            status = sparql_get(base, query, None if fresh else kept)
        except (OSError, http.client.HTTPException) as exc:
            status = "timeout" if isinstance(exc, TimeoutError) else type(exc).__name__
            kept.close()
            kept = http.client.HTTPConnection(base.removeprefix("http://"), timeout=CLIENT_TIMEOUT)
        trivial.append((status, time.monotonic() - started))
        fresh = not fresh
        time.sleep(0.02)
        if time.monotonic() > deadline + runaway_timeout + 30:
            break
    kept.close()
    for thread in threads:
        thread.join()
    return runaways, trivial


def bench_starvation(args) -> list[str]:
    setups = {
        "several processes, query threads (default)": {},
        "one process, query worker processes (update enabled)": {"AICT_UPDATE_TOKEN": "bench"},
    }
    timeout = Settings().query_timeout
    rows = []
    for label, env in setups.items():
        with serving(env) as base:
            runaways, trivial = [], []
            for number in range(3):
                got_runaways, got_trivial = starvation_round(base, timeout)
                print(
                    f"  {label}, round {number + 1}: runaways {got_runaways}, "
                    f"{len(got_trivial)} trivial, slowest {max(t for _, t in got_trivial):.3f} s, "
                    f"not 200: {[status for status, _ in got_trivial if status != 200]}",
                    file=sys.stderr,
                )
                runaways += got_runaways
                trivial += got_trivial
        took = sorted(seconds for _, seconds in trivial)
        p95 = took[max(0, round(0.95 * len(took)) - 1)]
        timeouts = sum(1 for status, _ in trivial if status == "timeout")
        errors = sum(1 for status, _ in trivial if status not in (200, "timeout"))
        statuses = sorted({str(status) for status, _ in runaways})
        slowest_runaway = max(seconds for _, seconds in runaways)
        rows.append(
            f"| {label} | {len(trivial)} | {statistics.median(took) * 1000:.1f} | "
            f"{p95 * 1000:.1f} | {took[-1] * 1000:.0f} | {timeouts} | {errors} | "
            f"{', '.join(statuses)}, all within {slowest_runaway:.1f} s |"
        )
    return [
        f"Trivial new-text queries beside six runaway queries, three rounds, deadline "
        f"{timeout:g} s, client timeout {CLIENT_TIMEOUT:g} s:",
        "",
        "| set-up | trivial queries | p50 ms | p95 ms | max ms | timeouts | errors | runaways |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        *rows,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--only", choices=["pages", "starvation"])
    args = parser.parse_args()
    if args.only != "starvation" and shutil.which("wrk") is None:
        sys.exit("bench_pages.py needs wrk: apt-get install wrk (Debian), or --only starvation")
    load_before = os.getloadavg()
    lines = [
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "",
    ]
    with tempfile.TemporaryDirectory(prefix="aict-bench-pages-") as work:
        if args.only != "starvation":
            lines += [*bench_pages(args, Path(work)), ""]
        if args.only != "pages":
            lines += [*bench_starvation(args), ""]
    load_after = os.getloadavg()
    lines.append(
        f"Load average (1 min) {load_before[0]:.1f} at the start, {load_after[0]:.1f} at the "
        "end (the machine is shared with other jobs)."
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
