"""Piccolo's configuration: the engine comes from MENTORSHIP_* settings, never from this file."""

from piccolo.conf.apps import AppRegistry

from mentorship.config import get_settings
from mentorship.lib.db import build_engine

DB = build_engine(get_settings())

APP_REGISTRY = AppRegistry(
    apps=[
        "mentorship.accounts.piccolo_app",
        "mentorship.auth.piccolo_app",
        "mentorship.district.piccolo_app",
        "mentorship.agreement.piccolo_app",
        "mentorship.pool.piccolo_app",
        "mentorship.assistance.piccolo_app",
        "mentorship.cases.piccolo_app",
        "mentorship.matching.piccolo_app",
        "mentorship.audit.piccolo_app",
    ]
)
