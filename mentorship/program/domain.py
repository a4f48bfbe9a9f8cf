"""The program domain: the coordinator's reports on how the program is doing."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.lib.domain import Domain
from mentorship.program.pages import ProgramPages
from mentorship.web.nav import COORDINATION, link

DOMAIN = Domain(
    name="program",
    pages=[ProgramPages],
    menu=[link(COORDINATION, 70, "Program reports", "/program", Role.COORDINATOR)],
)
