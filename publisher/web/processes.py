"""Several serving processes over one listening socket, kept alive by a small supervisor.

Why: a SPARQL query evaluated on a thread of the serving process answers without a process
hop, but a thread cannot be stopped. So `aict serve` (read-only, in-memory store) runs
`count` uvicorn processes forked from one that has loaded the data (copy-on-write: loaded
once, shared, and a replacement starts in milliseconds). A process whose query passed its
deadline answers the timeout, tells the supervisor, stops accepting, finishes its other
requests and exits, ending the runaway thread; the supervisor has already forked a fresh
process, so the endpoint keeps serving all along.

The supervisor must stay single-threaded until it forks (it never starts a thread or an
event loop), so that each child inherits a consistent copy of the loaded store.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import select
import signal
import socket
import sys
import time
from collections.abc import Callable

log = logging.getLogger("aict.processes")

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# A child that dies this soon after its start, this many times in a row, is not going to
# work: stop rather than fork forever.
_EARLY_DEATH_SECONDS = 2.0
_EARLY_DEATHS_ALLOWED = 5


def bind(host: str, port: int) -> socket.socket:
    """The listening socket the children share (bound here, so a busy port is one clear error)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class Supervisor:
    """Keeps `count` children running `serve_child(sock, retire)` until SIGINT/SIGTERM.

    `retire()`, called in a child, asks for its replacement now; the child then exits on
    its own once it has drained.
    """

    def __init__(
        self,
        sock: socket.socket,
        count: int,
        serve_child: Callable[[socket.socket, Callable[[], None]], None],
        grace: float,
    ) -> None:
        self._sock = sock
        self._count = count
        self._serve_child = serve_child
        self._grace = grace  # seconds a child may take to drain when we stop
        self._children: dict[int, float] = {}  # pid -> start time, counted in `count`
        self._retiring: set[int] = set()  # asked for a replacement; exit on their own
        self._stopping = False
        self._early_deaths = 0
        self._notices = self._notify = -1  # the pipe children write retire notices to
        self.replaced = 0

    def run(self) -> int:
        """Serve until asked to stop; the exit code for the command."""
        self._notices, self._notify = os.pipe()
        previous = {sig: signal.signal(sig, self._stop) for sig in _STOP_SIGNALS}
        try:
            for _ in range(self._count):
                self._fork()
            while not self._stopping:
                self._read_notices()
                self._reap()
                if self._early_deaths >= _EARLY_DEATHS_ALLOWED:
                    log.error("serving processes keep exiting at start; stopping")
                    return 1
        finally:
            self._stop_children()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            os.close(self._notices)
            os.close(self._notify)
            self._sock.close()
        return 0

    def _stop(self, signum: int, frame: object) -> None:
        self._stopping = True

    def _fork(self) -> None:
        supervisor = os.getpid()
        # What exists now is never collected again, here or in the children: a collection
        # writes into every object it visits, and each page it wrote would be copied into
        # every serving process instead of staying shared (the gc module's advice for fork).
        gc.freeze()
        _release_freed_memory()
        pid = os.fork()
        if pid == 0:  # the child: serve, then leave without running the parent's cleanup
            code = 1
            try:
                os.close(self._notices)
                die_with_parent(supervisor)
                for sig in _STOP_SIGNALS:
                    signal.signal(sig, signal.SIG_DFL)  # uvicorn installs its own handlers
                notify = self._notify

                def retire() -> None:
                    os.write(notify, f"{os.getpid()}\n".encode())

                self._serve_child(self._sock, retire)
                code = 0
            except BaseException:
                log.exception("a serving process failed")
            finally:
                # Never return into the supervisor's loop; a runaway query thread may still
                # run, and interpreter shutdown would wait for it.
                logging.shutdown()
                os._exit(code)
        self._children[pid] = time.monotonic()

    def _read_notices(self) -> None:
        ready, _, _ = select.select([self._notices], [], [], 0.2)
        if not ready:
            return
        for line in os.read(self._notices, 4096).decode().split():
            pid = int(line)
            if pid in self._children and pid not in self._retiring:
                log.warning("serving process %d retires after a runaway query", pid)
                self._retiring.add(pid)
                del self._children[pid]
                self.replaced += 1
                self._fork()

    def _reap(self) -> None:
        """Collect exited children, replacing the unexpected exits."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid in self._retiring:
                self._retiring.discard(pid)
                continue
            started = self._children.pop(pid, None)
            if started is None or self._stopping:
                continue
            log.error("serving process %d exited (%s); starting another", pid, _describe(status))
            early = time.monotonic() - started < _EARLY_DEATH_SECONDS
            self._early_deaths = self._early_deaths + 1 if early else 0
            if self._early_deaths < _EARLY_DEATHS_ALLOWED:
                self._fork()

    def _stop_children(self) -> None:
        pids = set(self._children) | self._retiring
        for pid in pids:
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + self._grace
        while pids and time.monotonic() < deadline:
            for pid in list(pids):
                try:
                    done, _ = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    done = pid
                if done:
                    pids.discard(pid)
            time.sleep(0.05)
        for pid in pids:  # did not drain in time: a runaway query or a stuck client
            _signal(pid, signal.SIGKILL)
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self._children.clear()
        self._retiring.clear()


def _release_freed_memory() -> None:
    """Give the memory freed so far back to the kernel (glibc keeps it for reuse): kept, it
    stays resident in the supervisor for nothing, and a serving process reusing it gets its
    own copy of each page anyway."""
    if not sys.platform.startswith("linux"):
        return
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc only, not musl
    if trim is not None:
        trim(0)


def die_with_parent(parent: int) -> None:
    """Ask Linux to send us SIGTERM if `parent` (the supervisor, a server) dies without
    stopping us (SIGKILL, OOM killer), so that no orphan keeps the port or a runaway job.
    (Linux sends it when the parent's thread that started us ends: start us from a thread
    that lives as long as the parent needs us.)"""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it died before the call: we would never be told
        os._exit(1)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"code {os.waitstatus_to_exitcode(status)}"
