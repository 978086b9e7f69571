"""The two definitions data repositories use, run for real.

- .pre-commit-hooks.yaml: pre-commit installs this repository (at HEAD) into its own cache
  and runs the hook on a temporary git repository, once with a good file, once with a bad one.
- action.yml: its shell steps run with the inputs substituted, the install step into a fresh
  virtualenv (so the package is installed, not used from the source tree).

Both install the package, which takes a while: each install happens once per session.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTRIBUTIONS = ROOT / "tests" / "data" / "validation" / "contributions"
GOOD = CONTRIBUTIONS / "good.ttl"
BAD = CONTRIBUTIONS / "missing-french-label.ttl"
BAD_MESSAGE = "An action needs a French label"
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, timeout=60
    ).stdout.strip()


# --- pre-commit ------------------------------------------------------------------------------


def test_hook_definition():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "aict-validate"
    assert hook["language"] == "python"
    assert hook["entry"] == "aict validate"
    pattern = re.compile(hook["files"])
    for name in ("a.ttl", "b.nt", "c.nq", "d.trig", "e.jsonld", "f.rdf", "g.owl"):
        assert pattern.search(name), name
    assert not pattern.search("notes.md")


@pytest.fixture(scope="session")
def data_repository(tmp_path_factory) -> Path:
    """A data repository whose .pre-commit-config.yaml points at this repository's HEAD."""
    if not (ROOT / ".git").exists():
        pytest.skip("the toolkit is not a git checkout: pre-commit needs a revision")
    repo = tmp_path_factory.mktemp("data-repo")
    _git("init", "-q", cwd=repo)
    shutil.copy(GOOD, repo / "good.ttl")
    shutil.copy(BAD, repo / "bad.ttl")
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {ROOT}\n"
        f"    rev: {_git('rev-parse', 'HEAD', cwd=ROOT)}\n"
        "    hooks:\n"
        "      - id: aict-validate\n"
        "        args: [--lang, en]\n"
    )
    return repo


def _pre_commit(repo: Path, *files: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AICT_")}
    return subprocess.run(
        [str(PRE_COMMIT), "run", "aict-validate", "--files", *files],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,  # the first run installs the toolkit into pre-commit's cache
    )


def test_hook_passes_a_good_file_and_fails_a_bad_one(data_repository):
    good = _pre_commit(data_repository, "good.ttl")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    bad = _pre_commit(data_repository, "bad.ttl")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert f"bad.ttl:11: violation: {BAD_MESSAGE}" in bad.stdout


# --- GitHub composite action -----------------------------------------------------------------


@pytest.fixture(scope="session")
def action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text())


def test_action_definition(action):
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"paths", "fail-on", "lang", "sarif"}
    uses = [step["uses"] for step in action["runs"]["steps"] if "uses" in step]
    assert uses == ["actions/setup-python@v5"]
    for step in action["runs"]["steps"]:
        if "run" in step:
            # Inputs reach the script through env only (no expression injection).
            assert "${{" not in step["run"], step["name"]
            assert step["shell"] == "bash"


def _substitute(value: str, inputs: dict[str, str], action_path: Path) -> str:
    def replace(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        if expression == "github.action_path":
            return str(action_path)
        if expression.startswith("inputs."):
            return inputs[expression.removeprefix("inputs.")]
        raise AssertionError(f"unexpected expression {expression}")

    return re.sub(r"\$\{\{(.*?)\}\}", replace, value)


@pytest.fixture(scope="session")
def action_venv(tmp_path_factory) -> Path:
    """A fresh virtualenv standing for the runner's Python; it sees the already installed
    dependencies through a .pth file so that the install step needs no download."""
    venv = tmp_path_factory.mktemp("action") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    site = next((venv / "lib").glob("python*/site-packages"))
    (site / "aict-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def _run_steps(action: dict, inputs: dict[str, str], venv: Path, workdir: Path, names: set[str]):
    defaults = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    values = {**defaults, **inputs}
    env = {k: v for k, v in os.environ.items() if not k.startswith("AICT_")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    outcome = None
    for step in action["runs"]["steps"]:
        if "run" not in step or step["name"] not in names:
            continue
        step_env = dict(env)
        for key, value in step.get("env", {}).items():
            step_env[key] = _substitute(str(value), values, ROOT)
        outcome = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=workdir,
            env=step_env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if outcome.returncode != 0:
            return outcome
    return outcome


@pytest.fixture(scope="session")
def installed_action(action, action_venv, tmp_path_factory) -> Path:
    workdir = tmp_path_factory.mktemp("workspace")
    install = _run_steps(action, {}, action_venv, workdir, {"Install the AICT toolkit"})
    assert install.returncode == 0, install.stderr
    return workdir


def test_action_validates_the_given_paths(action, action_venv, installed_action):
    workdir = installed_action
    shutil.copy(GOOD, workdir / "good.ttl")
    shutil.copy(BAD, workdir / "bad.ttl")
    # The installed copy finds its shapes and reference data under <venv>/share/aict.
    info = subprocess.run(
        [str(action_venv / "bin" / "aict"), "info"], capture_output=True, text=True, timeout=60
    )
    assert str(action_venv / "share" / "aict" / "shapes") in info.stdout
    steps = {"Validate"}
    good = _run_steps(action, {"paths": "good.ttl", "lang": "en"}, action_venv, workdir, steps)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = _run_steps(
        action, {"paths": "good.ttl bad.ttl", "lang": "en"}, action_venv, workdir, steps
    )
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert any(
        line.startswith("::error file=bad.ttl,line=11,") and BAD_MESSAGE in line
        for line in bad.stdout.splitlines()
    ), bad.stdout
    strict = _run_steps(
        action, {"paths": "good.ttl", "fail-on": "warning"}, action_venv, workdir, steps
    )
    assert strict.returncode == 1
    assert "::error file=good.ttl" in strict.stdout


def test_action_also_writes_sarif_when_asked(action, action_venv, installed_action):
    workdir = installed_action
    shutil.copy(GOOD, workdir / "good.ttl")
    shutil.copy(BAD, workdir / "bad.ttl")
    schema = json.loads((ROOT / "tests/data/sarif-2.1.0/sarif-schema-2.1.0.json").read_text())
    steps = {"Validate"}
    inputs = {"paths": "good.ttl bad.ttl", "lang": "en", "sarif": "aict.sarif"}
    bad = _run_steps(action, inputs, action_venv, workdir, steps)
    assert bad.returncode == 1, bad.stdout + bad.stderr  # the findings still fail the step
    assert "::error file=bad.ttl,line=11," in bad.stdout  # and still annotate
    log = json.loads((workdir / "aict.sarif").read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    errors = [r for r in log["runs"][0]["results"] if r["level"] == "error"]
    [location] = [r["locations"][0]["physicalLocation"] for r in errors]
    assert location["artifactLocation"]["uri"] == "bad.ttl"
    assert location["region"]["startLine"] == 11
    good = _run_steps(action, {**inputs, "paths": "good.ttl"}, action_venv, workdir, steps)
    assert good.returncode == 0, good.stdout + good.stderr
    log = json.loads((workdir / "aict.sarif").read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    assert all(r["level"] != "error" for r in log["runs"][0]["results"])
    assert log["runs"][0]["invocations"][0]["executionSuccessful"]


def test_installed_action_validates_a_filled_spreadsheet(action, action_venv, installed_action):
    # The installed copy resolves commune names with the découpage data under share/aict.
    workdir = installed_action
    shutil.copy(ROOT / "data" / "examples" / "actions.csv", workdir / "actions.csv")
    lines = (workdir / "actions.csv").read_text(encoding="utf-8").splitlines()
    bad = [lines[0], lines[1].replace(",Dijon,", ",Saint-Denis,")]
    (workdir / "bad.csv").write_text("\n".join(bad) + "\n", encoding="utf-8")
    steps = {"Validate"}
    good = _run_steps(action, {"paths": "actions.csv", "lang": "en"}, action_venv, workdir, steps)
    assert good.returncode == 0, good.stdout + good.stderr
    refused = _run_steps(action, {"paths": "bad.csv", "lang": "en"}, action_venv, workdir, steps)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "::error file=bad.csv,line=2,col=7," in refused.stdout
    assert "Saint-Denis" in refused.stdout
