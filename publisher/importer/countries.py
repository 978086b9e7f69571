"""Countries: ISO 3166-1 through pycountry, French names through its gettext catalogue, and
an explicit alias table (data/sources/curated/country_aliases.csv) for the messy values of
the twinnings CSV ("England, United Kingdom", "Republic of Ireland", "Réunion, France").

Only exact names are looked up: no fuzzy search, so nothing is guessed.
"""

from __future__ import annotations

import csv
import gettext
from dataclasses import dataclass
from pathlib import Path

import pycountry

from publisher.errors import InputError
from publisher.importer.csv_reader import read_source_text

FRANCE_ISO3 = "FRA"
_ALIAS_HEADER = ["value", "iso3", "departement", "note"]


@dataclass(frozen=True, order=True)
class Country:
    iso3: str
    iso2: str
    name_en: str
    name_fr: str


@dataclass(frozen=True)
class CountryMatch:
    """A resolved country cell; `departement` is set for French overseas départements."""

    country: Country
    departement: str | None = None

    @property
    def is_france(self) -> bool:
        return self.country.iso3 == FRANCE_ISO3


@dataclass(frozen=True)
class CountryRefusal:
    """A value the alias table explicitly refuses, with the documented reason."""

    reason: str


@dataclass(frozen=True)
class Alias:
    iso3: str | None
    departement: str | None
    note: str
    line: int


class CountryResolver:
    def __init__(self, aliases: dict[str, Alias]) -> None:
        self._aliases = aliases
        self._french = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=False
        )
        self._cache: dict[str, CountryMatch | CountryRefusal | None] = {}

    def resolve(self, value: str) -> CountryMatch | CountryRefusal | None:
        """The country named by `value`, a documented refusal, or None when unknown."""
        key = " ".join(value.split())
        if key not in self._cache:
            self._cache[key] = self._resolve(key)
        return self._cache[key]

    def by_iso3(self, iso3: str) -> Country:
        record = pycountry.countries.get(alpha_3=iso3)
        if record is None:
            raise InputError(f"not an ISO 3166-1 alpha-3 code: {iso3!r}", field="iso3")
        return self._country(record)

    def _resolve(self, value: str) -> CountryMatch | CountryRefusal | None:
        if not value:
            return None
        alias = self._aliases.get(value)
        if alias is not None:
            if alias.iso3 is None:
                return CountryRefusal(alias.note)
            return CountryMatch(self.by_iso3(alias.iso3), alias.departement)
        record = (
            pycountry.countries.get(name=value)
            or pycountry.countries.get(common_name=value)
            or pycountry.countries.get(official_name=value)
        )
        return CountryMatch(self._country(record)) if record is not None else None

    def _country(self, record) -> Country:
        name_en = getattr(record, "common_name", None) or record.name
        return Country(
            iso3=record.alpha_3,
            iso2=record.alpha_2,
            name_en=name_en,
            name_fr=self._french.gettext(record.name),
        )


def load_aliases(path: Path) -> dict[str, Alias]:
    """The alias table; a malformed entry is an InputError naming its line."""
    text = read_source_text(path, "the country alias table")
    reader = csv.reader(text.splitlines())
    if next(reader, None) != _ALIAS_HEADER:
        raise InputError(
            f"header must be {','.join(_ALIAS_HEADER)}", file=str(path), line=1, field="header"
        )
    aliases: dict[str, Alias] = {}
    for values in reader:
        line = reader.line_num
        if len(values) != len(_ALIAS_HEADER):
            raise InputError("expected 4 fields", file=str(path), line=line)
        value, iso3, departement, note = (v.strip() for v in values)
        if not value or not note:
            raise InputError("value and note are required", file=str(path), line=line)
        if iso3 and pycountry.countries.get(alpha_3=iso3) is None:
            raise InputError(
                f"unknown ISO 3166-1 alpha-3 code {iso3!r}", file=str(path), line=line, field="iso3"
            )
        if value in aliases:
            raise InputError(f"duplicate alias {value!r}", file=str(path), line=line)
        aliases[value] = Alias(iso3 or None, departement or None, note, line)
    return aliases
