"""The first event wired end to end: an employee files a self-request through the API; the
employee (a receipt) and every active coordinator get a notice and a mail at the SMTP server,
and no mail, subject or header carries the request's description. Also the notices API, the
bell, the notices page and the preferences (page and API)."""

from __future__ import annotations

import re

import pytest

from mentorship.access.roles import Role
from mentorship.accounts import services as accounts
from mentorship.notices import outbox
from tests.conftest import create_account, sign_in

pytestmark = pytest.mark.db

MARKER = "CONFIDENTIAL-MARKER-7f3a"
NOTIFICATIONS = "/api/v1/me/notifications"
PREFERENCES = "/api/v1/me/notification-preferences"


async def _signed_in(make_client, email: str, *roles: Role, name: str | None = None):
    account = await create_account(email, *roles, name=name)
    client = make_client()
    await client.__aenter__()
    await sign_in(client, email)
    return account, client


async def _file_request(client) -> dict:
    skills = (await client.get("/api/v1/skills")).json()
    body = {
        "needed_skills": [{"skill_id": skills[0]["id"], "priority": 2}],
        "urgency": "urgent",
        "description": f"I am struggling at home {MARKER} and need help.",
    }
    response = await client.post("/api/v1/requests", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_self_request_tells_the_employee_and_each_coordinator_without_its_content(
    mailbox, make_client
):
    admin = await create_account("admin@example.org", Role.ADMIN)
    _, ana_client = await _signed_in(make_client, "ana@example.org", name="Ana Lopez")
    _, cora_client = await _signed_in(make_client, "cora@example.org", Role.COORDINATOR)
    await create_account("cole@example.org", Role.COORDINATOR)
    gone = await create_account("gone@example.org", Role.COORDINATOR)
    await accounts.deactivate(gone.id, actor_id=admin.id)
    await create_account("mo@example.org", Role.MENTOR)
    try:
        filed = await _file_request(ana_client)
        assert await outbox.deliver_due() == {"sent": 3}

        assert sorted(m["To"] for m in mailbox.received) == [
            "ana@example.org",
            "cole@example.org",
            "cora@example.org",
        ]
        (receipt,) = mailbox.to("ana@example.org")
        assert receipt["Subject"] == "We received your request for peer assistance"
        text = receipt.get_body(("plain",)).get_content()
        assert f"(request {filed['id']})" in text
        assert "What happens next" in text
        for address in ("cora@example.org", "cole@example.org"):
            (told,) = mailbox.to(address)
            assert told["Subject"] == f"New request for peer assistance ({filed['id']})"
            body = told.get_body(("plain",)).get_content()
            assert "Ana Lopez asked for peer assistance" in body
            assert "urgency: urgent" in body
        # Nothing of what the request says, anywhere in any mail: headers, both parts.
        for raw in mailbox.raw:
            assert MARKER.encode() not in raw
            assert b"struggling" not in raw

        # In the app: the employee's receipt and the coordinator's notice, unread.
        mine = (await ana_client.get(NOTIFICATIONS)).json()
        assert mine["unread"] == 1
        assert [n["kind"] for n in mine["items"]] == ["request_filed.receipt"]
        theirs = await cora_client.get(NOTIFICATIONS)
        assert [n["link"] for n in theirs.json()["items"]] == ["/queue"]
        assert MARKER not in theirs.text
    finally:
        for client in (cora_client, ana_client):
            await client.__aexit__(None, None, None)


async def test_a_refused_filing_tells_nobody(mailbox, make_client):
    await create_account("cora@example.org", Role.COORDINATOR)
    _, ana_client = await _signed_in(make_client, "ana@example.org")
    try:
        await _file_request(ana_client)
        skills = (await ana_client.get("/api/v1/skills")).json()
        second = await ana_client.post(
            "/api/v1/requests",
            json={"needed_skills": [{"skill_id": skills[0]["id"]}], "description": "Again"},
        )
        assert second.status_code == 409
        assert await outbox.deliver_due() == {"sent": 2}
    finally:
        await ana_client.__aexit__(None, None, None)


async def test_the_bell_the_notices_page_and_opening_a_notice(mailbox, make_client):
    await create_account("cora@example.org", Role.COORDINATOR)
    _, client = await _signed_in(make_client, "ana@example.org")
    try:
        home = await client.get("/")
        assert 'hx-get="/notices/bell"' in home.text
        assert "unread" not in (await client.get("/notices/bell")).text
        await _file_request(client)
        bell = await client.get("/notices/bell")
        assert bell.text.strip() == '<span class="count"> (1 unread)</span>'
        page = await client.get("/notices")
        assert "We received your request for peer assistance" in page.text
        assert MARKER not in page.text
        notice_id = int(re.search(r'action="/notices/(\d+)/open"', page.text).group(1))
        opened = await client.post(f"/notices/{notice_id}/open", follow_redirects=False)
        assert (opened.status_code, opened.headers["location"]) == (303, "/requests")
        assert "unread" not in (await client.get("/notices/bell")).text
        read = await client.post(f"{NOTIFICATIONS}/{notice_id}/read")
        assert (read.status_code, read.json()) == (200, {"link": "/requests"})
        # Someone else's notice does not exist for me.
        assert (await client.post(f"{NOTIFICATIONS}/{notice_id + 1}/read")).status_code == 404
    finally:
        await client.__aexit__(None, None, None)


async def test_preferences_over_the_api_and_the_page(make_client):
    _, client = await _signed_in(make_client, "ana@example.org")
    try:
        listed = (await client.get(PREFERENCES)).json()
        assert {p["category"]: p["delivery"] for p in listed}["requests"] == "immediate"
        assert {p["category"]: p["fixed"] for p in listed}["account"] is True
        changed = await client.put(PREFERENCES, json={"categories": {"requests": "digest"}})
        assert changed.status_code == 200, changed.text
        assert {p["category"]: p["delivery"] for p in changed.json()}["requests"] == "digest"
        for body, field in (
            ({"categories": {"gossip": "off"}}, "categories.gossip"),
            ({"categories": {"account": "off"}}, "categories.account"),
        ):
            refused = await client.put(PREFERENCES, json=body)
            assert refused.status_code == 422, refused.text
            assert field in refused.text
        assert (
            await client.put(PREFERENCES, json={"categories": {"requests": "hourly"}})
        ).status_code == 422
        assert (await client.put(PREFERENCES, json={"requests": "off"})).status_code == 422

        form = await client.get("/notices/preferences")
        assert form.status_code == 200
        saved = await client.post(
            "/notices/preferences",
            data={
                "requests": "off",
                "meetings": "digest",
                "_csrf_token": client.headers["x-csrftoken"],
            },
            follow_redirects=False,
        )
        assert saved.status_code == 303, saved.text
        now = {p["category"]: p["delivery"] for p in (await client.get(PREFERENCES)).json()}
        assert (now["requests"], now["meetings"], now["cases"]) == ("off", "digest", "immediate")
        refused = await client.post(
            "/notices/preferences",
            data={"requests": "hourly", "_csrf_token": client.headers["x-csrftoken"]},
        )
        assert refused.status_code == 422
        assert '<a href="#requests">Requests and referrals must be one of the choices.</a>' in (
            refused.text
        )
    finally:
        await client.__aexit__(None, None, None)
