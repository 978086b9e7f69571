"""Validations in a worker process, so that one past its deadline can be stopped.

A started pySHACL run cannot be interrupted, and some inputs would hold it for hours (its
report costs the square of a list value's length: 2,000 items 33 s). So the server validates
in a child process and kills it (SIGKILL) at the deadline, then starts a fresh one at once.
The child is a fresh interpreter, as the SPARQL workers are (publisher.sparql.pool): a fork
of the threaded server would inherit its sockets, event loop and locks. It loads the
reference data at its start and keeps it with the shapes, so a small validation costs one
round trip on a socket pair (publisher.sparql.framing) more than in the server itself.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence

from publisher.config import Settings
from publisher.errors import InputError, Unavailable
from publisher.sparql import framing
from publisher.validation.inputs import Source
from publisher.validation.report import Report


class ValidationTimedOut(Unavailable):
    """The validation did not finish within the timeout."""

    def __init__(self, timeout: float) -> None:
        super().__init__(
            f"the validation did not finish within {timeout:g} s; "
            "retry later, or validate locally with `aict validate`"
        )


class ValidationWorker:
    """One worker process, started when first needed. `validate` is called on one thread at
    a time (the server's validation thread); `close` from any thread."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._sock: socket.socket | None = None

    def validate(self, sources: Sequence[Source], settings: Settings, deadline: float) -> Report:
        """The report of `publisher.validation.validate`, or its InputError; past `deadline`
        (time.monotonic()), the worker is killed and ValidationTimedOut raised."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:  # waited its turn too long: nothing started, nothing to kill
            raise ValidationTimedOut(settings.validation_timeout)
        if self._process is None:
            self._start()
        sock = self._sock
        assert sock is not None
        try:
            sock.settimeout(remaining)
            framing.send(sock, (list(sources), settings))
            outcome, value = framing.recv(sock)
        except TimeoutError:
            self.close()
            self._start()  # readies itself now, so the next validation does not wait for it
            raise ValidationTimedOut(settings.validation_timeout) from None
        except (EOFError, OSError):  # killed by close(), or by the system (memory)
            self.close()
            raise Unavailable("the validation stopped before its end; retry later") from None
        if outcome == "report":
            return value
        if outcome == "unreadable":
            raise value
        raise RuntimeError(f"the validation failed: {value}")

    def _start(self) -> None:
        ours, theirs = socket.socketpair()
        command = [sys.executable, "-m", __name__, str(theirs.fileno()), str(os.getpid())]
        self._process = subprocess.Popen(
            command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL
        )
        theirs.close()
        self._sock = ours

    def close(self) -> None:
        """Kill the worker (idle or not) and collect it; the next validation starts another."""
        process, sock = self._process, self._sock
        self._process = self._sock = None
        if process is not None:
            process.kill()
            process.wait()
        if sock is not None:
            sock.close()


def serve(sock: socket.socket, parent: int) -> None:
    """The worker's loop: a job is (sources, settings); replies until the server closes."""
    from publisher.web.processes import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when we stop
    die_with_parent(parent)  # a runaway run must not outlive a killed server
    from publisher.validation.core import validate
    from publisher.validation.reference import load_reference

    load_reference()  # the second of every first validation, spent before it arrives

    while True:
        try:
            sources, settings = framing.recv(sock)
        except (EOFError, OSError):
            return
        try:
            reply = ("report", validate(sources, settings=settings))
        except InputError as exc:
            reply = ("unreadable", exc)
        except Exception as exc:  # sent as text: not every exception can be pickled
            logging.getLogger(__name__).exception("a validation failed")
            reply = ("failed", f"{type(exc).__name__}: {exc}")
        framing.send(sock, reply)


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])), int(sys.argv[2]))
