"""gzip for the text bodies the routes did not compress themselves, without lying in ETags.

Starlette's GZip middleware keeps the route's ETag on the compressed bytes, so one strong
validator would name two byte sequences (RFC 9110 §8.8.3), and it compresses whenever the
header merely contains "gzip", even `gzip;q=0`. This wrapper decides with the q-values
(`caching.accepts_gzip_header`), and weakens a strong ETag the route set when the body it
compressed was the route's identity body. Routes that care about strong validators use
`caching.cached_response`, which compresses itself and gives each encoding its own ETag;
the middleware then passes their answer through untouched.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipResponder
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from publisher.web.caching import accepts_gzip_header


class GZipWithHonestETags:
    def __init__(
        self,
        app: ASGIApp,
        minimum_size: int,
        exclude_content_types: tuple[str, ...],
        compresslevel: int = 6,
    ) -> None:
        self.app = app
        self.minimum_size = minimum_size
        self.exclude_content_types = exclude_content_types
        self.compresslevel = compresslevel

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not accepts_gzip_header(
            Headers(scope=scope).get("accept-encoding", "")
        ):
            await self.app(scope, receive, send)
            return
        encoded_by_route = False

        async def app_noting_encoding(scope: Scope, receive: Receive, inner_send: Send) -> None:
            async def noting_send(message: Message) -> None:
                nonlocal encoded_by_route
                if message["type"] == "http.response.start":
                    encoded_by_route = "content-encoding" in Headers(raw=message["headers"])
                await inner_send(message)

            await self.app(scope, receive, noting_send)

        async def weakening_send(message: Message) -> None:
            if message["type"] == "http.response.start" and not encoded_by_route:
                headers = MutableHeaders(raw=message["headers"])
                etag = headers.get("etag")
                if "content-encoding" in headers and etag and not etag.startswith("W/"):
                    headers["ETag"] = "W/" + etag
            await send(message)

        responder = GZipResponder(
            app_noting_encoding,
            self.minimum_size,
            compresslevel=self.compresslevel,
            exclude_content_types=self.exclude_content_types,
        )
        await responder(scope, receive, weakening_send)
