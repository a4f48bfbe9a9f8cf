"""Revision counters of the district's reference data, which cached readers compare."""

from __future__ import annotations

from mentorship.district.tables import ReferenceRevision

TRAVEL_GRAPH = "travel_graph"
SUPERVISION = "supervision"
JOB_ROLES = "job_roles"
SKILLS = "skills"


async def bump_revision(name: str) -> int:
    """Count a change to a kind of reference data (call inside the changing transaction).

    The UPDATE also serialises concurrent changers on PostgreSQL (row lock) as on SQLite.
    """
    for _ in range(2):
        rows = (
            await ReferenceRevision.update(
                {ReferenceRevision.revision: ReferenceRevision.revision + 1}
            )
            .where(ReferenceRevision.name == name)
            .returning(ReferenceRevision.revision)
        )
        if rows:
            return int(rows[0]["revision"])
        # First change of this kind: create the counter (a concurrent first change may win
        # the insert; then the second UPDATE finds its row).
        await ReferenceRevision.insert(ReferenceRevision(name=name, revision=0)).on_conflict(
            action="DO NOTHING"
        )
    raise RuntimeError(f"reference revision {name!r} could not be created")


async def current_revision(name: str) -> int:
    """How many changes the kind of reference data has seen."""
    row = (
        await ReferenceRevision.select(ReferenceRevision.revision)
        .where(ReferenceRevision.name == name)
        .first()
    )
    return int(row["revision"]) if row else 0
