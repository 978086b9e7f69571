"""Operations: /healthz for probes, /version for people and deploy scripts."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import JSONResponse

from publisher.config import package_version
from publisher.errors import AictError
from publisher.web.deps import StoreDep
from publisher.web.errors import kind_of
from publisher.web.routing import get_and_head

router = APIRouter(tags=["meta"])

_HEALTH_QUERY = "ASK { ?s ?p ?o }"


@get_and_head(router, "/healthz", summary="Is the store answering?")
def healthz(store: StoreDep) -> JSONResponse:
    try:
        answers = store.ask(_HEALTH_QUERY)
    except AictError as exc:
        # A probe, or a load balancer, learns when to ask again as any client would.
        return JSONResponse(
            {"status": "error", "store": "not answering"},
            status_code=503,
            headers={"Cache-Control": "no-store", **kind_of(exc).headers},
        )
    return JSONResponse(
        {"status": "ok", "store": "ok" if answers else "empty", "triples": store.triple_count()},
        headers={"Cache-Control": "no-store"},
    )


@get_and_head(router, "/version", summary="Software and dataset versions")
def version(store: StoreDep) -> JSONResponse:
    return JSONResponse(
        {
            "software": package_version(),
            "dataset": store.version,
            "last_modified": store.last_modified.isoformat(),
            "triples": store.triple_count(),
        },
        headers={"Cache-Control": "no-store"},
    )
