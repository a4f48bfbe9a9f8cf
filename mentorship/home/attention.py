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
from mentorship.home.messages import HOME, counted
from mentorship.lib.messages import Message
from mentorship.pool import mentors
from mentorship.pool.tables import MentorStatus


@dataclass(frozen=True)
class Attention:
    """One thing to look at: what it is, and the page that deals with it."""

    message: Message
    href: str
    link: Message
    urgent: bool = False


@dataclass(frozen=True)
class RoleAttention:
    """A role's heading on the home page and its items (empty: nothing waiting)."""

    role: Role
    items: list[Attention]


async def for_employee(person: Principal) -> list[Attention]:
    """Referrals to answer, status reports to review, the open case and pending requests."""
    items: list[Attention] = []
    requests = await assistance.my_requests(person.account_id)
    for request in requests:
        if request.state == RequestState.AWAITING_CONSENT:
            by: str | Message = request.filed_by_name or HOME("your_supervisor")
            items.append(
                Attention(
                    HOME("referred_you", by=by),
                    f"/requests/{request.id}",
                    HOME("answer_referral"),
                    urgent=True,
                )
            )
    for waiting in await reports.awaiting_response(person):
        items.append(
            Attention(
                HOME("report_to_review", mentor=waiting.mentor_name),
                f"/cases/{waiting.case_id}#reports",
                HOME("review_report"),
                urgent=True,
            )
        )
    for case in await cases.my_cases(person):
        if case.employee_id == person.account_id and case.state != CaseState.CLOSED:
            state = HOME("state.paused" if case.state == CaseState.PAUSED else "state.open")
            said = counted("your_case", case.meeting_count, mentor=case.mentor_name, state=state)
            items.append(Attention(said, f"/cases/{case.id}", HOME("open_my_case")))
    pending = [r for r in requests if r.state in (RequestState.OPEN, RequestState.PROPOSED)]
    if pending:
        items.append(
            Attention(
                counted("requests_waiting", len(pending)), "/requests", HOME("see_my_requests")
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
            counted("referrals_in_progress", len(waiting)),
            "/referrals",
            HOME("see_my_referrals"),
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
                    HOME("flagged_case", employee=case.employee_name, flag=flag.message),
                    f"/cases/{case.id}",
                    HOME("open_case_of", employee=case.employee_name),
                    urgent=True,
                )
            )
    if mentored:
        items.append(
            Attention(counted("you_mentor", len(mentored)), "/caseload", HOME("see_caseload"))
        )
    return items


async def for_coordinator(person: Principal) -> list[Attention]:
    """Proposals to review, requests to match, applications, flagged cases."""
    items: list[Attention] = []
    proposed = await assistance.queue([RequestState.PROPOSED])
    if proposed:
        items.append(
            Attention(
                counted("proposals_wait", len(proposed)),
                "/matching",
                HOME("open_board"),
                urgent=True,
            )
        )
    waiting = await assistance.queue([RequestState.OPEN])
    if waiting:
        urgent = sum(1 for entry in waiting if entry.urgency.value == "urgent")
        said = (
            counted("requests_wait_urgent", len(waiting), urgent=urgent)
            if urgent
            else counted("requests_wait", len(waiting))
        )
        items.append(Attention(said, "/queue", HOME("see_queue"), urgent=bool(urgent)))
    applied = await mentors.list_mentors(MentorStatus.APPLIED)
    if applied:
        items.append(
            Attention(
                counted("applications_wait", len(applied)),
                "/pool/applications",
                HOME("review_applications"),
            )
        )
    # Only open cases carry flags: closed ones are never read for this.
    flagged = await cases.list_cases([CaseState.ACTIVE, CaseState.PAUSED], flagged=True)
    if flagged:
        items.append(
            Attention(
                counted("cases_flagged", len(flagged)), "/cases?flagged=1", HOME("see_flagged")
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
