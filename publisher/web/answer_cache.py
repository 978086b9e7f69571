"""Pages rendered once: a bytes-bounded LRU of finished answers, in each serving process.

A representation of the data (a resource's page or RDF document, the catalog, the home page)
is a function of the dataset version and of what the request decides: its path and query,
the format and language it negotiates, the host it is served under, gzip or not. The data
does not change within a version, so neither do the bytes nor their strong ETag: the first
answer is kept and the next identical requests get it without describing, rendering,
serialising, compressing or hashing anything; a conditional request gets its 304 from the
kept ETag. Answers that set a cookie (the language switch) are not kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from threading import Event, Lock

from starlette.requests import Request
from starlette.responses import Response

from publisher.config import Settings
from publisher.store import Store
from publisher.web.caching import accepts_gzip, is_fresh
from publisher.web.deps import answer_cache_if_set, public_base

# Headers a 304 leaves out: they describe the body it does not carry (RFC 9110 15.4.5).
_BODY_HEADERS = {b"content-length", b"content-type", b"content-encoding"}
_KEPT_STATUSES = {200, 301}
# Seconds a request waits for the identical one already rendering before rendering itself.
_WAIT_FOR_TWIN = 30.0


@dataclass(frozen=True)
class _Kept:
    status: int
    raw_headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    etag: str | None

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.raw_headers) + 200


class AnswerCache:
    """Finished answers by key, the least recently used dropped past `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = self.misses = 0  # for tests and the benchmark's notes
        self._kept: OrderedDict[Hashable, _Kept] = OrderedDict()
        self._rendering: dict[Hashable, Event] = {}
        self._lock = Lock()  # routes run on a thread pool

    def get(self, key: Hashable) -> _Kept | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is None:
                self.misses += 1
                return None
            self._kept.move_to_end(key)
            self.hits += 1
            return kept

    def claim(self, key: Hashable) -> Event | None:
        """None when this request should render `key` (call `release` after), else the
        event set when the identical request rendering it now is done."""
        with self._lock:
            twin = self._rendering.get(key)
            if twin is None:
                self._rendering[key] = Event()
            return twin

    def release(self, key: Hashable) -> None:
        with self._lock:
            done = self._rendering.pop(key, None)
        if done is not None:
            done.set()

    def keep(self, key: Hashable, response: Response) -> None:
        headers = dict(response.raw_headers)
        if response.status_code not in _KEPT_STATUSES or b"set-cookie" in headers:
            return
        etag = headers.get(b"etag")
        if response.status_code == 200 and etag is None:
            return
        kept = _Kept(
            response.status_code,
            tuple(response.raw_headers),
            bytes(response.body),
            etag.decode("latin-1") if etag else None,
        )
        if kept.size > self.max_bytes // 8:  # one answer never evicts most of the others
            return
        with self._lock:
            previous = self._kept.pop(key, None)
            if previous is not None:
                self.size -= previous.size
            self._kept[key] = kept
            self.size += kept.size
            while self.size > self.max_bytes and self._kept:
                _, dropped = self._kept.popitem(last=False)
                self.size -= dropped.size


def cached_answer(
    request: Request,
    store: Store,
    settings: Settings,
    decided: tuple[Hashable, ...],
    build: Callable[[], Response],
) -> Response:
    """The answer `build()` gives to this request, kept for the identical ones that follow.

    `decided` holds what the route chose from the request headers beyond the URL and host
    (the negotiated format, the page language); the key adds the dataset version, path,
    query, public base and whether gzip is accepted.
    """
    cache: AnswerCache | None = answer_cache_if_set(request)
    if cache is None or cache.max_bytes == 0:
        return build()
    key = (
        store.version,
        request.url.path,
        request.url.query,
        public_base(request, settings),
        accepts_gzip(request),
        *decided,
    )
    kept = cache.get(key)
    if kept is None:
        # Many identical requests at once (a crawler's burst, a shared link) render once:
        # the others wait for that answer instead of each spending the CPU on it.
        twin = cache.claim(key)
        if twin is not None and twin.wait(_WAIT_FOR_TWIN):
            kept = cache.get(key)
        if kept is None:
            if twin is not None:  # not kept (an error, a cookie): render our own
                return build()
            try:
                response = build()
                cache.keep(key, response)
            finally:
                cache.release(key)
            return response
    if kept.etag is not None and is_fresh(request, kept.etag, store.last_modified):
        headers = [(k, v) for k, v in kept.raw_headers if k not in _BODY_HEADERS]
        return _response(304, headers, b"")
    return _response(kept.status, list(kept.raw_headers), kept.body)


def _response(status: int, raw_headers: list[tuple[bytes, bytes]], body: bytes) -> Response:
    response = Response(status_code=status)
    response.body = body
    response.raw_headers = raw_headers
    return response
