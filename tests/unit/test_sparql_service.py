"""Policy of the query service that needs no worker (publisher/sparql/service.py)."""

import pytest

from publisher.config import Settings
from publisher.errors import QueryForbidden, QuerySyntaxError
from publisher.negotiation import NotAcceptable
from publisher.sparql.errors import ProtocolError
from publisher.sparql.formats import Shape
from publisher.sparql.service import SparqlService


@pytest.fixture()
def service():
    settings = Settings(query_timeout=10, service_allowlist=["https://allowed.example/"])
    return SparqlService(settings, pool=None, graphs={"http://local/g"}, tmp=None)


def test_a_client_may_lower_the_timeout_never_raise_it(service):
    assert service.timeout_for(None) == 10
    assert service.timeout_for(2.5) == 2.5
    assert service.timeout_for(3600) == 10


def test_query_forms_and_refusals(service):
    assert service.inspect_query("ASK {}")[1] is Shape.SOLUTIONS
    assert service.inspect_query("DESCRIBE <http://x>")[1] is Shape.GRAPH
    assert service.inspect_query("SELECT * { SERVICE <https://allowed.example/q> {} }")
    with pytest.raises(QueryForbidden):
        service.inspect_query("SELECT * { SERVICE <https://other.example/q> {} }")
    with pytest.raises(ProtocolError):
        service.inspect_query("INSERT DATA { <a:a> <a:b> <a:c> }")
    with pytest.raises(QuerySyntaxError):
        service.inspect_query("PREFIX x: <http://x/>")
    with pytest.raises(QueryForbidden):
        service.check_dataset(["http://remote/g"], [])
    service.check_dataset(["http://local/g"], ["http://local/g"])


def test_format_choice(service):
    assert service.choose_format(Shape.SOLUTIONS, "text/csv", None).format.key == "csv"
    assert service.choose_format(Shape.SOLUTIONS, "text/csv", "tsv").format.key == "tsv"
    # Another server's format name is ignored, not an error.
    assert (
        service.choose_format(Shape.SOLUTIONS, None, "application/foo").format.key == "sparql-json"
    )
    assert service.choose_format(
        Shape.GRAPH, "application/sparql-results+json", None
    ).format.key == ("turtle")
    with pytest.raises(NotAcceptable):
        service.choose_format(Shape.GRAPH, "image/png", None)
