"""The coordinator's request queue and match board in a real browser.

The demo district's run is only looked at. Every decision (reject, approve, override, assign
by hand) is taken on requests this file creates at sites of its own, joined to no demo site,
so its mentors can only be matched with its requests. Approving a whole run approves the demo
proposals still waiting too, so that is done last, in the last test of the file.
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


async def open_from_menu(page: Page, label: str) -> None:
    """Follow a link of the main menu (the desktop one, or the phone's folded one)."""
    menu = page.get_by_role("navigation", name="Main menu")
    if not await menu.is_visible():
        await page.get_by_text("Menu", exact=True).click()
        menu = page.get_by_role("navigation", name="Main menu (small screen)")
    await menu.get_by_role("link", name=label).click()


# --- the demo coordinator looks around ---------------------------------------------------


async def test_the_queue_lists_waiting_requests_urgent_first_with_waiting_times(
    page: Page, demo: Demo
):
    await sign_in_as(page, demo.coordinator)
    await open_from_menu(page, "Request queue")
    await expect(page).to_have_url(re.compile(r"/queue$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Request queue")
    await expect(page.get_by_role("link", name="Request queue").first).to_have_attribute(
        "aria-current", "page"
    )
    await axe(page)

    # The demo keeps proposals waiting for review: the "proposed" filter lists them.
    await page.get_by_label("Show requests").select_option("proposed")
    await page.get_by_role("button", name="Show").click()
    await expect(page).to_have_url(re.compile(r"/queue\?state=proposed$"))
    heading = page.locator("main").get_by_role("heading", level=2)
    await expect(heading.first).to_contain_text("A mentor is proposed:")
    table = page.get_by_role("table")
    rows = table.locator("tbody tr")
    assert await rows.count() > 0
    first = rows.first
    # Waiting time in words ("3 days", "5 hours"), never a raw timestamp or an enum value.
    await expect(first.locator("td").nth(1)).to_contain_text(
        re.compile(r"\d+ (second|minute|hour|day|week|month|year)s?")
    )
    await expect(first.locator("td").nth(2)).to_have_text(re.compile(r"^(Urgent|Not urgent)$"))
    await expect(first.locator("td").nth(3)).to_have_text(
        re.compile(r"^(Asked for help themselves|Referred by a supervisor)$")
    )
    await expect(first.locator("td").nth(4)).to_contain_text(
        re.compile(r"\((essential|important|nice to have)\)")
    )
    body = await page.locator("main").inner_text()
    assert "awaiting_consent" not in body and "voluntary" not in body
    # Urgent requests come first.
    urgencies = await rows.locator("td:nth-child(3)").all_inner_texts()
    seen_normal = False
    for word in urgencies:
        if word.strip() == "Not urgent":
            seen_normal = True
        assert not (seen_normal and word.strip() == "Urgent"), urgencies
    await axe(page)
    await screenshot(page, "coordinator-queue")

    for state in ("all", "awaiting_consent", "open"):
        await page.goto(f"/queue?state={state}")
        await expect(page.get_by_label("Show requests")).to_have_value(state)
        await axe(page)

    await page.get_by_role("link", name="Go to the match board").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Match board")


async def test_the_queue_fits_a_phone(phone_page: Page, demo: Demo):
    await sign_in_as(phone_page, demo.coordinator)
    await open_from_menu(phone_page, "Request queue")
    await phone_page.goto("/queue?state=all")
    await expect(phone_page.get_by_role("table")).to_be_visible()
    await axe(phone_page)
    await assert_no_horizontal_scroll(phone_page)


async def test_the_match_board_shows_the_demo_run_side_by_side(page: Page, demo: Demo):
    await sign_in_as(page, demo.coordinator)
    await open_from_menu(page, "Match board")
    await expect(page).to_have_url(re.compile(r"/matching$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Match board")
    await expect(page.get_by_role("heading", name=re.compile(r"^Latest run: "))).to_be_visible()
    await expect(page.get_by_role("button", name="Run matching again")).to_be_visible()

    pending = page.get_by_role("region", name=re.compile(r"^Waiting for your review \(\d+\)$"))
    card = pending.locator("article.proposal").first
    await expect(card).to_be_visible()
    await expect(card.get_by_role("heading", level=4).first).to_contain_text("needs")
    await expect(card).to_contain_text("Skills")
    await expect(card).to_contain_text("Caseload now")
    await expect(card).to_contain_text(re.compile(r"\d+ of \d+ places? taken"))
    await expect(card).to_contain_text("Why this mentor:")
    await expect(
        card.get_by_role("button", name=re.compile(r"^Approve .+ for .+$"))
    ).to_be_visible()

    # The demo approved some of its proposals: they show as approved, with their case.
    decided = page.get_by_role("region", name=re.compile(r"^Decided \(\d+\)$"))
    approved = decided.locator("article.proposal", has_text="Approved by").first
    await expect(
        approved.get_by_role("link", name=re.compile("^Open the case of "))
    ).to_have_attribute("href", re.compile(r"^/cases/\d+$"))

    # Past runs link to their own board.
    runs = page.get_by_role("table", name="Past match runs, newest first")
    await expect(runs.locator("tbody tr").first).to_contain_text("Latest")
    body = await page.locator("main").inner_text()
    for raw in ("pending", "no_feasible_mentor", "outcompeted", "superseded"):
        assert raw not in body
    await axe(page)
    await screenshot(page, "coordinator-match-board", full_page=False)

    # One proposal in full: the points and the alternatives, with the decision forms.
    await card.get_by_role("link", name=re.compile(r"^Reject, or choose another mentor")).click()
    await expect(page).to_have_url(re.compile(r"/matching/proposals/\d+$"))
    await expect(page.get_by_role("heading", level=2, name="Why this mentor")).to_be_visible()
    await expect(page.get_by_role("table", name="How the points add up")).to_be_visible()
    await expect(page.get_by_role("heading", name="Other mentors considered")).to_be_visible()
    await expect(page.get_by_label("Why you reject this match")).to_be_visible()
    await expect(page.get_by_label("Mentor", exact=True)).to_be_visible()
    await axe(page)
    await screenshot(page, "coordinator-proposal")
    await page.get_by_role("link", name="Back to the match board").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Match board")


async def test_the_match_board_and_a_proposal_fit_a_phone(phone_page: Page, demo: Demo):
    page = phone_page
    await sign_in_as(page, demo.coordinator)
    await open_from_menu(page, "Match board")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Match board")
    await axe(page)
    await assert_no_horizontal_scroll(page)
    await page.locator("article.proposal a[href^='/matching/proposals/']").first.click()
    await expect(page.get_by_role("heading", name="Why this mentor")).to_be_visible()
    await axe(page)
    await assert_no_horizontal_scroll(page)


# --- decisions on requests made here ------------------------------------------------------


@dataclass
class Review:
    """This file's own corner of the district: two sites 10 min apart, a third joined to
    nothing, three mentors at the second site, and employees at the first and the third."""

    tag: str
    coordinator: httpx.AsyncClient
    sites: dict[str, int] = field(default_factory=dict)
    mentors: dict[str, int] = field(default_factory=dict)
    employees: dict[str, int] = field(default_factory=dict)


async def _account_id(live_server: LiveServer, account: Account) -> int:
    client = await live_server.api_client(account)
    response = await client.get(f"{API}/me/profile")
    assert response.status_code == 200, response.text
    return int(response.json()["account_id"])


async def _ok(response: httpx.Response) -> dict:
    assert response.status_code in (200, 201, 204), f"{response.request.url}: {response.text}"
    return response.json() if response.content else {}


async def build_review(live_server: LiveServer, demo: Demo) -> Review:
    admin = await live_server.admin()
    coordinator = await live_server.api_client(demo.coordinator)
    tag = secrets.token_hex(3).upper()
    review = Review(tag, coordinator)
    for key, name in (("home", "Harbor"), ("work", "Willow"), ("far", "Faraway")):
        site = await _ok(
            await admin.post(
                f"{API}/sites",
                json={
                    "code": f"MB{key.upper()}{tag}",
                    "name": f"{name} School {tag}",
                    "setting_type": "general_education",
                    "region": f"Board test {tag}",
                },
            )
        )
        review.sites[key] = site["id"]
    await _ok(
        await admin.put(
            f"{API}/sites/{review.sites['home']}/links/{review.sites['work']}",
            json={"minutes": 10},
        )
    )
    skills = await _ok(await admin.get(f"{API}/skills"))  # type: ignore[assignment]
    skill_id = skills[0]["id"] if isinstance(skills, list) else None
    assert skill_id is not None
    terms = (await _ok(await coordinator.get(f"{API}/agreement")))["terms"]
    topics = terms["required_training"]["topics"]
    total = float(terms["required_training"]["total_min_hours"])
    hours = float(
        math.ceil(max([float(t["min_hours"]) for t in topics] + [total / max(len(topics), 1)])) + 1
    )
    done = (date.today() - timedelta(days=5)).isoformat()

    async def person(name: str, site: str, *roles: Role) -> tuple[Account, int]:
        account = await live_server.create_user(*roles, name=f"{name} {tag}")
        account_id = await _account_id(live_server, account)
        await _ok(
            await admin.patch(
                f"{API}/employees/{account_id}",
                json={"site_id": review.sites[site], "languages": ["English"]},
            )
        )
        return account, account_id

    for name in ("Mira Mentor", "Niko Mentor", "Oren Mentor"):
        account, account_id = await person(name, "work", Role.EMPLOYEE)
        client = await live_server.api_client(account)
        await _ok(
            await client.post(
                f"{API}/mentor-pool/applications",
                json={
                    "skills": [{"skill_id": skill_id, "level": 3}],
                    "languages": ["English"],
                    "statement": "I have supported classrooms for years.",
                },
            )
        )
        for topic in topics:
            await _ok(
                await coordinator.post(
                    f"{API}/training-records",
                    json={
                        "topic": topic["topic"],
                        "hours": hours,
                        "completed_on": done,
                        "account_id": account_id,
                    },
                )
            )
        await _ok(await coordinator.post(f"{API}/mentor-pool/{account_id}/approve", json={}))
        review.mentors[name] = account_id

    for name, site in (
        ("Ada Reject", "home"),
        ("Ben Approve", "home"),
        ("Cleo Override", "home"),
        ("Dara Later", "home"),
        ("Eli Faraway", "far"),
    ):
        account, account_id = await person(name, site, Role.EMPLOYEE)
        client = await live_server.api_client(account)
        await _ok(
            await client.post(
                f"{API}/requests",
                json={
                    "needed_skills": [{"skill_id": skill_id, "priority": 3}],
                    "description": "I would like help with a student who escalates quickly.",
                    "urgency": "urgent" if name.startswith("Eli") else "normal",
                },
            )
        )
        review.employees[name] = account_id
    return review


def card_of(page: Page, review: Review, name: str):
    """The proposal card for one of this file's employees."""
    return page.locator(
        "article.proposal",
        has=page.get_by_role("heading", level=3, name=re.compile(rf"^{name} {review.tag} with ")),
    )


async def test_the_coordinator_runs_matching_and_decides_each_proposal(
    new_page, live_server: LiveServer, demo: Demo
):
    review = await build_review(live_server, demo)
    page: Page = await new_page("desktop")
    await sign_in_as(page, demo.coordinator)

    # The new requests are in the queue, waiting.
    await open_from_menu(page, "Request queue")
    await expect(
        page.get_by_role("row", name=re.compile(f"Ada Reject {review.tag}"))
    ).to_be_visible()
    urgent = page.get_by_role("row", name=re.compile(f"Eli Faraway {review.tag}"))
    await expect(urgent.get_by_text("Urgent", exact=True)).to_be_visible()

    # Run matching with the button.
    await open_from_menu(page, "Match board")
    await page.get_by_role("button", name=re.compile(r"^Run matching")).click()
    await expect(page.get_by_role("status")).to_contain_text(
        re.compile(r"Matching ran: \d+ proposals? to review")
    )
    await expect(page).to_have_url(re.compile(r"/matching/runs/\d+$"))
    for name in ("Ada Reject", "Ben Approve", "Cleo Override", "Dara Later"):
        card = card_of(page, review, name)
        await expect(card).to_be_visible()
        await expect(card).to_contain_text("10 min from the employee's site")
        await expect(card).to_contain_text(f"School {review.tag}")
    await axe(page)

    # The request at the site joined to nothing is not matched, and says why.
    unmatched = page.locator(
        "article", has=page.get_by_role("heading", level=3, name=f"Eli Faraway {review.tag}")
    )
    await expect(unmatched).to_contain_text("No mentor in the pool meets the rules")
    await expect(unmatched).to_contain_text("no route on the site graph")

    # Reject without a reason: the form comes back (422) with the message at the field.
    await (
        card_of(page, review, "Ada Reject")
        .get_by_role("link", name=re.compile(r"^Reject, or choose another mentor"))
        .click()
    )
    proposal_url = page.url
    async with page.expect_response(lambda r: r.request.method == "POST") as posted:
        await page.get_by_role("button", name="Reject this match").click()
    assert (await posted.value).status == 422
    await expect(page).to_have_title(re.compile(r"^Error: "))
    reason = page.get_by_label("Why you reject this match")
    await expect(reason).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#reason-error")).to_contain_text("is required")
    await expect(page.get_by_role("alert")).to_contain_text("Please check the form")
    await axe(page)
    await screenshot(page, "coordinator-proposal-reject-error")

    # Then with a reason: back on the board, marked rejected with the reason.
    await reason.fill("They already worked together last year; a fresh pair is better.")
    await page.get_by_role("button", name="Reject this match").click()
    await expect(page.get_by_role("status")).to_contain_text("Rejected")
    rejected = card_of(page, review, "Ada Reject")
    await expect(rejected.get_by_text("Rejected", exact=True)).to_be_visible()
    await expect(rejected).to_contain_text("a fresh pair is better")
    await expect(rejected.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)
    await axe(page)
    await page.goto(proposal_url)
    await expect(page.get_by_role("heading", name="Decision")).to_be_visible()
    await expect(page.get_by_label("Why you reject this match")).to_have_count(0)
    await axe(page)
    await page.go_back()

    # Approve one on the board: the card changes in place and links to the case.
    board_url = page.url
    ben = card_of(page, review, "Ben Approve")
    await ben.get_by_role("button", name=re.compile(r"^Approve ")).click()
    await expect(ben.get_by_role("status")).to_contain_text("The case is open")
    await expect(ben.get_by_text("Approved", exact=True)).to_be_visible()
    await expect(ben.get_by_role("link", name=re.compile(r"^Open the case of "))).to_have_attribute(
        "href", re.compile(r"^/cases/\d+$")
    )
    assert page.url == board_url
    await axe(page)
    # A full reload agrees: it is among the decided ones.
    await page.reload()
    decided = page.get_by_role("region", name=re.compile(r"^Decided \(\d+\)$"))
    await expect(card_of(page, review, "Ben Approve")).to_have_count(1)
    await expect(decided.locator("article", has_text=f"Ben Approve {review.tag}")).to_have_count(1)

    # Override: choose another of this file's mentors, after first forgetting to choose.
    cleo = card_of(page, review, "Cleo Override")
    proposed_title = await cleo.get_by_role("heading", level=3).inner_text()
    proposed = proposed_title.split(" with ", 1)[1]
    await cleo.get_by_role("link", name=re.compile(r"^Reject, or choose another mentor")).click()
    await page.get_by_role("button", name="Assign this mentor instead").click()
    await expect(page.locator("#mentor_id-error")).to_contain_text("Choose the mentor")
    await expect(page.locator("#override_reason-error")).to_contain_text("Say why")
    await axe(page)
    other = next(
        f"{name} {review.tag}" for name in review.mentors if f"{name} {review.tag}" != proposed
    )
    option = page.get_by_label("Mentor", exact=True).locator("option", has_text=other).first
    await page.get_by_label("Mentor", exact=True).select_option(await option.get_attribute("value"))
    await page.get_by_label("Why you choose another mentor").fill(
        "Cleo asked for someone she knows."
    )
    await page.get_by_role("button", name="Assign this mentor instead").click()
    await expect(page.get_by_role("status")).to_contain_text(f"{other} will mentor Cleo Override")
    overridden = page.locator(
        "article.proposal", has_text=f"Cleo Override {review.tag} with {proposed}"
    )
    await expect(overridden.get_by_text("Another mentor was chosen", exact=True)).to_be_visible()
    chosen = card_of(page, review, "Cleo Override").filter(has_text=f"with {other}")
    await expect(chosen.get_by_text("Chosen by hand", exact=True)).to_be_visible()
    await expect(chosen.get_by_role("link", name=re.compile(r"^Open the case of "))).to_be_visible()
    await axe(page)

    # Assign the unmatched request by hand: the form asks for a choice, then the rules refuse
    # a mentor with no route to the site, saying why at the field.
    await page.get_by_role(
        "link", name=re.compile(r"^Choose a mentor by hand for Eli Faraway")
    ).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Choose a mentor for Eli Faraway {review.tag}"
    )
    await axe(page)
    async with page.expect_response(lambda r: r.request.method == "POST") as posted:
        await page.get_by_role("button", name="Assign this mentor").click()
    assert (await posted.value).status == 422
    await expect(page.locator("#mentor_id-error")).to_contain_text("Choose a mentor")
    await axe(page)
    mentor_name = f"Mira Mentor {review.tag}"
    option = page.get_by_label("Mentor", exact=True).locator("option", has_text=mentor_name)
    await page.get_by_label("Mentor", exact=True).select_option(await option.get_attribute("value"))
    await page.get_by_label("Why you choose this mentor by hand").fill("Urgent; Mira offered.")
    async with page.expect_response(lambda r: r.request.method == "POST") as posted:
        await page.get_by_role("button", name="Assign this mentor").click()
    assert (await posted.value).status == 409
    await expect(page.locator("#mentor_id-error")).to_contain_text("no route on the site graph")
    await expect(page.get_by_label("Why you choose this mentor by hand")).to_have_value(
        "Urgent; Mira offered."
    )
    await axe(page)
    await screenshot(page, "coordinator-assign-by-hand")

    # Last (it approves the demo's waiting proposals too): approve all that still wait.
    await page.goto("/matching")
    approve_all = page.get_by_role("button", name=re.compile(r"^Approve all \d+ waiting"))
    await approve_all.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Approved proposals")
    await expect(page.get_by_role("status")).to_contain_text("approved")
    await expect(
        page.get_by_role("link", name=re.compile(rf"^Dara Later {review.tag} with "))
    ).to_have_attribute("href", re.compile(r"^/cases/\d+$"))
    await axe(page)
    await page.get_by_role("link", name="Back to the match board").click()
    await expect(page.get_by_text("Every proposal of this run has been decided.")).to_be_visible()
    await expect(page.get_by_role("button", name=re.compile(r"^Approve all"))).to_have_count(0)
    await axe(page)
