"""The agreement publish form's pure helpers: prefilled values read back into the same terms,
the service's error paths placed at the form's fields, and terms and changes in plain words."""

from __future__ import annotations

import pytest

from mentorship.agreement.pages import (
    changes,
    describe,
    field_for,
    plain_reason,
    read_terms,
    terms_to_values,
)
from mentorship.agreement.terms import DEFAULT_TERMS, terms_to_dict
from mentorship.lib.messages import Message, word
from mentorship.web.forms import Form


def form_of(values: dict[str, object]) -> Form:
    """A submitted form as the browser would send these values (unticked boxes left out)."""
    sent = {k: str(v) for k, v in values.items() if v is not False}
    sent = {k: ("yes" if values[k] is True else v) for k, v in sent.items()}
    return Form(values=sent, lists={k: [v] for k, v in sent.items()})


def test_the_prefilled_form_reads_back_as_the_same_terms():
    terms = terms_to_dict(DEFAULT_TERMS)
    read, errors = read_terms(form_of({**terms_to_values(terms), "topic_7": "", "hours_7": ""}))
    assert errors == {}
    assert read == terms


def test_a_topic_cleared_of_name_and_hours_leaves_the_list():
    values = terms_to_values(terms_to_dict(DEFAULT_TERMS))
    values["topic_1"], values["hours_1"] = "", ""
    read, errors = read_terms(form_of(values))
    assert errors == {}
    assert [t["topic"] for t in read["required_training"]["topics"]][:2] == [
        "Peer mentor responsibilities",
        "Confidentiality",
    ]


def test_values_that_are_not_numbers_are_named_at_their_field():
    values = terms_to_values(terms_to_dict(DEFAULT_TERMS))
    values.update(caseload_cap="three", hours_0="two", max_case_days="")
    _, errors = read_terms(form_of(values))
    assert word(errors["caseload_cap"]) == "Most cases one mentor carries must be a whole number."
    assert errors["hours_0"].code == "agreement.enter_hours"
    assert word(errors["hours_0"]).startswith("Enter the hours as a number")
    assert "Days before a case is flagged for review" in word(errors["max_case_days"])


@pytest.mark.parametrize(
    ("path", "rows", "field"),
    [
        ("terms.caseload_cap", [], "caseload_cap"),
        ("terms.tracks", [], "tracks"),
        ("terms.tracks.voluntary", [], "tracks"),
        ("terms.required_training.topics.1.min_hours", [0, 2, 3], "hours_2"),
        ("terms.required_training.topics.0.topic", [4], "topic_4"),
        ("terms.required_training.topics", [], "topics"),
        ("terms.required_training.total_min_hours", [], "total_min_hours"),
    ],
)
def test_service_error_paths_land_on_form_fields(path, rows, field):
    assert field_for(path, rows) == field


@pytest.mark.parametrize(
    ("field", "reason", "message"),
    [
        (
            "caseload_cap",
            "expected `int` >= 1",
            "“Most cases one mentor carries” must be 1 or more.",
        ),
        ("hours_3", "expected `float` <= 1000", "“The hours” must be 1000 or less."),
        (
            "referral_consent_text",
            "expected `str` of length >= 20",
            "“What a referred colleague reads before agreeing” must be at least 20 characters.",
        ),
        (
            "max_travel_minutes",
            "0 minutes allows only mentors at the same site, which mentor_site_rule forbids",
            "0 minutes allows only mentors at the same site, which the rule on mentors from the"
            " same site forbids.",
        ),
    ],
)
def test_service_reasons_read_as_sentences(field, reason, message):
    assert plain_reason(field, reason) == message


def test_terms_and_their_changes_in_plain_words():
    before = terms_to_dict(DEFAULT_TERMS)
    words = {label: [word(line) for line in lines] for _, label, lines in describe(before)}
    assert words["What a supervisor sees of a referral"] == [
        "Only the status of the referral (never what was said)"
    ]
    assert "At least 12 hours in total" in words["Required mentor training"]
    after = {**before, "caseload_cap": 4, "coordinator_reads_notes": True}
    assert [
        (label, [word(line) for line in old], [word(line) for line in new])
        for label, old, new in changes(before, after)
    ] == [
        (
            "Coordinators may read case notes",
            ["No: notes stay between the mentor and the colleague"],
            ["Yes: coordinators may read case notes"],
        ),
        ("Most cases one mentor carries", ["3"], ["4"]),
    ]
    assert changes(before, after)[1][2] == [Message("agreement.describe.number", {"number": 4})]
    assert changes(before, before) == []
