"""The report's arithmetic on plain values (pure): day buckets, caseload buckets, hours split
across topics. The service reads the rows; these functions turn them into protected tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mentorship.program.suppression import Row, Table, count_table, protect

# Days from filing a request to its case opening: (label, last day in the bucket or None).
DAY_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("Within a week", 7),
    ("8 to 14 days", 14),
    ("15 to 30 days", 30),
    ("31 to 60 days", 60),
    ("More than 60 days", None),
)


def day_bucket(days: float) -> str:
    """The bucket a waiting time falls in ('Within a week' for 0 to 7 whole days)."""
    for label, last in DAY_BUCKETS:
        if last is None or days <= last:
            return label
    return DAY_BUCKETS[-1][0]


def days_table(waits: Iterable[float]) -> Table:
    """How many cases opened within each bucket of days after the request was filed."""
    counts = dict.fromkeys((label for label, _ in DAY_BUCKETS), 0)
    for days in waits:
        counts[day_bucket(days)] += 1
    return count_table(list(counts.items()))


def case_count_label(cases: int, top: int) -> str:
    """'No open cases', '1 open case', '2 open cases', … '3 or more open cases' (at `top`)."""
    if cases <= 0:
        return "No open cases"
    if cases >= top:
        return f"{top} or more open cases"
    return "1 open case" if cases == 1 else f"{cases} open cases"


def caseload_table(open_cases: Sequence[int], top: int = 3) -> Table:
    """How many mentors hold 0, 1, 2, … open cases (the last bucket is `top` or more)."""
    top = max(top, 1)
    labels = [case_count_label(n, top) for n in range(top + 1)]
    counts = dict.fromkeys(labels, 0)
    for cases in open_cases:
        counts[case_count_label(cases, top)] += 1
    return count_table(list(counts.items()))


FULLNESS = ("No cases", "Room for more", "Full")


def fullness(load: int, capacity: int) -> str:
    """How full a mentor's weighted caseload is against their capacity."""
    if load <= 0:
        return FULLNESS[0]
    return FULLNESS[2] if load >= capacity else FULLNESS[1]


def fullness_table(loads: Sequence[tuple[int, int]]) -> Table:
    """Mentors by how much of their capacity is used: (weighted load, capacity) each."""
    counts = dict.fromkeys(FULLNESS, 0)
    for load, capacity in loads:
        counts[fullness(load, capacity)] += 1
    return count_table(list(counts.items()))


@dataclass(frozen=True)
class MeetingFacts:
    """One meeting, as the hours tables need it."""

    case_id: int
    minutes: int
    topics: tuple[str, ...]  # skill names; empty when none was recorded
    setting: str  # the mentee's site's setting, in words


NO_TOPIC = "No topic recorded"


def hours_table(groups: dict[str, tuple[float, set[int]]], order: Sequence[str]) -> Table:
    """Hours per group with the cases behind them, protected (hours are not head counts)."""
    rows = [
        Row(label, round(minutes / 60, 1), len(cases))
        for label in order
        for minutes, cases in [groups[label]]
    ]
    every_case: set[int] = set()
    for _, cases in groups.values():
        every_case |= cases
    return protect(rows, counts=False, total_base=len(every_case))


def hours_by_topic(meetings: Iterable[MeetingFacts]) -> Table:
    """Meeting hours per topic: a meeting's minutes are split evenly across its topics."""
    groups: dict[str, tuple[float, set[int]]] = defaultdict(lambda: (0.0, set()))
    for meeting in meetings:
        topics = meeting.topics or (NO_TOPIC,)
        share = meeting.minutes / len(topics)
        for topic in topics:
            minutes, cases = groups[topic]
            groups[topic] = (minutes + share, cases | {meeting.case_id})
    order = sorted(groups, key=lambda label: (label == NO_TOPIC, -groups[label][0], label))
    return hours_table(dict(groups), order)


def hours_by_setting(meetings: Iterable[MeetingFacts], settings: Sequence[str]) -> Table:
    """Meeting hours per setting of the mentee's site, every setting listed in `settings`
    order (then any other, such as 'Site not recorded')."""
    groups: dict[str, tuple[float, set[int]]] = {label: (0.0, set()) for label in settings}
    for meeting in meetings:
        minutes, cases = groups.get(meeting.setting, (0.0, set()))
        groups[meeting.setting] = (minutes + meeting.minutes, cases | {meeting.case_id})
    order = [*settings, *sorted(label for label in groups if label not in settings)]
    return hours_table(groups, order)
