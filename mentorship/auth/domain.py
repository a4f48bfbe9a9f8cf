"""The sign-in domain: passwords checked, sessions kept and ended, sign-in throttled."""

from __future__ import annotations

from mentorship.accounts.signals import sessions_revoked
from mentorship.auth.controllers import AuthController, MeController
from mentorship.auth.pages import SignInPages
from mentorship.auth.services import end_sessions
from mentorship.lib.domain import Domain

DOMAIN = Domain(
    name="auth",
    piccolo_app="mentorship.auth.piccolo_app",
    api=[AuthController, MeController],
    pages=[SignInPages],
    listeners=[(sessions_revoked, end_sessions)],
)
