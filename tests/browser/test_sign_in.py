"""Signing in and out in a real browser: the sign-in page, its failure and lock-out
messages, and the home page, on a desktop and on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from mentorship.access.roles import Role
from tests.browser.helpers import (
    LiveServer,
    assert_no_horizontal_scroll,
    axe,
    screenshot,
    sign_in,
)

FAILURE = "The email or password is not right."
VIEWPORT_NAMES = ["desktop", "phone"]


@pytest.mark.parametrize("viewport", VIEWPORT_NAMES)
async def test_the_sign_in_page_is_accessible_and_fits_the_screen(new_page, viewport):
    page: Page = await new_page(viewport)
    response = await page.goto("/login")
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    await expect(page).to_have_title("Sign in · Peer assistance program")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    await expect(page.get_by_label("Email address")).to_be_visible()
    await expect(page.get_by_label("Password")).to_be_visible()
    await axe(page)
    await assert_no_horizontal_scroll(page)
    await screenshot(page, "sign-in")


async def test_the_skip_link_is_the_first_stop_for_the_keyboard(page: Page):
    await page.goto("/login")
    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    await expect(skip).to_be_focused()
    await expect(skip).to_be_in_viewport()


@pytest.mark.parametrize("viewport", VIEWPORT_NAMES)
async def test_a_wrong_password_says_so_and_keeps_the_email(new_page, live_server, viewport):
    person = await live_server.create_user()
    page: Page = await new_page(viewport)
    await page.goto("/login")
    await page.get_by_label("Email address").fill(person.email)
    await page.get_by_label("Password").fill("not the password at all")
    await page.get_by_role("button", name="Sign in").click()

    await expect(page.get_by_role("alert")).to_have_text(FAILURE)
    await expect(page.get_by_label("Email address")).to_have_value(person.email)
    await expect(page.get_by_label("Password")).to_have_value("")
    await expect(page).to_have_url(re.compile(r"/login$"))
    await axe(page)
    await assert_no_horizontal_scroll(page)
    await screenshot(page, "sign-in-failed")


@pytest.mark.parametrize("viewport", VIEWPORT_NAMES)
async def test_sign_in_lands_on_home_and_sign_out_ends_the_session(
    new_page, live_server: LiveServer, viewport
):
    person = await live_server.create_user(Role.EMPLOYEE, Role.MENTOR, name="Ana Lopez")
    page: Page = await new_page(viewport)

    # Asking for the home page signed out leads to the sign-in form, then back home.
    await page.goto("/")
    await expect(page).to_have_url(re.compile(r"/login\?next=/$"))
    await page.get_by_label("Email address").fill(person.email.upper())
    await page.get_by_label("Password").fill(person.password)
    await page.get_by_label("Password").press("Enter")  # the keyboard submits the form

    await expect(page).to_have_url(f"{live_server.url}/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Ana Lopez")
    await expect(page.get_by_text("Signed in as Ana Lopez")).to_be_visible()
    # One section per role, each saying what waits there.
    roles = page.get_by_role("main").get_by_role("heading", level=2)
    await expect(roles).to_have_text(["Employee", "Mentor"])
    await axe(page)
    await assert_no_horizontal_scroll(page)
    await screenshot(page, "home")

    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(re.compile(r"/login\?signed_out=1$"))
    await expect(page.get_by_role("status")).to_have_text("You have signed out.")
    await axe(page)
    await screenshot(page, "signed-out")
    await page.goto("/")
    await expect(page).to_have_url(re.compile(r"/login\?next=/$"))


async def test_repeated_failures_lock_the_account_for_a_while(page: Page, live_server: LiveServer):
    person = await live_server.create_user()
    await page.goto("/login")
    for _ in range(int(live_server.setting("LOGIN_MAX_FAILURES_PER_ACCOUNT"))):
        await sign_in(page, person.email, "wrong password, again")
        await expect(page.get_by_role("alert")).to_have_text(FAILURE)

    # Now even the right password is refused until the lock-out ends, and the form says why.
    await sign_in(page, person.email, person.password)
    alert = page.get_by_role("alert")
    await expect(alert).to_contain_text("Too many failed sign-ins")
    await expect(alert).to_contain_text("Please wait")
    await expect(page.get_by_label("Email address")).to_have_value(person.email)
    await expect(page).to_have_url(re.compile(r"/login$"))
    await axe(page)
    await screenshot(page, "sign-in-locked")


async def test_two_people_sign_in_side_by_side(new_page, live_server: LiveServer):
    """Each page from new_page has its own cookies: one person's session is not the other's."""
    ana = await live_server.create_user(Role.COORDINATOR, name="Ana Lopez")
    ben = await live_server.create_user(Role.SUPERVISOR, name="Ben Ortiz")
    ana_page, ben_page = await new_page("desktop"), await new_page("phone")
    await sign_in(ana_page, ana.email, ana.password)
    await sign_in(ben_page, ben.email, ben.password)
    await expect(ana_page.get_by_role("heading", level=1)).to_have_text("Welcome, Ana Lopez")
    await expect(ben_page.get_by_role("heading", level=1)).to_have_text("Welcome, Ben Ortiz")
    await ana_page.reload()
    await expect(ana_page.get_by_role("heading", level=1)).to_have_text("Welcome, Ana Lopez")
