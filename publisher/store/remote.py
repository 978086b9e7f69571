"""A remote SPARQL 1.1 store behind the publisher's Store interface (chosen by open_store when
`Settings.store_endpoint` is set).

For deployments that outgrow one machine: the data lives in a SPARQL server (Oxigraph server,
Fuseki, Virtuoso, QLever) and the publisher only queries it over the SPARQL 1.1 Protocol.
The server must answer queries with the union of its named graphs as default graph (Oxigraph:
`oxigraph serve-read-only --union-default-graph`; Virtuoso does by default), as the embedded
store does. The publisher never writes to it, and never copies it: pages and fragments query
it, /sparql forwards to it (publisher.sparql.remote), and no dumps are published (the engine
is the place to download from).

What the embedded store knows from its files is asked of the engine once, by bounded
aggregate queries, and kept in a small file (`aict-remote.json` in the build directory:
publisher.build): the triples of each named graph, the latest dct:modified. The version (the
base of ETags) is a hash of those figures and the package version, so every `aict serve`
over the same engine, on any machine, gives the same strong ETags. After reloading the
engine, `aict load --endpoint URL` computes them again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from publisher.config import Settings, package_version
from publisher.errors import (
    EngineRefused,
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
    StoreUnavailable,
)
from publisher.namespaces import GRAPH_BASE
from publisher.store.interface import Store, StoreInfo, data_last_modified
from publisher.store.terms import to_oxigraph, to_rdflib

log = logging.getLogger("aict.store")

INFO_FILE = "aict-remote.json"
_RESULTS_JSON = "application/sparql-results+json"
_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
# The figures of a build are aggregates over the whole engine: they may take longer than a
# query of a visitor.
_BUILD_TIMEOUT = 600.0


class SparqlEndpointStore(Store):
    """Queries a SPARQL endpoint; bindings become a trailing VALUES clause, as in Oxigraph."""

    publishes_dumps = False

    def __init__(self, endpoint: str, *, timeout: float) -> None:
        self.endpoint = endpoint
        self.path = None
        self._timeout = timeout
        self._client: httpx.Client | None = httpx.Client(
            timeout=timeout, follow_redirects=False, headers={"User-Agent": "aict-publisher"}
        )
        self.info = StoreInfo(version="", last_modified=0, triples=0, sources=[endpoint])

    def for_build(self) -> SparqlEndpointStore:
        """The same store whose queries may take as long as a build's aggregates (minutes over
        a large engine), not a visitor's deadline. Close it after the build."""
        builder = SparqlEndpointStore(self.endpoint, timeout=_BUILD_TIMEOUT)
        builder.info = self.info
        return builder

    @classmethod
    def open(
        cls, settings: Settings, directory: Path | None = None, *, rebuild: bool = False
    ) -> SparqlEndpointStore:
        """The store over `settings.store_endpoint`; its figures are read from `directory`
        when an earlier start (or `aict load --endpoint`) computed them there, else asked of
        the engine now (and kept there)."""
        if settings.store_endpoint is None:
            raise StoreError("no store_endpoint is configured")
        store = cls(settings.store_endpoint, timeout=settings.query_timeout)
        known = None if rebuild or directory is None else _read_info(directory, store.endpoint)
        if known is None:
            known = store.measure()
            if directory is not None:
                _write_info(directory, known)
        store.info = known
        log.info(
            "using the SPARQL store at %s (%d triples); nothing is loaded or copied",
            settings.store_endpoint,
            store.info.triples,
        )
        return store

    @property
    def graphs(self) -> set[str]:
        """The named graphs the build counted (those a query may name in FROM)."""
        return {str(graph) for graph, _ in self.info.files}

    def measure(self) -> StoreInfo:
        """The engine's figures, by aggregate queries (no triple leaves the engine)."""
        sizes = {
            str(row["g"]): int(row["n"])
            for row in self.select(_GRAPH_SIZES, timeout=_BUILD_TIMEOUT)
            if isinstance(row.get("g"), URIRef)
        }
        ours = {g: n for g, n in sizes.items() if g.startswith(GRAPH_BASE)}
        # An engine holding our graphs among its own (Virtuoso's system graphs) is measured
        # on ours; one holding other graphs only, on all of them.
        sizes = ours or sizes
        modified = data_last_modified(self)
        digest = hashlib.sha256(package_version().encode())
        for graph, count in sorted(sizes.items()):
            digest.update(f"{graph}\0{count}\n".encode())
        digest.update(str(modified).encode())
        return StoreInfo(
            version=digest.hexdigest()[:32],
            last_modified=modified or int(datetime.now(UTC).timestamp()),
            triples=sum(sizes.values()),
            sources=[self.endpoint],
            files=[[graph, count] for graph, count in sorted(sizes.items())],
        )

    def select(
        self, query: str, *, timeout: float | None = None, **bindings: Node
    ) -> list[dict[str, Node]]:
        document = self._json(_with_values(query, bindings), timeout)
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
        raise StoreError("a remote store publishes no dumps: download from its engine")

    def snapshot_nquads(self, path: Path) -> Path:
        raise StoreError("a remote store is queried, never copied")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _json(self, query: str, timeout: float | None = None) -> dict:
        try:
            return json.loads(self._post(query, _RESULTS_JSON, timeout))
        except ValueError:
            raise StoreError("the endpoint sent unreadable JSON results") from None

    def _post(self, query: str, accept: str, timeout: float | None = None) -> bytes:
        if self._client is None:
            raise StoreError("the store is closed")
        limit = timeout or self._timeout
        try:
            response = self._client.post(
                self.endpoint, data={"query": query}, headers={"Accept": accept}, timeout=limit
            )
        except httpx.TimeoutException:
            raise QueryTimeout(f"the SPARQL store did not answer within {limit:g} s") from None
        except httpx.HTTPError as exc:
            raise StoreUnavailable(
                f"the SPARQL store at {self.endpoint} is not answering ({exc})"
            ) from None
        if "x-sql-state" in response.headers:  # Virtuoso's partial "anytime" answer
            raise QueryTimeout(f"the SPARQL store did not answer within {limit:g} s")
        if response.status_code == 400:
            raise QuerySyntaxError(response.text[:500])
        if response.status_code in (502, 503, 504):
            raise StoreUnavailable(f"the SPARQL store answered {response.status_code}")
        if response.status_code != 200:
            log.warning(
                "the SPARQL store answered %d: %s", response.status_code, response.text[:500]
            )
            raise EngineRefused(
                f"the SPARQL store answered {response.status_code}: {response.text[:300]}"
            )
        return response.content


def _read_info(directory: Path, endpoint: str) -> StoreInfo | None:
    try:
        document = json.loads((directory / INFO_FILE).read_text(encoding="utf-8"))
        if document.get("package") != package_version() or document.get("endpoint") != endpoint:
            return None
        return StoreInfo(**document["info"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        log.warning("ignoring the unreadable %s (%s)", directory / INFO_FILE, exc)
        return None


def _write_info(directory: Path, info: StoreInfo) -> None:
    document = {"package": package_version(), "endpoint": info.sources[0], "info": asdict(info)}
    try:
        directory.mkdir(parents=True, exist_ok=True)
        partial = directory / (INFO_FILE + ".partial")
        partial.write_text(json.dumps(document, indent=2), encoding="utf-8")
        partial.replace(directory / INFO_FILE)
    except OSError as exc:
        raise StoreError(f"cannot write {directory / INFO_FILE}: {exc}") from None


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
