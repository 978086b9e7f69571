"""What a query or update asks for, found with a real tokenizer, and the policy on it.

pyoxigraph evaluates SERVICE with its own HTTP client and exposes no algebra, so we read
the text ourselves: a tokenizer that knows SPARQL's strings, IRIs, comments, prefixed names
and language tags (so a keyword inside any of them is never mistaken for one, and none can
hide from us). rdflib's parser would do the same at about a thousand times the cost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from publisher.errors import QueryForbidden, QuerySyntaxError

_PN_CHARS = r"\w\-\u00B7-\uFFFF"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
             | \"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
             | '(?:[^'\\\n\r]|\\.)*'
             | "(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][{_PN_CHARS}]+)
  | (?P<bnode>_:[{_PN_CHARS}.]*[{_PN_CHARS}])
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?:
               (?:(?:[{_PN_CHARS}:]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
_UPDATE_FORMS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
}
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass
class QueryFacts:
    """What the text of a query or an update reaches for."""

    form: str | None = None  # SELECT, CONSTRUCT, DESCRIBE, ASK, or the first update verb
    services: list[str | None] = field(default_factory=list)  # None: SERVICE ?variable
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)
    loads: list[str | None] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return self.form in _UPDATE_FORMS

    @property
    def is_query(self) -> bool:
        return self.form in _QUERY_FORMS


def tokens(text: str) -> Iterator[re.Match[str]]:
    """The tokens of a query or update (whitespace and comments left out), as matches: the
    kind is `lastgroup`, the position `start()`. A number is one "other" token per digit."""
    for match in _TOKEN.finditer(text):
        if match.lastgroup not in ("ws", "comment"):
            yield match


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    for match in tokens(text):
        yield match.lastgroup or "other", match.group()


def _resolve(kind: str, value: str, prefixes: dict[str, str], base: str | None) -> str | None:
    """The IRI an IRI token or prefixed name stands for; None for variables and the rest."""
    if kind == "iri":
        iri = value[1:-1]
        if base and not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri):
            # Relative: the policy must see the IRI the engine will use (RFC 3986 §5.2).
            return urljoin(base, iri)
        return iri
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix not in prefixes:
            raise QuerySyntaxError(f"undeclared prefix '{prefix}:'")
        return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


# Clients repeat the same queries (named queries, dashboards, benchmarks); reading the text
# again costs more than the rest of the policy. Long texts are not kept, to bound memory.
_CACHED_TEXT_CHARS = 8192


def inspect_text(text: str, base: str | None = None) -> QueryFacts:
    """The form, SERVICE targets, FROM graphs and LOAD sources of a query or update.

    `base` is the IRI relative IRIs resolve against when the text declares no BASE (the
    endpoint's URL, SPARQL 1.1 Query §4.1.1.1); the facts hold the resolved IRIs.
    """
    if len(text) <= _CACHED_TEXT_CHARS:
        facts = _inspect_cached(text, base)
    else:
        facts = _inspect_all(text, base)
    # A copy: the cached facts must not change under the next caller.
    return QueryFacts(
        facts.form,
        list(facts.services),
        list(facts.from_graphs),
        list(facts.from_named_graphs),
        list(facts.loads),
    )


@lru_cache(maxsize=512)
def _inspect_cached(text: str, base: str | None) -> QueryFacts:
    return _inspect_all(text, base)


def _inspect_all(text: str, base: str | None) -> QueryFacts:
    facts = _inspect(text, base)
    if _CODEPOINT.search(text):
        # SPARQL §19.2 allows \u escapes anywhere in the text; a parser that honours them
        # would see keywords the raw text hides, so the escaped reading is checked as well.
        decoded = _inspect(
            _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text), base
        )
        facts.services += decoded.services
        facts.from_graphs += decoded.from_graphs
        facts.from_named_graphs += decoded.from_named_graphs
        facts.loads += decoded.loads
    return facts


def _inspect(text: str, base: str | None) -> QueryFacts:
    facts = QueryFacts()
    prefixes: dict[str, str] = {}
    tokens = list(_tokens(text))
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        word = value.upper() if kind == "word" else ""
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ("", "")
        if word == "PREFIX" and nxt[0] == "pname" and i + 2 < len(tokens):
            prefixes[nxt[1].rstrip(":").partition(":")[0]] = (
                _resolve(*tokens[i + 2], {}, base) or ""
            )
            i += 3
            continue
        if word == "BASE" and nxt[0] == "iri":
            base = _resolve(*nxt, {}, base)  # a relative BASE resolves against the previous
            i += 2
            continue
        if facts.form is None and (word in _QUERY_FORMS or word in _UPDATE_FORMS):
            facts.form = word
        if word in ("SERVICE", "LOAD"):
            j = i + 1
            if j < len(tokens) and tokens[j][0] == "word" and tokens[j][1].upper() == "SILENT":
                j += 1
            target = _resolve(*tokens[j], prefixes, base) if j < len(tokens) else None
            (facts.services if word == "SERVICE" else facts.loads).append(target)
        elif word == "FROM":
            j = i + 1
            named = j < len(tokens) and tokens[j][0] == "word" and tokens[j][1].upper() == "NAMED"
            j += named
            target = _resolve(*tokens[j], prefixes, base) if j < len(tokens) else None
            if target is not None:
                (facts.from_named_graphs if named else facts.from_graphs).append(target)
        i += 1
    return facts


def allowed(iri: str, allowlist: Iterable[str]) -> bool:
    """Exact match, or under an allowlisted IRI ending in '/' or '#'."""
    return any(iri == a or (a.endswith(("/", "#")) and iri.startswith(a)) for a in allowlist)


def check_query(facts: QueryFacts, *, local_graphs: set[str], allowlist: list[str]) -> None:
    """Refuse what would make us send a request or read what the store does not hold."""
    for target in facts.services:
        if target is None:
            raise QueryForbidden("SERVICE with a variable endpoint is refused")
        if not allowed(target, allowlist):
            raise QueryForbidden(
                f"SERVICE <{target}> is refused: this endpoint makes no outbound requests "
                "(see the service_allowlist setting)"
            )
    for target in facts.loads:
        raise QueryForbidden(
            f"LOAD <{target}> is refused: this endpoint makes no outbound requests"
        )
    for graph in facts.from_graphs + facts.from_named_graphs:
        check_graph(graph, local_graphs=local_graphs, allowlist=allowlist, clause="FROM")


def check_graph(graph: str, *, local_graphs: set[str], allowlist: list[str], clause: str) -> None:
    if graph not in local_graphs and not allowed(graph, allowlist):
        raise QueryForbidden(
            f"{clause} <{graph}> is not a graph of this store and remote graphs are not fetched"
        )
