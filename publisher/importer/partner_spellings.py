"""One twinning found under two spellings of the partner, merged by evidence.

The twinnings CSV lists many pairs twice, once from each town's English Wikipedia page, and
the two pages may spell the partner differently: Grenoble is twinned with "Halle" and with
"Halle (Saale)", Tourcoing with "Berlin – Mitte" and with "Mitte (Berlin)", Lorient with
"Ludwigshafen" and with "Ludwigshafen am Rhein". Each spelling gave its own partner IRI, so
the twinning was published twice.

Two partners of one French authority are taken for one town when all of this holds:
- same country;
- the same place: "Qualifier – Place", "Place (Qualifier)" and "Place, Qualifier" name the
  place and its qualifier alike; the places are equal (accents, case, punctuation and 'St'
  aside) or one is the other's first words ("Ludwigshafen" of "Ludwigshafen am Rhein"), and
  the qualifiers do not disagree (one is absent, or its words are all in the other's);
- positions at most MAX_DISTANCE_KM apart when the source placed both;
- no other partner of that authority qualifies for the same merge (a bare "St. Cloud" near
  two qualified ones would be refused: a guess).

The more precise spelling is kept (a qualifier, the longer place name, then "Place
(Qualifier)" over "Qualifier – Place"); its partnership takes the other's source lines; the
other partnership's IRI, and the other partner's when no other twinning names it, become
moved IRIs (`dct:isReplacedBy`, answered 301). Every candidate, merged or refused, is listed
in data/reports/partner_merges.csv.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from itertools import combinations

from rdflib import Graph, URIRef

from publisher import uris
from publisher.importer.geo import distance_km
from publisher.importer.names import normalise, split_qualifier
from publisher.importer.twinnings import PartnerAuthority, TwinningImport
from publisher.namespaces import DCTERMS

# Measured on the bundled CSV: the positions of the two spellings of one town lie at most
# 8.4 km apart (Wujiang, a district of Suzhou, placed at the district and at its seat); the
# nearest pair that is not one town is 272 km apart (Friedberg of Bavaria and of Hesse). A
# district placed at its municipality's seat (Žagarė, 48 km from Joniškis) is refused.
MAX_DISTANCE_KM = 25.0
_DASH = " – "
HEADER = (
    "french",
    "kept_partner",
    "merged_partner",
    "kept_partnership",
    "merged_partnership",
    "country",
    "distance_km",
    "decision",
    "evidence",
)


@dataclass(frozen=True)
class Spelling:
    """A partner name read as a place and its qualifier, as normalised words."""

    place: tuple[str, ...]
    qualifier: tuple[str, ...]
    parenthesised: bool  # "Place (Qualifier)" or "Place, Qualifier", not "Qualifier – Place"


@dataclass(frozen=True)
class Candidate:
    """Two spellings of one partner for one French authority, merged or refused."""

    french: URIRef
    kept: PartnerAuthority
    merged: PartnerAuthority
    distance_km: float | None
    merged_done: bool
    evidence: str


def read_spelling(name: str) -> Spelling:
    if _DASH in name:
        qualifier, _, place = name.partition(_DASH)
        return Spelling(_words(place), _words(qualifier), False)
    parsed = split_qualifier(name)
    return Spelling(_words(parsed.name), _words(parsed.qualifier or ""), True)


def _words(text: str) -> tuple[str, ...]:
    return tuple(normalise(text).split())


def same_place(a: Spelling, b: Spelling) -> bool:
    short, long = sorted((a.place, b.place), key=len)
    if long[: len(short)] != short:
        return False
    if short != long and (a.qualifier or b.qualifier):
        # "Place am River" is a longer name, not a qualified one: only a bare name is its
        # shortening.
        return False
    if not a.qualifier or not b.qualifier:
        return True
    qa, qb = set(a.qualifier), set(b.qualifier)
    return qa <= qb or qb <= qa


def _precision(partner: PartnerAuthority) -> tuple:
    spelling = read_spelling(partner.name)
    return (
        len(spelling.place) + len(spelling.qualifier),
        bool(spelling.qualifier),
        spelling.parenthesised,
        partner.name,
    )


def merge_partner_spellings(result: TwinningImport) -> None:
    """Merge, in `result`, the twinnings published under two spellings of the partner;
    every candidate pair, merged or refused, goes to `result.spelling_candidates` and every
    IRI that no longer names a resource to `result.moved`."""
    distinct = result.distinct_names
    reviewed_apart = {r.partner for r in distinct.rows} if distinct is not None else set()
    partners_of: dict[URIRef, list[PartnerAuthority]] = {}
    for partnership in result.partnerships.values():
        french = [m for m in partnership.members if m in result.french]
        others = [m for m in partnership.members if m in result.partners]
        if len(french) == 1 and len(others) == 1:
            partners_of.setdefault(french[0], []).append(result.partners[others[0]])
    merged_into: dict[URIRef, set[URIRef]] = {}
    for french in sorted(partners_of):
        for candidate in _candidates(french, partners_of[french], reviewed_apart):
            result.spelling_candidates.append(candidate)
            if candidate.merged_done:
                _merge(result, french, candidate.kept, candidate.merged)
                merged_into.setdefault(candidate.merged.iri, set()).add(candidate.kept.iri)
    used = {m for p in result.partnerships.values() for m in p.members}
    for iri, kept in sorted(merged_into.items()):
        if iri in used:  # another authority's twinning still names it
            continue
        del result.partners[iri]
        if len(kept) == 1:
            result.moved[iri] = next(iter(kept))


def _candidates(
    french: URIRef, partners: list[PartnerAuthority], reviewed_apart: set[str]
) -> list[Candidate]:
    found: dict[URIRef, list[tuple[PartnerAuthority, PartnerAuthority, float | None]]] = {}
    for a, b in combinations(sorted(partners, key=lambda p: str(p.iri)), 2):
        if a.country != b.country or {a.name, b.name} & reviewed_apart:
            continue
        if not same_place(read_spelling(a.name), read_spelling(b.name)):
            continue
        kept, merged = sorted((a, b), key=_precision, reverse=True)
        distance = distance_km(a.point, b.point) if a.point and b.point else None
        found.setdefault(merged.iri, []).append((kept, merged, distance))
    candidates = []
    for merged_iri in sorted(found):
        pairs = found[merged_iri]
        close = [p for p in pairs if p[2] is None or p[2] <= MAX_DISTANCE_KM]
        for pair in pairs:
            kept, merged, distance = pair
            if pair not in close:
                done, why = False, f"positions {distance:.1f} km apart (over {MAX_DISTANCE_KM:.0f})"
            elif len(close) > 1:
                done, why = False, "another spelling of this authority's partners qualifies too"
            else:
                done, why = True, _evidence(kept, distance)
            candidates.append(Candidate(french, kept, merged, distance, done, why))
    return candidates


def _evidence(kept: PartnerAuthority, distance: float | None) -> str:
    where = (
        f"positions {distance:.1f} km apart"
        if distance is not None
        else "a position unknown, not compared"
    )
    return f"same country ({kept.country.iso3}), one name a form of the other, {where}"


def _merge(
    result: TwinningImport, french: URIRef, kept: PartnerAuthority, merged: PartnerAuthority
) -> None:
    keep = result.partnerships[uris.mint_partnership(french, kept.iri)]
    gone = result.partnerships.pop(uris.mint_partnership(french, merged.iri))
    keep.lines.extend(gone.lines)
    keep.countries.update(gone.countries)
    keep.citations.update(gone.citations)
    result.merged_duplicates += 1  # the pair's other rows were counted when read
    result.moved[gone.iri] = keep.iri
    # The merged rows name the kept town: they become its source lines, and the other
    # spelling one of its names.
    kept.lines.update(gone.lines)
    merged.lines.difference_update(gone.lines)
    kept.source_names.add(merged.name)


def moved_graph(result: TwinningImport) -> Graph:
    """`<old> dct:isReplacedBy <new>` for every partnership and partner merged away."""
    g = Graph()
    for old, new in sorted(result.moved.items()):
        g.add((old, DCTERMS.isReplacedBy, new))
    return g


def render_merges(candidates: list[Candidate]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for c in candidates:
        writer.writerow(
            (
                str(c.french),
                str(c.kept.iri),
                str(c.merged.iri),
                str(uris.mint_partnership(c.french, c.kept.iri)),
                str(uris.mint_partnership(c.french, c.merged.iri)),
                c.kept.country.iso3,
                "" if c.distance_km is None else f"{c.distance_km:.1f}",
                "merged" if c.merged_done else "refused",
                c.evidence,
            )
        )
    return out.getvalue()
