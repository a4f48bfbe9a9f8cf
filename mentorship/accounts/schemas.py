"""Request and response shapes of the accounts API, one per direction."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from mentorship.access.roles import Role

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=254, examples=["ana@district.org"])]
DisplayName = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Password = Annotated[str, msgspec.Meta(max_length=1024)]


class AccountCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new account. Without a password the person cannot sign in until one is set."""

    email: Email
    display_name: DisplayName
    roles: list[Role] = msgspec.field(default_factory=lambda: [Role.EMPLOYEE])
    password: Password | None = None


class AccountUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to an account's profile; omitted fields stay as they are."""

    display_name: DisplayName | None = None
    email: Email | None = None


class PasswordSet(msgspec.Struct, forbid_unknown_fields=True):
    """A new password for an account (its sessions end)."""

    password: Password


class AccountRead(msgspec.Struct):
    """An account as shown to admins; never carries the password hash."""

    id: int
    email: str
    display_name: str
    roles: list[Role]
    active: bool
    has_password: bool
    created_at: datetime
    last_login_at: datetime | None
    deactivated_at: datetime | None


class AccountPage(msgspec.Struct):
    """One page of accounts and the total matching the filter."""

    items: list[AccountRead]
    total: int
    limit: int
    offset: int
