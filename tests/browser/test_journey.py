"""The program's main journey, end to end in the browser, one person per browser context:

an employee asks for help and a supervisor refers a supervisee (who consents) → the
coordinator runs matching and approves both matches → each mentor logs a meeting and writes a
private and a shared note → the employee sees only the shared note → the referring supervisor
sees status only → the coordinator sees who read the notes in the audit log.

Set-up that is not part of the journey (sites, mentors admitted and trained, profiles) is done
over the API as the district and coordinator would have done it beforehand; every step of the
journey itself is a page, a link and a form.
"""

from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx
from playwright.async_api import Page, expect

from mentorship.access.roles import Role
from tests.browser.helpers import Account, Demo, LiveServer, axe, screenshot, sign_in, sign_in_as

API = "/api/v1"
SKILL = "Conflict resolution"


async def ok(response: httpx.Response) -> dict:
    assert response.status_code in (200, 201, 204), f"{response.request.url}: {response.text}"
    return response.json() if response.content else {}


@dataclass
class Cast:
    """The people of the journey, in a corner of the district of their own: the employees at
    one school, the mentors at another ten minutes away and nobody else within reach, so the
    matching run can only pair them with these mentors."""

    tag: str
    employee: Account
    supervisor: Account
    supervisee: Account
    supervisee_id: int
    mentors: dict[str, Account] = field(default_factory=dict)


async def build_cast(live_server: LiveServer, demo: Demo) -> Cast:
    admin = await live_server.admin()
    coordinator = await live_server.api_client(demo.coordinator)
    tag = secrets.token_hex(3).upper()
    sites = {}
    for key, name in (("school", "Juniper Elementary"), ("office", "Kestrel Middle")):
        site = await ok(
            await admin.post(
                f"{API}/sites",
                json={
                    "code": f"J{key[:3].upper()}{tag}",
                    "name": f"{name} {tag}",
                    "setting_type": "general_education",
                    "region": f"Journey {tag}",
                },
            )
        )
        sites[key] = site["id"]
    await ok(
        await admin.put(
            f"{API}/sites/{sites['school']}/links/{sites['office']}", json={"minutes": 10}
        )
    )
    skills = {s["name"]: s["id"] for s in await ok(await admin.get(f"{API}/skills"))}  # type: ignore[union-attr]
    job_role = (await ok(await admin.get(f"{API}/job-roles")))[0]["id"]  # type: ignore[index]

    async def person(
        name: str, site: str, *roles: Role, supervisor: int | None = None
    ) -> tuple[Account, int]:
        account = await live_server.create_user(*roles, name=f"{name} {tag}")
        found = await ok(await admin.get(f"{API}/accounts", params={"search": account.email}))
        account_id = int(found["items"][0]["id"])
        profile = {"site_id": sites[site], "job_role_id": job_role, "languages": ["English"]}
        if supervisor is not None:
            profile["supervisor_id"] = supervisor
        await ok(await admin.patch(f"{API}/employees/{account_id}", json=profile))
        return account, account_id

    terms = (await ok(await coordinator.get(f"{API}/agreement")))["terms"]
    topics = terms["required_training"]["topics"]
    total = float(terms["required_training"]["total_min_hours"])
    hours = math.ceil(max([float(t["min_hours"]) for t in topics] + [total / len(topics)])) + 1
    completed = (date.today() - timedelta(days=7)).isoformat()
    mentors = {}
    for name in ("Priya Mentor", "Quinn Mentor"):
        account, account_id = await person(name, "office", Role.EMPLOYEE)
        client = await live_server.api_client(account)
        await ok(
            await client.post(
                f"{API}/mentor-pool/applications",
                json={
                    "skills": [{"skill_id": skills[SKILL], "level": 3}],
                    "languages": ["English"],
                    "statement": "Twelve years in classrooms; I like helping new colleagues.",
                },
            )
        )
        for topic in topics:
            await ok(
                await coordinator.post(
                    f"{API}/training-records",
                    json={
                        "topic": topic["topic"],
                        "hours": hours,
                        "completed_on": completed,
                        "account_id": account_id,
                    },
                )
            )
        await ok(await coordinator.post(f"{API}/mentor-pool/{account_id}/approve", json={}))
        mentors[account.name] = account
    employee, _ = await person("Elena Asks", "school", Role.EMPLOYEE)
    supervisor, supervisor_id = await person(
        "Sofia Supervises", "school", Role.SUPERVISOR, Role.EMPLOYEE
    )
    supervisee, supervisee_id = await person(
        "Reza Referred", "school", Role.EMPLOYEE, supervisor=supervisor_id
    )
    return Cast(tag, employee, supervisor, supervisee, supervisee_id, mentors)


async def open_menu(page: Page, label: str) -> None:
    await (
        page.get_by_role("navigation", name="Main menu", exact=True)
        .get_by_role("link", name=label, exact=True)
        .click()
    )


async def choose_skill(page: Page) -> None:
    await page.get_by_label(SKILL, exact=True).check()
    await page.get_by_label(f"How much it matters ({SKILL})").select_option(label="Essential")


async def write_note(page: Page, audience: str, text: str) -> None:
    notes = page.locator("form", has=page.get_by_role("heading", name="Write a note"))
    await notes.get_by_label(re.compile(rf"^{audience}")).check()
    await notes.get_by_label("The note").fill(text)
    await notes.get_by_role("button", name="Save this note").click()
    await expect(page.get_by_role("status")).to_contain_text("note is saved")


async def log_meeting(page: Page, minutes: int) -> None:
    form = page.locator("form", has=page.get_by_role("heading", name="Log a meeting"))
    await form.get_by_label("Date of the meeting").fill(date.today().isoformat())
    await form.get_by_label("Length in minutes").fill(str(minutes))
    await form.get_by_label(SKILL).check()
    await form.get_by_role("button", name="Log this meeting").click()
    await expect(page.get_by_role("status")).to_have_text(f"Meeting logged: {minutes} minutes.")


async def test_the_program_journey_from_request_to_audit_log(
    new_page, live_server: LiveServer, demo: Demo
):
    cast = await build_cast(live_server, demo)
    private_text = f"PRIVATE {cast.tag}: seems overwhelmed by the schedule; check in Friday."
    shared_text = f"SHARED {cast.tag}: next time we practise the calm-down script together."
    referred_private = f"REFERRED PRIVATE {cast.tag}: worried about the team meeting."
    referred_shared = f"REFERRED SHARED {cast.tag}: great progress on the de-escalation plan."

    # 1. The employee asks for help.
    employee = await new_page("desktop")
    await sign_in(employee, cast.employee.email, cast.employee.password)
    await open_menu(employee, "Ask for help")
    await choose_skill(employee)
    await employee.get_by_label("Tell us a little more").fill(
        "Two students in my room argue every afternoon and I do not know how to calm it down."
    )
    await employee.get_by_role("button", name="Send my request").click()
    await expect(employee.get_by_role("status")).to_be_visible()
    await axe(employee)

    # 2. The supervisor refers a supervisee, who reads the agreement wording and consents.
    supervisor = await new_page("desktop")
    await sign_in(supervisor, cast.supervisor.email, cast.supervisor.password)
    await open_menu(supervisor, "Refer someone")
    await supervisor.get_by_label("Who are you referring?").select_option(
        value=str(cast.supervisee_id)
    )
    await choose_skill(supervisor)
    await supervisor.get_by_label("Why are you referring them?").fill(
        "Reza asked me about support with a difficult classroom team."
    )
    await supervisor.get_by_role("button", name="Send the referral").click()
    await expect(supervisor).to_have_url(re.compile(r"/referrals/\d+$"))
    referral_path = supervisor.url.removeprefix(live_server.url)

    supervisee = await new_page("desktop")
    await sign_in(supervisee, cast.supervisee.email, cast.supervisee.password)
    await supervisee.get_by_role("link", name="Read and answer the referral").click()
    await expect(supervisee.locator(".agreement-wording")).to_be_visible()
    await supervisee.get_by_role("button", name="I agree: find me a mentor").click()
    await expect(supervisee.get_by_role("status")).to_contain_text("You agreed")

    # 3. The coordinator runs matching and approves both proposals.
    coordinator = await new_page("desktop")
    await sign_in_as(coordinator, demo.coordinator)
    await open_menu(coordinator, "Match board")
    await coordinator.get_by_role("button", name=re.compile(r"^Run matching")).click()
    await expect(coordinator.get_by_role("status").filter(has_text="Matching ran")).to_be_visible()
    mentor_of = {}
    for person in (cast.employee, cast.supervisee):
        card = coordinator.locator(
            "article.proposal",
            has=coordinator.get_by_role(
                "heading", level=3, name=re.compile(rf"^{person.name} with ")
            ),
        )
        heading = await card.get_by_role("heading", level=3).first.inner_text()
        mentor_of[person.name] = cast.mentors[heading.split(" with ", 1)[1].strip()]
        await card.get_by_role("button", name=re.compile(r"^Approve ")).click()
        await expect(
            coordinator.get_by_role("status").filter(has_text=f"Approved: {person.name}")
        ).to_be_visible()
    await axe(coordinator)

    # 4. Each mentor opens the case from the caseload, logs a meeting and writes two notes.
    case_paths = {}
    for person, private, shared in (
        (cast.employee, private_text, shared_text),
        (cast.supervisee, referred_private, referred_shared),
    ):
        mentor_account = mentor_of[person.name]
        mentor = await new_page("desktop")
        await sign_in(mentor, mentor_account.email, mentor_account.password)
        await open_menu(mentor, "My caseload")
        await mentor.get_by_role("link", name=person.name).first.click()
        await expect(mentor).to_have_url(re.compile(r"/cases/\d+$"))
        case_paths[person.name] = mentor.url.removeprefix(live_server.url)
        await log_meeting(mentor, 45)
        await write_note(mentor, "Private: only you", private)
        await write_note(mentor, "Shared with", shared)
        await expect(mentor.get_by_text(private)).to_be_visible()
        await expect(mentor.get_by_text(shared)).to_be_visible()
        await axe(mentor)
        if person is cast.employee:
            await screenshot(mentor, "journey-mentor-case")

    # 5. The employee sees the meeting and the shared note, never the private one.
    await open_menu(employee, "My case")
    await employee.get_by_role("link", name=re.compile(r"^Open my case with ")).first.click()
    await expect(employee).to_have_url(re.compile(re.escape(case_paths[cast.employee.name]) + "$"))
    await expect(employee.get_by_text(shared_text)).to_be_visible()
    await expect(employee.get_by_role("main")).not_to_contain_text(private_text)
    assert private_text not in await employee.content()
    await axe(employee)
    await screenshot(employee, "journey-employee-case")

    # 6. The referring supervisor sees the referral's status only: no note, no meeting detail.
    await supervisor.goto(referral_path)
    main = supervisor.get_by_role("main")
    await expect(main).to_contain_text(cast.supervisee.name)
    page_text = await supervisor.content()
    for text in (referred_private, referred_shared, private_text, shared_text):
        assert text not in page_text
    await axe(supervisor)
    await screenshot(supervisor, "journey-supervisor-referral")

    # 7. The coordinator finds every read of the employee's notes in the audit log.
    case_number = case_paths[cast.employee.name].rsplit("/", 1)[1]
    await open_menu(coordinator, "Audit log")
    await coordinator.get_by_label("Case number").fill(case_number)
    await coordinator.get_by_label("Action").select_option("read")
    await coordinator.get_by_role("button", name="Show matching events").click()
    rows = coordinator.get_by_role("row")
    mentor_name = mentor_of[cast.employee.name].name
    await expect(
        rows.filter(has_text=cast.employee.name).filter(has_text="Note").first
    ).to_be_visible()
    await expect(rows.filter(has_text=mentor_name).filter(has_text="Note").first).to_be_visible()
    await axe(coordinator)
    await screenshot(coordinator, "journey-coordinator-audit")
