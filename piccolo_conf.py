"""Piccolo's configuration: the engine comes from MENTORSHIP_* settings, never from this file."""

from piccolo.conf.apps import AppRegistry

from mentorship.config import get_settings
from mentorship.domains import PICCOLO_APPS
from mentorship.lib.db import build_engine

DB = build_engine(get_settings())

APP_REGISTRY = AppRegistry(apps=PICCOLO_APPS)
