"""Program reports: aggregate figures for the coordinator, worked out from the stored requests,
cases, meetings and mentors, with small counts suppressed (see suppression.py).

Only counts and sums leave this module, never a person: every table goes through
`suppression.protect` before a page or a download sees it.

What each figure counts (the date range is optional; both ends are whole days in the
district's time zone, inclusive):

- requests by status and by track: requests *filed* in the range, by where they stand now;
- time to match: cases *opened* in the range, days from the request being filed to the case
  opening (median, and how many in each bucket of days);
- mentor load: a snapshot of today (the range does not apply): mentors in the pool (approved,
  or suspended but still holding cases) by how many open cases (active or paused) they hold,
  and by how much of their weighted capacity those take;
- meeting hours by topic: meetings *held* in the range; a meeting's minutes are split evenly
  across the topics (skills) it covered, as everywhere else in the system;
- meeting hours by setting: the same meetings by the setting type of the mentee's site
  (early childhood, special education, …) as recorded now. The setting is the district
  model's own word for the kind of program a site runs, and it is what matching weighs, so
  it is the most meaningful way to see where mentoring time goes.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from mentorship.agreement import services as agreement
from mentorship.assistance.messages import track_words
from mentorship.assistance.states import RequestState
from mentorship.assistance.tables import AssistanceRequest
from mentorship.cases.states import OPEN_CASE_STATES
from mentorship.cases.tables import Case, Meeting, MeetingTopic
from mentorship.config import get_settings
from mentorship.district.settings import SettingType
from mentorship.district.tables import Employee
from mentorship.lib.errors import ValidationFailed
from mentorship.pool.tables import Mentor, MentorStatus
from mentorship.program import figures
from mentorship.program.messages import PROGRAM
from mentorship.program.suppression import Cell, Table, count_table, protected_median

STATUS_WORDS = {
    RequestState.AWAITING_CONSENT: "Waiting for the employee's consent",
    RequestState.OPEN: "Waiting for a match",
    RequestState.PROPOSED: "Match proposed",
    RequestState.MATCHED: "Matched with a mentor",
    RequestState.DECLINED: "Referral declined by the employee",
    RequestState.WITHDRAWN: "Withdrawn",
    RequestState.CANCELLED: "Cancelled",
}
TRACK_WORDS = track_words()
NO_SITE = "Site not recorded"
POOL_STATES = (MentorStatus.APPROVED, MentorStatus.SUSPENDED)


@dataclass(frozen=True)
class ProgramReport:
    """Every figure of the program report, already protected."""

    since: date | None
    until: date | None
    requests_by_status: Table
    requests_by_track: Table
    time_to_match: Table
    median_days: float | None  # None when fewer than 5 cases opened
    mentors_by_cases: Table
    mentors_by_fullness: Table
    caseload_cap: int
    hours_by_topic: Table
    hours_by_setting: Table


def _zone() -> ZoneInfo:
    return ZoneInfo(get_settings().timezone)


def _bounds(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """The range as moments: the start of `since` and the end of `until`, district time."""
    if since and until and since > until:
        raise ValidationFailed({"since": PROGRAM("days_reversed")})
    zone = _zone()
    start = datetime(since.year, since.month, since.day, tzinfo=zone) if since else None
    end = (
        datetime(until.year, until.month, until.day, tzinfo=zone) + timedelta(days=1)
        if until
        else None
    )
    return (
        start.astimezone(UTC) if start else None,
        end.astimezone(UTC) if end else None,
    )


def _within(query: Any, column: Any, start: Any, end: Any) -> Any:
    if start is not None:
        query = query.where(column >= start)
    if end is not None:
        query = query.where(column < end)
    return query


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def _requests(start: datetime | None, end: datetime | None) -> tuple[Table, Table]:
    rows = await _within(
        AssistanceRequest.select(AssistanceRequest.state, AssistanceRequest.track),
        AssistanceRequest.filed_at,
        start,
        end,
    )
    by_state: dict[str, int] = defaultdict(int)
    by_track: dict[str, int] = defaultdict(int)
    for row in rows:
        by_state[row["state"]] += 1
        by_track[row["track"]] += 1
    status = count_table([(words, by_state[state.value]) for state, words in STATUS_WORDS.items()])
    track = count_table([(words, by_track[track.value]) for track, words in TRACK_WORDS.items()])
    return status, track


async def _waits(start: datetime | None, end: datetime | None) -> list[float]:
    rows = await _within(
        Case.select(Case.opened_at, Case.request.filed_at.as_alias("filed_at")),
        Case.opened_at,
        start,
        end,
    )
    return [
        max((_aware(row["opened_at"]) - _aware(row["filed_at"])).total_seconds(), 0) / 86400
        for row in rows
    ]


async def _mentor_loads() -> tuple[list[int], list[tuple[int, int]], int]:
    cap = (await agreement.in_force()).terms.caseload_cap
    mentors = await Mentor.select(Mentor.account, Mentor.capacity).where(
        Mentor.status.is_in([state.value for state in POOL_STATES])
    )
    ids = [row["account"] for row in mentors]
    counts = dict.fromkeys(ids, 0)
    weights = dict.fromkeys(ids, 0)
    if ids:
        cases = await Case.select(Case.mentor, Case.weight).where(
            Case.mentor.is_in(ids) & Case.state.is_in([state.value for state in OPEN_CASE_STATES])
        )
        for row in cases:
            counts[row["mentor"]] += 1
            weights[row["mentor"]] += row["weight"]
    loads = [(weights[row["account"]], row["capacity"] or cap) for row in mentors]
    return [counts[account] for account in ids], loads, cap


async def _meetings(start: datetime | None, end: datetime | None) -> list[figures.MeetingFacts]:
    zone = _zone()
    first = start.astimezone(zone).date() if start is not None else None
    last = end.astimezone(zone).date() if end is not None else None
    query = Meeting.select(Meeting.id, Meeting.case, Meeting.minutes, Meeting.employee)
    # The topics are read with the same date bounds through the join, never as a list of
    # meeting ids: years of meetings would pass SQLite's limit on bound values.
    topic_query = MeetingTopic.select(
        MeetingTopic.meeting, MeetingTopic.skill.name.as_alias("skill_name")
    )
    if first is not None:
        query = query.where(Meeting.held_on >= first)
        topic_query = topic_query.where(MeetingTopic.meeting.held_on >= first)
    if last is not None:
        query = query.where(Meeting.held_on < last)
        topic_query = topic_query.where(MeetingTopic.meeting.held_on < last)
    meetings = await query
    if not meetings:
        return []
    topics: dict[int, list[str]] = defaultdict(list)
    for row in await topic_query:
        topics[row["meeting"]].append(row["skill_name"])
    # Every employee's setting (one row per person in the district), for the same reason.
    settings: dict[int, str] = {}
    for row in await Employee.select(
        Employee.account, Employee.site.setting_type.as_alias("setting")
    ):
        if row["setting"]:
            settings[row["account"]] = SettingType(row["setting"]).label
    return [
        figures.MeetingFacts(
            case_id=row["case"],
            minutes=row["minutes"],
            topics=tuple(sorted(topics.get(row["id"], []))),
            setting=settings.get(row["employee"], NO_SITE),
        )
        for row in meetings
    ]


async def program_report(since: date | None = None, until: date | None = None) -> ProgramReport:
    """The program report for requests, cases and meetings between `since` and `until`
    (whole days in the district's zone, both optional) and today's mentor load."""
    start, end = _bounds(since, until)
    status, track = await _requests(start, end)
    waits = await _waits(start, end)
    median = protected_median(waits)
    open_counts, loads, cap = await _mentor_loads()
    meetings = await _meetings(start, end)
    return ProgramReport(
        since=since,
        until=until,
        requests_by_status=status,
        requests_by_track=track,
        time_to_match=figures.days_table(waits),
        median_days=None if median is None else round(median, 1),
        mentors_by_cases=figures.caseload_table(open_counts, top=cap),
        mentors_by_fullness=figures.fullness_table(loads),
        caseload_cap=cap,
        hours_by_topic=figures.hours_by_topic(meetings),
        hours_by_setting=figures.hours_by_setting(
            meetings, [setting.label for setting in SettingType]
        ),
    )


CSV_HEADER = ["figure", "row", "value", "note"]


def report_csv(report: ProgramReport) -> str:
    """The report's tables as one CSV (figure, row, value, note); hidden values stay hidden."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    period = (
        f"{report.since.isoformat() if report.since else 'the start'} to "
        f"{report.until.isoformat() if report.until else 'today'}"
    )
    writer.writerow(["Period", "", period, ""])
    tables: list[tuple[str, Table]] = [
        ("Requests by status", report.requests_by_status),
        ("Requests by track", report.requests_by_track),
        ("Days from request to case opening", report.time_to_match),
        ("Mentors by open cases (today)", report.mentors_by_cases),
        ("Mentors by caseload used (today)", report.mentors_by_fullness),
        ("Meeting hours by topic", report.hours_by_topic),
        ("Meeting hours by setting", report.hours_by_setting),
    ]
    for name, table in tables:
        for cell in (*table.cells, table.total):
            writer.writerow([name, cell.label, *_csv_value(cell)])
    median = "" if report.median_days is None else f"{report.median_days:g}"
    note = "" if median else "fewer than 5"
    writer.writerow(["Days from request to case opening", "Median", median, note])
    return out.getvalue()


def _csv_value(cell: Cell) -> tuple[str, str]:
    if cell.value is None:
        return "", cell.words
    return f"{cell.value:g}", ""
