"""The accounts domain: who may sign in and with which roles."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.accounts.commands import COMMANDS
from mentorship.accounts.controllers import AccountController
from mentorship.accounts.pages import AccountPages
from mentorship.lib.domain import Domain
from mentorship.web.nav import ADMINISTRATION, link

DOMAIN = Domain(
    name="accounts",
    piccolo_app="mentorship.accounts.piccolo_app",
    api=[AccountController],
    commands=COMMANDS,
    pages=[AccountPages],
    menu=[link(ADMINISTRATION, 10, "Accounts", "/admin/accounts", Role.ADMIN)],
)
