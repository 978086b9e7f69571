"""Row caps on real pyoxigraph serialisations (publisher/sparql/truncate.py).

Each capped output must parse with pyoxigraph's own results parser and hold exactly the
first rows of the full result, even with literals that look like row boundaries.
"""

import csv
import io

import pyoxigraph as ox
import pytest

from publisher.sparql.truncate import BoundedBuffer, BudgetExceeded, cap_rows

FORMATS = {
    "sparql-json": ox.QueryResultsFormat.JSON,
    "sparql-xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
TRICKY = ["a\nb", 'x, "y"', "<result>fake</result>", '{"bindings":[{}]}', "tab\there", "\r\n"]


@pytest.fixture(scope="module")
def store():
    store = ox.Store()
    for i in range(40):
        store.add(
            ox.Quad(
                ox.NamedNode(f"http://e/{i:02d}"),
                ox.NamedNode("http://p"),
                ox.Literal(TRICKY[i % len(TRICKY)] + str(i)),
            )
        )
    return store


QUERY = "SELECT ?s ?o { ?s <http://p> ?o } ORDER BY ?s"


def rows_of(data: bytes, fmt: str) -> list[tuple]:
    if fmt == "csv":  # pyoxigraph does not parse CSV results (lossy); the csv module does
        records = list(csv.reader(io.StringIO(data.decode(), newline="")))
        return [tuple(r) for r in records[1:]]
    parsed = ox.parse_query_results(data, format=FORMATS[fmt])
    return [tuple(str(row[v]) for v in ("s", "o")) for row in parsed]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("limit", [0, 1, 7, 39, 40, 100])
def test_cap_keeps_exactly_the_first_rows(store, fmt, limit):
    full = store.query(QUERY).serialize(format=FORMATS[fmt])
    expected = rows_of(full, fmt)
    capped = cap_rows(full, fmt, limit, complete=True, note="http://t/sparql#result-limit")
    assert capped.truncated == (len(expected) > limit)
    assert rows_of(capped.payload, fmt) == expected[:limit]
    if capped.truncated:
        assert capped.rows == limit
        if fmt in ("sparql-json", "sparql-xml"):
            assert b"http://t/sparql#result-limit" in capped.payload
    else:
        assert capped.payload == full  # untouched when not cut


@pytest.mark.parametrize("fmt", FORMATS)
def test_byte_budget_stops_the_serializer_and_keeps_whole_rows(store, fmt):
    buffer = BoundedBuffer(700)
    with pytest.raises((BudgetExceeded, OSError)):
        store.query(QUERY).serialize(buffer, format=FORMATS[fmt])
    assert buffer.exceeded
    capped = cap_rows(buffer.getvalue(), fmt, 1000, complete=False, note="n:note")
    assert capped.truncated
    full = rows_of(store.query(QUERY).serialize(format=FORMATS[fmt]), fmt)
    kept = rows_of(capped.payload, fmt)
    assert 0 < len(kept) < len(full)
    assert kept == full[: len(kept)]
