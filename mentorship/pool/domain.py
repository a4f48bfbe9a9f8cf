"""The mentor pool domain: applications, admissions and each mentor's standing (their
training records are the development domain's; the pool reads their standing)."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.development import signals as development_signals
from mentorship.lib.domain import Domain
from mentorship.pool.controllers import MentorPoolController
from mentorship.pool.coordinator_pages import PoolPages
from mentorship.pool.mentor_pages import MentorPages
from mentorship.pool.shared_pages import pool_places
from mentorship.web.nav import COORDINATION, MENTORING, link

DOMAIN = Domain(
    name="pool",
    piccolo_app="mentorship.pool.piccolo_app",
    api=[MentorPoolController],
    pages=[MentorPages, PoolPages],
    menu=[
        link(MENTORING, 10, "Mentor application", "/mentor/apply", Role.EMPLOYEE, Role.MENTOR),
        link(COORDINATION, 40, "Applications", "/pool/applications", Role.COORDINATOR),
        link(COORDINATION, 60, "Mentor pool", "/pool/mentors", Role.COORDINATOR),
    ],
    providers=[(development_signals.pool_places, pool_places)],
)
