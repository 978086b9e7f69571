"""The Dockerfile, run without Docker (no engine here): its instructions are executed in order
on this machine, with the container's absolute paths (/src, /opt, /var) moved under a
temporary root, COPY done from the repository as .dockerignore allows, the RUN steps run by
bash, then the CMD started and the HEALTHCHECK run against it.

Two deviations, both standing in for what only a container gives: `useradd` is not run (it
would change this machine), and the fresh virtualenv sees the test environment's installed
dependencies through a .pth file, as tests/e2e/test_precommit_hook.py does for the action,
so that `pip install` needs no download of them.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from publisher.config import Settings
from tests.e2e.serving import free_port

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
# The container paths the Dockerfile uses, moved under the temporary root.
_CONTAINER_PATH = re.compile(r"(?<![\w./-])/(src|opt|var)(?=[/\s:\"']|$)")


def instructions() -> list[tuple[str, str]]:
    """(KEYWORD, arguments) of each instruction, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def ignored(path: str) -> bool:
    """Whether .dockerignore keeps `path` (relative to the context) out of the build."""
    result = False
    for pattern in (ROOT / ".dockerignore").read_text().splitlines():
        pattern = pattern.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate, pattern = pattern.startswith("!"), pattern.lstrip("!")
        parts = Path(path).parts
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(fnmatch.fnmatch(p, pattern) or fnmatch.fnmatch(p, "*/" + pattern) for p in prefixes):
            result = not negate
    return result


@dataclass
class Emulation:
    root: Path
    env: dict[str, str]
    cwd: Path
    skipped: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    exposed: list[str] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)
    command: list[str] = field(default_factory=list)

    def moved(self, text: str) -> str:
        return _CONTAINER_PATH.sub(lambda m: f"{self.root}/{m[1]}", text)

    def run(self, keyword: str, arguments: str) -> None:
        getattr(self, f"do_{keyword.lower()}")(arguments)

    def do_from(self, arguments: str) -> None:
        image = arguments.split()[0]
        assert re.fullmatch(r"python:3\.\d+-slim", image), image
        self.cwd = self.root

    def do_env(self, arguments: str) -> None:
        for pair in shlex.split(arguments):
            name, value = pair.split("=", 1)
            value = value.replace("$PATH", self.env["PATH"])
            self.env[name] = self.moved(value)

    def do_workdir(self, arguments: str) -> None:
        self.cwd = Path(self.moved(arguments))
        self.cwd.mkdir(parents=True, exist_ok=True)

    def do_copy(self, arguments: str) -> None:
        words = shlex.split(arguments)
        if words[0].startswith("--from="):  # from the build stage: here the same place
            assert words[1] == words[2], words
            assert Path(self.moved(words[2])).is_dir()
            return
        *sources, target = words
        destination = self.cwd / self.moved(target)
        for source in sources:
            assert not ignored(source), f"{source} is excluded by .dockerignore"
            origin = ROOT / source
            if origin.is_dir():  # as Docker does: the folder's contents into the target
                shutil.copytree(
                    origin,
                    destination,
                    ignore=shutil.ignore_patterns("__pycache__"),
                    dirs_exist_ok=True,
                )
            elif target.endswith("/"):
                destination.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, destination / origin.name)
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, destination)

    def do_run(self, arguments: str) -> None:
        if arguments.startswith("useradd"):
            self.skipped.append(arguments)
            return
        script = self.moved(arguments)
        done = subprocess.run(
            ["bash", "-e", "-c", script],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, f"RUN {arguments}\n{done.stdout}\n{done.stderr}"
        venv = re.search(r"-m venv (\S+)", script)
        if venv:  # stands for the download of the dependencies (see the module's docstring)
            site = next(Path(venv[1]).glob("lib/python*/site-packages"))
            (site / "aict-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"])

    def do_user(self, arguments: str) -> None:
        self.users.append(arguments)

    def do_expose(self, arguments: str) -> None:
        self.exposed.extend(arguments.split())

    def do_healthcheck(self, arguments: str) -> None:
        self.healthcheck = json.loads(arguments.split("CMD", 1)[1])

    def do_cmd(self, arguments: str) -> None:
        self.command = json.loads(arguments)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Emulation:
    root = tmp_path_factory.mktemp("image")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AICT_", "VIRTUAL_ENV"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["HOME"] = env["XDG_CACHE_HOME"] = str(root / "home")
    emulation = Emulation(root=root, env=env, cwd=root)
    for keyword, arguments in instructions():
        emulation.run(keyword, arguments)
    return emulation


def test_the_image_runs_as_a_user_with_the_data_built(built):
    assert built.skipped == [s for s in built.skipped if s.startswith("useradd")]
    assert built.users and built.users[-1] not in ("root", "0")
    store = Path(built.env["AICT_STORE_DIR"])
    assert (store / "aict-build.json").is_file() and (store / "dumps").is_dir()
    assert built.exposed == [str(Settings.model_fields["port"].default)]


def test_the_command_serves_and_passes_its_healthcheck(built, tmp_path):
    assert built.command[:2] == ["aict", "serve"] and "0.0.0.0" in built.command
    port = free_port()  # the image's 8000 may be taken on this machine
    env = {**built.env, "AICT_PORT": str(port), "AICT_QUERY_WORKERS": "1"}
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(built.command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        started = time.monotonic()
        while True:
            assert server.poll() is None, log.read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                assert time.monotonic() - started < 30, log.read_text()
                time.sleep(0.2)
        # A store built at image build time opens at once: no load, no dump built at start.
        assert "files not reloaded" in log.read_text()
        check = [part.replace(":8000/", f":{port}/") for part in built.healthcheck]
        assert "/healthz" in " ".join(check)
        assert subprocess.run(check, env=env, timeout=30).returncode == 0
    finally:
        server.terminate()
        server.wait(timeout=15)
