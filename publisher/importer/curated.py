"""Curated, cited facts (data/sources/curated/records.toml) -> RDF.

Each TOML entry becomes one record (plus its grant and amount for actions); every record
carries dct:source with the entry's citation URLs and prov:wasDerivedFrom the entry's line.
Entry fields are checked here so a typo gives an InputError naming the line and field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from publisher import uris
from publisher.errors import InputError
from publisher.importer.csv_reader import read_source_text
from publisher.importer.literals import decimal_literal
from publisher.importer.names import normalise
from publisher.importer.reference import Reference
from publisher.namespaces import AICT, DCAT, ORG, SCHEMA

KINDS = ("organisation", "mandate", "crisis", "committee", "document", "action", "instrument")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class CuratedResult:
    graph: Graph
    communes: set[str] = field(default_factory=set)
    epcis: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)  # ISO alpha-3
    lines: dict[URIRef, int] = field(default_factory=dict)  # record -> line of its entry
    records: int = 0


@dataclass(frozen=True)
class _Entry:
    kind: str
    line: int
    data: dict
    path: Path

    def refuse(self, name: str, message: str) -> InputError:
        """The error naming this entry's file, line and field `name`."""
        return InputError(message, file=str(self.path), line=self.line, field=name)

    def text(self, name: str, required: bool = True) -> str | None:
        value = self.data.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.refuse(name, f"{self.kind}: a non-empty string is required")
        return value.strip()

    def texts(self, name: str) -> list[str]:
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.refuse(name, f"{self.kind}: a list of strings is required")
        return value

    def number(self, name: str, required: bool = True) -> int | None:
        value = self.data.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.refuse(name, f"{self.kind}: a non-negative integer is required")
        return value

    def date(self, name: str) -> str | None:
        value = self.text(name, required=False)
        if value is not None and not _DATE.fullmatch(value):
            raise self.refuse(name, f"{self.kind}: expected a date YYYY-MM-DD")
        return value


def load_entries(path: Path) -> list[_Entry]:
    text = read_source_text(path, "the curated records file")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", file=str(path)) from None
    unknown = set(document) - set(KINDS)
    if unknown:
        raise InputError(f"unknown kind(s) {sorted(unknown)}; expected {KINDS}", file=str(path))
    # tomllib gives no positions: the n-th "[[kind]]" header line is the n-th entry of kind.
    header_lines: dict[str, list[int]] = {kind: [] for kind in KINDS}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.fullmatch(r"\s*\[\[\s*([a-z]+)\s*\]\]\s*(#.*)?", line)
        if match and match.group(1) in header_lines:
            header_lines[match.group(1)].append(number)
    entries: list[_Entry] = []
    for kind in KINDS:
        items = document.get(kind, [])
        if not isinstance(items, list) or len(items) != len(header_lines[kind]):
            raise InputError(f"write each {kind} as a [[{kind}]] table", file=str(path))
        for line, data in zip(header_lines[kind], items, strict=True):
            entry = _Entry(kind, line, data, path)
            if not entry.texts("sources"):
                raise entry.refuse("sources", "every record needs at least one source URL")
            entries.append(entry)
    return entries


class _Builder:
    def __init__(self, entries: list[_Entry], reference: Reference, source_name: str) -> None:
        self.entries = entries
        self.ref = reference
        self.source_name = source_name
        self.result = CuratedResult(Graph())
        self.g = self.result.graph
        self.keys: dict[tuple[str, str], URIRef] = {}
        for entry in entries:
            if entry.kind == "instrument":
                continue
            key = entry.text("key")
            iri = self._mint(entry.kind, key)
            if (entry.kind, key) in self.keys:
                raise entry.refuse("key", f"duplicate {entry.kind} key {key!r}")
            self.keys[(entry.kind, key)] = iri

    def _mint(self, kind: str, key: str) -> URIRef:
        if kind in ("organisation", "committee"):
            return uris.mint_organisation(key)
        return uris.mint_record(kind, key)

    def ref_to(self, entry: _Entry, kind: str, key: str, field_name: str) -> URIRef:
        iri = self.keys.get((kind, key))
        if iri is None:
            raise entry.refuse(field_name, f"no {kind} with key {key!r} in this file")
        return iri

    def record(self, entry: _Entry, iri: URIRef, *types: URIRef) -> None:
        for rdf_type in types:
            self.g.add((iri, RDF.type, rdf_type))
        for url in entry.texts("sources"):
            self.g.add((iri, DCTERMS.source, URIRef(url)))
        self.g.add((iri, PROV.wasDerivedFrom, uris.mint_source_row(self.source_name, entry.line)))
        self.result.lines[iri] = entry.line
        self.result.records += 1

    def labels(self, entry: _Entry, iri: URIRef) -> None:
        for lang in ("fr", "en"):
            label = entry.text(f"label_{lang}")
            self.g.add((iri, RDFS.label, Literal(label, lang=lang)))
            self.g.add((iri, SKOS.prefLabel, Literal(label, lang=lang)))

    def country(self, entry: _Entry, iri: URIRef) -> None:
        iso3 = entry.text("country", required=False)
        if iso3:
            if not re.fullmatch(r"[A-Z]{3}", iso3):
                raise entry.refuse("country", "expected an ISO 3166-1 alpha-3 code")
            self.g.add((iri, DCTERMS.spatial, uris.country_iri(iso3)))
            self.result.countries.add(iso3)

    def build(self) -> CuratedResult:
        for entry in self.entries:
            getattr(self, f"_{entry.kind}")(entry)
        return self.result

    def _organisation(self, entry: _Entry) -> None:
        iri = self.keys[("organisation", entry.text("key"))]
        self.record(entry, iri, ORG.Organization)
        self.labels(entry, iri)
        acronym = entry.text("acronym", required=False)
        if acronym:
            self.g.add((iri, SKOS.altLabel, Literal(acronym)))
        part_of = entry.text("part_of", required=False)
        if part_of:
            self.g.add(
                (iri, ORG.subOrganizationOf, self.ref_to(entry, "organisation", part_of, "part_of"))
            )
        successor = entry.text("replaced_by", required=False)
        if successor:
            other = self.ref_to(entry, "organisation", successor, "replaced_by")
            self.g.add((iri, DCTERMS.isReplacedBy, other))
            self.g.add((other, DCTERMS.replaces, iri))
        dissolved = entry.date("dissolved_on")
        if dissolved:
            self.g.add((iri, SCHEMA.dissolutionDate, Literal(dissolved, datatype=XSD.date)))

    def _mandate(self, entry: _Entry) -> None:
        iri = self.keys[("mandate", entry.text("key"))]
        self.record(entry, iri, AICT.Mandate)
        self.labels(entry, iri)
        start, end = entry.number("start_year"), entry.number("end_year")
        if start > end:
            raise entry.refuse("start_year", "start_year is after end_year")
        self.g.add((iri, DCAT.startDate, Literal(str(start), datatype=XSD.gYear)))
        self.g.add((iri, DCAT.endDate, Literal(str(end), datatype=XSD.gYear)))

    def _crisis(self, entry: _Entry) -> None:
        iri = self.keys[("crisis", entry.text("key"))]
        self.record(entry, iri, AICT.Crisis)
        self.labels(entry, iri)
        self.country(entry, iri)
        year = entry.number("year", required=False)
        if year is not None:
            self.g.add((iri, SCHEMA.startDate, Literal(str(year), datatype=XSD.gYear)))

    def _committee(self, entry: _Entry) -> None:
        iri = self.keys[("committee", entry.text("key"))]
        self.record(entry, iri, ORG.OrganizationalCollaboration)
        self.labels(entry, iri)
        for key in entry.texts("organisations"):
            self.g.add(
                (iri, ORG.hasMember, self.ref_to(entry, "organisation", key, "organisations"))
            )
        for code in entry.texts("communes"):
            if code not in self.ref.communes:
                raise entry.refuse(
                    "communes", f"no commune with INSEE code {code!r} in the découpage data"
                )
            self.g.add((iri, ORG.hasMember, uris.mint_commune(code)))
            self.result.communes.add(code)
        for name in entry.texts("epci_names"):
            found = self.ref.epcis_by_name.get(normalise(name), [])
            if len(found) != 1:
                raise entry.refuse(
                    "epci_names",
                    f"{len(found)} EPCI named {name!r} in the découpage data (exactly one needed)",
                )
            self.g.add((iri, ORG.hasMember, uris.mint_epci(found[0].siren)))
            self.result.epcis.add(found[0].siren)

    def _document(self, entry: _Entry) -> None:
        iri = self.keys[("document", entry.text("key"))]
        self.record(entry, iri, FOAF.Document)
        title = entry.text("title_fr")
        self.g.add((iri, DCTERMS.title, Literal(title, lang="fr")))
        self.g.add((iri, RDFS.label, Literal(title, lang="fr")))
        issued = entry.date("issued")
        if issued:
            self.g.add((iri, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
        for key in entry.texts("creators"):
            self.g.add((iri, DCTERMS.creator, self.ref_to(entry, "organisation", key, "creators")))
        committee = entry.text("steering_committee", required=False)
        if committee:
            self.g.add(
                (
                    iri,
                    DCTERMS.contributor,
                    self.ref_to(entry, "committee", committee, "steering_committee"),
                )
            )
        mandate = entry.text("mandate", required=False)
        if mandate:
            self.g.add((iri, AICT.duringMandate, self.ref_to(entry, "mandate", mandate, "mandate")))
        for key in entry.texts("mentions"):
            self.g.add((iri, SCHEMA.mentions, self.ref_to(entry, "crisis", key, "mentions")))
        for notation in entry.texts("action_types"):
            self.g.add((iri, DCTERMS.subject, uris.mint_concept("action-type", notation)))

    def _action(self, entry: _Entry) -> None:
        key = entry.text("key")
        iri = self.keys[("action", key)]
        self.record(entry, iri, AICT.Action)
        self.labels(entry, iri)
        for lang in ("fr", "en"):
            text = entry.text(f"description_{lang}", required=False)
            if text:
                self.g.add((iri, DCTERMS.description, Literal(text, lang=lang)))
        for notation in entry.texts("action_types"):
            self.g.add((iri, AICT.actionType, uris.mint_concept("action-type", notation)))
        for notation in entry.texts("themes"):
            self.g.add((iri, AICT.theme, uris.mint_concept("theme", notation)))
        self.country(entry, iri)
        crisis = entry.text("responds_to", required=False)
        if crisis:
            self.g.add((iri, AICT.respondsTo, self.ref_to(entry, "crisis", crisis, "responds_to")))
        year = entry.number("year", required=False)
        if year is not None:
            period = uris.mint_record("period", str(year))
            self.g.add((iri, DCTERMS.temporal, period))
            self.g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            self.g.add(
                (period, PROV.wasDerivedFrom, uris.mint_source_row(self.source_name, entry.line))
            )
            self.g.add((period, DCAT.startDate, Literal(str(year), datatype=XSD.gYear)))
            self.g.add((period, DCAT.endDate, Literal(str(year), datatype=XSD.gYear)))
        coordinator = entry.text("coordinator", required=False)
        if coordinator:
            agent = self.ref_to(entry, "organisation", coordinator, "coordinator")
            association = uris.mint_record("association", f"{key}-{coordinator}")
            self.g.add((iri, PROV.wasAssociatedWith, agent))
            self.g.add((iri, PROV.qualifiedAssociation, association))
            self.record(entry, association, PROV.Association)
            self.g.add((association, PROV.agent, agent))
            self.g.add(
                (association, PROV.hadRole, uris.mint_concept("partner-role", "networkCoordinator"))
            )
        amount = entry.number("amount_eur", required=False)
        if amount is not None:
            grant = uris.mint_record("grant", key)
            money = uris.mint_record("amount", key)
            self.record(entry, grant, SCHEMA.MonetaryGrant)
            for lang, word in (("fr", "Subvention : "), ("en", "Grant: ")):
                label = Literal(word + entry.text(f"label_{lang}"), lang=lang)
                self.g.add((grant, RDFS.label, label))
                self.g.add((grant, SKOS.prefLabel, label))
            self.g.add((grant, SCHEMA.fundedItem, iri))
            self.g.add((grant, SCHEMA.amount, money))
            instrument = entry.text("funding_instrument", required=False)
            if instrument:
                self.g.add(
                    (
                        grant,
                        AICT.fundingInstrument,
                        uris.mint_concept("funding-instrument", instrument),
                    )
                )
            self.record(entry, money, SCHEMA.MonetaryAmount)
            self.g.add((money, SCHEMA.value, decimal_literal(Decimal(amount))))
            self.g.add((money, SCHEMA.currency, Literal("EUR")))

    def _instrument(self, entry: _Entry) -> None:
        concept = uris.mint_concept("funding-instrument", entry.text("notation"))
        funder = entry.text("funder", required=False)
        if funder:
            self.g.add(
                (concept, SCHEMA.funder, self.ref_to(entry, "organisation", funder, "funder"))
            )
        for url in entry.texts("sources"):
            self.g.add((concept, DCTERMS.source, URIRef(url)))
        self.g.add(
            (concept, PROV.wasDerivedFrom, uris.mint_source_row(self.source_name, entry.line))
        )
        self.result.lines[concept] = entry.line


def build_curated(path: Path, reference: Reference, source_name: str) -> CuratedResult:
    """The RDF of the curated records; `source_name` names the file in source IRIs."""
    return _Builder(load_entries(path), reference, source_name).build()
