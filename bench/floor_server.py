"""The least a Python SPARQL server can be, as a floor for bench_start.py: one process that
imports only pyoxigraph, opens the store read-only and answers `GET ?query=` in SPARQL JSON
with the standard library's HTTP server. No safety checks, no pages, no negotiation: what
any Python server over pyoxigraph pays before doing anything of its own.

    python bench/floor_server.py STORE_DIR PORT
"""

import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

STORE = ox.Store.read_only(sys.argv[1])


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query).get("query", [""])[0]
        answer = STORE.query(query, use_default_graph_as_union=True)
        body = answer.serialize(format=ox.QueryResultsFormat.JSON)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


HTTPServer(("127.0.0.1", int(sys.argv[2])), Handler).serve_forever()
