"""Rules for people's employee profiles (site, job role, languages) and supervision."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import networkx as nx

from mentorship.access.roles import Role
from mentorship.accounts.tables import Account, AccountRole
from mentorship.district import supervision
from mentorship.district.job_roles_and_skills import get_job_role
from mentorship.district.messages import DISTRICT
from mentorship.district.revisions import SUPERVISION, bump_revision
from mentorship.district.schemas import (
    PersonRef,
    ProfileRead,
    ProfileUpdate,
    SuperviseeRead,
    changed_fields,
)
from mentorship.district.sites import get_site
from mentorship.district.tables import Employee, JobRole, Site
from mentorship.lib import clock, db
from mentorship.lib.errors import Conflict, NotFound, ValidationFailed


def normalise_languages(languages: Iterable[str]) -> list[str]:
    """Trimmed, capitalised, without repeats, in the order given."""
    result: list[str] = []
    for language in languages:
        cleaned = " ".join(language.split())
        cleaned = cleaned[:1].upper() + cleaned[1:]
        if cleaned and cleaned.casefold() not in {r.casefold() for r in result}:
            result.append(cleaned)
    return result


async def supervision_map() -> dict[int, int | None]:
    """Every profile's supervisor (None when none is recorded)."""
    rows = await Employee.select(Employee.account, Employee.supervisor)
    return {row["account"]: row["supervisor"] for row in rows}


async def names_of(account_ids: Iterable[int]) -> dict[int, str]:
    """Display names by account id."""
    ids = sorted(set(account_ids))
    if not ids:
        return {}
    rows = await Account.select(Account.id, Account.display_name).where(Account.id.is_in(ids))
    return {row["id"]: row["display_name"] for row in rows}


async def get_profile(account_id: int) -> ProfileRead:
    """A person's site, job role, supervisor and languages (empty when never recorded)."""
    account = (
        await Account.select(Account.id, Account.display_name, Account.email)
        .where(Account.id == account_id)
        .first()
    )
    if account is None:
        raise NotFound(DISTRICT("no_account", account_id=account_id))
    row = await Employee.select().where(Employee.account == account_id).first()
    site = job_role = supervisor = None
    languages: list[str] = []
    if row is not None:
        if row["site"] is not None:
            site = await get_site(row["site"])
        if row["job_role"] is not None:
            job_role = await get_job_role(row["job_role"])
        if row["supervisor"] is not None:
            name = (await names_of([row["supervisor"]]))[row["supervisor"]]
            supervisor = PersonRef(id=row["supervisor"], display_name=name)
        languages = stored_languages(row["languages"])
    return ProfileRead(
        account_id=account["id"],
        display_name=account["display_name"],
        email=account["email"],
        site=site,
        job_role=job_role,
        supervisor=supervisor,
        languages=languages,
    )


def stored_languages(stored: Any) -> list[str]:
    """The languages list from its stored JSON form."""
    value = json.loads(stored) if isinstance(stored, str) else stored
    return [str(v) for v in value or []]


def describe_loop(loop: list[int], names: dict[int, str]) -> str:
    """A supervision loop in words, e.g. 'Ana Lopez → Ben Ortiz → Ana Lopez'."""
    return " → ".join(names.get(person, f"account {person}") for person in loop)


async def update_profile(account_id: int, data: ProfileUpdate) -> ProfileRead:
    """Change a person's site, job role, supervisor or languages.

    A supervisor must be an active account holding the supervisor role, and the change is
    refused when it would make anyone their own (indirect) supervisor, naming the loop.
    """
    changes = changed_fields(data)
    async with db.transaction():
        # Serialises supervision changes so two concurrent edits cannot close a loop together.
        await bump_revision(SUPERVISION)
        if not await Account.exists().where(Account.id == account_id):
            raise NotFound(DISTRICT("no_account", account_id=account_id))
        values: dict[str, Any] = {}
        if "site_id" in changes:
            site_id = changes["site_id"]
            if site_id is not None:
                row = await Site.select(Site.active).where(Site.id == site_id).first()
                if row is None or not row["active"]:
                    raise ValidationFailed({"site_id": DISTRICT("no_open_site", site_id=site_id)})
            values["site"] = site_id
        if "job_role_id" in changes:
            role_id = changes["job_role_id"]
            if role_id is not None:
                row = await JobRole.select(JobRole.active).where(JobRole.id == role_id).first()
                if row is None or not row["active"]:
                    raise ValidationFailed(
                        {"job_role_id": DISTRICT("no_active_job_role", job_role_id=role_id)}
                    )
            values["job_role"] = role_id
        if "supervisor_id" in changes:
            supervisor_id = changes["supervisor_id"]
            if supervisor_id is not None:
                await _require_supervisor(supervisor_id, "supervisor_id")
                current = await supervision_map()
                loop = supervision.cycle_if_assigned(current, account_id, supervisor_id)
                if loop is not None:
                    names = await names_of(loop)
                    raise Conflict(DISTRICT("supervision_loop", loop=describe_loop(loop, names)))
            values["supervisor"] = supervisor_id
        if "languages" in changes:
            values["languages"] = json.dumps(normalise_languages(changes["languages"]))
        await _upsert_profile(account_id, values)
    return await get_profile(account_id)


async def _require_supervisor(account_id: int, field: str) -> None:
    row = await Account.select(Account.active).where(Account.id == account_id).first()
    if row is None or not row["active"]:
        raise ValidationFailed({field: DISTRICT("no_active_account", account_id=account_id)})
    if not await AccountRole.exists().where(
        (AccountRole.account == account_id) & (AccountRole.role == Role.SUPERVISOR.value)
    ):
        raise ValidationFailed({field: DISTRICT("not_supervisor", account_id=account_id)})


async def _upsert_profile(account_id: int, values: dict[str, Any]) -> None:
    if not values:
        return
    columns = {getattr(Employee, name): value for name, value in values.items()}
    columns[Employee.updated_at] = clock.now()
    updated = (
        await Employee.update(columns).where(Employee.account == account_id).returning(Employee.id)
    )
    if not updated:
        await Employee.insert(
            Employee(account=account_id, updated_at=clock.now(), **{"languages": "[]", **values})
        )


async def supervisees(supervisor_id: int) -> list[SuperviseeRead]:
    """Everyone in the supervisor's chain (direct reports and theirs), ordered by name."""
    mapping = await supervision_map()
    graph = supervision.build_graph(mapping)
    below = nx.descendants(graph, supervisor_id) if supervisor_id in graph else set()
    if not below:
        return []
    rows = await Employee.select(
        Employee.account,
        Employee.account.display_name.as_alias("display_name"),
        Employee.site.code.as_alias("site_code"),
        Employee.supervisor,
    ).where(Employee.account.is_in(sorted(below)))
    result = [
        SuperviseeRead(
            account_id=row["account"],
            display_name=row["display_name"],
            site_code=row["site_code"],
            directly=row["supervisor"] == supervisor_id,
        )
        for row in rows
    ]
    return sorted(result, key=lambda s: (s.display_name, s.account_id))


async def is_in_chain(supervisor_id: int, employee_id: int) -> bool:
    """True when the supervisor sits anywhere above the employee in the supervision chain."""
    return supervision.supervises(await supervision_map(), supervisor_id, employee_id)
