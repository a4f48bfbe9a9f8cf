"""Rules for applying to the mentor pool and the coordinators' decisions on a place in it."""

from __future__ import annotations

from typing import Any

from mentorship.access.roles import Role
from mentorship.accounts.services import lock_account, record_account_change
from mentorship.accounts.tables import Account, AccountRole
from mentorship.agreement import services as agreement
from mentorship.development.training_records import training_standing
from mentorship.district import job_roles_and_skills, profiles
from mentorship.district.schemas import ProfileUpdate
from mentorship.lib import clock, db
from mentorship.lib.errors import Conflict, PermissionDenied, ValidationFailed
from mentorship.pool.mentors import check_capacity, get_mentor, mentor_row, refuse_unless
from mentorship.pool.messages import POOL
from mentorship.pool.schemas import ApproveBody, MentorApply, MentorRead
from mentorship.pool.signals import MentorUnavailable, mentor_unavailable
from mentorship.pool.tables import Mentor, MentorSkill, MentorStatus


def may_apply(status: MentorStatus | None) -> bool:
    """Whether someone with this pool status (None: never applied) may send an application:
    a first one, a change to one still waiting, or again after a decline or retirement."""
    return status not in (MentorStatus.APPROVED, MentorStatus.SUSPENDED)


async def apply(account_id: int, data: MentorApply) -> MentorRead:
    """Apply (or re-apply after a decline or retirement) with skills, languages and a statement."""
    skills = {s.skill_id: s.level for s in data.skills}
    if len(skills) != len(data.skills):
        raise ValidationFailed({"skills": POOL("skill_twice")})
    await job_roles_and_skills.require_active_skills(skills, "skills")
    async with db.transaction():
        # A double-submitted first application, or an application racing a coordinator's
        # decision, waits instead of overwriting it.
        await lock_account(account_id)
        existing = await db.for_update(
            Mentor.select(Mentor.id, Mentor.status).where(Mentor.account == account_id)
        ).first()
        if existing is not None and not may_apply(MentorStatus(existing["status"])):
            raise Conflict(POOL("already_in_pool"))
        values: dict[Any, Any] = {
            Mentor.status: MentorStatus.APPLIED.value,
            Mentor.statement: data.statement.strip(),
            Mentor.applied_at: clock.now(),
            Mentor.decided_at: None,
            Mentor.decided_by: None,
            Mentor.status_reason: "",
            Mentor.available: True,
        }
        if existing is None:
            rows = await Mentor.insert(
                Mentor(
                    account=account_id,
                    **{c._meta.name: v for c, v in values.items()},
                )
            ).returning(Mentor.id)
            mentor_id = rows[0]["id"]
        else:
            mentor_id = existing["id"]
            await Mentor.update(values).where(Mentor.id == mentor_id)
        await MentorSkill.delete().where(MentorSkill.mentor == mentor_id)
        await MentorSkill.insert(
            *(
                MentorSkill(mentor=mentor_id, skill=skill, level=level)
                for skill, level in sorted(skills.items())
            )
        )
        await profiles.update_profile(account_id, ProfileUpdate(languages=data.languages))
    return await get_mentor(account_id)


async def _decide(
    account_id: int, coordinator_id: int, status: MentorStatus, reason: str, **extra: Any
) -> None:
    values: dict[Any, Any] = {
        Mentor.status: status.value,
        Mentor.decided_at: clock.now(),
        Mentor.decided_by: coordinator_id,
        Mentor.status_reason: reason,
    }
    values.update({getattr(Mentor, k): v for k, v in extra.items()})
    await Mentor.update(values).where(Mentor.account == account_id)


async def _set_mentor_role(account_id: int, held: bool, coordinator_id: int) -> None:
    has = await AccountRole.exists().where(
        (AccountRole.account == account_id) & (AccountRole.role == Role.MENTOR.value)
    )
    if held and not has:
        await AccountRole.insert(
            AccountRole(account=account_id, role=Role.MENTOR.value, granted_at=clock.now())
        )
        await record_account_change(
            account_id,
            "grant_role",
            coordinator_id,
            actor_role="coordinator",
            role=Role.MENTOR,
            purpose="admitted to the mentor pool",
        )
    elif not held and has:
        await AccountRole.delete().where(
            (AccountRole.account == account_id) & (AccountRole.role == Role.MENTOR.value)
        )
        await record_account_change(
            account_id,
            "revoke_role",
            coordinator_id,
            actor_role="coordinator",
            role=Role.MENTOR,
            purpose="retired from the mentor pool",
        )


def _not_about_yourself(account_id: int, coordinator_id: int) -> None:
    if account_id == coordinator_id:
        raise PermissionDenied(POOL("own_place"))


async def approve(account_id: int, coordinator_id: int, data: ApproveBody) -> MentorRead:
    """Admit an applicant; refused (409) until required training is complete and current."""
    _not_about_yourself(account_id, coordinator_id)
    terms = (await agreement.in_force()).terms
    if data.capacity is not None:
        check_capacity(data.capacity, terms)
    async with db.transaction():
        row = await mentor_row(account_id, lock=True)
        refuse_unless(row, [MentorStatus.APPLIED], "approve")
        if not await Account.exists().where(
            (Account.id == account_id) & (Account.active == True)  # noqa: E712
        ):
            raise Conflict(POOL("deactivated"))
        standing = await training_standing(account_id, terms)
        if not standing.complete:
            raise Conflict(POOL("training_short", shortfall=standing.shortfall()))
        await _decide(account_id, coordinator_id, MentorStatus.APPROVED, "", capacity=data.capacity)
        await _set_mentor_role(account_id, True, coordinator_id)
    return await get_mentor(account_id)


async def decline(account_id: int, coordinator_id: int, reason: str) -> MentorRead:
    """Turn an application down, with the reason the applicant will see."""
    _not_about_yourself(account_id, coordinator_id)
    async with db.transaction():
        refuse_unless(await mentor_row(account_id, lock=True), [MentorStatus.APPLIED], "decline")
        await _decide(account_id, coordinator_id, MentorStatus.DECLINED, reason.strip())
    return await get_mentor(account_id)


async def suspend(account_id: int, coordinator_id: int, reason: str) -> MentorRead:
    """Take a mentor out of matching for now; they keep the mentor role."""
    _not_about_yourself(account_id, coordinator_id)
    async with db.transaction():
        refuse_unless(await mentor_row(account_id, lock=True), [MentorStatus.APPROVED], "suspend")
        await _decide(account_id, coordinator_id, MentorStatus.SUSPENDED, reason.strip())
        await mentor_unavailable.send(MentorUnavailable(account_id, POOL("unavailable.suspended")))
    return await get_mentor(account_id)


async def reinstate(account_id: int, coordinator_id: int) -> MentorRead:
    """Bring a suspended mentor back (training must still be current to be matched)."""
    _not_about_yourself(account_id, coordinator_id)
    async with db.transaction():
        refuse_unless(
            await mentor_row(account_id, lock=True), [MentorStatus.SUSPENDED], "reinstate"
        )
        await _decide(account_id, coordinator_id, MentorStatus.APPROVED, "")
    return await get_mentor(account_id)


async def retire(account_id: int, coordinator_id: int, reason: str) -> MentorRead:
    """Take someone out of the pool for good; the mentor role is removed."""
    _not_about_yourself(account_id, coordinator_id)
    async with db.transaction():
        refuse_unless(
            await mentor_row(account_id, lock=True),
            [MentorStatus.APPROVED, MentorStatus.SUSPENDED],
            "retire",
        )
        await _decide(account_id, coordinator_id, MentorStatus.RETIRED, reason.strip())
        await _set_mentor_role(account_id, False, coordinator_id)
        await mentor_unavailable.send(MentorUnavailable(account_id, POOL("unavailable.retired")))
    return await get_mentor(account_id)
