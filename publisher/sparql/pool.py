"""A pool of persistent query worker processes with hard deadlines.

Each request goes to an idle worker over a socket pair opened at its start; the event loop
keeps a reader on every worker's socket and decodes length-prefixed replies as their bytes
arrive (publisher.sparql.framing), so there is no thread hop, no process start and no
blocking read per query. A worker that passes
its deadline is killed (SIGKILL: pyoxigraph cannot be interrupted) and replaced in the
background while the other workers keep answering.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from publisher.errors import QueryError, StoreError
from publisher.sparql import framing
from publisher.sparql.cpu import process_cpu, since
from publisher.sparql.lanes import Lanes, Running, job_key, slow_places
from publisher.sparql.worker import Source

log = logging.getLogger(__name__)
_START_TIMEOUT = 600.0  # loading a large N-Quads snapshot takes a while
_READ_CHUNK = 1 << 20


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    sock: socket.socket
    reader: framing.FrameReader = field(default_factory=framing.FrameReader)
    pending: asyncio.Future | None = None  # the reply awaited from this worker
    slow: bool = False  # which lane's worker it is (publisher.sparql.lanes)


class WorkerCrashed(QueryError):
    """A worker died while answering (e.g. killed by the OS for memory)."""


class QueryPool:
    """`size` workers over one read-only `source`; use `await run(job, timeout)`."""

    def __init__(self, source: Source, size: int) -> None:
        self.source = source
        self.size = size + slow_places(size)  # `size` fast places, the slow lane's beside
        # Each lane has its own workers, so that a slow job never takes the worker a fast
        # one needs, even while killed workers are being replaced.
        self._idle: dict[bool, asyncio.Queue[_Worker]] = {
            False: asyncio.Queue(),
            True: asyncio.Queue(),
        }
        self._owed_to_fast = 0  # slow workers to hand to the fast lane once idle (demotions)
        self._all: set[_Worker] = set()
        self._closing = False
        self._replacing: set[asyncio.Task] = set()
        self._sending: set[asyncio.Task] = set()
        self.lanes = Lanes(size, slow_places(size))
        self.replaced = 0  # workers killed and restarted, for tests and logs

    async def start(self) -> None:
        workers = await asyncio.gather(
            *(asyncio.to_thread(self._spawn) for _ in range(self.size)),
            return_exceptions=True,
        )
        failures = [w for w in workers if isinstance(w, BaseException)]
        started = [worker for worker in workers if isinstance(worker, _Worker)]
        for number, worker in enumerate(started):
            worker.slow = number >= self.lanes.fast.size
            self._adopt(worker)
        if failures:
            await self.close()
            raise StoreError(f"SPARQL workers failed to start: {failures[0]}")

    def _spawn(self) -> _Worker:
        # A fresh interpreter (not fork: the server has threads; not multiprocessing's
        # spawn: it re-imports the parent's __main__) talking over a socket pair.
        ours, theirs = socket.socketpair()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "publisher.sparql.worker",
                str(theirs.fileno()),
                self.source.kind,
                str(self.source.path),
            ],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        ours.settimeout(_START_TIMEOUT)
        try:
            hello = framing.recv(ours)
        except TimeoutError:
            process.kill()
            ours.close()
            raise StoreError("a SPARQL worker did not start in time") from None
        except (EOFError, OSError):
            ours.close()
            code = process.wait(5)
            raise StoreError(f"a SPARQL worker exited at start (code {code})") from None
        if not isinstance(hello, tuple) or hello[0] != "ready":
            process.kill()
            ours.close()
            raise StoreError(str(hello[1]) if isinstance(hello, tuple) else "bad worker start")
        ours.setblocking(False)
        return _Worker(process, ours)

    def _adopt(self, worker: _Worker) -> None:
        asyncio.get_running_loop().add_reader(worker.sock.fileno(), self._on_readable, worker)
        self._all.add(worker)
        self._put_idle(worker)

    def _put_idle(self, worker: _Worker) -> None:
        if worker.slow and self._owed_to_fast:
            self._owed_to_fast -= 1
            worker.slow = False
        self._idle[worker.slow].put_nowait(worker)

    def _demoted(self, worker: _Worker) -> None:
        """`worker`'s job moved to the slow lane: the worker too, and a slow one to fast."""
        worker.slow = True
        idle_slow = self._idle[True]
        if idle_slow.empty():  # its slow worker is being replaced: the replacement is owed
            self._owed_to_fast += 1
        else:
            spare = idle_slow.get_nowait()
            spare.slow = False
            self._idle[False].put_nowait(spare)

    def _on_readable(self, worker: _Worker) -> None:
        try:
            data = worker.sock.recv(_READ_CHUNK)
        except BlockingIOError:
            return
        except OSError as exc:
            self._fail(worker, exc)
            return
        if not data:
            self._fail(worker, EOFError("the worker closed its socket"))
            return
        for message in worker.reader.feed(data):
            if worker.pending is not None and not worker.pending.done():
                worker.pending.set_result(message)

    def _fail(self, worker: _Worker, error: BaseException) -> None:
        asyncio.get_running_loop().remove_reader(worker.sock.fileno())
        if worker.pending is not None and not worker.pending.done():
            worker.pending.set_exception(error)

    async def run(self, job: object, timeout: float) -> tuple:
        """The worker's reply to `job`, or QueryTimeout after `timeout` seconds in all."""
        return await self.lanes.run(job_key(job), lambda slow: self._start(job, slow), timeout)

    async def _start(self, job: object, slow: bool) -> Running:
        # A place in a lane guarantees an idle worker of that lane, except while a killed
        # one is replaced.
        worker = await self._idle[slow].get()
        loop = asyncio.get_running_loop()
        pending = worker.pending = loop.create_future()
        outcome = loop.create_future()
        ended: list[Callable[[], None]] = []
        discarded = False
        cpu_at_start = process_cpu(worker.process.pid)

        def end(*_: object) -> None:
            for callback in ended:
                callback()
            ended.clear()

        def on_reply(future: asyncio.Future) -> None:
            worker.pending = None
            error = None if future.cancelled() else future.exception()
            if error is None and not future.cancelled():
                if not discarded:
                    self._put_idle(worker)
                _settle(outcome, future.result())
            elif isinstance(error, (EOFError, OSError)):
                discard()
                _settle(outcome, WorkerCrashed("the query worker stopped unexpectedly"))
            end()

        def discard() -> None:
            nonlocal discarded
            if not discarded:
                discarded = True
                self._discard(worker)
                pending.cancel()
                end()

        pending.add_done_callback(on_reply)
        sending = loop.create_task(loop.sock_sendall(worker.sock, framing.encode(job)))
        sending.add_done_callback(
            lambda task: (
                task.cancelled() or task.exception() is None or _settle(pending, EOFError())
            )
        )
        self._sending.add(sending)
        sending.add_done_callback(self._sending.discard)
        return Running(
            reply=outcome,
            finished=lambda callback: ended.append(callback) if not pending.done() else callback(),
            stop=discard,
            demoted=lambda: self._demoted(worker),
            abandoned=discard,  # the client went away: the worker may still be busy
            cpu_used=lambda: since(cpu_at_start, process_cpu(worker.process.pid)),
        )

    def _discard(self, worker: _Worker) -> None:
        """Kill a worker now and start its replacement in the background."""
        self._all.discard(worker)
        asyncio.get_running_loop().remove_reader(worker.sock.fileno())
        worker.process.kill()
        worker.sock.close()
        if self._closing:
            return
        task = asyncio.get_running_loop().create_task(self._replace(worker))
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    async def _replace(self, dead: _Worker) -> None:
        await asyncio.to_thread(dead.process.wait)
        try:
            fresh = await asyncio.to_thread(self._spawn)
        except StoreError:
            log.exception("could not replace a SPARQL worker")
            return
        if self._closing:
            fresh.process.kill()
            return
        self.replaced += 1
        fresh.slow = dead.slow
        self._adopt(fresh)

    async def wait_replacements(self) -> None:
        """Wait until killed workers have been replaced (tests, graceful shutdown)."""
        if self._replacing:
            await asyncio.gather(*self._replacing, return_exceptions=True)

    async def close(self) -> None:
        self._closing = True
        for task in list(self._replacing):
            task.cancel()
        loop = asyncio.get_running_loop()
        for worker in list(self._all):
            loop.remove_reader(worker.sock.fileno())
            try:
                worker.sock.send(framing.encode(None))  # a few bytes: never blocks
            except OSError:
                pass
        for worker in list(self._all):
            try:
                await asyncio.to_thread(worker.process.wait, 2)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                await asyncio.to_thread(worker.process.wait)
            worker.sock.close()
        self._all.clear()


def _settle(future: asyncio.Future, result: object) -> None:
    if future.done():
        return
    if isinstance(result, BaseException):
        future.set_exception(result)
    else:
        future.set_result(result)
