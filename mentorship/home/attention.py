"""What needs a person's attention, for the home page: gathered from each domain's services
(no rule of its own), one short list per role the person holds."""

from __future__ import annotations

from dataclasses import dataclass

from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.assistance import services as assistance
from mentorship.assistance.states import RequestState
from mentorship.cases import reports
from mentorship.cases import services as cases
from mentorship.cases.states import CaseState
from mentorship.pool import mentors
from mentorship.pool.tables import MentorStatus


@dataclass(frozen=True)
class Attention:
    """One thing to look at: what it is, and the page that deals with it."""

    message: str
    href: str
    link: str
    urgent: bool = False


@dataclass(frozen=True)
class RoleAttention:
    """A role's heading on the home page and its items (empty: nothing waiting)."""

    role: Role
    items: list[Attention]


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


async def for_employee(person: Principal) -> list[Attention]:
    """Referrals to answer, status reports to review, the open case and pending requests."""
    items: list[Attention] = []
    requests = await assistance.my_requests(person.account_id)
    for request in requests:
        if request.state == RequestState.AWAITING_CONSENT:
            by = request.filed_by_name or "Your supervisor"
            items.append(
                Attention(
                    f"{by} referred you for peer assistance. Nothing happens until you answer.",
                    f"/requests/{request.id}",
                    "Read and answer the referral",
                    urgent=True,
                )
            )
    for waiting in await reports.awaiting_response(person):
        items.append(
            Attention(
                f"{waiting.mentor_name} wrote a status report about your case. You can read it"
                " and add your response before it is released.",
                f"/cases/{waiting.case_id}#reports",
                "Review the status report",
                urgent=True,
            )
        )
    for case in await cases.my_cases(person):
        if case.employee_id == person.account_id and case.state != CaseState.CLOSED:
            state = "paused" if case.state == CaseState.PAUSED else "open"
            items.append(
                Attention(
                    f"Your case with {case.mentor_name} is {state}:"
                    f" {_plural(case.meeting_count, 'meeting', 'meetings')} so far.",
                    f"/cases/{case.id}",
                    "Open my case",
                )
            )
    pending = [r for r in requests if r.state in (RequestState.OPEN, RequestState.PROPOSED)]
    if pending:
        items.append(
            Attention(
                f"{_plural(len(pending), 'request is', 'requests are')} waiting for a mentor.",
                "/requests",
                "See my requests",
            )
        )
    return items


async def for_supervisor(person: Principal) -> list[Attention]:
    """Referrals still waiting on the employee or on a match."""
    waiting = [
        r
        for r in await assistance.my_referrals(person.account_id)
        if r.state in (RequestState.AWAITING_CONSENT, RequestState.OPEN, RequestState.PROPOSED)
    ]
    if not waiting:
        return []
    return [
        Attention(
            f"{_plural(len(waiting), 'referral is', 'referrals are')} in progress.",
            "/referrals",
            "See my referrals",
        )
    ]


async def for_mentor(person: Principal) -> list[Attention]:
    """Open cases, with the ones whose report is due or that run long first."""
    items: list[Attention] = []
    mentored = [c for c in await cases.my_cases(person) if c.mentor_id == person.account_id]
    for case in mentored:
        for flag in case.flags:
            items.append(
                Attention(
                    f"{case.employee_name}: {flag.message}",
                    f"/cases/{case.id}",
                    f"Open the case of {case.employee_name}",
                    urgent=True,
                )
            )
    if mentored:
        items.append(
            Attention(
                f"You mentor {_plural(len(mentored), 'open case', 'open cases')}.",
                "/caseload",
                "See my caseload",
            )
        )
    return items


async def for_coordinator(person: Principal) -> list[Attention]:
    """Proposals to review, requests to match, applications, flagged cases."""
    items: list[Attention] = []
    proposed = await assistance.queue([RequestState.PROPOSED])
    if proposed:
        items.append(
            Attention(
                f"{_plural(len(proposed), 'proposed match waits', 'proposed matches wait')}"
                " for your review.",
                "/matching",
                "Open the match board",
                urgent=True,
            )
        )
    waiting = await assistance.queue([RequestState.OPEN])
    if waiting:
        urgent = sum(1 for entry in waiting if entry.urgency.value == "urgent")
        extra = f", {urgent} of them urgent" if urgent else ""
        items.append(
            Attention(
                f"{_plural(len(waiting), 'request waits', 'requests wait')} for matching{extra}.",
                "/queue",
                "See the request queue",
                urgent=bool(urgent),
            )
        )
    applied = await mentors.list_mentors(MentorStatus.APPLIED)
    if applied:
        items.append(
            Attention(
                f"{_plural(len(applied), 'mentor application waits', 'mentor applications wait')}"
                " for a decision.",
                "/pool/applications",
                "Review applications",
            )
        )
    # Only open cases carry flags: closed ones are never read for this.
    flagged = await cases.list_cases([CaseState.ACTIVE, CaseState.PAUSED], flagged=True)
    if flagged:
        items.append(
            Attention(
                f"{_plural(len(flagged), 'case needs', 'cases need')} your eye"
                " (overdue report, running long, or mentor unavailable).",
                "/cases?flagged=1",
                "See flagged cases",
            )
        )
    return items


_BY_ROLE = {
    Role.EMPLOYEE: for_employee,
    Role.SUPERVISOR: for_supervisor,
    Role.MENTOR: for_mentor,
    Role.COORDINATOR: for_coordinator,
}


async def attention(person: Principal) -> list[RoleAttention]:
    """Each role the person holds, in the menu's order, with what waits for them in it."""
    result = []
    for role in sorted(person.roles, key=list(Role).index):
        gather = _BY_ROLE.get(role)
        result.append(RoleAttention(role, await gather(person) if gather else []))
    return result
