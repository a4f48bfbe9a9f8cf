"""The coordinator's program reports in a real browser: every chart is a figure with a
caption, an SVG image and a data table; small counts read "fewer than 5"; the period filter,
its error, the CSV download; on a desktop and on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.browser.helpers import (
    Demo,
    assert_no_horizontal_scroll,
    axe,
    screenshot,
    sign_in_as,
)

FIGURES = [
    "Requests by status",
    "Requests by how they came in",
    "Days from request to case opening",
    "Mentors by open cases (today)",
    "Mentors by how full their caseload is (today)",
    "Meeting hours by topic",
    "Meeting hours by setting",
]


async def open_reports(page: Page, demo: Demo) -> None:
    await sign_in_as(page, demo.coordinator)
    menu = page.get_by_role("navigation", name=re.compile(r"^Main menu"))
    await (
        menu.filter(has=page.locator(":visible"))
        .first.get_by_role("link", name="Program reports")
        .click()
    )
    await expect(page).to_have_url(re.compile(r"/program$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Program reports")


async def test_the_coordinator_sees_every_chart_with_its_table(page: Page, demo: Demo):
    await open_reports(page, demo)
    await expect(page.locator("#period")).to_have_text("Showing everything so far.")
    figures = page.locator("main figure.chart")
    await expect(figures).to_have_count(len(FIGURES))
    for index, title in enumerate(FIGURES):
        figure = figures.nth(index)
        await expect(figure.locator("figcaption")).to_have_text(title)
        await expect(figure).to_have_accessible_name(title)
        image = figure.get_by_role("img", name=title)
        await expect(image).to_have_count(1)
        svg = figure.locator("svg")
        assert await svg.get_attribute("role") == "img"
        assert await svg.locator("title").text_content() == title
        assert (await svg.locator("desc").text_content() or "").strip()
        table = figure.get_by_role("table")
        await expect(table.locator("caption")).to_contain_text(title)
        await expect(table.locator("th[scope=col]")).to_have_count(2)
        assert await table.locator("tbody th[scope=row]").count() >= 2

    # The demo has no cancelled requests: a count under 5 never shows as a number, and the
    # chart has no bar for it but says so in words.
    status = figures.nth(0)
    cancelled = status.get_by_role("row", name=re.compile(r"^Cancelled"))
    await expect(cancelled.get_by_role("cell")).to_have_text("fewer than 5")
    assert "Cancelled: fewer than 5." in (await status.locator("svg desc").text_content() or "")
    await expect(
        status.locator("svg text", has_text="fewer than 5 (no bar)").first
    ).to_be_attached()
    # Every bar drawn belongs to a figure shown as a number in the table.
    for index in range(len(FIGURES)):
        figure = figures.nth(index)
        shown = await figure.locator("tbody td:not(:has(em))").count()
        await expect(figure.locator("svg rect.bar")).to_have_count(shown)
    await expect(page.get_by_text(re.compile(r"Median time from a request"))).to_be_visible()
    await axe(page)
    await screenshot(page, "coordinator-program-reports")


async def test_the_period_filter_narrows_the_figures_and_explains_a_bad_range(
    page: Page, demo: Demo
):
    await open_reports(page, demo)
    await page.get_by_label("First day").fill("2020-01-01")
    await page.get_by_label("Last day").fill("2020-12-31")
    await page.get_by_role("button", name="Show figures for this period").click()
    await expect(page).to_have_url(re.compile(r"since=2020-01-01&until=2020-12-31"))
    await expect(page.locator("#period")).to_contain_text("Showing")
    await expect(page.locator("#period")).to_contain_text("2020")
    await expect(page.get_by_label("First day")).to_have_value("2020-01-01")
    # Nothing was filed in 2020: every request count is hidden, the total too.
    status = page.locator("figure.chart").nth(0)
    await expect(status.locator("tfoot td")).to_have_text("fewer than 5")
    await expect(status.locator("svg rect.bar")).to_have_count(0)
    await axe(page)

    await page.get_by_label("First day").fill("2021-05-01")
    await page.get_by_label("Last day").fill("2021-04-01")
    async with page.expect_response(lambda r: "/program?" in r.url) as answer:
        await page.get_by_role("button", name="Show figures for this period").click()
    assert (await answer.value).status == 422
    summary = page.get_by_role("alert")
    await expect(summary).to_contain_text("The first day must be on or before the last day.")
    await expect(page.get_by_label("First day")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("First day")).to_have_value("2021-05-01")
    await expect(page.locator("figure.chart")).to_have_count(0)
    await axe(page)

    await page.get_by_role("link", name="Show all dates").click()
    await expect(page.locator("#period")).to_have_text("Showing everything so far.")


async def test_the_report_tables_download_as_csv(page: Page, demo: Demo):
    await open_reports(page, demo)
    async with page.expect_download() as info:
        await page.get_by_role("link", name="Download these tables (CSV)").click()
    download = await info.value
    assert re.fullmatch(r"program-report-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    text = (await download.path()).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "figure,row,value,note"
    assert "Requests by status,Cancelled,,fewer than 5" in lines
    assert any(line.startswith("Meeting hours by setting,") for line in lines)


@pytest.mark.parametrize("viewport", ["phone"])
async def test_the_report_fits_a_phone(new_page, demo: Demo, viewport: str):
    page: Page = await new_page(viewport)
    await sign_in_as(page, demo.coordinator)
    await page.get_by_text("Menu", exact=True).click()
    await (
        page.get_by_role("navigation", name="Main menu (small screen)")
        .get_by_role("link", name="Program reports")
        .click()
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("Program reports")
    await expect(page.locator("figure.chart svg").first).to_be_visible()
    box = await page.locator("figure.chart svg").first.bounding_box()
    assert box is not None and box["width"] <= 390
    await assert_no_horizontal_scroll(page)
    await axe(page)
    await screenshot(page, "coordinator-program-reports")


async def test_other_roles_may_not_open_the_reports(page: Page, demo: Demo):
    await sign_in_as(page, demo.mentor)
    response = await page.goto("/program")
    assert response is not None and response.status == 403
    await expect(page.get_by_role("link", name="Program reports")).to_have_count(0)
