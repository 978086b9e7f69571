"""The only code that mints our IRIs and maps them to and from serving URLs.

Minting is deterministic: the same input always gives the same IRI, so a rebuild of the
dataset is byte-identical and links made by others keep working.
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import URIRef

from publisher.namespaces import BASE, EU_COUNTRY, GRAPH_BASE, ID_BASE, VOCAB_BASE

_NON_SLUG = re.compile(r"[^a-z0-9]+")
# Latin letters that have no Unicode decomposition, so NFKD alone would drop them
# ('Đống Đa' -> 'ong-a'); each is written as its usual ASCII transliteration instead.
_UNDECOMPOSED = str.maketrans(
    {
        "Đ": "D",
        "đ": "d",
        "Ł": "L",
        "ł": "l",
        "ı": "i",
        "Ø": "O",
        "ø": "o",
        "ß": "ss",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Ð": "D",
        "ð": "d",
        "Þ": "TH",
        "þ": "th",
        "Ħ": "H",
        "ħ": "h",
        "Ə": "E",
        "ə": "e",
    }
)


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphen-separated; 'Saint-Étienne (Loire)' -> 'saint-etienne-loire'."""
    folded = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    if not slug:
        raise ValueError(f"cannot make an IRI segment from {text!r}")
    return slug


def mint_commune(insee_code: str) -> URIRef:
    return URIRef(f"{ID_BASE}commune/{insee_code}")


def mint_epci(siren: str) -> URIRef:
    return URIRef(f"{ID_BASE}epci/{siren}")


def mint_departement(code: str) -> URIRef:
    return URIRef(f"{ID_BASE}departement/{code}")


def mint_region(code: str) -> URIRef:
    return URIRef(f"{ID_BASE}region/{code}")


def mint_partner_authority(iso2: str, name: str, slug: str | None = None) -> URIRef:
    """A foreign local authority, identified by its country and its name; `slug` replaces
    the folded name where the reviewed table keeps two towns apart (Münster -> muenster)."""
    segment = slugify(name) if slug is None else slugify(slug)
    return URIRef(f"{ID_BASE}authority/{iso2.lower()}/{segment}")


def mint_organisation(name: str) -> URIRef:
    """A body that is not a local authority: ministry, agency, network, school."""
    return URIRef(f"{ID_BASE}organisation/{slugify(name)}")


def mint_partnership(member_a: URIRef, member_b: URIRef) -> URIRef:
    """A partnership between two authorities; the order of the members does not matter."""
    keys = sorted(_local_key(member) for member in (member_a, member_b))
    return URIRef(f"{ID_BASE}partnership/{keys[0]}--{keys[1]}")


def mint_record(kind: str, name: str) -> URIRef:
    """Any other record we describe: action, grant, document, event, mandate, agreement."""
    return URIRef(f"{ID_BASE}{slugify(kind)}/{slugify(name)}")


def mint_example(kind: str, name: str) -> URIRef:
    """A record of the worked examples (data/examples/), kept apart from real data."""
    return URIRef(f"{ID_BASE}example/{slugify(kind)}/{slugify(name)}")


def mint_source(file_name: str) -> URIRef:
    return URIRef(f"{ID_BASE}source/{slugify(file_name)}")


def mint_source_row(file_name: str, line: int) -> URIRef:
    """One line of a source file (line numbers count the header as line 1)."""
    return URIRef(f"{ID_BASE}source/{slugify(file_name)}/line/{line}")


def mint_graph(name: str) -> URIRef:
    return URIRef(f"{GRAPH_BASE}{slugify(name)}")


def mint_concept(scheme: str, notation: str) -> URIRef:
    return URIRef(f"{VOCAB_BASE}{scheme}/{notation}")


def mint_scheme(scheme: str) -> URIRef:
    return URIRef(f"{VOCAB_BASE}{scheme}")


def country_iri(iso3: str) -> URIRef:
    """The EU Publications Office country IRI, what DCAT-AP expects for dct:spatial."""
    return URIRef(f"{EU_COUNTRY}{iso3.upper()}")


def _local_key(iri: URIRef) -> str:
    """'…/id/commune/21231' -> 'commune-21231'; '…/id/authority/de/mainz' -> 'de-mainz'."""
    text = str(iri)
    if not text.startswith(ID_BASE):
        raise ValueError(f"not one of our IRIs: {text}")
    path = text[len(ID_BASE) :]
    if path.startswith("authority/"):
        path = path[len("authority/") :]
    return path.replace("/", "-")


def to_public(iri: str, public_base: str, base: str = BASE) -> str:
    """Rewrite a canonical IRI to the URL it is served at (identity when bases match)."""
    return public_base + iri[len(base) :] if iri.startswith(base) else iri


def to_canonical(url: str, public_base: str, base: str = BASE) -> str:
    """Inverse of to_public: the canonical IRI of a served URL."""
    return base + url[len(public_base) :] if url.startswith(public_base) else url
