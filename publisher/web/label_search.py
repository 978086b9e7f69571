"""Search by name that forgives accents and case: 'besancon' finds Besançon, 'chisinau' finds
Chişinău, 'dijon mainz' finds the twinning of both.

SPARQL has no accent folding and a REGEX per label is far too slow, so the labels are read
once per dataset version (one bounded SELECT through the Store interface) and searched here.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Protocol

from publisher import stats
from publisher.folding import fold

# Bounds the memory of the index even if a dataset labels millions of resources.
MAX_LABELS = 500_000

_LABELS = (
    "SELECT ?s ?l WHERE { ?s skos:prefLabel|rdfs:label|schema:name|dct:title ?l . "
    f"FILTER(isIRI(?s)) }} LIMIT {MAX_LABELS}"
)


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str  # the label that matched (any language)
    rank: tuple[int, int]


@dataclass(frozen=True)
class LabelIndex:
    entries: tuple[tuple[str, str, str], ...]  # (folded label, IRI, label)

    def search(self, query: str, limit: int) -> list[Hit]:
        """Resources whose label holds every word of `query`; exact, then prefix, then others,
        shorter labels first."""
        words = fold(query).split()
        if not words or sum(len(w) for w in words) < 2:
            return []
        phrase = " ".join(words)
        best: dict[str, Hit] = {}
        for folded, iri, label in self.entries:
            if not all(word in folded for word in words):
                continue
            closeness = 0 if folded == phrase else 1 if folded.startswith(phrase) else 2
            rank = (closeness, len(folded))
            if iri not in best or rank < best[iri].rank:
                best[iri] = Hit(iri, label, rank)
        return sorted(best.values(), key=lambda h: (h.rank, h.label.casefold(), h.iri))[:limit]

    def labels_folded_as(self, folded: str) -> list[str]:
        """The distinct labels whose fold is exactly `folded`."""
        start = bisect_left(self.entries, (folded,))
        found: dict[str, None] = {}
        for entry in self.entries[start:]:
            if entry[0] != folded:
                break
            found[entry[2]] = None
        return list(found)


class BuiltLabels(Protocol):
    def label_entries(self) -> tuple[tuple[str, str, str], ...] | None: ...


def label_index(built: BuiltLabels | None, store: stats.SelectStore) -> LabelIndex:
    """The index the build step kept (publisher.build), else one read from the store now."""
    entries = built.label_entries() if built is not None else None
    return LabelIndex(entries) if entries is not None else build_label_index(store)


def build_label_index(store: stats.SelectStore) -> LabelIndex:
    rows = store.select(stats.PROLOGUE + _LABELS)
    entries = {
        (fold(str(row["l"])), str(row["s"]), str(row["l"]))
        for row in rows
        if "s" in row and "l" in row
    }
    return LabelIndex(tuple(sorted(entries)))
