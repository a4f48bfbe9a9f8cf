"""Access control's messages as codes: the refusals of the access guard."""

from __future__ import annotations

from mentorship.lib.messages import Catalogue

ACCESS = Catalogue(
    "access",
    {
        "no_rule": "You do not have access to this page.",
        "sign_in": "Please sign in to continue.",
        "no_role": "Your account does not have access to this.",
    },
)
