"""SHACL property paths as SPARQL path strings (`<p>/<q>`, `^<p>`, `(<p>|<q>)`, `<p>*`), and back.

Both engines' paths end up in this one canonical form, so reports compare and render alike;
the Turtle renderer turns the string back into the SHACL RDF structure."""

from __future__ import annotations

import re

from rdflib import RDF, BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from publisher.errors import AictError
from publisher.namespaces import SH

_TOKEN = re.compile(r"\s*(<[^>]*>|[\^/|*+?()])")
_MODIFIERS = {"*": SH.zeroOrMorePath, "+": SH.oneOrMorePath, "?": SH.zeroOrOnePath}


class PathSyntaxError(AictError):
    """A path string that is not in the canonical SPARQL form (an engine changed its output)."""


def path_to_string(graph: Graph, node: Node, _depth: int = 0) -> str:
    """The SPARQL form of the SHACL path rooted at `node` in `graph`."""
    if _depth > 32:
        raise PathSyntaxError("property path nested too deeply")
    if isinstance(node, URIRef):
        return f"<{node}>"
    if graph.value(node, RDF.first) is not None:
        items = [path_to_string(graph, item, _depth + 1) for item in Collection(graph, node)]
        return "/".join(_wrap(item) for item in items)
    alternative = graph.value(node, SH.alternativePath)
    if alternative is not None:
        items = [path_to_string(graph, item, _depth + 1) for item in Collection(graph, alternative)]
        return "(" + "|".join(items) + ")"
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + _wrap(path_to_string(graph, inverse, _depth + 1))
    for symbol, predicate in _MODIFIERS.items():
        inner = graph.value(node, predicate)
        if inner is not None:
            return _wrap(path_to_string(graph, inner, _depth + 1)) + symbol
    raise PathSyntaxError(f"not a SHACL property path: {node}")


def predicate_of(path: str | None) -> URIRef | None:
    """The predicate of a path string that is one predicate (`<iri>`), else None."""
    if path and path.startswith("<") and path.endswith(">") and ">" not in path[1:-1]:
        return URIRef(path[1:-1])
    return None


def _wrap(text: str) -> str:
    simple = text.startswith("<") and text.endswith(">") and text.count("<") == 1
    return text if simple or (text.startswith("(") and text.endswith(")")) else f"({text})"


def normalise_path(text: str) -> str:
    """The canonical form of a SPARQL path string (any spacing and redundant brackets)."""
    graph = Graph()
    return path_to_string(graph, string_to_path(graph, text))


def string_to_path(graph: Graph, text: str) -> Node:
    """Add the SHACL structure of a SPARQL path string to `graph`; return its root."""
    tokens = _TOKEN.findall(text)
    if "".join(tokens) != re.sub(r"\s+", "", text):
        raise PathSyntaxError(f"cannot read property path {text!r}")
    parser = _PathParser(tokens, graph)
    node = parser.alternative()
    if parser.pos != len(tokens):
        raise PathSyntaxError(f"cannot read property path {text!r}")
    return node


class _PathParser:
    def __init__(self, tokens: list[str], graph: Graph) -> None:
        self.tokens = tokens
        self.pos = 0
        self.graph = graph

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def alternative(self) -> Node:
        items = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            items.append(self.sequence())
        if len(items) == 1:
            return items[0]
        node = BNode()
        self.graph.add((node, SH.alternativePath, self.collection(items)))
        return node

    def sequence(self) -> Node:
        items = [self.unary()]
        while self.peek() == "/":
            self.pos += 1
            items.append(self.unary())
        return items[0] if len(items) == 1 else self.collection(items)

    def unary(self) -> Node:
        if self.peek() == "^":
            self.pos += 1
            node = BNode()
            self.graph.add((node, SH.inversePath, self.unary()))
            return node
        node = self.primary()
        while self.peek() in _MODIFIERS:
            wrapper = BNode()
            self.graph.add((wrapper, _MODIFIERS[self.tokens[self.pos]], node))
            self.pos += 1
            node = wrapper
        return node

    def primary(self) -> Node:
        token = self.peek()
        if token is None:
            raise PathSyntaxError("property path ends too early")
        self.pos += 1
        if token == "(":
            node = self.alternative()
            if self.peek() != ")":
                raise PathSyntaxError("unbalanced brackets in property path")
            self.pos += 1
            return node
        if token.startswith("<"):
            return URIRef(token[1:-1])
        raise PathSyntaxError(f"unexpected {token!r} in property path")

    def collection(self, items: list[Node]) -> Node:
        head = BNode()
        Collection(self.graph, head, items)
        return head
