"""Start real processes for the end-to-end tests: the one way they run `aict serve`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

AICT = Path(sys.executable).parent / "aict"
STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(
    *args: str,
    log: Path,
    startup_seconds: float = STARTUP_SECONDS,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Run `aict serve` on a free port until the block ends; yields its base URL."""
    with serving_process(*args, log=log, startup_seconds=startup_seconds, env=env) as (base, _):
        yield base


@contextmanager
def serving_process(
    *args: str,
    log: Path,
    startup_seconds: float = STARTUP_SECONDS,
    env: dict[str, str] | None = None,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """As `serving`, also yielding the `aict serve` process (to signal it, find its children)."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AICT_")}
    environment["AICT_QUERY_WORKERS"] = "1"  # these tests do not query SPARQL: start fast
    environment.update(env or {})
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [str(AICT), "serve", *args, "--host", "127.0.0.1", "--port", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=environment,
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            if process.poll() is not None:
                pytest.fail(f"aict serve exited with {process.returncode}: {log.read_text()}")
            try:
                with urllib.request.urlopen(base + "healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"aict serve did not start: {log.read_text()}")
                time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
