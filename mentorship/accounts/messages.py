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
        # --- notices after a change on a person's page ---
        "notice.created": "The account for {name} was created.",
        "notice.created_no_password": "The account for {name} was created. They cannot sign in"
        " until a password is set.",
        "notice.details_saved": "The name and email were saved.",
        "notice.roles_unchanged": "No roles were changed.",
        "notice.roles_given": "{name} is now given {granted}.",
        "notice.roles_taken": "{name} is now no longer {revoked}.",
        "notice.roles_changed": "{name} is now given {granted} and no longer {revoked}.",
        "notice.deactivated": "{name}'s account is deactivated: they can no longer sign in.",
        "notice.reactivated": "{name}'s account is active again: they can sign in.",
        "notice.password_set": "The new password is set. Any sign-in the person had open has"
        " ended.",
        "notice.profile_saved": "Where they work was saved.",
        "notice.nothing_changed": "Nothing was changed.",
    },
)
