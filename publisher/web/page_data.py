"""What a resource page shows beyond the resource's own description, fetched from the store:
labels of the properties and classes it uses, and the partners drawn on an authority's map.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from starlette.requests import Request

from publisher import stats
from publisher.errors import AictError
from publisher.namespaces import AICT, GEO, ID_BASE, ORG
from publisher.web import deps
from publisher.web.resource_view import AUTHORITY_TYPES, LABEL_PREDICATES
from publisher.web.svg_map import MapPoint, PartnershipMap, build_partnership_map
from publisher.web.term_docs import TermIndex, build_term_index

log = logging.getLogger("aict.web")
Href = Callable[[str], str]


@dataclass
class ResourceExtras:
    labels: Graph = field(default_factory=Graph)
    map: PartnershipMap | None = None
    unlocated: list[str] = field(default_factory=list)
    terms: TermIndex | None = None
    networks: list[stats.NetworkMembership] = field(default_factory=list)


def store_of(request: Request) -> stats.SelectStore | None:
    """The store the app opened, when there is one (render_error may run before it opens)."""
    return deps.store_if_open(request)


def load_resource_extras(
    store: stats.SelectStore | None, iri: str, graph: Graph, lang: str, href: Href
) -> ResourceExtras:
    extras = ResourceExtras()
    subject = URIRef(iri)
    types = set(graph.objects(subject, RDF.type))
    extras.terms = build_term_index(iri, graph, lang, href)
    if store is None:
        return extras
    try:
        extras.labels = _missing_labels(store, graph, lang)
        if types & AUTHORITY_TYPES or graph.value(subject, GEO.lat) is not None:
            _authority_map(store, iri, lang, href, extras)
            extras.networks = stats.memberships_of(store, iri, lang)
        elif AICT.Partnership in types:
            _members_map(store, iri, graph, lang, href, extras)
    except AictError as exc:
        # The page stays useful without its map or extra labels: the description is shown.
        log.warning("extras of %s left out: %s", iri, exc)
    return extras


def _missing_labels(store: stats.SelectStore, graph: Graph, lang: str) -> Graph:
    """Labels of the predicates, classes and objects the description names without a label."""
    labelled = {s for p in LABEL_PREDICATES for s in graph.subjects(p)}
    wanted = {str(p) for p in graph.predicates() if p not in labelled}
    wanted |= {str(o) for o in graph.objects(None, RDF.type) if o not in labelled}
    wanted |= {str(o) for o in graph.objects() if isinstance(o, URIRef) and o not in labelled}
    labels = Graph()
    for iri, label in stats.labels_for(store, wanted, lang).items():
        labels.add((URIRef(iri), RDFS.label, Literal(label, lang=lang)))
    return labels


def _point(
    label: str, lat: float | None, lon: float | None, href: str, detail: str = ""
) -> MapPoint | None:
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return MapPoint(label=label, lat=lat, lon=lon, href=href, detail=detail)


def city_partnership_map(
    store: stats.SelectStore, city: stats.City, lang: str, href: Href
) -> tuple[PartnershipMap | None, list[str]]:
    """The map of a city and its partners, and the names of the partners it cannot place."""
    points: list[MapPoint] = []
    unlocated: list[str] = []
    for partner in stats.partners_of(store, city.iri, lang):
        point = _point(
            partner.label, partner.lat, partner.lon, href(partner.iri), partner.country or ""
        )
        if point is None:
            unlocated.append(partner.label)
        else:
            points.append(point)
    centre = _point(city.label, city.lat, city.lon, href(city.iri))
    if centre is None and not points:
        return None, unlocated
    return build_partnership_map(centre, points), unlocated


def _authority_map(
    store: stats.SelectStore, iri: str, lang: str, href: Href, extras: ResourceExtras
) -> None:
    here = stats.city(store, iri, lang)
    if here is not None:
        extras.map, extras.unlocated = city_partnership_map(store, here, lang, href)


def _members_map(
    store: stats.SelectStore, iri: str, graph: Graph, lang: str, href: Href, extras: ResourceExtras
) -> None:
    members = [str(m) for m in graph.objects(URIRef(iri), ORG.hasMember)]
    points = []
    # French members first: the first one is drawn as the centre of the map.
    for member in sorted(members, key=lambda m: (m.startswith(ID_BASE + "authority/"), m)):
        place = stats.city(store, member, lang)
        if place is None:
            continue
        point = _point(place.label, place.lat, place.lon, href(member))
        if point is None:
            extras.unlocated.append(place.label)
        else:
            points.append(point)
    if points:
        extras.map = build_partnership_map(points[0], points[1:])
