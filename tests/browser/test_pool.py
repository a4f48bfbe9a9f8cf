"""The mentor pool in a real browser: an employee applies, a coordinator decides; a mentor
records training and a coordinator checks it; a coordinator runs the pool (capacity, new cases,
suspension); everyone's training and hours, with the CSV transcript download."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from typing import Any

import httpx
from playwright.async_api import Page, expect

from mentorship.access.roles import Role
from mentorship.agreement.terms import DEFAULT_TERMS
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
REQUIRED = [(t.topic, t.min_hours) for t in DEFAULT_TERMS.required_training.topics]
CONFIDENTIALITY = "Confidentiality"


async def open_from_menu(page: Page, label: str) -> None:
    """Follow a link in the main menu, as a person would."""
    menu = page.get_by_role("navigation", name="Main menu")
    if not await menu.is_visible():  # the phone's menu is folded away
        await page.get_by_text("Menu", exact=True).click()
        menu = page.get_by_role("navigation", name="Main menu (small screen)")
    await menu.get_by_role("link", name=label, exact=True).click()
    await page.wait_for_load_state()


async def signed_in_page(new_page: Any, account: Account, viewport: str = "desktop") -> Page:
    page: Page = await new_page(viewport)
    await sign_in_as(page, account)
    return page


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def pool_id(coordinator: httpx.AsyncClient, name: str) -> int:
    """The account id of the person called `name` in the pool (any status)."""
    everyone = ok(await coordinator.get(f"{API}/mentor-pool/"))
    return next(m["account_id"] for m in everyone if m["display_name"] == name)


async def apply_over_api(live_server: LiveServer, person: Account) -> None:
    client = await live_server.api_client(person)
    skills = ok(await client.get(f"{API}/skills"))
    body = {
        "skills": [{"skill_id": skills[0]["id"], "level": 2}],
        "languages": ["English"],
        "statement": "Twelve years in a resource room; happy to help new colleagues.",
    }
    ok(await client.post(f"{API}/mentor-pool/applications", json=body), 201)


async def complete_training(
    coordinator: httpx.AsyncClient, account_id: int, skip: str | None = None
) -> None:
    """The agreement's required training, recorded (and so verified) by a coordinator."""
    total = DEFAULT_TERMS.required_training.total_min_hours
    extra = max(0.0, total - sum(hours for _, hours in REQUIRED))
    for index, (topic, hours) in enumerate(REQUIRED):
        if topic == skip:
            continue
        body = {
            "topic": topic,
            "hours": hours + (extra if index == 0 else 0),
            "completed_on": (date.today() - timedelta(days=20)).isoformat(),
            "provider": "Union ESP Training Institute",
            "account_id": account_id,
        }
        ok(await coordinator.post(f"{API}/training-records", json=body), 201)


async def approved_mentor(live_server: LiveServer, demo: Demo, name: str) -> tuple[Account, int]:
    person = await live_server.create_user(Role.EMPLOYEE, name=name)
    await apply_over_api(live_server, person)
    coordinator = await live_server.api_client(demo.coordinator)
    account_id = await pool_id(coordinator, name)
    await complete_training(coordinator, account_id)
    ok(await coordinator.post(f"{API}/mentor-pool/{account_id}/approve"))
    return person, account_id


# --- applying and deciding ------------------------------------------------------------------


async def test_an_employee_applies_and_a_coordinator_approves(new_page, live_server, demo):
    name = "Priya Applicant"
    person = await live_server.create_user(Role.EMPLOYEE, name=name)
    page = await signed_in_page(new_page, person)
    await open_from_menu(page, "Mentor application")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Become a mentor")
    await expect(page.get_by_role("heading", name="Your application")).to_be_visible()
    await axe(page)
    await screenshot(page, "mentor-apply")

    # Nothing filled in: the form comes back with a message at each field.
    response_status: list[int] = []
    page.on(
        "response",
        lambda r: response_status.append(r.status) if r.request.method == "POST" else None,
    )
    await page.get_by_role("button", name="Send my application").click()
    await page.wait_for_load_state()
    assert 422 in response_status
    summary = page.get_by_role("alert")
    await expect(summary).to_contain_text("Choose at least one skill and your level in it.")
    await expect(summary).to_contain_text("Enter at least one language you can mentor in.")
    await expect(summary).to_contain_text("Tell us in a few words why you want to mentor.")
    await expect(page.get_by_label("Why you want to mentor")).to_have_attribute(
        "aria-invalid", "true"
    )
    await axe(page)

    # Part filled: what was typed stays.
    first_skill = page.locator("#skills select").first
    await first_skill.select_option(label="Expert")
    await page.get_by_role("button", name="Send my application").click()
    await page.wait_for_load_state()
    await expect(page.locator("#skills select").first).to_have_value("3")
    await expect(page.get_by_role("alert")).not_to_contain_text("Choose at least one skill")

    await page.get_by_label("Languages you can mentor in").fill("English, spanish")
    await page.get_by_label("Why you want to mentor").fill("I have supported new aides for years.")
    await page.get_by_role("button", name="Send my application").click()
    await expect(page.get_by_role("status")).to_contain_text("Your application was sent")
    await expect(page.get_by_text("Waiting for a decision")).to_be_visible()
    await expect(page.get_by_label("Languages you can mentor in")).to_have_value("English, Spanish")
    await expect(page.get_by_role("heading", name="Change your application")).to_be_visible()
    await axe(page)

    # The coordinator cannot approve before the training is complete: the page says why.
    coordinator_page = await signed_in_page(new_page, demo.coordinator)
    await open_from_menu(coordinator_page, "Applications")
    card = coordinator_page.get_by_role("article", name=name)
    await expect(card).to_contain_text("I have supported new aides for years.")
    await expect(card).to_contain_text("English, Spanish")
    await expect(card).to_contain_text("Not complete")
    await axe(coordinator_page)
    await card.get_by_role("button", name=f"Approve {name}").click()
    await expect(coordinator_page.get_by_role("alert")).to_contain_text(
        f"{name} could not be approved: training is not complete"
    )
    await axe(coordinator_page)

    # Declining needs a reason.
    card = coordinator_page.get_by_role("article", name=name)
    await card.get_by_role("button", name="Decline this application").click()
    await expect(coordinator_page.get_by_role("alert")).to_contain_text(
        "Give a reason for declining"
    )
    await expect(
        coordinator_page.get_by_role("article", name=name).get_by_label("Reason for declining")
    ).to_have_attribute("aria-invalid", "true")
    await axe(coordinator_page)

    # Training completed (recorded by a coordinator): approved with a lower capacity.
    coordinator = await live_server.api_client(demo.coordinator)
    await complete_training(coordinator, await pool_id(coordinator, name))
    await open_from_menu(coordinator_page, "Applications")
    card = coordinator_page.get_by_role("article", name=name)
    await expect(card).to_contain_text("Complete")
    await screenshot(coordinator_page, "coordinator-applications")
    await card.get_by_label("Cases they can take").select_option("2")
    await card.get_by_role("button", name=f"Approve {name}").click()
    await expect(coordinator_page.get_by_role("status")).to_have_text(f"{name} is now a mentor.")
    await expect(coordinator_page.get_by_role("article", name=name)).to_have_count(0)

    await page.reload()
    await expect(page.get_by_text("Active mentor")).to_be_visible()
    await expect(page.get_by_text("You can take up to 2 cases at a time.")).to_be_visible()
    await page.get_by_role("button", name="Pause new cases").click()
    await expect(page.get_by_role("status")).to_contain_text("You will not be offered new cases")
    await expect(page.get_by_role("button", name="Take new cases again")).to_be_visible()
    await axe(page)


async def test_a_coordinator_declines_and_the_applicant_reads_why(new_page, live_server, demo):
    name = "Omar Declined"
    person = await live_server.create_user(Role.EMPLOYEE, name=name)
    await apply_over_api(live_server, person)
    coordinator_page = await signed_in_page(new_page, demo.coordinator, "phone")
    await coordinator_page.goto("/pool/applications")
    await assert_no_horizontal_scroll(coordinator_page)
    card = coordinator_page.get_by_role("article", name=name)
    await card.get_by_label("Reason for declining").fill("Please finish the training first.")
    await card.get_by_role("button", name="Decline this application").click()
    await expect(coordinator_page.get_by_role("status")).to_have_text(
        f"The application from {name} was declined."
    )

    page = await signed_in_page(new_page, person, "phone")
    await page.goto("/mentor/apply")
    await expect(page.get_by_text("Application declined")).to_be_visible()
    await expect(page.get_by_text("Please finish the training first.")).to_be_visible()
    await expect(page.get_by_role("heading", name="Apply again")).to_be_visible()
    await expect(page.get_by_label("Why you want to mentor")).to_have_value(
        "Twelve years in a resource room; happy to help new colleagues."
    )
    await axe(page)
    await assert_no_horizontal_scroll(page)


# --- training -------------------------------------------------------------------------------


async def test_a_mentor_records_training_and_a_coordinator_verifies_it(new_page, live_server, demo):
    name = "Tomas Trainee"
    person, _ = await approved_mentor(live_server, demo, name)
    page = await signed_in_page(new_page, person)
    await open_from_menu(page, "My mentor training")
    await expect(page.get_by_role("heading", level=1)).to_have_text("My mentor training")
    await expect(page.get_by_text("Training complete")).to_be_visible()
    await axe(page)

    # Bad input: hours not in quarter hours, a date in the future.
    future = (date.today() + timedelta(days=5)).isoformat()
    await page.get_by_label("Topic", exact=True).fill(CONFIDENTIALITY)
    await page.get_by_label("Hours", exact=True).fill("1.3")
    await page.get_by_label("Date you finished").fill(future)
    await page.get_by_role("button", name="Add this training").click()
    await expect(page.get_by_role("alert")).to_contain_text("in quarter hours")
    await expect(page.get_by_label("Hours", exact=True)).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("Topic", exact=True)).to_have_value(CONFIDENTIALITY)
    await axe(page)
    await page.get_by_label("Hours", exact=True).fill("1.5")
    await page.get_by_role("button", name="Add this training").click()
    await expect(page.get_by_role("alert")).to_contain_text(
        "The date you finished cannot be in the future."
    )
    await axe(page)

    yesterday = (date.today() - timedelta(days=1)).isoformat()
    await page.get_by_label("Date you finished").fill(yesterday)
    await page.get_by_label("Who gave the training").fill("Union hall workshop")
    await page.get_by_role("button", name="Add this training").click()
    await expect(page.get_by_role("status")).to_contain_text(
        f"Your training “{CONFIDENTIALITY}” was recorded."
    )
    row = page.get_by_role("row").filter(has_text="Union hall workshop")
    await expect(row).to_contain_text("Waiting for a check")
    await expect(page.get_by_text("1.5 h of your training is waiting")).to_be_visible()
    await screenshot(page, "mentor-training")

    # A second record, entered by mistake.
    await page.get_by_label("Topic", exact=True).fill("Playground duty")
    await page.get_by_label("Hours", exact=True).fill("20")
    await page.get_by_label("Date you finished").fill(yesterday)
    await page.get_by_role("button", name="Add this training").click()
    await expect(page.get_by_role("status")).to_contain_text("Playground duty")

    coordinator_page = await signed_in_page(new_page, demo.coordinator)
    await open_from_menu(coordinator_page, "Training to verify")
    await expect(coordinator_page.get_by_role("heading", level=1)).to_have_text(
        "Training to verify"
    )
    mine = coordinator_page.get_by_role("row").filter(has_text=name)
    await expect(mine).to_have_count(2)
    await axe(coordinator_page)
    await screenshot(coordinator_page, "coordinator-training")

    await coordinator_page.get_by_role(
        "button", name=f"Verify {CONFIDENTIALITY} for {name}"
    ).click()
    await expect(coordinator_page.get_by_role("status")).to_contain_text(
        f"Verified: {name}, “{CONFIDENTIALITY}”."
    )
    await coordinator_page.get_by_role("link", name=f"Remove Playground duty for {name}").click()
    await expect(coordinator_page.get_by_role("heading", level=1)).to_have_text(
        "Remove a training record?"
    )
    await axe(coordinator_page)
    await coordinator_page.get_by_role("button", name="Remove this training record").click()
    await expect(coordinator_page).to_have_url(re.compile(r"/pool/training$"))
    await expect(coordinator_page.get_by_role("status")).to_contain_text(
        "The training record “Playground duty” was removed."
    )
    await expect(coordinator_page.get_by_role("row").filter(has_text=name)).to_have_count(0)

    await page.reload()
    row = page.get_by_role("row").filter(has_text="Union hall workshop")
    await expect(row).to_contain_text("Checked")
    await expect(page.get_by_text("Playground duty")).to_have_count(0)


async def test_the_training_pages_fit_a_phone(new_page, live_server, demo):
    person = await live_server.create_user(Role.EMPLOYEE, Role.MENTOR, name="Phone Trainee")
    page = await signed_in_page(new_page, person, "phone")
    await open_from_menu(page, "My mentor training")
    await expect(page.get_by_text("Training not complete")).to_be_visible()
    await page.get_by_label("Topic", exact=True).fill(CONFIDENTIALITY)
    await page.get_by_label("Hours", exact=True).fill("2")
    await page.get_by_label("Date you finished").fill(
        (date.today() - timedelta(days=3)).isoformat()
    )
    await page.get_by_role("button", name="Add this training").click()
    await expect(page.get_by_role("status")).to_contain_text("was recorded")
    await assert_no_horizontal_scroll(page)
    await axe(page)

    coordinator_page = await signed_in_page(new_page, demo.coordinator, "phone")
    await coordinator_page.goto("/pool/training")
    await expect(
        coordinator_page.get_by_role("row").filter(has_text="Phone Trainee")
    ).to_have_count(1)
    await assert_no_horizontal_scroll(coordinator_page)
    await axe(coordinator_page)


# --- the pool -------------------------------------------------------------------------------


async def test_a_coordinator_changes_capacity_and_suspends_and_reinstates(
    new_page, live_server, demo
):
    name = "Carla Capacity"
    await approved_mentor(live_server, demo, name)
    page = await signed_in_page(new_page, demo.coordinator)
    await open_from_menu(page, "Mentor pool")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mentor pool")
    await page.get_by_label("Show").select_option(label="Active mentors")
    await page.get_by_role("button", name="Show these people").click()
    await expect(page).to_have_url(re.compile(r"status=approved"))
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=name, exact=True))
    await expect(row).to_contain_text("Active mentor")
    await expect(row).to_contain_text("0 of 3")
    await expect(row).to_contain_text("Current")
    await axe(page)
    await screenshot(page, "coordinator-mentor-pool")

    await row.get_by_role("link", name=name).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    await axe(page)

    await page.get_by_label("Cases they can take").select_option("2")
    await page.get_by_role("button", name="Save capacity").click()
    await expect(page.get_by_role("status")).to_have_text(f"{name} can now take up to 2 cases.")
    await expect(page.get_by_label("Cases they can take")).to_have_value("2")

    await page.get_by_role("button", name="Pause new cases").click()
    await expect(page.get_by_role("status")).to_contain_text("will not be offered new cases")
    await expect(page.get_by_text("Not taking new cases for now", exact=True)).to_be_visible()
    await page.get_by_role("button", name="Take new cases again").click()
    await expect(page.get_by_text("Taking new cases", exact=True)).to_be_visible()

    await page.get_by_role("button", name=f"Suspend {name}").click()
    await expect(page.get_by_role("alert")).to_contain_text("Give a reason for suspending")
    await expect(page.get_by_label("Reason for suspending")).to_have_attribute(
        "aria-invalid", "true"
    )
    await axe(page)
    await page.get_by_label("Reason for suspending").fill("On leave until the spring term.")
    await page.get_by_role("button", name=f"Suspend {name}").click()
    await expect(page.get_by_role("status")).to_contain_text(f"{name} is suspended")
    await expect(page.locator("main .badge").first).to_have_text("Suspended")
    await expect(page.get_by_text("On leave until the spring term.")).to_be_visible()

    await page.goto("/pool/mentors?status=suspended")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=name, exact=True))
    await expect(row).to_contain_text("Suspended")
    await expect(row).to_contain_text("0 of 2")
    await row.get_by_role("link", name=name).click()

    await page.get_by_role("button", name=f"Reinstate {name}").click()
    await expect(page.get_by_role("status")).to_have_text(f"{name} is an active mentor again.")
    await expect(page.locator("main .badge").first).to_have_text("Active mentor")
    await axe(page)


async def test_a_coordinator_records_training_and_retires_a_mentor(new_page, live_server, demo):
    name = "Rita Retiring"
    person = await live_server.create_user(Role.EMPLOYEE, name=name)
    await apply_over_api(live_server, person)
    coordinator = await live_server.api_client(demo.coordinator)
    account_id = await pool_id(coordinator, name)
    await complete_training(coordinator, account_id, skip=CONFIDENTIALITY)

    page = await signed_in_page(new_page, demo.coordinator, "phone")
    await page.goto(f"/pool/mentors/{account_id}")
    await expect(page.get_by_text("Training not complete")).to_be_visible()
    await expect(page.get_by_text(f"{CONFIDENTIALITY}: 2 h more")).to_be_visible()
    await assert_no_horizontal_scroll(page)
    await axe(page)

    await page.get_by_label("Topic", exact=True).fill(CONFIDENTIALITY)
    await page.get_by_label("Hours", exact=True).fill("2")
    await page.get_by_label("Date finished").fill((date.today() - timedelta(days=2)).isoformat())
    await page.get_by_role("button", name="Record this training").click()
    await expect(page.get_by_role("status")).to_contain_text(f"“{CONFIDENTIALITY}” was recorded")
    await expect(page.get_by_text("Training complete")).to_be_visible()

    await page.get_by_role("button", name=f"Approve {name}").click()
    await expect(page.get_by_role("status")).to_have_text(f"{name} is now a mentor.")
    await page.get_by_label("Reason for leaving").fill("Moved to another district.")
    await page.get_by_role("button", name=f"Take {name} out of the pool").click()
    await expect(page.get_by_role("status")).to_have_text(f"{name} has left the mentor pool.")
    await expect(page.locator("main .badge").first).to_have_text("Left the pool")
    await assert_no_horizontal_scroll(page)
    await axe(page)

    await page.goto("/pool/mentors")
    await assert_no_horizontal_scroll(page)
    await axe(page)


async def test_pool_pages_are_for_coordinators_only(new_page, live_server):
    person = await live_server.create_user(Role.EMPLOYEE)
    page = await signed_in_page(new_page, person)
    for path in ("/pool/applications", "/pool/training", "/pool/mentors"):
        response = await page.goto(path)
        assert response is not None and response.status == 403, path
    await expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")


# --- the professional-development record ----------------------------------------------------


async def test_the_demo_mentor_sees_hours_by_topic_and_downloads_the_transcript(
    new_page, live_server, demo
):
    client = await live_server.api_client(demo.mentor)
    expected = ok(await client.get(f"{API}/transcripts/mine"))
    assert expected["mentoring"], "the demo mentor has meetings as a mentor"

    page = await signed_in_page(new_page, demo.mentor)
    await open_from_menu(page, "My training and hours")
    await expect(page.get_by_role("heading", level=1)).to_have_text("My training and hours")
    given = page.locator("#mentoring-hours")
    for topic in expected["mentoring"]:
        await expect(given.get_by_role("row").filter(has_text=topic["topic"])).to_have_count(1)
    training = page.locator("#training-hours")
    await expect(training).to_contain_text(CONFIDENTIALITY)
    await axe(page)

    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Download (CSV)").click()
    download = await download_info.value
    assert re.fullmatch(r"pd-transcript-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    path = await download.path()
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0] == ["person", "kind", "topic", "hours"]
    given_topics = {row[2] for row in rows[1:] if row[1] == "mentoring given"}
    assert {t["topic"] for t in expected["mentoring"]} <= given_topics
    assert all(row[0] == demo.mentor.name for row in rows[1:])

    phone = await signed_in_page(new_page, demo.mentor, "phone")
    await phone.goto("/development")
    await assert_no_horizontal_scroll(phone)


async def test_an_employee_sees_their_own_development_record(new_page, demo):
    page = await signed_in_page(new_page, demo.employee)
    await open_from_menu(page, "My training and hours")
    await expect(page.get_by_role("heading", name="Mentoring received")).to_be_visible()
    await expect(page.get_by_role("link", name="Download (CSV)")).to_be_visible()
    await axe(page)
    await screenshot(page, "employee-development")

    phone = await signed_in_page(new_page, demo.employee, "phone")
    await open_from_menu(phone, "My training and hours")
    await assert_no_horizontal_scroll(phone)
    await axe(phone)
