"""The page-helper tests need no database: the root conftest's autouse database fixtures are
replaced here by fixtures that do nothing."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def migrated_database() -> dict[str, list[dict[str, Any]]]:
    """No database for these tests (overrides the root fixture)."""
    return {}


@pytest.fixture
def clean_database() -> None:
    """No database for these tests (overrides the root fixture)."""
    return
