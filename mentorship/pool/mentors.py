"""Rules for the mentor pool as it stands: reading mentors, their capacity and availability."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mentorship.accounts.services import lock_account
from mentorship.accounts.tables import Account
from mentorship.agreement import services as agreement
from mentorship.agreement.terms import AgreementTerms
from mentorship.development.training_records import current_training_by_account, standing_read
from mentorship.district import profiles
from mentorship.district.tables import Employee
from mentorship.lib import db
from mentorship.lib.errors import Conflict, NotFound, ValidationFailed
from mentorship.pool.messages import POOL
from mentorship.pool.schemas import MentorRead, SkillLevelRead
from mentorship.pool.signals import MentorUnavailable, mentor_unavailable
from mentorship.pool.tables import Mentor, MentorSkill, MentorStatus


async def mentor_row(account_id: int, *, lock: bool = False) -> dict[str, Any]:
    """The person's pool row; `lock` holds it until the transaction ends (decisions do)."""
    if lock:
        await lock_account(account_id)
    query = Mentor.select().where(Mentor.account == account_id)
    row = await (db.for_update(query) if lock else query).first()
    if row is None:
        raise NotFound(POOL("not_applied", account_id=account_id))
    return row


async def get_mentor(account_id: int) -> MentorRead:
    """A person's standing in the pool, with training measured against the agreement."""
    row = await mentor_row(account_id)
    terms = (await agreement.in_force()).terms
    return (await _reads([row], terms))[0]


async def _reads(rows: list[dict[str, Any]], terms: AgreementTerms) -> list[MentorRead]:
    ids = [row["account"] for row in rows]
    names = await profiles.names_of(ids)
    standings = await current_training_by_account(ids, terms)
    skills: dict[int, list[SkillLevelRead]] = {row["id"]: [] for row in rows}
    if rows:
        skill_rows = await MentorSkill.select(
            MentorSkill.mentor,
            MentorSkill.skill,
            MentorSkill.skill.name.as_alias("name"),
            MentorSkill.level,
        ).where(MentorSkill.mentor.is_in(list(skills)))
        for s in skill_rows:
            skills[s["mentor"]].append(
                SkillLevelRead(skill_id=s["skill"], name=s["name"], level=s["level"])
            )
    languages = await _languages(ids)
    active = {
        r["id"]: r["active"]
        for r in await Account.select(Account.id, Account.active).where(
            Account.id.is_in(ids or [-1])
        )
    }
    result = []
    for row in rows:
        account = row["account"]
        standing = standings[account]
        status = MentorStatus(row["status"])
        result.append(
            MentorRead(
                account_id=account,
                display_name=names.get(account, ""),
                status=status,
                statement=row["statement"],
                skills=sorted(skills[row["id"]], key=lambda s: s.name),
                languages=languages.get(account, []),
                # A cap lowered by a later agreement version also lowers capacities set before.
                capacity=min(row["capacity"] or terms.caseload_cap, terms.caseload_cap),
                capacity_is_default=row["capacity"] is None,
                available=row["available"],
                matchable=status is MentorStatus.APPROVED
                and row["available"]
                and standing.complete
                and active.get(account, False),
                applied_at=row["applied_at"],
                decided_at=row["decided_at"],
                status_reason=row["status_reason"],
                training=standing_read(standing),
            )
        )
    return result


async def _languages(account_ids: list[int]) -> dict[int, list[str]]:
    if not account_ids:
        return {}
    rows = await Employee.select(Employee.account, Employee.languages).where(
        Employee.account.is_in(account_ids)
    )
    return {row["account"]: profiles.stored_languages(row["languages"]) for row in rows}


async def list_mentors(status: MentorStatus | None = None) -> list[MentorRead]:
    """The pool (or one status of it), by name."""
    query = Mentor.select()
    if status is not None:
        query = query.where(Mentor.status == status.value)
    rows = await query
    terms = (await agreement.in_force()).terms
    reads = await _reads(rows, terms)
    return sorted(reads, key=lambda m: (m.display_name, m.account_id))


async def statuses(account_ids: Iterable[int]) -> dict[int, MentorStatus]:
    """The pool status of each of these people who ever applied (the others are left out)."""
    ids = sorted(set(account_ids))
    if not ids:
        return {}
    rows = await Mentor.select(Mentor.account, Mentor.status).where(Mentor.account.is_in(ids))
    return {row["account"]: MentorStatus(row["status"]) for row in rows}


def refuse_unless(row: dict[str, Any], allowed: Iterable[MentorStatus], doing: str) -> None:
    """Conflict naming what was being done (`doing`, a `pool.doing.*` code's name) unless
    the pool row's status is one allowed."""
    status = MentorStatus(row["status"])
    if status not in allowed:
        raise Conflict(POOL("wrong_status", doing=POOL(f"doing.{doing}"), status=status.value))


def check_capacity(capacity: int, terms: AgreementTerms) -> None:
    """ValidationFailed unless the capacity lies between 1 and the agreement's caseload cap."""
    if not 1 <= capacity <= terms.caseload_cap:
        cap = terms.caseload_cap
        raise ValidationFailed({"capacity": POOL("capacity_range", cap=cap)})


async def set_capacity(account_id: int, capacity: int) -> MentorRead:
    """Set a mentor's weighted capacity within the agreement's cap."""
    check_capacity(capacity, (await agreement.in_force()).terms)
    async with db.transaction():
        refuse_unless(
            await mentor_row(account_id, lock=True),
            [MentorStatus.APPROVED, MentorStatus.SUSPENDED],
            "set_capacity",
        )
        await Mentor.update({Mentor.capacity: capacity}).where(Mentor.account == account_id)
    return await get_mentor(account_id)


async def set_availability(account_id: int, available: bool) -> MentorRead:
    """Say whether the mentor takes new cases now."""
    async with db.transaction():
        refuse_unless(
            await mentor_row(account_id, lock=True),
            [MentorStatus.APPROVED, MentorStatus.SUSPENDED],
            "change_availability",
        )
        await Mentor.update({Mentor.available: available}).where(Mentor.account == account_id)
        if not available:
            await mentor_unavailable.send(
                MentorUnavailable(account_id, POOL("unavailable.not_taking_cases"))
            )
    return await get_mentor(account_id)
