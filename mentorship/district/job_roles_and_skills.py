"""Rules for the district's reference lists: job roles and the skills taxonomy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mentorship.district.messages import DISTRICT
from mentorship.district.revisions import JOB_ROLES, SKILLS, bump_revision
from mentorship.district.schemas import (
    JobRoleCreate,
    JobRoleRead,
    JobRoleUpdate,
    SkillCreate,
    SkillRead,
    SkillUpdate,
    changed_fields,
)
from mentorship.district.tables import JobRole, Skill
from mentorship.lib import db
from mentorship.lib.errors import Conflict, NotFound, ValidationFailed


async def list_job_roles(*, include_inactive: bool = False) -> list[JobRoleRead]:
    """Job roles ordered by name."""
    query = JobRole.select().order_by(JobRole.name)
    if not include_inactive:
        query = query.where(JobRole.active == True)  # noqa: E712
    return [JobRoleRead(**row) for row in await query]


async def get_job_role(job_role_id: int) -> JobRoleRead:
    """One job role, or NotFound."""
    row = await JobRole.select().where(JobRole.id == job_role_id).first()
    if row is None:
        raise NotFound(DISTRICT("no_job_role", job_role_id=job_role_id))
    return JobRoleRead(**row)


async def create_job_role(data: JobRoleCreate) -> JobRoleRead:
    """Add a job role."""
    code = data.code.strip().lower()
    async with db.transaction():
        await bump_revision(JOB_ROLES)  # first: concurrent additions queue up
        if await JobRole.exists().where(JobRole.code == code):
            raise Conflict(DISTRICT("job_role_code_taken", code=code))
        rows = await JobRole.insert(
            JobRole(code=code, name=data.name.strip(), active=True)
        ).returning(JobRole.id)
    return await get_job_role(rows[0]["id"])


async def update_job_role(job_role_id: int, data: JobRoleUpdate) -> JobRoleRead:
    """Rename or (de)activate a job role."""
    changes = changed_fields(data)
    async with db.transaction():
        await get_job_role(job_role_id)
        values: dict[Any, Any] = {}
        if "name" in changes:
            values[JobRole.name] = changes["name"].strip()
        if "active" in changes:
            values[JobRole.active] = changes["active"]
        if values:
            await JobRole.update(values).where(JobRole.id == job_role_id)
    return await get_job_role(job_role_id)


async def list_skills(*, include_inactive: bool = False) -> list[SkillRead]:
    """The skills taxonomy ordered by name."""
    query = Skill.select().order_by(Skill.name)
    if not include_inactive:
        query = query.where(Skill.active == True)  # noqa: E712
    return [SkillRead(**row) for row in await query]


async def get_skill(skill_id: int) -> SkillRead:
    """One skill, or NotFound."""
    row = await Skill.select().where(Skill.id == skill_id).first()
    if row is None:
        raise NotFound(DISTRICT("no_skill", skill_id=skill_id))
    return SkillRead(**row)


async def _refuse_duplicate_skill(name: str, except_id: int | None = None) -> None:
    rows = await Skill.select(Skill.id, Skill.name)
    for row in rows:
        if row["name"].casefold() == name.casefold() and row["id"] != except_id:
            raise Conflict(DISTRICT("skill_taken", name=row["name"]))


async def create_skill(data: SkillCreate) -> SkillRead:
    """Add a skill to the taxonomy (names are unique ignoring case)."""
    name = " ".join(data.name.split())
    async with db.transaction():
        await bump_revision(SKILLS)  # first: concurrent additions queue up
        await _refuse_duplicate_skill(name)
        rows = await Skill.insert(
            Skill(name=name, description=data.description.strip(), active=True)
        ).returning(Skill.id)
    return await get_skill(rows[0]["id"])


async def update_skill(skill_id: int, data: SkillUpdate) -> SkillRead:
    """Rename, describe or retire a skill (retired skills stay on old records)."""
    changes = changed_fields(data)
    async with db.transaction():
        await get_skill(skill_id)
        values: dict[Any, Any] = {}
        if "name" in changes:
            name = " ".join(changes["name"].split())
            await bump_revision(SKILLS)
            await _refuse_duplicate_skill(name, except_id=skill_id)
            values[Skill.name] = name
        if "description" in changes:
            values[Skill.description] = changes["description"].strip()
        if "active" in changes:
            values[Skill.active] = changes["active"]
        if values:
            await Skill.update(values).where(Skill.id == skill_id)
    return await get_skill(skill_id)


async def require_active_skills(skill_ids: Iterable[int], field: str) -> dict[int, str]:
    """Names of the given skills, or ValidationFailed naming the unknown or retired ones."""
    wanted = sorted(set(skill_ids))
    if not wanted:
        return {}
    rows = await Skill.select(Skill.id, Skill.name, Skill.active).where(Skill.id.is_in(wanted))
    found = {row["id"]: row for row in rows}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ValidationFailed(
            {field: DISTRICT("unknown_skills", ids=", ".join(map(str, missing)))}
        )
    retired = [found[i]["name"] for i in wanted if not found[i]["active"]]
    if retired:
        raise ValidationFailed({field: DISTRICT("retired_skills", names=", ".join(retired))})
    return {i: found[i]["name"] for i in wanted}
