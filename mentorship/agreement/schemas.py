"""Request and response shapes of the agreement API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec


class VersionPublish(msgspec.Struct, forbid_unknown_fields=True):
    """A new version: every term (see GET /api/v1/agreement for the current ones)."""

    terms: dict[str, Any]
    summary: Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=r"\S")]


class VersionRead(msgspec.Struct):
    """One published version of the agreement."""

    version: int
    in_force: bool
    published_at: datetime
    published_by: str | None
    summary: str
    terms: dict[str, Any]


class VersionSummary(msgspec.Struct):
    """A version without its terms, for the history list."""

    version: int
    in_force: bool
    published_at: datetime
    published_by: str | None
    summary: str
