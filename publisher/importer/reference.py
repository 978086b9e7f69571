"""The découpage administratif reference data (Etalab, INSEE COG): communes, EPCI,
départements and régions, each remembered with the line of the file it comes from."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from publisher.errors import InputError
from publisher.importer.csv_reader import read_source_text
from publisher.importer.names import normalise

COMMUNES_FILE = "communes.json"
EPCI_FILE = "epci.json"
DEPARTEMENTS_FILE = "departements.json"
REGIONS_FILE = "regions.json"
REFERENCE_FILES = (COMMUNES_FILE, EPCI_FILE, DEPARTEMENTS_FILE, REGIONS_FILE)


@dataclass(frozen=True)
class Entry:
    """Where a reference record comes from."""

    file: str
    line: int


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    siren: str | None  # overseas collectivities (zone "com") have none in the data
    population: int | None
    departement: str
    region: str
    entry: Entry


@dataclass(frozen=True)
class FormerCommune:
    """A commune déléguée or associée: a former commune now part of `parent_code`."""

    code: str
    name: str
    parent_code: str
    entry: Entry


@dataclass(frozen=True)
class Division:
    """A département or a région."""

    kind: str  # "departement" | "region"
    code: str
    name: str
    region: str | None
    entry: Entry


@dataclass(frozen=True)
class Epci:
    siren: str
    name: str
    kind: str  # découpage type: METRO, CU, CA, CC, MET69
    population: int | None
    entry: Entry
    members: tuple[str, ...] = ()  # INSEE codes of its communes


class Reference:
    """Indexes over the découpage files, by code and by normalised name."""

    def __init__(
        self,
        communes: list[Commune],
        former: list[FormerCommune],
        divisions: list[Division],
        epcis: list[Epci],
    ) -> None:
        self.communes = {c.code: c for c in communes}
        self.divisions = {(d.kind, d.code): d for d in divisions}
        self.epcis = {e.siren: e for e in epcis}
        self.communes_by_name = _by_name(communes)
        self.former_by_name = _by_name(former)
        self.divisions_by_name = _by_name(divisions)
        self.epcis_by_name = _by_name(epcis)

    def departement(self, code: str) -> Division:
        return self.divisions[("departement", code)]

    def region(self, code: str) -> Division:
        return self.divisions[("region", code)]


def load_reference(directory: Path) -> Reference:
    """Read the four découpage files of `directory` (one JSON object per line, as shipped)."""
    communes: list[Commune] = []
    former: list[FormerCommune] = []
    path = directory / COMMUNES_FILE
    for line, record in _records(path):
        entry = Entry(COMMUNES_FILE, line)
        kind = _field(record, "type", path, line)
        if kind == "commune-actuelle":
            communes.append(
                Commune(
                    code=_field(record, "code", path, line),
                    name=_field(record, "nom", path, line),
                    siren=record.get("siren") or None,
                    population=record.get("population"),
                    departement=_field(record, "departement", path, line),
                    region=_field(record, "region", path, line),
                    entry=entry,
                )
            )
        elif kind in ("commune-deleguee", "commune-associee"):
            # Their parent is named by "chefLieu" (déléguée) or "commune" (associée).
            parent = record.get("chefLieu") or record.get("commune")
            if parent:
                former.append(FormerCommune(record["code"], record["nom"], parent, entry))
    divisions: list[Division] = []
    # A département names its région; a région names no larger division.
    for kind, file_name, parent in (
        ("departement", DEPARTEMENTS_FILE, "region"),
        ("region", REGIONS_FILE, None),
    ):
        path = directory / file_name
        for line, record in _records(path):
            divisions.append(
                Division(
                    kind,
                    _field(record, "code", path, line),
                    _field(record, "nom", path, line),
                    _field(record, parent, path, line) if parent else None,
                    Entry(file_name, line),
                )
            )
    path = directory / EPCI_FILE
    epcis = [
        Epci(
            siren=_field(record, "code", path, line),
            name=_field(record, "nom", path, line),
            kind=_field(record, "type", path, line),
            population=record.get("populationMunicipale"),
            entry=Entry(EPCI_FILE, line),
            members=tuple(
                m["code"] for m in record.get("membres", []) if isinstance(m, dict) and "code" in m
            ),
        )
        for line, record in _records(path)
    ]
    return Reference(communes, former, divisions, epcis)


def _records(path: Path) -> Iterator[tuple[int, dict]]:
    """(line, object) for a JSON array written one object per line, as Etalab ships it."""
    text = read_source_text(path, "the reference file")
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip().rstrip(",")
        if stripped in ("", "[", "]"):
            continue
        try:
            record = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not one JSON object per line: {exc.msg}", file=str(path), line=number
            ) from None
        if not isinstance(record, dict):
            raise InputError("expected a JSON object", file=str(path), line=number)
        yield number, record


def _field(record: dict, name: str, path: Path, line: int) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value:
        raise InputError("missing or empty field", file=str(path), line=line, field=name)
    return value


class _Named(Protocol):
    @property
    def name(self) -> str: ...


Named = TypeVar("Named", bound=_Named)


def _by_name(items: Iterable[Named]) -> defaultdict[str, list[Named]]:
    """The items under their normalised name (several places may share one)."""
    found: defaultdict[str, list[Named]] = defaultdict(list)
    for item in items:
        found[normalise(item.name)].append(item)
    return found
