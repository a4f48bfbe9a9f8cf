"""Signing in's messages as codes."""

from __future__ import annotations

from mentorship.lib.messages import Catalogue

AUTH = Catalogue(
    "auth",
    {
        # One message for every credential failure, so a response never tells whether an
        # account with that email exists, is deactivated, or has no password yet.
        "invalid_credentials": "The email or password is not right.",
        "too_many_attempts": "Too many failed sign-ins. Please wait {wait} before trying again.",
        "minutes.one": "1 minute",
        "minutes": "{count} minutes",
        "enter_email": "Enter your email address.",
        "enter_password": "Enter your password.",
    },
)
