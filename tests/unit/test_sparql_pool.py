"""The worker pool (publisher/sparql/pool.py): large replies, deadlines, replacement."""

from __future__ import annotations

import asyncio
import time

import pyoxigraph as ox
import pytest
import uvloop

from publisher.sparql.pool import QueryPool
from publisher.sparql.worker import QueryJob, Source


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    path = tmp_path_factory.mktemp("pool") / "data.nq"
    quads = (
        ox.Quad(
            ox.NamedNode(f"http://e/{i}"),
            ox.NamedNode("http://p"),
            ox.Literal("x" * 200 + str(i)),
            ox.NamedNode("http://g"),
        )
        for i in range(20000)
    )
    ox.serialize(quads, str(path), format=ox.RdfFormat.N_QUADS)
    return Source("nquads", path)


def job(query: str, fmt: str = "sparql-json", limit: int = 100000) -> QueryJob:
    return QueryJob(query, fmt, limit, 1 << 28, "http://t/sparql#result-limit")


@pytest.mark.parametrize("runner", [asyncio.run, uvloop.run], ids=["asyncio", "uvloop"])
def test_large_replies_and_a_killed_worker_replaced(snapshot, runner):
    async def scenario():
        pool = QueryPool(snapshot, 2)
        await pool.start()
        try:
            # Several megabytes: far more than a socket buffer, read under either loop.
            reply = await pool.run(job("SELECT * { ?s ?p ?o }"), 30)
            assert reply[0] == "ok" and len(reply[1]) > 4_000_000 and reply[3] is False
            started = time.monotonic()
            slow = job("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
            with pytest.raises(Exception, match="stopped after 0.5 s"):
                await pool.run(slow, 0.5)
            assert time.monotonic() - started < 1.5
            await pool.wait_replacements()
            assert pool.replaced == 1
            for _ in range(3):  # both workers answer, the replacement included
                assert (await pool.run(job("ASK { ?s ?p ?o }"), 10))[0] == "ok"
        finally:
            await pool.close()

    runner(scenario())
