"""Which line of which file describes a node: what makes a SHACL result fixable.

Turtle and TriG are walked token by token (prefixes and base resolved, anonymous `[ ]` nodes
tied to the subject and predicate they hang from); N-Triples and N-Quads are line-based.
JSON-LD and RDF/XML are best effort: the line of the `"@id"` or `rdf:about` that names the
node. A blank node without a line of its own gets the line of the node that points to it.
"""

from __future__ import annotations

import re
from functools import cached_property
from urllib.parse import urljoin

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from publisher.validation._turtle_lines import TurtleLines, lexical_form, turtle_lines
from publisher.validation.inputs import Source
from publisher.validation.parsing import base_iri_of

_NT_SUBJECT = re.compile(r"^\s*(<[^>]*>|_:[^\s]+)")
_NT_TRIPLE = re.compile(r'^\s*(<[^>]*>|_:\S+)\s+<([^>]*)>\s+(<[^>]*>|_:[^\s.]+|"(?:[^"\\]|\\.)*")')
_NT_IRI = re.compile(r"<([^>]*)>")
_JSONLD_ID = re.compile(r'"@id"\s*:\s*"((?:[^"\\]|\\.)*)"')
_JSONLD_PREFIX = re.compile(r'"([A-Za-z][\w\-.]*)"\s*:\s*"([^"]+[/#])"')
_XML_ABOUT = re.compile(r"\b[\w\-.]*:?(about|ID|nodeID)\s*=\s*[\"']([^\"']*)[\"']")
_XML_BASE = re.compile(r"xml:base\s*=\s*[\"']([^\"']*)[\"']")


class LineIndex:
    """Lines of the subjects of one source, queried with the rdflib terms of its graph."""

    def __init__(self, source: Source, graph: Graph, labels: dict[str, str]) -> None:
        self.source = source
        self.graph = graph
        self.labels = labels  # blank node id in the graph -> label written in the document

    @cached_property
    def facts(self) -> TurtleLines:
        """Computed on the first question: files without results are never scanned."""
        return _facts_for(self.source)

    def line_of(self, node: Node) -> int | None:
        """The line where `node` is described in this source, or mentioned, or None."""
        return self._line_of(node, depth=0)

    def _line_of(self, node: Node, depth: int) -> int | None:
        if isinstance(node, URIRef):
            iri = str(node)
            return self.facts.subject_lines.get(iri) or self.facts.mention_lines.get(iri)
        if isinstance(node, BNode) and depth < 8:
            label = "_:" + self.labels.get(str(node), "")
            if label in self.facts.subject_lines:
                return self.facts.subject_lines[label]
            anon = self._anon_key(node, depth)
            if anon is not None:
                return self.facts.anon[anon][1]
            for parent, _ in self.graph.subject_predicates(node):
                line = self._line_of(parent, depth + 1)
                if line is not None:
                    return line
        return None

    def line_of_value(self, subject: Node, predicate: Node, value: Node) -> int | None:
        """The line where `value` is written as a value of `predicate` for `subject`, or None
        when this source does not say (JSON-LD, RDF/XML) or writes it elsewhere."""
        key = self._key_of(subject, 0)
        if key is None:
            return None
        written = self.facts.value_lines.get((key, str(predicate)), [])
        if isinstance(value, Literal):
            wanted: str | None = str(value)
        elif isinstance(value, URIRef):
            wanted = str(value)
        else:
            wanted = self._key_of(value, 0)
        for text, line in written:
            if text == wanted:
                return line
        return None

    def _anon_key(self, node: BNode, depth: int) -> str | None:
        """The `[n` key of an anonymous node: among the brackets hanging from the same subject
        and predicate (or written as a subject, for a node nothing points to), the first whose
        predicates are the node's own; else the first of them."""
        if not self.facts.anon or depth >= 8:
            return None
        places: list[tuple[str, str] | None] = []
        for parent, predicate in self.graph.subject_predicates(node):
            parent_key = self._key_of(parent, depth + 1)
            if parent_key is not None:
                places.append((parent_key, str(predicate)))
        if not places and (None, None, node) not in self.graph:
            places.append(None)
        own = {str(p) for p in self.graph.predicates(node, None)}
        for place in places:
            keys = [key for key, (hung_from, _) in self.facts.anon.items() if hung_from == place]
            for key in keys:
                if self.facts.anon_predicates.get(key) == own:
                    return key
            if keys:
                return keys[0]
        return None

    def _key_of(self, node: Node, depth: int) -> str | None:
        if isinstance(node, URIRef):
            return str(node)
        if isinstance(node, BNode):
            label = "_:" + self.labels.get(str(node), "")
            if label in self.facts.subject_lines:
                return label
            return self._anon_key(node, depth)
        return None


def _facts_for(source: Source) -> TurtleLines:
    text = source.text
    base = base_iri_of(source)
    if source.format in ("turtle", "trig"):
        return turtle_lines(text, base)
    if source.format in ("ntriples", "nquads"):
        return _ntriples_lines(text)
    if source.format == "jsonld":
        return _jsonld_lines(text, base)
    return _rdfxml_lines(text, base)


def _ntriples_lines(text: str) -> TurtleLines:
    facts = TurtleLines()
    for number, line in enumerate(text.splitlines(), start=1):
        match = _NT_SUBJECT.match(line)
        if match is None:
            continue
        term = match.group(1)
        facts.subject_lines.setdefault(term[1:-1] if term.startswith("<") else term, number)
        for iri in _NT_IRI.findall(line):
            facts.mention_lines.setdefault(iri, number)
        triple = _NT_TRIPLE.match(line)
        if triple is not None:
            subject, predicate, obj = triple.groups()
            key = subject[1:-1] if subject.startswith("<") else subject
            if obj.startswith("<"):
                value = obj[1:-1]
            elif obj.startswith('"'):
                value = lexical_form(obj)
            else:
                value = obj
            facts.value_lines.setdefault((key, predicate), []).append((value, number))
    return facts


def _jsonld_lines(text: str, base: str) -> TurtleLines:
    """Best effort: an `"@id"` followed or preceded by other keys describes the node; a bare
    `{"@id": …}` only refers to it. Compact IRIs use the prefixes declared in the file."""
    facts = TurtleLines()
    prefixes = dict(_JSONLD_PREFIX.findall(text))
    for match in _JSONLD_ID.finditer(text):
        value = match.group(1)
        prefix, colon, local = value.partition(":")
        iri = prefixes[prefix] + local if colon and prefix in prefixes else urljoin(base, value)
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip()
        after = text[match.end() :].lstrip()
        describes = after.startswith(",") or before.endswith(",")
        if describes:
            facts.subject_lines.setdefault(iri, line)
        facts.mention_lines.setdefault(iri, line)
    return facts


def _rdfxml_lines(text: str, base: str) -> TurtleLines:
    facts = TurtleLines()
    declared = _XML_BASE.search(text)
    if declared:
        base = urljoin(base, declared.group(1))
    for match in _XML_ABOUT.finditer(text):
        kind, value = match.groups()
        line = text.count("\n", 0, match.start()) + 1
        if kind == "about":
            facts.subject_lines.setdefault(urljoin(base, value), line)
        elif kind == "ID":
            facts.subject_lines.setdefault(urljoin(base, "#" + value), line)
        else:
            facts.subject_lines.setdefault("_:" + value, line)
    return facts
