"""Pages rendered once (publisher/web/answer_cache.py): identical requests reuse the first
answer, anything that decides the answer keeps answers apart, memory stays bounded."""

from __future__ import annotations

import pytest

from publisher.web.answer_cache import AnswerCache

DIJON = "id/commune/21231"


@pytest.fixture()
def use_cache(client):
    """Puts a cache of our own in the app for one test (monkeypatch cannot restore an
    attribute of Starlette's State)."""
    kept = client.app.state.answers

    def use(cache: AnswerCache) -> AnswerCache:
        client.app.state.answers = cache
        return cache

    yield use
    client.app.state.answers = kept


@pytest.fixture()
def fresh_cache(client, use_cache, monkeypatch):
    """An empty cache for this test, and a count of the descriptions the store makes."""
    cache = use_cache(AnswerCache(64_000_000))
    store = client.app.state.store
    calls = []
    describe = store.describe

    def counting(*args, **kwargs):
        calls.append(args[0])
        return describe(*args, **kwargs)

    monkeypatch.setattr(store, "describe", counting)
    return cache, calls


@pytest.mark.parametrize("accept", ["text/html", "text/turtle", "application/ld+json"])
def test_identical_requests_are_described_once_and_get_the_same_bytes(client, fresh_cache, accept):
    cache, calls = fresh_cache
    headers = {"Accept": accept, "Accept-Language": "en"}
    first = client.get(f"/{DIJON}", headers=headers)
    second = client.get(f"/{DIJON}", headers=headers)
    assert first.status_code == second.status_code == 200
    assert len(calls) == 1 and cache.hits == 1
    assert first.content == second.content
    for name in ("etag", "content-type", "content-location", "vary", "link", "last-modified"):
        assert first.headers.get(name) == second.headers.get(name), name


def test_a_kept_answer_revalidates_with_its_etag(client, fresh_cache):
    _, calls = fresh_cache
    first = client.get(f"/{DIJON}.ttl")
    again = client.get(f"/{DIJON}.ttl", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert "content-encoding" not in again.headers and "content-length" not in again.headers
    assert len(calls) == 1


def test_what_decides_an_answer_keeps_answers_apart(client, fresh_cache):
    client.forget_cookies()
    answers = {
        "html fr": client.get(
            f"/{DIJON}", headers={"Accept": "text/html", "Accept-Language": "fr"}
        ),
        "html en": client.get(
            f"/{DIJON}", headers={"Accept": "text/html", "Accept-Language": "en"}
        ),
        "turtle": client.get(f"/{DIJON}", headers={"Accept": "text/turtle"}),
        "ntriples": client.get(f"/{DIJON}", headers={"Accept": "application/n-triples"}),
        "page 2": client.get(f"/{DIJON}?page=2", headers={"Accept": "text/turtle"}),
        "identity": client.get(f"/{DIJON}.ttl", headers={"Accept-Encoding": "identity"}),
        "other host": client.get(f"/{DIJON}.ttl", headers={"Host": "data.example.org"}),
    }
    assert all(a.status_code == 200 for a in answers.values())
    assert len({a.headers["etag"] for a in answers.values()}) == len(answers)
    assert answers["html en"].headers["content-language"] == "en"
    assert "http://data.example.org/" in answers["other host"].text
    assert "content-encoding" not in answers["identity"].headers
    # The same again: every one now comes from the cache, unchanged.
    cache, calls = fresh_cache
    described = len(calls)
    assert client.get(f"/{DIJON}", headers={"Accept": "text/turtle"}).content == (
        answers["turtle"].content
    )
    assert len(calls) == described and cache.hits >= 1


def test_the_language_switch_is_never_kept(client, fresh_cache):
    cache, calls = fresh_cache
    for _ in range(2):
        switched = client.get(f"/{DIJON}.html?lang=en")
        assert "set-cookie" in switched.headers
    assert len(calls) == 2 and cache.size == 0
    client.forget_cookies()


def test_memory_stays_under_the_bound(client, use_cache):
    cache = use_cache(AnswerCache(40_000))
    for path in ("id/commune/21231", "ontology", "catalog", ""):
        for accept in ("text/turtle", "application/n-triples", "text/html"):
            assert client.get(f"/{path}", headers={"Accept": accept}).status_code == 200
            assert cache.size <= cache.max_bytes
    assert cache.size > 0


def test_zero_bytes_turns_it_off(client, fresh_cache, use_cache):
    _, calls = fresh_cache
    use_cache(AnswerCache(0))
    for _ in range(2):
        client.get(f"/{DIJON}.ttl")
    assert len(calls) == 2


def test_identical_requests_at_once_are_rendered_once(client, fresh_cache, monkeypatch):
    import asyncio
    import threading
    import time

    cache, calls = fresh_cache
    store = client.app.state.store
    counting = store.describe
    started = threading.Event()

    def slow(*args, **kwargs):  # long enough for the others to arrive meanwhile
        started.set()
        time.sleep(0.3)
        return counting(*args, **kwargs)

    monkeypatch.setattr(store, "describe", slow)

    async def burst():
        requests = [client._client.get(f"/{DIJON}.nt") for _ in range(8)]
        return await asyncio.gather(*requests)

    answers = client._loop.run_until_complete(burst())
    assert {a.status_code for a in answers} == {200}
    assert len({a.content for a in answers}) == 1
    assert len(calls) == 1, calls
