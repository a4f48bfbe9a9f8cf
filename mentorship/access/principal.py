"""The signed-in person behind a request, as every route and service sees them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mentorship.access.roles import Role


@dataclass(frozen=True)
class Principal:
    """The signed-in person behind a request."""

    account_id: int
    email: str
    display_name: str
    roles: frozenset[Role]
    session_id: int
    session_created_at: datetime
    session_expires_at: datetime
    session_idle_expires_at: datetime

    def has_any_role(self, roles: frozenset[Role]) -> bool:
        """True when the person holds at least one of the roles."""
        return bool(self.roles & roles)
