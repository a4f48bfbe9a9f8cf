"""The SVG bar charts: named and described for screen readers, no bar for a hidden figure."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from mentorship.program import charts
from mentorship.program.suppression import count_table

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 (our own markup)


def test_the_chart_is_an_image_named_by_its_title_and_description():
    table = count_table([("Open", 12), ("Matched", 30)])
    svg = parse(charts.bar_chart("chart-x", "Requests <by> status", table))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-x-title chart-x-desc"
    assert svg.find(f"{SVG}title").text == "Requests <by> status"
    assert svg.find(f"{SVG}title").get("id") == "chart-x-title"
    desc = svg.find(f"{SVG}desc")
    assert desc.get("id") == "chart-x-desc"
    assert desc.text == "Open: 12. Matched: 30."
    assert svg.get("viewBox").startswith("0 0 400 ")
    assert "style" not in charts.bar_chart("chart-x", "T", table)


def test_each_bar_has_its_label_and_value_as_text_and_a_length_in_proportion():
    table = count_table([("Open", 10), ("Matched", 20)])
    svg = parse(charts.bar_chart("c", "T", table))
    bars = svg.findall(f"{SVG}rect")
    assert [bar.get("class") for bar in bars] == ["bar", "bar"]
    assert float(bars[1].get("width")) == 2 * float(bars[0].get("width"))
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert texts == ["Open", "10", "Matched", "20"]


def test_a_hidden_figure_gets_words_and_no_bar():
    table = count_table([("Open", 12), ("Declined", 2), ("Matched", 30)])
    markup = charts.bar_chart("c", "T", table)
    svg = parse(markup)
    assert len(svg.findall(f"{SVG}rect")) == 1  # only Matched: Open is hidden with Declined
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert "fewer than 5 (no bar)" in texts
    assert "not shown (no bar)" in texts
    assert "2" not in texts and "12" not in texts
    assert "Declined: fewer than 5." in svg.find(f"{SVG}desc").text


def test_values_use_the_formatter_and_the_summary_opens_the_description():
    table = count_table([("Topic", 7)])
    svg = parse(
        charts.bar_chart("c", "T", table, fmt=lambda v: f"{v:g} hours", summary="Half in 9 days.")
    )
    assert "7 hours" in [t.text for t in svg.findall(f"{SVG}text")]
    assert svg.find(f"{SVG}desc").text == "Half in 9 days. Topic: 7 hours."


def test_long_labels_are_shortened_in_the_drawing_only():
    label = "A very long topic name " * 5
    svg = parse(charts.bar_chart("c", "T", count_table([(label, 9)])))
    drawn = svg.findall(f"{SVG}text")[0].text
    assert len(drawn) <= charts.MAX_LABEL and drawn.endswith("…")


def test_an_empty_table_still_makes_a_described_image():
    svg = parse(charts.bar_chart("c", "T", count_table([])))
    assert svg.get("role") == "img"
    assert "No figures" in svg.findall(f"{SVG}text")[0].text


def test_chart_ids_are_safe():
    assert charts.chart_id("Requests by status!") == "chart-requests-by-status"
