"""The reasons the system wrote when it withdrew a proposal become coded messages.

Until this release, a proposal withdrawn because its mentor stopped taking cases kept the
system's English sentence in `decision_reason`, the column that also holds a coordinator's own
words. Each sentence the code wrote (frozen below as it was) moves to `decision_coded` as its
code and leaves `decision_reason` empty; any other text is a person's and stays as typed.
"""

import json

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Serial
from piccolo.table import Table

ID = "2026-12-06T03:44:18:167225"
VERSION = "1.38.0"
DESCRIPTION = "The system's withdrawal reasons read back into codes"

# The sentences the pool services and matching/withdrawals.py wrote, by the code they now have.
SYSTEM_REASONS = {
    "pool.unavailable.suspended": "the mentor was suspended",
    "pool.unavailable.retired": "the mentor left the pool",
    "pool.unavailable.not_taking_cases": "the mentor is not taking new cases",
    "matching.withdrawn.account_deactivated": "the mentor's account was deactivated",
}


class MatchProposal(Table, tablename="match_proposal"):
    """The proposals table as this migration reads it."""

    id = Serial()


async def code_system_reasons():
    """Each withdrawal reason the system wrote becomes its code; a person's words stay."""
    for code, sentence in SYSTEM_REASONS.items():
        await MatchProposal.raw(
            "UPDATE match_proposal SET decision_coded = {}, decision_reason = ''"
            " WHERE status = 'withdrawn' AND decision_reason = {}",
            json.dumps({"code": code, "params": {}}),
            sentence,
        )


async def english_system_reasons():
    """Rolling back: each coded withdrawal reason in English again, where it was before."""
    for code, sentence in SYSTEM_REASONS.items():
        await MatchProposal.raw(
            "UPDATE match_proposal SET decision_reason = {} WHERE CAST(decision_coded AS TEXT)"
            " LIKE {}",
            sentence,
            f'%"{code}"%',
        )


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="matching", description=DESCRIPTION
    )

    manager.add_raw(code_system_reasons)

    return manager
