"""Process logging: one line per event on standard error, no secrets by construction."""

from __future__ import annotations

import logging

_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"

# Database drivers that log every statement with its parameters (password hashes, session
# token hashes) at DEBUG: held at WARNING whatever level the rest of the process uses.
_QUIET_LOGGERS = ("aiosqlite", "asyncpg", "piccolo")


def configure_logging(level: str = "INFO") -> None:
    """Send the service's logs to standard error at the given level (idempotent)."""
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    root = logging.getLogger("mentorship")
    root.setLevel(level)
    if not any(getattr(h, "_mentorship", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler._mentorship = True  # type: ignore[attr-defined]
        root.addHandler(handler)
