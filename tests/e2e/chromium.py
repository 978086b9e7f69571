"""Debian's chromium, headless, for the end-to-end tests: the one way they start it.

Every host but 127.0.0.1 resolves to "not found", so a page can reach nothing else; its
network log (`--log-net-log=FILE`) tells what it asked for.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(), reason="chromium is not installed (scripts/test.sh installs it)"
)


def run_chromium(work: Path, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """One chromium run with a fresh profile, bounded in time."""
    profile = work / f"profile-{time.monotonic_ns()}"
    return subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, url],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )


def page_requests(netlog: Path) -> list[tuple[str, str]]:
    """The requests (method, URL) the page made, read from chromium's network log."""
    log = json.loads(netlog.read_text())
    event_types = {value: name for name, value in log["constants"]["logEventTypes"].items()}
    requests = []
    for event in log["events"]:
        params = event.get("params") or {}
        if event_types.get(event["type"]) != "URL_REQUEST_START_JOB":
            continue
        # Requests made for our page carry its site in their isolation key; the browser's
        # own background services (updates, accounts) do not, and resolve to nothing here.
        if "127.0.0.1" in params.get("network_isolation_key", ""):
            requests.append((params["method"], params["url"]))
    return requests
