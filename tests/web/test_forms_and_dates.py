"""Plain-words validation messages and dates in the reader's format."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import msgspec
import pytest

from mentorship.lib.errors import ValidationFailed
from mentorship.web.dates import local_date, local_datetime, preferred_locale
from mentorship.web.forms import convert


class Example(msgspec.Struct, forbid_unknown_fields=True):
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=10)]
    minutes: Annotated[int, msgspec.Meta(ge=5, le=600)]
    skills: Annotated[list[int], msgspec.Meta(min_length=1)]
    when: date | None = None


LABELS = {"description": "What you need help with", "minutes": "Length in minutes"}
GOOD = {"description": "Reading", "minutes": "30", "skills": ["1"]}


def failure(**changes: object) -> dict[str, str]:
    data = {**GOOD, **changes}
    with pytest.raises(ValidationFailed) as caught:
        convert(Example, {k: v for k, v in data.items() if v is not None}, LABELS)
    return caught.value.fields


def test_form_strings_become_the_schema_s_types():
    built = convert(Example, {**GOOD, "when": "2026-11-02"}, LABELS)
    assert built.minutes == 30 and built.skills == [1] and built.when == date(2026, 11, 2)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"description": ""}, {"description": "What you need help with is required."}),
        ({"description": None}, {"description": "What you need help with is required."}),
        (
            {"description": "x" * 11},
            {"description": "What you need help with must be at most 10 characters."},
        ),
        ({"minutes": "two"}, {"minutes": "Length in minutes must be a whole number."}),
        ({"minutes": "1"}, {"minutes": "Length in minutes must be 5 or more."}),
        ({"minutes": "9999"}, {"minutes": "Length in minutes must be 600 or less."}),
        ({"skills": []}, {"skills": "Choose at least one."}),
        ({"when": "next week"}, {"when": "When must be a date."}),
    ],
)
def test_each_problem_is_named_at_its_field_in_plain_words(changes, expected):
    assert failure(**changes) == expected


def test_every_field_s_problem_is_named_at_once():
    assert failure(description="", minutes="two", skills=[], when="next week") == {
        "description": "What you need help with is required.",
        "minutes": "Length in minutes must be a whole number.",
        "skills": "Choose at least one.",
        "when": "When must be a date.",
    }


def test_a_problem_of_the_whole_form_is_still_named():
    with pytest.raises(ValidationFailed) as caught:
        convert(Example, {**GOOD, "colour": "red"}, LABELS)
    assert list(caught.value.fields) == ["form"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-GB,en;q=0.8", "en_GB"),
        ("es-MX,es;q=0.9,en;q=0.5", "es_MX"),
        ("fr;q=0.2, de;q=0.9", "de"),
        ("", "en_US"),
        ("xx-NOPE, *", "en_US"),
        ("zz;q=abc, vi", "vi"),
    ],
)
def test_the_reader_s_language_picks_the_format(header, expected):
    assert str(preferred_locale(header)) == expected


def test_dates_follow_the_locale_and_times_the_district_zone():
    moment = datetime(2026, 11, 23, 3, 30, tzinfo=UTC)
    chicago = ZoneInfo("America/Chicago")
    assert local_date(moment, preferred_locale("en-US"), chicago) == "Nov 22, 2026"
    assert local_date(moment, preferred_locale("en-GB"), chicago) == "22 Nov 2026"
    assert "9:30" in local_datetime(moment, preferred_locale("en-US"), chicago)
    assert local_date(None, preferred_locale("en-US"), chicago) == ""
    naive = datetime(2026, 11, 23, 3, 30)  # SQLite hands back UTC without a zone
    assert local_date(naive, preferred_locale("en-US"), chicago) == "Nov 22, 2026"


def test_how_long_ago_reads_in_the_reader_s_language():
    from mentorship.web.dates import time_ago

    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    then = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert time_ago(then, now, preferred_locale("en-US")) == "3 days ago"
    assert time_ago(then, now, preferred_locale("fr-FR")) == "il y a 3 jours"


def test_service_messages_read_as_sentences_that_name_their_field():
    from mentorship.web.forms import field_sentences, sentence

    assert sentence("the request is no longer waiting") == "The request is no longer waiting."
    assert sentence("Done!") == "Done!" and sentence("  ") == ""
    fields = {"minutes": "must be 5 or more", "text": "Write something first."}
    assert field_sentences(fields, LABELS, {"text": "note_text"}) == {
        "minutes": "Length in minutes must be 5 or more.",
        "note_text": "Write something first.",
    }
