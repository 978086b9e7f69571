"""The query service the web layer talks to: policy, then a worker, then a typed answer.

Everything a request may not do is refused here, before a worker sees it; every reply of a
worker becomes either an Answer or one of our errors.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from publisher.config import Settings
from publisher.errors import QueryError, QuerySyntaxError, StoreError
from publisher.formats import Format
from publisher.negotiation import Choice, acceptable, negotiate
from publisher.sparql.errors import ProtocolError
from publisher.sparql.formats import FORMAT_SYNONYMS, FORMATS_BY_SHAPE, Shape
from publisher.sparql.pool import QueryPool
from publisher.sparql.portable import Names
from publisher.sparql.safety import QueryFacts, check_graph, check_query, inspect_text
from publisher.sparql.terms import TermTuple
from publisher.sparql.threads import ThreadRunner
from publisher.sparql.worker import FragmentJob, QueryJob, Source, answer

log = logging.getLogger("aict.sparql")
# A serialised SELECT result may use this many bytes per allowed row before it is cut
# (a guard against result sets too large to hold, whatever their row count).
BYTES_PER_ROW = 4096
MIN_BYTE_BUDGET = 16 * 1024 * 1024


class StoreLike(Protocol):
    path: Path | None

    def snapshot_nquads(self, path: Path) -> Path: ...


class Runner(Protocol):
    """Where queries are evaluated: worker processes (QueryPool) or threads (ThreadRunner)."""

    async def run(self, job: object, timeout: float) -> tuple: ...

    async def close(self) -> None: ...


@dataclass(frozen=True)
class Answer:
    payload: bytes
    content_type: str
    format: Format
    rows: int | None
    truncated: bool


@dataclass(frozen=True)
class Fragment:
    total: int
    ntriples: bytes


class SparqlService:
    """Owns the query runner (worker pool or threads); one per application."""

    def __init__(self, settings: Settings, pool: Runner, graphs: set[str], tmp: Path | None):
        self.settings = settings
        self.pool = pool
        self.graphs = graphs
        self._tmp = tmp

    @classmethod
    async def start(
        cls,
        settings: Settings,
        store: StoreLike,
        retire: Callable[[], None] | None = None,
        names: Callable[[], Names] | None = None,
    ) -> SparqlService:
        """Start the workers on the store's directory, or on an N-Quads snapshot of it.

        With a remote store, queries are forwarded to its engine (publisher.sparql.remote),
        which finds accented names through `names` (the labels the build step folded).
        With `retire` (the process runs under publisher.web.processes' supervisor) and a store
        in memory or read-only on disk, queries run on threads of this process (ThreadRunner).
        """
        endpoint = getattr(store, "endpoint", None)
        if endpoint is not None:  # a remote engine answers: forward, never copy
            from publisher.sparql.remote import RemoteRunner

            remote = RemoteRunner(endpoint, names=names)
            try:
                graphs = await remote.start(getattr(store, "graphs", None))
            except BaseException:
                await remote.close()
                raise
            return cls(settings, remote, graphs, None)
        engine = getattr(store, "thread_engine", None)
        if retire is not None and engine is not None:
            runner = ThreadRunner(engine, settings.query_workers, retire)
            reply = answer(engine, "graphs")
            return cls(settings, runner, set(reply[1]) if reply[0] == "graphs" else set(), None)
        pool, graphs, tmp = await _start_pool(settings, store)
        return cls(settings, pool, graphs, tmp)

    async def refresh(self, store: StoreLike) -> None:
        """New workers on the store's current content (after an update), then retire the old."""
        pool, graphs, tmp = await _start_pool(self.settings, store)
        old_pool, old_tmp = self.pool, self._tmp
        self.pool, self.graphs, self._tmp = pool, graphs, tmp
        await old_pool.close()
        if old_tmp:
            shutil.rmtree(old_tmp, ignore_errors=True)

    async def update(self, text: str, store: object, *, base_iri: str | None = None) -> None:
        """Run an authorised SPARQL Update on the store, then restart the workers on it.

        Relative IRIs in it resolve against `base_iri` (the endpoint's URL).
        """
        facts = inspect_text(text, base_iri)
        if not facts.is_update:
            raise ProtocolError("the 'update' parameter does not hold a SPARQL Update")
        check_query(facts, local_graphs=self.graphs, allowlist=[])
        run_update = getattr(store, "update", None)
        if not callable(run_update):
            raise ProtocolError("this store does not accept SPARQL Update", status=501)
        await asyncio.to_thread(run_update, text, base_iri=base_iri)
        await self.refresh(store)  # type: ignore[arg-type]

    async def close(self) -> None:
        await self.pool.close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)

    # --- policy -----------------------------------------------------------------------
    def timeout_for(self, asked: float | None) -> float:
        """A client may lower the timeout, never raise it."""
        limit = self.settings.query_timeout
        return min(asked, limit) if asked else limit

    def inspect_query(self, text: str, base_iri: str | None = None) -> tuple[QueryFacts, Shape]:
        """The facts and result shape of a query whose relative IRIs resolve on `base_iri`."""
        facts = inspect_text(text, base_iri)
        if facts.is_update:
            raise ProtocolError(
                f"{facts.form} is an update: send it as 'update' with POST, not as 'query'"
            )
        if not facts.is_query:
            raise QuerySyntaxError("no SELECT, CONSTRUCT, DESCRIBE or ASK found in the query")
        check_query(facts, local_graphs=self.graphs, allowlist=self.settings.service_allowlist)
        shape = Shape.SOLUTIONS if facts.form in ("SELECT", "ASK") else Shape.GRAPH
        return facts, shape

    def check_dataset(self, default_graphs: list[str], named_graphs: list[str]) -> None:
        for clause, graphs in (
            ("default-graph-uri", default_graphs),
            ("named-graph-uri", named_graphs),
        ):
            for graph in graphs:
                check_graph(
                    graph,
                    local_graphs=self.graphs,
                    allowlist=self.settings.service_allowlist,
                    clause=clause,
                )

    def choose_format(self, shape: Shape, accept: str | None, override: str | None) -> Choice:
        candidates = FORMATS_BY_SHAPE[shape]
        # `format=` wins over Accept when it names a format of this query's shape; any
        # other value (other servers' names, sent by generic clients) is ignored.
        named = FORMAT_SYNONYMS.get((override or "").lower(), {}).get(shape)
        if named is not None:
            return Choice(named, named.media_type)
        other = FORMATS_BY_SHAPE[Shape.GRAPH if shape is Shape.SOLUTIONS else Shape.SOLUTIONS]
        if not acceptable(accept, candidates) and acceptable(accept, other):
            # Generic clients (rdflib's SPARQLStore, SPARQLWrapper) cannot know the query
            # form and send result types for a CONSTRUCT, or RDF types for a SELECT; like
            # other SPARQL servers we answer in the form's default format rather than 406.
            return Choice(candidates[0], candidates[0].media_type)
        return negotiate(accept, candidates)

    # --- execution ----------------------------------------------------------------------
    async def query(
        self,
        text: str,
        *,
        fmt: Format,
        media_type: str,
        timeout: float,
        note: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        substitutions: dict[str, TermTuple] | None = None,
        query_dataset: bool = False,
        base_iri: str | None = None,
    ) -> Answer:
        protocol_dataset = bool(default_graphs or named_graphs)
        job = QueryJob(
            query=text,
            result_format=fmt.key,
            limit=self.settings.result_limit,
            byte_budget=max(MIN_BYTE_BUDGET, self.settings.result_limit * BYTES_PER_ROW),
            note=note,
            default_graph=list(default_graphs or []) if protocol_dataset else None,
            named_graphs=list(named_graphs or []) if protocol_dataset else None,
            substitutions=substitutions or {},
            query_dataset=query_dataset,
            base_iri=base_iri,
        )
        reply = await self.pool.run(job, timeout)
        if reply[0] == "ok":
            _, payload, rows, truncated, _kind = reply
            return Answer(payload, Choice(fmt, media_type).content_type, fmt, rows, truncated)
        raise _reply_error(reply)

    async def fragment(
        self,
        subject: TermTuple | None,
        predicate: TermTuple | None,
        obj: TermTuple | None,
        *,
        offset: int,
        limit: int,
    ) -> Fragment:
        job = FragmentJob(subject, predicate, obj, offset, limit)
        reply = await self.pool.run(job, self.settings.query_timeout)
        if reply[0] == "fragment":
            return Fragment(reply[1], reply[2])
        raise _reply_error(reply)


async def _start_pool(
    settings: Settings, store: StoreLike
) -> tuple[QueryPool, set[str], Path | None]:
    tmp: Path | None = None
    if store.path is not None:
        source = Source("store", Path(store.path))
    else:
        tmp = Path(tempfile.mkdtemp(prefix="aict-sparql-"))
        source = Source("nquads", store.snapshot_nquads(tmp / "snapshot.nq"))
    pool = QueryPool(source, settings.query_workers)
    try:
        await pool.start()
        reply = await pool.run("graphs", max(settings.query_timeout, 60.0))
    except (StoreError, QueryError):
        await pool.close()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    graphs = set(reply[1]) if reply[0] == "graphs" else set()
    return pool, graphs, tmp


def _reply_error(reply: tuple) -> QueryError:
    if reply[0] == "syntax":
        _, message, line, column = reply
        return QuerySyntaxError(message, line=line, column=column)
    log.error("a SPARQL worker failed: %s", reply[1] if len(reply) > 1 else reply)
    return QueryError("the query could not be evaluated")


__all__ = ["Answer", "Fragment", "SparqlService"]
