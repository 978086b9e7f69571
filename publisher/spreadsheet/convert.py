"""A filled actions template -> RDF, modelled as data/examples/ models actions, each triple
remembered with the cell it comes from so that SHACL results point back at sheet, row and
column.

One row is one aict:Action, with its period (dct:PeriodOfTime), its participants
(prov:Association, one per partner with a role) and, when a funding instrument, funder or
amount is given, the grant that funds it (schema:MonetaryGrant and schema:MonetaryAmount).
Authorities the published data does not describe yet are described from the découpage data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, PROV, RDF, RDFS, SKOS, XSD

from publisher import uris
from publisher.errors import InputError
from publisher.importer.authorities import describe_french_authority
from publisher.namespaces import ADMS, AICT, DCTERMS, ORG, SCHEMA, SDG
from publisher.spreadsheet.columns import COLUMNS
from publisher.spreadsheet.problems import CellProblem
from publisher.spreadsheet.resolve import Candidate, Resolver
from publisher.spreadsheet.table import Cell, Row, Table

EXAMPLE_COMMENT = "Exemple fictif / fictitious example"
_YEAR = re.compile(r"^[0-9]{4}$")
_YEAR_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_DAY = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_AMOUNT = re.compile(r"^[0-9]+(?:[.,][0-9]+)?$")
_SDG = re.compile(r"^([0-9]{1,2})(?:\.([0-9]{1,2}|[a-z]))?$")
_TRUE = {"oui", "yes", "true", "vrai", "1", "x"}
_FALSE = {"non", "no", "false", "faux", "0"}
_FRENCH_KINDS = ("commune", "epci", "departement", "region")

# The column a SHACL result is about when the property is missing (nothing to point at):
# property IRI -> column, in the order of the template.
PROPERTY_COLUMNS: dict[str, str] = {
    str(SKOS.prefLabel): "title_fr",
    str(DCTERMS.description): "description_fr",
    str(AICT.actionType): "action_type",
    str(AICT.leadAuthority): "lead_authority",
    str(PROV.wasAssociatedWith): "lead_authority",
    str(DCTERMS.spatial): "country_1",
    str(DCTERMS.temporal): "start_date",
    str(DCAT.startDate): "start_date",
    str(DCAT.endDate): "end_date",
    str(ADMS.status): "status",
    str(AICT.theme): "theme_1",
    str(AICT.contributesToSDG): "sdgs",
    str(DCTERMS.isPartOf): "partnership",
    str(AICT.duringMandate): "mandate",
    str(AICT.respondsTo): "crisis",
    str(SCHEMA.funder): "funder",
    str(AICT.fundingInstrument): "funding_instrument",
    str(SCHEMA.amount): "amount",
    str(SCHEMA.value): "amount",
    str(PROV.agent): "partner_1",
    str(PROV.hadRole): "partner_1_role",
    str(AICT.beneficiary): "beneficiary",
    str(DCTERMS.source): "source_url",
    str(ORG.member): "lead_authority",
    str(ORG.organization): "network",
    str(ORG.memberDuring): "member_since",
}


@dataclass
class CellIndex:
    """Which cell each node and each (node, property) of the converted graph comes from."""

    table: Table
    rows: dict[URIRef, int] = field(default_factory=dict)
    values: dict[tuple[URIRef, str], Cell] = field(default_factory=dict)

    def line_of(self, node) -> int | None:
        return self.rows.get(node)

    def line_of_value(self, subject, predicate, value) -> int | None:
        cell = self.values.get((subject, str(predicate)))
        return cell.row if cell is not None else self.rows.get(subject)

    def cell_of(self, node, path: str | None, shape: str = "") -> Cell | None:
        """The cell to fix for a result on `node` about `path` (a property IRI or a SPARQL
        path) from `shape`: the cell the value came from, else the column that would hold
        it (the English one when the shape asks for English), else the row's action type."""
        row = self.rows.get(node)
        if row is None:
            return None
        english = "English" in shape
        for (subject, predicate), cell in self.values.items():
            if subject == node and path and predicate in path:
                if english and cell.name.endswith("_fr"):
                    return self.table.cell(row, cell.name[:-3] + "_en")
                return cell
        for predicate, column in PROPERTY_COLUMNS.items():
            if path and predicate in path:
                if english and column.endswith("_fr"):
                    column = column[:-3] + "_en"
                return self.table.cell(row, column)
        return self.table.cell(row, COLUMNS[1].name)


@dataclass
class Conversion:
    graph: Graph
    cells: CellIndex


def convert(table: Table, resolver: Resolver) -> Conversion:
    """The RDF of every row; InputError (InputErrors when several) for cells that cannot be
    read, all rows checked before anything is refused."""
    graph = Graph()
    cells = CellIndex(table)
    errors: list[InputError] = []
    seen: dict[URIRef, int] = {}
    for row in table.rows:
        builder = _RowBuilder(row, table, resolver, graph, cells)
        builder.build(seen)
        errors.extend(builder.errors)
    if errors:
        from publisher.validation.inputs import InputErrors

        errors.sort(key=lambda e: (e.line or 0, e.column or 0))
        raise errors[0] if len(errors) == 1 else InputErrors(errors)
    return Conversion(graph, cells)


class _RowBuilder:
    def __init__(
        self, row: Row, table: Table, resolver: Resolver, graph: Graph, cells: CellIndex
    ) -> None:
        self.row = row
        self.table = table
        self.resolver = resolver
        self.graph = graph
        self.cells = cells
        self.errors: list[InputError] = []
        self.example = False
        self.lead_name = ""

    # -- cells ----------------------------------------------------------------------------

    def cell(self, name: str) -> Cell:
        return self.row.cells.get(name) or self.table.cell(self.row.number, name)

    def read(self, name: str, reader):
        """`reader(text)` of a filled cell, None for an empty one; a failure is recorded at
        the cell and None returned, so the rest of the row is still checked."""
        text = self.row.get(name)
        if not text:
            return None
        try:
            return reader(text)
        except CellProblem as exc:
            self.errors.append(self.cell(name).error(exc.english, exc.french))
            return None
        except ValueError as exc:  # a library's own words (ours are CellProblems): English
            self.errors.append(self.cell(name).error(str(exc), str(exc)))
            return None

    def add(self, subject: URIRef, predicate: URIRef, value, column: str | None) -> None:
        self.graph.add((subject, predicate, value))
        self.cells.rows.setdefault(subject, self.row.number)
        if column is not None:
            self.cells.values.setdefault((subject, str(predicate)), self.cell(column))

    def mint(self, kind: str, name: str) -> URIRef:
        return uris.mint_example(kind, name) if self.example else uris.mint_record(kind, name)

    def mark(self, subject: URIRef, rdf_type: URIRef, column: str | None) -> None:
        self.add(subject, RDF.type, rdf_type, column)
        if self.example:
            self.add(subject, AICT.isExample, Literal(True), "example")
            self.add(subject, RDFS.comment, Literal(EXAMPLE_COMMENT), "example")

    # -- the row ----------------------------------------------------------------------------

    def build(self, seen: dict[URIRef, int]) -> None:
        self.example = bool(self.read("example", _boolean))
        title_fr = self.row.get("title_fr")
        title_en = self.row.get("title_en")
        slug = self.read("id", _slug) or (self.read("title_fr", _slug) if title_fr else None)
        if slug is None:
            if not self.errors:
                self.errors.append(
                    self.cell("title_fr").error(
                        "an action needs a French title (title_fr)",
                        "une action doit avoir un titre en français (title_fr)",
                    )
                )
            return
        action = self.mint("action", slug)
        if action in seen:
            # Reported, and the rest of the row is still checked (its triples are dropped).
            column = "id" if self.row.get("id") else "title_fr"
            self.errors.append(
                self.cell(column).error(
                    f"row {seen[action]} already describes the action {action}: give this row "
                    "another id",
                    f"la ligne {seen[action]} décrit déjà l'action {action} : donnez à cette "
                    "ligne un autre identifiant (id)",
                )
            )
        seen.setdefault(action, self.row.number)
        self.mark(action, AICT.Action, "action_type")
        for lang, text in (("fr", title_fr), ("en", title_en)):
            if text:
                column = f"title_{lang}"
                self.add(action, SKOS.prefLabel, Literal(text, lang=lang), column)
                self.add(action, RDFS.label, Literal(text, lang=lang), column)
        for lang in ("fr", "en"):
            text = self.row.get(f"description_{lang}")
            if text:
                self.add(
                    action, DCTERMS.description, Literal(text, lang=lang), f"description_{lang}"
                )
        kind = self.read("action_type", lambda t: self.resolver.concept("action-type", t))
        if kind is not None:
            for iri in (kind.iri, *kind.broader):
                self.add(action, AICT.actionType, iri, "action_type")
        countries = self.countries(action)
        lead = self.lead(action)
        self.partners(action, slug, countries)
        beneficiary = self.read("beneficiary", lambda t: self.agent(t, countries))
        if beneficiary is not None:
            self.add(action, AICT.beneficiary, beneficiary.iri, "beneficiary")
        self.period(action, slug)
        status = self.read("status", lambda t: self.resolver.concept("status", t))
        if status is not None:
            self.add(action, ADMS.status, status.iri, "status")
        for n in (1, 2, 3):
            theme = self.read(f"theme_{n}", lambda t: self.resolver.concept("theme", t))
            if theme is not None:
                self.add(action, AICT.theme, theme.iri, f"theme_{n}")
        for goal in self.read("sdgs", _sdgs) or ():
            self.add(action, AICT.contributesToSDG, SDG[goal], "sdgs")
        partnership = None
        if lead is not None or not self.row.get("lead_authority"):  # else already reported
            partnership = self.read("partnership", lambda t: self.resolver.partnership(t, lead))
        if partnership is not None:
            self.add(action, DCTERMS.isPartOf, partnership, "partnership")
        for column, predicate in (("mandate", AICT.duringMandate), ("crisis", AICT.respondsTo)):
            record = self.read(column, lambda t, c=column: self.resolver.record(c, t))
            if record is not None:
                self.add(action, predicate, record, column)
        source = self.read("source_url", _url)
        if source is not None:
            self.add(action, DCTERMS.source, source, "source_url")
        self.grant(action, slug, countries, title_fr, title_en)
        self.membership(lead, countries)

    def countries(self, action: URIRef) -> set[str]:
        found: set[str] = set()
        for n in (1, 2, 3):
            country = self.read(f"country_{n}", self.resolver.country)
            if country is not None:
                self.add(action, DCTERMS.spatial, country.iri, f"country_{n}")
                found.add(country.iso3)
        return found

    def lead(self, action: URIRef) -> URIRef | None:
        lead = self.read("lead_authority", self.resolver.french_authority)
        if lead is None:
            return None
        self.lead_name = lead.label
        self.describe(lead, "lead_authority")
        self.add(action, AICT.leadAuthority, lead.iri, "lead_authority")
        return lead.iri

    def membership(self, lead: URIRef | None, countries: set[str]) -> None:
        """The lead authority's membership of the network, labelled as the published
        memberships are ('Adhésion de Lille à …', 'Membership of Lille in …')."""
        network = self.read("network", lambda t: self.agent(t, countries))
        since = self.read("member_since", _date)
        if network is None:
            if since is not None and not self.row.get("network"):
                self.errors.append(
                    self.cell("network").error(
                        "a date is given but no network", "une date est donnée mais aucun réseau"
                    )
                )
            return
        if lead is None:
            if not self.row.get("lead_authority"):
                self.errors.append(
                    self.cell("lead_authority").error(
                        "a membership needs the lead authority",
                        "une adhésion a besoin de la collectivité cheffe de file",
                    )
                )
            return
        slug = f"{_last_segment(lead)}-{_last_segment(network.iri)}"
        membership = self.mint("membership", slug)
        self.mark(membership, ORG.Membership, "network")
        names = self.resolver.labels(network.iri)
        french = names.get("fr") or names.get("") or network.label
        english = names.get("en") or french
        of = "d'" if self.lead_name[:1].lower() in "aeiouyhâéèêîôû" else "de "
        for lang, text in (
            ("fr", f"Adhésion {of}{self.lead_name} à {french}"),
            ("en", f"Membership of {self.lead_name} in {english}"),
        ):
            self.add(membership, SKOS.prefLabel, Literal(text, lang=lang), "network")
        self.add(membership, ORG.member, lead, "lead_authority")
        self.add(membership, ORG.organization, network.iri, "network")
        if since is not None:
            period = self.mint("period", slug)
            self.add(membership, ORG.memberDuring, period, "member_since")
            self.mark(period, DCTERMS.PeriodOfTime, "member_since")
            self.add(period, DCAT.startDate, since, "member_since")

    def agent(self, text: str, countries: set[str]) -> Candidate:
        return self.resolver.agent(text, countries)

    def describe(self, candidate: Candidate, column: str) -> None:
        """Describe a French authority the published data lacks, from the découpage data."""
        if candidate.kind not in _FRENCH_KINDS or self.resolver.describes(candidate.iri):
            return
        description = describe_french_authority(
            self.resolver.decoupage, candidate.kind, candidate.code
        )
        for s, p, o in description:
            if not self.resolver.describes(s):
                self.add(s, p, o, column)

    def partners(self, action: URIRef, slug: str, countries: set[str]) -> None:
        for n in (1, 2, 3):
            partner = self.read(f"partner_{n}", lambda t: self.agent(t, countries))
            role = self.read(
                f"partner_{n}_role", lambda t: self.resolver.concept("partner-role", t)
            )
            if partner is None:
                if role is not None and not self.row.get(f"partner_{n}"):
                    self.errors.append(
                        self.cell(f"partner_{n}").error(
                            f"a role is given but no partner {n}",
                            f"un rôle est donné mais aucun partenaire {n}",
                        )
                    )
                continue
            self.describe(partner, f"partner_{n}")
            self.add(action, PROV.wasAssociatedWith, partner.iri, f"partner_{n}")
            if role is None:
                continue
            association = self.mint("association", f"{slug}-{_last_segment(partner.iri)}")
            self.add(action, PROV.qualifiedAssociation, association, f"partner_{n}")
            self.mark(association, PROV.Association, f"partner_{n}")
            self.add(association, PROV.agent, partner.iri, f"partner_{n}")
            self.add(association, PROV.hadRole, role.iri, f"partner_{n}_role")

    def period(self, action: URIRef, slug: str) -> None:
        start = self.read("start_date", _date)
        end = self.read("end_date", _date)
        if start is None and end is None:
            return
        period = self.mint("period", slug)
        self.add(
            action, DCTERMS.temporal, period, "start_date" if start is not None else "end_date"
        )
        self.mark(period, DCTERMS.PeriodOfTime, "start_date" if start is not None else "end_date")
        if start is not None:
            self.add(period, DCAT.startDate, start, "start_date")
        if end is not None:
            self.add(period, DCAT.endDate, end, "end_date")

    def grant(
        self,
        action: URIRef,
        slug: str,
        countries: set[str],
        title_fr: str | None,
        title_en: str | None,
    ) -> None:
        names = ("funding_instrument", "funder", "amount", "grant_title_fr", "grant_title_en")
        if not any(self.row.get(name) for name in names):
            return
        grant = self.mint("grant", slug)
        self.mark(grant, SCHEMA.MonetaryGrant, "funding_instrument")
        labels = {
            "fr": self.row.get("grant_title_fr")
            or (f"Subvention : {title_fr}" if title_fr else ""),
            "en": self.row.get("grant_title_en") or (f"Grant: {title_en}" if title_en else ""),
        }
        for lang, text in labels.items():
            if text:
                column = f"grant_title_{lang}"
                self.add(grant, SKOS.prefLabel, Literal(text, lang=lang), column)
                self.add(grant, RDFS.label, Literal(text, lang=lang), column)
        self.add(grant, SCHEMA.fundedItem, action, "funding_instrument")
        instrument = self.read(
            "funding_instrument", lambda t: self.resolver.concept("funding-instrument", t)
        )
        if instrument is not None:
            self.add(grant, AICT.fundingInstrument, instrument.iri, "funding_instrument")
        funder = self.read("funder", lambda t: self.agent(t, countries))
        if funder is not None:
            self.describe(funder, "funder")
            self.add(grant, SCHEMA.funder, funder.iri, "funder")
        value = self.read("amount", _amount)
        if value is not None:
            amount = self.mint("amount", slug)
            self.add(grant, SCHEMA.amount, amount, "amount")
            self.mark(amount, SCHEMA.MonetaryAmount, "amount")
            self.add(amount, SCHEMA.value, value, "amount")
            self.add(amount, SCHEMA.currency, Literal("EUR"), "amount")


def _last_segment(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _slug(text: str) -> str:
    try:
        return uris.slugify(text)
    except ValueError:
        raise CellProblem(
            f"{text!r} has no letter or digit to make an identifier from",
            f"{text!r} n'a ni lettre ni chiffre dont faire un identifiant",
        ) from None


def _boolean(text: str) -> bool:
    key = text.strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellProblem(
        f"{text!r} is not yes or no: write « oui » or « non »",
        f"{text!r} n'est ni oui ni non : écrivez « oui » ou « non »",
    )


def _date(text: str) -> Literal:
    """YYYY-MM-DD (xsd:date), YYYY-MM (xsd:gYearMonth) or YYYY (xsd:gYear)."""
    text = text.strip()
    if _YEAR.match(text):
        return Literal(text, datatype=XSD.gYear)
    match = _YEAR_MONTH.match(text)
    if match and 1 <= int(match.group(2)) <= 12:
        return Literal(text, datatype=XSD.gYearMonth)
    match = _DAY.match(text)
    if match:
        try:
            date(*(int(part) for part in match.groups()))
        except ValueError:
            raise CellProblem(
                f"{text!r} is not a day of the calendar",
                f"{text!r} n'est pas un jour du calendrier",
            ) from None
        return Literal(text, datatype=XSD.date)
    raise CellProblem(
        f"{text!r} is not a date in the expected format: write YYYY-MM-DD (2024-03-15), "
        "YYYY-MM (2024-03) or YYYY (2024)",
        f"{text!r} n'est pas une date au format attendu : écrivez AAAA-MM-JJ (2024-03-15), "
        "AAAA-MM (2024-03) ou AAAA (2024)",
    )


def _amount(text: str) -> Literal:
    compact = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    compact = compact.removesuffix("€").removesuffix("EUR")
    if not _AMOUNT.match(compact):
        raise CellProblem(
            f"{text!r} is not an amount in euros: write 450000 or 450000.50",
            f"{text!r} n'est pas un montant en euros : écrivez 450000 ou 450000,50",
        )
    return Literal(Decimal(compact.replace(",", ".")), datatype=XSD.decimal)


def _sdgs(text: str) -> list[str]:
    codes = []
    for part in text.split(";"):
        code = part.strip().lower()
        if not code:
            continue
        match = _SDG.match(code)
        if not match or not 1 <= int(match.group(1)) <= 17:
            raise CellProblem(
                f"{part.strip()!r} is not a sustainable development goal (1 to 17) or target "
                "(6.1, 4.a); separate several with « ; »",
                f"{part.strip()!r} n'est pas un objectif de développement durable (1 à 17) ni "
                "une cible (6.1, 4.a) ; séparez-en plusieurs par « ; »",
            )
        codes.append(code)
    return codes


def _url(text: str) -> URIRef:
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in text.strip():
        raise CellProblem(
            f"{text!r} is not a web address (http:// or https://)",
            f"{text!r} n'est pas une adresse web (http:// ou https://)",
        )
    return URIRef(text.strip())
