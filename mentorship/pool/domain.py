"""The mentor pool domain: applications, mentor training and each mentor's standing."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.lib.domain import Domain
from mentorship.pool.controllers import (
    MentorPoolController,
    TrainingController,
)
from mentorship.pool.coordinator_pages import PoolPages
from mentorship.pool.mentor_pages import MentorPages
from mentorship.web.nav import COORDINATION, MENTORING, link

DOMAIN = Domain(
    name="pool",
    piccolo_app="mentorship.pool.piccolo_app",
    api=[MentorPoolController, TrainingController],
    pages=[MentorPages, PoolPages],
    menu=[
        link(MENTORING, 10, "Mentor application", "/mentor/apply", Role.EMPLOYEE, Role.MENTOR),
        link(MENTORING, 20, "My mentor training", "/mentor/training", Role.EMPLOYEE, Role.MENTOR),
        link(COORDINATION, 40, "Applications", "/pool/applications", Role.COORDINATOR),
        link(COORDINATION, 50, "Training to verify", "/pool/training", Role.COORDINATOR),
        link(COORDINATION, 60, "Mentor pool", "/pool/mentors", Role.COORDINATOR),
    ],
)
