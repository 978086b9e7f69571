"""A query as a remote SPARQL engine must receive it to answer as our own runners do.

Our runners resolve relative IRIs against the endpoint's URL, bind named-query parameters
before evaluation (pyoxigraph substitutions) and know `aictfn:fold` (publisher.sparql
.functions). A remote engine (Oxigraph server, Virtuoso, Fuseki) knows none of that, so the
text it receives carries an explicit BASE, a VALUES block at the start of its WHERE clause,
and fold written in standard SPARQL.

The standard-SPARQL fold lower-cases, folds the accented Latin letters and ligatures of
European names, and turns any other non-alphanumeric run into one space: it agrees with
publisher.folding.fold on Latin-script names (the partner cities and communes), not on
other scripts. Virtuoso's REGEX and REPLACE see the bytes of UTF-8, not letters, so there
an accented name matches only through the labels the build step folded in Python
(`names`: the search box's label index): `fold(?x) = "text"` becomes "?x is one of the
labels whose fold is that text, or matches the pattern" (which alone decides on Oxigraph).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence

import pyoxigraph as ox

from publisher.folding import fold
from publisher.namespaces import FUNCTIONS
from publisher.sparql.safety import tokens

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


# The labels whose fold is a given text (publisher.web.label_search.LabelIndex).
Names = Callable[[str], Sequence[str]]
# Beyond this many labels of one folded name, the pattern alone decides.
_MAX_NAMED_LABELS = 200


def portable_query(
    text: str,
    *,
    base_iri: str | None,
    bindings: Mapping[str, ox.Literal | ox.NamedNode],
    names: Names | None = None,
) -> str:
    """`text` with fold rewritten, `bindings` as VALUES at the start of its WHERE clause, and
    `base_iri` as BASE unless it has its own."""
    text = _rewrite_fold(text, bindings, names)
    if bindings:
        text = _bind(text, {name: str(term) for name, term in bindings.items()})
    if base_iri and not _BASE.search(_masked(text)):
        text = f"BASE <{base_iri}>\n{text}"
    return text


_NUMBER = re.compile(r"\s*(\d+)")


def with_row_limit(text: str, limit: int) -> str:
    """A SELECT query asking for at most `limit` rows: its own top-level LIMIT if smaller,
    else `limit`. An engine that computes the whole answer before sending it (Virtuoso) then
    stops at our row cap, not at our deadline. Other forms are kept: a CONSTRUCT's LIMIT
    counts solutions, not the triples our cap counts. So is a sorted SELECT: the engine
    sorts every solution anyway, and Virtuoso refuses a sorted LIMIT past its
    MaxSortedTopRows (10,000 by default)."""
    depth, closed, insert_at = 0, False, len(text)
    form = None
    for token in tokens(text):
        word = token.group().upper() if token.lastgroup == "word" else ""
        if form is None and word in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
            form = word
            if form != "SELECT":
                return text
        if token.group() == "{":
            depth += 1
        elif token.group() == "}":
            depth -= 1
            closed = closed or depth == 0
        elif depth == 0 and closed and word == "ORDER":
            return text
        elif depth == 0 and closed and word == "LIMIT":
            number = _NUMBER.match(text, token.end())
            if number is None or int(number.group(1)) <= limit:
                return text
            return text[: number.start(1)] + str(limit) + text[number.end(1) :]
        elif depth == 0 and closed and word == "VALUES":
            insert_at = token.start()  # the trailing VALUES comes after the modifiers
            break
    if form is None:
        return text
    # On a line of its own: the text may end in a comment.
    return f"{text[:insert_at]}\nLIMIT {limit}\n{text[insert_at:]}"


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


def _rewrite_fold(
    text: str, bindings: Mapping[str, ox.Literal | ox.NamedNode], names: Names | None
) -> str:
    spellings = [
        re.escape(prefix) + ":fold"
        for prefix in re.findall(
            r"PREFIX\s+([\w.-]*):\s*<" + re.escape(str(FUNCTIONS)) + ">",
            text,
            re.IGNORECASE,
        )
    ]
    full = "<" + str(FUNCTIONS) + "fold>"
    if not spellings and full not in text:
        return text
    calls = re.compile(r"(?<![\w:])(?:" + "|".join([*spellings, re.escape(full)]) + r")\s*\(")

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
                pattern = f'REGEX(STR({argument}), "{_folded_pattern(wanted)}")'
                labels = list(names(wanted))[:_MAX_NAMED_LABELS] if names else []
                if labels:
                    named = " || ".join(_equals(argument, label) for label in labels)
                    pattern = f"({named} || {pattern})"
                return pattern, found.end()
        return standard_fold(argument), 0

    return _replace_calls(_replace_calls(text, calls, constant), calls, compared)


def _equals(argument: str, text: str) -> str:
    """STR(argument) = text, written as "starts with it and is as long": Virtuoso compares
    a string holding accents as false inside COALESCE (the named queries' optional
    parameters), but not a prefix and a length."""
    literal = json.dumps(text, ensure_ascii=False)
    return f"(STRSTARTS(STR({argument}), {literal}) && STRLEN(STR({argument})) = {len(text)})"


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
