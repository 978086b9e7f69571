"""Named queries: `.rq` files whose header comments declare a title, a description and
typed parameters, served as REST endpoints (/api/<name>) and shown as examples.

Header syntax (lines starting with `#+`, before the query; grlc-like, but one line each):

    #+ title: Twinnings of a city
    #+ title@fr: Jumelages d'une ville
    #+ description: Foreign authorities twinned with a French local authority.
    #+ description@fr: Les collectivités étrangères jumelées avec une collectivité française.
    #+ param: city string required "Dijon" Name of the French authority

`title` and `description` are English; `title@fr` and `description@fr`, optional, are what
the French query page shows (the English ones where they are missing).

`param: <name> <type> [required] ["example"] <description>`. The parameter binds the
query variable of the same name (?city) through pyoxigraph's `substitutions`, never by
editing the text; a parameter left out leaves its variable unbound (so it matches anything)
unless it is `required`. pyoxigraph substitutes projected variables only, so each parameter
must appear in the SELECT clause; to compare it in a FILTER and still match anything when it
is left out, write `FILTER(COALESCE(<test with ?city>, true))` (BOUND() does not see a
substituted value). Types: string, integer, decimal, date, boolean, iri,
country (ISO 3166 alpha-2 or alpha-3 code), departement (INSEE code), concept:<scheme>
(a concept notation of one of our SKOS schemes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pycountry

from publisher.errors import InputError
from publisher.namespaces import XSD
from publisher.sparql.terms import TermTuple, iri, literal
from publisher.uris import country_iri, mint_concept, mint_departement

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>\S+)(?P<required>\s+required)?"
    r'(?:\s+"(?P<example>[^"]*)")?\s*(?P<description>.*)$'
)
_SIMPLE_TYPES = {"string", "integer", "decimal", "date", "boolean", "iri", "country", "departement"}
_SCHEMES = {
    "action-type",
    "partnership-form",
    "theme",
    "partner-role",
    "status",
    "authority-type",
    "funding-instrument",
    "covenant-commitment",
}


class ParameterError(InputError):
    """A value given for a named query's parameter does not fit its type."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    required: bool
    example: str | None
    description: str

    def bind(self, raw: str) -> TermTuple:
        """The RDF term a raw value stands for; ParameterError names the parameter."""
        value = raw.strip()
        try:
            return _convert(self.type, value)
        except (ValueError, InvalidOperation, LookupError) as exc:
            raise ParameterError(
                f"{value!r} is not a valid {self.type}: {exc}",
                field=self.name,
                message_fr=f"{value!r} ne convient pas : {_expected_fr(self.type)}",
            ) from None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path
    # ("title@fr", text) and ("description@fr", text) pairs, from the optional header lines.
    translations: tuple[tuple[str, str], ...] = ()

    def title_in(self, lang: str) -> str:
        """The title in `lang` where the header gives one, else the English title."""
        return dict(self.translations).get(f"title@{lang}", self.title)

    def description_in(self, lang: str) -> str:
        """The description in `lang` where the header gives one, else the English one."""
        return dict(self.translations).get(f"description@{lang}", self.description)

    def bindings(self, given: dict[str, str]) -> dict[str, TermTuple]:
        """Variable -> term for the values given; unknown or missing required names refused."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise ParameterError(
                f"unknown parameter(s) {', '.join(unknown)}; this query takes "
                f"{', '.join(known) or 'none'}",
                field=unknown[0],
                message_fr=f"paramètre(s) inconnu(s) {', '.join(unknown)} ; cette requête "
                f"prend {', '.join(known) or 'aucun paramètre'}",
            )
        result: dict[str, TermTuple] = {}
        for param in self.parameters:
            raw = given.get(param.name)
            if raw is None or raw.strip() == "":
                if param.required:
                    raise ParameterError(
                        "this parameter is required",
                        field=param.name,
                        message_fr="ce paramètre est obligatoire",
                    )
                continue
            result[param.name] = param.bind(raw)
        return result

    def example_bindings(self) -> dict[str, str]:
        return {p.name: p.example for p in self.parameters if p.example is not None}


# What each type expects, for the French pages (the English message gives the parser's reason).
_EXPECTED_FR = {
    "string": "un texte",
    "integer": "un nombre entier",
    "decimal": "un nombre décimal",
    "date": "une date AAAA-MM-JJ",
    "boolean": "true ou false",
    "iri": "une IRI absolue",
    "country": "un code de pays ISO 3166 alpha-2 ou alpha-3",
    "departement": "un code de département tel que 21, 2A ou 974",
}


def _expected_fr(kind: str) -> str:
    scheme = kind.removeprefix("concept:")
    return f"attendu {_EXPECTED_FR.get(kind, f'une notation du schéma {scheme}')}"


def _convert(kind: str, value: str) -> TermTuple:
    if kind == "string":
        return literal(value)
    if kind == "integer":
        return literal(str(int(value)), str(XSD.integer))
    if kind == "decimal":
        return literal(str(Decimal(value)), str(XSD.decimal))
    if kind == "date":
        return literal(date.fromisoformat(value).isoformat(), str(XSD.date))
    if kind == "boolean":
        if value.lower() not in ("true", "false"):
            raise ValueError("use true or false")
        return literal(value.lower(), str(XSD.boolean))
    if kind == "iri":
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$", value):
            raise ValueError("not an absolute IRI")
        return iri(value)
    if kind == "country":
        found = (
            pycountry.countries.get(alpha_3=value.upper())
            if len(value) == 3
            else (pycountry.countries.get(alpha_2=value.upper()) if len(value) == 2 else None)
        )
        if found is None:
            raise ValueError("not an ISO 3166 alpha-2 or alpha-3 country code")
        return iri(str(country_iri(found.alpha_3)))
    if kind == "departement":
        if not re.match(r"^(?:\d{2,3}|2[AB])$", value.upper()):
            raise ValueError("not a département code such as 21, 2A or 974")
        return iri(str(mint_departement(value.upper())))
    scheme = kind.removeprefix("concept:")
    if not re.match(r"^[A-Za-z][A-Za-z0-9]*$", value):
        raise ValueError(f"not a notation of the {scheme} scheme")
    return iri(str(mint_concept(scheme, value)))


_TEXT_KEYS = ("title", "description", "title@fr", "description@fr")


def parse_named_query(path: Path) -> NamedQuery:
    """Read one .rq file; InputError with file and line for a malformed header."""
    name = path.stem
    if not _NAME.match(name):
        raise InputError("file name must be lower-case words joined by '-'", file=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", file=str(path)) from None
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            continue
        key, colon, value = line[2:].strip().partition(":")
        key, value = key.strip(), value.strip()
        if not colon or not value:
            raise InputError("expected '#+ key: value'", file=str(path), line=number)
        if key == "param":
            params.append(_parse_param(value, path, number))
        elif key in _TEXT_KEYS:
            fields[key] = f"{fields[key]} {value}" if key in fields else value
        else:
            raise InputError(f"unknown header key {key!r}", file=str(path), line=number, field=key)
    for required in ("title", "description"):
        if required not in fields:
            raise InputError(f"missing '#+ {required}:' line", file=str(path), field=required)
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise InputError("a parameter is declared twice", file=str(path))
    projection = _projection(text)
    for param in params:
        if projection is not None and param.name not in projection:
            raise InputError(
                f"parameter {param.name}: ?{param.name} must be in the SELECT "
                "clause (pyoxigraph only substitutes projected variables)",
                file=str(path),
                field=param.name,
            )
    translations = tuple((key, fields[key]) for key in _TEXT_KEYS[2:] if key in fields)
    return NamedQuery(
        name, fields["title"], fields["description"], tuple(params), text, path, translations
    )


def _projection(text: str) -> set[str] | None:
    """Variables of the SELECT clause; None for SELECT * (every variable is projected)."""
    body = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    match = re.search(
        r"\bSELECT\b(.*?)\b(?:WHERE|FROM)\b|\bSELECT\b(.*?)\{", body, re.IGNORECASE | re.DOTALL
    )
    if not match:
        return set()
    clause = match.group(1) if match.group(1) is not None else match.group(2)
    if re.match(r"\s*(?:DISTINCT|REDUCED)?\s*\*", clause, re.IGNORECASE):
        return None
    return set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", clause))


def _parse_param(value: str, path: Path, number: int) -> Parameter:
    match = _PARAM.match(value)
    if not match:
        raise InputError(
            "expected 'param: <name> <type> [required] [\"example\"] <text>'",
            file=str(path),
            line=number,
            field="param",
        )
    kind = match["type"]
    if kind not in _SIMPLE_TYPES and not (
        kind.startswith("concept:") and kind.removeprefix("concept:") in _SCHEMES
    ):
        raise InputError(
            f"unknown parameter type {kind!r}", file=str(path), line=number, field=match["name"]
        )
    param = Parameter(
        match["name"], kind, bool(match["required"]), match["example"], match["description"].strip()
    )
    if param.example is not None:
        try:
            param.bind(param.example)
        except ParameterError as exc:
            raise InputError(
                f"example: {exc.message}", file=str(path), line=number, field=param.name
            ) from None
    return param


def load_named_queries(folder: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every named query of a folder, by name, sorted."""
    queries = [parse_named_query(p) for p in sorted(folder.glob("*.rq"))]
    return {q.name: q for q in queries}


@lru_cache(maxsize=1)
def bundled_queries() -> dict[str, NamedQuery]:
    return load_named_queries(QUERIES_DIR)
