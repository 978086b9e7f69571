"""Query evaluation on threads of the serving process, for `aict serve` with a supervisor.

pyoxigraph releases the GIL while it evaluates, so a query on a thread leaves the event loop
free, and the answer costs no process hop (about half the time of a small query through a
worker process). A thread cannot be stopped, though: when a query passes its deadline the
client gets its timeout answer at once and `retire` is called, which asks the supervisor
(publisher.web.processes) for a fresh process and lets this one finish its other requests
and exit, taking the runaway thread with it.

Same interface as publisher.sparql.pool.QueryPool: `await run(job, timeout)` -> a reply.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import pyoxigraph as ox

from publisher.errors import QueryTimeout
from publisher.sparql.worker import answer, count_triples


class ThreadRunner:
    """`threads` evaluations at once over `store`; `retire()` when one cannot be stopped."""

    def __init__(self, store: ox.Store, threads: int, retire: Callable[[], None]) -> None:
        self._store = store
        self._retire = retire
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="sparql")
        self._count = lru_cache(maxsize=1024)(lambda s, p, o: count_triples(store, s, p, o))
        self.retired = False

    async def run(self, job: object, timeout: float) -> tuple:
        started = threading.Event()

        def evaluate() -> tuple:
            started.set()
            return answer(self._store, job, self._count)

        future = asyncio.get_running_loop().run_in_executor(self._executor, evaluate)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            if not started.is_set():  # still queued: cancelled before it ran, nothing to stop
                raise QueryTimeout(
                    f"no query thread became free within {timeout:g} s; try again later"
                ) from None
            if not self.retired:
                self.retired = True
                self._retire()
            raise QueryTimeout(
                f"the query was stopped after {timeout:g} s (the limit of this endpoint)"
            ) from None

    async def close(self) -> None:
        # Never wait: a runaway query may hold a thread; the process exit ends it.
        self._executor.shutdown(wait=False, cancel_futures=True)
