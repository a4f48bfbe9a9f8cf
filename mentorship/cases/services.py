"""Case rules needed by matching: opening a case and measuring mentors' caseloads."""

from __future__ import annotations

from collections.abc import Iterable

from mentorship.assistance.states import Track
from mentorship.cases.states import OPEN_CASE_STATES, CaseState
from mentorship.cases.tables import Case
from mentorship.lib import clock

_OPEN = [s.value for s in OPEN_CASE_STATES]


async def caseloads(mentor_ids: Iterable[int]) -> dict[int, int]:
    """Weighted capacity each mentor's open (active or paused) cases take."""
    ids = list(mentor_ids)
    loads = dict.fromkeys(ids, 0)
    if not ids:
        return loads
    rows = await Case.select(Case.mentor, Case.weight).where(
        Case.mentor.is_in(ids) & Case.state.is_in(_OPEN)
    )
    for row in rows:
        loads[row["mentor"]] += row["weight"]
    return loads


async def open_case(
    *,
    request_id: int,
    employee_id: int,
    mentor_id: int,
    track: Track,
    weight: int,
    agreement_version: int,
    opened_by: int | None,
) -> int:
    """Open the case for an approved match (inside the caller's transaction); its id."""
    rows = await Case.insert(
        Case(
            request=request_id,
            employee=employee_id,
            mentor=mentor_id,
            track=track.value,
            weight=weight,
            state=CaseState.ACTIVE.value,
            agreement_version=agreement_version,
            opened_at=clock.now(),
            opened_by=opened_by,
        )
    ).returning(Case.id)
    return int(rows[0]["id"])
