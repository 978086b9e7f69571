"""A remote SPARQL 1.1 store behind the publisher's Store interface (chosen by open_store when
`Settings.store_endpoint` is set).

For deployments that outgrow one machine: the data lives in a SPARQL server (Oxigraph server,
Fuseki, Virtuoso, QLever) and the publisher only queries it over the SPARQL 1.1 Protocol.
The server must answer queries with the union of its named graphs as default graph (Oxigraph:
`oxigraph serve --union-default-graph`; Fuseki: `tdb2:unionDefaultGraph true`), as the
embedded store does. The publisher never writes to it.

What the embedded store knows from its files is asked of the server once, at open: the
version is a hash of the sorted N-Quads of the whole dataset (so it changes exactly when the
content does), and Last-Modified is the latest dct:modified in the data (else the time of
opening). Dumps are built from queries; SPARQL workers get an N-Quads snapshot (`path` is None).
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from publisher.config import Settings, package_version
from publisher.errors import QuerySyntaxError, StoreError
from publisher.store.interface import (
    DUMP_FORMATS,
    QUAD_DUMPS,
    Store,
    StoreInfo,
    data_last_modified,
    unknown_dump_format,
)
from publisher.store.terms import to_oxigraph, to_rdflib

log = logging.getLogger("aict.store")

_RESULTS_JSON = "application/sparql-results+json"
_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


class SparqlEndpointStore(Store):
    """Queries a SPARQL endpoint; bindings become a trailing VALUES clause, as in Oxigraph."""

    def __init__(self, endpoint: str, *, timeout: float) -> None:
        self.endpoint = endpoint
        self.path = None
        self._client: httpx.Client | None = httpx.Client(
            timeout=timeout, follow_redirects=False, headers={"User-Agent": "aict-publisher"}
        )
        self.info = StoreInfo(version="", last_modified=0, triples=0, sources=[endpoint])

    @classmethod
    def open(cls, settings: Settings) -> SparqlEndpointStore:
        if settings.store_endpoint is None:
            raise StoreError("no store_endpoint is configured")
        store = cls(settings.store_endpoint, timeout=max(settings.query_timeout, 60.0))
        store.info = store._read_info()
        log.info(
            "using the SPARQL store at %s (%d triples); files are not loaded",
            settings.store_endpoint,
            store.info.triples,
        )
        return store

    def select(self, query: str, **bindings: Node) -> list[dict[str, Node]]:
        document = self._json(_with_values(query, bindings))
        if "results" not in document:
            raise StoreError("the endpoint did not answer a SELECT result")
        return [
            {name: _json_term(value) for name, value in row.items()}
            for row in document["results"]["bindings"]
        ]

    def construct(self, query: str, **bindings: Node) -> Graph:
        body = self._post(_with_values(query, bindings), "application/n-triples")
        graph = Graph(bind_namespaces="core")
        try:
            for quad in ox.parse(body, ox.RdfFormat.N_TRIPLES):
                graph.add(
                    (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
                )
        except SyntaxError as exc:
            raise StoreError(f"the endpoint sent unreadable N-Triples: {exc.msg}") from None
        return graph

    def ask(self, query: str, **bindings: Node) -> bool:
        document = self._json(_with_values(query, bindings))
        if "boolean" not in document:
            raise StoreError("the endpoint did not answer an ASK result")
        return bool(document["boolean"])

    def dump(self, fmt: str) -> bytes:
        if fmt not in DUMP_FORMATS:
            raise StoreError(unknown_dump_format(fmt))
        try:
            if fmt in QUAD_DUMPS:
                return ox.serialize(self._quads(), format=DUMP_FORMATS[fmt])
            triples = ox.parse(
                self._post(_TRIPLES, "application/n-triples"), ox.RdfFormat.N_TRIPLES
            )
            return ox.serialize(
                (ox.Triple(q.subject, q.predicate, q.object) for q in triples),
                format=DUMP_FORMATS[fmt],
            )
        except (SyntaxError, ValueError, OSError) as exc:
            raise StoreError(f"cannot dump the remote store as {fmt}: {exc}") from None

    def snapshot_nquads(self, path: Path) -> Path:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self.dump("nq"))
        except OSError as exc:
            raise StoreError(f"cannot write the N-Quads snapshot {path}: {exc}") from None
        return path

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _read_info(self) -> StoreInfo:
        lines = sorted(set(self.dump("nq").splitlines()))
        digest = hashlib.sha256(package_version().encode())
        for line in lines:
            digest.update(line + b"\n")
        modified = data_last_modified(self)
        return StoreInfo(
            version=digest.hexdigest()[:32],
            last_modified=modified or int(datetime.now(UTC).timestamp()),
            triples=int(self.select(_COUNT)[0]["n"]),
            sources=[self.endpoint],
        )

    def _quads(self) -> list[ox.Quad]:
        quads = []
        for row in self.select(_QUADS):
            terms = [to_oxigraph(row[name]) for name in ("s", "p", "o", "g")]
            quads.append(ox.Quad(*terms))
        return quads

    def _json(self, query: str) -> dict:
        try:
            return json.loads(self._post(query, _RESULTS_JSON))
        except ValueError:
            raise StoreError("the endpoint sent unreadable JSON results") from None

    def _post(self, query: str, accept: str) -> bytes:
        if self._client is None:
            raise StoreError("the store is closed")
        try:
            response = self._client.post(
                self.endpoint, data={"query": query}, headers={"Accept": accept}
            )
        except httpx.HTTPError as exc:
            raise StoreError(f"the SPARQL store at {self.endpoint} did not answer: {exc}") from None
        if response.status_code == 400:
            raise QuerySyntaxError(response.text[:500])
        if response.status_code != 200:
            raise StoreError(f"the SPARQL store at {self.endpoint} answered {response.status_code}")
        return response.content


def _with_values(query: str, bindings: dict[str, Node]) -> str:
    if not bindings:
        return query
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(_n3(term) for term in bindings.values())
    return f"{query}\nVALUES ({names}) {{ ({values}) }}"


def _n3(term: Node) -> str:
    if isinstance(term, str) and not isinstance(term, (URIRef, Literal, BNode)):
        term = URIRef(term)
    if isinstance(term, BNode):
        raise StoreError("a blank node cannot be bound in a remote query")
    return str(to_oxigraph(term))


def _json_term(value: dict) -> Node:
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(value["value"], lang=value["xml:lang"])
        datatype = value.get("datatype")
        return Literal(value["value"], datatype=None if datatype == str(XSD.string) else datatype)
    raise StoreError(f"unsupported term in SPARQL results: {kind!r}")
