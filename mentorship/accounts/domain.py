"""The accounts domain: who may sign in and with which roles. Its admin pages show a person's
account beside their district profile, so they are the district domain's
(`district/account_pages.py`)."""

from __future__ import annotations

from mentorship.accounts.commands import COMMANDS
from mentorship.accounts.controllers import AccountController
from mentorship.accounts.services import display_name
from mentorship.audit import services as audit
from mentorship.lib.domain import Domain

DOMAIN = Domain(
    name="accounts",
    piccolo_app="mentorship.accounts.piccolo_app",
    api=[AccountController],
    commands=COMMANDS,
    providers=[(audit.actor_name, display_name)],
)
