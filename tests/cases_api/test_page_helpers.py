"""Service helpers the web pages use: what a person may do with a case, and the reports
waiting for the employee's response (neither opens content nor writes audit events)."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.cases import reports, services
from mentorship.cases.policy import Action
from mentorship.lib import clock
from tests.cases_api.conftest import Cases, events
from tests.conftest import FrozenClock


class _Actor:
    def __init__(self, account_id: int, *roles: Role) -> None:
        self.account_id = account_id
        self.display_name = "someone"
        self.roles = frozenset(roles or (Role.EMPLOYEE,))


async def test_allowed_actions_follow_the_policy(cases: Cases) -> None:
    case = cases.referred_case
    before = len(await events())
    mentee = await services.allowed_actions(case, _Actor(cases.mentee.id))
    assert Action.RESPOND_TO_REPORT in mentee and Action.VIEW_ACCESSES in mentee
    assert Action.LOG_MEETING not in mentee and Action.MANAGE not in mentee
    mentor = await services.allowed_actions(case, _Actor(cases.mentor.id, Role.MENTOR))
    assert {Action.LOG_MEETING, Action.WRITE_NOTE, Action.WRITE_REPORT} <= mentor
    assert Action.VIEW_ACCESSES not in mentor
    coordinator = await services.allowed_actions(
        case, _Actor(cases.coordinator.id, Role.COORDINATOR)
    )
    assert Action.MANAGE in coordinator
    assert Action.READ_NOTE not in coordinator  # the default agreement keeps notes from them
    assert await services.allowed_actions(case, _Actor(cases.outsider.id)) == frozenset()
    assert await services.allowed_actions(case, _Actor(cases.supervisor.id, Role.SUPERVISOR)) == {
        Action.VIEW_STATUS
    }
    assert await services.allowed_actions(99999, _Actor(cases.mentee.id)) == frozenset()
    assert len(await events()) == before  # nothing read, nothing recorded


async def test_reports_awaiting_the_employees_response(
    cases: Cases, frozen_clock: FrozenClock
) -> None:
    case = cases.referred_case
    assert await reports.awaiting_response(_Actor(cases.mentee.id)) == []
    first = await cases.mentor.api.post(
        cases.url(case, "/reports"), json={"status": "progressing", "text": "Good weeks."}
    )
    second = await cases.mentor.api.post(
        cases.url(case, "/reports"), json={"status": "needs_more_time", "text": "More time."}
    )
    assert first.status_code == second.status_code == 201
    waiting = await reports.awaiting_response(_Actor(cases.mentee.id))
    assert [w.report_id for w in waiting] == [first.json()["id"], second.json()["id"]]
    assert waiting[0].case_id == case and waiting[0].mentor_name == "Maya Mentor"
    assert not hasattr(waiting[0], "text")
    # Nobody else is waited on: not the mentor, not another employee.
    assert await reports.awaiting_response(_Actor(cases.mentor.id)) == []
    assert await reports.awaiting_response(_Actor(cases.volunteer.id)) == []

    answered = await cases.mentee.api.post(
        cases.url(case, f"/reports/{first.json()['id']}/response"), json={"text": ""}
    )
    assert answered.status_code == 200
    waiting = await reports.awaiting_response(_Actor(cases.mentee.id))
    assert [w.report_id for w in waiting] == [second.json()["id"]]

    frozen_clock.advance(days=30)  # the response window has passed
    assert clock.now() > waiting[0].respond_by
    assert await reports.awaiting_response(_Actor(cases.mentee.id)) == []


async def test_the_employee_s_access_list_keeps_others_behind_many_own_visits(cases: Cases) -> None:
    case = cases.referred_case
    await cases.coordinator.api.get(cases.url(case))  # someone else looked, once
    for _ in range(12):  # then the employee visits again and again
        assert (await cases.mentee.api.get(cases.url(case))).status_code == 200
    mentee = _Actor(cases.mentee.id)
    others = await services.accesses(case, mentee, 5, others_only=True)
    assert others and all(a.actor_role != "mentee" for a in others)
    assert "coordinator" in {a.actor_role for a in others}
    everyone = await services.accesses(case, mentee, 5)
    assert [a.actor_role for a in everyone][:3] == ["mentee"] * 3
