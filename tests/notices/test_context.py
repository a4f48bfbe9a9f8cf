"""The allow-listed context a notice is worded from: names, dates, states, ids and counts of
the kind's own parameters, nothing else (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mentorship.notices.kinds import (
    KINDS,
    ContextRefused,
    Kind,
    allowed_context,
    checked_link,
    kind_named,
)
from mentorship.notices.messages import NOTICES

RECEIPT = kind_named("request_filed.receipt")
GOOD = {"employee_name": "Ana Lopez", "request_id": 12, "filed_on": date(2026, 12, 7)}


def test_the_allowed_parameters_are_kept_in_stored_form():
    when = datetime(2026, 12, 7, 14, 30, tzinfo=UTC)
    assert allowed_context(RECEIPT, {**GOOD, "filed_on": when}) == {
        "employee_name": "Ana Lopez",
        "request_id": 12,
        "filed_on": "2026-12-07T14:30:00+00:00",
    }


@pytest.mark.parametrize(
    ("params", "words"),
    [
        (
            {**GOOD, "description": "I feel overwhelmed"},
            "does not allow the parameter 'description'",
        ),
        ({**GOOD, "reason": "x"}, "does not allow the parameter 'reason'"),
        ({"employee_name": "Ana", "request_id": 1}, "needs the parameter 'filed_on'"),
        ({**GOOD, "employee_name": "Ana\nI feel overwhelmed"}, "'employee_name' must be a name"),
        ({**GOOD, "employee_name": "Ana\n"}, "'employee_name' must be a name"),
        ({**GOOD, "employee_name": "x" * 201}, "'employee_name' must be a name"),
        ({**GOOD, "employee_name": 5}, "'employee_name' must be a name"),
        ({**GOOD, "request_id": True}, "'request_id' must be a id"),
        ({**GOOD, "request_id": -1}, "'request_id' must be a id"),
        ({**GOOD, "request_id": "12"}, "'request_id' must be a id"),
        ({**GOOD, "filed_on": datetime(2026, 12, 7, 9, 0)}, "'filed_on' must be a date"),
        ({**GOOD, "filed_on": "2026-12-07"}, "'filed_on' must be a date"),
    ],
)
def test_anything_not_allow_listed_is_refused_without_echoing_it(params, words):
    with pytest.raises(ContextRefused) as refused:
        allowed_context(RECEIPT, params)
    assert words in str(refused.value)
    assert "overwhelmed" not in str(refused.value)


def test_a_state_is_a_code_not_a_sentence():
    kind = kind_named("request_filed.coordinator")
    params = {**GOOD, "urgency": "urgent"}
    assert allowed_context(kind, params)["urgency"] == "urgent"
    for bad in ("Urgent!", "very urgent", "", "x" * 41):
        with pytest.raises(ContextRefused):
            allowed_context(kind, {**params, "urgency": bad})


@pytest.mark.parametrize("link", ["/requests", "/queue", "/cases/12", "/notices?page=2"])
def test_links_are_paths_inside_the_service(link):
    assert checked_link(link) == link


@pytest.mark.parametrize(
    "link", ["https://evil.example", "//evil.example/x", "requests", "/a b", "/x\n", ""]
)
def test_other_links_are_refused(link):
    with pytest.raises(ContextRefused):
        checked_link(link)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ContextRefused):
        kind_named("case_opened.gossip")


@pytest.mark.parametrize("kind", list(KINDS.values()), ids=list(KINDS))
def test_every_kind_has_a_subject_and_a_body_using_only_its_parameters(kind: Kind):
    sample = dict.fromkeys(kind.params, 1)
    for part in ("subject", "body"):
        # The catalogue refuses a wording whose placeholders the parameters do not fill.
        NOTICES(f"{kind.name}.{part}", **sample)
