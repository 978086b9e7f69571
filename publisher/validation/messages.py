"""Wording of results in French and English: the shape's own sh:message in each language
first, else a default per SHACL constraint component, filled with the shape's parameters."""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from publisher.namespaces import SH

# Component local name -> (French, English); {param} is the shape's sh:param value.
_DEFAULTS: dict[str, tuple[str, str]] = {
    "MinCountConstraintComponent": (
        "Il faut au moins {minCount} valeur(s)",
        "At least {minCount} value(s) required",
    ),
    "MaxCountConstraintComponent": (
        "Il faut au plus {maxCount} valeur(s)",
        "At most {maxCount} value(s) allowed",
    ),
    "ClassConstraintComponent": (
        "La valeur doit être une instance de {class}",
        "The value must be an instance of {class}",
    ),
    "DatatypeConstraintComponent": (
        "La valeur doit être du type {datatype}",
        "The value must have datatype {datatype}",
    ),
    "NodeKindConstraintComponent": (
        "La valeur doit être de nature {nodeKind}",
        "The value must be of node kind {nodeKind}",
    ),
    "PatternConstraintComponent": (
        "La valeur ne respecte pas le motif {pattern}",
        "The value does not match the pattern {pattern}",
    ),
    "MinLengthConstraintComponent": (
        "La valeur doit compter au moins {minLength} caractères",
        "The value must be at least {minLength} characters long",
    ),
    "MaxLengthConstraintComponent": (
        "La valeur doit compter au plus {maxLength} caractères",
        "The value must be at most {maxLength} characters long",
    ),
    "MinInclusiveConstraintComponent": (
        "La valeur doit être supérieure ou égale à {minInclusive}",
        "The value must be at least {minInclusive}",
    ),
    "MaxInclusiveConstraintComponent": (
        "La valeur doit être inférieure ou égale à {maxInclusive}",
        "The value must be at most {maxInclusive}",
    ),
    "MinExclusiveConstraintComponent": (
        "La valeur doit être strictement supérieure à {minExclusive}",
        "The value must be greater than {minExclusive}",
    ),
    "MaxExclusiveConstraintComponent": (
        "La valeur doit être strictement inférieure à {maxExclusive}",
        "The value must be less than {maxExclusive}",
    ),
    "InConstraintComponent": (
        "La valeur n'est pas dans la liste autorisée",
        "The value is not in the allowed list",
    ),
    "HasValueConstraintComponent": (
        "La valeur {hasValue} est attendue",
        "The value {hasValue} is required",
    ),
    "LanguageInConstraintComponent": (
        "La langue de la valeur n'est pas autorisée",
        "The language of the value is not allowed",
    ),
    "UniqueLangConstraintComponent": (
        "Une seule valeur par langue est permise",
        "Only one value per language is allowed",
    ),
    "NodeConstraintComponent": (
        "La valeur ne respecte pas la forme {node}",
        "The value does not conform to the shape {node}",
    ),
    "QualifiedMinCountConstraintComponent": (
        "Trop peu de valeurs respectent la forme qualifiée",
        "Too few values conform to the qualified shape",
    ),
    "QualifiedMaxCountConstraintComponent": (
        "Trop de valeurs respectent la forme qualifiée",
        "Too many values conform to the qualified shape",
    ),
    "ClosedConstraintComponent": (
        "Propriété non autorisée par la forme fermée",
        "Property not allowed by the closed shape",
    ),
    "EqualsConstraintComponent": (
        "Les valeurs doivent être égales à celles de {equals}",
        "The values must equal those of {equals}",
    ),
    "DisjointConstraintComponent": (
        "Les valeurs ne doivent pas se trouver dans {disjoint}",
        "The values must not appear in {disjoint}",
    ),
    "LessThanConstraintComponent": (
        "La valeur doit être inférieure à celle de {lessThan}",
        "The value must be less than that of {lessThan}",
    ),
    "LessThanOrEqualsConstraintComponent": (
        "La valeur doit être inférieure ou égale à celle de {lessThanOrEquals}",
        "The value must be less than or equal to that of {lessThanOrEquals}",
    ),
    "NotConstraintComponent": (
        "La valeur ne doit pas respecter la forme exclue",
        "The value must not conform to the excluded shape",
    ),
    "AndConstraintComponent": (
        "La valeur doit respecter toutes les formes listées",
        "The value must conform to all listed shapes",
    ),
    "OrConstraintComponent": (
        "La valeur doit respecter au moins une des formes listées",
        "The value must conform to at least one listed shape",
    ),
    "XoneConstraintComponent": (
        "La valeur doit respecter exactement une des formes listées",
        "The value must conform to exactly one listed shape",
    ),
    "SPARQLConstraintComponent": (
        "La contrainte SPARQL n'est pas respectée",
        "The SPARQL constraint is not met",
    ),
}
_PARAMETER = {name: name[0].lower() + name[1 : -len("ConstraintComponent")] for name in _DEFAULTS}


def component_parameter(component: str) -> URIRef | None:
    """The shape parameter of a SHACL constraint component (sh:lessThan for
    sh:LessThanConstraintComponent), for the components we word."""
    name = _PARAMETER.get(component.rsplit("#", 1)[-1])
    return SH[name] if name else None


def word_result(
    shapes: Graph,
    shape: Node,
    component: str,
    messages: tuple[Literal, ...],
    short: Callable[[Node], str],
) -> tuple[str, str]:
    """(French, English) message of a result: sh:message by language, then a language-less
    sh:message for both, then our default for the constraint component (the engine's own
    wording only for components we do not know)."""
    by_lang: dict[str, str] = {}
    engine_plain: str | None = None
    for message in sorted(messages, key=str):
        if message.language:
            by_lang.setdefault(message.language.lower()[:2], str(message))
        elif engine_plain is None:
            engine_plain = str(message)
    user_plain: str | None = None
    for message in sorted(shapes.objects(shape, SH.message), key=str):
        if isinstance(message, Literal) and message.language:
            by_lang.setdefault(message.language.lower()[:2], str(message))
        elif isinstance(message, Literal) and user_plain is None:
            user_plain = str(message)
    default_fr, default_en = _default(shapes, shape, component, short)
    # The engines word defaults differently; ours keep one report whatever the engine.
    known = component.rsplit("#", 1)[-1] in _DEFAULTS
    english = (
        by_lang.get("en") or user_plain or (default_en if known else engine_plain) or default_en
    )
    french = by_lang.get("fr") or user_plain or default_fr
    return french, english


def _default(
    shapes: Graph, shape: Node, component: str, short: Callable[[Node], str]
) -> tuple[str, str]:
    name = component.rsplit("#", 1)[-1]
    if name not in _DEFAULTS:
        return (f"Contrainte non respectée ({name})", f"Constraint not met ({name})")
    parameter = _PARAMETER[name]
    value = shapes.value(shape, SH[parameter])
    text = short(value) if value is not None else "?"
    french, english = _DEFAULTS[name]
    return french.format(**{parameter: text}), english.format(**{parameter: text})
