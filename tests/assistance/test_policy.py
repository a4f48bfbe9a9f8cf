"""Who may see and withdraw a request: the pure rules in `assistance.policy`."""

from __future__ import annotations

import pytest

from mentorship.access.roles import Role
from mentorship.assistance.policy import RequestParties, RequestView, may_withdraw, request_view

EMPLOYEE, SUPERVISOR, STRANGER = 10, 20, 30
SELF_REQUEST = RequestParties(employee_id=EMPLOYEE, filed_by_id=EMPLOYEE)
REFERRAL = RequestParties(employee_id=EMPLOYEE, filed_by_id=SUPERVISOR)
ORPHANED_REFERRAL = RequestParties(employee_id=EMPLOYEE, filed_by_id=None)  # filer deleted


def roles(*held: Role) -> frozenset[Role]:
    return frozenset(held)


@pytest.mark.parametrize("parties", [SELF_REQUEST, REFERRAL, ORPHANED_REFERRAL])
def test_the_employee_sees_their_whole_request(parties):
    assert request_view(EMPLOYEE, roles(Role.EMPLOYEE), parties) is RequestView.FULL


def test_the_employee_comes_first_even_when_they_hold_the_supervisor_role():
    both = roles(Role.EMPLOYEE, Role.SUPERVISOR)
    assert request_view(EMPLOYEE, both, SELF_REQUEST) is RequestView.FULL
    # A supervisor referred by their own manager is the employee of that request.
    assert request_view(EMPLOYEE, both, REFERRAL) is RequestView.FULL


@pytest.mark.parametrize("parties", [SELF_REQUEST, REFERRAL, ORPHANED_REFERRAL])
def test_coordinators_see_everything(parties):
    assert request_view(STRANGER, roles(Role.COORDINATOR), parties) is RequestView.FULL


def test_a_referring_supervisor_who_is_also_a_coordinator_sees_everything():
    assert request_view(SUPERVISOR, roles(Role.SUPERVISOR, Role.COORDINATOR), REFERRAL) is (
        RequestView.FULL
    )


def test_the_referring_supervisor_sees_status_only():
    assert request_view(SUPERVISOR, roles(Role.SUPERVISOR), REFERRAL) is RequestView.STATUS
    # The filer sees status even if the supervisor role was taken away meanwhile.
    assert request_view(SUPERVISOR, roles(Role.EMPLOYEE), REFERRAL) is RequestView.STATUS


@pytest.mark.parametrize(
    "held",
    [
        roles(),
        roles(Role.EMPLOYEE),
        roles(Role.SUPERVISOR),
        roles(Role.MENTOR),
        roles(Role.ADMIN),  # district IT: no case content
        roles(Role.EMPLOYEE, Role.SUPERVISOR, Role.MENTOR, Role.ADMIN),
    ],
)
@pytest.mark.parametrize("parties", [SELF_REQUEST, REFERRAL, ORPHANED_REFERRAL])
def test_anyone_else_sees_nothing(held, parties):
    assert request_view(STRANGER, held, parties) is RequestView.NONE


def test_another_supervisor_sees_nothing_of_a_referral():
    assert request_view(SUPERVISOR + 1, roles(Role.SUPERVISOR), REFERRAL) is RequestView.NONE


@pytest.mark.parametrize("awaiting_consent", [True, False])
@pytest.mark.parametrize("parties", [SELF_REQUEST, REFERRAL, ORPHANED_REFERRAL])
def test_the_employee_may_always_withdraw(parties, awaiting_consent):
    assert may_withdraw(EMPLOYEE, parties, awaiting_consent)


def test_the_referrer_may_withdraw_only_until_the_employee_answers():
    assert may_withdraw(SUPERVISOR, REFERRAL, awaiting_consent=True)
    # Once consented the request belongs to the employee (PRODUCT §2: voluntary).
    assert not may_withdraw(SUPERVISOR, REFERRAL, awaiting_consent=False)


@pytest.mark.parametrize("awaiting_consent", [True, False])
@pytest.mark.parametrize("parties", [SELF_REQUEST, REFERRAL, ORPHANED_REFERRAL])
def test_nobody_else_may_withdraw(parties, awaiting_consent):
    # Not even a coordinator: withdrawing is the parties' decision.
    assert not may_withdraw(STRANGER, parties, awaiting_consent)


@pytest.mark.parametrize("awaiting_consent", [True, False])
def test_a_supervisor_may_not_withdraw_a_self_request(awaiting_consent):
    assert not may_withdraw(SUPERVISOR, SELF_REQUEST, awaiting_consent)
