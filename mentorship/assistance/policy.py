"""Who may see what of a request (pure; no database or web)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from mentorship.accounts.roles import Role


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


def may_withdraw(viewer_id: int, parties: RequestParties) -> bool:
    """The employee or whoever filed the request may withdraw it before matching."""
    return viewer_id in (parties.employee_id, parties.filed_by_id)
