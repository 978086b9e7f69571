"""The reviewed table of shared French names (data/sources/curated/twinning_places.csv).

Some French names of the twinnings CSV denote several communes (Maurepas, Flers, Torcy…) and
the CSV's coordinates were geocoded from the name alone, so they cannot settle which one is
meant. Each row of this table settles one twinning: the French name and the partner, both as
written in the CSV, the partner's country, the INSEE code of the commune, and the public page
that ties that commune to that partner. It is keyed by the pair, so a row never settles
another twinning of the same name.

The table is checked on load; every defect is an InputError naming the table's line and
field: a malformed row, an unknown INSEE code, a commune that does not bear the French name
(the exonym and former-commune logic of the resolver applies), an unknown country, the same
pair twice. A row that matches no CSV line is not an error here (the table is keyed by pair
and may be applied to other CSVs); the importer reports it in the summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from publisher.errors import InputError
from publisher.importer.countries import CountryMatch, CountryResolver
from publisher.importer.csv_reader import evidence_url, table_cells, table_rows
from publisher.importer.french_places import FrenchPlace, FrenchPlaceResolver, Unresolved
from publisher.importer.names import normalise
from publisher.importer.reference import Reference

HEADER = ("french_name", "partner", "partner_country", "insee", "source_url", "evidence")
METHOD = "curated-twinning"
_INSEE = re.compile(r"[0-9][0-9AB][0-9]{3}")


@dataclass(frozen=True)
class TwinningPlace:
    """One reviewed row; `line` is its line in the table (the header is line 1)."""

    line: int
    french_name: str
    partner: str
    partner_country: str
    iso3: str
    insee: str
    commune_name: str
    source_url: str
    evidence: str


class TwinningPlaces:
    """The table, looked up by (French name, partner name, partner country)."""

    def __init__(self, source_name: str, rows: list[TwinningPlace]) -> None:
        self.source_name = source_name
        self.rows = rows
        self._by_key = {_key(r.french_name, r.partner, r.iso3): r for r in rows}

    def lookup(self, french_name: str, partner: str, partner_iso3: str) -> TwinningPlace | None:
        return self._by_key.get(_key(french_name, partner, partner_iso3))

    def place(self, row: TwinningPlace) -> FrenchPlace:
        return FrenchPlace("commune", row.insee, row.commune_name, METHOD)


def _key(french_name: str, partner: str, iso3: str) -> tuple[str, str, str]:
    return normalise(french_name), normalise(partner), iso3


def load_twinning_places(
    path: Path, reference: Reference, countries: CountryResolver, places: FrenchPlaceResolver
) -> TwinningPlaces:
    rows: list[TwinningPlace] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, values in table_rows(path, "the twinning places table", HEADER):
        row = _parse_row(path, line, values, reference, countries, places)
        key = _key(row.french_name, row.partner, row.iso3)
        if key in seen:
            raise InputError(
                f"the pair {row.french_name} – {row.partner} is already settled "
                f"on line {seen[key]}",
                file=str(path),
                line=line,
                field="partner",
            )
        seen[key] = line
        rows.append(row)
    return TwinningPlaces(path.name, rows)


def _parse_row(
    path: Path,
    line: int,
    values: list[str],
    reference: Reference,
    countries: CountryResolver,
    places: FrenchPlaceResolver,
) -> TwinningPlace:
    def fail(message: str, field: str) -> InputError:
        return InputError(message, file=str(path), line=line, field=field)

    cells = table_cells(path, line, values, HEADER)
    insee = cells["insee"]
    if not _INSEE.fullmatch(insee):
        raise fail(f"{insee!r} is not an INSEE commune code", "insee")
    commune = reference.communes.get(insee)
    if commune is None:
        raise fail(f"no commune with INSEE code {insee} in the découpage data", "insee")
    evidence_url(path, line, cells["source_url"])
    country = countries.resolve(cells["partner_country"])
    if not isinstance(country, CountryMatch):
        raise fail(f"{cells['partner_country']!r} is not a known country", "partner_country")
    _check_name(cells["french_name"], insee, places, fail)
    return TwinningPlace(
        line,
        cells["french_name"],
        cells["partner"],
        cells["partner_country"],
        country.country.iso3,
        insee,
        commune.name,
        cells["source_url"],
        cells["evidence"],
    )


def _check_name(french_name: str, insee: str, places: FrenchPlaceResolver, fail) -> None:
    """The commune must be one the resolver itself finds for that name (exact name, exonym,
    former commune), so the table picks among namesakes and never renames a place."""
    found = places.resolve(french_name, None, None)
    if isinstance(found, FrenchPlace):
        candidates = (found.code,) if found.kind == "commune" else ()
    else:
        candidates = found.codes if isinstance(found, Unresolved) else ()
    if insee not in candidates:
        listed = ", ".join(candidates) or "none"
        raise fail(
            f"commune {insee} is not one of the communes named {french_name!r} "
            f"(candidates: {listed})",
            "insee",
        )
