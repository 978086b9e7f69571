"""Queries forwarded to a remote SPARQL engine: the query runner of a remote store.

The service has already refused what policy forbids (SERVICE, LOAD, remote graphs). Here the
query is made portable (publisher.sparql.portable), sent with our deadline as the client
timeout (and as the engine's own timeout parameter where it has one), and its answer is
read back into pyoxigraph's result types, so that the row cap, the formats and the bytes
are exactly those of our own runners (publisher.sparql.worker.serialize_answer).

Virtuoso's `timeout` is "anytime query": past it, it answers 200 with PARTIAL results and
the headers X-SQL-State / X-SQL-Message; such an answer is a timeout, never a full one.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from publisher.errors import (
    EngineRefused,
    QueryError,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    StoreUnavailable,
)
from publisher.formats import BY_KEY
from publisher.sparql.portable import Names, portable_query, with_row_limit
from publisher.sparql.terms import to_oxigraph
from publisher.sparql.worker import (
    FragmentJob,
    QueryJob,
    count_query,
    fragment_reply,
    page_query,
    serialize_answer,
)

log = logging.getLogger("aict.sparql")

_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
# Engines known to stop a query at a deadline given in the request (milliseconds).
_TIMEOUT_PARAMETERS = {"virtuoso": "timeout"}


class RemoteRunner:
    """Runs QueryJob and FragmentJob on a SPARQL endpoint (the Runner of SparqlService)."""

    def __init__(
        self, endpoint: str, *, connections: int = 32, names: Callable[[], Names] | None = None
    ) -> None:
        """`names`: gives, when a query first folds a name, the lookup of the labels whose
        fold is a text (publisher.sparql.portable)."""
        self.endpoint = endpoint
        self._names_source = names
        self._names: Names | None = None
        self._names_loading = asyncio.Lock()
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            headers={"User-Agent": "aict-publisher"},
            limits=httpx.Limits(max_connections=connections),
        )
        self._timeout_parameter: str | None = None

    async def start(self, known_graphs: set[str] | None = None) -> set[str]:
        """The engine's named graphs (the local graphs a query may name): `known_graphs`,
        those the build step counted, else asked of the engine (a pass over its data)."""
        query = "ASK {}" if known_graphs else _GRAPHS
        body, headers = await self._send(query, _RESULTS_JSON, 60.0)
        server = headers.get("server", "").lower()
        self._timeout_parameter = next(
            (name for engine, name in _TIMEOUT_PARAMETERS.items() if engine in server), None
        )
        if known_graphs:
            return set(known_graphs)
        rows = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        return {row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode)}

    async def run(self, job: object, timeout: float) -> tuple:
        if isinstance(job, QueryJob):
            return await self._query(job, timeout)
        if isinstance(job, FragmentJob):
            return await self._fragment(job, timeout)
        return ("error", f"unknown job {type(job).__name__}")

    async def close(self) -> None:
        await self._client.aclose()

    async def _query(self, job: QueryJob, timeout: float) -> tuple:
        if self._names is None and self._names_source is not None and "fold" in job.query:
            # Read from the build, or asked of the engine: seconds, so off the event loop.
            async with self._names_loading:
                if self._names is None:
                    self._names = await asyncio.to_thread(self._names_source)
        text = portable_query(
            job.query,
            base_iri=job.base_iri,
            bindings={name: to_oxigraph(term) for name, term in job.substitutions.items()},
            names=self._folded_names,
        )
        form = _form(job)
        if form == "solutions":
            text = with_row_limit(text, job.limit + 1)  # one more: to know it was cut
        accept = _NTRIPLES if form == "graph" else _RESULTS_JSON
        params: list[tuple[str, str]] = [("default-graph-uri", g) for g in job.default_graph or []]
        params += [("named-graph-uri", g) for g in job.named_graphs or []]
        body, _ = await self._send(text, accept, timeout, params, job.byte_budget)
        try:
            if form == "graph":
                result = [
                    ox.Triple(q.subject, q.predicate, q.object)
                    for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
                ]
            else:
                result = ox.parse_query_results(
                    _blank_nodes_renamed(body), format=ox.QueryResultsFormat.JSON
                )
            return serialize_answer(result, job)
        except (SyntaxError, ValueError, OSError) as exc:
            log.error("unreadable answer from %s: %s", self.endpoint, exc)
            raise QueryError("the SPARQL engine sent an unreadable answer") from None

    def _folded_names(self, folded: str) -> Sequence[str]:
        return () if self._names is None else self._names(folded)

    async def _fragment(self, job: FragmentJob, timeout: float) -> tuple:
        count, _ = await self._send(
            count_query(job.subject, job.predicate, job.object), _RESULTS_JSON, timeout
        )
        page, _ = await self._send(page_query(job), _RESULTS_JSON, timeout)
        total = next(iter(ox.parse_query_results(count, format=ox.QueryResultsFormat.JSON)))
        rows = ox.parse_query_results(_blank_nodes_renamed(page), format=ox.QueryResultsFormat.JSON)
        return fragment_reply(job, int(total["n"].value), rows)

    async def _send(
        self,
        query: str,
        accept: str,
        timeout: float,
        params: list[tuple[str, str]] | None = None,
        budget: int | None = None,
    ) -> tuple[bytes, httpx.Headers]:
        form = [("query", query), *(params or [])]
        if self._timeout_parameter:
            form.append((self._timeout_parameter, str(max(1, int(timeout * 1000)))))
        try:
            async with asyncio.timeout(timeout):
                # Encoded here: a form may repeat a name (several default-graph-uri).
                request = self._client.build_request(
                    "POST",
                    self.endpoint,
                    content=urlencode(form).encode(),
                    headers={"Accept": accept, **_FORM},
                    timeout=timeout,
                )
                response = await self._client.send(request, stream=True)
                try:
                    body = await _read(response, budget)
                finally:
                    await response.aclose()
        except (TimeoutError, httpx.TimeoutException):
            raise QueryTimeout(f"the query ran past its {timeout:g} s deadline") from None
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"the SPARQL engine is not answering ({exc})") from None
        return _checked(response, body, timeout), response.headers


_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def _read(response: httpx.Response, budget: int | None) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if budget is not None and size > budget:
            raise ResultTooLarge(
                f"the engine's answer passed {budget:,} bytes; ask for fewer rows (LIMIT)"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _checked(response: httpx.Response, body: bytes, timeout: float) -> bytes:
    if "x-sql-state" in response.headers:  # Virtuoso's partial "anytime" answer
        raise QueryTimeout(f"the query ran past its {timeout:g} s deadline")
    status = response.status_code
    if status == 200:
        return body
    message = body.decode("utf-8", "replace").strip()[:500]
    if status == 400:
        raise QuerySyntaxError(message or "the SPARQL engine refused the query")
    if status in (502, 503, 504):
        raise StoreUnavailable(f"the SPARQL engine answered {status}")
    log.warning("the SPARQL engine answered %d: %s", status, message)
    raise EngineRefused(f"the SPARQL engine answered {status}: {message[:300]}")


def _blank_nodes_renamed(body: bytes) -> bytes:
    """JSON results whose blank node labels are valid ones: Virtuoso names them
    "nodeID://b10006", which no RDF syntax allows (the same label keeps the same name)."""
    if b'"bnode"' not in body:
        return body
    document = json.loads(body)
    for row in document.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "bnode":
                term["value"] = _INVALID_IN_LABEL.sub(_escape_label, term["value"])
    return json.dumps(document, ensure_ascii=False).encode()


_INVALID_IN_LABEL = re.compile(r"[^A-Za-z0-9]")


def _escape_label(found: re.Match[str]) -> str:
    return f"_{ord(found.group()):x}_"


def _form(job: QueryJob) -> str:
    """'graph' when the job asks for an RDF format (CONSTRUCT, DESCRIBE), else 'solutions'."""
    engine = BY_KEY[job.result_format].engine
    return "solutions" if isinstance(engine, ox.QueryResultsFormat) else "graph"
