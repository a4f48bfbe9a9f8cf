"""Sign-in and home pages over HTML forms."""

from __future__ import annotations

import re

from mentorship.access.roles import Role
from tests.conftest import PASSWORD, create_account


def csrf_from(html: str) -> str:
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, "the form carries a CSRF token"
    return match.group(1)


async def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = await client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"


async def test_sign_in_through_the_form_and_out_again(client):
    await create_account("ana@example.org", Role.EMPLOYEE, Role.MENTOR, name="Ana Lopez")
    form = await client.get("/login?next=/")
    assert form.status_code == 200
    assert form.headers["content-type"].startswith("text/html")
    assert '<label for="email">' in form.text and '<label for="password">' in form.text
    token = csrf_from(form.text)
    response = await client.post(
        "/login",
        data={"email": "ANA@example.org", "password": PASSWORD, "next": "/", "_csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    home = await client.get("/")
    assert "Welcome, Ana Lopez" in home.text
    assert "Mentor" in home.text and "Employee" in home.text
    out = await client.post(
        "/logout", data={"_csrf_token": csrf_from(home.text)}, follow_redirects=False
    )
    assert out.status_code == 303
    assert (await client.get("/", follow_redirects=False)).status_code == 303


async def test_a_failed_sign_in_shows_the_form_again_with_the_email_kept(client):
    await create_account("ana@example.org")
    token = csrf_from((await client.get("/login")).text)
    response = await client.post(
        "/login",
        data={"email": "ana@example.org", "password": "not it at all", "_csrf_token": token},
    )
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("text/html")
    assert 'value="ana@example.org"' in response.text
    assert "The email or password is not right." in response.text
    assert 'role="alert"' in response.text


async def test_a_password_is_taken_exactly_as_typed(client):
    await create_account("ana@example.org", password="  paper lantern river stone ")
    token = csrf_from((await client.get("/login")).text)
    sent = {"email": "ana@example.org", "_csrf_token": token}
    stripped = await client.post("/login", data={**sent, "password": "paper lantern river stone"})
    assert stripped.status_code == 401
    exact = await client.post(
        "/login", data={**sent, "password": "  paper lantern river stone "}, follow_redirects=False
    )
    assert exact.status_code == 303


async def test_missing_fields_are_marked_on_the_form(client):
    token = csrf_from((await client.get("/login")).text)
    response = await client.post("/login", data={"email": "", "password": "", "_csrf_token": token})
    assert response.status_code == 422
    assert 'aria-describedby="email-error"' in response.text
    assert "Enter your email address." in response.text
    assert "Enter your password." in response.text


async def test_a_form_without_its_csrf_token_is_refused_with_a_page(client):
    await create_account("ana@example.org")
    await client.get("/login")
    response = await client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "security token" in response.text


async def test_sign_in_never_redirects_to_another_site(client):
    await create_account("ana@example.org")
    token = csrf_from((await client.get("/login")).text)
    for target in ("https://evil.example.com/", "//evil.example.com/", "/\\evil.example.com"):
        await client.post("/logout", data={"_csrf_token": token}, follow_redirects=False)
        response = await client.post(
            "/login",
            data={
                "email": "ana@example.org",
                "password": PASSWORD,
                "next": target,
                "_csrf_token": token,
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/"
        token = response.cookies.get("csrftoken") or token


async def test_the_throttle_message_shows_on_the_form(client, settings):
    await create_account("ana@example.org")
    token = csrf_from((await client.get("/login")).text)
    for _ in range(settings.login_max_failures_per_account):
        await client.post(
            "/login",
            data={"email": "ana@example.org", "password": "wrong wrong", "_csrf_token": token},
        )
    response = await client.post(
        "/login", data={"email": "ana@example.org", "password": PASSWORD, "_csrf_token": token}
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text
    assert int(response.headers["retry-after"]) > 0
