"""The menu for each role: every link it offers opens an accessible page that fits a phone,
every page of another role answers "Not allowed", a form without its security token is
refused, and the home page lists what waits for the person."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from mentorship.access.roles import Role
from mentorship.domains import MENU
from tests.browser.helpers import (
    Account,
    Demo,
    LiveServer,
    assert_no_horizontal_scroll,
    axe,
    screenshot,
    sign_in,
    sign_in_as,
)

ROLE_ACCOUNTS = ["employee", "supervisor", "mentor", "coordinator", "admin"]
ALL_LINKS = [item.href for item in MENU.links]


def menu_links(account: Account) -> list[str]:
    """The links the menu should offer this person (the pure navigation's answer)."""
    return [item.href for section in MENU.sections(account.roles) for item in section.items]


@pytest.mark.parametrize("who", ROLE_ACCOUNTS)
async def test_every_menu_link_opens_an_accessible_page(new_page, demo: Demo, who: str):
    account: Account = getattr(demo, who)
    page: Page = await new_page("desktop")
    await sign_in_as(page, account)
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {account.name}")
    menu = page.get_by_role("navigation", name="Main menu", exact=True)
    shown = [await link.get_attribute("href") for link in await menu.get_by_role("link").all()]
    assert shown == ["/", *menu_links(account)]
    await axe(page)
    await screenshot(page, f"{who}-home")

    for href in menu_links(account):
        await menu.locator(f'a[href="{href}"]').click()
        await expect(page).to_have_url(re.compile(re.escape(href) + r"$"))
        await expect(page.locator(f'.menu-desktop a[href="{href}"]')).to_have_attribute(
            "aria-current", "page"
        )
        await expect(page.get_by_role("heading", level=1)).to_have_count(1)
        assert "Not allowed" not in await page.title(), f"{who} was refused {href}"
        await axe(page)


@pytest.mark.parametrize("who", ROLE_ACCOUNTS)
async def test_every_menu_page_fits_a_phone(new_page, demo: Demo, who: str):
    account: Account = getattr(demo, who)
    page: Page = await new_page("phone")
    await sign_in_as(page, account)
    await assert_no_horizontal_scroll(page)
    # On a phone the menu is folded away behind one button.
    await expect(page.get_by_role("navigation", name="Main menu", exact=True)).to_be_hidden()
    await page.get_by_text("Menu", exact=True).click()
    phone_menu = page.get_by_role("navigation", name="Main menu (small screen)")
    await expect(phone_menu).to_be_visible()
    await axe(page)
    for href in menu_links(account):
        response = await page.goto(href)
        assert response is not None and response.status == 200, href
        await assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("who", ROLE_ACCOUNTS)
async def test_pages_of_other_roles_answer_not_allowed(new_page, demo: Demo, who: str):
    account: Account = getattr(demo, who)
    page: Page = await new_page("desktop")
    await sign_in_as(page, account)
    forbidden = [href for href in ALL_LINKS if href not in menu_links(account)]
    assert forbidden, f"{who} can open every page"
    for href in forbidden:
        response = await page.goto(href)
        assert response is not None and response.status == 403, f"{who} opened {href}"
        await expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
        await expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()
    await axe(page)
    await screenshot(page, f"{who}-not-allowed")


async def test_a_signed_out_visitor_is_sent_to_sign_in_and_then_on(page: Page, demo: Demo):
    await page.goto("/requests")
    await expect(page).to_have_url(re.compile(r"/login\?next=/requests$"))
    await sign_in(page, demo.employee.email, demo.employee.password)
    await expect(page).to_have_url(re.compile(r"/requests$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("My requests")


async def test_an_unknown_address_answers_not_found(page: Page, demo: Demo):
    await sign_in_as(page, demo.employee)
    response = await page.goto("/no/such/page")
    assert response is not None and response.status == 404
    await expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    await axe(page)


async def test_a_form_without_its_security_token_is_refused(page: Page, live_server: LiveServer):
    person = await live_server.create_user()
    await sign_in(page, person.email, person.password)
    # As a forged cross-site form would arrive: same fields, no token.
    await page.locator('form[action="/logout"] input[name="_csrf_token"]').first.evaluate(
        "input => input.remove()"
    )
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Form expired")
    await expect(page.get_by_text("security token was missing or wrong")).to_be_visible()
    await axe(page)
    await screenshot(page, "csrf-refused")
    # Nothing happened: still signed in.
    await page.goto("/")
    await expect(page.get_by_text(f"Signed in as {person.name}")).to_be_visible()


async def test_home_lists_what_waits_for_the_coordinator(
    page: Page, live_server: LiveServer, demo: Demo
):
    # A request of this test's own waits for matching, whatever other tests did to the demo.
    asker = await live_server.create_user(Role.EMPLOYEE)
    admin = await live_server.admin()
    found = (await admin.get("/api/v1/accounts", params={"search": asker.email})).json()
    site = (await admin.get("/api/v1/sites")).json()[0]["id"]
    await admin.patch(f"/api/v1/employees/{found['items'][0]['id']}", json={"site_id": site})
    client = await live_server.api_client(asker)
    skill = (await client.get("/api/v1/skills")).json()[0]["id"]
    filed = await client.post(
        "/api/v1/requests",
        json={"needed_skills": [{"skill_id": skill}], "description": "Help with routines."},
    )
    assert filed.status_code == 201, filed.text

    await sign_in_as(page, demo.coordinator)
    coordination = page.get_by_role("region", name="Coordinator")
    waiting = coordination.get_by_role("listitem").filter(has_text="for matching")
    await expect(waiting).to_contain_text(re.compile(r"\d+ requests? waits? for matching"))
    await waiting.get_by_role("link", name="See the request queue").click()
    await expect(page).to_have_url(re.compile(r"/queue$"))
    await expect(page.get_by_role("main")).to_contain_text(asker.name)


async def test_the_privacy_page_needs_no_sign_in(page: Page, live_server: LiveServer):
    await page.goto("/login")
    await page.get_by_role("link", name="Who can see what").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Who can see what")
    await expect(page.get_by_text("can be read only by the mentor who wrote them")).to_be_visible()
    await axe(page)


async def test_a_person_without_any_role_is_told_so(page: Page, live_server: LiveServer):
    person = await live_server.create_user(Role.EMPLOYEE)
    admin = await live_server.admin()
    listing = await admin.get("/api/v1/accounts", params={"search": person.email})
    account_id = next(a["id"] for a in listing.json()["items"] if a["email"] == person.email)
    response = await admin.delete(f"/api/v1/accounts/{account_id}/roles/employee")
    assert response.status_code in (200, 204), response.text
    await sign_in(page, person.email, person.password)
    await expect(page.get_by_text("Your account has no role in the program yet")).to_be_visible()
    await expect(page.get_by_role("navigation", name="Main menu", exact=True)).to_have_count(0)
