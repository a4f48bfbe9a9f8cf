"""The pool's refusals are coded messages from its catalogue; the API words them as before."""

from __future__ import annotations

import pytest

from mentorship.lib.errors import Conflict, ValidationFailed
from mentorship.lib.messages import Message
from mentorship.pool import applications, mentors
from tests.pool.conftest import POOL, Person, apply, approved_mentor


async def test_a_capacity_over_the_cap_is_refused_with_a_code_and_the_same_words(
    coordinator: Person, ana: Person
):
    await approved_mentor(coordinator, ana)

    with pytest.raises(ValidationFailed) as refused:
        await mentors.set_capacity(ana.id, 4)
    assert refused.value.reasons["capacity"] == Message("pool.capacity_range", {"cap": 3})

    response = await coordinator.client.put(f"{POOL}/{ana.id}/capacity", json={"capacity": 4})
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == {
        "capacity": "must be between 1 and 3 (the agreement's caseload cap)"
    }


async def test_a_decision_the_status_does_not_allow_is_refused_with_a_code_and_the_same_words(
    coordinator: Person, ana: Person
):
    await apply(ana)

    with pytest.raises(Conflict) as refused:
        await applications.suspend(ana.id, coordinator.id, "On leave.")
    assert refused.value.reason == Message(
        "pool.wrong_status", {"doing": Message("pool.doing.suspend"), "status": "applied"}
    )

    response = await coordinator.client.post(
        f"{POOL}/{ana.id}/suspend", json={"reason": "On leave."}
    )
    assert response.status_code == 409, response.text
    assert response.json()["detail"] == "cannot suspend: the mentor's status is applied"
