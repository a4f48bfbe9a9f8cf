"""The professional-development domain: each person's record of verified training hours and
mentoring hours received and given, by topic, and its transcript."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.development.commands import COMMANDS
from mentorship.development.controllers import DevelopmentRecordController, TranscriptController
from mentorship.development.pages import DevelopmentPages
from mentorship.lib.domain import Domain
from mentorship.web.nav import MY_HELP, link

DOMAIN = Domain(
    name="development",
    api=[DevelopmentRecordController, TranscriptController],
    pages=[DevelopmentPages],
    menu=[link(MY_HELP, 40, "My training and hours", "/development", Role.EMPLOYEE, Role.MENTOR)],
    commands=COMMANDS,
)
