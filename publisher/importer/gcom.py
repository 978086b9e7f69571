"""Covenant of Mayors signatories (the JRC's GCoM table) -> memberships of French authorities
(pure: no RDF, no files written).

Every French row is either imported or reported, never half-imported. A row is resolved, in
this order, by:
1. `reviewed-table`: its line in data/sources/curated/gcom_signatories.csv (by organisation_id,
   applied only when the row's name is the one the table reviewed);
2. the signatory's name (`gcom_places.SignatoryResolver`: commune, EPCI, département, région);
3. `member-of-coordinator` / `member-of-group`: a name several communes share, kept when
   exactly one of them belongs to the EPCI that coordinates the signatory or whose group it
   joined ("Saint-Gilles" coordinated by Rennes Métropole is Saint-Gilles, Ille-et-Vilaine);
4. `group-member-rows`: a group whose members have rows of their own (group_organisation_id)
   is split into those rows, which are imported as memberships of their own;
5. `group-cell`: a group row naming several authorities in one cell ("Communauté
   d'Agglomération de La Rochelle et Ville de La Rochelle") is split into its parts when every
   part resolves.
Anything else is rejected with its reason and candidates.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from publisher.errors import InputError
from publisher.importer.csv_reader import evidence_url, table_cells, table_rows
from publisher.importer.french_places import FrenchPlace, Unresolved
from publisher.importer.gcom_places import SignatoryResolver
from publisher.importer.gcom_workbook import Signatory, Workbook
from publisher.importer.names import normalise
from publisher.importer.reference import Reference
from publisher.importer.rejects import Reject
from publisher.importer.twinnings import Match

TABLE_HEADER = ("organisation_id", "organisation_name", "kind", "code", "source_url", "evidence")
REVIEWED = "reviewed-table"
GROUP_MEMBER_ROWS = "group-member-rows"
# The JRC's statuses (df1_METADATA): "published" = active, "on_hold" = suspended for not
# reporting; mapped to the status vocabulary.
STATUSES = {"published": "implementation", "on_hold": "suspended"}
# Separators of several authorities written in one cell.
_GROUP_SEPARATORS = re.compile(r"\s*,\s+|\s+&\s+|\s+et\s+")
_KINDS = ("commune", "epci", "departement", "region")


@dataclass(frozen=True)
class ReviewedSignatory:
    line: int
    organisation_id: str
    organisation_name: str
    place: FrenchPlace
    source_url: str


@dataclass(frozen=True)
class ImportedSignatory:
    """One imported row and the authorities it stands for (one, or the parts of a group)."""

    signatory: Signatory
    members: tuple[FrenchPlace, ...]
    status: str  # notation in the status vocabulary
    reviewed: ReviewedSignatory | None = None


@dataclass
class GcomImport:
    source_file: str
    table_file: str | None
    rows_read: int = 0
    french_rows: int = 0
    imported: list[ImportedSignatory] = field(default_factory=list)
    groups: dict[int, tuple[int, ...]] = field(default_factory=dict)  # group line -> members
    rejects: list[Reject] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    unused_table_lines: list[int] = field(default_factory=list)

    @property
    def resolved_rows(self) -> int:
        return len(self.imported) + len(self.groups)

    def members(self) -> set[tuple[str, str]]:
        return {(p.kind, p.code) for row in self.imported for p in row.members}


def load_reviewed(path: Path, reference: Reference) -> dict[str, ReviewedSignatory]:
    """The reviewed table, checked: each code must name an authority of the découpage data."""
    table: dict[str, ReviewedSignatory] = {}
    for line, values in table_rows(path, "the reviewed GCoM signatories table", TABLE_HEADER):
        cells = table_cells(path, line, values, TABLE_HEADER)
        kind, code = cells["kind"], cells["code"]
        if kind not in _KINDS:
            raise InputError(
                f"kind must be one of {', '.join(_KINDS)}", file=str(path), line=line, field="kind"
            )
        name = _reference_name(reference, kind, code)
        if name is None:
            raise InputError(
                f"no {kind} {code} in the découpage data", file=str(path), line=line, field="code"
            )
        evidence_url(path, line, cells["source_url"])
        place = FrenchPlace(kind, code, name, REVIEWED)
        reviewed = ReviewedSignatory(
            line, cells["organisation_id"], cells["organisation_name"], place, cells["source_url"]
        )
        if reviewed.organisation_id in table:
            raise InputError(
                f"organisation_id {reviewed.organisation_id} is already settled",
                file=str(path),
                line=line,
                field="organisation_id",
            )
        table[reviewed.organisation_id] = reviewed
    return table


def import_signatories(
    workbook: Workbook,
    source_file: str,
    resolver: SignatoryResolver,
    reviewed: dict[str, ReviewedSignatory] | None = None,
    table_file: str | None = None,
) -> GcomImport:
    result = GcomImport(source_file, table_file, workbook.rows_read, len(workbook.signatories))
    reviewed = reviewed or {}
    used: set[str] = set()
    member_rows: dict[str, list[int]] = {}
    for row in workbook.signatories:
        if row.group_id:
            member_rows.setdefault(row.group_id, []).append(row.line)
    for row in workbook.signatories:
        problems = [Reject(row.line, c, v, reason) for c, v, reason in row.problems]
        if row.status not in STATUSES:
            problems.append(Reject(row.line, "signatory_status", row.status, "unknown-status"))
        if problems:
            result.rejects.extend(problems)
            continue
        entry = reviewed.get(row.organisation_id)
        if entry is not None and normalise(entry.organisation_name) == normalise(row.name):
            used.add(row.organisation_id)
            _import(result, row, (entry.place,), entry)
            continue
        place = _resolve(resolver, row, row.name)
        if isinstance(place, FrenchPlace):
            _import(result, row, (place,))
            continue
        if row.organisation_id in member_rows:
            lines = tuple(member_rows[row.organisation_id])
            result.groups[row.line] = lines
            result.matches.append(
                Match(
                    row.line,
                    "organisation_name",
                    row.name,
                    GROUP_MEMBER_ROWS,
                    "group",
                    " ".join(str(n) for n in lines),
                    f"{len(lines)} member row(s)",
                )
            )
            continue
        parts = _group_parts(resolver, row)
        if parts is not None:
            _import(result, row, parts)
            continue
        result.rejects.append(
            Reject(row.line, "organisation_name", row.name, place.reason, place.candidates)
        )
    result.unused_table_lines = sorted(
        entry.line for key, entry in reviewed.items() if key not in used
    )
    return result


def _resolve(resolver: SignatoryResolver, row: Signatory, name: str) -> FrenchPlace | Unresolved:
    place = resolver.resolve(name, row.point)
    if isinstance(place, FrenchPlace) or not place.codes:
        return place
    # A name several communes share: the EPCI coordinating the signatory, or whose group it
    # joined, may hold exactly one of them.
    for context, method in (
        (row.coordinator, "member-of-coordinator"),
        (row.group_name, "member-of-group"),
    ):
        if not context:
            continue
        epci = resolver.resolve(context, None)
        if not (isinstance(epci, FrenchPlace) and epci.kind == "epci"):
            continue
        inside = [code for code in place.codes if code in resolver.epci_members(epci.code)]
        if len(inside) == 1:
            return resolver.commune(inside[0], method)
    return place


def _group_parts(resolver: SignatoryResolver, row: Signatory) -> tuple[FrenchPlace, ...] | None:
    if not row.adhesion_type.lower().startswith("as a group"):
        return None
    names = [p for p in _GROUP_SEPARATORS.split(row.name) if p.strip()]
    if len(names) < 2:
        return None
    places = [_resolve(resolver, row, name) for name in names]
    if not all(isinstance(p, FrenchPlace) for p in places):
        return None
    return tuple(FrenchPlace(p.kind, p.code, p.name, "group-cell") for p in places)


def _import(
    result: GcomImport,
    row: Signatory,
    members: tuple[FrenchPlace, ...],
    reviewed: ReviewedSignatory | None = None,
) -> None:
    result.imported.append(ImportedSignatory(row, members, STATUSES[row.status], reviewed))
    for place in members:
        if place.method != "exact" or len(members) > 1:
            result.matches.append(
                Match(
                    row.line,
                    "organisation_name",
                    row.name,
                    place.method,
                    place.kind,
                    place.code,
                    place.name,
                )
            )


def _reference_name(reference: Reference, kind: str, code: str) -> str | None:
    if kind == "commune":
        commune = reference.communes.get(code)
        return commune.name if commune else None
    if kind == "epci":
        epci = reference.epcis.get(code)
        return epci.name if epci else None
    division = reference.divisions.get((kind, code))
    return division.name if division else None


def rejects_by_reason(result: GcomImport) -> dict[str, int]:
    return dict(sorted(Counter(r.reason for r in result.rejects).items()))
