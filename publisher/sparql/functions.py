"""SPARQL extension functions of this endpoint, evaluated by pyoxigraph in every query runner.

`aictfn:fold(?text)` (`PREFIX aictfn: <https://w3id.org/aict/function#>`) is the search
box's folding (publisher.folding): lower case, accents and punctuation left aside, so
`aictfn:fold("Saint-Étienne") = aictfn:fold("saint etienne")`. SPARQL's LCASE leaves accents,
and a REGEX cannot fold them.
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from publisher.folding import fold
from publisher.prefixes import FUNCTIONS_NAMESPACE

FOLD = FUNCTIONS_NAMESPACE + "fold"


def _fold(term: ox.Literal | ox.NamedNode | ox.BlankNode) -> ox.Literal | None:
    # A literal only (its language tag dropped); anything else is an error: unbound.
    return _folded(term.value) if isinstance(term, ox.Literal) else None


# A query calls it once per row, on the same few thousand labels: folding is the cost
# (about 20 µs), a cached answer a tenth of it.
@lru_cache(maxsize=1 << 16)
def _folded(text: str) -> ox.Literal:
    return ox.Literal(fold(text))


CUSTOM_FUNCTIONS = {ox.NamedNode(FOLD): _fold}
