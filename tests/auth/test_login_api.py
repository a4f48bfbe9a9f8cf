"""Sign-in over the JSON API: credentials, throttling, sessions, CSRF, logs."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from argon2 import PasswordHasher
from litestar.testing import AsyncTestClient

from mentorship.access.roles import Role
from mentorship.accounts.passwords import PasswordHashing, configure_hashing, get_hashing
from mentorship.accounts.tables import Account
from mentorship.app import create_app
from mentorship.auth.services import INVALID_CREDENTIALS, hash_token
from mentorship.auth.tables import SignInSession
from tests.conftest import BASE_URL, PASSWORD, create_account, sign_in

LOGIN = "/api/v1/auth/login"


def session_cookie(response, settings) -> str:  # type: ignore[no-untyped-def]
    """The session token the response set."""
    return response.cookies.get(settings.session_cookie_name, "")


async def test_login_sets_a_hardened_session_cookie(client, settings):
    await create_account("ana@example.org", Role.EMPLOYEE, Role.MENTOR)
    response = await client.post(LOGIN, json={"email": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["me"]["email"] == "ana@example.org"
    assert body["me"]["roles"] == ["employee", "mentor"]
    assert body["csrf_token"]
    header = next(
        h
        for h in response.headers.get_list("set-cookie")
        if h.startswith(settings.session_cookie_name + "=")
    )
    lowered = header.lower()
    assert "httponly" in lowered
    assert "samesite=lax" in lowered
    assert "path=/" in lowered
    assert "secure" not in lowered  # not configured in development


async def test_email_is_matched_ignoring_case(client):
    await create_account("Ana.Lopez@Example.org")
    response = await client.post(
        LOGIN, json={"email": "  ana.lopez@EXAMPLE.ORG ", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["me"]["email"] == "Ana.Lopez@Example.org"


async def test_wrong_password_and_unknown_account_get_the_same_answer(client):
    await create_account("ana@example.org")
    wrong = await client.post(
        LOGIN, json={"email": "ana@example.org", "password": "not the password!"}
    )
    unknown = await client.post(LOGIN, json={"email": "nobody@example.org", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"] == INVALID_CREDENTIALS
    assert wrong.json()["title"] == unknown.json()["title"]
    assert not wrong.cookies.get("mentorship_session")


async def test_failure_paths_do_the_same_hashing_work(client, monkeypatch):
    """Timing equalisation: an unknown or deactivated account still costs one argon2 verify."""
    account = await create_account("ana@example.org")
    await create_account("gone@example.org", password=None)
    hashing = get_hashing()
    calls: list[str] = []
    original = hashing._verify_sync

    def counting_verify(stored_hash: str, password: str) -> bool:
        calls.append(stored_hash)
        return original(stored_hash, password)

    monkeypatch.setattr(hashing, "_verify_sync", counting_verify)
    for email in ("ana@example.org", "nobody@example.org", "gone@example.org"):
        calls.clear()
        await client.post(LOGIN, json={"email": email, "password": "a wrong password"})
        assert len(calls) == 1, email
        assert calls[0].startswith("$argon2id$")
    await Account.update({Account.active: False}).where(Account.id == account.id)
    calls.clear()
    response = await client.post(LOGIN, json={"email": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 401
    assert response.json()["detail"] == INVALID_CREDENTIALS
    assert len(calls) == 1


async def test_login_needs_json(client):
    await create_account("ana@example.org")
    response = await client.post(
        LOGIN,
        content=b'{"email": "ana@example.org", "password": "x"}',
        headers={"content-type": "text/plain"},
    )
    assert response.status_code == 415


async def test_malformed_login_body_is_a_422_naming_the_field(client):
    response = await client.post(LOGIN, json={"email": "ana@example.org"})
    assert response.status_code == 422
    body = response.json()
    assert "password" in str(body["errors"])


async def test_repeated_failures_lock_the_account_then_the_lock_expires(
    client, settings, frozen_clock
):
    await create_account("ana@example.org")
    bad = {"email": "ana@example.org", "password": "wrong wrong wrong"}
    for _ in range(settings.login_max_failures_per_account):
        assert (await client.post(LOGIN, json=bad)).status_code == 401
    locked = await client.post(LOGIN, json={"email": "ana@example.org", "password": PASSWORD})
    assert locked.status_code == 429
    retry_after = int(locked.headers["retry-after"])
    assert 0 < retry_after <= settings.login_lockout_minutes * 60
    assert "wait" in locked.json()["detail"]
    # Unknown accounts lock the same way, so a lock reveals nothing about existence.
    for _ in range(settings.login_max_failures_per_account):
        await client.post(LOGIN, json={"email": "ghost@example.org", "password": "wrong wrong"})
    ghost = await client.post(LOGIN, json={"email": "ghost@example.org", "password": "x" * 12})
    assert ghost.status_code == 429

    frozen_clock.advance(seconds=retry_after + 1)
    ok = await client.post(LOGIN, json={"email": "ana@example.org", "password": PASSWORD})
    assert ok.status_code == 200


async def test_failures_outside_the_window_do_not_add_up(client, settings, frozen_clock):
    await create_account("ana@example.org")
    bad = {"email": "ana@example.org", "password": "wrong wrong wrong"}
    for _ in range(settings.login_max_failures_per_account - 1):
        await client.post(LOGIN, json=bad)
    frozen_clock.advance(minutes=settings.login_failure_window_minutes + 1)
    assert (await client.post(LOGIN, json=bad)).status_code == 401
    ok = await client.post(LOGIN, json={"email": "ana@example.org", "password": PASSWORD})
    assert ok.status_code == 200


@pytest.mark.db
async def test_many_failures_from_one_address_are_throttled(app, settings):
    limited = replace(settings, login_max_failures_per_address=3, login_max_failures_per_account=50)
    async with AsyncTestClient(create_app(limited), base_url=BASE_URL) as client:
        await create_account("ana@example.org")
        for n in range(3):
            bad = {"email": f"guess{n}@example.org", "password": "wrong wrong wrong"}
            assert (await client.post(LOGIN, json=bad)).status_code == 401
        response = await client.post(LOGIN, json={"email": "ana@example.org", "password": PASSWORD})
        assert response.status_code == 429
        assert int(response.headers["retry-after"]) > 0


async def test_a_planted_unknown_session_id_is_ignored_and_replaced(client, settings):
    """Session fixation: an id the server never issued must not become the session."""
    await create_account("ana@example.org")
    planted = "attacker-chosen-session-id-0123456789"
    client.cookies.set(settings.session_cookie_name, planted)
    assert (await client.get("/api/v1/me")).status_code == 401
    response = await client.post(LOGIN, json={"email": "ana@example.org", "password": PASSWORD})
    issued = session_cookie(response, settings)
    assert issued and issued != planted
    assert not await SignInSession.exists().where(SignInSession.token_hash == hash_token(planted))
    # The planted id is still worthless after sign-in.
    async with AsyncTestClient(client.app, base_url=BASE_URL) as attacker:
        attacker.cookies.set(settings.session_cookie_name, planted)
        assert (await attacker.get("/api/v1/me")).status_code == 401


async def test_each_sign_in_rotates_the_session_id(client, settings):
    await create_account("ana@example.org")
    first = session_cookie(
        await client.post(LOGIN, json={"email": "ana@example.org", "password": PASSWORD}), settings
    )
    second = session_cookie(
        await client.post(LOGIN, json={"email": "ana@example.org", "password": PASSWORD}), settings
    )
    assert first and second and first != second
    stored = await SignInSession.select(SignInSession.token_hash)
    assert {row["token_hash"] for row in stored} == {hash_token(first), hash_token(second)}
    assert first not in str(stored)  # only hashes are stored


async def test_me_describes_the_session(client):
    await create_account("ana@example.org", Role.SUPERVISOR)
    await sign_in(client, "ana@example.org")
    me = (await client.get("/api/v1/me")).json()
    assert me["email"] == "ana@example.org"
    assert me["roles"] == ["supervisor"]
    assert (
        me["session"]["created_at"]
        < me["session"]["idle_expires_at"]
        <= me["session"]["expires_at"]
    )


async def test_idle_sessions_expire(client, settings, frozen_clock):
    await create_account("ana@example.org")
    await sign_in(client, "ana@example.org")
    frozen_clock.advance(minutes=settings.session_idle_minutes - 1)
    assert (await client.get("/api/v1/me")).status_code == 200
    frozen_clock.advance(minutes=settings.session_idle_minutes - 1)
    assert (await client.get("/api/v1/me")).status_code == 200  # activity kept it alive
    frozen_clock.advance(minutes=settings.session_idle_minutes + 1)
    assert (await client.get("/api/v1/me")).status_code == 401
    assert await SignInSession.count() == 0


async def test_sessions_end_at_the_absolute_timeout_however_active(client, settings, frozen_clock):
    await create_account("ana@example.org")
    await sign_in(client, "ana@example.org")
    step = max(1, settings.session_idle_minutes // 2)
    elapsed = 0
    while elapsed + step < settings.session_absolute_hours * 60:
        frozen_clock.advance(minutes=step)
        elapsed += step
        assert (await client.get("/api/v1/me")).status_code == 200
    frozen_clock.advance(minutes=step)
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_logout_destroys_the_session_server_side(client, settings):
    await create_account("ana@example.org")
    response = await client.post(LOGIN, json={"email": "ana@example.org", "password": PASSWORD})
    token = session_cookie(response, settings)
    client.headers["x-csrftoken"] = response.json()["csrf_token"]
    out = await client.post("/api/v1/auth/logout")
    assert out.status_code == 204
    assert await SignInSession.count() == 0
    # Replaying the old cookie does not bring the session back.
    async with AsyncTestClient(client.app, base_url=BASE_URL) as replay:
        replay.cookies.set(settings.session_cookie_name, token)
        assert (await replay.get("/api/v1/me")).status_code == 401


async def test_unsafe_requests_without_the_csrf_token_are_refused(client):
    await create_account("ana@example.org")
    await sign_in(client, "ana@example.org")
    token = client.headers.pop("x-csrftoken")
    refused = await client.post("/api/v1/auth/logout")
    assert refused.status_code == 403
    assert "security token" in refused.json()["detail"]
    forged = await client.post("/api/v1/auth/logout", headers={"x-csrftoken": "f" * 128})
    assert forged.status_code == 403
    assert (await client.get("/api/v1/me")).status_code == 200  # still signed in
    accepted = await client.post("/api/v1/auth/logout", headers={"x-csrftoken": token})
    assert accepted.status_code == 204


@pytest.mark.db
async def test_secure_cookies_use_the_host_prefix_when_configured(settings):
    secure = replace(settings, cookie_secure=True)
    async with AsyncTestClient(create_app(secure), base_url="https://testserver.local") as client:
        await create_account("ana@example.org")
        response = await client.post(LOGIN, json={"email": "ana@example.org", "password": PASSWORD})
        assert response.status_code == 200
        cookies = response.headers.get_list("set-cookie")
        session = next(c for c in cookies if c.startswith("__Host-mentorship_session="))
        assert "secure" in session.lower() and "httponly" in session.lower()
        assert any(c.startswith("__Host-csrftoken=") and "secure" in c.lower() for c in cookies)
        assert response.headers["strict-transport-security"].startswith("max-age=")
        client.headers["x-csrftoken"] = response.json()["csrf_token"]
        assert (await client.get("/api/v1/me")).status_code == 200


async def test_login_rehashes_when_parameters_change(client):
    old = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    new = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    configure_hashing(PasswordHashing(hasher=old))
    account = await create_account("ana@example.org")
    before = await Account.select(Account.password_hash).where(Account.id == account.id).first()
    assert "m=1024,t=1,p=1" in before["password_hash"]
    configure_hashing(PasswordHashing(hasher=new))
    await sign_in(client, "ana@example.org")
    after = await Account.select(Account.password_hash).where(Account.id == account.id).first()
    assert "m=2048,t=2,p=1" in after["password_hash"]
    assert new.verify(after["password_hash"], PASSWORD)
    # And the new hash keeps working.
    client.cookies.clear()
    await sign_in(client, "ana@example.org")


async def test_no_secret_reaches_a_response_or_a_log(client, settings, caplog):
    caplog.set_level(logging.DEBUG)
    await create_account("ana@example.org", Role.ADMIN)
    login = await client.post(LOGIN, json={"email": "ana@example.org", "password": PASSWORD})
    token = session_cookie(login, settings)
    client.headers["x-csrftoken"] = login.json()["csrf_token"]
    await client.post(LOGIN, json={"email": "ana@example.org", "password": "wrong password here"})
    bodies = [login.text]
    for path in (
        "/api/v1/me",
        "/api/v1/accounts",
        f"/api/v1/accounts/{login.json()['me']['account_id']}",
    ):
        response = await client.get(path)
        assert response.status_code == 200
        bodies.append(response.text)
    stored = await Account.select(Account.password_hash).first()
    secrets = [PASSWORD, "wrong password here", token, stored["password_hash"], "$argon2"]
    logs = "\n".join(record.getMessage() for record in caplog.records)
    assert "sign-in succeeded" in logs and "sign-in failed" in logs
    for secret in secrets:
        assert secret not in logs
        for body in bodies:
            assert secret not in body
