"""What the mentor's and the coordinator's pool pages share: status words and skill levels;
and the pool's answer to the training pages' question (where someone stands in the pool)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from litestar import Request

from mentorship.access.principal import Principal
from mentorship.development.signals import PoolPlace
from mentorship.pool import mentors
from mentorship.pool.tables import MentorStatus

Me = Request[Principal, Any, Any]

# How each pool status reads to people, with the badge tone that goes with it.
STATUS_WORDS: dict[MentorStatus, tuple[str, str]] = {
    MentorStatus.APPLIED: ("Waiting for a decision", "info"),
    MentorStatus.APPROVED: ("Active mentor", "ok"),
    MentorStatus.DECLINED: ("Application declined", "neutral"),
    MentorStatus.SUSPENDED: ("Suspended", "alert"),
    MentorStatus.RETIRED: ("Left the pool", "neutral"),
}
LEVELS: list[tuple[int, str]] = [(1, "Some experience"), (2, "Solid experience"), (3, "Expert")]


def template_globals() -> dict[str, Any]:
    """The status words and skill levels every pool template reads."""
    return {"status_words": STATUS_WORDS, "levels": dict(LEVELS)}


async def pool_places(account_ids: Iterable[int]) -> dict[int, PoolPlace]:
    """Where each of these people stands in the pool, in the pool's words (for the training
    pages, which sit below the pool and ask through `development.signals.pool_places`)."""
    return {
        account: PoolPlace(*STATUS_WORDS[status])
        for account, status in (await mentors.statuses(account_ids)).items()
    }
