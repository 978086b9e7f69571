"""The columns of the actions template: the one definition the CSV header, its Table Schema,
the XLSX workbook and the converter all read.

A column's `kind` says how its cells are read (see convert.py); `scheme` names the vocabulary
whose labels the cell takes. Lists are numbered columns (`theme_1`, `theme_2`…) rather than
separators inside a cell, so that each cell keeps its drop-down list and its check.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    title_fr: str
    title_en: str
    help_fr: str
    help_en: str
    kind: str
    scheme: str | None = None
    required: bool = False

    @property
    def title(self) -> str:
        """The bilingual header of the workbook: 'Type d'action / Action type'."""
        return f"{self.title_fr} / {self.title_en}"


def _numbered(count: int, name: str, fr: str, en: str, help_fr: str, help_en: str, **kw):
    return [
        Column(f"{name}_{n}", f"{fr} {n}", f"{en} {n}", help_fr, help_en, **kw)
        for n in range(1, count + 1)
    ]


_AGENT_HELP_FR = (
    "Collectivité ou organisme : nom tel que publié (« Ouahigouya », « AFD »), code INSEE, "
    "SIREN ou IRI."
)
_AGENT_HELP_EN = (
    "Authority or organisation: its published name ('Ouahigouya', 'AFD'), INSEE code, SIREN or IRI."
)
_DATE_HELP_FR = "AAAA-MM-JJ, AAAA-MM ou AAAA."
_DATE_HELP_EN = "YYYY-MM-DD, YYYY-MM or YYYY."

COLUMNS: tuple[Column, ...] = tuple(
    [
        Column(
            "id",
            "Identifiant",
            "Identifier",
            "Facultatif : fin de l'IRI de l'action (lettres, chiffres, tirets) ; sinon tirée de "
            "l'intitulé.",
            "Optional: the last segment of the action's IRI (letters, digits, hyphens); "
            "otherwise made from the French title.",
            "slug",
        ),
        Column(
            "action_type",
            "Type d'action",
            "Action type",
            "Un type du vocabulaire ; un type plus précis ajoute le type général dont il relève.",
            "A type from the vocabulary; a narrower type also adds the broader type it belongs to.",
            "concept",
            scheme="action-type",
            required=True,
        ),
        Column(
            "title_fr",
            "Intitulé (fr)",
            "Title (fr)",
            "Intitulé de l'action en français.",
            "Title of the action in French.",
            "text",
            required=True,
        ),
        Column(
            "title_en",
            "Intitulé (en)",
            "Title (en)",
            "Intitulé en anglais.",
            "Title in English.",
            "text",
        ),
        Column(
            "description_fr",
            "Description (fr)",
            "Description (fr)",
            "Quelques phrases en français.",
            "A few sentences in French.",
            "text",
        ),
        Column(
            "description_en",
            "Description (en)",
            "Description (en)",
            "Quelques phrases en anglais.",
            "A few sentences in English.",
            "text",
        ),
        Column(
            "lead_authority",
            "Collectivité cheffe de file",
            "Lead authority",
            "Collectivité française : code INSEE, SIREN, ou nom (« Saint-Denis (93) » si le nom "
            "est porté par plusieurs communes).",
            "French authority: INSEE code, SIREN, or name ('Saint-Denis (93)' when several "
            "communes bear the name).",
            "french_authority",
        ),
        *[
            column
            for n in (1, 2, 3)
            for column in (
                Column(
                    f"partner_{n}",
                    f"Partenaire {n}",
                    f"Partner {n}",
                    _AGENT_HELP_FR,
                    _AGENT_HELP_EN,
                    "agent",
                ),
                Column(
                    f"partner_{n}_role",
                    f"Rôle du partenaire {n}",
                    f"Role of partner {n}",
                    "Rôle du partenaire (vide : partenaire associé sans rôle précisé).",
                    "Role of the partner (empty: associated partner, no role given).",
                    "concept",
                    scheme="partner-role",
                ),
            )
        ],
        Column(
            "beneficiary",
            "Bénéficiaire",
            "Beneficiary",
            _AGENT_HELP_FR,
            _AGENT_HELP_EN,
            "agent",
        ),
        *_numbered(
            3,
            "country",
            "Pays",
            "Country",
            "Pays où l'action a lieu : nom français ou anglais, ou code ISO 3166 (BF, BFA).",
            "Country where the action takes place: French or English name, or ISO 3166 code.",
            kind="country",
        ),
        Column("start_date", "Début", "Start", _DATE_HELP_FR, _DATE_HELP_EN, "date"),
        Column("end_date", "Fin", "End", _DATE_HELP_FR, _DATE_HELP_EN, "date"),
        Column(
            "status",
            "Statut",
            "Status",
            "État d'avancement de l'action.",
            "Progress of the action.",
            "concept",
            scheme="status",
        ),
        *_numbered(
            3,
            "theme",
            "Thématique",
            "Theme",
            "Thématique du vocabulaire.",
            "Theme from the vocabulary.",
            kind="concept",
            scheme="theme",
        ),
        Column(
            "sdgs",
            "ODD",
            "SDGs",
            "Objectifs (6) ou cibles (6.1) de développement durable, séparés par « ; ».",
            "Sustainable development goals (6) or targets (6.1), separated by ';'.",
            "sdgs",
        ),
        Column(
            "partnership",
            "Partenariat",
            "Partnership",
            "Jumelage ou partenariat publié dont l'action fait partie : nom de la collectivité "
            "partenaire (« Mainz ») ou IRI.",
            "Published twinning or partnership the action is part of: name of the partner "
            "authority ('Mainz') or IRI.",
            "partnership",
        ),
        Column(
            "mandate",
            "Mandat",
            "Term of office",
            "Mandat pendant lequel l'action a lieu.",
            "Term of office during which the action takes place.",
            "record",
            scheme="mandate",
        ),
        Column(
            "crisis",
            "Crise",
            "Crisis",
            "Crise à laquelle l'action répond.",
            "Crisis the action responds to.",
            "record",
            scheme="crisis",
        ),
        Column(
            "network",
            "Réseau (adhésion)",
            "Network (membership)",
            "Réseau ou organisation dont la collectivité cheffe de file est membre, par son nom "
            "publié (« Cités Unies France ») : une adhésion (org:Membership) est décrite.",
            "Network or organisation the lead authority is a member of, by its published name "
            "('Cités Unies France'): a membership (org:Membership) is described.",
            "agent",
        ),
        Column(
            "member_since",
            "Membre depuis",
            "Member since",
            _DATE_HELP_FR,
            _DATE_HELP_EN,
            "date",
        ),
        Column(
            "funding_instrument",
            "Instrument de financement",
            "Funding instrument",
            "Dispositif qui finance l'action (une subvention est alors décrite).",
            "Instrument funding the action (a grant is then described).",
            "concept",
            scheme="funding-instrument",
        ),
        Column("funder", "Financeur", "Funder", _AGENT_HELP_FR, _AGENT_HELP_EN, "agent"),
        Column(
            "amount",
            "Montant (EUR)",
            "Amount (EUR)",
            "Montant de la subvention en euros : 450000 ou 450000,50.",
            "Amount of the grant in euros: 450000 or 450000.50.",
            "amount",
        ),
        Column(
            "grant_title_fr",
            "Intitulé de la subvention (fr)",
            "Grant title (fr)",
            "Facultatif ; sinon « Subvention : » suivi de l'intitulé de l'action.",
            "Optional; otherwise 'Subvention :' followed by the action's title.",
            "text",
        ),
        Column(
            "grant_title_en",
            "Intitulé de la subvention (en)",
            "Grant title (en)",
            "Facultatif ; sinon « Grant: » suivi de l'intitulé anglais de l'action.",
            "Optional; otherwise 'Grant:' followed by the action's English title.",
            "text",
        ),
        Column(
            "source_url",
            "Source (URL)",
            "Source (URL)",
            "Page web qui atteste l'action (délibération, article).",
            "Web page attesting the action (council decision, article).",
            "url",
        ),
        Column(
            "example",
            "Exemple fictif",
            "Fictitious example",
            "« oui » pour une ligne d'exemple, jamais publiée comme donnée réelle.",
            "'yes' for an example row, never published as real data.",
            "boolean",
        ),
    ]
)

BY_NAME: dict[str, Column] = {column.name: column for column in COLUMNS}
