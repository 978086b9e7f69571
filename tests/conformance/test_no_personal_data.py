"""Names of people are never published: no mayor named in the bundled GCoM workbook appears
in the built dataset, its reports or the README."""

from __future__ import annotations

import re

from openpyxl import load_workbook

from publisher.config import DATASET_DIR, PROJECT_ROOT, SOURCES_DIR
from publisher.importer.build import GCOM_WORKBOOK, REPORTS_DIR


def _mayors() -> set[str]:
    book = load_workbook(SOURCES_DIR / GCOM_WORKBOOK, read_only=True)
    try:
        rows = book["1"].iter_rows(values_only=True)
        header = next(rows)
        country, mayor = header.index("country_code"), header.index("mayor")
        names = {row[mayor] for row in rows if row[country] == "fr"}
    finally:
        book.close()
    return {n.strip() for n in names if isinstance(n, str) and len(n.strip()) > 3}


def test_no_mayor_name_in_the_dataset_reports_or_readme() -> None:
    mayors = _mayors()
    assert len(mayors) > 150  # the French rows do name their mayors
    pattern = re.compile("|".join(re.escape(name) for name in sorted(mayors)))
    files = [*DATASET_DIR.iterdir(), *REPORTS_DIR.iterdir(), PROJECT_ROOT / "README.md"]
    for path in files:
        found = pattern.search(path.read_text(encoding="utf-8"))
        assert found is None, f"{path.name} names a mayor at offset {found.start()}"
