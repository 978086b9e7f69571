"""pyproject.toml declares, as runtime dependencies, every third-party package that the
`publisher` package imports: a plain `pip install` must run every feature (an import that
only a test extra brings in works in CI and fails for users)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def runtime_dependencies() -> set[str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    return {
        _normalised(re.split(r"[\s<>=!~;\[(]", dep, maxsplit=1)[0])
        for dep in project["dependencies"]
    }


def imported_modules(package: Path) -> dict[str, str]:
    """Top-level module -> first file importing it, for absolute imports outside the stdlib."""
    found: dict[str, str] = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != package.name:
                    found.setdefault(top, f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    return found


def test_every_third_party_import_is_a_runtime_dependency() -> None:
    declared = runtime_dependencies()
    distributions = packages_distributions()
    imports = imported_modules(PROJECT_ROOT / "publisher")
    assert "rdflib" in imports and "pyoxigraph" in imports  # the walk sees real imports
    missing = {
        module: where
        for module, where in imports.items()
        if not {_normalised(d) for d in distributions.get(module, [module])} & declared
    }
    assert not missing, f"imported but not in [project] dependencies: {missing}"
