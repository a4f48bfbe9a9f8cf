"""The audit domain: the hash-chained log of every access to confidential content."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.audit.commands import COMMANDS
from mentorship.audit.controllers import AuditController
from mentorship.audit.pages import AuditPages
from mentorship.lib.domain import Domain
from mentorship.web.nav import COORDINATION, link

DOMAIN = Domain(
    name="audit",
    piccolo_app="mentorship.audit.piccolo_app",
    api=[AuditController],
    commands=COMMANDS,
    pages=[AuditPages],
    menu=[link(COORDINATION, 80, "Audit log", "/audit", Role.COORDINATOR)],
)
