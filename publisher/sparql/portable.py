"""A query as a remote SPARQL engine must receive it to answer as our own runners do.

Our runners resolve relative IRIs against the endpoint's URL, bind named-query parameters
before evaluation (pyoxigraph substitutions) and know `aictfn:fold` (publisher.sparql
.functions). A remote engine (Oxigraph server, Virtuoso, Fuseki) knows none of that, so the
text it receives carries an explicit BASE, a VALUES block at the start of its WHERE clause,
and fold written in standard SPARQL.

The standard-SPARQL fold lower-cases, folds the accented Latin letters and ligatures of
European names, and turns any other non-alphanumeric run into one space: it agrees with
publisher.folding.fold on Latin-script names (the partner cities and communes), not on
other scripts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import pyoxigraph as ox

from publisher.folding import fold
from publisher.namespaces import FUNCTIONS

# Strings, IRIs and comments are masked before any keyword is looked for in a query.
_OPAQUE = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*",
    re.DOTALL,
)
_BASE = re.compile(r"\bBASE\s*<", re.IGNORECASE)
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_FOLDED_LETTERS = (
    ("àáâãäåā", "a"),
    ("çćč", "c"),
    ("èéêëēė", "e"),
    ("ìíîïī", "i"),
    ("ñń", "n"),
    ("òóôõöøō", "o"),
    ("ùúûüū", "u"),
    ("ýÿ", "y"),
    ("šś", "s"),
    ("žźż", "z"),
    ("ß", "ss"),
    ("œ", "oe"),
    ("æ", "ae"),
    ("ł", "l"),
)


def portable_query(
    text: str, *, base_iri: str | None, bindings: Mapping[str, ox.Literal | ox.NamedNode]
) -> str:
    """`text` with fold rewritten, `bindings` as VALUES at the start of its WHERE clause, and
    `base_iri` as BASE unless it has its own."""
    text = _rewrite_fold(text, bindings)
    if bindings:
        text = _bind(text, {name: str(term) for name, term in bindings.items()})
    if base_iri and not _BASE.search(_masked(text)):
        text = f"BASE <{base_iri}>\n{text}"
    return text


def standard_fold(argument: str) -> str:
    """A SPARQL 1.1 expression folding `argument` (an expression) as aictfn:fold does."""
    expression = f"LCASE(STR({argument}))"
    for letters, plain in _FOLDED_LETTERS:
        # Escaped, and alternatives rather than a class: Virtuoso matches bytes of UTF-8.
        pattern = "|".join(_escaped(letter) for letter in letters)
        expression = f'REPLACE({expression}, "{pattern}", "{plain}")'
    expression = f'REPLACE({expression}, "[^a-z0-9]+", " ")'
    return f'REPLACE({expression}, "^ +| +$", "")'


def _escaped(text: str) -> str:
    return "".join(c if ord(c) < 128 else f"\\u{ord(c):04x}" for c in text)


def _constant(argument: str, bindings: Mapping[str, ox.Literal | ox.NamedNode]) -> str | None:
    """The text of a fold argument known before the query runs (a bound variable, a plain
    string), else None."""
    argument = argument.strip()
    if argument[:1] in "?$" and isinstance(bindings.get(argument[1:]), ox.Literal):
        return bindings[argument[1:]].value
    found = re.fullmatch(r'"((?:[^"\\\n]|\\.)*)"', argument)
    if found is not None and "\\" not in found.group(1):
        return found.group(1)
    return None


def _masked(text: str) -> str:
    """`text` with the inside of strings, IRIs and comments blanked (same length)."""

    def blank(found: re.Match[str]) -> str:
        token = found.group(0)
        if token.startswith("<"):
            return "<" + " " * (len(token) - 2) + ">"
        return " " * len(token)

    return _OPAQUE.sub(blank, text)


def _rewrite_fold(text: str, bindings: Mapping[str, ox.Literal | ox.NamedNode]) -> str:
    names = [
        re.escape(prefix) + ":fold"
        for prefix in re.findall(
            r"PREFIX\s+([\w.-]*):\s*<" + re.escape(str(FUNCTIONS)) + ">",
            text,
            re.IGNORECASE,
        )
    ]
    full = "<" + str(FUNCTIONS) + "fold>"
    if not names and full not in text:
        return text
    calls = re.compile(r"(?<![\w:])(?:" + "|".join([*names, re.escape(full)]) + r")\s*\(")

    def constant(argument: str, after: str) -> tuple[str, int] | None:
        # A constant is folded here, exactly, and once (not on each row of the engine).
        known = _constant(argument, bindings)
        return None if known is None else (json.dumps(fold(known)), 0)

    def compared(argument: str, after: str) -> tuple[str, int] | None:
        # fold(?x) = "a folded text": one regular expression per row, not a chain of
        # replacements (a few times faster on both engines).
        found = _EQUALS_TEXT.match(after)
        if found is not None:
            try:
                wanted = json.loads(found.group(1))
            except ValueError:
                wanted = None
            if wanted and fold(wanted) == wanted:
                return f'REGEX(STR({argument}), "{_folded_pattern(wanted)}")', found.end()
        return standard_fold(argument), 0

    return _replace_calls(_replace_calls(text, calls, constant), calls, compared)


_EQUALS_TEXT = re.compile(r'\s*=\s*("(?:[^"\\\n]|\\.)*")')
_SEPARATOR = "[^A-Za-z0-9]"


def _replace_calls(text: str, calls: re.Pattern[str], replace) -> str:
    """Each fold call (not in a string or comment) replaced by `replace(argument, rest)`:
    (its text, how many characters of the rest it takes too), or None to keep it."""
    position = 0
    while True:
        masked = _masked(text)
        # A call inside a string or a comment is masked: its first character differs.
        found = next(
            (m for m in calls.finditer(text, position) if masked[m.start()] == text[m.start()]),
            None,
        )
        if found is None:
            return text
        end = _closing(masked, found.end() - 1)
        replaced = replace(text[found.end() : end], text[end + 1 :])
        if replaced is None:
            position = end + 1
            continue
        replacement, taken = replaced
        text = text[: found.start()] + replacement + text[end + 1 + taken :]
        position = found.start() + len(replacement)


def _folded_pattern(wanted: str) -> str:
    """A regular expression matching exactly the Latin-script texts whose fold is `wanted`
    (case and accent variants written out: Virtuoso's "i" flag knows ASCII only)."""
    variants: dict[str, list[str]] = {}
    for letters, plain in _FOLDED_LETTERS:
        for letter in letters:
            variants.setdefault(plain, []).extend([letter, letter.upper()])
    parts = [f"^{_SEPARATOR}*"]
    index = 0
    while index < len(wanted):
        pair = wanted[index : index + 2]
        if len(pair) == 2 and pair in variants:  # ss, oe, ae: one letter or two
            one = [_alternatives(c, variants) for c in pair]
            parts.append(f"(?:{'|'.join(_escaped(v) for v in variants[pair])}|{''.join(one)})")
            index += 2
            continue
        char = wanted[index]
        parts.append(f"{_SEPARATOR}+" if char == " " else _alternatives(char, variants))
        index += 1
    parts.append(f"{_SEPARATOR}*$")
    return "".join(parts)


def _alternatives(char: str, variants: dict[str, list[str]]) -> str:
    options = [char, char.upper()] if char.upper() != char else [char]
    options += variants.get(char, [])
    return f"(?:{'|'.join(_escaped(o) for o in dict.fromkeys(options))})"


def _closing(masked: str, opening: int) -> int:
    depth = 0
    for index in range(opening, len(masked)):
        if masked[index] == "(":
            depth += 1
        elif masked[index] == ")":
            depth -= 1
            if depth == 0:
                return index
    return len(masked) - 1


def _bind(text: str, bindings: Mapping[str, str]) -> str:
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(bindings.values())
    block = f" VALUES ({names}) {{ ({values}) }} "
    masked = _masked(text)
    found = _WHERE.search(masked)
    opening = found.end() if found is not None else masked.find("{") + 1
    if opening <= 0:
        return f"{text}\nVALUES ({names}) {{ ({values}) }}"
    return text[:opening] + block + text[opening:]
