"""What every representation of one of our documents carries, whatever route serves it."""

from __future__ import annotations

from publisher.formats import DOCUMENT_FORMATS


def link_alternates(url: str) -> list[str]:
    """`Link` values naming the document at `url` in each format we serve it in."""
    return [
        f'<{url}.{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in DOCUMENT_FORMATS
    ]
