"""Request and response shapes of the sign-in API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from mentorship.access.principal import Principal
from mentorship.access.roles import Role


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    """Credentials; the email is matched ignoring case."""

    email: Annotated[str, msgspec.Meta(max_length=254)]
    password: Annotated[str, msgspec.Meta(max_length=1024)]


class SessionRead(msgspec.Struct):
    """When the current session began and when it will end."""

    created_at: datetime
    expires_at: datetime
    idle_expires_at: datetime


class MeRead(msgspec.Struct):
    """The signed-in person."""

    account_id: int
    email: str
    display_name: str
    roles: list[Role]
    session: SessionRead

    @classmethod
    def from_principal(cls, principal: Principal) -> MeRead:
        """Describe the person behind a request."""
        return cls(
            account_id=principal.account_id,
            email=principal.email,
            display_name=principal.display_name,
            roles=sorted(principal.roles, key=list(Role).index),
            session=SessionRead(
                created_at=principal.session_created_at,
                expires_at=principal.session_expires_at,
                idle_expires_at=principal.session_idle_expires_at,
            ),
        )


class LoginResponse(msgspec.Struct):
    """A successful sign-in: who, and the CSRF token to send as X-CSRFToken on writes."""

    me: MeRead
    csrf_token: str
