"""The pure training assessment: verified records against the agreement's required training."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mentorship.agreement.terms import DEFAULT_TERMS, RequiredTraining, TrainingTopic
from mentorship.development.training import Completed, assess, topic_key
from tests.pool.conftest import (
    COACHING,
    COMMUNICATION,
    COMPLETE_TRAINING,
    CONFIDENTIALITY,
    PEER,
    REQUIRED_TOPICS,
    ROLES,
)

REQUIRED = DEFAULT_TERMS.required_training
VALID_DAYS = DEFAULT_TERMS.training_valid_days
TODAY = date(2026, 6, 1)
LAST = timedelta(days=VALID_DAYS - 1)  # a record's last current day is completed_on + LAST


def done(topic: str, hours: float, on: date = date(2026, 5, 1)) -> Completed:
    return Completed(topic=topic, minutes=round(hours * 60), completed_on=on)


def standing(records: list[Completed], today: date = TODAY):  # type: ignore[no-untyped-def]
    return assess(records, REQUIRED, VALID_DAYS, today)


def by_topic(result) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return {t.topic: t.missing_hours for t in result.topics}


def test_the_default_terms_are_what_the_tests_assume():
    assert [t.topic for t in REQUIRED.topics] == REQUIRED_TOPICS
    assert [t.min_hours for t in REQUIRED.topics] == [2] * 5
    assert REQUIRED.total_min_hours == 12
    assert VALID_DAYS == 730
    assert DEFAULT_TERMS.caseload_cap == 3


def test_complete_training():
    result = standing([done(topic, hours) for topic, hours in COMPLETE_TRAINING.items()])
    assert result.complete is True
    assert result.shortfall() == ""
    assert result.missing_total_hours == 0
    assert result.current_total_hours == 12
    assert result.required_total_hours == 12
    assert set(by_topic(result).values()) == {0}
    assert [t.topic for t in result.topics] == REQUIRED_TOPICS
    assert result.current_until == date(2026, 5, 1) + LAST


def test_nothing_recorded_lists_every_topic_and_the_total():
    result = standing([])
    assert result.complete is False
    assert result.current_until is None
    assert result.current_total_hours == 0
    assert result.shortfall() == "; ".join(
        [f"{topic}: 2 h more" for topic in REQUIRED_TOPICS] + ["total: 12 h more"]
    )


def test_a_missing_topic_is_named_even_when_the_total_is_met():
    records = [done(PEER, 6), done(COACHING, 2), done(COMMUNICATION, 2), done(ROLES, 2)]
    result = standing(records)
    assert result.current_total_hours == 12
    assert result.complete is False
    assert result.shortfall() == "Confidentiality: 2 h more"
    assert by_topic(result)[CONFIDENTIALITY] == 2
    assert result.current_until is None


def test_part_of_a_topic_is_named_with_the_hours_left():
    records = [done(t, 2.5) for t in REQUIRED_TOPICS if t != CONFIDENTIALITY]
    records.append(done(CONFIDENTIALITY, 1.75))
    result = standing(records)
    assert result.shortfall() == "Confidentiality: 0.25 h more; total: 0.25 h more"
    assert result.missing_total_hours == 0.25


def test_every_topic_met_but_the_total_short():
    result = standing([done(topic, 2) for topic in REQUIRED_TOPICS])
    assert result.complete is False
    assert result.shortfall() == "total: 2 h more"
    assert result.missing_total_hours == 2


def test_only_required_topics_count_toward_the_total():
    records = [done(topic, 2) for topic in REQUIRED_TOPICS]
    records += [done("First aid", 8), done("CPR", 4)]
    result = standing(records)
    assert result.current_total_hours == 10
    assert result.shortfall() == "total: 2 h more"


def test_one_minute_short_is_not_complete():
    records = [done(PEER, 4), done(COACHING, 2), done(COMMUNICATION, 2), done(ROLES, 2)]
    records.append(Completed(topic=CONFIDENTIALITY, minutes=119, completed_on=date(2026, 5, 1)))
    result = standing(records)
    assert result.complete is False
    assert by_topic(result)[CONFIDENTIALITY] == pytest.approx(0.02)


@pytest.mark.parametrize(
    "written",
    [
        "confidentiality",
        "CONFIDENTIALITY",
        "  Confidentiality  ",
        "Confidentiality\t",
        "conFIDentiality",
    ],
)
def test_topic_names_match_ignoring_case_and_spacing(written):
    records = [done(topic, hours) for topic, hours in COMPLETE_TRAINING.items()]
    records = [r for r in records if r.topic != CONFIDENTIALITY] + [done(written, 2)]
    assert standing(records).complete is True


def test_inner_spacing_of_long_names_is_ignored_too():
    assert topic_key("  Peer   mentor\nresponsibilities ") == topic_key(PEER)
    records = [done(topic, hours) for topic, hours in COMPLETE_TRAINING.items() if topic != ROLES]
    records.append(done("appropriate  roles of SECRETARIAL and paraeducator   positions", 2))
    assert standing(records).complete is True


def test_a_similar_but_different_topic_does_not_count():
    records = [done(topic, hours) for topic, hours in COMPLETE_TRAINING.items()]
    records = [r for r in records if r.topic != CONFIDENTIALITY]
    records.append(done("Confidentiality and ethics", 2))
    assert standing(records).shortfall() == "Confidentiality: 2 h more; total: 2 h more"


def test_records_expire_after_the_valid_days():
    on = TODAY - timedelta(days=VALID_DAYS)  # exactly 730 days ago: no longer current
    records = [done(topic, hours, on) for topic, hours in COMPLETE_TRAINING.items()]
    assert standing(records).complete is False
    assert standing(records, TODAY - timedelta(days=1)).complete is True
    expired = standing(records)
    assert expired.current_total_hours == 0
    assert expired.missing_total_hours == 12


def test_a_day_inside_the_window_still_counts():
    on = TODAY - timedelta(days=VALID_DAYS - 1)
    records = [done(topic, hours, on) for topic, hours in COMPLETE_TRAINING.items()]
    result = standing(records)
    assert result.complete is True
    assert result.current_until == TODAY  # today is its last current day


def test_records_dated_after_today_do_not_count_yet():
    later = TODAY + timedelta(days=1)
    records = [done(topic, hours, later) for topic, hours in COMPLETE_TRAINING.items()]
    assert standing(records).complete is False
    assert standing(records, later).complete is True


def test_only_the_expired_part_is_lost():
    old = TODAY - timedelta(days=800)
    records = [done(topic, hours) for topic, hours in COMPLETE_TRAINING.items()]
    records = [r for r in records if r.topic != COACHING] + [done(COACHING, 2, old)]
    result = standing(records)
    assert result.shortfall() == "Coaching techniques and strategies: 2 h more; total: 2 h more"


def test_current_until_is_the_last_day_the_newest_records_add_up():
    records = [
        done(PEER, 2, date(2026, 5, 1)),
        done(PEER, 2, date(2025, 1, 1)),
        done(COACHING, 2, date(2026, 3, 1)),
        done(CONFIDENTIALITY, 1, date(2026, 2, 1)),
        done(CONFIDENTIALITY, 1, date(2025, 6, 1)),
        done(COMMUNICATION, 2, date(2026, 4, 1)),
        done(ROLES, 2, date(2026, 1, 15)),
    ]
    result = standing(records)
    assert result.complete is True
    untils = {t.topic: t.current_until for t in result.topics}
    # Peer: the newest 2 h alone meet the minimum, so the older 2 h do not shorten it.
    assert untils[PEER] == date(2026, 5, 1) + LAST
    # Confidentiality needs both hours, so it lasts as long as the older one.
    assert untils[CONFIDENTIALITY] == date(2025, 6, 1) + LAST
    # The total (12 h) needs every record, down to the oldest Peer hours, which stop being
    # current 730 days after 2025-01-01: 2027-01-01. The last day it all adds up is the eve.
    assert result.current_until == date(2025, 1, 1) + LAST == date(2026, 12, 31)
    assert standing(records, date(2026, 12, 31)).complete is True
    day_after = standing(records, date(2027, 1, 1))
    assert day_after.complete is False
    assert day_after.shortfall() == "total: 2 h more"


def test_current_until_follows_the_earliest_topic_when_the_total_has_room():
    records = [done(topic, hours, date(2026, 5, 1)) for topic, hours in COMPLETE_TRAINING.items()]
    records.append(done(PEER, 4, date(2026, 5, 20)))  # 16 h in all: the total is not binding
    records = [r for r in records if r.topic != ROLES] + [done(ROLES, 2, date(2025, 3, 1))]
    result = standing(records)
    assert result.complete is True
    assert result.current_until == date(2025, 3, 1) + LAST


def test_nothing_required_is_complete_for_ever():
    result = assess([], RequiredTraining(topics=[], total_min_hours=0), VALID_DAYS, TODAY)
    assert result.complete is True
    assert result.current_until == date.max
    assert result.shortfall() == ""


def test_a_zero_hour_topic_never_limits_current_until():
    required = RequiredTraining(
        topics=[
            TrainingTopic(topic="Confidentiality", min_hours=2),
            TrainingTopic(topic="Optional reading", min_hours=0),
        ],
        total_min_hours=2,
    )
    result = assess([done(CONFIDENTIALITY, 2)], required, VALID_DAYS, TODAY)
    assert result.complete is True
    assert result.current_until == date(2026, 5, 1) + LAST
