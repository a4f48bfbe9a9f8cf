"""The accounts' messages as codes: refusals of an account change, and what is wrong with a
proposed password."""

from __future__ import annotations

from mentorship.lib.messages import Catalogue

ACCOUNTS = Catalogue(
    "accounts",
    {
        "not_email": "is not an email address (expected name@example.org)",
        "blank": "must not be blank",
        "email_taken": "an account with the email {email} already exists",
        "no_account": "no account with id {account_id}",
        # `doing` is one of the two actions below.
        "last_admin": "cannot {doing} the last active admin account: grant the admin role to"
        " another active account first",
        "doing.remove_admin": "remove the admin role from",
        "doing.deactivate": "deactivate",
        # --- a proposed password ---
        "password.too_short": "must be at least {count} characters long (spaces count)",
        "password.too_long": "must be at most {count} characters long",
        "password.common": "is too common and easy to guess: try a phrase of several unrelated"
        " words",
        "password.has_email": "must not contain your email address",
        "password.has_name": "must not contain your name",
    },
)
