"""Account and role tables."""

from piccolo.columns import Boolean, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from mentorship.access.roles import Role


class Account(Table):
    """One person who can sign in; roles live in AccountRole."""

    id: Serial  # Piccolo adds the primary key; declared so type checkers see it

    email = Varchar(length=254, help_text="The address as the person wrote it, for display.")
    email_key = Varchar(
        length=254,
        unique=True,
        index=True,
        help_text="The address case-folded: the sign-in key, unique whatever the case.",
    )
    display_name = Varchar(length=200, help_text="The name shown to other people.")
    password_hash = Varchar(
        length=512,
        null=True,
        default=None,
        secret=True,
        help_text="argon2id PHC string; empty until a password is set (cannot sign in).",
    )
    active = Boolean(default=True, help_text="False once deactivated: no sign-in, no sessions.")
    created_at = Timestamptz(default=TimestamptzNow(), help_text="When the account was created.")
    last_login_at = Timestamptz(
        null=True, default=None, help_text="When the person last signed in successfully."
    )
    deactivated_at = Timestamptz(null=True, default=None, help_text="When it was deactivated.")


class AccountRole(Table):
    """A role held by an account; (account, role) is unique (index in the first migration)."""

    id: Serial  # Piccolo adds the primary key; declared so type checkers see it

    account = ForeignKey(
        references=Account, on_delete=OnDelete.cascade, null=False, help_text="Who holds it."
    )
    role = Varchar(length=20, choices=Role, help_text="employee, supervisor, mentor, …")
    granted_at = Timestamptz(default=TimestamptzNow(), help_text="When it was granted.")
