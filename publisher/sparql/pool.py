"""A pool of persistent query worker processes with hard deadlines.

Each request goes to an idle worker over a pipe; the event loop waits on the pipe's file
descriptor, so there is no thread hop and no process start per query. A worker that passes
its deadline is killed (SIGKILL: pyoxigraph cannot be interrupted) and replaced in the
background while the other workers keep answering.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection

from publisher.errors import QueryError, QueryTimeout, StoreError
from publisher.sparql.worker import Source

log = logging.getLogger(__name__)
_START_TIMEOUT = 600.0  # loading a large N-Quads snapshot takes a while


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    conn: Connection


class WorkerCrashed(QueryError):
    """A worker died while answering (e.g. killed by the OS for memory)."""


class QueryPool:
    """`size` workers over one read-only `source`; use `await run(job, timeout)`."""

    def __init__(self, source: Source, size: int) -> None:
        self.source = source
        self.size = size
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._closing = False
        self._replacing: set[asyncio.Task] = set()
        self.replaced = 0  # workers killed and restarted, for tests and logs

    async def start(self) -> None:
        workers = await asyncio.gather(
            *(asyncio.to_thread(self._spawn) for _ in range(self.size)),
            return_exceptions=True,
        )
        failures = [w for w in workers if isinstance(w, BaseException)]
        for worker in workers:
            if isinstance(worker, _Worker):
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
        conn = Connection(ours.detach())
        if not conn.poll(_START_TIMEOUT):
            process.kill()
            raise StoreError("a SPARQL worker did not start in time")
        try:
            hello = conn.recv()
        except (EOFError, OSError):
            code = process.wait(5)
            raise StoreError(f"a SPARQL worker exited at start (code {code})") from None
        if hello[0] != "ready":
            process.kill()
            raise StoreError(str(hello[1]))
        return _Worker(process, conn)

    def _adopt(self, worker: _Worker) -> None:
        self._all.add(worker)
        self._idle.put_nowait(worker)

    async def run(self, job: object, timeout: float) -> tuple:
        """The worker's reply to `job`, or QueryTimeout after `timeout` seconds in all."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        if self._idle.empty():
            try:
                worker = await asyncio.wait_for(self._idle.get(), timeout)
            except TimeoutError:
                raise QueryTimeout(
                    f"no query worker became free within {timeout:g} s; try again later"
                ) from None
        else:  # the usual case, without wait_for's task and timer
            worker = self._idle.get_nowait()
        try:
            worker.conn.send(job)
            reply = await self._reply(worker, deadline)
        except TimeoutError:
            self._discard(worker)
            raise QueryTimeout(
                f"the query was stopped after {timeout:g} s (the limit of this endpoint)"
            ) from None
        except (EOFError, OSError, BrokenPipeError):
            self._discard(worker)
            raise WorkerCrashed("the query worker stopped unexpectedly") from None
        except asyncio.CancelledError:  # the client went away: the worker may still be busy
            self._discard(worker)
            raise
        self._idle.put_nowait(worker)
        return reply

    async def _reply(self, worker: _Worker, deadline: float) -> tuple:
        """Wait on the worker's socket until it has replied, or TimeoutError at `deadline`."""
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = worker.conn.fileno()
        loop.add_reader(fd, _settle, ready, None)
        timer = loop.call_at(deadline, _settle, ready, TimeoutError())
        try:
            await ready
        finally:
            timer.cancel()
            loop.remove_reader(fd)
            # uvloop leaves the descriptor non-blocking; a reply larger than the socket
            # buffer must then be read to its end, so make it blocking again.
            os.set_blocking(fd, True)
        return worker.conn.recv()

    def _discard(self, worker: _Worker) -> None:
        """Kill a worker now and start its replacement in the background."""
        self._all.discard(worker)
        worker.process.kill()
        worker.conn.close()
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
        self._adopt(fresh)

    async def wait_replacements(self) -> None:
        """Wait until killed workers have been replaced (tests, graceful shutdown)."""
        if self._replacing:
            await asyncio.gather(*self._replacing, return_exceptions=True)

    async def close(self) -> None:
        self._closing = True
        for task in list(self._replacing):
            task.cancel()
        for worker in list(self._all):
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in list(self._all):
            try:
                await asyncio.to_thread(worker.process.wait, 2)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                await asyncio.to_thread(worker.process.wait)
            worker.conn.close()
        self._all.clear()


def _settle(future: asyncio.Future, error: BaseException | None) -> None:
    if not future.done():
        if error is None:
            future.set_result(None)
        else:
            future.set_exception(error)
