"""/healthz and /version."""

from publisher.config import package_version


def test_healthz_reports_the_store(client, store):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "store": "ok", "triples": store.triple_count()}
    assert store.triple_count() > 50


def test_version(client, store):
    body = client.get("/version").json()
    assert body["software"] == package_version()
    assert body["dataset"] == store.version
    assert body["triples"] == store.triple_count()
