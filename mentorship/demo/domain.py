"""The demo domain: a believable district to try the system with (`mentorship demo`)."""

from __future__ import annotations

from mentorship.demo.commands import COMMANDS
from mentorship.lib.domain import Domain

DOMAIN = Domain(name="demo", commands=COMMANDS)
