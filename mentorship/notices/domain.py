"""The notices domain: the outbox of mail and in-app notices, the worker that delivers it, and
each person's notices and preferences. Domains above it tell people through
`notices.services.tell`, inside their own transactions."""

from __future__ import annotations

from mentorship.lib.domain import Domain
from mentorship.notices.commands import COMMANDS
from mentorship.notices.controllers import MyNoticesController
from mentorship.notices.pages import NoticePages

DOMAIN = Domain(
    name="notices",
    piccolo_app="mentorship.notices.piccolo_app",
    api=[MyNoticesController],
    pages=[NoticePages],
    commands=COMMANDS,
)
