"""The cases' refusals are coded messages from their catalogue; the API words them as before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from mentorship.access.roles import Role
from mentorship.cases import lifecycle, meetings
from mentorship.cases.schemas import MeetingCreate
from mentorship.cases.states import MeetingMode
from mentorship.lib import clock
from mentorship.lib.errors import Conflict, PermissionDenied, ValidationFailed
from mentorship.lib.messages import Message
from tests.cases_api.conftest import Cases
from tests.matching_api.conftest import Person


@dataclass(frozen=True)
class Acting:
    """A person acting on a case when the test calls a service directly."""

    account_id: int
    display_name: str
    roles: frozenset[Role]


def acting(person: Person, *roles: Role) -> Acting:
    """The person as the services' actor, with these roles."""
    return Acting(account_id=person.id, display_name=person.name, roles=frozenset(roles))


async def test_a_meeting_in_the_future_is_refused_with_a_code_and_the_same_words(
    cases: Cases,
) -> None:
    tomorrow = clock.now().date() + timedelta(days=1)
    mentor = acting(cases.mentor, Role.EMPLOYEE, Role.MENTOR)

    with pytest.raises(ValidationFailed) as refused:
        await meetings.log_meeting(
            cases.referred_case,
            mentor,
            MeetingCreate(held_on=tomorrow, minutes=30, mode=MeetingMode.PHONE),
        )
    assert refused.value.reasons["held_on"] == Message("cases.meeting_in_future")

    response = await cases.mentor.api.post(
        cases.url(cases.referred_case, "/meetings"),
        json={"held_on": tomorrow.isoformat(), "minutes": 30, "mode": "phone"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == {
        "held_on": "is in the future: log a meeting once it is held"
    }


async def test_a_refused_action_is_refused_with_a_code_and_the_same_words(cases: Cases) -> None:
    mentee = acting(cases.volunteer, Role.EMPLOYEE)
    today = clock.now().date()

    with pytest.raises(PermissionDenied) as refused:
        await meetings.log_meeting(
            cases.voluntary_case,
            mentee,
            MeetingCreate(held_on=today, minutes=30, mode=MeetingMode.PHONE),
        )
    assert refused.value.reason == Message("cases.mentor_logs_meetings")

    response = await cases.volunteer.api.post(
        cases.url(cases.voluntary_case, "/meetings"),
        json={"held_on": today.isoformat(), "minutes": 30, "mode": "phone"},
    )
    assert response.status_code == 403, response.text
    assert response.json()["detail"] == "Only the case's mentor logs meetings."


async def test_a_change_the_state_does_not_allow_is_refused_with_a_code_and_the_same_words(
    cases: Cases,
) -> None:
    case = cases.referred_case
    coordinator = acting(cases.coordinator, Role.COORDINATOR)

    with pytest.raises(Conflict) as refused:
        await lifecycle.resume(case, coordinator)
    assert refused.value.reason == Message(
        "cases.wrong_state", {"case_id": case, "state": "active", "doing": "resumed"}
    )

    response = await cases.coordinator.api.post(cases.url(case, "/resume"))
    assert response.status_code == 409, response.text
    assert response.json()["detail"] == f"case {case} is active: it cannot be resumed"
