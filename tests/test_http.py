"""Cross-cutting HTTP behaviour: headers, health, error mapping, deny-by-default."""

from __future__ import annotations

import pytest
from litestar import get
from litestar.testing import AsyncTestClient

from mentorship.access.guards import ACCESS_KEY, PUBLIC, access
from mentorship.access.roles import Role
from mentorship.app import create_app
from mentorship.lib import db
from mentorship.lib.db import HardenedSQLiteEngine
from mentorship.lib.http import SECURITY_HEADERS
from tests.conftest import BASE_URL, create_account, sign_in


def assert_security_headers(response) -> None:  # type: ignore[no-untyped-def]
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-request-id"]


async def test_every_kind_of_response_carries_security_headers(client):
    await create_account("ana@example.org")
    responses = [
        await client.get("/health"),
        await client.get("/login"),
        await client.get("/api/v1/me"),  # 401 problem
        await client.get("/api/v1/no-such-thing"),  # 404 from the router
        await client.get("/no-such-page"),  # HTML 404
        await client.post("/api/v1/auth/logout"),  # 403 from the CSRF middleware
        await client.get("/api/schema/openapi.json"),
    ]
    for response in responses:
        assert_security_headers(response)
    await sign_in(client, "ana@example.org")
    me = await client.get("/api/v1/me")
    assert_security_headers(me)
    assert me.headers["cache-control"] == "no-store"
    home = await client.get("/")
    assert home.status_code == 200
    assert home.headers["cache-control"] == "no-store"


async def test_static_assets_may_be_cached(client):
    response = await client.get("/static/site.css")
    assert response.status_code == 200
    assert "max-age=3600" in response.headers["cache-control"]
    assert_security_headers(response)


async def test_health_reports_a_reachable_database(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "reachable"}


async def test_health_reports_an_unreachable_database(client, monkeypatch, tmp_path):
    broken = HardenedSQLiteEngine(path=str(tmp_path / "missing-folder" / "x.sqlite"))
    monkeypatch.setattr(db, "get_engine", lambda: broken)
    response = await client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


async def test_api_errors_are_problem_details(client):
    response = await client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 404 and body["title"] == "Not found"
    assert body["request_id"] == response.headers["x-request-id"]


async def test_page_errors_are_html(client):
    response = await client.get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in response.text
    assert response.headers["x-request-id"] in response.text


@pytest.mark.db
async def test_unexpected_errors_never_show_internals(settings):
    @get("/api/v1/explode", opt=access(PUBLIC))
    async def explode() -> None:
        raise RuntimeError("database password is hunter2")

    @get("/explode-page", opt=access(PUBLIC))
    async def explode_page() -> None:
        raise RuntimeError("database password is hunter2")

    app = create_app(settings)
    app.register(explode)
    app.register(explode_page)
    async with AsyncTestClient(app, base_url=BASE_URL) as client:
        for path in ("/api/v1/explode", "/explode-page"):
            response = await client.get(path)
            assert response.status_code == 500
            assert "hunter2" not in response.text
            assert "Traceback" not in response.text
            assert "RuntimeError" not in response.text
            assert "Something went wrong on our side" in response.text


@pytest.mark.db
async def test_a_route_that_declares_no_access_rule_is_refused_to_everyone(settings):
    @get("/api/v1/forgotten")
    async def forgotten() -> str:
        return "should never be served"

    app = create_app(settings)
    app.register(forgotten)
    async with AsyncTestClient(app, base_url=BASE_URL) as client:
        assert (await client.get("/api/v1/forgotten")).status_code == 403
        await create_account("root@example.org", *Role)
        await sign_in(client, "root@example.org")
        response = await client.get("/api/v1/forgotten")
        assert response.status_code == 403
        assert "should never be served" not in response.text


async def test_every_route_of_the_app_declares_who_may_call_it(app, client):
    undeclared = [
        (route.path, handler.handler_name)
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if ACCESS_KEY not in handler.opt and handler.handler_name != "options_handler"
    ]
    assert undeclared == []
    # Litestar adds OPTIONS handlers of its own; with no rule they fall to deny-by-default.
    assert (await client.options("/api/v1/auth/login")).status_code == 403


@pytest.mark.db
async def test_unknown_hosts_are_refused(app):
    async with AsyncTestClient(app, base_url="http://evil.example.com") as client:
        response = await client.get("/health")
        assert response.status_code == 400


async def test_the_openapi_schema_describes_the_api(client):
    schema = (await client.get("/api/schema/openapi.json")).json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "login",
        "logout",
        "me",
        "listAccounts",
        "createAccount",
        "deactivateAccount",
        "health",
    } <= operations
    assert "/login" not in schema["paths"]  # pages are not part of the API


async def test_a_sane_incoming_request_id_is_kept(client):
    response = await client.get("/health", headers={"x-request-id": "lb-1234567890"})
    assert response.headers["x-request-id"] == "lb-1234567890"
    bogus = await client.get("/health", headers={"x-request-id": "<script>"})
    assert bogus.headers["x-request-id"] != "<script>"


def test_host_names_are_compared_without_their_port():
    from mentorship.lib.http import host_allowed

    allowed = ("mentors.district.org", "*.example.org", "::1")
    assert host_allowed("mentors.district.org:8443", allowed)
    assert host_allowed("MENTORS.district.org", allowed)
    assert host_allowed("a.b.example.org", allowed)
    assert host_allowed("[::1]:8000", allowed)
    assert not host_allowed("example.org", allowed)
    assert not host_allowed("mentors.district.org.evil.com", allowed)
    assert not host_allowed("", allowed)
