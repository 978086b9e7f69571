"""`aict serve` as several processes over read-only data: in memory (the default), or one
on-disk store (`--store DIR`) that every process opens read-only.

Queries run on threads of the serving processes; a query past its deadline is answered with
503 at once, its process hands over to a fresh one and exits (taking the runaway thread with
it), and the endpoint keeps answering throughout. Checked on real processes: their pids,
their CPU, and what the supervisor does on SIGTERM.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
from serving import AICT, serving_process

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "sparql" / "fixture.trig"
EX = "http://example.org/"
TIMEOUT = 2.0
CARTESIAN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
ASK = f"ASK {{ <{EX}alice> ?p ?o }}"
ENV = {"AICT_QUERY_TIMEOUT": str(TIMEOUT), "AICT_PROCESSES": "2", "AICT_QUERY_WORKERS": "2"}


def children(pid: int) -> set[int]:
    """Live child processes of `pid` (zombies excluded), from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # exited meanwhile
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture()
def server(request, tmp_path):
    """A supervised server over the fixture, in memory, or (param "store") over a store built
    by `aict load`."""
    log = tmp_path / "serve.log"
    args = [str(FIXTURE)]
    if getattr(request, "param", "memory") == "store":
        store = tmp_path / "store"
        subprocess.run([str(AICT), "load", str(FIXTURE), "--store", str(store)], check=True)
        args += ["--store", str(store)]
    with serving_process(*args, log=log, startup_seconds=60, env=ENV) as (base, process):
        yield base + "sparql", process, log


def runaway(endpoint: str, outcome: list) -> threading.Thread:
    def call() -> None:
        started = time.monotonic()
        response = httpx.get(endpoint, params={"query": CARTESIAN}, timeout=30)
        outcome.append((response.status_code, time.monotonic() - started, response.text))

    thread = threading.Thread(target=call)
    thread.start()
    return thread


@pytest.mark.parametrize("server", ["memory", "store"], indirect=True)
def test_runs_as_several_processes(server):
    endpoint, process, log = server
    assert len(children(process.pid)) == 2
    assert "(2 processes " in log.read_text()
    answer = httpx.get(endpoint, params={"query": ASK}, headers={"Accept": "application/json"})
    assert answer.status_code == 200 and answer.json()["boolean"] is True


def test_the_processes_flag_wins_over_the_environment(tmp_path):
    log = tmp_path / "serve.log"
    with serving_process(str(FIXTURE), "--processes", "3", log=log, env=ENV) as (_, process):
        assert "(3 processes " in log.read_text()
        assert wait_for(lambda: len(children(process.pid)) == 3, 10)


@pytest.mark.parametrize("server", ["memory", "store"], indirect=True)
def test_a_runaway_query_is_answered_and_its_process_replaced(server):
    endpoint, process, log = server
    before = children(process.pid)
    outcomes: list = []
    thread = runaway(endpoint, outcomes)
    time.sleep(0.3)  # the product now holds a thread of one process
    latencies = []
    with httpx.Client(timeout=5) as client:
        for _ in range(5):
            started = time.monotonic()
            response = client.get(endpoint, params={"query": ASK})
            latencies.append(time.monotonic() - started)
            assert response.status_code == 200, response.text
    thread.join(30)
    runaway(endpoint, outcomes).join(30)  # again, once the first has been handed over
    assert [status for status, _, _ in outcomes] == [503, 503], outcomes
    assert all(elapsed <= TIMEOUT + 1.0 for _, elapsed, _ in outcomes), outcomes
    assert all("stopped" in text for _, _, text in outcomes)
    assert statistics.median(latencies) < 0.100, latencies

    # The processes that ran them hand over and exit (their runaway threads with them);
    # two fresh ones serve.
    def retired() -> set[int]:  # the supervisor logs it on its own time
        return {int(pid) for pid in re.findall(r"serving process (\d+) retires", log.read_text())}

    assert wait_for(lambda: len(retired()) == 2, 5), log.read_text()
    assert retired() & before
    assert wait_for(lambda: not children(process.pid) & retired(), 15)
    assert wait_for(lambda: len(children(process.pid)) == 2, 15), children(process.pid)
    for _ in range(10):  # spread over both processes by the kernel
        assert httpx.get(endpoint, params={"query": ASK}).status_code == 200


def test_the_retiring_process_closes_its_connections_by_answering(server):
    # Its keep-alive connections are closed with an answer that says so, not dropped idle
    # under a client's next request (which then got no answer at all).
    endpoint, process, _ = server
    with httpx.Client(timeout=30) as kept:
        response = kept.get(endpoint, params={"query": CARTESIAN})
        assert response.status_code == 503
        assert response.headers.get("connection") == "close"
        assert kept.get(endpoint, params={"query": ASK}).status_code == 200


def test_the_retired_process_stops_burning_cpu(server):
    endpoint, process, _ = server
    outcomes: list = []
    runaway(endpoint, outcomes).join(30)
    assert outcomes and outcomes[0][0] == 503
    # A runaway thread left counting would burn a whole core for good; the replacement's own
    # start (loading the data) burns too, but only for a while. So within 20 s, some second
    # of the whole tree must be idle.
    assert wait_for(lambda: _tree_cpu_over_a_second(process.pid) < 0.5, 20)


@pytest.mark.parametrize(
    "env",
    [ENV, {**ENV, "AICT_UPDATE_TOKEN": "t"}],
    ids=["supervised", "lone-process"],
)
def test_a_runaway_validation_is_stopped(tmp_path, env):
    # pySHACL spends the square of a list value's length (2,000 items: 33 s); 20,000 items
    # would hold the validation for hours, answering 503 to every later POST /validate.
    long_list = " ".join(f'"{i}"' for i in range(20_000))
    aict = "https://w3id.org/aict/ontology#"
    body = f"<{EX}action> a <{aict}Action> ;\n <{aict}theme> ({long_list}) .\n"
    good = (FIXTURE.parents[1] / "validation" / "contributions" / "good.ttl").read_bytes()
    log = tmp_path / "serve.log"
    with serving_process(str(FIXTURE), log=log, env={**env, "AICT_VALIDATION_TIMEOUT": "5"}) as (
        base,
        process,
    ):
        serving = children(process.pid)
        started = time.monotonic()
        answer = httpx.post(
            base + "validate",
            content=body.encode(),
            headers={"Content-Type": "text/turtle"},
            timeout=60,
        )
        assert answer.status_code == 503, answer.text
        assert time.monotonic() - started < 30
        workers = _validation_workers(process.pid)
        # The run dies with its worker process; nothing keeps burning, nothing is left over.
        assert wait_for(lambda: _tree_cpu_over_a_second(process.pid) < 0.5, 30)
        assert _zombies(process.pid) == set()

        # Later validations get a fresh worker, not a 503 behind the runaway. (A serving
        # process's first one starts its worker, which a loaded machine may not do in time.)
        def validate_good() -> int:
            return httpx.post(
                base + "validate",
                content=good,
                headers={"Content-Type": "text/turtle"},
                timeout=60,
            ).status_code

        assert wait_for(lambda: validate_good() == 200, 60)
        workers |= _validation_workers(process.pid)
        assert workers
        assert children(process.pid) - workers == serving  # no serving process was replaced
        assert "retires after" not in log.read_text()

        # A server killed outright (SIGKILL, OOM) takes its busy worker along: no orphan.
        # (Supervised, each serving process that validated has a worker of its own.)
        def workers_cpu() -> float:
            return sum(_cpu_seconds(pid) for pid in _validation_workers(process.pid))

        idle = workers_cpu()
        threading.Thread(
            target=lambda: _ignore_errors(
                lambda: httpx.post(
                    base + "validate",
                    content=body.encode(),
                    headers={"Content-Type": "text/turtle"},
                    timeout=60,
                )
            ),
            daemon=True,
        ).start()
        wait_for(lambda: workers_cpu() > idle + 0.3, 10)
        workers |= _validation_workers(process.pid)
        process.kill()
        process.wait(timeout=10)
        assert wait_for(lambda: not any(_alive(pid) for pid in workers), 10)


def _ignore_errors(call) -> None:
    try:
        call()
    except httpx.HTTPError:
        pass


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        for child in children(todo.pop()):
            found.add(child)
            todo.append(child)
    return found


def _validation_workers(pid: int) -> set[int]:
    found = set()
    for child in _descendants(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"publisher.validation.worker" in command:
            found.add(child)
    return found


def _zombies(pid: int) -> set[int]:
    """Exited children of `pid` or of its descendants that nobody collected."""
    parents = _descendants(pid) | {pid}
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] == "Z" and int(fields[1]) in parents:
            found.add(int(entry.name))
    return found


def _tree_cpu_over_a_second(supervisor: int) -> float:
    before = {pid: _cpu_seconds(pid) for pid in _descendants(supervisor) | {supervisor}}
    time.sleep(1.0)
    after = {pid: _cpu_seconds(pid) for pid in _descendants(supervisor) | {supervisor}}
    if set(after) != set(before):  # one exited or started meanwhile: this second says nothing
        return float("inf")
    return sum(after[pid] - before[pid] for pid in after)


@pytest.mark.parametrize("server", ["memory", "store"], indirect=True)
def test_sigterm_stops_every_process(server):
    _, process, _ = server
    workers = children(process.pid)
    assert workers
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    assert all(not Path(f"/proc/{pid}").exists() for pid in workers)


def test_serving_processes_do_not_outlive_a_killed_supervisor(server):
    _, process, _ = server
    workers = children(process.pid)
    assert workers
    process.kill()  # SIGKILL: the supervisor cannot stop them itself
    process.wait(timeout=10)
    assert wait_for(lambda: all(not _alive(pid) for pid in workers), 20)


@pytest.mark.parametrize(
    "store, env",
    [(False, {}), (True, {}), (True, {"AICT_UPDATE_TOKEN": "t"})],
    ids=["in-memory", "store-not-built-yet", "lone-process"],
)
def test_a_busy_port_is_a_clear_error_before_any_build(tmp_path, store, env):
    directory = tmp_path / "store"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        environment = {k: v for k, v in os.environ.items() if not k.startswith("AICT_")}
        done = subprocess.run(
            [str(AICT), "serve", str(FIXTURE), "--port", str(port)]
            + (["--store", str(directory)] if store else []),
            capture_output=True,
            text=True,
            timeout=60,
            env={**environment, **env},
        )
    assert done.returncode == 2, done.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "--port" in done.stderr
    assert "Traceback" not in done.stderr
    # Said before loading anything: a first start builds nothing for a port it cannot have.
    assert not directory.exists()


def test_update_enabled_serves_as_one_process(tmp_path):
    env = {**ENV, "AICT_UPDATE_TOKEN": "t"}
    log = tmp_path / "serve.log"
    with serving_process(str(FIXTURE), log=log, env=env) as (_, process):
        assert "one process: SPARQL Update is enabled" in log.read_text()
        # Its children are query worker processes, not serving processes.
        commands = {Path(f"/proc/{pid}/cmdline").read_bytes() for pid in children(process.pid)}
        assert all(b"publisher.sparql.worker" in command for command in commands)


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
