"""The fast lane's budget counts a query's own work (its CPU time), not a busy machine's delay."""

from __future__ import annotations

import asyncio
import os
import threading
import time

from publisher.errors import QueryTimeout
from publisher.sparql.cpu import process_cpu, since, thread_cpu
from publisher.sparql.lanes import Lanes, Running


def _spin(cpu_seconds: float) -> None:
    """Work until this thread has used `cpu_seconds` of CPU (by the interpreter's own clock):
    on a busy machine that takes longer on the wall clock, never less work."""
    end = time.thread_time() + cpu_seconds
    deadline = time.monotonic() + 30
    while time.thread_time() < end and time.monotonic() < deadline:
        pass


def test_process_and_thread_cpu_grow_with_work_not_with_sleep():
    start_process, start_thread = process_cpu(os.getpid()), thread_cpu(threading.get_ident())
    time.sleep(0.1)
    slept = since(start_thread, thread_cpu(threading.get_ident()))
    assert slept is not None and slept < 0.05
    _spin(0.15)
    assert since(start_thread, thread_cpu(threading.get_ident())) >= 0.1
    assert since(start_process, process_cpu(os.getpid())) >= 0.1


def test_unknown_processes_and_threads_give_none():
    assert process_cpu(2**22 + 12345) is None
    assert since(None, 1.0) is None


def _job(wall: float, cpu: float | None) -> tuple[Running, list[str]]:
    """A job taking `wall` seconds on the clock while having used `cpu` seconds of CPU."""
    events: list[str] = []

    async def start(slow: bool) -> Running:
        loop = asyncio.get_running_loop()
        reply = loop.create_future()
        loop.call_later(wall, lambda: reply.done() or reply.set_result(("done",)))
        events.append("slow" if slow else "fast")
        return Running(
            reply=reply,
            finished=lambda callback: reply.add_done_callback(lambda _: callback()),
            stop=lambda: events.append("stopped"),
            demoted=lambda: events.append("demoted"),
            cpu_used=lambda: cpu,
        )

    return start, events


def _run_beside_a_runaway(wall: float, cpu: float | None, hold: float = 1.0):
    """Run the job while the only slow place is held by a runaway."""

    async def scenario():
        lanes = Lanes(fast=2, slow=1, budget=0.05, hold=hold)
        assert lanes.slow.try_take()  # a runaway holds the slow lane
        start, events = _job(wall, cpu)
        try:
            return await lanes.run(("q",), start, timeout=5), events
        except QueryTimeout as error:
            return error, events

    return asyncio.run(scenario())


def test_a_cheap_job_slowed_by_a_busy_machine_keeps_its_fast_place():
    reply, events = _run_beside_a_runaway(wall=0.3, cpu=0.01)
    assert reply == ("done",) and events == ["fast"]


def test_a_job_past_its_cpu_budget_leaves_the_fast_lane():
    reply, events = _run_beside_a_runaway(wall=0.3, cpu=0.2)
    assert isinstance(reply, QueryTimeout) and events == ["fast", "stopped"]


def test_without_a_cpu_measure_the_wall_clock_counts():
    reply, events = _run_beside_a_runaway(wall=0.3, cpu=None)
    assert isinstance(reply, QueryTimeout) and events == ["fast", "stopped"]


def test_a_job_holds_a_fast_place_at_most_the_hold_time():
    started = time.monotonic()
    reply, events = _run_beside_a_runaway(wall=3.0, cpu=0.0, hold=0.2)
    assert isinstance(reply, QueryTimeout) and events == ["fast", "stopped"]
    assert time.monotonic() - started < 2.0
