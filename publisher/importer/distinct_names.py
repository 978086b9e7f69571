"""The reviewed table of partner names kept apart (data/sources/curated/distinct_partner_names.csv).

A partner's IRI is its country and the slug of its name, and the slug folds accents on
purpose: it merges spellings of one town (Chişinău with a cedilla or a comma below). It also
merges two different towns whose names differ only by an accent, such as Münster (North
Rhine-Westphalia) and Munster (Lower Saxony). Each row of this table names one such partner,
exactly as written in the twinnings CSV, its country, the slug to use instead of the folded
name, and the reason.

The table is checked on load; every defect is an InputError naming the table's line and
field: a malformed row, an empty cell, an unknown country, a slug that is not one or that the
folded name already gives, the same name twice, the same slug for two names of one country.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from publisher import uris
from publisher.errors import InputError
from publisher.importer.countries import CountryMatch, CountryResolver
from publisher.importer.csv_reader import table_cells, table_rows

HEADER = ("partner", "partner_country", "slug", "note")


@dataclass(frozen=True)
class DistinctName:
    """One reviewed row; `line` is its line in the table (the header is line 1)."""

    line: int
    partner: str
    iso3: str
    slug: str
    note: str


class DistinctNames:
    """The table, looked up by (partner name as written, ISO 3166-1 alpha-3 country)."""

    def __init__(self, rows: list[DistinctName]) -> None:
        self.rows = rows
        self._by_key = {_key(r.partner, r.iso3): r for r in rows}

    def slug(self, partner: str, iso3: str) -> str | None:
        row = self._by_key.get(_key(partner, iso3))
        return row.slug if row is not None else None


def _key(partner: str, iso3: str) -> tuple[str, str]:
    # Exact spelling: folding accents here would bring back the merge the table undoes.
    return unicodedata.normalize("NFC", " ".join(partner.split())), iso3


def load_distinct_names(path: Path, countries: CountryResolver) -> DistinctNames:
    rows: list[DistinctName] = []
    names: dict[tuple[str, str], int] = {}
    slugs: dict[tuple[str, str], int] = {}
    for line, values in table_rows(path, "the distinct partner names table", HEADER):
        if not values:
            continue
        row = _parse_row(path, line, values, countries)
        for seen, key, field, what in (
            (names, _key(row.partner, row.iso3), "partner", f"the name {row.partner!r}"),
            (slugs, (row.slug, row.iso3), "slug", f"the slug {row.slug!r}"),
        ):
            if key in seen:
                raise InputError(
                    f"{what} is already given for this country on line {seen[key]}",
                    file=str(path),
                    line=line,
                    field=field,
                )
            seen[key] = line
        rows.append(row)
    return DistinctNames(rows)


def _parse_row(
    path: Path, line: int, values: list[str], countries: CountryResolver
) -> DistinctName:
    def fail(message: str, field: str) -> InputError:
        return InputError(message, file=str(path), line=line, field=field)

    cells = table_cells(path, line, values, HEADER)
    country = countries.resolve(cells["partner_country"])
    if not isinstance(country, CountryMatch):
        raise fail(f"{cells['partner_country']!r} is not a known country", "partner_country")
    slug = cells["slug"]
    if not any(ch.isalnum() for ch in slug) or uris.slugify(slug) != slug:
        raise fail(f"{slug!r} is not a slug (lower-case ASCII letters, digits, hyphens)", "slug")
    if uris.slugify(cells["partner"]) == slug:
        raise fail(f"{slug!r} is what the name gives anyway: the row changes nothing", "slug")
    return DistinctName(line, cells["partner"], country.country.iso3, slug, cells["note"])
