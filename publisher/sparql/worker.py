"""The body of a query worker process: open the store read-only, answer requests forever.

Runs in a child process so that the parent can kill it when a query passes its deadline
(pyoxigraph cannot cancel a running query). Results are serialised here, by pyoxigraph's
own serialisers, so only finished bytes cross the pipe.
"""

from __future__ import annotations

import re
import signal
import socket
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from publisher.formats import BY_KEY
from publisher.prefixes import PREFIXES
from publisher.sparql import framing
from publisher.sparql.functions import CUSTOM_FUNCTIONS
from publisher.sparql.terms import TermTuple, to_oxigraph
from publisher.sparql.truncate import BoundedBuffer, BudgetExceeded, cap_rows

_POSITION = re.compile(r"error at (\d+):(\d+)")


@dataclass(frozen=True)
class Source:
    """Where a worker finds the data: an on-disk store (opened read-only) or N-Quads."""

    kind: str  # "store" or "nquads"
    path: Path


@dataclass
class QueryJob:
    query: str
    result_format: str  # a key of publisher.formats (a SPARQL answer format)
    limit: int
    byte_budget: int
    note: str  # what a truncated body says (a URL documenting the cap)
    default_graph: list[str] | None = None  # None: the union of all graphs
    named_graphs: list[str] | None = None
    substitutions: dict[str, TermTuple] = field(default_factory=dict)
    query_dataset: bool = False  # the query has FROM / FROM NAMED clauses of its own
    base_iri: str | None = None  # what relative IRIs resolve against (the endpoint's URL)


@dataclass
class FragmentJob:
    subject: TermTuple | None
    predicate: TermTuple | None
    object: TermTuple | None
    offset: int
    limit: int


# Replies: ("ok", payload, rows, truncated, kind) | ("syntax", message, line, column)
#          | ("error", message) | ("graphs", [iri, ...]) | ("fragment", total, ntriples)


def open_store(source: Source) -> ox.Store:
    if source.kind == "store":
        return ox.Store.read_only(str(source.path))
    store = ox.Store()
    # The snapshot is the serving store's own: keeping its blank node labels (the store's
    # loader would rename them at random) makes every worker answer with the same bytes.
    store.bulk_extend(ox.parse(path=str(source.path), format=ox.RdfFormat.N_QUADS))
    return store


def serve(sock: socket.socket, source: Source) -> None:
    """Entry point of the child process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    try:
        store = open_store(source)
    except (OSError, ValueError, SyntaxError) as exc:
        framing.send(sock, ("error", f"cannot open {source.path}: {exc}"))
        return
    framing.send(sock, ("ready",))
    count_pattern = lru_cache(maxsize=1024)(lambda s, p, o: count_triples(store, s, p, o))
    while True:
        try:
            job = framing.recv(sock)
        except (EOFError, OSError):
            return
        if job is None:
            return
        framing.send(sock, answer(store, job, count_pattern))


def answer(store: ox.Store, job: object, count_pattern=None) -> tuple:
    try:
        if isinstance(job, QueryJob):
            return _run_query(store, job)
        if isinstance(job, FragmentJob):
            counter = count_pattern or (lambda s, p, o: count_triples(store, s, p, o))
            return _run_fragment(store, job, counter)
        if job == "graphs":
            return ("graphs", sorted(g.value for g in store.named_graphs() if hasattr(g, "value")))
        return ("error", f"unknown job {type(job).__name__}")
    except SyntaxError as exc:
        message = str(exc)
        found = _POSITION.search(message)
        line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        return ("syntax", message, line, column)
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        return ("error", str(exc))


def _dataset_options(job: QueryJob) -> dict:
    if job.default_graph is None and job.named_graphs is None:
        # pyoxigraph's union flag would override the query's own FROM clauses.
        return {} if job.query_dataset else {"use_default_graph_as_union": True}
    # A dataset given in the protocol replaces the query's (SPARQL 1.1 Protocol §2.1.4):
    # what it leaves out is empty.
    return {
        "default_graph": [ox.NamedNode(g) for g in job.default_graph or []],
        "named_graphs": [ox.NamedNode(g) for g in job.named_graphs or []],
    }


def _run_query(store: ox.Store, job: QueryJob) -> tuple:
    options = _dataset_options(job)
    if job.substitutions:
        options["substitutions"] = {
            ox.Variable(name): to_oxigraph(term) for name, term in job.substitutions.items()
        }
    result = store.query(
        job.query, base_iri=job.base_iri, custom_functions=CUSTOM_FUNCTIONS, **options
    )
    return serialize_answer(result, job)


def serialize_answer(result, job: QueryJob) -> tuple:
    """The "ok" reply for a query's result (boolean, solutions or triples), in the job's
    format, cut at its row cap and byte budget: the same bytes whichever engine answered."""
    if isinstance(result, ox.QueryBoolean):
        return ("ok", result.serialize(format=_results_format(job)), 1, False, "boolean")
    if isinstance(result, ox.QuerySolutions):
        buffer = BoundedBuffer(job.byte_budget)
        try:
            result.serialize(buffer, format=_results_format(job))
        except BudgetExceeded:
            pass
        except OSError:
            if not buffer.exceeded:  # the serializer wraps our exception in an OSError
                raise
        capped = cap_rows(
            buffer.getvalue(),
            job.result_format,
            job.limit,
            complete=not buffer.exceeded,
            note=job.note,
        )
        return ("ok", capped.payload, capped.rows, capped.truncated, "solutions")
    triples = list(islice(result, job.limit + 1))
    truncated = len(triples) > job.limit
    payload = ox.serialize(
        triples[: job.limit], format=BY_KEY[job.result_format].engine, prefixes=PREFIXES
    )
    if truncated:
        payload = _note_graph(payload, job.result_format, job.note)
    return ("ok", payload, min(len(triples), job.limit), truncated, "graph")


def _results_format(job: QueryJob) -> ox.QueryResultsFormat:
    engine = BY_KEY[job.result_format].engine
    return engine if isinstance(engine, ox.QueryResultsFormat) else ox.QueryResultsFormat.JSON


def _note_graph(payload: bytes, fmt: str, note: str) -> bytes:
    """Say in the body that a graph was cut, where the format has comments."""
    text = note.replace("\n", " ")
    if fmt in ("turtle", "ntriples"):
        return f"# {text}\n".encode() + payload
    if fmt == "rdfxml":
        declaration_end = payload.find(b"?>") + 2
        comment = f"\n<!-- {text.replace('--', '- -')} -->".encode()
        return payload[:declaration_end] + comment + payload[declaration_end:]
    return payload  # JSON has no comments: the response headers carry the note


def triple_pattern(s: TermTuple | None, p: TermTuple | None, o: TermTuple | None) -> str:
    """A triple pattern; bound terms written by pyoxigraph's own N-Triples serialisation
    (substitutions cannot be used: they only apply to projected variables)."""
    parts = [
        str(to_oxigraph(t)) if t is not None else f"?{v}" for t, v in ((s, "s"), (p, "p"), (o, "o"))
    ]
    return " ".join(parts)


def count_query(s: TermTuple | None, p: TermTuple | None, o: TermTuple | None) -> str:
    """Distinct triples matching a pattern over all graphs (the total of a fragment), as ?n."""
    return f"SELECT (COUNT(*) AS ?n) {{ SELECT DISTINCT * {{ {triple_pattern(s, p, o)} }} }}"


def page_query(job: FragmentJob) -> str:
    """One page of a fragment.

    SELECT, not CONSTRUCT: CONSTRUCT mints fresh blank nodes on every evaluation, so the same
    page would differ from one request to the next (no stable ETag); SELECT returns the
    store's own blank nodes."""
    return (
        f"SELECT DISTINCT * {{ {triple_pattern(job.subject, job.predicate, job.object)} }} "
        f"LIMIT {int(job.limit)} OFFSET {int(job.offset)}"
    )


def fragment_reply(job: FragmentJob, total: int, solutions) -> tuple:
    """The "fragment" reply: the page's rows completed by the pattern's fixed terms."""
    fixed = [
        to_oxigraph(t) if t is not None else None for t in (job.subject, job.predicate, job.object)
    ]
    triples = [
        ox.Triple(
            *(term if term is not None else row[v] for term, v in zip(fixed, "spo", strict=True))
        )
        for row in solutions
    ]
    return ("fragment", total, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))


def count_triples(store: ox.Store, s, p, o) -> int:
    result = store.query(count_query(s, p, o), use_default_graph_as_union=True)
    return int(next(iter(result))["n"].value)


def _run_fragment(store: ox.Store, job: FragmentJob, counter) -> tuple:
    total = counter(job.subject, job.predicate, job.object)
    solutions = store.query(page_query(job), use_default_graph_as_union=True)
    return fragment_reply(job, total, solutions)


def main(argv: list[str]) -> None:
    """`python -m publisher.sparql.worker FD KIND PATH`, started by pool.QueryPool."""
    fd, kind, path = argv
    serve(socket.socket(fileno=int(fd)), Source(kind, Path(path)))


if __name__ == "__main__":
    import sys

    # Run the imported module, not this __main__ copy, so unpickled jobs match its classes.
    from publisher.sparql import worker

    worker.main(sys.argv[1:])
