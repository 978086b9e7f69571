"""Names compared the way people type them: case, accents and punctuation left aside.

The one folding of the project: the search box (web/label_search.py) and the SPARQL
function aictfn:fold (sparql/functions.py, used by the named queries) both use it, so a name
that the search box finds, a named query finds too.
"""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose but French and other writers spell out.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})


def fold(text: str) -> str:
    """Lower case without accents or punctuation differences: 'Saint-Étienne' -> 'saint etienne'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())
