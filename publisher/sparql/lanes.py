"""Admission by cost class: slow queries never make fast ones wait.

A query's cost is unknown until it runs, so every job of unknown cost starts in the fast
lane, whose places are held by short work only: a job still running after `FAST_BUDGET`
seconds leaves the fast lane for a place in the slow lane (it keeps running, nothing is
lost), and its fast place goes to the next job at once. The budget counts the job's CPU
time where the runner can measure it (publisher.sparql.cpu): a cheap job slowed by a busy
machine is not mistaken for a runaway; it holds its place at most `FAST_HOLD` on the wall
clock. The slow lane has its own, smaller number of places: when they are all taken, a job
passing the budget is stopped there with a 503 (the runner decides how: a worker process is
killed, a serving process retires). A job seen once to pass the budget is remembered as
slow and, the next times, waits for a slow place directly, so a crawler repeating a runaway
query never touches the fast lane.

So however many runaway queries arrive, a trivial query waits for at most one budget behind
them (one hold on a CPU-starved machine), and runaways use at most the slow lane's places
(their share of the CPUs).

Both runners (publisher.sparql.threads, publisher.sparql.pool) use `Lanes.run`.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

from publisher.errors import QueryTimeout
from publisher.sparql.worker import FragmentJob, QueryJob

# Seconds a job of unknown cost may hold a fast place. Small against the latency a trivial
# query should keep (100 ms) even when it waits behind one such job, large against the few
# milliseconds of a lookup on a busy machine.
FAST_BUDGET = 0.05
# Wall-clock seconds a job still within its CPU budget may hold a fast place (a CPU-starved
# machine); the bound on how long trivial queries can wait behind one job.
FAST_HOLD = 1.0
_COSTS_KEPT = 4096


def slow_places(workers: int) -> int:
    """The slow lane's share of `workers` places: half, at least one."""
    return max(1, workers // 2)


class Places:
    """A counted resource with a FIFO of waiters; `try_take` never waits (demotion)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.free = size
        self._waiters: deque[asyncio.Future] = deque()

    def try_take(self) -> bool:
        if self.free > 0:
            self.free -= 1
            return True
        return False

    async def take(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a place; False if none became free."""
        if not self._waiters and self.try_take():
            return True
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), max(timeout, 0))
            return True
        except TimeoutError:
            if waiter.done() and not waiter.cancelled():  # given just as we stopped waiting
                return True
            waiter.cancel()
            return False
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.give()
            waiter.cancel()
            raise

    def give(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the place passes to it directly
                return
        self.free += 1


class _Place:
    """The place one job holds, given back exactly once (when the job truly ends)."""

    def __init__(self, lane: Places) -> None:
        self.lane = lane
        self._held = True

    def give(self) -> None:
        if self._held:
            self._held = False
            self.lane.give()

    def move_to(self, lane: Places) -> None:  # a place already taken in `lane`
        self.lane, self._held = lane, True


@dataclass
class Running:
    """What `Lanes.run` needs from a runner for one started job."""

    reply: Awaitable[tuple]  # resolves to the job's reply (never cancelled by Lanes)
    finished: Callable[[Callable[[], None]], None]  # call back once the job truly ends
    stop: Callable[[], None]  # the job passed its deadline or found no slow place
    demoted: Callable[[], None] = lambda: None  # the job moved to the slow lane
    abandoned: Callable[[], None] = lambda: None  # the client went away meanwhile
    cpu_used: Callable[[], float | None] = lambda: None  # CPU seconds so far, None: unknown


class Lanes:
    def __init__(
        self, fast: int, slow: int, budget: float = FAST_BUDGET, hold: float = FAST_HOLD
    ) -> None:
        self.fast = Places(fast)
        self.slow = Places(slow)
        self.budget = budget
        self.hold = hold
        self._slow_jobs: OrderedDict[Hashable, None] = OrderedDict()  # an LRU of job keys
        self.demotions = 0  # for tests and logs
        self.refusals = 0

    def known_slow(self, key: Hashable | None) -> bool:
        return key is not None and key in self._slow_jobs

    def _remember_slow(self, key: Hashable | None) -> None:
        if key is None:
            return
        self._slow_jobs[key] = None
        self._slow_jobs.move_to_end(key)
        if len(self._slow_jobs) > _COSTS_KEPT:
            self._slow_jobs.popitem(last=False)

    async def run(
        self,
        key: Hashable | None,
        start: Callable[[bool], Awaitable[Running]],
        timeout: float,
    ) -> tuple:
        """Admit the job (key None: an internal job, never demoted), run it, return its reply."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        place = _Place(await self._admit(key, timeout))
        try:
            running = await asyncio.wait_for(
                start(place.lane is self.slow),  # (slow: known to be long)
                max(deadline - loop.time(), 0.001),
            )
        except BaseException as exc:
            place.give()
            if isinstance(exc, TimeoutError):  # a replacement worker is still starting
                raise QueryTimeout(
                    f"no query worker became free within {timeout:g} s; try again later"
                ) from None
            raise
        running.finished(lambda: loop.call_soon_threadsafe(place.give))
        reply = asyncio.ensure_future(running.reply)
        try:
            if place.lane is self.fast and key is not None:
                await self._fast_turn(reply, running, deadline)
                if not reply.done() and loop.time() < deadline:
                    self._demote(key, running, place)
            await asyncio.wait({reply}, timeout=max(deadline - loop.time(), 0))
        except asyncio.CancelledError:
            running.abandoned()
            raise
        if not reply.done():
            running.stop()
            raise QueryTimeout(
                f"the query was stopped after {timeout:g} s (the limit of this endpoint)"
            )
        return reply.result()

    async def _fast_turn(self, reply: asyncio.Future, running: Running, deadline: float) -> None:
        """Wait while the job is within its budget: of CPU if known, else of wall clock."""
        loop = asyncio.get_running_loop()
        held_until = min(loop.time() + self.hold, deadline)
        wait = self.budget
        while True:
            await asyncio.wait({reply}, timeout=max(min(wait, held_until - loop.time()), 0))
            if reply.done() or loop.time() >= held_until:
                return
            used = running.cpu_used()
            if used is None or used >= self.budget:
                return
            wait = max(self.budget - used, 0.005)

    def _demote(self, key: Hashable, running: Running, place: _Place) -> None:
        """Move a running job past the budget to a slow place, or stop it if none is free."""
        self.demotions += 1
        self._remember_slow(key)
        if not self.slow.try_take():
            self.refusals += 1
            running.stop()
            # Given back now even if the job lingers (a thread ends with its retiring
            # process, meanwhile at the lowest CPU priority): the fast lane never shrinks.
            place.give()
            raise QueryTimeout(
                f"the query was stopped after {self.budget:g} s: the {self.slow.size} "
                "place(s) this server gives long queries are all taken; try again later"
            )
        place.give()  # its fast place goes to the next job now
        place.move_to(self.slow)
        running.demoted()

    async def _admit(self, key: Hashable | None, timeout: float) -> Places:
        lane = self.slow if self.known_slow(key) else self.fast
        started = asyncio.get_running_loop().time()
        if await lane.take(timeout):
            if lane is self.slow or not self.known_slow(key):
                return lane
            # Seen to be slow while this copy waited (the same runaway sent many times at
            # once): it goes on waiting in its own lane.
            lane.give()
            lane = self.slow
            left = timeout - (asyncio.get_running_loop().time() - started)
            if await lane.take(left):
                return lane
        if lane is self.slow:
            raise QueryTimeout(
                f"this query was slow before and the {lane.size} place(s) this server gives "
                f"long queries stayed taken for {timeout:g} s; try again later"
            )
        raise QueryTimeout(f"no query place became free within {timeout:g} s; try again later")


def job_key(job: object) -> Hashable | None:
    """Everything that decides a job's work and reply, or None for internal jobs."""
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
