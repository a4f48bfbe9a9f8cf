"""The professional-development domain: everyone's training records (recorded, verified and
measured against the agreement's required training) and each person's record of training
hours and mentoring hours received and given, by topic, with its transcript."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.development.commands import COMMANDS
from mentorship.development.controllers import (
    DevelopmentRecordController,
    TrainingController,
    TranscriptController,
)
from mentorship.development.pages import DevelopmentPages
from mentorship.development.training_pages import MyTrainingPages, TrainingToVerifyPages
from mentorship.lib.domain import Domain
from mentorship.web.nav import COORDINATION, MENTORING, MY_HELP, link

DOMAIN = Domain(
    name="development",
    piccolo_app="mentorship.development.piccolo_app",
    api=[TrainingController, DevelopmentRecordController, TranscriptController],
    pages=[DevelopmentPages, MyTrainingPages, TrainingToVerifyPages],
    menu=[
        link(MY_HELP, 40, "My training and hours", "/development", Role.EMPLOYEE, Role.MENTOR),
        link(MENTORING, 20, "My mentor training", "/mentor/training", Role.EMPLOYEE, Role.MENTOR),
        link(COORDINATION, 50, "Training to verify", "/pool/training", Role.COORDINATOR),
    ],
    commands=COMMANDS,
)
