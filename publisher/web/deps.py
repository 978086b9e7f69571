"""FastAPI dependencies shared by every route: the settings, the store, the public base."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from publisher.config import Settings
from publisher.store import Store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Store:
    return request.app.state.store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]


def public_base(request: Request, settings: Settings) -> str:
    """The base our canonical IRIs are rewritten to: Settings.public_base, else the request's.

    Taking it from the request (Host header) is meant for local and staging use; a public
    deployment sets public_base so that what clients and caches see never depends on a header.
    """
    base = settings.public_base or str(request.base_url)
    return base if base.endswith("/") else base + "/"


def canonical_base(settings: Settings) -> str:
    base = settings.base_iri
    return base if base.endswith("/") else base + "/"
