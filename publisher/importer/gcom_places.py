"""Resolving the name of a Covenant of Mayors signatory to the French authority it denotes.

The JRC's table names signatories as they registered ("Ville de Tours", "BORDEAUX METROPOLE",
"Communauté d'Agglomération du Muretain"), with no INSEE code or SIREN. A name without a
word of intercommunal kind is first looked up as a commune, département or région by
`FrenchPlaceResolver` (the twinnings' rules: exact name, former commune, namesakes told apart
by position only when clear-cut); a name that is not one, or that carries such a word, is
looked up among the EPCI of the découpage data:
1. `epci-name`: the only EPCI (of the kind the name states, if it states one) whose name,
   without its words of kind and its articles, is exactly the signatory's ("GRAND CHAMBERY"
   -> "CA du Grand Chambéry");
2. `epci-name-words`: the only such EPCI whose name holds every remaining word of the
   signatory's ("Lille Métropole" -> "Métropole Européenne de Lille").
Anything else is refused with its candidates, never guessed; the reviewed table
data/sources/curated/gcom_signatories.csv settles what is left.
"""

from __future__ import annotations

from publisher.importer.french_places import FrenchPlace, FrenchPlaceResolver, Unresolved
from publisher.importer.geo import Point
from publisher.importer.names import normalise
from publisher.importer.reference import Epci, Reference

# Words that say an authority is intercommunal, and those naming its legal form.
_INTERCOMMUNAL = frozenset(
    {"communaute", "communautaire", "agglomeration", "agglo", "metropole", "eurometropole"}
)
_KIND_PHRASES = (
    ("communaute de communes", "CC"),
    ("communaute d agglomeration", "CA"),
    ("communaute urbaine", "CU"),
    ("agglomeration", "CA"),
    ("agglo", "CA"),
)
_ABBREVIATIONS = {"cc": "CC", "ca": "CA", "cu": "CU"}
_ARTICLES = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "et"})
_GENERIC = _INTERCOMMUNAL | _ARTICLES | frozenset({"communes", "urbaine", "cc", "ca", "cu"})
# "Ville de Tours", "Ville de La Rochelle": the commune itself.
_COMMUNE_PREFIXES = ("ville de ", "commune de ", "mairie de ")


class SignatoryResolver:
    def __init__(self, reference: Reference, places: FrenchPlaceResolver) -> None:
        self._ref = reference
        self._places = places
        self._epcis = sorted(reference.epcis.values(), key=lambda e: e.siren)
        self._cores = {e.siren: _core(e.name) for e in self._epcis}

    def resolve(self, name: str, point: Point | None) -> FrenchPlace | Unresolved:
        key = normalise(name)
        if not key:
            return Unresolved("empty-name")
        words = set(key.split())
        if not words & _INTERCOMMUNAL:
            place = self._places.resolve(_without_commune_prefix(name), point)
            if isinstance(place, FrenchPlace) or place.reason not in (
                "unknown-french-city",
                "unknown-qualifier",
            ):
                return place
        return self._epci(key)

    def epci_members(self, siren: str) -> frozenset[str]:
        """INSEE codes of the communes of an EPCI."""
        return frozenset(self._ref.epcis[siren].members)

    def commune(self, code: str, method: str) -> FrenchPlace:
        return FrenchPlace("commune", code, self._ref.communes[code].name, method)

    def _epci(self, key: str) -> FrenchPlace | Unresolved:
        kind = _stated_kind(key)
        core = _core(key)
        if not core:
            return Unresolved("unknown-authority")
        allowed = [e for e in self._epcis if kind is None or e.kind == kind]
        exact = [e for e in allowed if self._cores[e.siren] == core]
        if len(exact) == 1:
            return _place(exact[0], "epci-name")
        if len(exact) > 1:
            return Unresolved("ambiguous-epci", _describe(exact))
        holding = [e for e in allowed if core <= self._cores[e.siren]]
        if len(holding) == 1:
            return _place(holding[0], "epci-name-words")
        if holding:
            return Unresolved("ambiguous-epci", _describe(holding))
        return Unresolved("unknown-authority")


def _stated_kind(key: str) -> str | None:
    first = key.split()[0]
    if first in _ABBREVIATIONS:
        return _ABBREVIATIONS[first]
    padded = f" {key} "
    for phrase, kind in _KIND_PHRASES:
        if f" {phrase} " in padded:
            return kind
    return None


def _core(name: str) -> frozenset[str]:
    return frozenset(normalise(name).split()) - _GENERIC


def _without_commune_prefix(name: str) -> str:
    key = normalise(name)
    for prefix in _COMMUNE_PREFIXES:
        if key.startswith(prefix):
            # Drop as many source words as the prefix has, keeping the source spelling.
            return " ".join(name.split()[len(prefix.split()) :]) or name
    return name


def _place(epci: Epci, method: str) -> FrenchPlace:
    return FrenchPlace("epci", epci.siren, epci.name, method)


def _describe(epcis: list[Epci]) -> tuple[str, ...]:
    return tuple(f"epci {e.siren} {e.name}" for e in epcis)
