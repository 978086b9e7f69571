"""What the words of a template cell name: concepts by label, countries by name or ISO code,
French authorities by INSEE code, SIREN or name (découpage data), organisations, partner
authorities, partnerships, terms of office and crises by their published labels.

Nothing is guessed: a name that fits several candidates is an error listing them, unless the
countries of the row leave exactly one.
"""

from __future__ import annotations

import gettext
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import pycountry
from rdflib import URIRef

from publisher import uris
from publisher.config import REFERENCE_DIR, SOURCES_DIR
from publisher.errors import InputError
from publisher.importer.countries import FRANCE_ISO3
from publisher.importer.names import normalise, split_qualifier
from publisher.importer.reference import Reference, load_reference
from publisher.namespaces import AICT, DCTERMS, ID_BASE, ORG
from publisher.spreadsheet.problems import CellProblem
from publisher.spreadsheet.vocabularies import Concept, concepts
from publisher.validation.reference import ReferenceData

_INSEE = re.compile(r"^(?:[0-9]{5}|2[AB][0-9]{3})$")
_SIREN = re.compile(r"^[0-9]{9}$")
_LABELS = "<http://www.w3.org/2004/02/skos/core#prefLabel>|<http://www.w3.org/2004/02/skos/core#altLabel>|<http://www.w3.org/2000/01/rdf-schema#label>"  # noqa: E501
RECORD_CLASSES = {"mandate": AICT.Mandate, "crisis": AICT.Crisis}
_RECORD_NAMES_FR = {"mandate": "mandat", "crisis": "crise"}


class Unresolved(CellProblem):
    """A cell whose words name nothing, or several things; the message says which."""


@dataclass(frozen=True)
class Candidate:
    iri: URIRef
    label: str
    country: str | None  # ISO 3166-1 alpha-3
    kind: str = ""  # for French authorities: "commune", "epci", "departement", "region"
    code: str = ""  # INSEE code or SIREN
    departement: str = ""  # of a commune, to tell namesakes apart


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    name_fr: str
    name_en: str

    @property
    def iri(self) -> URIRef:
        return uris.country_iri(self.iso3)


def concept_keys(concept: Concept) -> set[str]:
    return {normalise(concept.label_fr), normalise(concept.label_en), normalise(concept.notation)}


@dataclass
class Resolver:
    """Lookups over the reference data; built once per run, queried per cell."""

    reference: ReferenceData
    sources_dir: Path = SOURCES_DIR

    def concept(self, scheme: str, text: str) -> Concept:
        found = self._concepts(scheme).get(normalise(text))
        if found is None:
            labels = ", ".join(f"« {c.label_fr} »" for c in concepts(scheme))
            raise Unresolved(
                f"{text!r} is not in the vocabulary {scheme}: use one of {labels}",
                f"{text!r} n'est pas dans le vocabulaire {scheme} : utilisez l'un de {labels}",
            )
        return found

    def _concepts(self, scheme: str) -> dict[str, Concept]:
        index = self.__dict__.setdefault("_concept_index", {})
        if scheme not in index:
            index[scheme] = {key: c for c in concepts(scheme) for key in concept_keys(c)}
        return index[scheme]

    def country(self, text: str) -> Country:
        found = self._countries.get(normalise(text))
        if found is None:
            raise Unresolved(
                f"unknown country {text!r}: write its French or English name or its ISO 3166 "
                "code (BF, BFA)",
                f"pays inconnu {text!r} : écrivez son nom en français ou en anglais, ou son "
                "code ISO 3166 (BF, BFA)",
            )
        return found

    @cached_property
    def _countries(self) -> dict[str, Country]:
        return {key: country for country, keys in all_countries() for key in keys}

    def record(self, kind: str, text: str) -> URIRef:
        """A published term of office or crisis, by label or IRI."""
        if text.startswith(("http://", "https://")):
            return URIRef(text)
        found = self._records(kind).get(normalise(text))
        if found is None:
            labels = ", ".join(f"« {label} »" for label in record_labels(self.reference, kind))
            raise Unresolved(
                f"{text!r} is not a published {kind}: use one of {labels}",
                f"{text!r} n'est pas un {_RECORD_NAMES_FR[kind]} publié : utilisez l'un de "
                f"{labels}",
            )
        return found

    def _records(self, kind: str) -> dict[str, URIRef]:
        index = self.__dict__.setdefault("_record_index", {})
        if kind not in index:
            index[kind] = {
                normalise(row["label"].value): URIRef(row["s"].value)
                for row in _query(
                    self.reference,
                    f"SELECT ?s ?label WHERE {{ ?s a <{RECORD_CLASSES[kind]}> ; "
                    f"{_LABELS} ?label }}",
                )
            }
        return index[kind]

    # French authorities ------------------------------------------------------------------

    @cached_property
    def decoupage(self) -> Reference:
        folder = self.sources_dir / REFERENCE_DIR
        if not folder.is_dir():
            raise InputError(
                "the découpage administratif data is not installed, so French authorities "
                "cannot be looked up",
                file=str(folder),
                message_fr="les données du découpage administratif ne sont pas installées : "
                "les collectivités françaises ne peuvent pas être trouvées",
            )
        return _decoupage(folder)

    @cached_property
    def _communes_by_siren(self) -> dict[str, str]:
        return {c.siren: c.code for c in self.decoupage.communes.values() if c.siren}

    def french_authority(self, text: str) -> Candidate:
        """A French commune, EPCI, département or région by INSEE code, SIREN or name."""
        candidates = self._french(text)
        if not candidates:
            raise Unresolved(
                f"no French commune, EPCI, département or région is named {text!r}: write its "
                "INSEE code or SIREN",
                f"aucune commune, aucun EPCI, département ou région de France ne s'appelle "
                f"{text!r} : écrivez son code INSEE ou son SIREN",
            )
        if len(candidates) > 1:
            raise _ambiguous(
                text,
                candidates,
                "write the INSEE code (or SIREN)",
                "écrivez le code INSEE (ou le SIREN)",
            )
        return candidates[0]

    def _french(self, text: str) -> list[Candidate]:
        ref = self.decoupage
        code = text.strip().upper()
        if _INSEE.match(code) and code in ref.communes:
            return [self._commune(code)]
        if _SIREN.match(code):
            if code in ref.epcis:
                return [self._epci(code)]
            if code in self._communes_by_siren:
                return [self._commune(self._communes_by_siren[code])]
            return []
        parsed = split_qualifier(text)
        key = normalise(parsed.name)
        found = [self._commune(c.code) for c in ref.communes_by_name.get(key, [])]
        found += [self._epci(e.siren) for e in ref.epcis_by_name.get(key, [])]
        for division in ref.divisions_by_name.get(key, []):
            minter = uris.mint_departement if division.kind == "departement" else uris.mint_region
            found.append(
                Candidate(
                    minter(division.code), division.name, FRANCE_ISO3, division.kind, division.code
                )
            )
        if parsed.qualifier and len(found) > 1:
            found = [c for c in found if self._in_departement(c, parsed.qualifier)]
        return found

    def _in_departement(self, candidate: Candidate, qualifier: str) -> bool:
        if candidate.kind != "commune":
            return False
        departement = self.decoupage.communes[candidate.code].departement
        if qualifier.strip().upper() == departement:
            return True
        division = self.decoupage.divisions.get(("departement", departement))
        return division is not None and normalise(division.name) == normalise(qualifier)

    def _commune(self, code: str) -> Candidate:
        commune = self.decoupage.communes[code]
        return Candidate(
            uris.mint_commune(code),
            commune.name,
            FRANCE_ISO3,
            "commune",
            code,
            commune.departement,
        )

    def _epci(self, siren: str) -> Candidate:
        epci = self.decoupage.epcis[siren]
        return Candidate(uris.mint_epci(siren), epci.name, FRANCE_ISO3, "epci", siren)

    # Any participant -----------------------------------------------------------------------

    def agent(self, text: str, countries: set[str]) -> Candidate:
        """An organisation or authority: a published one by label or IRI, or a French
        authority by code or name; the row's countries settle a name shared abroad."""
        if text.startswith(("http://", "https://")):
            return Candidate(URIRef(text), text, None)
        found: dict[URIRef, Candidate] = {}
        for candidate in self._published_agents.get(normalise(split_qualifier(text).name), []):
            found.setdefault(candidate.iri, candidate)
        for candidate in self._french(text):
            found.setdefault(candidate.iri, candidate)
        candidates = list(found.values())
        if len(candidates) > 1 and countries:
            within = [c for c in candidates if c.country in countries]
            candidates = within or candidates
        if not candidates:
            raise Unresolved(
                f"{text!r} names no published organisation or authority: write its name as "
                "published (see the data's pages), a French INSEE code or SIREN, or its IRI",
                f"{text!r} ne nomme aucune organisation ou collectivité publiée : écrivez son "
                "nom tel que publié (voir les pages des données), un code INSEE ou SIREN "
                "français, ou son IRI",
            )
        if len(candidates) > 1:
            raise _ambiguous(
                text,
                candidates,
                "add a country to the row or write the IRI",
                "ajoutez un pays à la ligne ou écrivez l'IRI",
            )
        return candidates[0]

    @cached_property
    def _published_agents(self) -> dict[str, list[Candidate]]:
        index: dict[str, dict[URIRef, Candidate]] = defaultdict(dict)
        query = f"""
            SELECT ?s ?label ?name ?country WHERE {{
              VALUES ?class {{ <{AICT.PartnerLocalAuthority}> <{AICT.FrenchLocalAuthority}>
                              <{ORG.Organization}> <{ORG.OrganizationalCollaboration}> }}
              ?s a ?class ; {_LABELS} ?label .
              OPTIONAL {{ ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?name }}
              OPTIONAL {{ ?s <{DCTERMS.spatial}> ?country }}
            }}"""
        for row in _query(self.reference, query):
            iri = URIRef(row["s"].value)
            country = row["country"].value.rsplit("/", 1)[1] if row["country"] else None
            name = row["name"].value if row["name"] else row["label"].value
            code = iri.rsplit("/", 1)[1] if str(iri).startswith(ID_BASE) else ""
            index[normalise(row["label"].value)].setdefault(
                iri, Candidate(iri, name, country, _kind_of(iri), code)
            )
        return {key: list(values.values()) for key, values in index.items()}

    def describes(self, iri: URIRef) -> bool:
        return self.reference.describes(iri)

    def labels(self, iri: URIRef) -> dict[str, str]:
        """The published preferred labels of `iri` by language ('' for an untagged one)."""
        query = f"""SELECT ?label WHERE {{
            <{iri}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }}"""
        found: dict[str, str] = {}
        for row in sorted(_query(self.reference, query), key=lambda r: r["label"].value):
            found.setdefault(row["label"].language or "", row["label"].value)
        return found

    # Partnerships --------------------------------------------------------------------------

    def partnership(self, text: str, lead: URIRef | None) -> URIRef:
        """A published partnership of the lead authority, by the name of the other member."""
        if text.startswith(("http://", "https://")):
            return URIRef(text)
        if lead is None:
            raise Unresolved(
                "a partnership is found from the lead authority: fill lead_authority",
                "un partenariat se trouve à partir de la collectivité cheffe de file : "
                "remplissez lead_authority",
            )
        query = f"""
            SELECT DISTINCT ?p ?label WHERE {{
              ?p <{ORG.hasMember}> <{lead}>, ?other . FILTER(?other != <{lead}>)
              ?other {_LABELS} ?label }}"""
        key = normalise(split_qualifier(text).name)
        found = sorted(
            {
                URIRef(row["p"].value)
                for row in _query(self.reference, query)
                if normalise(row["label"].value) == key
            }
        )
        if not found:
            raise Unresolved(
                f"the lead authority has no published partnership with {text!r}: write the "
                "partner's name as published, or the partnership's IRI",
                f"la collectivité cheffe de file n'a aucun partenariat publié avec {text!r} : "
                "écrivez le nom du partenaire tel que publié, ou l'IRI du partenariat",
            )
        if len(found) > 1:
            listed = ", ".join(str(p) for p in found)
            raise Unresolved(
                f"{text!r} names several partnerships of the lead authority: {listed}; "
                "write the IRI",
                f"{text!r} nomme plusieurs partenariats de la collectivité cheffe de file : "
                f"{listed} ; écrivez l'IRI",
            )
        return found[0]


@cache
def _decoupage(folder: Path) -> Reference:
    """Read once per process: 35,000 communes take a second to index."""
    return load_reference(folder)


def _query(reference: ReferenceData, query: str):
    """SELECT over every graph of the reference data (files are loaded into named graphs)."""
    return reference.store.query(query, use_default_graph_as_union=True)


def _kind_of(iri: URIRef) -> str:
    text = str(iri)
    if not text.startswith(ID_BASE):
        return ""
    return text[len(ID_BASE) :].split("/", 1)[0]


def _ambiguous(text: str, candidates: list[Candidate], hint: str, hint_fr: str) -> Unresolved:
    first = sorted(candidates, key=lambda c: str(c.iri))[:8]
    more = len(candidates) - len(first)
    shown = "; ".join(_describe(c) for c in first)
    shown_fr = " ; ".join(_describe(c, "fr") for c in first)
    return Unresolved(
        f"{text!r} matches {len(candidates)} places or bodies: {shown}"
        + (f" and {more} more" if more else "")
        + f"; {hint}",
        f"{text!r} correspond à {len(candidates)} lieux ou organismes : {shown_fr}"
        + (f" et {more} autres" if more else "")
        + f" ; {hint_fr}",
    )


def _describe(candidate: Candidate, lang: str = "en") -> str:
    """'Saint-Denis (commune, INSEE 93066, département 93)', 'St. Louis (USA, <IRI>)'."""
    if candidate.kind == "commune":
        return (
            f"{candidate.label} (commune, INSEE {candidate.code}, "
            f"département {candidate.departement})"
        )
    if candidate.kind == "epci":
        return f"{candidate.label} (EPCI, SIREN {candidate.code})"
    if candidate.kind in ("departement", "region"):
        kind = {"departement": "département", "region": "région"}[candidate.kind]
        return f"{candidate.label} ({kind if lang == 'fr' else candidate.kind} {candidate.code})"
    nowhere = "sans pays" if lang == "fr" else "no country"
    return f"{candidate.label} ({candidate.country or nowhere}, {candidate.iri})"


def all_countries() -> list[tuple[Country, set[str]]]:
    """Every ISO 3166-1 country with the keys a cell may use (names fr/en, alpha-2/3)."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    found = []
    for record in pycountry.countries:
        name_en = getattr(record, "common_name", None) or record.name
        name_fr = french.gettext(record.name)
        keys = {record.alpha_2, record.alpha_3, record.name, name_en, name_fr}
        if getattr(record, "official_name", None):
            keys.add(record.official_name)
        found.append(
            (
                Country(record.alpha_3, record.alpha_2, name_fr, name_en),
                {normalise(k) for k in keys},
            )
        )
    return sorted(found, key=lambda item: normalise(item[0].name_fr))


def record_labels(reference: ReferenceData, kind: str, lang: str = "fr") -> list[str]:
    """The labels of the published terms of office or crises, for the drop-down lists."""
    query = f"""
        SELECT ?label WHERE {{ ?s a <{RECORD_CLASSES[kind]}> ;
          <http://www.w3.org/2004/02/skos/core#prefLabel> ?label .
          FILTER(lang(?label) = "{lang}") }}"""
    return sorted({row["label"].value for row in _query(reference, query)}, key=normalise)
