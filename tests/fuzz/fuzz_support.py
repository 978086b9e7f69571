"""What every fuzz test shares: its share of the profile's budget, the one property checked
on a command (never exit 3, never a traceback, nothing written on refusal), and the ways
input gets broken (cuts, byte flips, encodings, line endings)."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from click.testing import Result
from hypothesis import settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.namespace import SH
from typer.testing import CliRunner

from publisher.cli import app
from publisher.config import SHAPES_DIR

EXIT_INTERNAL = 3


def budget(share: float) -> settings:
    """Hypothesis settings running `share` of the profile's examples (at least one), so an
    expensive surface (a validation, an import) gets fewer examples than a cheap request."""
    return settings(max_examples=max(1, round(settings.default.max_examples * share)))


def shape_datatypes() -> list[str]:
    """Every datatype our shapes name (sh:datatype), read from shapes/*.ttl."""
    shapes = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return sorted({str(o) for o in shapes.objects(None, SH.datatype)})


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def logged() -> Iterator[list[logging.LogRecord]]:
    """Every record logged meanwhile, whatever its logger and level."""
    handler = _Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)


def assert_no_traceback(text: str) -> None:
    assert "Traceback" not in text, text[-3000:]


def run_cli(args: Sequence[str]) -> Result:
    """`aict ARGS` in-process, checked: no exit 3, no uncaught exception, and no traceback on
    stdout, stderr or in what the libraries logged (rdflib logs some with exc_info)."""
    with warnings.catch_warnings(), logged() as records:
        warnings.simplefilter("ignore")
        result = CliRunner().invoke(app, list(args))
    output = result.output  # stdout and stderr, as a terminal shows them
    assert result.exit_code != EXIT_INTERNAL, output[-3000:]
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {result.exception!r}\n{output[-3000:]}")
    assert_no_traceback(output)
    assert tracebacks_in(records) == []
    return result


def tracebacks_in(records: Sequence[logging.LogRecord]) -> list[str]:
    """What was logged with a traceback, or as an error (a 500 is logged as one)."""
    return [r.getMessage() for r in records if r.exc_info or r.levelno >= logging.ERROR]


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# --- breaking bytes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Damage:
    """One way to break a file's bytes, drawn by `damages`; `apply` is deterministic."""

    kind: str
    position: float  # where, as a fraction of the length
    value: int

    def apply(self, data: bytes) -> bytes:
        at = min(len(data), int(len(data) * self.position))
        if self.kind == "cut":
            return data[:at]
        if self.kind == "flip" and data:
            at = min(at, len(data) - 1)
            return data[:at] + bytes([data[at] ^ (1 << (self.value % 8))]) + data[at + 1 :]
        if self.kind == "byte":
            return data[:at] + bytes([self.value % 256]) + data[at:]
        if self.kind == "crlf":
            return data.replace(b"\n", b"\r\n")
        if self.kind == "cr":
            return data.replace(b"\n", b"\r")
        if self.kind == "mixed-newlines":
            return data[:at] + data[at:].replace(b"\n", b"\r\n" if self.value % 2 else b"\r")
        if self.kind == "latin-1":
            return data.decode("utf-8", "replace").encode("latin-1", "replace")
        if self.kind == "utf-16":
            return data.decode("utf-8", "replace").encode("utf-16")
        if self.kind == "bom":
            return b"\xef\xbb\xbf" + data
        if self.kind == "mixed-encodings":
            head = data[:at]
            tail = data[at:].decode("utf-8", "replace").encode("cp1252", "replace")
            return head + tail
        if self.kind == "nul":
            return data[:at] + b"\x00" + data[at:]
        return data


DAMAGE_KINDS = (
    "cut",
    "flip",
    "byte",
    "crlf",
    "cr",
    "mixed-newlines",
    "latin-1",
    "utf-16",
    "bom",
    "mixed-encodings",
    "nul",
)

damages = st.builds(
    Damage,
    kind=st.sampled_from(DAMAGE_KINDS),
    position=st.floats(min_value=0, max_value=1),
    value=st.integers(min_value=0, max_value=255),
)

# Text people really type, and what breaks parsers: quotes, escapes, controls, astral planes.
nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            '"',
            "\\",
            "\\u0000",
            "\x00",
            "\r\n",
            "2024-02-30",
            "2024-13-01",
            "-0000-01-01",
            "99999999999-01-01",
            "1e309",
            "NaN",
            "-INF",
            "0x1F",
            "１２３",
            "٣",
            "2024-03-01T25:00:00",
            "2024-03-01Z+01:00",
            "--05",
            "+",
            ".",
            "1,5",
            "9" * 400,
            "é" * 50,
            "\U0001f600",
            "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
        ]
    ),
)
