"""Query evaluation on threads of the serving process, for `aict serve` with a supervisor.

pyoxigraph releases the GIL while it evaluates, so a query on a thread leaves the event loop
free, and the answer costs no process hop (about half the time of a small query through a
worker process). A thread cannot be stopped, though: when a query passes its deadline (or
passes the fast budget when the slow lane is full, publisher.sparql.lanes) the client gets
its 503 at once and `retire` is called, which asks the supervisor (publisher.web.processes)
for a fresh process and lets this one finish its other requests and exit, taking the
runaway thread with it. Meanwhile such a thread runs at the lowest CPU priority, and a
thread in the slow lane at a low one, so that the fast lane keeps the CPUs (Linux gives
each thread its own nice value; a thread never gets its priority back, so each job has its
own thread).

A job already seen to finish within `INLINE_BUDGET` runs on the event loop itself, without
the hand-over to a thread (a quarter of the server's time on a small query). That is safe
because this runner only serves read-only data: the same job does the same work every time.

Same interface as publisher.sparql.pool.QueryPool: `await run(job, timeout)` -> a reply.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache

import pyoxigraph as ox

from publisher.sparql.cpu import since, thread_cpu
from publisher.sparql.lanes import Lanes, Running, job_key, slow_places
from publisher.sparql.worker import answer, count_triples

# Seconds of evaluation below which a job may later block the event loop: other requests of
# this process wait at most about this long behind it.
INLINE_BUDGET = 0.002
_CHEAP_JOBS_KEPT = 4096
SLOW_NICE = 10  # a tenth of a normal thread's CPU weight when both want a CPU
STOPPED_NICE = 19


class ThreadRunner:
    """`threads` fast evaluations at once over `store`; `retire()` when one cannot be stopped."""

    def __init__(self, store: ox.Store, threads: int, retire: Callable[[], None]) -> None:
        self._store = store
        self._retire = retire
        self.lanes = Lanes(threads, slow_places(threads))
        self._count = lru_cache(maxsize=1024)(lambda s, p, o: count_triples(store, s, p, o))
        self._cheap: OrderedDict[Hashable, None] = OrderedDict()  # an LRU of job keys
        self.retired = False
        self.inline_runs = 0  # for tests and logs

    async def run(self, job: object, timeout: float) -> tuple:
        key = job_key(job)
        # (A client's timeout near the budget keeps the thread, whose deadline is exact.)
        if key is not None and key in self._cheap and timeout > 10 * INLINE_BUDGET:
            return self._run_inline(key, job)
        took: list[float] = []  # the evaluation time, once it has finished
        reply = await self.lanes.run(key, lambda slow: self._start(job, slow, took), timeout)
        if key is not None and took and took[0] < INLINE_BUDGET:
            self._cheap[key] = None
            if len(self._cheap) > _CHEAP_JOBS_KEPT:
                self._cheap.popitem(last=False)
        return reply

    async def _start(self, job: object, slow: bool, took: list[float]) -> Running:
        loop = asyncio.get_running_loop()
        reply = loop.create_future()
        ended = _Ended()
        thread_id: list[int] = []
        thread_clock: list[tuple[int, float | None]] = []  # (ident, CPU time at start)

        def evaluate() -> None:
            thread_id.append(threading.get_native_id())
            ident = threading.get_ident()
            thread_clock.append((ident, thread_cpu(ident)))
            if slow:
                _renice(thread_id[0], SLOW_NICE)
            started = time.perf_counter()
            try:
                result = answer(self._store, job, self._count)
                took.append(time.perf_counter() - started)
                _call_soon(loop, _settle, reply, result, None)
            except BaseException as exc:  # answered as a failed query, never lost
                _call_soon(loop, _settle, reply, None, exc)
            finally:
                _call_soon(loop, ended.set)

        threading.Thread(target=evaluate, name="sparql", daemon=True).start()

        def stop() -> None:
            if thread_id:
                _renice(thread_id[0], STOPPED_NICE)
            if not self.retired:
                self.retired = True
                self._retire()

        return Running(
            reply=reply,
            finished=ended.then,
            stop=stop,
            demoted=lambda: thread_id and _renice(thread_id[0], SLOW_NICE),
            cpu_used=lambda: (
                since(thread_clock[0][1], thread_cpu(thread_clock[0][0]))
                if thread_clock and not ended.done
                else None
            ),
        )

    def _run_inline(self, key: Hashable, job: object) -> tuple:
        self._cheap.move_to_end(key)
        self.inline_runs += 1
        started = time.perf_counter()
        reply = answer(self._store, job, self._count)
        if time.perf_counter() - started > 4 * INLINE_BUDGET:  # a busy machine: hand over
            self._cheap.pop(key, None)
        return reply

    async def close(self) -> None:
        """Nothing to wait for: a runaway thread ends with the process."""


class _Ended:
    """Callbacks run once a thread's job has ended (on the event loop)."""

    def __init__(self) -> None:
        self.done = False
        self._callbacks: list[Callable[[], None]] = []

    def then(self, callback: Callable[[], None]) -> None:
        if self.done:
            callback()
        else:
            self._callbacks.append(callback)

    def set(self) -> None:
        self.done = True
        for callback in self._callbacks:
            callback()


def _settle(future: asyncio.Future, result: object, error: BaseException | None) -> None:
    if future.done():
        return
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)


def _call_soon(loop: asyncio.AbstractEventLoop, callback: Callable, *args: object) -> None:
    try:
        loop.call_soon_threadsafe(callback, *args)
    except RuntimeError:  # the loop has closed: the process is leaving
        pass


def _renice(thread: int, nice: int) -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, thread, nice)
    except (OSError, AttributeError):  # not Linux, or not allowed: priorities stay equal
        pass
