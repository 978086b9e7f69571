"""Finding and reading the files to validate, safely: size cap, binary refusal, format by
extension or by an explicit choice."""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from publisher.errors import InputError
from publisher.formats import INPUT_FORMATS as READABLE
from publisher.formats import TEMPLATE_FORMATS, by_suffix

# Our format keys, the extensions that imply them, and the names a user may type (the key,
# the label, a suffix: "ttl", "n-triples", "rdf/xml").
FORMAT_BY_EXTENSION: dict[str, str] = {s: f.key for s, f in by_suffix(READABLE).items()}
FORMAT_ALIASES: dict[str, str] = {
    name: f.key
    for f in READABLE
    for name in (f.key, f.label.lower(), *(s.lstrip(".") for s in f.suffixes))
}
INPUT_FORMATS = sorted(f.key for f in READABLE)
# Filled spreadsheet templates (publisher/validation/tabular.py), read only when named
# directly: a folder of RDF may hold other CSV files, which are not contributions.
TABULAR_BY_EXTENSION: dict[str, str] = {s: f.key for s, f in by_suffix(TEMPLATE_FORMATS).items()}

# Bytes looked at to decide that a file is binary rather than text.
_SNIFF_BYTES = 8192
# Windows editors start UTF-8 files with a byte order mark, which the RDF parsers read as a
# character of the first term; UTF-16 and UTF-32 ones mark text we do not read.
_UTF8_BOM = codecs.BOM_UTF8
_OTHER_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


@dataclass(frozen=True)
class Source:
    """One input document: a display name (used in reports), its bytes and its format key."""

    name: str
    data: bytes
    format: str

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


def normalise_format(name: str) -> str:
    """Our key for a format name typed by a user; InputError if unknown."""
    key = FORMAT_ALIASES.get(name.strip().lower())
    if key is None:
        raise InputError(
            f"unknown input format {name!r}; use one of: {', '.join(INPUT_FORMATS)}",
            field="--input-format",
        )
    return key


def format_of(path: Path, forced: str | None = None) -> str:
    """The format of a file: the forced one, else from its extension; InputError otherwise."""
    if forced is not None:
        return normalise_format(forced)
    fmt = FORMAT_BY_EXTENSION.get(path.suffix.lower()) or TABULAR_BY_EXTENSION.get(
        path.suffix.lower()
    )
    if fmt is None:
        raise InputError(
            f"cannot tell the RDF format from the extension {path.suffix or '(none)'!r}; "
            f"use --input-format or one of: {', '.join(sorted(FORMAT_BY_EXTENSION))} "
            "(or .csv, .xlsx for a filled actions template)",
            file=display_name(path),
        )
    return fmt


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus the RDF files found under each folder (hidden ones skipped),
    in a stable order and without duplicates."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(_rdf_files_under(path))
        elif path.exists():
            found.append(path)
        else:
            raise InputError("no such file or folder", file=display_name(path))
    # The same file named twice (a.ttl and ./dir/../a.ttl, or a file and its folder) is read
    # once: twice, each of its blank nodes would be two nodes and each result two results.
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def _rdf_files_under(folder: Path) -> list[Path]:
    files: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and Path(name).suffix.lower() in FORMAT_BY_EXTENSION:
                files.append(Path(root) / name)
    return files


def read_source(path: Path, *, max_bytes: int, forced_format: str | None = None) -> Source:
    """Read one file into a Source, refusing what is too large, binary or not UTF-8."""
    name = display_name(path)
    fmt = format_of(path, forced_format)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"file is {size} bytes, more than the limit of {max_bytes} "
                "(setting max_input_bytes, AICT_MAX_INPUT_BYTES)",
                file=name,
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=name) from None
    except PermissionError:
        raise InputError("permission denied", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=name) from None
    return check_source(Source(name, data, fmt), max_bytes=max_bytes)


def check_source(source: Source, *, max_bytes: int) -> Source:
    """Refuse oversized, binary or non-UTF-8 content (also for sources not read from disk);
    drop a UTF-8 byte order mark."""
    if len(source.data) > max_bytes:
        raise InputError(
            f"input is more than the limit of {max_bytes} bytes "
            "(setting max_input_bytes, AICT_MAX_INPUT_BYTES)",
            file=source.name,
        )
    if source.format in TABULAR_BY_EXTENSION.values():
        return source  # the spreadsheet reader names the cell or line of what it refuses
    for bom, encoding in _OTHER_BOMS.items():  # UTF-32 first: its LE mark starts like UTF-16's
        if source.data.startswith(bom):
            raise InputError(
                f"{encoding} text; RDF files are read as UTF-8: save it as UTF-8",
                file=source.name,
            )
    if source.data.startswith(_UTF8_BOM):
        source = Source(source.name, source.data[len(_UTF8_BOM) :], source.format)
    head = source.data[:_SNIFF_BYTES]
    if b"\x00" in head:
        raise InputError("binary data, not an RDF text file", file=source.name)
    try:
        source.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = source.data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{source.data[exc.start]:02x}); "
            "is it a binary file or another encoding?",
            file=source.name,
            line=line,
        ) from None
    return source


def load_sources(
    items: Sequence[Path | Source], *, max_bytes: int, forced_format: str | None = None
) -> list[Source]:
    """Sources for paths (files and folders) and ready-made Sources, in order."""
    paths = [item for item in items if isinstance(item, Path)]
    expanded = iter(expand_paths(paths)) if paths else iter(())
    sources: list[Source] = []
    for item in items:
        if isinstance(item, Source):
            sources.append(check_source(item, max_bytes=max_bytes))
    # Folders expand to many files; keep path order as given, ready-made sources last.
    path_sources = [
        read_source(p, max_bytes=max_bytes, forced_format=forced_format) for p in expanded
    ]
    return path_sources + sources


def display_name(path: Path) -> str:
    """A path as users typed it relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class InputErrors(InputError):
    """Several inputs could not be read; each error keeps its own file, line and column."""

    def __init__(self, errors: Sequence[InputError]) -> None:
        first = errors[0]
        super().__init__(
            first.message,
            file=first.file,
            line=first.line,
            column=first.column,
            field=first.field,
            message_fr=first.message_fr,
        )
        self.errors = list(errors)

    def __reduce__(self) -> tuple:  # pickled by its errors (sent by the validation worker)
        return (InputErrors, (self.errors,))

    def located(self, lang: str = "en") -> str:
        return "\n".join(InputError.located(e, lang) for e in self.errors)
