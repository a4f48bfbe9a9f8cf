"""The summary of a form refused as a whole: what was not sent, why, and where to look."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

TEMPLATES = Path(__file__).resolve().parents[2] / "mentorship" / "templates"


def render(refused: str) -> str:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    page = env.from_string(
        '{% import "macros/forms.html" as forms %}'
        '{{ forms.refused_summary(refused, "Your request was not sent", "/requests",'
        ' "See my requests") }}'
    )
    return page.render(refused=refused)


def test_a_refusal_is_announced_with_its_reason_and_a_way_on() -> None:
    shown = render("A referral is waiting for your answer.")
    assert 'role="alert"' in shown and 'id="error-summary"' in shown
    assert "<h2>Your request was not sent</h2>" in shown
    assert "<p>A referral is waiting for your answer.</p>" in shown
    assert '<a href="/requests">See my requests</a>' in shown


def test_nothing_is_shown_when_nothing_was_refused() -> None:
    assert render("").strip() == ""
