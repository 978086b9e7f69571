"""Where each subject of a Turtle or TriG document is described, by line.

A small tokenizer and a forgiving walk over the Turtle grammar: it records the first line at
which each IRI or blank-node label is used as a subject (prefixes and @base resolved), the line
of every anonymous `[` with the subject and predicate it hangs from, and the first line at
which each IRI is mentioned at all. It never raises: pyoxigraph has already checked the syntax,
so on anything unexpected it stops and keeps what it found.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urljoin

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<lstring>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<dtype>\^\^)
  | (?P<punct><<|>>|[.;,\[\](){}])
  | (?P<bnode>_:[A-Za-z0-9_\-.\u00B7-\uFFFF]*[A-Za-z0-9_\-\u00B7-\uFFFF])
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7-\uFFFF]*)?:
              (?:[\w\-:%\u00B7-\uFFFF]|\\.|\.(?=[\w\-:%\\]))*)
  | (?P<word>[A-Za-z][A-Za-z]*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
    """,
    re.VERBOSE,
)
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_STRING_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f"}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "uU" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _ESCAPED.get(code, code)


def lexical_form(token_text: str) -> str:
    """The lexical form a Turtle string token denotes (quotes off, escapes resolved)."""
    quotes = 3 if token_text[:3] in ('"""', "'''") else 1
    return _STRING_ESCAPE.sub(_unescape, token_text[quotes:-quotes])


class _Token(NamedTuple):
    kind: str
    text: str
    start: int  # offset in the text; the line is computed only when a fact is recorded


@dataclass
class TurtleLines:
    """Line facts about one Turtle/TriG document."""

    subject_lines: dict[str, int] = field(default_factory=dict)  # IRI or "_:label" -> line
    mention_lines: dict[str, int] = field(default_factory=dict)  # IRI -> first line anywhere
    # anonymous node key ("[n", in document order) -> ((parent key, predicate IRI), line of `[`)
    anon: dict[str, tuple[tuple[str, str] | None, int]] = field(default_factory=dict)
    # anonymous node key -> the predicates written inside its brackets (tells siblings apart)
    anon_predicates: dict[str, set[str]] = field(default_factory=dict)
    # (subject key, predicate IRI) -> (object, line) in document order; the object is an IRI,
    # an anonymous node key or a literal's lexical form: where a value can be fixed.
    value_lines: dict[tuple[str, str], list[tuple[str, int]]] = field(default_factory=dict)


class _Stop(Exception):
    """Internal: the walk met something it does not model; keep what was found."""


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    append = tokens.append
    expected = 0
    for match in _TOKEN.finditer(text):
        if match.start() != expected:
            break  # something the walk does not model (pyoxigraph accepted it): stop here
        expected = match.end()
        kind = match.lastgroup
        if kind != "ws" and kind != "comment":
            append(_Token(kind, match.group(), match.start()))
    return tokens


class _Walker:
    def __init__(self, text: str, base: str) -> None:
        self.tokens = _tokens(text)
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.pos = 0
        self.base = base
        self.prefixes: dict[str, str] = {}
        self.facts = TurtleLines()
        self.anon_count = 0

    # --- token access -----------------------------------------------------------------
    def peek(self, offset: int = 0) -> _Token | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise _Stop
        self.pos += 1
        return token

    def expect(self, text: str) -> None:
        if self.take().text != text:
            raise _Stop

    def line(self, token: _Token) -> int:
        return bisect_right(self.newlines, token.start) + 1

    # --- terms ------------------------------------------------------------------------
    def resolve(self, token: _Token) -> str | None:
        if token.kind == "iri":
            return urljoin(self.base, token.text[1:-1])
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix not in self.prefixes:
                raise _Stop
            return self.prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
        if token.kind == "bnode":
            return token.text
        if token.kind == "word" and token.text == "a":
            return "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
        return None

    def mention(self, key: str, token: _Token) -> None:
        if key not in self.facts.mention_lines and not key.startswith("_:"):
            self.facts.mention_lines[key] = self.line(token)

    # --- grammar ----------------------------------------------------------------------
    def document(self) -> None:
        while self.peek() is not None:
            self.statement()

    def statement(self) -> None:
        token = self.take()
        lowered = token.text.lower()
        if token.text in ("@prefix", "@base") or (
            token.kind == "word" and lowered in ("prefix", "base")
        ):
            self.directive(token)
        elif token.kind == "word" and lowered == "graph":
            self.take()  # graph name
            self.graph_block()
        elif token.text == "{":
            self.pos -= 1
            self.graph_block()
        elif self.peek() is not None and self.peek().text == "{":  # TriG: name { ... }
            self.graph_block()
        else:
            self.pos -= 1
            self.triples()
            self.expect(".")

    def directive(self, keyword: _Token) -> None:
        lowered = keyword.text.lower().lstrip("@")
        if lowered == "prefix":
            name = self.take()
            iri = self.take()
            if iri.kind != "iri" or not name.text.endswith(":"):
                raise _Stop
            self.prefixes[name.text[:-1]] = urljoin(self.base, iri.text[1:-1])
        else:
            iri = self.take()
            if iri.kind != "iri":
                raise _Stop
            self.base = urljoin(self.base, iri.text[1:-1])
        if keyword.text.startswith("@"):
            self.expect(".")

    def graph_block(self) -> None:
        self.expect("{")
        while self.peek() is not None and self.peek().text != "}":
            self.triples()
            if self.peek() is not None and self.peek().text == ".":
                self.take()
        self.expect("}")

    def triples(self) -> None:
        token = self.take()
        if token.text == "[":
            key = self.new_anon(None, self.line(token))
            if self.peek() is not None and self.peek().text != "]":
                self.predicate_objects(key)
            self.expect("]")
            if self.peek() is not None and self.peek().text not in (".", "}"):
                self.predicate_objects(key)
            return
        if token.text == "(":
            self.collection(None)
            self.predicate_objects("(")
            return
        key = self.resolve(token)
        if key is None:
            raise _Stop
        if key not in self.facts.subject_lines:
            self.facts.subject_lines[key] = self.line(token)
        self.mention(key, token)
        self.predicate_objects(key)

    def predicate_objects(self, subject: str) -> None:
        while True:
            verb = self.take()
            predicate = self.resolve(verb)
            if predicate is None:
                raise _Stop
            self.mention(predicate, verb)
            if subject in self.facts.anon_predicates:
                self.facts.anon_predicates[subject].add(predicate)
            self.objects(subject, predicate)
            while self.peek() is not None and self.peek().text == ";":
                self.take()
            nxt = self.peek()
            if nxt is None or nxt.text in (".", "]", "}"):
                return

    def objects(self, subject: str, predicate: str) -> None:
        self.object(subject, predicate)
        while self.peek() is not None and self.peek().text == ",":
            self.take()
            self.object(subject, predicate)

    def object(self, subject: str, predicate: str) -> None:
        token = self.take()
        if token.text == "[":
            key = self.new_anon((subject, predicate), self.line(token))
            self.value(subject, predicate, key, token)
            if self.peek() is not None and self.peek().text != "]":
                self.predicate_objects(key)
            self.expect("]")
        elif token.text == "(":
            self.collection((subject, predicate))
        elif token.kind in ("string", "lstring"):
            self.value(subject, predicate, lexical_form(token.text), token)
            nxt = self.peek()
            if nxt is not None and nxt.kind == "lang":
                self.take()
            elif nxt is not None and nxt.kind == "dtype":
                self.take()
                self.take()
        elif token.kind in ("number", "word"):
            self.value(subject, predicate, token.text, token)
        else:
            key = self.resolve(token)
            if key is None:
                raise _Stop
            self.mention(key, token)
            self.value(subject, predicate, key, token)

    def value(self, subject: str, predicate: str, value: str, token: _Token) -> None:
        self.facts.value_lines.setdefault((subject, predicate), []).append(
            (value, self.line(token))
        )

    def collection(self, parent: tuple[str, str] | None) -> None:
        subject, predicate = parent if parent else ("(", "(")
        while self.peek() is not None and self.peek().text != ")":
            self.object(subject, predicate)
        self.expect(")")

    def new_anon(self, parent: tuple[str, str] | None, line: int) -> str:
        self.anon_count += 1
        key = f"[{self.anon_count}"
        self.facts.anon[key] = (parent, line)
        self.facts.anon_predicates[key] = set()
        return key


def turtle_lines(text: str, base: str) -> TurtleLines:
    """Line facts for a Turtle or TriG text; partial (never an error) on what it cannot model."""
    walker = _Walker(text, base)
    try:
        walker.document()
    except (_Stop, RecursionError):  # nesting deeper than the walker's stack: lines so far
        pass
    return walker.facts
