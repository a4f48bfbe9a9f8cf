"""The shared form page (web/pages.py) through real pages: a refused form comes back (422)
with every message at its field and what was typed kept; an accepted one redirects with a
notice the next page shows."""

from __future__ import annotations

import html
import re

from mentorship.accounts.roles import Role
from tests.conftest import create_account


def field_error(page: str, name: str) -> str:
    """The message shown at input `name`, or '' when there is none."""
    match = re.search(rf'<p class="field-error" id="{name}-error">.*?</span>(.*?)</p>', page, re.S)
    return html.unescape(match.group(1)) if match else ""


def typed(page: str, name: str) -> str:
    """The value the input `name` shows."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return html.unescape(match.group(1)) if match else ""


async def test_a_new_account_shows_every_mistake_at_once_and_keeps_the_input(admin_client):
    response = await admin_client.post(
        "/admin/accounts/new",
        data={"email": "ab", "display_name": "", "roles": "wizard", "password": "secret words"},
    )
    assert response.status_code == 422
    assert field_error(response.text, "email") == "Email address must be at least 3 characters."
    assert field_error(response.text, "display_name") == "Full name is required."
    assert field_error(response.text, "roles") == "Choose one of the options for roles."
    assert typed(response.text, "email") == "ab"
    assert "secret words" not in response.text  # a password is never sent back


async def test_a_taken_email_is_shown_at_its_field(admin_client):
    await create_account("taken@example.org", Role.EMPLOYEE)
    response = await admin_client.post(
        "/admin/accounts/new", data={"email": "taken@example.org", "display_name": "Tia Lee"}
    )
    assert response.status_code == 422
    assert field_error(response.text, "email") == (
        "Another account already uses this email address."
    )
    assert typed(response.text, "display_name") == "Tia Lee"


async def test_an_accepted_account_redirects_with_a_notice(admin_client):
    response = await admin_client.post(
        "/admin/accounts/new",
        data={"email": "new@example.org", "display_name": "Nia New", "roles": "employee"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    shown = await admin_client.get(response.headers["location"])
    assert "The account for Nia New was created." in shown.text


async def test_a_job_role_names_a_badly_shaped_code_and_a_blank_name_together(admin_client):
    response = await admin_client.post("/admin/job-roles/", data={"code": "para sped", "name": ""})
    assert response.status_code == 422
    assert field_error(response.text, "code") == (
        "Short code may use only letters, digits and _ (no spaces), e.g. para_sped."
    )
    assert field_error(response.text, "name") == "Job role name is required."
    assert typed(response.text, "code") == "para sped"


async def test_a_new_site_shows_every_mistake_then_redirects_when_fixed(admin_client):
    refused = await admin_client.post(
        "/admin/sites/new",
        data={"code": "", "name": "", "setting_type": "castle", "region": "North"},
    )
    assert refused.status_code == 422
    assert field_error(refused.text, "code") == "Site code is required."
    assert field_error(refused.text, "name") == "Site name is required."
    assert field_error(refused.text, "setting_type") == (
        "Choose one of the options for kind of program."
    )
    assert typed(refused.text, "region") == "North"
    accepted = await admin_client.post(
        "/admin/sites/new",
        data={
            "code": "LHS-2",
            "name": "Lake High",
            "setting_type": "general_education",
            "region": "North",
        },
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    shown = await admin_client.get(accepted.headers["location"])
    assert "Lake High was added." in shown.text


async def test_a_skill_name_in_use_is_refused_at_its_field_with_the_input_kept(admin_client):
    first = await admin_client.post(
        "/admin/skills/", data={"name": "Classroom routines"}, follow_redirects=False
    )
    assert first.status_code == 303
    again = await admin_client.post(
        "/admin/skills/", data={"name": "classroom ROUTINES", "description": "Same again"}
    )
    assert again.status_code == 422
    assert field_error(again.text, "name")
    assert typed(again.text, "name") == "classroom ROUTINES"


async def test_a_travel_link_names_every_mistake_at_once(admin_client):
    response = await admin_client.post(
        "/admin/sites/links", data={"site_a": "", "site_b": "two", "minutes": "0"}
    )
    assert response.status_code == 422
    assert field_error(response.text, "site_a") == "Choose the site the link starts from."
    assert field_error(response.text, "site_b") == "To site must be a whole number."
    assert field_error(response.text, "minutes").startswith("Travel minutes must be")
