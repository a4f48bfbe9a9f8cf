"""Mentor-pool rules: applying, training records, admission gated on training, capacity."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from mentorship.access.roles import Role
from mentorship.accounts.services import lock_account, record_account_change
from mentorship.accounts.tables import Account, AccountRole
from mentorship.agreement import services as agreement
from mentorship.agreement.terms import AgreementTerms
from mentorship.district import services as district
from mentorship.district.schemas import ProfileUpdate
from mentorship.district.tables import Employee
from mentorship.lib import clock, db
from mentorship.lib.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from mentorship.pool.messages import POOL
from mentorship.pool.schemas import (
    ApproveBody,
    DevelopmentRecord,
    MentorApply,
    MentorRead,
    SkillLevelRead,
    TopicHours,
    TopicStandingRead,
    TrainingCreate,
    TrainingRead,
    TrainingStandingRead,
)
from mentorship.pool.signals import MentorUnavailable, mentor_unavailable
from mentorship.pool.tables import Mentor, MentorSkill, MentorStatus, TrainingRecord
from mentorship.pool.training import Completed, TrainingStanding, assess, topic_key


def today() -> date:
    """The service's current date (UTC), following the test clock."""
    return clock.now().date()


# --- training -----------------------------------------------------------------------------


def _training_read(row: dict[str, Any]) -> TrainingRead:
    return TrainingRead(
        id=row["id"],
        account_id=row["account"],
        topic=row["topic"],
        hours=row["minutes"] / 60,
        completed_on=row["completed_on"],
        provider=row["provider"],
        recorded_at=row["recorded_at"],
        verified=row["verified_at"] is not None,
        verified_at=row["verified_at"],
    )


async def add_training(
    data: TrainingCreate, actor_id: int, actor_is_coordinator: bool
) -> TrainingRead:
    """Record a training: a coordinator's record is verified at once, a person's own is not."""
    account_id = data.account_id if data.account_id is not None else actor_id
    if account_id != actor_id and not actor_is_coordinator:
        raise PermissionDenied(POOL("training_for_others"))
    if data.completed_on > today():
        raise ValidationFailed({"completed_on": POOL("in_the_future")})
    if not await Account.exists().where(Account.id == account_id):
        raise ValidationFailed({"account_id": POOL("no_account", account_id=account_id)})
    # Nobody verifies their own training, coordinators included: another coordinator must.
    verified = actor_is_coordinator and account_id != actor_id
    now = clock.now()
    async with db.transaction():
        rows = await TrainingRecord.insert(
            TrainingRecord(
                account=account_id,
                topic=" ".join(data.topic.split()),
                minutes=round(data.hours * 60),
                completed_on=data.completed_on,
                provider=data.provider.strip(),
                recorded_by=actor_id,
                recorded_at=now,
                verified_by=actor_id if verified else None,
                verified_at=now if verified else None,
            )
        ).returning(TrainingRecord.id)
    return await get_training(rows[0]["id"])


async def get_training(record_id: int) -> TrainingRead:
    """One training record, or NotFound."""
    row = await TrainingRecord.select().where(TrainingRecord.id == record_id).first()
    if row is None:
        raise NotFound(POOL("no_training_record", record_id=record_id))
    return _training_read(row)


async def verify_training(record_id: int, coordinator_id: int) -> TrainingRead:
    """Mark a self-recorded training as checked by the coordinator."""
    async with db.transaction():
        record = await get_training(record_id)
        if record.account_id == coordinator_id:
            raise PermissionDenied(POOL("own_training"))
        if not record.verified:
            await TrainingRecord.update(
                {
                    TrainingRecord.verified_by: coordinator_id,
                    TrainingRecord.verified_at: clock.now(),
                }
            ).where(TrainingRecord.id == record_id)
    return await get_training(record_id)


async def remove_training(record_id: int) -> None:
    """Delete a training record entered by mistake."""
    async with db.transaction():
        await get_training(record_id)
        await TrainingRecord.delete().where(TrainingRecord.id == record_id)


async def _verified_training(account_ids: Iterable[int]) -> dict[int, list[Completed]]:
    ids = sorted(set(account_ids))
    result: dict[int, list[Completed]] = {i: [] for i in ids}
    if not ids:
        return result
    rows = await TrainingRecord.select(
        TrainingRecord.account,
        TrainingRecord.topic,
        TrainingRecord.minutes,
        TrainingRecord.completed_on,
    ).where(TrainingRecord.account.is_in(ids) & TrainingRecord.verified_at.is_not_null())
    for row in rows:
        result[row["account"]].append(
            Completed(topic=row["topic"], minutes=row["minutes"], completed_on=row["completed_on"])
        )
    return result


async def training_standing(
    account_id: int, terms: AgreementTerms | None = None
) -> TrainingStanding:
    """The person's verified training against the agreement in force, today."""
    terms = terms or (await agreement.in_force()).terms
    records = (await _verified_training([account_id]))[account_id]
    return assess(records, terms.required_training, terms.training_valid_days, today())


async def current_training_by_account(
    account_ids: Iterable[int], terms: AgreementTerms
) -> dict[int, TrainingStanding]:
    """Training standing for many people at once (for the matcher and lists)."""
    records = await _verified_training(account_ids)
    return {
        account: assess(mine, terms.required_training, terms.training_valid_days, today())
        for account, mine in records.items()
    }


def _standing_read(standing: TrainingStanding) -> TrainingStandingRead:
    until = standing.current_until if standing.complete else None
    return TrainingStandingRead(
        complete=standing.complete,
        topics=[
            TopicStandingRead(
                topic=t.topic,
                required_hours=t.required_hours,
                current_hours=round(t.current_hours, 2),
                missing_hours=t.missing_hours,
            )
            for t in standing.topics
        ],
        required_total_hours=standing.required_total_hours,
        current_total_hours=round(standing.current_total_hours, 2),
        missing_total_hours=standing.missing_total_hours,
        current_until=None if until == date.max else until,
        shortfall=standing.shortfall(),
    )


async def development_record(account_id: int) -> DevelopmentRecord:
    """Training hours by topic (verified), plus every record, for a person's PD transcript."""
    names = await district.names_of([account_id])
    if account_id not in names:
        raise NotFound(POOL("no_account", account_id=account_id))
    rows = (
        await TrainingRecord.select()
        .where(TrainingRecord.account == account_id)
        .order_by(TrainingRecord.completed_on, ascending=False)
    )
    records = [_training_read(row) for row in rows]
    by_topic: dict[str, tuple[str, float]] = {}
    for record in records:
        if record.verified:
            key = topic_key(record.topic)
            name, hours = by_topic.get(key, (record.topic, 0.0))
            by_topic[key] = (name, hours + record.hours)
    return DevelopmentRecord(
        account_id=account_id,
        display_name=names[account_id],
        training=[TopicHours(topic=n, hours=round(h, 2)) for n, h in sorted(by_topic.values())],
        training_total_hours=round(sum(h for _, h in by_topic.values()), 2),
        unverified_hours=round(sum(r.hours for r in records if not r.verified), 2),
        records=records,
    )


# --- the pool -----------------------------------------------------------------------------


async def _mentor_row(account_id: int, *, lock: bool = False) -> dict[str, Any]:
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
    row = await _mentor_row(account_id)
    terms = (await agreement.in_force()).terms
    return (await _reads([row], terms))[0]


async def _reads(rows: list[dict[str, Any]], terms: AgreementTerms) -> list[MentorRead]:
    ids = [row["account"] for row in rows]
    names = await district.names_of(ids)
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
                training=_standing_read(standing),
            )
        )
    return result


async def _languages(account_ids: list[int]) -> dict[int, list[str]]:
    if not account_ids:
        return {}
    rows = await Employee.select(Employee.account, Employee.languages).where(
        Employee.account.is_in(account_ids)
    )
    return {row["account"]: district.stored_languages(row["languages"]) for row in rows}


async def list_mentors(status: MentorStatus | None = None) -> list[MentorRead]:
    """The pool (or one status of it), by name."""
    query = Mentor.select()
    if status is not None:
        query = query.where(Mentor.status == status.value)
    rows = await query
    terms = (await agreement.in_force()).terms
    reads = await _reads(rows, terms)
    return sorted(reads, key=lambda m: (m.display_name, m.account_id))


def may_apply(status: MentorStatus | None) -> bool:
    """Whether someone with this pool status (None: never applied) may send an application:
    a first one, a change to one still waiting, or again after a decline or retirement."""
    return status not in (MentorStatus.APPROVED, MentorStatus.SUSPENDED)


async def apply(account_id: int, data: MentorApply) -> MentorRead:
    """Apply (or re-apply after a decline or retirement) with skills, languages and a statement."""
    skills = {s.skill_id: s.level for s in data.skills}
    if len(skills) != len(data.skills):
        raise ValidationFailed({"skills": POOL("skill_twice")})
    await district.require_active_skills(skills, "skills")
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
        await district.update_profile(account_id, ProfileUpdate(languages=data.languages))
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


def _refuse_unless(row: dict[str, Any], allowed: Iterable[MentorStatus], doing: str) -> None:
    status = MentorStatus(row["status"])
    if status not in allowed:
        raise Conflict(POOL("wrong_status", doing=doing, status=status.value))


async def approve(account_id: int, coordinator_id: int, data: ApproveBody) -> MentorRead:
    """Admit an applicant; refused (409) until required training is complete and current."""
    _not_about_yourself(account_id, coordinator_id)
    terms = (await agreement.in_force()).terms
    if data.capacity is not None:
        _check_capacity(data.capacity, terms)
    async with db.transaction():
        row = await _mentor_row(account_id, lock=True)
        _refuse_unless(row, [MentorStatus.APPLIED], "approve")
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
        _refuse_unless(await _mentor_row(account_id, lock=True), [MentorStatus.APPLIED], "decline")
        await _decide(account_id, coordinator_id, MentorStatus.DECLINED, reason.strip())
    return await get_mentor(account_id)


async def suspend(account_id: int, coordinator_id: int, reason: str) -> MentorRead:
    """Take a mentor out of matching for now; they keep the mentor role."""
    _not_about_yourself(account_id, coordinator_id)
    async with db.transaction():
        _refuse_unless(await _mentor_row(account_id, lock=True), [MentorStatus.APPROVED], "suspend")
        await _decide(account_id, coordinator_id, MentorStatus.SUSPENDED, reason.strip())
        await mentor_unavailable.send(MentorUnavailable(account_id, POOL("unavailable.suspended")))
    return await get_mentor(account_id)


async def reinstate(account_id: int, coordinator_id: int) -> MentorRead:
    """Bring a suspended mentor back (training must still be current to be matched)."""
    _not_about_yourself(account_id, coordinator_id)
    async with db.transaction():
        _refuse_unless(
            await _mentor_row(account_id, lock=True), [MentorStatus.SUSPENDED], "reinstate"
        )
        await _decide(account_id, coordinator_id, MentorStatus.APPROVED, "")
    return await get_mentor(account_id)


async def retire(account_id: int, coordinator_id: int, reason: str) -> MentorRead:
    """Take someone out of the pool for good; the mentor role is removed."""
    _not_about_yourself(account_id, coordinator_id)
    async with db.transaction():
        _refuse_unless(
            await _mentor_row(account_id, lock=True),
            [MentorStatus.APPROVED, MentorStatus.SUSPENDED],
            "retire",
        )
        await _decide(account_id, coordinator_id, MentorStatus.RETIRED, reason.strip())
        await _set_mentor_role(account_id, False, coordinator_id)
        await mentor_unavailable.send(MentorUnavailable(account_id, POOL("unavailable.retired")))
    return await get_mentor(account_id)


def _check_capacity(capacity: int, terms: AgreementTerms) -> None:
    if not 1 <= capacity <= terms.caseload_cap:
        cap = terms.caseload_cap
        raise ValidationFailed({"capacity": POOL("capacity_range", cap=cap)})


async def set_capacity(account_id: int, capacity: int) -> MentorRead:
    """Set a mentor's weighted capacity within the agreement's cap."""
    _check_capacity(capacity, (await agreement.in_force()).terms)
    async with db.transaction():
        _refuse_unless(
            await _mentor_row(account_id, lock=True),
            [MentorStatus.APPROVED, MentorStatus.SUSPENDED],
            "set capacity",
        )
        await Mentor.update({Mentor.capacity: capacity}).where(Mentor.account == account_id)
    return await get_mentor(account_id)


async def set_availability(account_id: int, available: bool) -> MentorRead:
    """Say whether the mentor takes new cases now."""
    async with db.transaction():
        _refuse_unless(
            await _mentor_row(account_id, lock=True),
            [MentorStatus.APPROVED, MentorStatus.SUSPENDED],
            "change availability",
        )
        await Mentor.update({Mentor.available: available}).where(Mentor.account == account_id)
        if not available:
            await mentor_unavailable.send(
                MentorUnavailable(account_id, POOL("unavailable.not_taking_cases"))
            )
    return await get_mentor(account_id)


def expiring_soon(standing: TrainingStanding, within_days: int = 60) -> bool:
    """True when complete training stops being current within the given days."""
    until = standing.current_until
    return (
        standing.complete
        and until is not None
        and until != date.max
        and (until - today() <= timedelta(days=within_days))
    )


# --- for the pages ------------------------------------------------------------------------

EXPIRY_WARNING_DAYS = 60


def counts_until(completed_on: date, valid_days: int) -> date:
    """The last day a verified training finished on `completed_on` counts (see `assess`)."""
    return completed_on + timedelta(days=valid_days - 1)


def standing_expires_soon(
    standing: TrainingStandingRead, within_days: int = EXPIRY_WARNING_DAYS
) -> bool:
    """`expiring_soon` for a standing already read (MentorRead.training, `my_standing`)."""
    until = standing.current_until
    return (
        standing.complete and until is not None and until - today() <= timedelta(days=within_days)
    )


async def my_standing(account_id: int) -> TrainingStandingRead:
    """Anyone's training against the agreement in force, in pool or not (for their pages)."""
    return _standing_read(await training_standing(account_id))


async def unverified_training() -> list[TrainingRead]:
    """Training people recorded themselves that no coordinator has checked, oldest first."""
    rows = (
        await TrainingRecord.select()
        .where(TrainingRecord.verified_at.is_null())
        .order_by(TrainingRecord.recorded_at)
        .order_by(TrainingRecord.id)
    )
    return [_training_read(row) for row in rows]
