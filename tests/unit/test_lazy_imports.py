"""What starts often imports only what it uses: a respawned SPARQL worker and `aict serve`
must not load the validator (pySHACL, elementpath), the importer or the spreadsheet
writer (openpyxl)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = (
    "pyshacl",
    "elementpath",
    "openpyxl",
    "publisher.validation.core",
    "publisher.importer.build",
)


@pytest.mark.parametrize(
    "modules",
    [
        "publisher.sparql.worker",  # the query worker process
        "publisher.commands, publisher.web.app, publisher.web.runtime",  # `aict serve`
    ],
)
def test_starting_processes_do_not_import_the_validator_or_importer(modules):
    code = f"import sys, {modules}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_public_api_still_gives_everything_on_use():
    import publisher

    assert callable(publisher.validate) and publisher.Report.__name__ == "Report"
    assert publisher.__version__ == publisher.package_version()
    with pytest.raises(AttributeError):
        publisher.no_such_name  # noqa: B018


def test_the_query_worker_loads_no_rdflib_nor_web_stack():
    """A worker is respawned after every runaway: it needs pyoxigraph and its own modules."""
    heavy = ("rdflib", "pycountry", "fastapi", "pydantic", "jinja2", "openpyxl", "httpx")
    code = (
        "import sys, publisher.sparql.worker\n"
        f"print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
