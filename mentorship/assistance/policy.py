"""Who may see what of a request (pure; no database or web)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from mentorship.access.roles import Role


class RequestView(Enum):
    """How much of a request a person may see."""

    NONE = "none"
    STATUS = "status"
    FULL = "full"


@dataclass(frozen=True)
class RequestParties:
    """The people a request concerns."""

    employee_id: int
    filed_by_id: int | None


def request_view(
    viewer_id: int, viewer_roles: frozenset[Role], parties: RequestParties
) -> RequestView:
    """The employee and coordinators see everything; the referrer sees status; others nothing.

    The employee comes first: a supervisor who is also the employee sees their own request.
    """
    if viewer_id == parties.employee_id or Role.COORDINATOR in viewer_roles:
        return RequestView.FULL
    if viewer_id == parties.filed_by_id:
        return RequestView.STATUS
    return RequestView.NONE


def may_withdraw(viewer_id: int, parties: RequestParties, awaiting_consent: bool) -> bool:
    """The employee may withdraw before matching; a referrer only until the employee answers.

    Once the employee has consented the request is theirs: the program is voluntary, so the
    supervisor cannot take it away from them.
    """
    if viewer_id == parties.employee_id:
        return True
    return viewer_id == parties.filed_by_id and awaiting_consent
