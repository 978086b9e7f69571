"""Real SPARQL engines for the end-to-end tests, each holding the bundled data in the named
graphs the publisher loads it into: Oxigraph server (PyPI `oxigraph`, a test dependency) and
Virtuoso Open Source (Debian `virtuoso-opensource`, installed by scripts/test.sh).

An Engine can be stopped and started again on the same data and port (the fault tests).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from serving import free_port

from publisher.store import resolve_sources
from publisher.store.embedded import open_on_disk

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
# Our own deadline stops a runaway first; the engine's only keeps it from running for ever.
ENGINE_TIMEOUT_S = 20
STARTUP_SECONDS = 60


@dataclass
class Engine:
    name: str
    endpoint: str
    command: list[str]
    workdir: Path
    stop_command: list[str] | None = None
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> None:
        log = (self.workdir / f"{self.name}.log").open("ab")
        self.process = subprocess.Popen(
            self.command, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self.answers():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"{self.name} did not start; see {self.workdir}")
            time.sleep(0.2)

    def answers(self) -> bool:
        try:
            reply = httpx.post(self.endpoint, data={"query": "ASK {}"}, timeout=2)
        except httpx.HTTPError:
            return False
        return reply.status_code == 200

    def stop(self) -> None:
        if self.process is None:
            return
        if self.stop_command is not None and self.process.poll() is None:
            subprocess.run(self.stop_command, capture_output=True, timeout=60, check=False)
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


def oxigraph_available() -> bool:
    return OXIGRAPH.exists()


def virtuoso_available() -> bool:
    return VIRTUOSO is not None and ISQL is not None and VIRTUOSO_INI.is_file()


def oxigraph_engine(workdir: Path) -> Engine:
    """`oxigraph serve-read-only --union-default-graph` on a store of the bundled data."""
    store = open_on_disk(workdir / "store", [])  # the publisher's own loader: same graphs
    store.close()
    port = free_port()
    command = [
        str(OXIGRAPH),
        "serve-read-only",
        "--location",
        str(workdir / "store" / "oxigraph"),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
        "--timeout-s",
        str(ENGINE_TIMEOUT_S),
    ]
    engine = Engine("oxigraph", f"http://127.0.0.1:{port}/query", command, workdir)
    engine.start()
    return engine


def virtuoso_engine(workdir: Path) -> Engine:
    """A private Virtuoso instance (own database, free ports) loaded with the bundled data,
    one named graph per file."""
    isql_port, http_port = free_port(), free_port()
    database = workdir / "db"
    database.mkdir(parents=True, exist_ok=True)
    sources = resolve_sources([])
    folders = sorted({str(source.path.parent) for source in sources})
    ini = VIRTUOSO_INI.read_text(encoding="utf-8")
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db", str(database))
    ini = re.sub(r"(?m)^ServerPort(\s*)=\s*1111", f"ServerPort = {isql_port}", ini)
    ini = re.sub(r"(?m)^ServerPort(\s*)=\s*8890", f"ServerPort = {http_port}", ini)
    ini = re.sub(r"(?m)^DirsAllowed\s*=.*$", "DirsAllowed = ., " + ", ".join(folders), ini)
    # Our row cap and deadline are the limits: Virtuoso's own would cut results silently
    # (ResultSetMaxRows) or refuse a query on its cost estimate before it runs.
    ini = re.sub(r"(?m)^ResultSetMaxRows\s*=.*$", "ResultSetMaxRows = 1000000", ini)
    ini = re.sub(r"(?m)^MaxQueryCostEstimationTime\s*=.*$", "MaxQueryCostEstimationTime = 0", ini)
    ini = re.sub(
        r"(?m)^MaxQueryExecutionTime\s*=.*$", f"MaxQueryExecutionTime = {ENGINE_TIMEOUT_S}", ini
    )
    config = workdir / "virtuoso.ini"
    config.write_text(ini, encoding="utf-8")
    isql = [str(ISQL), str(isql_port), "dba", "dba"]
    engine = Engine(
        "virtuoso",
        f"http://127.0.0.1:{http_port}/sparql",
        [str(VIRTUOSO), "-c", str(config), "+foreground"],
        workdir,
        stop_command=[*isql, "exec=shutdown;"],
    )
    engine.start()
    loads = " ".join(
        f"DB.DBA.TTLP_MT(file_to_string_output('{source.path}'), '', '{source.graph}', 0);"
        for source in sources
    )
    loaded = subprocess.run(
        [*isql, f"exec={loads} checkpoint;"], capture_output=True, text=True, timeout=120
    )
    if loaded.returncode != 0 or "Error" in loaded.stdout + loaded.stderr:
        engine.stop()
        raise RuntimeError(f"Virtuoso did not load the data: {loaded.stdout}{loaded.stderr}")
    return engine
