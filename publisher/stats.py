"""Figures of the dataset for the home page, computed from the store with SPARQL.

Only bounded queries (GROUP BY with LIMIT, COUNT) go through the Store interface, so the
same code works on the embedded store or a remote SPARQL one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import pyoxigraph
from rdflib import URIRef
from rdflib.term import Node

from publisher.errors import InputError
from publisher.namespaces import PREFIXES

PROLOGUE = "".join(
    f"PREFIX {p}: <{iri}>\n"
    for p, iri in PREFIXES.items()
    if p in {"aict", "rdf", "rdfs", "skos", "dct", "dcat", "adms", "org", "geo", "schema", "foaf"}
)


class SelectStore(Protocol):
    """The part of publisher.store.Store the figures need."""

    def select(self, query: str, **bindings: Node) -> list[dict[str, Node]]: ...


@dataclass(frozen=True)
class Count:
    iri: str
    label: str
    count: int


@dataclass(frozen=True)
class Figures:
    triples: int
    french_authorities: int
    partner_authorities: int
    partnerships: int
    actions: int
    partner_countries: int


@dataclass(frozen=True)
class Partner:
    iri: str
    label: str
    lat: float | None
    lon: float | None
    country: str | None  # label of the partner's country


@dataclass(frozen=True)
class Labelled:
    iri: str
    label: str


@dataclass(frozen=True)
class NetworkMembership:
    """An authority's membership of a network, as its page lists it."""

    iri: str
    network: Labelled
    since: str | None  # adhesion date, ISO 8601
    status: Labelled | None
    commitments: tuple[Labelled, ...]


@dataclass(frozen=True)
class City:
    iri: str
    label: str
    lat: float | None
    lon: float | None


def iri_ref(iri: str) -> str:
    """`<iri>` for a query, refusing anything that is not a plain absolute IRI."""
    return f"<{checked_iri(iri)}>"


def checked_iri(iri: str) -> URIRef:
    """`iri` as a term to bind in a query, refusing anything that is not a plain absolute IRI."""
    # RFC 3987 syntax, as the store checks it: an IRI that passes cannot break out of <...>.
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError as exc:
        raise InputError(f"not a valid IRI: {iri!r} ({exc})", field="iri") from None
    return URIRef(iri)


def text(term: Any) -> str:
    return "" if term is None else str(term)


def _rows(store: SelectStore, query: str, **bindings: Node) -> list[dict[str, Node]]:
    # Oxigraph binds only variables that the SELECT projects: each query lists its bindings.
    return store.select(PROLOGUE + query, **bindings)


def _int(row: dict[str, Any], name: str) -> int:
    value = text(row.get(name))
    try:
        return int(value)
    except ValueError:
        return 0


def _float(term: Any) -> float | None:
    if term is None:
        return None
    try:
        return float(text(term))
    except ValueError:
        return None


def _count(store: SelectStore, where: str) -> int:
    rows = _rows(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}")
    return _int(rows[0], "n") if rows else 0


def build_figures(store: SelectStore, triples: int) -> Figures:
    return Figures(
        triples=triples,
        french_authorities=_count(store, "?x a aict:FrenchLocalAuthority"),
        partner_authorities=_count(store, "?x a aict:PartnerLocalAuthority"),
        partnerships=_count(store, "?x a aict:Partnership"),
        actions=_count(store, "?x a ?t . ?t rdfs:subClassOf* aict:Action"),
        partner_countries=_count(
            store, "?m a aict:PartnerLocalAuthority ; dct:spatial ?x . ?p org:hasMember ?m"
        ),
    )


def labels_for(store: SelectStore, iris: Iterable[str], lang: str) -> dict[str, str]:
    """Best label of each IRI in `lang` (else French, English, untagged), bounded to 500."""
    wanted = sorted(set(iris))[:500]
    if not wanted:
        return {}
    values = " ".join(iri_ref(i) for i in wanted)
    rows = _rows(
        store,
        f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} "
        "?s skos:prefLabel|rdfs:label|schema:name|dct:title ?l }",
    )
    ranked: dict[str, tuple[int, str]] = {}
    order = {"fr": 1, "en": 2, "": 3} | {lang: 0}
    for row in rows:
        literal = row.get("l")
        tag = (getattr(literal, "language", None) or "").lower()
        rank = order.get(tag, 4)
        key = text(row.get("s"))
        label = text(literal)
        if key not in ranked or (rank, label) < ranked[key]:
            ranked[key] = (rank, label)
    return {iri: label for iri, (_, label) in ranked.items()}


def _grouped(store: SelectStore, where: str, lang: str, limit: int = 40) -> list[Count]:
    rows = _rows(
        store,
        f"SELECT ?k (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }} "
        f"GROUP BY ?k ORDER BY DESC(?n) ?k LIMIT {int(limit)}",
    )
    keys = [text(r.get("k")) for r in rows if r.get("k") is not None]
    labels = labels_for(store, keys, lang)
    return [
        Count(
            iri=text(r["k"]),
            label=labels.get(text(r["k"]), _tail(text(r["k"]))),
            count=_int(r, "n"),
        )
        for r in rows
        if r.get("k") is not None
    ]


def actions_by_type(store: SelectStore, lang: str) -> list[Count]:
    return _grouped(
        store, "?x a ?t . ?t rdfs:subClassOf* aict:Action . ?x aict:actionType ?k", lang
    )


def partnerships_by_form(store: SelectStore, lang: str) -> list[Count]:
    return _grouped(store, "?x a aict:Partnership ; aict:partnershipForm ?k", lang)


def actions_by_theme(store: SelectStore, lang: str) -> list[Count]:
    return _grouped(
        store, "?x a ?t . ?t rdfs:subClassOf* aict:Action . ?x aict:theme|dct:subject ?k", lang
    )


def memberships_by_commitment(store: SelectStore, lang: str) -> list[Count]:
    """Network memberships by the commitment taken (CoM 2020, 2030, 2050, Mayors Adapt)."""
    return _grouped(store, "?x a org:Membership ; aict:commitment ?k", lang)


def memberships_of(store: SelectStore, iri: str, lang: str) -> list[NetworkMembership]:
    """The networks `iri` is a member of, with adhesion date, status and commitments."""
    rows = _rows(
        store,
        "SELECT ?member ?m ?network ?since ?status ?c WHERE { "
        "?m a org:Membership ; org:member ?member ; org:organization ?network . "
        "OPTIONAL { ?m org:memberDuring/dcat:startDate ?since } "
        "OPTIONAL { ?m adms:status ?status } OPTIONAL { ?m aict:commitment ?c } } LIMIT 200",
        member=checked_iri(iri),
    )
    iris = {text(r.get(k)) for r in rows for k in ("network", "status", "c") if r.get(k)}
    labels = labels_for(store, iris, lang)

    def labelled(term: Any) -> Labelled | None:
        return (
            None
            if term is None
            else Labelled(text(term), labels.get(text(term), _tail(text(term))))
        )

    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = found.setdefault(
            text(row["m"]),
            {
                "network": labelled(row["network"]),
                "since": row.get("since"),
                "status": labelled(row.get("status")),
                "commitments": set(),
            },
        )
        if row.get("c") is not None:
            entry["commitments"].add(labelled(row["c"]))
    memberships = [
        NetworkMembership(
            iri=m,
            network=e["network"],
            since=text(e["since"]) or None,
            status=e["status"],
            commitments=tuple(sorted(e["commitments"], key=lambda c: c.iri)),
        )
        for m, e in found.items()
    ]
    return sorted(memberships, key=lambda m: (m.network.label, m.since or "", m.iri))


def partnerships_by_country(store: SelectStore, lang: str, limit: int = 15) -> list[Count]:
    return _grouped(
        store,
        "?x a aict:Partnership ; org:hasMember ?m . ?m a aict:PartnerLocalAuthority ; "
        "dct:spatial ?k",
        lang,
        limit,
    )


def most_partnered_cities(store: SelectStore, lang: str, limit: int = 60) -> list[Count]:
    """French authorities with the most partners, for the map's city picker."""
    return _grouped(
        store,
        "?p a aict:Partnership ; org:hasMember ?k, ?x . ?k a aict:FrenchLocalAuthority . "
        "FILTER(?x != ?k)",
        lang,
        limit,
    )


def city(store: SelectStore, iri: str, lang: str) -> City | None:
    rows = _rows(
        store,
        "SELECT ?city ?lat ?long WHERE { ?city geo:lat ?lat ; geo:long ?long } LIMIT 1",
        city=checked_iri(iri),
    )
    label = labels_for(store, [iri], lang).get(iri)
    if label is None:
        return None
    row = rows[0] if rows else {}
    return City(iri=iri, label=label, lat=_float(row.get("lat")), lon=_float(row.get("long")))


def partners_of(store: SelectStore, iri: str, lang: str, limit: int = 300) -> list[Partner]:
    """The authorities in a partnership (or twinned) with `iri`, with coordinates when known."""
    # Written for Oxigraph's planner (every authority page runs it): a two-pattern OPTIONAL
    # is joined by hashing every located resource of the store, and `?p a aict:Partnership`
    # first scans every partnership; one-pattern OPTIONALs and the type as FILTER EXISTS
    # follow ?city instead (same rows on every resource of the bundled data, 22 ms -> 0.4 ms).
    rows = _rows(
        store,
        "SELECT DISTINCT ?city ?o ?lat ?long ?c WHERE { "
        "{ ?p org:hasMember ?city, ?o . FILTER(?o != ?city) "
        "FILTER EXISTS { ?p a aict:Partnership } } "
        "UNION { ?city aict:twinnedWith ?o } UNION { ?o aict:twinnedWith ?city } "
        "OPTIONAL { ?o geo:lat ?lat } OPTIONAL { ?o geo:long ?long } "
        "OPTIONAL { ?o dct:spatial ?c } "
        f"}} LIMIT {int(limit)}",
        city=checked_iri(iri),
    )
    iris = {text(r["o"]) for r in rows} | {text(r["c"]) for r in rows if r.get("c") is not None}
    labels = labels_for(store, iris, lang)
    partners: dict[str, Partner] = {}
    for row in rows:
        other = text(row["o"])
        if other in partners:
            continue
        country = text(row["c"]) if row.get("c") is not None else None
        partners[other] = Partner(
            iri=other,
            label=labels.get(other, _tail(other)),
            lat=_float(row.get("lat")),
            lon=_float(row.get("long")),
            country=labels.get(country, _tail(country)) if country else None,
        )
    return sorted(partners.values(), key=lambda p: p.label.lower())


def types_of(
    store: SelectStore, iris: list[str], lang: str, known: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """Labels of the classes of each IRI (for search results), bounded like labels_for; a
    class the data does not label (org:Membership) takes its label from `known`, else the
    end of its IRI."""
    known = known or {}
    wanted = sorted(set(iris))[:500]
    if not wanted:
        return {}
    values = " ".join(iri_ref(i) for i in wanted)
    rows = _rows(store, f"SELECT DISTINCT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s a ?t }}")
    labels = labels_for(store, {text(r["t"]) for r in rows}, lang)
    kinds: dict[str, list[str]] = {}
    for row in rows:
        kind = text(row["t"])
        name = labels.get(kind) or known.get(kind) or _tail(kind)
        kinds.setdefault(text(row["s"]), []).append(name)
    return {iri: sorted(set(names)) for iri, names in kinds.items()}


def _tail(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


# The counts of the home page's charts and of /-/stats.json, by their JSON name. The country
# chart shows the first 15 of partnershipsByCountry (same order).
_COUNTS = {
    "actionsByType": actions_by_type,
    "partnershipsByForm": partnerships_by_form,
    "actionsByTheme": actions_by_theme,
    "partnershipsByCountry": lambda store, lang: partnerships_by_country(store, lang, limit=300),
    "mostPartneredCities": most_partnered_cities,
    "membershipsByCommitment": memberships_by_commitment,
}


@dataclass(frozen=True)
class Overview:
    """What the home page and /-/stats.json show of the whole dataset in one language: the
    part of the pages that scans the data, computed once per dataset version (at the build
    step for a store directory)."""

    figures: Figures
    counts: dict[str, list[Count]]  # keys of _COUNTS

    def to_json(self) -> dict[str, Any]:
        return {
            "figures": asdict(self.figures),
            "counts": {key: [asdict(c) for c in counts] for key, counts in self.counts.items()},
        }

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> Overview:
        return cls(
            Figures(**document["figures"]),
            {key: [Count(**c) for c in counts] for key, counts in document["counts"].items()},
        )


def overview(store: SelectStore, triples: int, lang: str) -> Overview:
    return Overview(
        build_figures(store, triples),
        {key: counts(store, lang) for key, counts in _COUNTS.items()},
    )
