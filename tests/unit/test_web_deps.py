"""The public base every route rewrites canonical IRIs to."""

from starlette.requests import Request

from publisher.config import Settings
from publisher.web.deps import public_base


def request_for(host: str) -> Request:
    scope = {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "path": "/id/commune/21231",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", host.encode())],
        "server": ("127.0.0.1", 8000),
    }
    return Request(scope)


def test_request_host_when_unset():
    assert public_base(request_for("localhost:9000"), Settings()) == "http://localhost:9000/"


def test_configured_public_base_wins_over_the_host_header():
    settings = Settings(public_base="https://data.example.org/aict")
    assert (
        public_base(request_for("attacker.example"), settings) == "https://data.example.org/aict/"
    )


def test_only_deps_reads_the_application_state():
    """Routes and helpers receive their collaborators from publisher.web.deps (typed
    dependencies a test can override), never by reading app.state themselves."""
    from pathlib import Path

    import publisher.web

    web = Path(publisher.web.__file__).parent
    readers = sorted(
        str(path.relative_to(web))
        for path in web.rglob("*.py")
        if "app.state" in path.read_text(encoding="utf-8")
    )
    # app.py and runtime.py set it up; deps.py is the one reader.
    assert readers == ["app.py", "deps.py", "runtime.py"]


def test_a_route_collaborator_can_be_overridden(tmp_path):
    """FastAPI's dependency_overrides reaches the routes (what typed dependencies are for)."""
    import asyncio

    import httpx

    from publisher.web.app import create_app
    from publisher.web.deps import get_settings

    settings = Settings(data_paths=[tmp_path], public_base="https://one.example/")
    app = create_app(settings)
    other = Settings(data_paths=[tmp_path], public_base="https://other.example/")
    app.dependency_overrides[get_settings] = lambda: other
    (tmp_path / "a.ttl").write_text(
        "<https://w3id.org/aict/id/x> <http://www.w3.org/2000/01/rdf-schema#label> 'x' .\n"
    )

    async def fetch() -> httpx.Response:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                return await client.get("/id/x", headers={"Accept": "text/turtle"})

    response = asyncio.run(fetch())
    assert response.status_code == 200
    assert response.headers["content-location"].startswith("https://other.example/id/x")


def test_the_collaborators_are_given_on_the_event_loop():
    """FastAPI runs a plain-function dependency on its thread pool: one hop per dependency
    and request, a third of the time of a cached page. The getters are coroutines."""
    import inspect
    from typing import get_args

    from publisher.web import deps

    annotated = [
        deps.SettingsDep,
        deps.StoreDep,
        deps.SparqlDep,
        deps.PublicationDep,
        deps.PageCacheDep,
        deps.ValidationExecutorDep,
        deps.ValidationWorkerDep,
    ]
    for dependency in annotated:
        getter = get_args(dependency)[1].dependency
        assert inspect.iscoroutinefunction(getter), getter.__name__
