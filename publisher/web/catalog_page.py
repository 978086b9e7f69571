"""Readable views of the DCAT catalog and the VoID description, for browsers.

Both are read from the very graphs harvesters get (canonical IRIs, turned into links by
`href`), so the page cannot say something the RDF does not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS
from rdflib.term import Node

from publisher.namespaces import SPDX, VOID

Href = Callable[[str], str]


@dataclass(frozen=True)
class DistributionRow:
    title: str
    url: str  # download or access URL
    downloadable: bool
    media_type: str | None  # of the content, before any compression
    compressed: bool
    byte_size: int | None
    checksum: str | None
    checksum_algorithm: str | None
    note: str | None = None  # its description: what it holds, and the credit a source asks


@dataclass(frozen=True)
class CatalogView:
    title: str
    description: str
    publisher: str | None
    licence_url: str | None
    licence_label: str | None
    modified: str | None
    dataset_title: str
    dataset_description: str
    dataset_version: str | None
    keywords: list[str]
    landing_page: str | None
    distributions: list[DistributionRow]
    services: list[tuple[str, str]]  # (title, endpoint URL)


@dataclass(frozen=True)
class ClassRow:
    iri: str
    href: str
    label: str
    entities: int


@dataclass(frozen=True)
class VoidView:
    title: str
    dataset_title: str
    triples: int | None
    distinct_subjects: int | None
    properties: int | None
    classes: int | None
    partitions: list[ClassRow]
    sparql_endpoint: str | None
    uri_space: str | None
    vocabularies: list[str]
    dumps: list[str]
    examples: list[str]
    licence_url: str | None


def pick_text(graph: Graph, subject: Node, predicate: URIRef, lang: str) -> str | None:
    """The value in `lang`, else French, else English, else untagged, else any."""
    texts = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    order: dict[str | None, int] = {"fr": 1, "en": 2, None: 3} | {lang: 0}
    texts.sort(key=lambda lit: (order.get(lit.language, 4), str(lit)))
    return str(texts[0]) if texts else None


def _one(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    values = sorted(graph.objects(subject, predicate), key=str)
    return values[0] if values else None


def _integer(graph: Graph, subject: Node, predicate: URIRef) -> int | None:
    value = _one(graph, subject, predicate)
    try:
        return int(str(value)) if isinstance(value, Literal) else None
    except ValueError:
        return None


def _iri(value: Node | None, href: Href) -> str | None:
    return href(str(value)) if isinstance(value, URIRef) else None


def _subject_of_type(graph: Graph, rdf_type: URIRef) -> Node | None:
    subjects = sorted(graph.subjects(RDF.type, rdf_type), key=str)
    return subjects[0] if subjects else None


def _media_type(value: Node | None) -> str | None:
    """IANA media type IRI -> 'text/turtle'."""
    if not isinstance(value, URIRef):
        return None
    marker = "/media-types/"
    text = str(value)
    return text.split(marker, 1)[1] if marker in text else text


def build_catalog_view(graph: Graph, lang: str, href: Href) -> CatalogView:
    catalog = _subject_of_type(graph, DCAT.Catalog)
    dataset = _subject_of_type(graph, DCAT.Dataset)
    if catalog is None or dataset is None:
        return _empty_catalog()
    licence = _one(graph, catalog, DCTERMS.license)
    publisher = _one(graph, catalog, DCTERMS.publisher)
    modified = _one(graph, dataset, DCTERMS.modified)
    return CatalogView(
        title=pick_text(graph, catalog, DCTERMS.title, lang) or "",
        description=pick_text(graph, catalog, DCTERMS.description, lang) or "",
        publisher=pick_text(graph, publisher, FOAF.name, lang) if publisher else None,
        licence_url=_iri(licence, href),
        licence_label=pick_text(graph, licence, RDFS.label, lang) if licence else None,
        modified=str(modified) if modified is not None else None,
        dataset_title=pick_text(graph, dataset, DCTERMS.title, lang) or "",
        dataset_description=pick_text(graph, dataset, DCTERMS.description, lang) or "",
        dataset_version=(str(v) if (v := _one(graph, dataset, OWL.versionInfo)) else None),
        keywords=_keywords(graph, dataset, lang),
        landing_page=_iri(_one(graph, dataset, DCAT.landingPage), href),
        distributions=[
            _distribution(graph, node, lang, href)
            for node in sorted(graph.objects(dataset, DCAT.distribution), key=str)
        ],
        services=[
            (pick_text(graph, s, DCTERMS.title, lang) or "", _iri(endpoint, href) or "")
            for s in sorted(graph.objects(catalog, DCAT.service), key=str)
            if (endpoint := _one(graph, s, DCAT.endpointURL)) is not None
        ],
    )


def _keywords(graph: Graph, dataset: Node, lang: str) -> list[str]:
    keywords = [o for o in graph.objects(dataset, DCAT.keyword) if isinstance(o, Literal)]
    own = sorted(str(k) for k in keywords if k.language == lang)
    return own or sorted(str(k) for k in keywords)


def _distribution(graph: Graph, node: Node, lang: str, href: Href) -> DistributionRow:
    download = _one(graph, node, DCAT.downloadURL)
    access = _one(graph, node, DCAT.accessURL)
    checksum = _one(graph, node, SPDX.checksum)
    algorithm = _one(graph, checksum, SPDX.algorithm) if checksum is not None else None
    value = _one(graph, checksum, SPDX.checksumValue) if checksum is not None else None
    return DistributionRow(
        title=_distribution_title(graph, node, lang),
        url=_iri(download or access, href) or "",
        downloadable=download is not None,
        media_type=_media_type(_one(graph, node, DCAT.mediaType)),
        compressed=_one(graph, node, DCAT.compressFormat) is not None,
        byte_size=_integer(graph, node, DCAT.byteSize),
        checksum=str(value) if value is not None else None,
        checksum_algorithm=(
            str(algorithm).rsplit("_", 1)[-1].upper() if algorithm is not None else None
        ),
        note=pick_text(graph, node, DCTERMS.description, lang),
    )


def _distribution_title(graph: Graph, node: Node, lang: str) -> str:
    """Its own title in `lang`, else the title of the service it gives access to (the
    catalog names the SPARQL service in both languages), else any title it has."""
    own = [
        str(o)
        for o in graph.objects(node, DCTERMS.title)
        if isinstance(o, Literal) and o.language == lang
    ]
    if own:
        return sorted(own)[0]
    service = _one(graph, node, DCAT.accessService)
    if service is not None and (title := pick_text(graph, service, DCTERMS.title, lang)):
        return title
    return pick_text(graph, node, DCTERMS.title, lang) or str(node)


def _empty_catalog() -> CatalogView:
    return CatalogView("", "", None, None, None, None, "", "", None, [], None, [], [])


def build_void_view(
    graph: Graph, lang: str, href: Href, labels: Callable[[Iterable[str]], dict[str, str]]
) -> VoidView:
    """`labels` names the class IRIs of the partitions in the reader's language."""
    document = _subject_of_type(graph, VOID.DatasetDescription)
    dataset = _subject_of_type(graph, VOID.Dataset)
    if dataset is None:
        return VoidView("", "", None, None, None, None, [], None, None, [], [], [], None)
    partitions = []
    for partition in graph.objects(dataset, VOID.classPartition):
        cls = _one(graph, partition, VOID["class"])
        if isinstance(cls, URIRef):
            partitions.append((str(cls), _integer(graph, partition, VOID.entities) or 0))
    names = labels([iri for iri, _ in partitions])
    rows = [
        ClassRow(iri, href(iri), names.get(iri) or _local_name(iri), count)
        for iri, count in partitions
    ]
    rows.sort(key=lambda row: (-row.entities, row.label.lower()))
    uri_space = _one(graph, dataset, VOID.uriSpace)
    return VoidView(
        title=(pick_text(graph, document, DCTERMS.title, lang) or "") if document else "",
        dataset_title=pick_text(graph, dataset, DCTERMS.title, lang) or "",
        triples=_integer(graph, dataset, VOID.triples),
        distinct_subjects=_integer(graph, dataset, VOID.distinctSubjects),
        properties=_integer(graph, dataset, VOID.properties),
        classes=_integer(graph, dataset, VOID.classes),
        partitions=rows,
        sparql_endpoint=_iri(_one(graph, dataset, VOID.sparqlEndpoint), href),
        uri_space=href(str(uri_space)) if uri_space is not None else None,
        vocabularies=sorted(href(str(v)) for v in graph.objects(dataset, VOID.vocabulary)),
        dumps=sorted(href(str(d)) for d in graph.objects(dataset, VOID.dataDump)),
        examples=sorted(href(str(e)) for e in graph.objects(dataset, VOID.exampleResource)),
        licence_url=_iri(_one(graph, dataset, DCTERMS.license), href),
    )


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def format_bytes(size: int, lang: str) -> str:
    """'12 345 octets (12,1 ko)' / '12,345 bytes (12.1 kB)': exact, then readable."""
    unit_names = ("ko", "Mo", "Go") if lang == "fr" else ("kB", "MB", "GB")
    word = "octets" if lang == "fr" else "bytes"
    exact = f"{size:,}".replace(",", "\u202f" if lang == "fr" else ",")
    if size < 1000:
        return f"{exact} {word}"
    value, unit = float(size), ""
    for name in unit_names:
        value /= 1000
        unit = name
        if value < 1000:
            break
    readable = f"{value:.1f}".replace(".", "," if lang == "fr" else ".")
    return f"{exact} {word} ({readable} {unit})"
