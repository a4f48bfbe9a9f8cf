"""The roster domain: staff and supervision imported from and exported to CSV."""

from __future__ import annotations

from mentorship.lib.domain import Domain
from mentorship.roster.commands import COMMANDS
from mentorship.roster.controllers import RosterController

DOMAIN = Domain(name="roster", api=[RosterController], commands=COMMANDS)
