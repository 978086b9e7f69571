"""Place-name normalisation and qualifier parsing, shared by every matcher."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_QUALIFIED = re.compile(r"^(?P<name>.*?)\s*\((?P<qualifier>[^()]*)\)\s*$")
# Abbreviations that sources use interchangeably with the full word.
_TOKEN_EXPANSIONS = {"st": "saint", "ste": "sainte"}
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def normalise(name: str) -> str:
    """A matching key: no accents, no case, no punctuation; 'St-Étienne' -> 'saint etienne'."""
    text = unicodedata.normalize("NFKD", name.translate(_LIGATURES))
    ascii_text = text.encode("ascii", "ignore").decode("ascii").lower()
    tokens = _NON_ALNUM.sub(" ", ascii_text).split()
    return " ".join(_TOKEN_EXPANSIONS.get(token, token) for token in tokens)


@dataclass(frozen=True)
class QualifiedName:
    """A source name split into the place's own name and an optional qualifier.

    'Prague 6 (Prague)' -> ('Prague 6', 'Prague'); 'Vernouillet, Yvelines' ->
    ('Vernouillet', 'Yvelines'); 'Dijon' -> ('Dijon', None).
    """

    name: str
    qualifier: str | None


def split_qualifier(raw: str) -> QualifiedName:
    text = " ".join(raw.split())
    match = _QUALIFIED.match(text)
    if match and match.group("name"):
        return QualifiedName(match.group("name").strip(), match.group("qualifier").strip() or None)
    if "," in text:
        name, _, qualifier = text.partition(",")
        if name.strip():
            return QualifiedName(name.strip(), qualifier.strip() or None)
    return QualifiedName(text, None)


def without_redundant_qualifier(raw: str) -> str:
    """'Prague 6 (Prague)' -> 'Prague 6': a qualifier whose words are all in the name adds
    nothing. Any other qualifier is part of the identity and kept: 'Halle (Saale)',
    'Göttingen (district)', 'Friedberg, Hesse'."""
    text = " ".join(raw.split())
    parsed = split_qualifier(text)
    if parsed.qualifier and set(normalise(parsed.qualifier).split()) <= set(
        normalise(parsed.name).split()
    ):
        return parsed.name
    return text
