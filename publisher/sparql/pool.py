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
from dataclasses import dataclass, field

from publisher.errors import QueryError, QueryTimeout, StoreError
from publisher.sparql import framing
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
        self._idle.put_nowait(worker)

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
        reply = worker.pending = loop.create_future()
        timer = loop.call_at(deadline, _settle, reply, TimeoutError())
        try:
            await loop.sock_sendall(worker.sock, framing.encode(job))
            answer = await reply
        except TimeoutError:
            self._discard(worker)
            raise QueryTimeout(
                f"the query was stopped after {timeout:g} s (the limit of this endpoint)"
            ) from None
        except (EOFError, OSError):
            self._discard(worker)
            raise WorkerCrashed("the query worker stopped unexpectedly") from None
        except asyncio.CancelledError:  # the client went away: the worker may still be busy
            self._discard(worker)
            raise
        finally:
            timer.cancel()
            worker.pending = None
        self._idle.put_nowait(worker)
        return answer

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


def _settle(future: asyncio.Future, error: BaseException | None) -> None:
    if not future.done():
        if error is None:
            future.set_result(None)
        else:
            future.set_exception(error)
