"""Refusing hostile input before a parser sees it: XML entity declarations ("billion laughs")
and JSON-LD contexts that would have to be fetched from the network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from publisher.config import ONTOLOGY_DIR
from publisher.errors import InputError
from publisher.namespaces import CONTEXT_IRIS
from publisher.validation.inputs import Source

LOCAL_CONTEXT = ONTOLOGY_DIR / "context.jsonld"


def guard_rdfxml(source: Source) -> None:
    """Refuse DOCTYPE and ENTITY declarations (entity expansion bombs, external entities)
    and report XML syntax errors with their position, before the RDF/XML parser runs."""
    try:
        SafeET.fromstring(source.data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise InputError(
            "XML DOCTYPE/ENTITY declarations are refused (entity expansion is a known "
            "denial-of-service attack); remove the DOCTYPE",
            file=source.name,
            line=_line_of(source.text, "<!DOCTYPE") or _line_of(source.text, "<!ENTITY"),
        ) from None
    except SyntaxError as exc:  # xml.etree ParseError
        line, column = getattr(exc, "position", (None, None))
        raise InputError(
            f"XML syntax error: {_strip_position(str(exc))}",
            file=source.name,
            line=line,
            column=column + 1 if column is not None else None,
        ) from None


def guard_jsonld(source: Source, local_context: Path = LOCAL_CONTEXT) -> Source:
    """The document with our own context inlined from the local copy; InputError for any other
    remote context or @import, which we never fetch, and for JSON syntax errors."""
    try:
        document = json.loads(source.text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"JSON syntax error: {exc.msg}", file=source.name, line=exc.lineno, column=exc.colno
        ) from None
    inlined = _inline_contexts(document, source, local_context)
    data = json.dumps(inlined, ensure_ascii=False).encode("utf-8")
    return Source(source.name, data, source.format)


def _inline_contexts(node: Any, source: Source, local_context: Path) -> Any:
    if isinstance(node, list):
        return [_inline_contexts(item, source, local_context) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "@context":
            result[key] = _resolve_context(value, source, local_context)
        else:
            result[key] = _inline_contexts(value, source, local_context)
    return result


def _resolve_context(value: Any, source: Source, local_context: Path) -> Any:
    if isinstance(value, list):
        return [_resolve_context(item, source, local_context) for item in value]
    if isinstance(value, str):
        if value in CONTEXT_IRIS:
            return _load_local_context(local_context, source)
        raise InputError(
            f"remote JSON-LD @context {value!r} is never fetched; inline the context in the "
            f"file or use ours ({CONTEXT_IRIS[0]})",
            file=source.name,
            line=_line_of(source.text, json.dumps(value)),
            field="@context",
        )
    if isinstance(value, dict):
        if "@import" in value:
            raise InputError(
                f"JSON-LD @import {value['@import']!r} is never fetched; inline the context",
                file=source.name,
                line=_line_of(source.text, '"@import"'),
                field="@context",
            )
        return {k: _inline_contexts(v, source, local_context) for k, v in value.items()}
    return value


def _load_local_context(path: Path, source: Source) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(
            f"the project's JSON-LD context is not available locally ({path}): {exc}",
            file=source.name,
            field="@context",
        ) from None


def _line_of(text: str, needle: str) -> int | None:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def _strip_position(message: str) -> str:
    return message.split(": line ")[0]
