"""Twinning rows -> partnership records (pure: no RDF, no files written).

Every row with a French side (country cell resolving to France, overseas départements
included) is either imported or reported; a row is never half-imported. The same pair found
again, in either direction, is merged into the first partnership and counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import URIRef

from publisher import uris
from publisher.importer.countries import Country, CountryMatch, CountryRefusal, CountryResolver
from publisher.importer.csv_reader import CsvRow
from publisher.importer.distinct_names import DistinctNames
from publisher.importer.french_places import FrenchPlace, FrenchPlaceResolver, Unresolved
from publisher.importer.geo import Point, coordinate_problem, parse_point
from publisher.importer.names import without_redundant_qualifier
from publisher.importer.rejects import Reject
from publisher.importer.twinning_places import METHOD as TWINNING_PLACES_METHOD
from publisher.importer.twinning_places import TwinningPlace, TwinningPlaces
from publisher.world_atlas import distance_to_country_km

if TYPE_CHECKING:
    from publisher.importer.partner_spellings import Candidate

TWINNING_HEADER = ("city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2")
# A commune whose CSV position is further than this from every anchor of its département
# keeps no coordinates: the source geocoded a namesake (e.g. Saint-Denis de La Réunion
# placed in Seine-Saint-Denis).
MAX_ANCHOR_DISTANCE_KM = 100.0
# A partner whose CSV position is further than this from its country's outline (Natural Earth
# 1:50m, in the ISO 3166 view: see publisher/world_atlas.py) keeps no coordinates: the source
# geocoded a namesake abroad (York of the United States placed at York, England). Measured on
# the bundled CSV: genuine positions lie at most 7.3 km outside the outline (coastal towns,
# Monaco 1.3 km, islands the 1:50m scale leaves out: La Maddalena 7.3 km, Kronstadt 5.7 km);
# the next distances are 12.7 km (Al-Am'ari, geocoded to Netanya in Israel) and 49 km (St
# Mary's Bay of Kent, geocoded to St Mary's in the Isles of Scilly), then 79 km and more, all
# namesakes. 25 km is over three times the largest genuine gap and catches every namesake past it;
# a namesake closer to the border than that (Al-Am'ari; Étalle of Belgium placed at Étalle in
# the French Ardennes, 7.5 km) cannot be told from a coastal town by distance, and stays.
MAX_PARTNER_OUTSIDE_KM = 25.0
OUTSIDE_COUNTRY = "coordinates-outside-country"


@dataclass(frozen=True)
class Side:
    """One half of a row, parsed; `index` is 1 or 2, as in the column names."""

    index: int
    name: str
    country_cell: str
    country: CountryMatch | CountryRefusal | None
    point: Point | None
    lat_cell: str
    long_cell: str


@dataclass
class FrenchAuthority:
    place: FrenchPlace
    point: Point | None = None
    point_line: int | None = None
    lines: set[int] = field(default_factory=set)


@dataclass
class PartnerAuthority:
    iri: URIRef
    name: str
    country: Country
    point: Point | None = None
    point_line: int | None = None
    source_names: set[str] = field(default_factory=set)
    lines: set[int] = field(default_factory=set)


@dataclass
class Partnership:
    iri: URIRef
    members: tuple[URIRef, URIRef]
    labels: tuple[str, str]
    countries: set[Country] = field(default_factory=set)
    lines: list[int] = field(default_factory=list)
    citations: set[TwinningPlace] = field(default_factory=set)  # rows of the reviewed table


@dataclass(frozen=True)
class Match:
    """A French side found by other means than an exact, unique name (for review)."""

    line: int
    field: str
    value: str
    method: str
    kind: str
    code: str
    name: str


@dataclass
class TwinningImport:
    source_file: str
    rows_read: int = 0
    french_rows: int = 0
    partnerships: dict[URIRef, Partnership] = field(default_factory=dict)
    french: dict[URIRef, FrenchAuthority] = field(default_factory=dict)
    partners: dict[URIRef, PartnerAuthority] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    merged_duplicates: int = 0
    dropped_coordinates: int = 0
    # Problems of rows that were imported all the same, without the value: a partner position
    # outside its country. Listed in rejects.csv, not counted as rejected rows.
    dropped_positions: list[Reject] = field(default_factory=list)
    french_sides: int = 0
    resolved_sides: Counter[str] = field(default_factory=Counter)  # by kind of authority
    rows_french_resolved: int = 0  # rows whose every French side was resolved
    # rows imported (or merged) with every French side resolved to an INSEE commune
    rows_imported_to_commune: int = 0
    twinning_places: TwinningPlaces | None = None
    twinning_places_used: set[int] = field(default_factory=set)  # lines of the table
    distinct_names: DistinctNames | None = None
    # Twinnings found under two spellings of the partner (partner_spellings.py): every
    # candidate pair, merged or refused, and the IRIs merged away -> the IRI kept.
    spelling_candidates: list[Candidate] = field(default_factory=list)
    moved: dict[URIRef, URIRef] = field(default_factory=dict)

    @property
    def rejected_rows(self) -> int:
        return len({r.line for r in self.rejects})

    @property
    def imported_rows(self) -> int:
        return sum(len(p.lines) for p in self.partnerships.values())

    def rejects_by_reason(self) -> Counter[str]:
        return Counter(r.reason for r in self.rejects)


def import_rows(
    rows: list[CsvRow],
    source_file: str,
    countries: CountryResolver,
    places: FrenchPlaceResolver,
    twinning_places: TwinningPlaces | None = None,
    distinct_names: DistinctNames | None = None,
) -> TwinningImport:
    result = TwinningImport(
        source_file, twinning_places=twinning_places, distinct_names=distinct_names
    )
    parsed = [(row, _sides(row, countries)) for row in rows]
    result.rows_read = len(rows)
    _add_anchors(parsed, places)
    deferred: list[_Deferred] = []
    for row, sides in parsed:
        if sides is None:
            if any(v.strip() == "France" for v in row.values):
                result.french_rows += 1
                result.rejects.append(
                    Reject(
                        row.line,
                        "row",
                        ",".join(row.values),
                        "wrong-number-of-fields",
                        (f"expected {len(TWINNING_HEADER)} fields, got {len(row.values)}",),
                    )
                )
            continue
        if not any(_is_french(s) for s in sides):
            continue
        result.french_rows += 1
        _import_row(row.line, sides, places, result, deferred)
    for waiting in deferred:
        _settle_by_same_pair(waiting, result)
    return result


@dataclass(frozen=True)
class _Deferred:
    """A row whose only problem is a shared French name, kept until every row is read."""

    line: int
    french: Side
    unresolved: Unresolved
    partner: Side
    partner_label: str
    problems: tuple[Reject, ...]


def _settle_by_same_pair(waiting: _Deferred, result: TwinningImport) -> None:
    """'Vernouillet' – Yarm is the pair already imported as 'Vernouillet, Yvelines' – Yarm:
    when exactly one candidate commune is already twinned with this very partner, the row is
    a duplicate of that partnership. Otherwise it is rejected as it stood."""
    country = waiting.partner.country.country
    partner_iri = _partner_iri(country, waiting.partner_label, result)
    found = [
        code
        for code in waiting.unresolved.codes
        if uris.mint_partnership(uris.mint_commune(code), partner_iri) in result.partnerships
    ]
    if len(found) != 1:
        result.rejects.extend(waiting.problems)
        return
    commune_iri = uris.mint_commune(found[0])
    authority = result.french[commune_iri]
    authority.lines.add(waiting.line)
    partner = result.partners[partner_iri]
    partner.lines.add(waiting.line)
    partner.source_names.add(waiting.partner.name)
    result.partnerships[uris.mint_partnership(commune_iri, partner_iri)].lines.append(waiting.line)
    result.merged_duplicates += 1
    result.resolved_sides["commune"] += 1
    result.rows_french_resolved += 1
    result.rows_imported_to_commune += 1
    result.matches.append(
        Match(
            waiting.line,
            f"city{waiting.french.index}",
            waiting.french.name,
            "same-pair",
            "commune",
            found[0],
            authority.place.name,
        )
    )


def _sides(row: CsvRow, countries: CountryResolver) -> tuple[Side, Side] | None:
    if len(row.values) != len(TWINNING_HEADER):
        return None
    v = [value.strip() for value in row.values]
    return (
        Side(1, v[0], v[1], countries.resolve(v[1]), parse_point(v[2], v[3]), v[2], v[3]),
        Side(2, v[4], v[5], countries.resolve(v[5]), parse_point(v[6], v[7]), v[6], v[7]),
    )


def _is_french(side: Side) -> bool:
    return isinstance(side.country, CountryMatch) and side.country.is_france


def _add_anchors(parsed, places: FrenchPlaceResolver) -> None:
    """Positions of French names that are unique nationwide locate their département."""
    for _row, sides in parsed:
        for side in sides or ():
            if not (_is_french(side) and side.point):
                continue
            place = places.resolve(side.name, None, None)
            unique = isinstance(place, FrenchPlace) and place.method == "exact"
            if unique and place.kind == "commune":
                places.add_anchor(places.departement_of(place.code), side.point)
    places.prune_anchors()


def _import_row(
    line: int,
    sides: tuple[Side, Side],
    places: FrenchPlaceResolver,
    result: TwinningImport,
    deferred: list[_Deferred],
) -> None:
    problems: list[Reject] = []
    members: list[tuple[URIRef, str, Country]] = []
    resolved: list[tuple[Side, FrenchPlace | None, str | None]] = []
    french_failed = False
    shared_name: tuple[Side, Unresolved] | None = None
    citations: list[TwinningPlace] = []
    for side in sides:
        k = side.index
        if side.country is None:
            problems.append(Reject(line, f"country{k}", side.country_cell, "unknown-country"))
        elif isinstance(side.country, CountryRefusal):
            problems.append(
                Reject(
                    line,
                    f"country{k}",
                    side.country_cell,
                    "country-without-iso-code",
                    (side.country.reason,),
                )
            )
        for column, cell, limit in (("lat", side.lat_cell, 90), ("lng", side.long_cell, 180)):
            problem = coordinate_problem(cell, limit)
            if problem:
                problems.append(Reject(line, f"{column}{k}", cell, f"{problem}-coordinates"))
        if _is_french(side):
            result.french_sides += 1
            cited = _reviewed_place(side, sides[2 - side.index], result)
            if cited is not None:
                citations.append(cited)
                place = result.twinning_places.place(cited)
            else:
                place = places.resolve(side.name, side.point, side.country.departement)
            if isinstance(place, Unresolved):
                french_failed = True
                problems.append(Reject(line, f"city{k}", side.name, place.reason, place.candidates))
                if place.codes:
                    shared_name = (side, place)
            else:
                result.resolved_sides[place.kind] += 1
                resolved.append((side, place, None))
        else:
            # A qualifier stays in the name unless redundant: it is what tells "Friedberg,
            # Hesse" from "Friedberg, Bavaria" and "Göttingen (district)" from the town.
            label = without_redundant_qualifier(side.name)
            if not label or not any(ch.isalnum() for ch in label):
                problems.append(Reject(line, f"city{k}", side.name, "empty-name"))
            else:
                resolved.append((side, None, label))
    if not french_failed:
        result.rows_french_resolved += 1
    partners = [(side, label) for side, place, label in resolved if place is None]
    if shared_name is not None and len(problems) == 1 and len(partners) == 1:
        deferred.append(
            _Deferred(
                line,
                shared_name[0],
                shared_name[1],
                partners[0][0],
                partners[0][1],
                tuple(problems),
            )
        )
        return
    if problems:
        result.rejects.extend(problems)
        return
    for side, place, label in resolved:
        if place is not None:
            iri = _french_member(line, side, place, places, result)
            members.append((iri, place.name, side.country.country))
        else:
            iri = _partner_iri(side.country.country, label, result)
            partner = result.partners.get(iri)
            if partner is None:
                partner = PartnerAuthority(iri, label, side.country.country)
                result.partners[iri] = partner
            if partner.point is None:
                _place_partner(line, side, partner, result)
            partner.source_names.add(side.name)
            partner.lines.add(line)
            members.append((iri, label, side.country.country))
    # The French side first, so labels read "Jumelage Dijon – York" whatever the column order.
    members.sort(key=lambda member: not _is_french_iri(member[0], result))
    (iri_a, label_a, country_a), (iri_b, label_b, country_b) = members
    if iri_a == iri_b:
        result.rejects.append(Reject(line, "city2", sides[1].name, "twinned-with-itself"))
        return
    key = uris.mint_partnership(iri_a, iri_b)
    partnership = result.partnerships.get(key)
    if partnership is None:
        partnership = Partnership(key, (iri_a, iri_b), (label_a, label_b))
        result.partnerships[key] = partnership
    else:
        result.merged_duplicates += 1
    partnership.countries.update((country_a, country_b))
    partnership.lines.append(line)
    partnership.citations.update(citations)
    if all(place.kind == "commune" for _side, place, _label in resolved if place is not None):
        result.rows_imported_to_commune += 1


def _reviewed_place(side: Side, partner: Side, result: TwinningImport) -> TwinningPlace | None:
    """The reviewed table's row for this French name and this very partner, if any: it comes
    before every heuristic because it rests on a cited page, not on the CSV's geocoding."""
    if result.twinning_places is None or not isinstance(partner.country, CountryMatch):
        return None
    row = result.twinning_places.lookup(side.name, partner.name, partner.country.country.iso3)
    if row is not None:
        result.twinning_places_used.add(row.line)
    return row


def _french_member(
    line: int, side: Side, place: FrenchPlace, places: FrenchPlaceResolver, result: TwinningImport
) -> URIRef:
    iri = _french_iri(place)
    authority = result.french.get(iri)
    if authority is None:
        authority = FrenchAuthority(place)
        result.french[iri] = authority
    authority.lines.add(line)
    if place.method != "exact":
        result.matches.append(
            Match(
                line,
                f"city{side.index}",
                side.name,
                place.method,
                place.kind,
                place.code,
                place.name,
            )
        )
    # A side settled by the reviewed table had a shared name, and the CSV geocoded it from
    # that name alone: its position may be a namesake's in a nearby département (Bagneux of
    # the Aisne for Bagneux of the Hauts-de-Seine), which the anchor check cannot tell apart.
    trusted = place.method != TWINNING_PLACES_METHOD
    if place.kind == "commune" and authority.point is None and side.point is not None and trusted:
        distance = places.distance_to_departement_km(place.code, side.point)
        if distance <= MAX_ANCHOR_DISTANCE_KM:
            authority.point, authority.point_line = side.point, line
        else:
            result.dropped_coordinates += 1
            result.matches.append(
                Match(
                    line,
                    f"lat{side.index}",
                    f"{side.lat_cell},{side.long_cell}",
                    "coordinates-dropped",
                    place.kind,
                    place.code,
                    place.name,
                )
            )
    return iri


def _place_partner(
    line: int, side: Side, partner: PartnerAuthority, result: TwinningImport
) -> None:
    """Give the partner this row's position unless it lies outside the partner's country; a
    later row naming the same partner may still give one."""
    if side.point is None:
        return
    iso3 = partner.country.iso3
    distance = distance_to_country_km(float(side.point.lat), float(side.point.long), iso3)
    if distance is None or distance <= MAX_PARTNER_OUTSIDE_KM:  # None: no outline to check
        partner.point, partner.point_line = side.point, line
        return
    result.dropped_positions.append(
        Reject(
            line,
            f"lat{side.index}",
            f"{side.lat_cell},{side.long_cell}",
            OUTSIDE_COUNTRY,
            (f"{distance:.0f} km from {iso3}",),
        )
    )


def _partner_iri(country: Country, label: str, result: TwinningImport) -> URIRef:
    table = result.distinct_names
    slug = table.slug(label, country.iso3) if table is not None else None
    return uris.mint_partner_authority(country.iso2, label, slug)


def _is_french_iri(iri: URIRef, result: TwinningImport) -> bool:
    return iri in result.french


def _french_iri(place: FrenchPlace) -> URIRef:
    minters = {
        "commune": uris.mint_commune,
        "departement": uris.mint_departement,
        "region": uris.mint_region,
        "epci": uris.mint_epci,
    }
    return minters[place.kind](place.code)
