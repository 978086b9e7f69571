"""Query threads of a serving process (publisher/sparql/threads.py), on a real pyoxigraph store."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import subprocess
import sys
import time

import pyoxigraph as ox
import pytest

from publisher.sparql.threads import INLINE_BUDGET, ThreadRunner
from publisher.sparql.worker import FragmentJob, QueryJob

ASK = "ASK { <http://e/1> ?p ?o }"
# Tens of milliseconds on 2,000 triples: far above the inline budget, far below a timeout.
PAIRS = "SELECT (COUNT(*) AS ?n) { ?a <http://p> ?x . ?b <http://p> ?y FILTER(?a != ?b) }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def store():
    data = ox.Store()
    data.extend(
        ox.Quad(ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://p"), ox.Literal(str(i)))
        for i in range(2000)
    )
    return data


def job(query: str, fmt: str = "sparql-json") -> QueryJob:
    return QueryJob(query, fmt, 1000, 1 << 24, "http://t/sparql#result-limit")


def run(coroutine):
    return asyncio.run(coroutine)


def test_a_job_seen_to_be_cheap_runs_inline_with_the_same_reply(store):
    async def scenario():
        runner = ThreadRunner(store, 2, retire=lambda: None)
        first = await runner.run(job(ASK), 5)
        assert runner.inline_runs == 0
        second = await runner.run(job(ASK), 5)
        assert runner.inline_runs == 1
        other_format = await runner.run(job(ASK, "sparql-xml"), 5)  # another job: a thread first
        assert runner.inline_runs == 1
        await runner.close()
        return first, second, other_format

    first, second, other_format = run(scenario())
    assert first == second and first[0] == "ok" and b"true" in first[1]
    assert other_format[0] == "ok" and b"<boolean>true</boolean>" in other_format[1]


def test_fragments_too(store):
    async def scenario():
        runner = ThreadRunner(store, 2, retire=lambda: None)
        fragment = FragmentJob(("iri", "http://e/1"), None, None, 0, 100)
        replies = [await runner.run(fragment, 5) for _ in range(2)]
        await runner.close()
        return runner.inline_runs, replies

    inline_runs, replies = run(scenario())
    assert inline_runs == 1 and replies[0] == replies[1] and replies[0][1] == 1


def test_a_job_over_the_budget_always_goes_to_a_thread(store):
    async def scenario():
        runner = ThreadRunner(store, 2, retire=lambda: None)
        started = time.perf_counter()
        replies = [await runner.run(job(PAIRS), 30) for _ in range(2)]
        elapsed = (time.perf_counter() - started) / 2
        await runner.close()
        return runner.inline_runs, replies, elapsed

    inline_runs, replies, elapsed = run(scenario())
    assert elapsed > INLINE_BUDGET  # the premise of this test
    assert inline_runs == 0
    assert replies[0] == replies[1] and b"3998000" in replies[0][1]


# A runaway thread cannot be stopped: it ends with its process, as in `aict serve`. So this
# scenario runs in a child interpreter that leaves with os._exit.
RUNAWAY_SCENARIO = f"""
import asyncio, json, os, time
import pyoxigraph as ox
from publisher.errors import QueryTimeout
from publisher.sparql.threads import ThreadRunner
from publisher.sparql.worker import QueryJob

store = ox.Store()
store.extend(ox.Quad(ox.NamedNode(f"http://e/{{i}}"), ox.NamedNode("http://p"), ox.Literal(str(i)))
             for i in range(2000))
retirements = []

def job(query):
    return QueryJob(query, "sparql-json", 1000, 1 << 24, "n")

async def scenario():
    runner = ThreadRunner(store, 3, retire=lambda: retirements.append(1))
    outcomes = []
    for _ in range(2):
        started = time.perf_counter()
        try:
            await runner.run(job({RUNAWAY!r}), 0.5)
            outcomes.append("answered")
        except QueryTimeout as exc:
            outcomes.append([str(exc), time.perf_counter() - started])
    started = time.perf_counter()
    reply = await runner.run(job({ASK!r}), 5)
    return outcomes, reply[0], time.perf_counter() - started

outcomes, cheap, cheap_took = asyncio.run(scenario())
print(json.dumps({{"outcomes": outcomes, "cheap": cheap, "cheap_took": cheap_took,
                  "retirements": len(retirements)}}), flush=True)
os._exit(0)
"""


def test_a_runaway_query_times_out_and_retires_the_process_once():
    done = subprocess.run(
        [sys.executable, "-c", RUNAWAY_SCENARIO], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    (first, first_took), (again, again_took) = result["outcomes"]
    assert "stopped after 0.5 s" in first
    # The same text again is known to be slow: it waits for the slow lane's one place, which
    # the first still holds (its thread ends with the process), and is refused at its deadline.
    assert "slow before" in again and "0.5 s" in again
    assert 0.5 <= first_took < 1.5 and 0.5 <= again_took < 1.5
    # Meanwhile the event loop stays free: a cheap job answers at once beside two runaways.
    assert result["cheap"] == "ok" and result["cheap_took"] < 0.5
    assert result["retirements"] == 1


def test_the_inline_key_covers_every_field_of_a_job():
    # A field added to a job must be added to lanes.job_key (or shown not to change the
    # work): the key decides which jobs may run on the event loop.
    assert [f.name for f in dataclasses.fields(QueryJob)] == [
        "query",
        "result_format",
        "limit",
        "byte_budget",
        "note",
        "default_graph",
        "named_graphs",
        "substitutions",
        "query_dataset",
        "base_iri",
    ]
    assert [f.name for f in dataclasses.fields(FragmentJob)] == [
        "subject",
        "predicate",
        "object",
        "offset",
        "limit",
    ]
