"""Response shapes of the roster import."""

from __future__ import annotations

import msgspec


class UpdatedEmployee(msgspec.Struct):
    """An existing account the import changes, and which columns change."""

    email: str
    line: int
    changed: list[str]


class ImportReport(msgspec.Struct):
    """What an import did (or, for a dry run, would do), person by person."""

    dry_run: bool
    rows: int
    created_count: int
    updated_count: int
    unchanged_count: int
    created: list[str]
    updated: list[UpdatedEmployee]
    unchanged: list[str]
