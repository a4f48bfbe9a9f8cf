"""Demo cases: a few dozen approved matches with a believable history behind them.

Right after the demo district's first matching run, the demo coordinator approves some of the
proposals and everyone involved then uses the case services as they would in the app: mentors
log meetings and write private and shared notes (and edit a few), write status reports on
referred cases; mentees respond to them; the coordinator pauses, closes and reassigns a few.
Every note and report is sealed under its case's own key and every step is in the audit log,
because every step is the real service.

Only dates get a hand: an approved case opens "now", so right after approval its opening is
moved into the past (`backdate`), and meetings are then logged on past days. Those days are
counted back from a reference day, the Monday of the current week (`reference_time`), so the
demo holds the same cases, meetings and notes whichever day it is built. Notes, reports and
audit events are written "now", which is when the demo made them.

The demo sign-ins each get something to look at: the demo mentor mentors the cases the run
proposed her for; the demo employee's consented referral becomes a case with shared notes, a
report they answered (released to their supervisor) and one waiting for their answer; the
coordinator finds a case open too long, a referred case with a report due, a closure to
decide, and the audit log of it all.

Everything comes from one seeded generator over what the deterministic district and matching
run produced, so every fresh database gets the same cases.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from mentorship.agreement import services as agreement
from mentorship.agreement.terms import AgreementTerms
from mentorship.assistance.states import Track
from mentorship.cases import lifecycle, meetings, notes, reports
from mentorship.cases.schemas import (
    CloseBody,
    MeetingCreate,
    NoteCreate,
    NoteEdit,
    ReportCreate,
    ReportResponse,
)
from mentorship.cases.states import CaseOutcome, NoteAudience, ReportStatus
from mentorship.cases.tables import Case
from mentorship.demo.case_openings import (
    DemoActor,
    actors_of,
    approve_proposals,
    backdate,
    choose_proposals,
    demo_account_ids,
    needs_of,
    pending_proposals,
)
from mentorship.demo.cases_data import (
    CLOSURE_SUMMARY,
    EDIT_ADDITION,
    FOLLOW_UP_REPORT,
    GENERAL_TOPIC,
    HANDOVER_NOTE,
    MEETING_KINDS,
    PAUSE_REASON,
    PRIVATE_NOTES,
    REASSIGN_REASON,
    REFERENCE_LAG_DAYS,
    REPORTS,
    RESPONSES,
    SEED,
    SHARED_NOTES,
    SHARED_ON_REFLECTION,
    TOPICS,
    WELCOME_NOTE,
)
from mentorship.lib import clock, db
from mentorship.lib.errors import Conflict, ValidationFailed
from mentorship.matching import review


@dataclass
class CasesSummary:
    """What the demo cases builder created (all zero when there were cases already)."""

    cases: int = 0
    meetings: int = 0
    notes: int = 0
    note_edits: int = 0
    reports: int = 0
    responses: int = 0
    paused: int = 0
    closed: int = 0
    reassigned: int = 0


@dataclass
class _Case:
    """An opened case and what its history is made from."""

    id: int
    referred: bool
    employee: DemoActor
    mentor: DemoActor
    needs: list[tuple[int, str]]  # skill id and name, most wanted first
    alternatives: list[int]  # the run's next-best mentors for the request
    held: list[tuple[date, list[tuple[int, str]]]] = field(default_factory=list)

    def focus(self) -> str:
        """What the case mainly works on, in words."""
        return TOPICS.get(self.needs[0][1], GENERAL_TOPIC)[0] if self.needs else GENERAL_TOPIC[0]

    def topics_text(self) -> str:
        """The case's two main topics, in words."""
        phrases = [TOPICS.get(name, GENERAL_TOPIC)[0] for _, name in self.needs[:2]]
        return " and ".join(phrases) or GENERAL_TOPIC[0]


def _day_text(day: date) -> str:
    return f"{day.day} {day:%B}"


def reference_time(now: datetime) -> datetime:
    """The demo's "today": midnight (UTC) starting the Monday of this week.

    Every case date is counted back from it, so the cases, meetings and notes come out the
    same whichever day of the week (and whatever time) the demo is built: only the week
    moves. It lags the real today by at most `REFERENCE_LAG_DAYS`.
    """
    midnight = datetime.combine(now.date(), time(), tzinfo=UTC)
    return midnight - timedelta(days=now.date().weekday())


def _weekday(day: date, earliest: date, latest: date) -> date:
    """The day, or the nearest school day to it within the bounds."""
    if day.weekday() < 5:
        return day
    for candidate in (
        day + timedelta(days=7 - day.weekday()),
        day - timedelta(days=day.weekday() - 4),
    ):
        if earliest <= candidate <= latest:
            return candidate
    return day


class _Builder:
    """Drives the case services as the demo's people, counting what it makes."""

    def __init__(self, rng: random.Random, coordinator: DemoActor, terms: AgreementTerms) -> None:
        self.rng = rng
        self.coordinator = coordinator
        self.terms = terms
        self.reference = reference_time(clock.now())
        self.today = self.reference.date()
        self.summary = CasesSummary()

    # --- history ----------------------------------------------------------------------------

    async def open_since(self, case: _Case, days: int) -> date:
        """Backdate the case's opening by about this many days (to a school day); its day."""
        opened_at = self.reference - timedelta(days=days, hours=self.rng.randint(0, 5))
        if opened_at.weekday() >= 5:
            opened_at -= timedelta(days=opened_at.weekday() - 4)
        await backdate(case.id, opened_at)
        return opened_at.date()

    async def meet(
        self, case: _Case, opened: date, most: int, every: tuple[int, int] = (7, 14)
    ) -> None:
        """Log up to `most` meetings from the opening until today, `every` days apart."""
        day = opened + timedelta(days=self.rng.randint(1, 5))
        while day <= self.today and len(case.held) < most:
            held = _weekday(day, opened, self.today)
            if not case.held or held > case.held[-1][0]:
                await self.log(case, case.mentor, held)
            day += timedelta(days=self.rng.randint(*every))

    async def log(self, case: _Case, mentor: DemoActor, held: date) -> None:
        """One meeting on one or two of the request's topics (now and then none)."""
        minutes, mode = self.rng.choice(MEETING_KINDS)
        if not case.needs or self.rng.random() < 0.1:
            topics: list[tuple[int, str]] = []
        else:
            topics = self.rng.sample(case.needs, k=min(len(case.needs), self.rng.randint(1, 2)))
        await meetings.log_meeting(
            case.id,
            mentor,
            MeetingCreate(
                held_on=held,
                minutes=minutes,
                mode=mode,
                topic_ids=sorted(skill for skill, _ in topics),
            ),
        )
        case.held.append((held, topics))
        self.summary.meetings += 1

    def note_text(self, case: _Case, audience: NoteAudience, index: int, count: int) -> str:
        """Note `index` of `count`: about the latest meetings in the order they were held
        (the earliest meeting taking any extra), or a welcome before the first meeting."""
        if not case.held:
            return WELCOME_NOTE.format(name=case.employee.first_name, focus=case.focus())
        day, topics = case.held[max(len(case.held) - count + index, 0)]
        about = topics or case.needs  # a meeting without topics: the case's main one
        focus, step = TOPICS.get(about[0][1], GENERAL_TOPIC) if about else GENERAL_TOPIC
        templates = SHARED_NOTES if audience is NoteAudience.SHARED else PRIVATE_NOTES
        return self.rng.choice(templates).format(
            day=_day_text(day), name=case.employee.first_name, focus=focus, step=step
        )

    async def write(
        self, case: _Case, audiences: list[NoteAudience]
    ) -> list[tuple[int, NoteAudience, str]]:
        """Notes by the case's mentor; their ids, audiences and texts."""
        written = []
        for index, audience in enumerate(audiences):
            text = self.note_text(case, audience, index, len(audiences))
            note = await notes.write_note(
                case.id, case.mentor, NoteCreate(audience=audience, text=text)
            )
            written.append((note.id, audience, text))
            self.summary.notes += 1
        return written

    async def edit(self, case: _Case, note: tuple[int, NoteAudience, str]) -> None:
        """A new version: a shared note gains a line; a private one is shared on reflection."""
        note_id, audience, text = note
        if audience is NoteAudience.SHARED:
            change = NoteEdit(text=text + EDIT_ADDITION)
        else:
            prefix = SHARED_ON_REFLECTION.format(name=case.employee.first_name)
            change = NoteEdit(text=prefix + text, audience=NoteAudience.SHARED)
        await notes.edit_note(case.id, note_id, case.mentor, change)
        self.summary.note_edits += 1

    async def active(
        self,
        case: _Case,
        days: int,
        *,
        most: int,
        audiences: list[NoteAudience],
        edit: bool = False,
        every: tuple[int, int] = (7, 14),
    ) -> date:
        """An active case: opened `days` ago, meetings since, then notes (one maybe edited)."""
        opened = await self.open_since(case, days)
        await self.meet(case, opened, most, every)
        written = await self.write(case, audiences)
        if edit and written:
            await self.edit(case, written[0])
        return opened

    async def report(
        self, case: _Case, opened: date, status: ReportStatus, text: str | None = None
    ) -> int:
        """A status report by the mentor; its id."""
        body = (text or REPORTS[status]).format(
            name=case.employee.first_name,
            count=len(case.held),
            opened=_day_text(opened),
            topics=case.topics_text(),
        )
        written = await reports.write_report(
            case.id, case.mentor, ReportCreate(status=status, text=body)
        )
        self.summary.reports += 1
        return written.id

    async def respond(self, case: _Case, report_id: int, comment: str) -> None:
        """The mentee answers (an empty comment releases the report as it is)."""
        await reports.respond(case.id, report_id, case.employee, ReportResponse(text=comment))
        self.summary.responses += 1

    def mix(self, count: int) -> list[NoteAudience]:
        """A seeded mix of shared and private notes."""
        return [
            NoteAudience.SHARED if self.rng.random() < 0.55 else NoteAudience.PRIVATE
            for _ in range(count)
        ]

    # --- the stories --------------------------------------------------------------------------

    async def demo_mentor(self, case: _Case) -> None:
        """The demo mentor's cases: a few weeks of meetings, notes of both kinds, an edit."""
        await self.active(
            case,
            self.rng.randint(24, 45),
            most=5,
            audiences=[NoteAudience.SHARED, NoteAudience.PRIVATE, NoteAudience.SHARED],
            edit=True,
        )

    async def demo_employee(self, case: _Case) -> None:
        """The demo employee's referred case: a report answered, released to the supervisor,
        and a newer one waiting for the employee's response."""
        opened = await self.active(
            case,
            48,
            most=5,
            audiences=[NoteAudience.SHARED, NoteAudience.PRIVATE, NoteAudience.SHARED],
            edit=True,
        )
        first = await self.report(case, opened, ReportStatus.PROGRESSING)
        await self.respond(case, first, RESPONSES[0])
        await self.report(case, opened, ReportStatus.PROGRESSING, FOLLOW_UP_REPORT)

    async def long_running(self, case: _Case) -> None:
        """Open longer than the agreement's limit: the coordinator sees it flagged."""
        await self.active(
            case,
            self.terms.max_case_days + self.rng.randint(8, 20),
            most=10,
            every=(14, 24),
            audiences=[NoteAudience.SHARED, NoteAudience.PRIVATE, NoteAudience.SHARED],
        )

    async def report_due(self, case: _Case) -> None:
        """A referred case with no status report for longer than the agreement allows."""
        days = self.terms.report_every_days + self.rng.randint(6, 14)
        await self.active(case, days, most=4, audiences=self.mix(2))

    async def reported(self, case: _Case, index: int) -> None:
        """A referred case with a report: answered with or without comment, or still waiting."""
        opened = await self.active(
            case, self.rng.randint(28, 56), most=5, audiences=self.mix(2), edit=index == 0
        )
        status = ReportStatus.NEEDS_MORE_TIME if index % 3 == 2 else ReportStatus.PROGRESSING
        report_id = await self.report(case, opened, status)
        if index % 4 == 0:
            await self.respond(case, report_id, RESPONSES[index // 4 % len(RESPONSES)])
        elif index % 4 == 1:
            await self.respond(case, report_id, "")
        # index % 4 in (2, 3): the report waits for the mentee

    async def paused(self, case: _Case) -> None:
        """A few meetings, then paused at the employee's request."""
        await self.active(case, self.rng.randint(30, 40), most=3, audiences=self.mix(2))
        await lifecycle.pause(case.id, self.coordinator, PAUSE_REASON)
        self.summary.paused += 1

    async def completed(self, case: _Case, *, close: bool) -> None:
        """The mentor proposes closing a case whose goals were met; the coordinator closes it
        (or has it waiting for their decision)."""
        opened = await self.active(
            case, self.rng.randint(70, 95), most=7, audiences=self.mix(3), edit=True
        )
        summary = CLOSURE_SUMMARY.format(
            count=len(case.held),
            weeks=(self.today - opened).days // 7,
            topics=case.topics_text(),
            name=case.employee.first_name,
        )
        done = CloseBody(outcome=CaseOutcome.COMPLETED, summary=summary)
        await lifecycle.propose_closure(case.id, case.mentor, done)
        if close:
            await lifecycle.close(case.id, self.coordinator, done)
            self.summary.closed += 1

    async def reassigned(self, case: _Case, actors: dict[int, DemoActor]) -> None:
        """A few meetings with the first mentor, then a new one takes over (if one can;
        otherwise the case simply goes on with the first)."""
        await self.active(
            case,
            self.rng.randint(30, 40),
            most=3,
            audiences=[NoteAudience.PRIVATE, NoteAudience.SHARED],
        )
        for mentor_id in case.alternatives:
            try:
                await review.reassign_case(case.id, self.coordinator, mentor_id, REASSIGN_REASON)
            except (Conflict, ValidationFailed):
                continue  # taken up since the run, or no longer eligible: the next one
            case.mentor = actors[mentor_id]
            self.summary.reassigned += 1
            await self.log(case, case.mentor, self.today)
            text = HANDOVER_NOTE.format(name=case.employee.first_name, focus=case.focus())
            await notes.write_note(
                case.id, case.mentor, NoteCreate(audience=NoteAudience.SHARED, text=text)
            )
            self.summary.notes += 1
            return

    async def fresh(self, case: _Case) -> None:
        """Opened in the last few days: perhaps a first meeting, a welcome note."""
        await self.active(case, self.rng.randint(1, 6), most=1, audiences=[NoteAudience.SHARED])

    async def ongoing(self, case: _Case) -> None:
        """An ordinary case a few weeks in (referred ones before their first report is due)."""
        # A referred case's first report is not due yet, even a week after the reference day
        # (the one overdue is on purpose).
        margin = REFERENCE_LAG_DAYS + 4
        longest = max(self.terms.report_every_days - margin, 1) if case.referred else 60
        days = self.rng.randint(min(10, longest), longest)
        await self.active(
            case,
            days,
            most=5,
            audiences=self.mix(self.rng.randint(1, 3)),
            edit=self.rng.random() < 0.2,
        )


async def build_cases(linked_demo_accounts: dict[str, str] | None = None) -> CasesSummary:
    """Approve a few dozen of the latest run's proposals and give the cases a history.

    `linked_demo_accounts` maps the demo sign-in roles to their emails, as for
    `build_district`; the coordinator among them approves and manages. Nothing happens when
    there are cases already, or no demo coordinator.

    All in one transaction, like the district: each service's own transaction joins it, so
    the hundreds of steps share one connection (several times faster) and a failure leaves
    no half-told stories behind.
    """
    async with db.transaction():
        return await _build(linked_demo_accounts or {})


async def _build(linked_demo_accounts: dict[str, str]) -> CasesSummary:
    if await Case.count():
        return CasesSummary()
    ours = await demo_account_ids(linked_demo_accounts)
    coordinator_id = ours.get("coordinator")
    if coordinator_id is None:
        return CasesSummary()
    rng = random.Random(SEED)
    chosen = choose_proposals(rng, await pending_proposals(), set(ours.values()))
    approved = await approve_proposals(chosen, coordinator_id)
    people = {coordinator_id}
    for proposal, _, alternatives in approved:
        people |= {proposal["mentor"], proposal["employee"], *alternatives}
    actors = await actors_of(people)
    needs = await needs_of([proposal["request"] for proposal, _, _ in approved])
    opened = [
        _Case(
            id=case_id,
            referred=proposal["track"] == Track.REFERRED.value,
            employee=actors[proposal["employee"]],
            mentor=actors[proposal["mentor"]],
            needs=needs[proposal["request"]],
            alternatives=alternatives,
        )
        for proposal, case_id, alternatives in approved
    ]
    builder = _Builder(rng, actors[coordinator_id], (await agreement.in_force()).terms)
    builder.summary.cases = len(opened)
    await _tell(builder, opened, ours, actors)
    return builder.summary


async def _tell(
    builder: _Builder, opened: list[_Case], ours: dict[str, int], actors: dict[int, DemoActor]
) -> None:
    """Give each case its story: the demo sign-ins' own first, then a seeded mix."""
    mentor_id, employee_id = ours.get("mentor"), ours.get("employee")
    others = []
    for case in opened:
        if case.mentor.account_id == mentor_id:
            await builder.demo_mentor(case)
        elif case.employee.account_id == employee_id and case.referred:
            await builder.demo_employee(case)
        else:
            others.append(case)
    builder.rng.shuffle(others)
    referred = [case for case in others if case.referred]
    voluntary = [case for case in others if not case.referred]
    if voluntary:
        await builder.long_running(voluntary.pop())
    if referred:
        await builder.report_due(referred.pop())
    for index in range(min(7, len(referred))):
        await builder.reported(referred.pop(), index)
    if voluntary:
        await builder.paused(voluntary.pop())
    if voluntary:
        await builder.completed(voluntary.pop(), close=True)
    if voluntary:
        await builder.completed(voluntary.pop(), close=False)
    if voluntary:
        await builder.reassigned(voluntary.pop(), actors)
    for case in voluntary[:5]:
        await builder.fresh(case)
    for case in voluntary[5:] + referred:
        await builder.ongoing(case)
