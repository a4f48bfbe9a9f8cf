"""The shared form page (web/pages.py) through real pages: a refused form comes back (422)
with every message at its field and what was typed kept; an accepted one redirects with a
notice the next page shows."""

from __future__ import annotations

import html
import re

import pytest

from mentorship.access.roles import Role
from tests.conftest import create_account, sign_in


def field_error(page: str, name: str) -> str:
    """The message shown at input `name`, or '' when there is none."""
    match = re.search(rf'<p class="field-error" id="{name}-error">.*?</span>(.*?)</p>', page, re.S)
    return html.unescape(match.group(1)) if match else ""


def typed(page: str, name: str) -> str:
    """The value the input `name` shows."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return html.unescape(match.group(1)) if match else ""


REFUSED_FORMS = [
    (
        "/admin/accounts/new",
        {"email": "ab", "display_name": "", "roles": "wizard", "password": "secret words"},
        {
            "email": "Email address must be at least 3 characters.",
            "display_name": "Full name is required.",
            "roles": "Choose one of the options for roles.",
        },
        {"email": "ab"},
    ),
    (
        "/admin/job-roles/",
        {"code": "para sped", "name": ""},
        {
            "code": "Short code may use only letters, digits and _ (no spaces), e.g. para_sped.",
            "name": "Job role name is required.",
        },
        {"code": "para sped"},
    ),
    (
        "/admin/sites/new",
        {"code": "", "name": "", "setting_type": "castle", "region": "North"},
        {
            "code": "Site code is required.",
            "name": "Site name is required.",
            "setting_type": "Choose one of the options for kind of program.",
        },
        {"region": "North"},
    ),
    (
        "/admin/sites/links",
        {"site_a": "", "site_b": "two", "minutes": "0"},
        {
            "site_a": "Choose the site the link starts from.",
            "site_b": "To site must be a whole number.",
            "minutes": "Travel minutes must be 1 or more.",
        },
        {"minutes": "0"},
    ),
]


@pytest.mark.parametrize(("path", "sent", "messages", "kept"), REFUSED_FORMS)
async def test_a_refused_form_shows_every_message_at_its_field_and_keeps_the_input(
    admin_client, path, sent, messages, kept
):
    response = await admin_client.post(path, data=sent)
    assert response.status_code == 422
    assert {name: field_error(response.text, name) for name in messages} == messages
    assert {name: typed(response.text, name) for name in kept} == kept
    assert "secret words" not in response.text  # a password is never sent back


ACCEPTED_FORMS = [
    (
        "/admin/accounts/new",
        {"email": "new@example.org", "display_name": "Nia New", "roles": "employee"},
        "The account for Nia New was created.",
    ),
    (
        "/admin/sites/new",
        {"code": "LHS-2", "name": "Lake High", "setting_type": "general_education", "region": "N"},
        "Lake High was added.",
    ),
    ("/admin/job-roles/", {"code": "para_sped", "name": "Paraeducator"}, "was added."),
]


@pytest.mark.parametrize(("path", "sent", "notice"), ACCEPTED_FORMS)
async def test_an_accepted_form_redirects_with_a_notice(admin_client, path, sent, notice):
    response = await admin_client.post(path, data=sent, follow_redirects=False)
    assert response.status_code == 303
    shown = await admin_client.get(response.headers["location"])
    assert notice in shown.text


CLASHES = [
    (
        "/admin/accounts/new",
        {"email": "taken@example.org", "display_name": "Tia"},
        {"email": "taken@example.org", "display_name": "Tia Lee"},
        ("email", "Another account already uses this email address."),
        ("display_name", "Tia Lee"),
    ),
    (
        "/admin/skills/",
        {"name": "Classroom routines"},
        {"name": "classroom ROUTINES", "description": "Same again"},
        ("name", "The skill 'Classroom routines' already exists."),
        ("name", "classroom ROUTINES"),
    ),
]


@pytest.mark.parametrize(("path", "first", "again", "message", "kept"), CLASHES)
async def test_a_clash_with_stored_data_is_shown_at_its_field_with_the_input_kept(
    admin_client, path, first, again, message, kept
):
    assert (await admin_client.post(path, data=first, follow_redirects=False)).status_code == 303
    response = await admin_client.post(path, data=again)
    assert response.status_code == 422
    assert field_error(response.text, message[0]) == message[1]
    assert typed(response.text, kept[0]) == kept[1]


async def test_the_ask_for_help_form_names_every_mistake_at_once(client):
    await create_account("eve@example.org", Role.EMPLOYEE)
    await sign_in(client, "eve@example.org")
    response = await client.post(
        "/requests/new", data={"description": "Routines.", "urgency": "whenever"}
    )
    assert response.status_code == 422
    assert field_error(response.text, "needed_skills") == (
        "Choose at least one thing you would like help with."
    )
    assert field_error(response.text, "urgency") == "Choose one of the options for how soon."
    assert "Routines." in response.text
