"""Rules for the district's reference data: sites, travel, job roles, skills, profiles."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import msgspec
import networkx as nx

from mentorship.access.roles import Role
from mentorship.accounts.tables import Account, AccountRole
from mentorship.district import supervision
from mentorship.district.schemas import (
    JobRoleCreate,
    JobRoleRead,
    JobRoleUpdate,
    LinkRead,
    PersonRef,
    ProfileRead,
    ProfileUpdate,
    SiteCreate,
    SiteRead,
    SiteUpdate,
    SkillCreate,
    SkillRead,
    SkillUpdate,
    SuperviseeRead,
    TravelRead,
)
from mentorship.district.settings import SettingType
from mentorship.district.tables import (
    Employee,
    JobRole,
    ReferenceRevision,
    Site,
    Skill,
    TravelLink,
)
from mentorship.district.travel import Link, TravelGraph
from mentorship.lib import clock, db
from mentorship.lib.errors import Conflict, NotFound, ValidationFailed

TRAVEL_GRAPH = "travel_graph"
SUPERVISION = "supervision"
JOB_ROLES = "job_roles"
SKILLS = "skills"


def _changes(data: msgspec.Struct) -> dict[str, Any]:
    """The fields a PATCH-style body actually set."""
    return {
        name: value
        for name in data.__struct_fields__
        if (value := getattr(data, name)) is not msgspec.UNSET
    }


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


# --- sites ------------------------------------------------------------------------------------


def _site(row: dict[str, Any]) -> SiteRead:
    return SiteRead(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        setting_type=SettingType(row["setting_type"]),
        region=row["region"],
        active=row["active"],
    )


async def list_sites(*, include_inactive: bool = False) -> list[SiteRead]:
    """Sites ordered by region then name."""
    query = Site.select().order_by(Site.region).order_by(Site.name)
    if not include_inactive:
        query = query.where(Site.active == True)  # noqa: E712 (Piccolo builds SQL from ==)
    return [_site(row) for row in await query]


async def get_site(site_id: int) -> SiteRead:
    """One site, or NotFound."""
    row = await Site.select().where(Site.id == site_id).first()
    if row is None:
        raise NotFound(f"no site with id {site_id}")
    return _site(row)


async def site_by_code(code: str) -> SiteRead:
    """The site with this code (any case), or NotFound."""
    row = await Site.select().where(Site.code == code.strip().upper()).first()
    if row is None:
        raise NotFound(f"no site with code {code}")
    return _site(row)


async def create_site(data: SiteCreate) -> SiteRead:
    """Add a site (codes are kept upper-case and unique)."""
    code = data.code.strip().upper()
    name = data.name.strip()
    if not name:
        raise ValidationFailed({"name": "must not be blank"})
    async with db.transaction():
        await bump_revision(TRAVEL_GRAPH)  # first: queues concurrent site changes
        if await Site.exists().where(Site.code == code):
            raise Conflict(f"a site with the code {code} already exists")
        rows = await Site.insert(
            Site(
                code=code,
                name=name,
                setting_type=data.setting_type.value,
                region=data.region.strip(),
                active=True,
            )
        ).returning(Site.id)
    return await get_site(rows[0]["id"])


async def update_site(site_id: int, data: SiteUpdate) -> SiteRead:
    """Change a site's name, setting, region or active flag."""
    changes = _changes(data)
    values: dict[Any, Any] = {}
    if "name" in changes:
        values[Site.name] = changes["name"].strip()
    if "setting_type" in changes:
        values[Site.setting_type] = changes["setting_type"].value
    if "region" in changes:
        values[Site.region] = changes["region"].strip()
    if "active" in changes:
        values[Site.active] = changes["active"]
    async with db.transaction():
        await get_site(site_id)
        if values:
            await Site.update(values).where(Site.id == site_id)
            await bump_revision(TRAVEL_GRAPH)
    return await get_site(site_id)


# --- travel -----------------------------------------------------------------------------------


def _ordered(site_a: int, site_b: int) -> tuple[int, int]:
    return (site_a, site_b) if site_a < site_b else (site_b, site_a)


async def set_link(site_a: int, site_b: int, minutes: int) -> LinkRead:
    """Create or change the direct link between two sites."""
    if site_a == site_b:
        raise ValidationFailed({"site": "a travel link joins two different sites"})
    low, high = _ordered(site_a, site_b)
    async with db.transaction():
        await bump_revision(TRAVEL_GRAPH)  # first: two admins setting one link queue up
        await get_site(low)
        await get_site(high)
        updated = (
            await TravelLink.update({TravelLink.minutes: minutes})
            .where((TravelLink.site_a == low) & (TravelLink.site_b == high))
            .returning(TravelLink.id)
        )
        if not updated:
            await TravelLink.insert(TravelLink(site_a=low, site_b=high, minutes=minutes))
    return (await list_links(site_id=low, other_id=high))[0]


async def remove_link(site_a: int, site_b: int) -> None:
    """Remove the direct link between two sites (NotFound when there is none)."""
    low, high = _ordered(site_a, site_b)
    async with db.transaction():
        removed = (
            await TravelLink.delete()
            .where((TravelLink.site_a == low) & (TravelLink.site_b == high))
            .returning(TravelLink.id)
        )
        if not removed:
            raise NotFound(f"no direct travel link between sites {low} and {high}")
        await bump_revision(TRAVEL_GRAPH)


async def list_links(*, site_id: int | None = None, other_id: int | None = None) -> list[LinkRead]:
    """Direct links, optionally those touching one site (or joining two)."""
    query = (
        TravelLink.select(
            TravelLink.site_a,
            TravelLink.site_a.code.as_alias("site_a_code"),
            TravelLink.site_b,
            TravelLink.site_b.code.as_alias("site_b_code"),
            TravelLink.minutes,
        )
        .order_by(TravelLink.site_a)
        .order_by(TravelLink.site_b)
    )
    if site_id is not None and other_id is not None:
        low, high = _ordered(site_id, other_id)
        query = query.where((TravelLink.site_a == low) & (TravelLink.site_b == high))
    elif site_id is not None:
        query = query.where((TravelLink.site_a == site_id) | (TravelLink.site_b == site_id))
    return [LinkRead(**row) for row in await query]


_travel_cache: tuple[int, TravelGraph, nx.Graph] | None = None


async def travel_graph() -> TravelGraph:
    """The site graph's shortest paths, rebuilt only when sites or links changed."""
    return (await _travel())[0]


async def _travel() -> tuple[TravelGraph, nx.Graph]:
    global _travel_cache
    revision = await current_revision(TRAVEL_GRAPH)
    if _travel_cache is not None and _travel_cache[0] == revision:
        return _travel_cache[1], _travel_cache[2]
    sites = [r["id"] for r in await Site.select(Site.id).where(Site.active == True)]  # noqa: E712
    links = [
        Link(**row)
        for row in await TravelLink.select(TravelLink.site_a, TravelLink.site_b, TravelLink.minutes)
    ]
    graph = TravelGraph.build(sites, links)
    plain = nx.Graph()
    plain.add_nodes_from(sites)
    plain.add_weighted_edges_from(
        (link.site_a, link.site_b, link.minutes)
        for link in links
        if link.site_a in plain and link.site_b in plain
    )
    _travel_cache = (revision, graph, plain)
    return graph, plain


async def travel_between(origin_id: int, destination_id: int) -> TravelRead:
    """Shortest travel time and route between two sites."""
    origin = await get_site(origin_id)
    destination = await get_site(destination_id)
    graph, plain = await _travel()
    minutes = graph.minutes(origin.id, destination.id)
    route: list[str] = []
    if minutes is not None:
        codes = {s.id: s.code for s in await list_sites(include_inactive=True)}
        route = [codes[s] for s in nx.dijkstra_path(plain, origin.id, destination.id)]
    return TravelRead(
        origin=origin.code,
        destination=destination.code,
        reachable=minutes is not None,
        minutes=minutes,
        route=route,
    )


# --- job roles and skills ------------------------------------------------------------------


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
        raise NotFound(f"no job role with id {job_role_id}")
    return JobRoleRead(**row)


async def create_job_role(data: JobRoleCreate) -> JobRoleRead:
    """Add a job role."""
    code = data.code.strip().lower()
    async with db.transaction():
        await bump_revision(JOB_ROLES)  # first: concurrent additions queue up
        if await JobRole.exists().where(JobRole.code == code):
            raise Conflict(f"a job role with the code {code} already exists")
        rows = await JobRole.insert(
            JobRole(code=code, name=data.name.strip(), active=True)
        ).returning(JobRole.id)
    return await get_job_role(rows[0]["id"])


async def update_job_role(job_role_id: int, data: JobRoleUpdate) -> JobRoleRead:
    """Rename or (de)activate a job role."""
    changes = _changes(data)
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
        raise NotFound(f"no skill with id {skill_id}")
    return SkillRead(**row)


async def _refuse_duplicate_skill(name: str, except_id: int | None = None) -> None:
    rows = await Skill.select(Skill.id, Skill.name)
    for row in rows:
        if row["name"].casefold() == name.casefold() and row["id"] != except_id:
            raise Conflict(f"the skill {row['name']!r} already exists")


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
    changes = _changes(data)
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
        raise ValidationFailed({field: f"unknown skill id(s): {', '.join(map(str, missing))}"})
    retired = [found[i]["name"] for i in wanted if not found[i]["active"]]
    if retired:
        raise ValidationFailed({field: f"retired skill(s): {', '.join(retired)}"})
    return {i: found[i]["name"] for i in wanted}


# --- employee profiles and supervision -----------------------------------------------------


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
        raise NotFound(f"no account with id {account_id}")
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
    changes = _changes(data)
    async with db.transaction():
        # Serialises supervision changes so two concurrent edits cannot close a loop together.
        await bump_revision(SUPERVISION)
        if not await Account.exists().where(Account.id == account_id):
            raise NotFound(f"no account with id {account_id}")
        values: dict[str, Any] = {}
        if "site_id" in changes:
            site_id = changes["site_id"]
            if site_id is not None:
                row = await Site.select(Site.active).where(Site.id == site_id).first()
                if row is None or not row["active"]:
                    raise ValidationFailed({"site_id": f"no open site with id {site_id}"})
            values["site"] = site_id
        if "job_role_id" in changes:
            role_id = changes["job_role_id"]
            if role_id is not None:
                row = await JobRole.select(JobRole.active).where(JobRole.id == role_id).first()
                if row is None or not row["active"]:
                    raise ValidationFailed({"job_role_id": f"no active job role with id {role_id}"})
            values["job_role"] = role_id
        if "supervisor_id" in changes:
            supervisor_id = changes["supervisor_id"]
            if supervisor_id is not None:
                await _require_supervisor(supervisor_id, "supervisor_id")
                current = await supervision_map()
                loop = supervision.cycle_if_assigned(current, account_id, supervisor_id)
                if loop is not None:
                    names = await names_of(loop)
                    raise Conflict(
                        "that would make a loop in the supervision chain: "
                        + describe_loop(loop, names)
                    )
            values["supervisor"] = supervisor_id
        if "languages" in changes:
            values["languages"] = json.dumps(normalise_languages(changes["languages"]))
        await _upsert_profile(account_id, values)
    return await get_profile(account_id)


async def _require_supervisor(account_id: int, field: str) -> None:
    row = await Account.select(Account.active).where(Account.id == account_id).first()
    if row is None or not row["active"]:
        raise ValidationFailed({field: f"no active account with id {account_id}"})
    if not await AccountRole.exists().where(
        (AccountRole.account == account_id) & (AccountRole.role == Role.SUPERVISOR.value)
    ):
        raise ValidationFailed({field: f"account {account_id} does not hold the supervisor role"})


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
