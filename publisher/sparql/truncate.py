"""Cut serialised SELECT results at a row cap, per format, without re-serialising them.

pyoxigraph's own serialisers are far faster than anything written in Python, but they
cannot stop after N rows; so we let them write (into a byte budget) and then find row
boundaries in their output, which is regular: one line per row in TSV, CRLF-terminated
records in CSV, one <result> element per row in XML, one object per row in JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Capped:
    payload: bytes
    rows: int | None  # rows in the payload; None when not counted (no cut, JSON)
    truncated: bool


class BudgetExceeded(Exception):
    """Raised inside pyoxigraph's serializer to stop it; never leaves the worker."""


class BoundedBuffer:
    """A binary sink for pyoxigraph that refuses to grow past `budget` bytes."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.parts: list[bytes] = []
        self.size = 0
        self.exceeded = False

    def write(self, data: bytes) -> int:
        if self.size + len(data) > self.budget:
            keep = self.budget - self.size
            self.parts.append(bytes(data[:keep]))
            self.size = self.budget
            self.exceeded = True
            raise BudgetExceeded
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        return None

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def cap_rows(data: bytes, fmt: str, limit: int, *, complete: bool, note: str) -> Capped:
    """Keep at most `limit` rows of a serialisation; `complete` is False if it was cut short."""
    if fmt == "tsv":
        return _cap_lines(data, limit, complete, b"\n")
    if fmt == "csv":
        return _cap_csv(data, limit, complete)
    if fmt == "sparql-xml":
        return _cap_xml(data, limit, complete, note)
    return _cap_json(data, limit, complete, note)


def _cap_lines(data: bytes, limit: int, complete: bool, eol: bytes) -> Capped:
    # TSV escapes newlines inside terms, so every line after the header is one row.
    lines = data.count(eol) - 1
    if complete and lines <= limit:
        return Capped(data, max(lines, 0), False)
    end = -1
    for _ in range(limit + 1):
        end = data.find(eol, end + 1)
        if end < 0:
            break
    if end < 0:  # fewer complete rows than the cap: keep every complete line
        end = data.rfind(eol)
    kept = data[: end + 1]
    return Capped(kept, max(kept.count(eol) - 1, 0), True)


def _cap_csv(data: bytes, limit: int, complete: bool) -> Capped:
    crlf = data.count(b"\r\n")
    if complete and crlf - 1 <= limit:  # each row ends with one CRLF, quoted ones may add more
        return Capped(data, max(crlf - 1, 0), False)
    rows, pos, quotes, end = -1, 0, 0, 0
    while rows < limit:
        nxt = data.find(b"\r\n", pos)
        if nxt < 0:
            break
        quotes += data.count(b'"', pos, nxt)
        pos = nxt + 2
        if quotes % 2 == 0:  # outside a quoted field: a record ends here
            rows += 1
            end = pos
    if complete and data.find(b"\r\n", end) < 0:
        return Capped(data, rows, False)
    return Capped(data[:end], max(rows, 0), True)


def _cap_xml(data: bytes, limit: int, complete: bool, note: str) -> Capped:
    # Text content is escaped, so a literal can never contain "<result>".
    count = data.count(b"<result>")
    if complete and count <= limit:
        return Capped(data, count, False)
    end, kept = data.find(b"<results>"), 0
    end = end + len(b"<results>") if end >= 0 else 0
    while kept < limit:
        nxt = data.find(b"</result>", end)
        if nxt < 0:
            break
        end, kept = nxt + len(b"</result>"), kept + 1
    head_end = data.find(b"</head>")
    body = data[:end] + b"</results></sparql>"
    if head_end >= 0:  # a <link> in <head> is where the XML results format puts metadata
        link = f'<link href="{_xml_attr(note)}"/>'.encode()
        body = body[:head_end] + link + body[head_end:]
    comment = f"<!-- {note.replace('--', '- -')} -->".encode()
    return Capped(body + comment, kept, True)


def _cap_json(data: bytes, limit: int, complete: bool, note: str) -> Capped:
    # Each row is one object, each bound term another: fewer braces than the cap, no cut.
    if complete and data.count(b"{") - 3 <= limit:
        return Capped(data, None, False)
    if complete:
        document = json.loads(data)
        bindings = document["results"]["bindings"]
    else:
        document, bindings = _json_prefix(data)
    if complete and len(bindings) <= limit:
        return Capped(data, len(bindings), False)
    document["results"]["bindings"] = bindings[:limit]
    # The JSON results format defines head.link for "further metadata about the results".
    document.setdefault("head", {}).setdefault("link", []).append(note)
    return Capped(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode(),
        min(len(bindings), limit),
        True,
    )


def _json_prefix(data: bytes) -> tuple[dict, list]:
    """The head and the complete rows of a JSON serialisation cut at an arbitrary byte."""
    text = data.decode("utf-8", errors="ignore")
    marker = '"results":{"bindings":['
    start = text.find(marker)
    head = json.loads(text[: start - 1] + "}") if start > 0 else {"head": {"vars": []}}
    decoder = json.JSONDecoder()
    rows: list = []
    pos = start + len(marker)
    while pos < len(text):
        try:
            row, pos = decoder.raw_decode(text, pos)
        except ValueError:
            break
        rows.append(row)
        if pos < len(text) and text[pos] == ",":
            pos += 1
    head["results"] = {"bindings": rows}
    return head, rows


def _xml_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
