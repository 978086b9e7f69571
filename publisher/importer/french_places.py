"""Resolving a French place name from the twinnings CSV to the authority it denotes.

Order of attempts, first hit wins (each hit says which `method` found it):
1. `exact`: current communes whose normalised name equals the name (after the exonym table
   data/sources/curated/french_name_aliases.csv, e.g. Dunkirk -> Dunkerque);
2. `former-commune`: communes déléguées/associées of that name -> the commune they now
   belong to (e.g. Hesdin -> Hesdin-la-Forêt, merged in 2025);
3. `departement` / `region` / `epci`: a département, région or EPCI of exactly that name;
   `intercommunality`: "Arras (communauté)" -> the only EPCI whose name holds "Arras".
A qualifier narrows the search: "Vernouillet, Yvelines" keeps the Vernouillet of the
Yvelines; "Seynod (Annecy)" the former commune Seynod now in Annecy. Overseas country cells
("Réunion, France") narrow to their département the same way.

Several communes of one name (Valence, Saint-Denis…) are told apart by coordinates only when
that is clear-cut; see `_by_coordinates`. Otherwise the name is reported with its candidates
(and twinnings.py may still settle it from another row of the same pair).
"""

from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from publisher.errors import InputError
from publisher.importer.geo import Point, distance_km
from publisher.importer.names import normalise, split_qualifier
from publisher.importer.reference import Commune, Reference

# The découpage files carry no coordinates, so a commune is located through "anchors": the
# CSV positions of communes whose name is unique in all France, grouped by département. A
# candidate wins when the point lies within ANCHOR_RADIUS_KM of an anchor of its département
# and every other candidate's département is at least MARGIN_KM further away.
ANCHOR_RADIUS_KM = 40.0
MARGIN_KM = 50.0
# The CSV's positions were geocoded from the names alone, so for a shared name they often
# point at the wrong namesake (Maurepas in the Somme, 216 inhabitants, for the Maurepas of
# the Yvelines twinned with Waterlooville). A position-based pick is therefore refused when a
# namesake is more than NAMESAKE_RATIO times as populous as the commune it points at.
NAMESAKE_RATIO = 4
# A département is at most ~300 km across (Gironde, Guyane aside), so an anchor further than
# ANCHOR_SPREAD_KM from the median of its département's anchors is a geocoding error.
ANCHOR_SPREAD_KM = 200.0
MIN_ANCHORS_TO_PRUNE = 3
_INTERCOMMUNALITY_QUALIFIERS = {"communaute", "agglomeration", "intercommunalite"}


@dataclass(frozen=True)
class FrenchPlace:
    kind: str  # "commune" | "departement" | "region" | "epci"
    code: str  # INSEE code, or SIREN for an EPCI
    name: str
    method: str


@dataclass(frozen=True)
class Unresolved:
    reason: str
    candidates: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()  # INSEE codes of candidate communes, when there are some


class FrenchPlaceResolver:
    def __init__(self, reference: Reference, exonyms: dict[str, str]) -> None:
        self._ref = reference
        self._exonyms = exonyms
        self._anchors: dict[str, list[Point]] = defaultdict(list)

    def add_anchor(self, departement: str, point: Point) -> None:
        self._anchors[departement].append(point)

    def prune_anchors(self) -> int:
        """Drop anchors far from the median of their département's anchors: a unique name
        geocoded to the wrong place must not vouch for its département there. Returns how
        many were dropped."""
        dropped = 0
        for departement, points in self._anchors.items():
            if len(points) < MIN_ANCHORS_TO_PRUNE:
                continue
            centre = Point(
                statistics.median(p.lat for p in points), statistics.median(p.long for p in points)
            )
            kept = [p for p in points if distance_km(p, centre) <= ANCHOR_SPREAD_KM]
            dropped += len(points) - len(kept)
            self._anchors[departement] = kept
        return dropped

    def departement_of(self, commune_code: str) -> str:
        return self._ref.communes[commune_code].departement

    def distance_to_departement_km(self, commune_code: str, point: Point) -> float:
        """Distance from `point` to the nearest anchor of the commune's département; 0 when
        the département has no anchor (nothing to check against)."""
        departement = self.departement_of(commune_code)
        if not self._anchors.get(departement):
            return 0.0
        return self._nearest_anchor_km(departement, point)

    def resolve(
        self, raw: str, point: Point | None, departement: str | None = None
    ) -> FrenchPlace | Unresolved:
        parsed = split_qualifier(raw)
        key = normalise(self._exonyms.get(normalise(parsed.name), parsed.name))
        if not key:
            return Unresolved("empty-name")
        parents: set[str] | None = None
        region: str | None = None
        if parsed.qualifier:
            qualifier = normalise(parsed.qualifier)
            if qualifier in _INTERCOMMUNALITY_QUALIFIERS:
                return self._intercommunality(key)
            divisions = self._ref.divisions_by_name.get(qualifier, [])
            if len(divisions) == 1 and divisions[0].kind == "departement":
                departement = departement or divisions[0].code
            elif len(divisions) == 1:
                region = divisions[0].code
            else:
                parents = {c.code for c in self._ref.communes_by_name.get(qualifier, [])}
                if not parents:
                    return Unresolved("unknown-qualifier", (parsed.qualifier,))

        def keep(commune: Commune) -> bool:
            return (departement is None or commune.departement == departement) and (
                region is None or commune.region == region
            )

        method = "exact"
        candidates = [c for c in self._ref.communes_by_name.get(key, []) if keep(c)]
        if parents is not None:
            candidates = [c for c in candidates if c.code in parents]
        if not candidates:
            method = "former-commune"
            codes = sorted(
                {
                    f.parent_code
                    for f in self._ref.former_by_name.get(key, [])
                    if parents is None or f.parent_code in parents
                }
            )
            candidates = [
                self._ref.communes[code]
                for code in codes
                if code in self._ref.communes and keep(self._ref.communes[code])
            ]
        if not candidates and parsed.qualifier is None and departement is None:
            return self._other_authority(key, parsed.name)
        if not candidates:
            hint = tuple(_describe(self._ref.communes[c]) for c in sorted(parents or ()))
            return Unresolved("unknown-french-city", hint)
        if len(candidates) == 1:
            return _commune_place(candidates[0], method)
        return self._by_coordinates(candidates, point)

    def _other_authority(self, key: str, name: str) -> FrenchPlace | Unresolved:
        divisions = self._ref.divisions_by_name.get(key, [])
        epcis = self._ref.epcis_by_name.get(key, [])
        found = [FrenchPlace(d.kind, d.code, d.name, d.kind) for d in divisions] + [
            FrenchPlace("epci", e.siren, e.name, "epci") for e in epcis
        ]
        if len(found) == 1:
            return found[0]
        if found:
            return Unresolved(
                "ambiguous-french-city", tuple(f"{p.kind} {p.code} {p.name}" for p in found)
            )
        return Unresolved("unknown-french-city")

    def _by_coordinates(
        self, candidates: list[Commune], point: Point | None
    ) -> FrenchPlace | Unresolved:
        ordered = sorted(candidates, key=lambda c: c.code)
        described = tuple(_describe(c) for c in ordered)
        codes = tuple(c.code for c in ordered)
        if point is None:
            return Unresolved("ambiguous-french-city", described, codes)
        if len({c.departement for c in candidates}) < len(candidates):
            # coordinates cannot split namesakes of one département
            return Unresolved("ambiguous-french-city", described, codes)
        distances = sorted(
            (self._nearest_anchor_km(c.departement, point), c.code) for c in candidates
        )
        (best, code), (second, _) = distances[0], distances[1]
        if not (best <= ANCHOR_RADIUS_KM and second - best >= MARGIN_KM):
            return Unresolved("ambiguous-french-city", described, codes)
        picked = self._ref.communes[code]
        largest = max(c.population or 0 for c in candidates)
        if (picked.population or 0) * NAMESAKE_RATIO < largest:
            return Unresolved("ambiguous-french-city-doubtful-coordinates", described, codes)
        return _commune_place(picked, "coordinates")

    def _nearest_anchor_km(self, departement: str, point: Point) -> float:
        anchors = self._anchors.get(departement, [])
        return min((distance_km(point, anchor) for anchor in anchors), default=float("inf"))

    def _intercommunality(self, key: str) -> FrenchPlace | Unresolved:
        """'Arras (communauté)': the one EPCI whose name holds every word of 'Arras'."""
        words = set(key.split())
        found = [
            e
            for e in sorted(self._ref.epcis.values(), key=lambda e: e.siren)
            if words <= set(normalise(e.name).split())
        ]
        if len(found) == 1:
            return FrenchPlace("epci", found[0].siren, found[0].name, "intercommunality")
        return Unresolved(
            "unknown-intercommunality" if not found else "ambiguous-intercommunality",
            tuple(f"epci {e.siren} {e.name}" for e in found),
        )


def load_exonyms(path: Path) -> dict[str, str]:
    """normalised source name -> official commune name, from the reviewed exonym table."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError("French name alias table missing", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read the French name alias table: {exc}", file=str(path)
        ) from None
    reader = csv.reader(lines)
    if next(reader, None) != ["value", "name", "note"]:
        raise InputError("header must be value,name,note", file=str(path), line=1, field="header")
    table: dict[str, str] = {}
    for values in reader:
        if len(values) != 3 or not all(v.strip() for v in values):
            raise InputError(
                "expected value,name,note, all filled", file=str(path), line=reader.line_num
            )
        table[normalise(values[0])] = values[1].strip()
    return table


def _commune_place(commune: Commune, method: str) -> FrenchPlace:
    return FrenchPlace("commune", commune.code, commune.name, method)


def _describe(commune: Commune) -> str:
    return f"commune {commune.code} {commune.name} ({commune.departement})"
