"""The admin pages in a real browser: accounts (search, create, roles, deactivation, password,
where a person works), sites and travel links, job roles, skills, and publishing an
agreement version; and a person without the admin role being turned away."""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable

from playwright.async_api import Page, expect

from mentorship.access.roles import Role
from tests.browser.helpers import (
    Demo,
    LiveServer,
    assert_no_horizontal_scroll,
    axe,
    screenshot,
    sign_in,
    sign_in_as,
)

NewPage = Callable[..., Awaitable[Page]]


def unique() -> str:
    """A short token so names made here never collide with other tests' (or reruns')."""
    return secrets.token_hex(3).upper()


async def admin_page(new_page: NewPage, demo: Demo, viewport: str = "desktop") -> Page:
    page = await new_page(viewport)
    await sign_in_as(page, demo.admin)
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    return page


async def open_from_menu(page: Page, label: str) -> None:
    """Follow a link in the main menu (the phone menu folds away behind 'Menu')."""
    phone_menu = page.locator("details.menu-phone")
    if await phone_menu.is_visible():
        await phone_menu.locator("summary").click()
        await phone_menu.get_by_role("link", name=label, exact=True).click()
    else:
        menu = page.get_by_role("navigation", name="Main menu", exact=True)
        await menu.get_by_role("link", name=label, exact=True).click()


async def submit(page: Page, button: str | re.Pattern[str], path_end: str) -> int:
    """Press a form's button and return the status of the response to its post."""
    async with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.split("?")[0].endswith(path_end)
    ) as info:
        await page.get_by_role("button", name=button, exact=True).click()
    response = await info.value
    await page.wait_for_load_state()
    return response.status


# --- accounts ------------------------------------------------------------------------------


async def test_accounts_list_search_and_a_new_account_with_errors(new_page: NewPage, demo: Demo):
    page = await admin_page(new_page, demo)
    await open_from_menu(page, "Accounts")
    await expect(page).to_have_url(re.compile(r"/admin/accounts$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Accounts")
    table = page.get_by_role("table")
    await expect(table.get_by_role("columnheader")).to_have_text(
        ["Name", "Email", "Roles", "Status"]
    )
    await axe(page)
    await screenshot(page, "admin-accounts")

    # The demo district has many people: the list is paged, and a search narrows it.
    await page.get_by_role("link", name="Next page").click()
    await expect(page.get_by_text("Page 2 of")).to_be_visible()
    await page.get_by_label("Name or email").fill("whitfield")
    await page.get_by_role("button", name="Show accounts").click()
    await expect(page.get_by_role("heading", name="1 account found")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=demo.admin.email)
    await expect(row).to_contain_text("Dana Whitfield")
    await expect(row).to_contain_text("Admin")
    await expect(row).to_contain_text("Active")
    await page.get_by_label("Status").select_option("inactive")
    await page.get_by_role("button", name="Show accounts").click()
    await expect(page.get_by_text("No account matches this search")).to_be_visible()
    await axe(page)

    # A new account: a bad email, then an email already in use, each said at the field.
    await page.get_by_role("link", name="Clear the search").click()
    await page.get_by_role("link", name="Add an account").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Add an account")
    await axe(page)
    name = f"Avery Test {unique()}"
    await page.get_by_label("Full name").fill(name)
    await page.get_by_label("Email address").fill("avery.example.org")
    await page.get_by_label("Mentor", exact=True).check()
    assert await submit(page, "Create the account", "/admin/accounts/new") == 422
    email_field = page.get_by_label("Email address")
    await expect(email_field).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#email-error")).to_contain_text("not an email address")
    await expect(page.get_by_role("alert")).to_contain_text("Please check the form")
    await expect(page.get_by_label("Full name")).to_have_value(name)
    await expect(email_field).to_have_value("avery.example.org")
    await expect(page.get_by_label("Mentor", exact=True)).to_be_checked()
    await expect(page.get_by_label("Employee", exact=True)).to_be_checked()
    await axe(page)

    await email_field.fill(demo.employee.email)
    assert await submit(page, "Create the account", "/admin/accounts/new") == 422
    await expect(page.locator("#email-error")).to_contain_text(
        "Another account already uses this email address"
    )
    await axe(page)

    email = f"avery.{unique().lower()}@example.org"
    await email_field.fill(email)
    await page.get_by_label("First password").fill("amber lantern over quiet hills")
    assert await submit(page, "Create the account", "/admin/accounts/new") == 303
    await expect(page).to_have_url(re.compile(r"/admin/accounts/\d+$"))
    await expect(page.get_by_role("status")).to_have_text(f"The account for {name} was created.")
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    facts = page.locator("dl.facts")
    await expect(facts).to_contain_text(email)
    await expect(facts).to_contain_text("Employee, Mentor")


async def test_roles_password_profile_and_deactivation_of_an_account(
    new_page: NewPage, demo: Demo, live_server: LiveServer
):
    person = await live_server.create_user(Role.EMPLOYEE, name=f"Robin Hale {unique()}")
    page = await admin_page(new_page, demo)
    await page.goto("/admin/accounts")
    await page.get_by_label("Name or email").fill(person.email)
    await page.get_by_role("button", name="Show accounts").click()
    await page.get_by_role("link", name=person.name).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(person.name)
    await axe(page)

    # Grant the mentor role, then revoke it again.
    await page.get_by_label("Mentor", exact=True).check()
    assert await submit(page, "Save roles", "/roles") == 303
    await expect(page.get_by_role("status")).to_have_text(f"{person.name} is now given mentor.")
    await expect(page.locator("dl.facts")).to_contain_text("Employee, Mentor")
    await expect(page.get_by_label("Mentor", exact=True)).to_be_checked()
    await page.get_by_label("Mentor", exact=True).uncheck()
    await page.get_by_role("button", name="Save roles").click()
    await expect(page.get_by_role("status")).to_have_text(f"{person.name} is now no longer mentor.")
    await expect(page.locator("dl.facts dd").nth(2)).to_have_text("Employee")

    # Where they work: a site, a job role and a supervisor from the demo district.
    site_select = page.locator("#site_id")
    site_label = (await site_select.locator("option").nth(1).text_content() or "").strip()
    await site_select.select_option(label=site_label)
    job_select = page.locator("#job_role_id")
    job_label = (await job_select.locator("option").nth(1).text_content() or "").strip()
    await job_select.select_option(label=job_label)
    await page.locator("#supervisor_id").select_option(
        label=f"Marcus Green ({demo.supervisor.email})"
    )
    await page.get_by_label("Languages").fill("english, Spanish")
    assert await submit(page, "Save where they work", "/profile") == 303
    await expect(page.get_by_role("status")).to_have_text("Where they work was saved.")
    await expect(page.locator("#site_id")).to_have_value(await site_select.input_value())
    selected = page.locator("#site_id").locator("option:checked")
    await expect(selected).to_have_text(site_label)
    await expect(page.get_by_label("Languages")).to_have_value("English, Spanish")
    await expect(page.locator("#supervisor_id").locator("option:checked")).to_contain_text(
        "Marcus Green"
    )

    # A weak password is refused at its field; a good one is set.
    await page.get_by_label("New password").fill("short")
    assert await submit(page, "Set the new password", "/password") == 422
    await expect(page.locator("#new_password-error")).to_contain_text("at least 12 characters")
    await expect(page.get_by_label("New password")).to_have_attribute("aria-invalid", "true")
    await axe(page)
    await page.get_by_label("New password").fill("copper kettle by the window")
    assert await submit(page, "Set the new password", "/password") == 303
    await expect(page.get_by_role("status")).to_contain_text("The new password is set")

    # Deactivate: the wording says what happens, and the person can no longer sign in.
    await expect(page.get_by_text("stops " + person.name + " signing in")).to_be_visible()
    await page.get_by_role("button", name="Deactivate this account").click()
    await expect(page.get_by_role("status")).to_contain_text("can no longer sign in")
    await expect(page.locator("dl.facts")).to_contain_text("Deactivated")
    await axe(page)
    await screenshot(page, "admin-account")
    other = await new_page("desktop")
    await sign_in(other, person.email, "copper kettle by the window")
    await expect(other).to_have_url(re.compile(r"/login$"))
    await expect(other.get_by_role("alert")).to_be_visible()

    await page.get_by_role("button", name="Reactivate this account").click()
    await expect(page.get_by_role("status")).to_contain_text("active again")
    await expect(page.locator("dl.facts dd").first).to_have_text("Active")
    await sign_in(other, person.email, "copper kettle by the window")
    await expect(other.get_by_role("heading", level=1)).to_have_text(f"Welcome, {person.name}")


async def test_an_admin_is_warned_on_their_own_account(new_page: NewPage, demo: Demo):
    page = await admin_page(new_page, demo)
    await page.goto("/admin/accounts?q=whitfield")
    await page.get_by_role("link", name="Dana Whitfield").click()
    await expect(page.get_by_text("This is your own account")).to_be_visible()


async def test_account_pages_fit_a_phone(new_page: NewPage, demo: Demo):
    page = await admin_page(new_page, demo, "phone")
    await open_from_menu(page, "Accounts")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Accounts")
    await assert_no_horizontal_scroll(page)
    await axe(page)
    first = page.get_by_role("table").get_by_role("link").first
    name = (await first.text_content() or "").strip()
    await first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    await assert_no_horizontal_scroll(page)
    await axe(page)
    await page.goto("/admin/accounts/new")
    await assert_no_horizontal_scroll(page)


# --- sites and travel ----------------------------------------------------------------------


async def test_a_new_site_linked_to_another_then_unlinked(new_page: NewPage, demo: Demo):
    page = await admin_page(new_page, demo)
    await open_from_menu(page, "Sites and travel")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sites and travel")
    await axe(page)
    await screenshot(page, "admin-sites")

    await page.get_by_role("link", name="Add a site").click()
    await axe(page)
    token = unique()
    name = f"Harbor View School {token}"
    await page.get_by_label("Site name").fill(name)
    await page.get_by_label("Site code").fill("HV 1")
    await page.get_by_label("Kind of program").select_option(label="Special education")
    await page.get_by_label("Region").fill("Harbor")
    assert await submit(page, "Add the site", "/admin/sites/new") == 422
    await expect(page.locator("#code-error")).to_contain_text("no spaces")
    await expect(page.get_by_label("Site name")).to_have_value(name)
    await expect(page.get_by_label("Kind of program")).to_have_value("special_education")
    await axe(page)
    code = f"HV-{token}"
    await page.get_by_label("Site code").fill(code)
    assert await submit(page, "Add the site", "/admin/sites/new") == 303
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    await expect(page.get_by_role("status")).to_contain_text(f"{name} was added")
    await expect(page.get_by_text("not linked to any other yet")).to_be_visible()
    await axe(page)

    # Link it to the district office (a demo site) with the minutes of the trip.
    await page.get_by_role("link", name=f"Add or change a link for {name}").click()
    await expect(page.get_by_label("From site")).to_have_value(re.compile(r"\d+"))
    office = page.get_by_label("To site").locator("option", has_text="(DO)")
    office_label = (await office.text_content() or "").strip()
    await page.get_by_label("To site").select_option(label=office_label)
    await page.get_by_label("Travel minutes").fill("700")
    assert await submit(page, "Save the travel time", "/admin/sites/links") == 422
    await expect(page.locator("#minutes-error")).to_contain_text("600 or less")
    await expect(page.get_by_label("To site").locator("option:checked")).to_have_text(office_label)
    await axe(page)
    await page.get_by_label("Travel minutes").fill("25")
    assert await submit(page, "Save the travel time", "/admin/sites/links") == 303
    await expect(page.get_by_role("status")).to_contain_text(f"{code}")
    await expect(page.get_by_role("status")).to_contain_text("25 minutes")
    links_table = page.get_by_role("region", name="Direct travel links")
    row = links_table.get_by_role("row").filter(has_text=name)
    await expect(row).to_contain_text("25")
    await expect(row).to_contain_text(office_label.split(" (")[0])

    # How long from the new site to the office? The lookup shows the route.
    await page.get_by_label("From", exact=True).select_option(label=f"{name} ({code})")
    await page.get_by_label("To", exact=True).select_option(label=office_label)
    await page.get_by_role("button", name="Work out the travel time").click()
    await expect(page.locator("#travel-result")).to_contain_text("25 minutes")
    await axe(page)

    await row.get_by_role("button", name=re.compile("^Remove")).click()
    await expect(page.get_by_role("status")).to_contain_text("was removed")
    await expect(links_table.get_by_text(name)).to_have_count(0)

    # Close the site, then reopen it.
    await page.get_by_role("link", name=name, exact=True).click()
    await page.get_by_role("button", name=f"Close {name}").click()
    await expect(page.get_by_role("status")).to_have_text(f"{name} is closed.")
    await page.get_by_role("button", name=f"Reopen {name}").click()
    await expect(page.get_by_role("status")).to_have_text(f"{name} is open again.")


async def test_site_pages_fit_a_phone(new_page: NewPage, demo: Demo):
    page = await admin_page(new_page, demo, "phone")
    await open_from_menu(page, "Sites and travel")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sites and travel")
    await assert_no_horizontal_scroll(page)
    await page.get_by_role("table").first.get_by_role("link").first.click()
    await expect(page.get_by_role("heading", name="Direct travel links")).to_be_visible()
    await assert_no_horizontal_scroll(page)
    await axe(page)


# --- job roles and skills ------------------------------------------------------------------


async def test_a_new_skill_renamed_and_retired(new_page: NewPage, demo: Demo):
    page = await admin_page(new_page, demo)
    await open_from_menu(page, "Skills")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Skills")
    await axe(page)

    name = f"Sign language basics {unique()}"
    await page.get_by_label("Skill name").fill(name)
    await page.get_by_label("Description").fill("Everyday signs for the classroom.")
    assert await submit(page, "Add the skill", "/admin/skills/") == 303
    await expect(page.get_by_role("status")).to_have_text(f"The skill {name} was added.")
    row = page.get_by_role("row").filter(has_text=name)
    await expect(row).to_contain_text("Everyday signs for the classroom.")
    await expect(row).to_contain_text("In use")
    await screenshot(page, "admin-skills")

    # The same name again (in other capitals) is refused at the field, the text kept.
    await page.get_by_label("Skill name").fill(name.upper())
    assert await submit(page, "Add the skill", "/admin/skills/") == 422
    await expect(page.locator("#name-error")).to_contain_text("already exists")
    await expect(page.get_by_label("Skill name")).to_have_value(name.upper())
    await axe(page)

    await page.get_by_role("link", name=name, exact=True).click()
    await page.get_by_label("Skill name").fill("")
    skill_path = re.sub(r"^.*(/admin/skills/\d+)$", r"\1", page.url)
    assert await submit(page, "Save the skill", skill_path) == 422
    await expect(page.locator("#name-error")).to_have_text("Error: Skill name is required.")
    await axe(page)
    await page.get_by_label("Skill name").fill(name + " and more")
    await page.get_by_role("button", name="Save the skill").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(name + " and more")
    await page.get_by_role("button", name=re.compile("^Retire")).click()
    await expect(page.get_by_role("status")).to_contain_text("is retired")
    await expect(page.get_by_text("This skill is retired")).to_be_visible()
    await axe(page)
    await page.goto("/admin/skills")
    await expect(page.get_by_role("row").filter(has_text=name)).to_contain_text("Retired")
    await page.set_viewport_size({"width": 390, "height": 844})
    await assert_no_horizontal_scroll(page)


async def test_a_new_job_role_renamed_and_retired(new_page: NewPage, demo: Demo):
    page = await admin_page(new_page, demo)
    await open_from_menu(page, "Job roles")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Job roles")
    await axe(page)
    token = unique()
    name = f"Library assistant {token}"
    await page.get_by_label("Job role name").fill(name)
    await page.get_by_label("Short code").fill("library assistant")
    assert await submit(page, "Add the job role", "/admin/job-roles/") == 422
    await expect(page.locator("#code-error")).to_contain_text("no spaces")
    await expect(page.get_by_label("Job role name")).to_have_value(name)
    await axe(page)
    await page.get_by_label("Short code").fill(f"library_{token.lower()}")
    assert await submit(page, "Add the job role", "/admin/job-roles/") == 303
    await expect(page.get_by_role("status")).to_have_text(f"The job role {name} was added.")
    await page.get_by_role("link", name=name, exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    await axe(page)
    await page.get_by_label("Job role name").fill(f"Library and media assistant {token}")
    await page.get_by_role("button", name="Save the name").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Library and media assistant {token}"
    )
    await page.get_by_role("button", name=re.compile("^Retire")).click()
    await expect(page.get_by_text("This job role is retired")).to_be_visible()
    await page.get_by_role("button", name=re.compile("back in use$")).click()
    await expect(page.get_by_role("status")).to_contain_text("is in use again")
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto("/admin/job-roles")
    await assert_no_horizontal_scroll(page)


# --- the agreement -------------------------------------------------------------------------


async def test_publishing_an_agreement_version_with_a_bad_value_then_a_good_one(
    new_page: NewPage, demo: Demo
):
    """Every browser test shares the server, so the version published here keeps the terms
    in force exactly as they were (only the publisher's summary is new)."""
    page = await admin_page(new_page, demo)
    await open_from_menu(page, "Agreement")
    await expect(page.get_by_role("heading", level=1)).to_have_text("The peer-assistance agreement")
    await expect(page.get_by_role("row").nth(1)).to_contain_text("In force")
    await expect(page.get_by_text("Confidentiality: at least 2 hours")).to_be_visible()
    await axe(page)

    await page.get_by_role("link", name="Publish a new version").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Publish a new agreement version"
    )
    cap = page.get_by_label("Most cases one mentor carries")
    in_force_cap = await cap.input_value()
    assert in_force_cap.isdigit()
    await expect(page.locator("#topic_0")).to_have_value("Peer mentor responsibilities")
    await expect(page.get_by_label("Colleagues may ask for help themselves")).to_be_checked()
    await axe(page)
    await screenshot(page, "admin-agreement-publish")

    summary = f"Browser test {unique()}: the same terms published again."
    await cap.fill("0")
    await page.get_by_label("What changed in this version").fill(summary)
    publish = re.compile(r"^Publish version \d+$")
    assert await submit(page, publish, "/admin/agreement/new") == 422
    await expect(page.locator("#caseload_cap-error")).to_contain_text("must be 1 or more")
    await expect(cap).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_role("alert")).to_contain_text("Please check the form")
    await expect(cap).to_have_value("0")
    await expect(page.get_by_label("What changed in this version")).to_have_value(summary)
    await expect(page.locator("#topic_0")).to_have_value("Peer mentor responsibilities")
    await axe(page)

    # Put the value back as it is in force: the new version changes nothing for other tests.
    await cap.fill(in_force_cap)
    assert await submit(page, publish, "/admin/agreement/new") == 303
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Agreement version \d+$")
    )
    await expect(page.get_by_role("status")).to_contain_text("is published and in force")
    await expect(page.get_by_text(summary)).to_be_visible()
    same = page.get_by_text(re.compile(r"The terms are the same as in version \d+"))
    await expect(same).to_be_visible()
    await expect(page.locator("dl.facts").first).to_contain_text("In force")
    await axe(page)


async def test_agreement_pages_fit_a_phone(new_page: NewPage, demo: Demo):
    page = await admin_page(new_page, demo, "phone")
    await open_from_menu(page, "Agreement")
    await assert_no_horizontal_scroll(page)
    await page.get_by_role("link", name="Version 1", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Agreement version 1")
    await assert_no_horizontal_scroll(page)
    await axe(page)
    await page.goto("/admin/agreement/new")
    await assert_no_horizontal_scroll(page)


# --- everyone else -------------------------------------------------------------------------


async def test_a_person_without_the_admin_role_is_not_allowed_in(new_page: NewPage, demo: Demo):
    page = await new_page("desktop")
    await sign_in_as(page, demo.employee)
    menu = page.get_by_role("navigation", name="Main menu", exact=True)
    await expect(menu.get_by_role("link", name="Accounts")).to_have_count(0)
    for path in ("/admin/accounts", "/admin/sites", "/admin/skills", "/admin/agreement/new"):
        response = await page.goto(path)
        assert response is not None and response.status == 403, path
        await expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    await axe(page)
