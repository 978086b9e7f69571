"""The CPU time a running query has used, where the operating system tells it.

The fast lane's budget is meant to measure a query's own work. On a busy machine a trivial
query can take longer than the budget on the wall clock while it waits for a CPU; measured
in CPU time it stays cheap and keeps its fast place. Linux tells both a process's CPU time
(/proc) and a thread's (its CPU clock); elsewhere these return None and the wall clock counts.
"""

from __future__ import annotations

import os
import time

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu(pid: int) -> float | None:
    """Seconds of CPU (user and system) process `pid` has used, or None if unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            # The command name (field 2) may hold spaces: count fields after its ')'.
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    try:
        return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
    except (IndexError, ValueError):
        return None


def thread_cpu(ident: int) -> float | None:
    """Seconds of CPU the thread of `threading.get_ident()` value `ident` has used."""
    try:
        return time.clock_gettime(time.pthread_getcpuclockid(ident))
    except (AttributeError, OSError, OverflowError):
        return None


def since(start: float | None, now: float | None) -> float | None:
    return None if start is None or now is None else max(now - start, 0.0)
