"""The program report's service on the database: what it reads from requests, cases,
mentors and meetings, the period filter, and that what it returns is protected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from mentorship.access.roles import Role
from mentorship.cases import meetings
from mentorship.cases.schemas import MeetingCreate
from mentorship.cases.states import MeetingMode
from mentorship.lib import clock
from mentorship.lib.errors import ValidationFailed
from mentorship.program import services
from tests.cases_api.conftest import open_cases
from tests.matching_api.conftest import District, world  # noqa: F401 (fixture)


async def build(world: District) -> list[int]:  # noqa: F811 (fixture use)
    mentors = [await world.mentor(f"Mentor {n}", capacity=3) for n in range(6)]
    people = [await world.person(f"Employee {n}") for n in range(7)]
    requests = [await world.request(person) for person in people]
    opened = await open_cases(world, *requests[:6])
    assert len(mentors) == 6
    return list(opened.values())


async def test_the_report_reads_requests_cases_mentors_and_meetings(world: District):  # noqa: F811
    cases = await build(world)
    from mentorship.cases.tables import Case

    mentor_of = {
        row["id"]: row["mentor"]
        for row in await Case.select(Case.id, Case.mentor).where(Case.id.is_in(cases))
    }
    for case_id in cases:
        actor = await _actor(mentor_of[case_id])
        await meetings.log_meeting(
            case_id,
            actor,
            MeetingCreate(
                held_on=clock.now().date(),
                minutes=60,
                mode=MeetingMode.IN_PERSON,
                topic_ids=[world.skills["De-escalation"]],
            ),
        )

    start, end = services._bounds(None, None)
    status, track = await services._requests(start, end)
    # 7 asked themselves, 0 were referred: the 0 is small, and the 7 would give it away
    # through the total, so both (and the total) are hidden.
    assert [cell.words for cell in track.cells] == ["not shown", "fewer than 5"]
    assert track.total.value is None
    words = {cell.label: cell.words for cell in status.cells}
    assert words["Waiting for a match"] == "fewer than 5"  # 1 waiting
    assert words["Matched with a mentor"] == "not shown"  # 6: hidden with it

    waits = await services._waits(start, end)
    assert len(waits) == 6 and all(0 <= days < 1 for days in waits)

    open_counts, loads, cap = await services._mentor_loads()
    assert sum(open_counts) == 6 and max(open_counts) <= 3
    assert all(capacity == 3 for _, capacity in loads)
    assert cap >= 1

    facts = await services._meetings(start, end)
    assert len(facts) == 6
    assert {fact.topics for fact in facts} == {("De-escalation",)}
    assert all(fact.setting != services.NO_SITE for fact in facts)

    report = await services.program_report()
    topic = {cell.label: cell.value for cell in report.hours_by_topic.cells}
    assert topic == {"De-escalation": 6.0}
    assert report.median_days is not None and report.median_days < 1
    assert report.time_to_match.total.value in (6, None)
    text = services.report_csv(report)
    assert text.splitlines()[0] == "figure,row,value,note"
    assert "Meeting hours by topic,De-escalation,6," in text


async def test_a_period_before_anything_happened_shows_only_small_counts(world: District):  # noqa: F811
    await build(world)
    long_ago = clock.now().date() - timedelta(days=400)
    report = await services.program_report(long_ago, long_ago + timedelta(days=30))
    assert report.requests_by_status.total.value is None
    assert report.median_days is None
    assert all(cell.value is None for cell in report.hours_by_topic.cells)
    # Mentor load is today's, whatever the period: 6 mentors hold the 6 cases (how they
    # share them is matching's choice), so some mentor bucket is 5 or more, hidden or not.
    cells = report.mentors_by_cases.cells
    assert any(cell.words == "fewer than 5" for cell in cells)
    assert all(cell.value is None or cell.value >= 5 for cell in cells)


async def test_the_first_day_must_come_before_the_last(world: District):  # noqa: F811
    today = clock.now().date()
    with pytest.raises(ValidationFailed) as raised:
        await services.program_report(today, today - timedelta(days=1))
    assert "since" in raised.value.fields


@dataclass(frozen=True)
class Actor:
    """The mentor logging a meeting, as the case services see a signed-in person."""

    account_id: int
    display_name: str = "Mentor"
    roles: frozenset[Role] = frozenset({Role.EMPLOYEE, Role.MENTOR})


async def _actor(account_id: int) -> Actor:
    return Actor(account_id)
