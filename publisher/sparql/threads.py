"""Query evaluation on threads of the serving process, for `aict serve` with a supervisor.

pyoxigraph releases the GIL while it evaluates, so a query on a thread leaves the event loop
free, and the answer costs no process hop (about half the time of a small query through a
worker process). A thread cannot be stopped, though: when a query passes its deadline the
client gets its timeout answer at once and `retire` is called, which asks the supervisor
(publisher.web.processes) for a fresh process and lets this one finish its other requests
and exit, taking the runaway thread with it.

A job already seen to finish within `INLINE_BUDGET` runs on the event loop itself, without
the hand-over to a thread (a quarter of the server's time on a small query). That is safe
because this runner only serves read-only data: the same job does the same work every time.

Same interface as publisher.sparql.pool.QueryPool: `await run(job, timeout)` -> a reply.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import pyoxigraph as ox

from publisher.errors import QueryTimeout
from publisher.sparql.worker import FragmentJob, QueryJob, answer, count_triples

# Seconds of evaluation below which a job may later block the event loop: other requests of
# this process wait at most about this long behind it.
INLINE_BUDGET = 0.002
_CHEAP_JOBS_KEPT = 4096


class ThreadRunner:
    """`threads` evaluations at once over `store`; `retire()` when one cannot be stopped."""

    def __init__(self, store: ox.Store, threads: int, retire: Callable[[], None]) -> None:
        self._store = store
        self._retire = retire
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="sparql")
        self._count = lru_cache(maxsize=1024)(lambda s, p, o: count_triples(store, s, p, o))
        self._cheap: OrderedDict[Hashable, None] = OrderedDict()  # an LRU of job keys
        self.retired = False
        self.inline_runs = 0  # for tests and logs

    async def run(self, job: object, timeout: float) -> tuple:
        key = _job_key(job)
        # (A client's timeout near the budget keeps the thread, whose deadline is exact.)
        if key is not None and key in self._cheap and timeout > 10 * INLINE_BUDGET:
            return self._run_inline(key, job)
        took: list[float] = []  # the evaluation time, once the thread has started it

        def evaluate() -> tuple:
            started = time.perf_counter()
            took.append(0.0)
            reply = answer(self._store, job, self._count)
            took[0] = time.perf_counter() - started
            return reply

        future = asyncio.get_running_loop().run_in_executor(self._executor, evaluate)
        try:
            reply = await asyncio.wait_for(future, timeout)
        except TimeoutError:
            if not took:  # still queued: cancelled before it ran, nothing to stop
                raise QueryTimeout(
                    f"no query thread became free within {timeout:g} s; try again later"
                ) from None
            if not self.retired:
                self.retired = True
                self._retire()
            raise QueryTimeout(
                f"the query was stopped after {timeout:g} s (the limit of this endpoint)"
            ) from None
        if key is not None and took[0] < INLINE_BUDGET:
            self._cheap[key] = None
            if len(self._cheap) > _CHEAP_JOBS_KEPT:
                self._cheap.popitem(last=False)
        return reply

    def _run_inline(self, key: Hashable, job: object) -> tuple:
        self._cheap.move_to_end(key)
        self.inline_runs += 1
        started = time.perf_counter()
        reply = answer(self._store, job, self._count)
        if time.perf_counter() - started > 4 * INLINE_BUDGET:  # a busy machine: hand over
            self._cheap.pop(key, None)
        return reply

    async def close(self) -> None:
        # Never wait: a runaway query may hold a thread; the process exit ends it.
        self._executor.shutdown(wait=False, cancel_futures=True)


def _job_key(job: object) -> Hashable | None:
    """Everything that decides a job's work and reply, or None for jobs never run inline."""
    if isinstance(job, QueryJob):
        return (
            job.query,
            job.result_format,
            job.limit,
            job.byte_budget,
            job.note,
            None if job.default_graph is None else tuple(job.default_graph),
            None if job.named_graphs is None else tuple(job.named_graphs),
            tuple(sorted(job.substitutions.items())),
            job.query_dataset,
            job.base_iri,
        )
    if isinstance(job, FragmentJob):
        return (job.subject, job.predicate, job.object, job.offset, job.limit)
    return None
