"""One SHACL result as an engine gives it, before it is located and worded."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal
from rdflib.term import Node


@dataclass(frozen=True)
class RawResult:
    """One result as an engine gave it, in the terms of our graphs."""

    focus: Node
    path: str | None  # canonical SPARQL path string (paths.py)
    value: Node | None
    component: str
    shape: Node
    severity: str
    messages: tuple[Literal, ...]
