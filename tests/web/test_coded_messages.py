"""Messages as codes through the real application: the API's problem JSON gives each refusal's
code and parameters beside its words (and each field's), the pages word them, and the
one-time notice after a form travels in its cookie as a code, worded when the next page
shows it."""

from __future__ import annotations

import base64
import json

from mentorship.access.roles import Role
from mentorship.web.render import FLASH_COOKIE
from tests.conftest import create_account, sign_in
from tests.roster.conftest import roster


async def test_a_refusal_answers_with_its_code_and_params_beside_its_words(admin_client):
    response = await admin_client.get("/api/v1/sites/999")
    assert response.status_code == 404
    body = response.json()
    assert body["detail"] == "no site with id 999"
    assert (body["code"], body["params"]) == ("district.no_site", {"site_id": 999})


async def test_each_field_refused_has_its_code_beside_its_words(admin_client):
    response = await admin_client.post(
        "/api/v1/accounts", json={"email": "not-an-email", "display_name": "X"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == {"email": "is not an email address (expected name@example.org)"}
    assert body["error_codes"] == {"email": {"code": "accounts.not_email", "params": {}}}
    assert (body["code"], body["detail"]) == ("lib.fields", "email: " + body["errors"]["email"])


async def test_a_refusal_built_from_another_carries_it_as_a_nested_code(admin_client):
    me = (await admin_client.get("/api/v1/me")).json()["account_id"]
    response = await admin_client.post(f"/api/v1/accounts/{me}/deactivate")
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["code"] == "accounts.last_admin"
    assert body["params"] == {"doing": {"code": "accounts.doing.deactivate", "params": {}}}
    assert body["detail"].startswith("cannot deactivate the last active admin account")


async def test_sign_in_access_and_agreement_refusals_are_coded(client, admin_client):
    wrong = await client.post(
        "/api/v1/auth/login", json={"email": "admin@example.org", "password": "not it at all"}
    )
    assert (wrong.status_code, wrong.json()["code"]) == (401, "auth.invalid_credentials")
    assert wrong.json()["detail"] == "The email or password is not right."

    missing = await admin_client.get("/api/v1/agreement/versions/99")
    assert missing.status_code == 404
    assert (missing.json()["code"], missing.json()["params"]) == (
        "agreement.no_version",
        {"version": 99},
    )


async def test_a_role_refusal_and_a_body_the_schema_refuses_are_coded(make_client, admin_client):
    await create_account("eve@example.org", Role.EMPLOYEE)
    async with make_client() as eve:
        await sign_in(eve, "eve@example.org")
        refused = await eve.get("/api/v1/accounts")
    assert refused.status_code == 403
    assert (refused.json()["code"], refused.json()["detail"]) == (
        "access.no_role",
        "Your account does not have access to this.",
    )

    bad = await admin_client.post("/api/v1/sites", json={"code": 5})
    assert bad.status_code == 422
    assert bad.json()["code"] == "lib.invalid_request"
    assert {item["code"] for item in bad.json()["error_codes"].values()} == {"lib.invalid_value"}


async def test_a_rejected_roster_gives_each_line_its_problems_as_codes(admin_client):
    content = roster("not-an-email,Ann,,,,,")
    response = await admin_client.post(
        "/api/v1/roster/import", files={"file": ("roster.csv", content, "text/csv")}
    )
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["params"]) == ("roster.rejected", {"count": 1})
    line = body["error_codes"]["line 2"]
    assert line["code"] == "roster.line_problems"
    assert line["params"]["problems"] == [
        {"code": "roster.not_email", "params": {"email": "not-an-email"}}
    ]
    assert body["errors"]["line 2"] == (
        "email 'not-an-email' is not an email address (expected name@example.org)"
    )


async def test_a_page_words_a_coded_refusal(admin_client):
    response = await admin_client.get("/admin/job-roles/999")
    assert response.status_code == 404
    assert "no job role with id 999" in response.text


def notice_in(cookie: str) -> dict:
    """The message a notice cookie carries (its signature left aside)."""
    encoded = cookie.rsplit(".", 1)[0]
    return json.loads(base64.urlsafe_b64decode(encoded))


async def test_the_notice_cookie_carries_a_code_and_the_next_page_words_it(admin_client):
    response = await admin_client.post(
        "/admin/skills/", data={"name": "Classroom routines"}, follow_redirects=False
    )
    assert response.status_code == 303
    cookie = response.cookies[FLASH_COOKIE]
    assert notice_in(cookie) == {
        "code": "district.notice.skill_added",
        "params": {"name": "Classroom routines"},
    }
    assert "was added" not in base64.urlsafe_b64decode(cookie.rsplit(".", 1)[0]).decode()
    shown = await admin_client.get(response.headers["location"])
    assert "The skill Classroom routines was added." in shown.text


async def test_a_notice_cookie_that_is_not_ours_is_not_shown(admin_client):
    forged = base64.urlsafe_b64encode(
        json.dumps({"code": "district.notice.skill_saved", "params": {}}).encode()
    ).decode()
    admin_client.cookies.set(FLASH_COOKIE, f"{forged}.{'0' * 32}")
    shown = await admin_client.get("/admin/skills/")
    assert "The skill was saved." not in shown.text
