"""Asking for help and referring someone, in a real browser: the employee's ask-for-help form
(and its errors), My requests, a request's page (consent, decline, withdraw), and the
supervisor's refer-someone form, My referrals and a referral's status-only page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.async_api import Page, expect

from mentorship.access.roles import Role
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

API = "/api/v1"


# --- set-up over the API (as an admin or the people themselves) ------------------------------


async def account_id(live_server: LiveServer, account: Account) -> int:
    """The account's id, found by its email through the admin API."""
    admin = await live_server.admin()
    response = await admin.get(f"{API}/accounts", params={"search": account.email})
    assert response.status_code == 200, response.text
    found = [a for a in response.json()["items"] if a["email"] == account.email.lower()]
    assert found, f"no account {account.email}"
    return int(found[0]["id"])


async def place(live_server: LiveServer, person: Account, **profile: Any) -> int:
    """Give the person an employee profile at a demo site with a job role; their id (the
    test asks for the `demo` fixture, which makes the sites)."""
    admin = await live_server.admin()
    sites = (await admin.get(f"{API}/sites")).json()
    job_roles = (await admin.get(f"{API}/job-roles")).json()
    person_id = await account_id(live_server, person)
    response = await admin.patch(
        f"{API}/employees/{person_id}",
        json={"site_id": sites[0]["id"], "job_role_id": job_roles[0]["id"], **profile},
    )
    assert response.status_code == 200, response.text
    return person_id


async def fresh_employee(live_server: LiveServer, name: str) -> tuple[Account, int]:
    """A new employee with a profile (site, job role)."""
    person = await live_server.create_user(Role.EMPLOYEE, name=name)
    return person, await place(live_server, person)


async def supervisor_and_supervisee(
    live_server: LiveServer, supervisor_name: str, employee_name: str
) -> tuple[Account, Account, int]:
    """A new supervisor and an employee they supervise directly; the employee's id."""
    supervisor = await live_server.create_user(Role.SUPERVISOR, name=supervisor_name)
    supervisor_id = await place(live_server, supervisor)
    employee = await live_server.create_user(Role.EMPLOYEE, name=employee_name)
    employee_id = await place(live_server, employee, supervisor_id=supervisor_id)
    return supervisor, employee, employee_id


async def skill_ids(live_server: LiveServer, account: Account) -> dict[str, int]:
    """The skills taxonomy by name."""
    client = await live_server.api_client(account)
    return {s["name"]: s["id"] for s in (await client.get(f"{API}/skills")).json()}


async def refer_over_api(
    live_server: LiveServer, supervisor: Account, employee_id: int, description: str
) -> int:
    """A referral filed by the supervisor over the API; its id."""
    skills = await skill_ids(live_server, supervisor)
    client = await live_server.api_client(supervisor)
    response = await client.post(
        f"{API}/referrals",
        json={
            "employee_id": employee_id,
            "needed_skills": [{"skill_id": skills["Team building"], "priority": 2}],
            "description": description,
        },
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def open_from_menu(page: Page, label: str) -> None:
    """Follow a link of the main menu (the desktop one or, on a phone, the folded one)."""
    menu = page.get_by_role("navigation", name="Main menu", exact=True)
    if not await menu.is_visible():
        await page.get_by_text("Menu", exact=True).click()
        menu = page.get_by_role("navigation", name="Main menu (small screen)")
    await menu.get_by_role("link", name=label, exact=True).click()


def skill_card(page: Page, name: str):  # type: ignore[no-untyped-def]
    """The picker's card for one skill."""
    return page.locator(".card").filter(has=page.get_by_label(name, exact=True))


async def tick_skill(page: Page, name: str, priority: str) -> None:
    """Tick a skill in the picker and say how much it matters."""
    await page.get_by_label(name, exact=True).check()
    await page.get_by_label(f"How much it matters ({name})").select_option(label=priority)


async def submit_and_status(page: Page, button: str) -> int:
    """Click the form's submit button; the status of the page the form posted to."""
    async with page.expect_response(lambda r: r.request.method == "POST") as posted:
        await page.get_by_role("button", name=button).click()
    response = await posted.value
    if response.status in (301, 302, 303):
        await page.wait_for_load_state()
    return response.status


# --- the employee asks for help -----------------------------------------------------------


async def test_an_employee_asks_for_help_and_sees_it_in_my_requests(
    new_page, live_server: LiveServer, demo: Demo
):
    employee, _ = await fresh_employee(live_server, "Dana Whitfield")
    page: Page = await new_page("desktop")
    await sign_in(page, employee.email, employee.password)
    await open_from_menu(page, "Ask for help")

    await expect(page).to_have_url(re.compile(r"/requests/new$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ask for help")
    await expect(
        page.get_by_text("Your supervisor is not told that you asked for help.")
    ).to_be_visible()
    await axe(page)
    await screenshot(page, "employee-ask-for-help")

    await tick_skill(page, "De-escalation", "Essential")
    await tick_skill(page, "CPR", "Nice to have")
    await page.get_by_label("Urgent: I need help soon").check()
    await page.get_by_label("Tell us a little more").fill(
        "A student in my room gets upset during transitions and I am not sure how to help."
    )
    await page.get_by_label("Preferred language").fill("spanish")
    assert await submit_and_status(page, "Send my request") == 303

    # The request's own page, with the one-time notice.
    await expect(page).to_have_url(re.compile(r"/requests/\d+$"))
    await expect(page.get_by_role("status")).to_contain_text("Your request was sent")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Help with De-escalation and CPR"
    )
    await expect(page.get_by_text("Looking for a mentor", exact=True)).to_be_visible()
    main = page.get_by_role("main")
    await expect(main).to_contain_text("De-escalation: essential")
    await expect(main).to_contain_text("CPR: nice to have")
    await expect(main).to_contain_text("Urgent")
    await expect(main).to_contain_text("Spanish")
    await expect(main).to_contain_text("You asked yourself")
    await expect(main).to_contain_text("gets upset during transitions")
    await axe(page)
    request_url = page.url

    await open_from_menu(page, "My requests")
    await expect(page.get_by_role("heading", level=1)).to_have_text("My requests")
    card = page.locator("article.card").filter(has_text="Help with De-escalation and CPR")
    await expect(card).to_contain_text("Looking for a mentor")
    await expect(card).to_contain_text("You asked yourself")
    await expect(card).to_contain_text("Urgent")
    await axe(page)
    await screenshot(page, "employee-my-requests")

    # A second request while this one is in progress: the form says so, and the service's
    # refusal comes back with the input kept.
    await page.goto("/requests/new")
    await expect(page.get_by_text("You already have a request in progress")).to_be_visible()
    await tick_skill(page, "First aid", "Important")
    await page.get_by_label("Tell us a little more").fill("Another question.")
    assert await submit_and_status(page, "Send my request") == 422
    await expect(page.get_by_role("alert")).to_contain_text("already have a request in progress")
    await expect(page.get_by_label("First aid", exact=True)).to_be_checked()
    await expect(page.get_by_label("Tell us a little more")).to_have_value("Another question.")
    await axe(page)

    # Phone size: the form, the list and the request fit the screen.
    phone: Page = await new_page("phone")
    await sign_in(phone, employee.email, employee.password)
    for path in ("/requests/new", "/requests", request_url.removeprefix(live_server.url)):
        await phone.goto(path)
        await axe(phone)
        await assert_no_horizontal_scroll(phone)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
async def test_the_ask_for_help_form_explains_mistakes_and_keeps_the_input(
    new_page, live_server: LiveServer, demo: Demo, viewport
):
    employee, _ = await fresh_employee(live_server, "Lee Okafor")
    page: Page = await new_page(viewport)
    await sign_in(page, employee.email, employee.password)
    await page.goto("/requests/new")

    # A skill ticked, nothing written.
    await tick_skill(page, "Team building", "Essential")
    await page.get_by_label("Preferred language").fill("Tagalog")
    assert await submit_and_status(page, "Send my request") == 422
    await expect(page).to_have_title(re.compile(r"^Please check the form"))
    summary = page.get_by_role("alert")
    await expect(summary).to_contain_text("Tell us a little more is required.")
    error = page.locator("#description-error")
    await expect(error).to_contain_text("Tell us a little more is required.")
    description = page.get_by_label("Tell us a little more")
    await expect(description).to_have_attribute("aria-invalid", "true")
    await expect(description).to_have_attribute("aria-describedby", re.compile("description-error"))
    await expect(page.get_by_label("Team building", exact=True)).to_be_checked()
    await expect(page.get_by_label("How much it matters (Team building)")).to_have_value("3")
    await expect(page.get_by_label("Preferred language")).to_have_value("Tagalog")
    await axe(page)
    await assert_no_horizontal_scroll(page)

    # Written, but no skill ticked: the message sits at the skills, the text stays.
    await page.get_by_label("Team building", exact=True).uncheck()
    await description.fill("I am new to the job and would like someone to talk to.")
    assert await submit_and_status(page, "Send my request") == 422
    await expect(page.locator("#needed_skills-error")).to_contain_text(
        "Choose at least one thing you would like help with."
    )
    await expect(page.locator("#needed_skills")).to_have_attribute("aria-invalid", "true")
    await expect(description).to_have_value(
        "I am new to the job and would like someone to talk to."
    )
    await page.get_by_role(
        "link", name="Choose at least one thing you would like help with."
    ).click()
    await expect(page.locator("#needed_skills")).to_be_focused()
    await axe(page)
    await assert_no_horizontal_scroll(page)
    if viewport == "desktop":
        await screenshot(page, "employee-ask-for-help-errors")

    # Nothing was filed.
    await page.goto("/requests")
    await expect(page.get_by_text("You have not asked for help yet.")).to_be_visible()


async def test_an_employee_withdraws_a_request_after_confirming(new_page, live_server: LiveServer):
    employee, _ = await fresh_employee(live_server, "Rita Mensah")
    skills = await skill_ids(live_server, employee)
    client = await live_server.api_client(employee)
    response = await client.post(
        f"{API}/requests",
        json={
            "needed_skills": [{"skill_id": skills["Data collection"], "priority": 1}],
            "description": "Help me keep behaviour data sheets up to date.",
        },
    )
    assert response.status_code == 201, response.text
    request_id = response.json()["id"]

    page: Page = await new_page("desktop")
    await sign_in(page, employee.email, employee.password)
    await open_from_menu(page, "My requests")
    await page.get_by_role("link", name="Help with Data collection").click()
    await page.get_by_role("link", name="Withdraw this request").click()
    await expect(page).to_have_url(re.compile(rf"/requests/{request_id}/withdraw$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your request?")
    await axe(page)

    # Keeping it changes nothing.
    await page.get_by_role("link", name="No, keep my request").click()
    await expect(page.get_by_text("Looking for a mentor", exact=True)).to_be_visible()

    await page.get_by_role("link", name="Withdraw this request").click()
    assert await submit_and_status(page, "Yes, withdraw my request") == 303
    await expect(page).to_have_url(re.compile(rf"/requests/{request_id}$"))
    await expect(page.get_by_role("status")).to_have_text("Your request was withdrawn.")
    await expect(page.get_by_text("Withdrawn", exact=True)).to_be_visible()
    await expect(page.get_by_role("link", name="Withdraw this request")).to_have_count(0)
    await axe(page)
    response = await client.get(f"{API}/requests/{request_id}")
    assert response.json()["state"] == "withdrawn"

    # The confirmation page of an ended request says it can no longer be withdrawn.
    await page.goto(f"/requests/{request_id}/withdraw")
    await expect(page.get_by_text("can no longer be withdrawn")).to_be_visible()
    await expect(page.get_by_role("button", name="Yes, withdraw my request")).to_have_count(0)


# --- the supervisor refers; the employee answers -----------------------------------------------


async def test_a_supervisor_refers_a_supervisee_who_consents(
    new_page, live_server: LiveServer, demo: Demo
):
    supervisor, employee, employee_id = await supervisor_and_supervisee(
        live_server, "Morgan Reyes", "Jordan Bell"
    )
    boss: Page = await new_page("desktop")
    await sign_in(boss, supervisor.email, supervisor.password)
    await open_from_menu(boss, "Refer someone")
    await expect(boss.get_by_role("heading", level=1)).to_have_text(
        "Refer someone to a peer mentor"
    )
    await expect(boss.get_by_text("Never what they and their mentor talk about")).to_be_visible()
    await axe(boss)
    await screenshot(boss, "supervisor-refer")

    # Nobody chosen: the message sits at the person field; the rest stays.
    await tick_skill(boss, "Conflict resolution", "Essential")
    description = (
        "Jordan has had a few hard weeks with one classroom team and asked me about support."
    )
    await boss.get_by_label("Why are you referring them?").fill(description)
    assert await submit_and_status(boss, "Send the referral") == 422
    await expect(boss.locator("#employee_id-error")).to_contain_text(
        "Choose the person you are referring."
    )
    await expect(boss.get_by_label("Conflict resolution", exact=True)).to_be_checked()
    await expect(boss.get_by_label("Why are you referring them?")).to_have_value(description)
    await axe(boss)

    person_field = boss.get_by_label("Who are you referring?")
    await expect(person_field.locator(f"option[value='{employee_id}']")).to_contain_text(
        "Jordan Bell"
    )
    await person_field.select_option(value=str(employee_id))
    assert await submit_and_status(boss, "Send the referral") == 303
    await expect(boss).to_have_url(re.compile(r"/referrals/\d+$"))
    referral_path = boss.url.removeprefix(live_server.url)
    await expect(boss.get_by_role("status")).to_have_text("Your referral of Jordan Bell was sent.")
    await expect(boss.get_by_role("heading", level=1)).to_have_text("Referral of Jordan Bell")
    await expect(boss.get_by_text("Waiting for the employee's answer")).to_be_visible()
    # Status only: not even what the supervisor wrote is shown back.
    await expect(boss.get_by_role("main")).not_to_contain_text("hard weeks")
    await axe(boss)

    await open_from_menu(boss, "My referrals")
    row = boss.get_by_role("row").filter(has_text="Jordan Bell")
    await expect(row).to_contain_text("Waiting for the employee's answer")
    await expect(row).to_contain_text("Not yet")
    await axe(boss)
    await screenshot(boss, "supervisor-my-referrals")

    # The employee: the referral waits at the top of My requests, with the wording to read.
    wording = await consent_wording(live_server, employee)
    person: Page = await new_page("desktop")
    await sign_in(person, employee.email, employee.password)
    await open_from_menu(person, "My requests")
    waiting = person.get_by_role("region", name="Waiting for your answer")
    await expect(waiting).to_contain_text("Morgan Reyes referred you")
    await axe(person)
    await person.get_by_role("link", name="Read the referral and answer it").click()
    await expect(
        person.get_by_role("heading", name="Do you agree to this referral?")
    ).to_be_visible()
    await expect(person.locator(".agreement-wording")).to_have_text(wording["wording"])
    await expect(person.get_by_role("main")).to_contain_text(
        f"program agreement, version {wording['agreement_version']}"
    )
    await expect(person.get_by_role("main")).to_contain_text(description)
    await axe(person)
    await screenshot(person, "employee-consent")

    assert await submit_and_status(person, "I agree: find me a mentor") == 303
    await expect(person.get_by_role("status")).to_contain_text("You agreed")
    await expect(person.get_by_text("Looking for a mentor", exact=True)).to_be_visible()
    await expect(person.get_by_role("button", name="I agree: find me a mentor")).to_have_count(0)
    await person.get_by_text("The agreement wording you agreed to").click()
    await expect(person.locator("details .agreement-wording")).to_have_text(wording["wording"])
    await axe(person)

    # The supervisor sees the new status, and still nothing of the content.
    await boss.goto(referral_path)
    await expect(boss.get_by_text("Accepted; looking for a mentor")).to_be_visible()
    await expect(boss.get_by_role("link", name="Withdraw this referral")).to_have_count(0)
    await expect(boss.get_by_role("main")).not_to_contain_text("hard weeks")

    phone: Page = await new_page("phone")
    await sign_in(phone, supervisor.email, supervisor.password)
    for path in ("/referrals/new", "/referrals", referral_path):
        await phone.goto(path)
        await axe(phone)
        await assert_no_horizontal_scroll(phone)


async def consent_wording(live_server: LiveServer, employee: Account) -> dict[str, Any]:
    """The consent prompt the API shows the employee for their waiting referral."""
    client = await live_server.api_client(employee)
    mine = (await client.get(f"{API}/requests/mine")).json()
    waiting = [r for r in mine if r["state"] == "awaiting_consent"]
    assert waiting, mine
    prompt: dict[str, Any] = waiting[0]["consent_needed"]
    return prompt


async def test_an_employee_declines_a_referral(new_page, live_server: LiveServer, demo: Demo):
    supervisor, employee, employee_id = await supervisor_and_supervisee(
        live_server, "Casey Long", "Pat Singh"
    )
    referral_id = await refer_over_api(
        live_server, supervisor, employee_id, "Pat might enjoy planning with a peer."
    )
    page: Page = await new_page("phone")
    await sign_in(page, employee.email, employee.password)
    await page.goto("/requests")
    await page.get_by_role("link", name="Read the referral and answer it").click()
    await expect(page).to_have_url(re.compile(rf"/requests/{referral_id}$"))
    await axe(page)
    await assert_no_horizontal_scroll(page)
    assert await submit_and_status(page, "No, thank you: decline this referral") == 303
    await expect(page.get_by_role("status")).to_contain_text("You said no to this referral")
    await expect(page.get_by_text("You said no to this referral", exact=True)).to_be_visible()
    await expect(page.get_by_role("link", name="Withdraw this request")).to_have_count(0)
    await axe(page)

    await page.goto("/requests")
    await expect(page.get_by_role("heading", name="Waiting for your answer")).to_have_count(0)
    card = page.locator("article.card").filter(has_text="Help with Team building")
    await expect(card).to_contain_text("Referred by Casey Long")

    boss: Page = await new_page("desktop")
    await sign_in(boss, supervisor.email, supervisor.password)
    await boss.goto("/referrals")
    await boss.get_by_role("link", name="Pat Singh").click()
    await expect(boss.get_by_text("The employee declined")).to_be_visible()
    await expect(boss.get_by_role("main")).not_to_contain_text("planning with a peer")
    await axe(boss)


async def test_a_supervisor_withdraws_a_referral_not_yet_answered(
    new_page, live_server: LiveServer, demo: Demo
):
    supervisor, employee, employee_id = await supervisor_and_supervisee(
        live_server, "Quinn Avery", "Sky Moreno"
    )
    referral_id = await refer_over_api(live_server, supervisor, employee_id, "Peer support.")
    page: Page = await new_page("desktop")
    await sign_in(page, supervisor.email, supervisor.password)
    await page.goto(f"/referrals/{referral_id}")
    await page.get_by_role("link", name="Withdraw this referral").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your referral?")
    await axe(page)
    assert await submit_and_status(page, "Yes, withdraw the referral") == 303
    await expect(page.get_by_role("status")).to_have_text("Your referral was withdrawn.")
    await expect(page.get_by_text("Withdrawn", exact=True)).to_be_visible()

    # The employee sees it ended, with nothing left to answer.
    person: Page = await new_page("desktop")
    await sign_in(person, employee.email, employee.password)
    await person.goto("/requests")
    await expect(person.get_by_role("heading", name="Waiting for your answer")).to_have_count(0)
    await expect(person.locator("article.card")).to_contain_text("Withdrawn")


async def test_a_supervisor_sees_a_matched_referral_without_any_note_text(
    new_page, live_server: LiveServer, demo: Demo
):
    """The demo supervisor's referral of the demo employee became a case with notes and a
    released report: the referral page shows its status and never a note or the request."""
    employee = await live_server.api_client(demo.employee)
    cases = (await employee.get(f"{API}/cases/mine")).json()
    referred = [c for c in cases if c["track"] == "referred"]
    assert referred, cases
    texts = []
    for case in referred:
        notes = (await employee.get(f"{API}/cases/{case['id']}/notes")).json()
        texts += [n["text"] for n in notes if n.get("text")]
    assert texts, "the demo case should have notes the employee can read"
    requests = (await employee.get(f"{API}/requests/mine")).json()
    descriptions = [r["description"] for r in requests]

    page: Page = await new_page("desktop")
    await sign_in_as(page, demo.supervisor)
    await open_from_menu(page, "My referrals")
    await axe(page)
    await assert_no_horizontal_scroll(page)
    links = page.get_by_role("link", name=demo.employee.name, exact=True)
    count = await links.count()
    assert count >= 1
    seen_case = False
    for index in range(count):
        await page.goto("/referrals")
        await links.nth(index).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Referral of {demo.employee.name}"
        )
        shown = await page.get_by_role("main").inner_text()
        for text in texts + descriptions:
            assert text[:40] not in shown, f"referral page shows content: {text[:40]!r}"
        if await page.get_by_role("heading", name="The mentoring").count():
            seen_case = True
            await expect(page.get_by_role("main")).to_contain_text("Started")
            await expect(page.get_by_role("main")).to_contain_text("Progressing")
            await axe(page)
            await screenshot(page, "supervisor-referral-status")
    assert seen_case, "the demo supervisor's matched referral should show its case status"
