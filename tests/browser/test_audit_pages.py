"""The coordinator's audit log in a real browser: filters kept in the form, plain-words
actions with their codes, outcome badges, paging, the CSV export of the current filter, the
chain check on request, a bad filter explained; on a desktop and on a phone."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from tests.browser.helpers import (
    Demo,
    assert_no_horizontal_scroll,
    axe,
    screenshot,
    sign_in_as,
)


async def open_log(page: Page, demo: Demo) -> None:
    await sign_in_as(page, demo.coordinator)
    await (
        page.get_by_role("navigation", name="Main menu", exact=True)
        .get_by_role("link", name="Audit log")
        .click()
    )
    await expect(page).to_have_url(re.compile(r"/audit$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")


def rows(page: Page):
    return page.get_by_role("region", name="Audit events").locator("tbody tr")


async def test_the_log_pages_back_through_older_events(page: Page, demo: Demo):
    await open_log(page, demo)
    await expect(rows(page)).to_have_count(50)
    first_sequence = int((await rows(page).first.locator("td").first.inner_text()).split()[0])
    await expect(rows(page).first.locator("td").nth(4)).to_have_text(re.compile("Allowed|Denied"))
    await axe(page)
    await screenshot(page, "coordinator-audit-log")

    await page.get_by_role("link", name="Older events").click()
    await expect(page).to_have_url(re.compile(r"before=\d+"))
    await expect(page.get_by_role("table").locator("caption")).to_contain_text("Older events")
    older = int((await rows(page).first.locator("td").first.inner_text()).split()[0])
    assert older < first_sequence - 49
    await axe(page)
    await page.get_by_role("link", name="Back to the newest events").click()
    await expect(page).to_have_url(re.compile(r"/audit$"))


async def test_filters_by_action_and_case_stay_in_the_form(page: Page, demo: Demo):
    await open_log(page, demo)
    await page.get_by_label("Action").select_option("create")
    await page.get_by_role("button", name="Show matching events").click()
    await expect(page).to_have_url(re.compile(r"action=create"))
    await expect(page.get_by_label("Action")).to_have_value("create")
    codes = rows(page).locator("td:nth-child(3) code")
    assert await codes.count() > 0
    assert set(await codes.all_inner_texts()) == {"create"}
    await expect(rows(page).first.locator("td").nth(2)).to_contain_text("Written or logged")

    # Narrow to one case by its link in the table.
    case_link = rows(page).locator("td:nth-child(4) a").first
    case_text = await case_link.inner_text()
    case_number = re.search(r"Case (\d+)", case_text).group(1)
    await case_link.click()
    await expect(page.get_by_label("Case number")).to_have_value(case_number)
    case_cells = await rows(page).locator("td:nth-child(4)").all_inner_texts()
    assert case_cells and all(f"Case {case_number}" in text for text in case_cells)
    await axe(page)

    await page.get_by_label("Case number").fill(case_number)
    await page.get_by_label("Outcome").select_option("allowed")
    await page.get_by_role("button", name="Show matching events").click()
    await expect(page.get_by_label("Outcome")).to_have_value("allowed")
    await expect(page.get_by_label("Case number")).to_have_value(case_number)
    await expect(rows(page).locator(".badge", has_text="Denied")).to_have_count(0)
    await page.get_by_role("link", name="Clear the filters").click()
    await expect(page).to_have_url(re.compile(r"/audit$"))


async def test_the_export_downloads_the_current_filter_as_csv(page: Page, demo: Demo):
    await open_log(page, demo)
    await page.get_by_label("Action").select_option("login")
    await page.get_by_role("button", name="Show matching events").click()
    async with page.expect_download() as info:
        await page.get_by_role("link", name="Export these events as CSV").click()
    download = await info.value
    assert re.fullmatch(r"audit-log-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    lines = (await download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("sequence,occurred_at,actor_id,actor_name,actor_role,action,")
    assert len(lines) > 1
    assert all(",login,account," in line for line in lines[1:])

    # The export itself is in the log.
    await page.goto("/audit?action=export&object_type=audit_log")
    await expect(rows(page).first).to_contain_text("Download (export)")
    await expect(rows(page).first).to_contain_text("Audit log")


async def test_a_bad_filter_is_explained_at_its_field(page: Page, demo: Demo):
    await open_log(page, demo)
    await page.get_by_label("Case number").fill("twelve")
    async with page.expect_response(lambda r: "/audit?" in r.url) as answer:
        await page.get_by_role("button", name="Show matching events").click()
    assert (await answer.value).status == 422
    await expect(page.get_by_role("alert")).to_contain_text("Case number must be a whole number")
    await expect(page.get_by_label("Case number")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("Case number")).to_have_value("twelve")
    await axe(page)


async def test_the_chain_check_runs_on_request(page: Page, demo: Demo):
    await open_log(page, demo)
    await page.get_by_role("button", name="Check the whole audit log now").click()
    await expect(page.get_by_role("status")).to_contain_text("The audit log is intact")
    await axe(page)
    # The check is itself in the log, as the newest event.
    newest = page.get_by_role("row").nth(1)
    await expect(newest).to_contain_text("Checked the log")
    await expect(newest).to_contain_text(demo.coordinator.name)


async def test_the_log_fits_a_phone(new_page, demo: Demo):
    page: Page = await new_page("phone")
    await sign_in_as(page, demo.coordinator)
    await page.get_by_text("Menu", exact=True).click()
    await (
        page.get_by_role("navigation", name="Main menu (small screen)")
        .get_by_role("link", name="Audit log")
        .click()
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    await expect(rows(page).first).to_be_visible()
    await assert_no_horizontal_scroll(page)
    await axe(page)
    await screenshot(page, "coordinator-audit-log")
