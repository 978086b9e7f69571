"""The README and docs/*.md as a newcomer reads them: every `aict` command line in their shell
examples is one the CLI accepts (command, options, choices), every relative link leads to a
file of the repository, and the pre-commit and GitHub Action snippets name what
.pre-commit-hooks.yaml and action.yml define. (The curl lines need a running server: they are
checked by hand and by the HTTP tests of each route.)"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer.main
import yaml

from publisher.cli import app
from publisher.config import PROJECT_ROOT

PAGES = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
_BLOCK = re.compile(r"^```(?P<lang>\w*)\n(?P<code>.*?)^```", re.MULTILINE | re.DOTALL)
_LINK = re.compile(r"\]\((?P<target>[^)#\s]+)(?:#[^)]*)?\)")


def blocks(page: Path, lang: str) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return [m["code"] for m in _BLOCK.finditer(text) if m["lang"] == lang]


def command_lines() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for code in blocks(page, "sh"):
            for line in code.replace("\\\n", " ").splitlines():
                words = command_words(shlex.split(line, comments=True))
                if words and (words[0] == "aict" or words[0].endswith("bin/aict")):
                    found.append((page.name, shlex.join(words[1:])))
    return found


def command_words(words: list[str]) -> list[str]:
    """The command line without `sudo [-u USER]` and `NAME=value` before it."""
    while words and (words[0] == "sudo" or "=" in words[0]):
        words = words[3:] if words[0] == "sudo" and words[1:2] == ["-u"] else words[1:]
    return words


def parse(command, args: list[str]) -> None:
    """Parse a command line as the CLI would, down to the subcommand, without running it."""
    context = command.make_context("aict", list(args))
    if hasattr(command, "resolve_command"):  # a group: on to its subcommand
        rest = [*context._protected_args, *context.args]
        if rest:
            _, sub, sub_args = command.resolve_command(context, rest)
            parse(sub, sub_args)


LINES = command_lines()


def test_the_pages_show_commands():
    assert len(LINES) >= 20 and any(page == "README.md" for page, _ in LINES)


@pytest.mark.parametrize(("page", "line"), LINES, ids=[f"{p}: aict {x}" for p, x in LINES])
def test_every_aict_command_line_parses(page, line):
    parse(typer.main.get_command(app), shlex.split(line))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_lead_to_files(page):
    text = page.read_text(encoding="utf-8")
    targets = [m["target"] for m in _LINK.finditer(text) if "://" not in m["target"]]
    missing = [t for t in targets if not (page.parent / t).exists()]
    assert missing == []


def test_readme_snippets_name_the_hook_and_the_action_inputs():
    readme = PROJECT_ROOT / "README.md"
    snippets = [yaml.safe_load(code) for code in blocks(readme, "yaml")]
    hook_ids = {
        h["id"] for h in yaml.safe_load((PROJECT_ROOT / ".pre-commit-hooks.yaml").read_text())
    }
    inputs = set(yaml.safe_load((PROJECT_ROOT / "action.yml").read_text())["inputs"])
    [precommit] = [s for s in snippets if "repos" in s]
    [hook] = precommit["repos"][0]["hooks"]
    assert hook["id"] in hook_ids
    assert re.search(hook["files"], "contributions/lille.xlsx")
    assert re.fullmatch(r"[0-9a-f]{40}", str(precommit["repos"][0]["rev"]))
    [workflow] = [s for s in snippets if "jobs" in s]
    [step] = [s for s in workflow["jobs"]["validate"]["steps"] if "with" in s]
    assert set(step["with"]) <= inputs
    assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"])


def _report_written(script: list[str]) -> tuple[list[str], str]:
    """The `aict validate … > FILE` line of a CI script: its arguments and FILE."""
    [line] = [line for line in script if line.startswith("aict validate ")]
    *words, redirect, target = shlex.split(line)
    assert redirect == ">"
    parse(typer.main.get_command(app), words[1:])
    return words, target


def test_ci_snippets_upload_the_report_the_command_writes():
    snippets = [
        yaml.safe_load(code) for code in blocks(PROJECT_ROOT / "docs/validation.md", "yaml")
    ]
    [gitlab] = [s["aict-validate"] for s in snippets if "aict-validate" in s]
    words, target = _report_written(gitlab["script"])
    assert words[words.index("--format") + 1] == "gitlab"
    assert gitlab["artifacts"]["reports"]["codequality"] == target
    assert gitlab["artifacts"]["when"] == "always"
    [github] = [s["jobs"]["validate"] for s in snippets if "jobs" in s]
    [validate] = [s for s in github["steps"] if re.search(r"/aict@\w{40}$", s.get("uses", ""))]
    assert set(validate["with"]) <= set(
        yaml.safe_load((PROJECT_ROOT / "action.yml").read_text())["inputs"]
    )
    [upload] = [s for s in github["steps"] if "upload-sarif" in s.get("uses", "")]
    assert upload["with"]["sarif_file"] == validate["with"]["sarif"]
    assert "failure()" in upload["if"]
    assert github["permissions"]["security-events"] == "write"


def test_the_front_door_has_no_history():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert not re.search(r"\bissue \d", readme, re.IGNORECASE)
    assert "../shared" not in readme
