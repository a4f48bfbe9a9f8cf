"""The report's arithmetic: day buckets, caseload buckets, hours by topic and setting."""

from __future__ import annotations

from mentorship.program import figures
from mentorship.program.figures import MeetingFacts


def test_waits_fall_in_day_buckets():
    assert figures.day_bucket(0) == "Within a week"
    assert figures.day_bucket(7) == "Within a week"
    assert figures.day_bucket(7.5) == "8 to 14 days"
    assert figures.day_bucket(30) == "15 to 30 days"
    assert figures.day_bucket(200) == "More than 60 days"


def test_days_table_counts_cases_per_bucket():
    waits = [1] * 20 + [9] * 12 + [20] * 9 + [45] * 8 + [100]
    table = figures.days_table(waits)
    values = {cell.label: cell.value for cell in table.cells}
    assert values["Within a week"] == 20
    assert values["8 to 14 days"] == 12
    assert values["15 to 30 days"] == 9
    assert (
        values["31 to 60 days"] is None
    )  # hidden with the 1 beyond 60 (9 = 8 + 1: the 1 may be 4)
    assert values["More than 60 days"] is None  # 1 case
    assert table.total.value == 50


def test_mentors_are_counted_by_open_cases_up_to_the_cap():
    table = figures.caseload_table([0] * 5 + [1] * 6 + [2] * 7 + [3, 4, 5, 3, 3], top=3)
    assert [cell.label for cell in table.cells] == [
        "No open cases",
        "1 open case",
        "2 open cases",
        "3 or more open cases",
    ]
    assert [cell.value for cell in table.cells] == [5, 6, 7, 5]


def test_fullness_compares_the_weighted_load_with_capacity():
    assert figures.fullness(0, 3) == "No cases"
    assert figures.fullness(2, 3) == "Room for more"
    assert figures.fullness(3, 3) == "Full"


def test_meeting_minutes_are_shared_evenly_between_topics():
    meetings = [
        MeetingFacts(case, 60, ("Behaviour", "Reading"), "Special education") for case in range(6)
    ] + [MeetingFacts(case, 30, (), "Office") for case in range(10, 16)]
    table = figures.hours_by_topic(meetings)
    values = {cell.label: cell.value for cell in table.cells}
    assert values == {"Behaviour": 3.0, "Reading": 3.0, "No topic recorded": 3.0}
    assert table.total.value == 9.0


def test_hours_by_setting_lists_every_setting_and_hides_thin_ones():
    meetings = [
        *(MeetingFacts(case, 60, (), "Office") for case in range(6)),
        *(MeetingFacts(case, 90, (), "Special education") for case in range(10, 20)),
        MeetingFacts(99, 600, (), "Early childhood"),
    ]
    settings = ["Early childhood", "Office", "Special education", "General education"]
    table = figures.hours_by_setting(meetings, settings)
    values = {cell.label: cell.value for cell in table.cells}
    assert values["Special education"] == 15.0
    assert values["Office"] is None  # hidden too, else the total would give the others away
    assert values["Early childhood"] is None  # one case: not shown, however many hours
    assert values["General education"] is None  # no case at all
