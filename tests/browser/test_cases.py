"""The case pages in a real browser: the employee's own case, the mentor's caseload and case
page (meetings, private and shared notes, status reports), the coordinator's list of cases and
their management of one, and who must not find a case at all.

State-changing tests open cases of their own over the API (people, a mentor admitted to the
pool, a request, and the coordinator assigning the mentor by hand), so they never depend on or
disturb the demo district's cases; read-only views use the demo sign-ins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
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
    sign_in_as,
)

API = "/api/v1"


def ok(response: httpx.Response, *codes: int) -> Any:
    """The response's JSON, failing the test with its text when the status is unexpected."""
    assert response.status_code in (codes or (200, 201)), response.text
    return response.json() if response.content else None


@dataclass
class OpenCase:
    """A case made for one test, with everyone's sign-in."""

    id: int
    mentee: Account
    mentor: Account
    supervisor: Account | None
    coordinator: Account


async def _sites(admin: httpx.AsyncClient) -> tuple[int, int]:
    """Two different sites a short trip apart (from the demo district's travel links)."""
    links = ok(await admin.get(f"{API}/sites/links"))
    link = min(links, key=lambda found: found["minutes"])
    return link["site_a"], link["site_b"]


async def _mentor(live_server: LiveServer, demo: Demo, site: int, skill: int) -> Account:
    """A new mentor at `site`, admitted to the pool with complete, verified training."""
    admin = await live_server.admin()
    coordinator = await live_server.api_client(demo.coordinator)
    mentor = await live_server.create_user(Role.EMPLOYEE)
    mentor_id = await _account_id(live_server, mentor)
    ok(
        await admin.patch(
            f"{API}/employees/{mentor_id}", json={"site_id": site, "languages": ["English"]}
        )
    )
    client = await live_server.api_client(mentor)
    ok(
        await client.post(
            f"{API}/mentor-pool/applications",
            json={
                "skills": [{"skill_id": skill, "level": 3}],
                "languages": ["English"],
                "statement": "Twelve years in resource rooms.",
            },
        )
    )
    terms = ok(await coordinator.get(f"{API}/agreement"))["terms"]
    done = (date.today() - timedelta(days=10)).isoformat()
    for topic in terms["required_training"]["topics"]:
        ok(
            await coordinator.post(
                f"{API}/training-records",
                json={
                    "topic": topic["topic"],
                    "hours": max(topic["min_hours"], 2.5),
                    "completed_on": done,
                    "account_id": mentor_id,
                },
            )
        )
    ok(await coordinator.post(f"{API}/mentor-pool/{mentor_id}/approve", json={"capacity": 3}))
    return mentor


async def _account_id(live_server: LiveServer, account: Account) -> int:
    me = ok(await (await live_server.api_client(account)).get(f"{API}/me"))
    return int(me["account_id"])


async def open_case(live_server: LiveServer, demo: Demo, *, referred: bool) -> OpenCase:
    """A new employee's case (referred by a new supervisor, or asked for), with a new mentor
    the coordinator assigns by hand."""
    admin = await live_server.admin()
    coordinator = await live_server.api_client(demo.coordinator)
    home, other = await _sites(admin)
    skills = ok(await admin.get(f"{API}/skills"))
    skill = next(s["id"] for s in skills if s["name"] == "De-escalation")
    mentor = await _mentor(live_server, demo, other, skill)
    supervisor = await live_server.create_user(Role.SUPERVISOR, Role.EMPLOYEE) if referred else None
    mentee = await live_server.create_user(Role.EMPLOYEE)
    mentee_id = await _account_id(live_server, mentee)
    profile: dict[str, Any] = {"site_id": home, "languages": ["English"]}
    if supervisor is not None:
        profile["supervisor_id"] = await _account_id(live_server, supervisor)
        ok(await admin.patch(f"{API}/employees/{profile['supervisor_id']}", json={"site_id": home}))
    ok(await admin.patch(f"{API}/employees/{mentee_id}", json=profile))
    need = {"needed_skills": [{"skill_id": skill, "priority": 3}]}
    mentee_api = await live_server.api_client(mentee)
    if supervisor is not None:
        filed = ok(
            await (await live_server.api_client(supervisor)).post(
                f"{API}/referrals",
                json={**need, "description": "Support with transitions.", "employee_id": mentee_id},
            )
        )
        version = ok(await mentee_api.get(f"{API}/agreement"))["version"]
        ok(
            await mentee_api.post(
                f"{API}/requests/{filed['id']}/consent",
                json={"decision": "consent", "agreement_version": version},
            )
        )
        request_id = filed["id"]
    else:
        filed = ok(
            await mentee_api.post(
                f"{API}/requests", json={**need, "description": "Help with a hard class."}
            )
        )
        request_id = filed["id"]
    mentor_id = await _account_id(live_server, mentor)
    approval = ok(
        await coordinator.post(
            f"{API}/matching/requests/{request_id}/assign",
            json={"mentor_id": mentor_id, "reason": "Closest trained mentor."},
        )
    )
    return OpenCase(approval["case_id"], mentee, mentor, supervisor, demo.coordinator)


@pytest.fixture(scope="module")
async def referred(live_server: LiveServer, demo: Demo) -> OpenCase:
    """A referred case this module's tests share (mentor writes, mentee reads and responds)."""
    return await open_case(live_server, demo, referred=True)


async def signed_in(new_page: Any, account: Account, viewport: str = "desktop") -> Page:
    page: Page = await new_page(viewport)
    await sign_in_as(page, account)
    return page


# --- the employee ---------------------------------------------------------------------------


async def test_the_demo_employee_finds_their_case_from_the_menu(new_page, demo: Demo):
    page = await signed_in(new_page, demo.employee)
    await (
        page.get_by_role("navigation", name="Main menu").get_by_role("link", name="My case").click()
    )
    await expect(page).to_have_url(re.compile(r"/my-cases$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("My case")
    await expect(page.get_by_text("Your mentor").first).to_be_visible()
    await axe(page)
    await screenshot(page, "employee-my-case")
    await page.get_by_role("link", name=re.compile(r"^Open my case with ")).first.click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("My case with")
    await expect(page.get_by_role("heading", name="Notes from your mentor")).to_be_visible()
    await expect(page.get_by_role("heading", name="Who accessed my case")).to_be_visible()
    await expect(page.get_by_role("heading", name="Status reports")).to_be_visible()
    # The employee sees no flags and no management.
    await expect(page.get_by_role("heading", name="Manage this case")).to_have_count(0)
    await expect(page.get_by_role("heading", name="Needs attention")).to_have_count(0)
    await axe(page)
    await screenshot(page, "employee-case")


async def test_an_employee_without_a_case_is_told_how_to_ask_for_help(new_page, live_server):
    person = await live_server.create_user(Role.EMPLOYEE)
    page = await signed_in(new_page, person, "phone")
    await page.goto("/my-cases")
    await expect(page.get_by_text("You do not have a case with a peer mentor")).to_be_visible()
    await expect(page.get_by_role("link", name="Ask for help")).to_have_attribute(
        "href", "/requests/new"
    )
    await axe(page)
    await assert_no_horizontal_scroll(page)


# --- the mentor and the employee on one case ----------------------------------------------


async def test_mentor_logs_meetings_and_writes_private_and_shared_notes(
    new_page, live_server: LiveServer, demo: Demo, referred: OpenCase
):
    page = await signed_in(new_page, referred.mentor)
    await (
        page.get_by_role("navigation", name="Main menu")
        .get_by_role("link", name="My caseload")
        .click()
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    mentee_name = referred.mentee.name
    await axe(page)
    await page.get_by_role("link", name=mentee_name).click()
    await expect(page).to_have_url(re.compile(rf"/cases/{referred.id}$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Case {referred.id}: {mentee_name}"
    )
    await axe(page)

    # A meeting in the future is refused at its field, with the typed values kept.
    form = page.locator("form", has=page.get_by_role("heading", name="Log a meeting"))
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    await form.get_by_label("Date of the meeting").fill(tomorrow)
    await form.get_by_label("Length in minutes").fill("50")
    await form.get_by_label("Video call").check()
    async with page.expect_response(re.compile(r"/meetings$")) as answer:
        await form.get_by_role("button", name="Log this meeting").click()
    assert (await answer.value).status == 422
    await expect(page.locator("#held_on-error")).to_contain_text("in the future")
    await expect(page.get_by_label("Date of the meeting")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("Length in minutes")).to_have_value("50")
    await expect(page.get_by_label("Video call")).to_be_checked()
    await expect(page.get_by_role("alert")).to_contain_text("Please check the form")
    await axe(page)

    # A real one.
    form = page.locator("form", has=page.get_by_role("heading", name="Log a meeting"))
    await form.get_by_label("Date of the meeting").fill(date.today().isoformat())
    await form.get_by_label("Length in minutes").fill("50")
    await form.get_by_label("De-escalation").check()
    await form.get_by_role("button", name="Log this meeting").click()
    await expect(page.get_by_role("status")).to_have_text("Meeting logged: 50 minutes.")
    meetings = page.get_by_role("table", name="Meetings, newest first")
    await expect(meetings).to_contain_text("50 minutes")
    await expect(meetings).to_contain_text("Video call")
    await expect(meetings).to_contain_text("De-escalation")

    # A note needs its audience chosen on purpose.
    notes = page.locator("form", has=page.get_by_role("heading", name="Write a note"))
    await expect(notes.get_by_text("Private: only you.")).to_be_visible()
    await expect(notes.get_by_text(f"Shared with {mentee_name}.")).to_be_visible()
    await notes.get_by_label("The note").fill("Forgot to choose who reads this.")
    await notes.get_by_role("button", name="Save this note").click()
    await expect(page.locator("#audience-error")).to_be_visible()
    await expect(page.get_by_label("The note")).to_have_value("Forgot to choose who reads this.")
    await axe(page)

    notes = page.locator("form", has=page.get_by_role("heading", name="Write a note"))
    await notes.get_by_label(re.compile(r"^Private: only you")).check()
    await notes.get_by_label("The note").fill("PRIVATE-MARKER: seems tired, check workload.")
    await notes.get_by_role("button", name="Save this note").click()
    await expect(page.get_by_role("status")).to_contain_text("Your private note is saved.")
    notes = page.locator("form", has=page.get_by_role("heading", name="Write a note"))
    await notes.get_by_label(re.compile(rf"^Shared with {mentee_name}")).check()
    await notes.get_by_label("The note").fill("SHARED-MARKER: try the two-choice script.")
    await notes.get_by_role("button", name="Save this note").click()
    await expect(page.get_by_role("status")).to_contain_text(f"shared with {mentee_name}")
    await expect(page.get_by_text("PRIVATE-MARKER")).to_be_visible()
    await expect(page.get_by_text("SHARED-MARKER")).to_be_visible()
    private = page.locator("article", has_text="PRIVATE-MARKER")
    await expect(private.get_by_text("Private: only you")).to_be_visible()

    # Editing keeps the history, for the author.
    await private.get_by_role("link", name=re.compile("Edit this note")).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Note of")
    await page.get_by_label("The note").fill("PRIVATE-MARKER: seems tired, check workload. Asked.")
    await page.get_by_role("button", name="Save the new version").click()
    await expect(page.get_by_role("status")).to_contain_text("Only you can read it.")
    await page.locator("article", has_text="PRIVATE-MARKER").get_by_role("link").click()
    await expect(page.get_by_role("heading", name="Version 2 (current)")).to_be_visible()
    await expect(page.get_by_role("heading", name="Version 1")).to_be_visible()
    await axe(page)
    await page.get_by_role("link", name="Back to the case").click()

    # A status report for the referred case.
    report = page.locator("form", has=page.get_by_role("heading", name="Write a status report"))
    await report.get_by_label("Progressing").check()
    await report.get_by_label("The report").fill("REPORT-MARKER: steady progress on transitions.")
    await report.get_by_role("button", name="Save this status report").click()
    await expect(page.get_by_role("status")).to_contain_text("status report is saved")
    await expect(page.get_by_text("REPORT-MARKER")).to_be_visible()
    await axe(page)
    await screenshot(page, "mentor-case")

    # The employee: the shared note, never the private one; the report to answer.
    mentee = await signed_in(new_page, referred.mentee)
    await mentee.goto("/my-cases")
    await mentee.get_by_role("link", name=re.compile("Open my case")).click()
    await expect(mentee.get_by_text("SHARED-MARKER")).to_be_visible()
    assert "PRIVATE-MARKER" not in await mentee.content()
    await expect(mentee.get_by_text("REPORT-MARKER")).to_be_visible()
    accesses = mentee.get_by_role("table", name="Most recent first")
    await expect(accesses).to_contain_text(referred.mentor.name)
    await expect(accesses).to_contain_text("logged a meeting")
    await expect(accesses).to_contain_text("wrote a status report")
    await axe(mentee)

    answer_box = mentee.get_by_label("Your response to this report")
    await answer_box.fill("I agree; the script helps.")
    await mentee.get_by_role("button", name="Send my response").click()
    await expect(mentee.get_by_role("status")).to_contain_text("your response is saved")
    await expect(mentee.get_by_text("I agree; the script helps.")).to_be_visible()
    await expect(mentee.get_by_role("button", name="Send my response")).to_have_count(0)
    await expect(mentee.get_by_text("Released to the supervisor")).to_be_visible()
    assert "PRIVATE-MARKER" not in await mentee.content()
    await axe(mentee)

    # The referring supervisor, like anyone else, does not find the case.
    assert referred.supervisor is not None
    boss = await signed_in(new_page, referred.supervisor)
    response = await boss.goto(f"/cases/{referred.id}")
    assert response is not None and response.status == 404
    assert "PRIVATE-MARKER" not in await boss.content()
    assert "SHARED-MARKER" not in await boss.content()


async def test_the_mentors_caseload_and_case_fit_a_phone(new_page, demo: Demo):
    page = await signed_in(new_page, demo.mentor)
    await page.goto("/caseload")
    table = page.get_by_role("table", name="My open cases")
    await expect(table).to_be_visible()
    await axe(page)
    await screenshot(page, "mentor-caseload")
    phone = await signed_in(new_page, demo.mentor, "phone")
    await phone.goto("/caseload")
    await assert_no_horizontal_scroll(phone)
    await phone.get_by_role("table", name="My open cases").get_by_role("link").first.click()
    await expect(phone.get_by_role("heading", name="Log a meeting")).to_be_visible()
    await axe(phone)
    await assert_no_horizontal_scroll(phone)


async def test_an_outsider_gets_not_found(new_page, live_server: LiveServer, referred: OpenCase):
    outsider = await live_server.create_user(Role.EMPLOYEE, Role.MENTOR)
    page = await signed_in(new_page, outsider)
    response = await page.goto(f"/cases/{referred.id}")
    assert response is not None and response.status == 404
    await expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    await axe(page)
    missing = await page.goto("/cases/999999")
    assert missing is not None and missing.status == 404
    # The coordinator's list is not theirs either.
    listing = await page.goto("/cases")
    assert listing is not None and listing.status == 403


async def test_employee_withdraws_from_a_voluntary_case(
    new_page, live_server: LiveServer, demo: Demo
):
    case = await open_case(live_server, demo, referred=False)
    page = await signed_in(new_page, case.mentee, "phone")
    await page.goto(f"/cases/{case.id}")
    await expect(page.get_by_role("heading", name="Status reports")).to_have_count(0)
    await assert_no_horizontal_scroll(page)
    await axe(page)
    await page.get_by_role("link", name="Leave the program and close my case").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Leave the program?")
    await axe(page)
    await page.get_by_role("button", name="Yes, close my case").click()
    await expect(page).to_have_url(re.compile(r"/my-cases$"))
    await expect(page.get_by_role("status")).to_contain_text("Your case is closed")
    await expect(page.get_by_text("Withdrawn by the employee")).to_be_visible()
    # The mentor no longer finds it.
    mentor = await signed_in(new_page, case.mentor)
    response = await mentor.goto(f"/cases/{case.id}")
    assert response is not None and response.status == 404


# --- the coordinator --------------------------------------------------------------------------


async def test_coordinator_lists_cases_and_filters_by_flag(new_page, demo: Demo):
    page = await signed_in(new_page, demo.coordinator)
    await page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Cases").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    await axe(page)
    await screenshot(page, "coordinator-cases")
    await page.get_by_label("Needs attention").select_option("report_due")
    await page.get_by_role("button", name="Show cases").click()
    await expect(page).to_have_url(re.compile(r"flag=report_due"))
    rows = page.get_by_role("table", name="Cases, newest first").locator("tbody tr")
    assert await rows.count() >= 1
    for index in range(await rows.count()):
        await expect(rows.nth(index)).to_contain_text("Status report due")
    await expect(page.get_by_label("Needs attention")).to_have_value("report_due")
    await axe(page)
    await page.get_by_label("State").select_option("closed")
    await page.get_by_label("Needs attention").select_option("")
    await page.get_by_role("button", name="Show cases").click()
    rows = page.get_by_role("table", name="Cases, newest first").locator("tbody tr")
    for index in range(await rows.count()):
        await expect(rows.nth(index)).to_contain_text("Closed")
    phone = await signed_in(new_page, demo.coordinator, "phone")
    await phone.goto("/cases?flagged=1")
    await expect(phone.get_by_label("Needs attention")).to_have_value("any")
    await assert_no_horizontal_scroll(phone)
    await axe(phone)


async def test_coordinator_pauses_resumes_and_reassigns(
    new_page, live_server: LiveServer, demo: Demo
):
    case = await open_case(live_server, demo, referred=False)
    admin = await live_server.admin()
    _, other = await _sites(admin)
    skills = ok(await admin.get(f"{API}/skills"))
    skill = next(s["id"] for s in skills if s["name"] == "De-escalation")
    spare = await _mentor(live_server, demo, other, skill)

    page = await signed_in(new_page, demo.coordinator)
    await page.goto(f"/cases/{case.id}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Case {case.id}: {case.mentee.name}"
    )
    await expect(page.get_by_text("the program coordinator does not see note text")).to_be_visible()
    await axe(page)
    await screenshot(page, "coordinator-case")

    # Pausing needs a reason.
    pause = page.locator("form", has=page.get_by_role("heading", name="Pause the case"))
    await pause.get_by_role("button", name="Pause this case").click()
    await expect(page.locator("#pause_reason-error")).to_have_text(
        "Error: Say why the case is paused."
    )
    await axe(page)
    pause = page.locator("form", has=page.get_by_role("heading", name="Pause the case"))
    await pause.get_by_label("Why the case is paused").fill("Covering a long-term vacancy.")
    await pause.get_by_role("button", name="Pause this case").click()
    await expect(page.get_by_role("status")).to_have_text("The case is paused.")
    await expect(
        page.get_by_text("This case is paused: Covering a long-term vacancy.")
    ).to_be_visible()
    await page.get_by_role("button", name="Resume this case").click()
    await expect(page.get_by_role("status")).to_have_text("The case is active again.")

    # Reassigning: the mentee themselves cannot be chosen; the spare mentor can.
    form = page.locator(
        "form", has=page.get_by_role("heading", name="Give the case to another mentor")
    )
    await form.get_by_label("New mentor").select_option(label=spare.name)
    await form.get_by_label("Why the case moves").fill("The first mentor's schedule changed.")
    await form.get_by_role("button", name="Give the case to this mentor").click()
    await expect(page.get_by_role("status")).to_have_text(f"The case now belongs to {spare.name}.")
    mentors = page.get_by_role("table", name="Who mentored the case, and when")
    await expect(mentors).to_contain_text(case.mentor.name)
    await expect(mentors).to_contain_text(
        "Moved to another mentor: The first mentor's schedule changed."
    )
    accesses = page.get_by_role("table", name="Most recent first")
    await expect(accesses).to_contain_text("gave the case to another mentor")
    await expect(accesses).to_contain_text("paused the case")
    await axe(page)

    # The old mentor loses the case at once; the new one has it.
    old = await signed_in(new_page, case.mentor)
    response = await old.goto(f"/cases/{case.id}")
    assert response is not None and response.status == 404
    new = await signed_in(new_page, spare)
    await new.goto("/caseload")
    await expect(new.get_by_role("link", name=case.mentee.name)).to_be_visible()

    # Closing: the outcome is required.
    close = page.locator("form", has=page.get_by_role("heading", name="Close the case"))
    await close.get_by_role("button", name="Close this case").click()
    await expect(page.locator("#error-summary")).to_contain_text("Outcome")
    await axe(page)
    close = page.locator("form", has=page.get_by_role("heading", name="Close the case"))
    await close.get_by_label("Completed: the goals were met").check()
    await close.get_by_label("Closing summary").fill("Goals met.")
    await close.get_by_role("button", name="Close this case").click()
    await expect(page.get_by_role("status")).to_have_text("The case is closed.")
    await expect(page.get_by_text("Summary: Goals met.")).to_be_visible()
    await assert_no_horizontal_scroll(page)
