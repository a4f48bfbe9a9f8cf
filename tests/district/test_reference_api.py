"""Job roles and the skills taxonomy: the seeded rows, admin edits, retiring, access rules."""

from __future__ import annotations

import asyncio

import pytest

from mentorship.district import job_roles_and_skills
from mentorship.district.schemas import JobRoleCreate, SkillCreate
from mentorship.district.tables import JobRole, Skill
from mentorship.lib.errors import Conflict
from tests.district.conftest import JOB_ROLES, NON_ADMIN_ROLES, SKILLS

# PRODUCT §3: the handbook's suggested training topics, plus the three the union added.
PRODUCT_SKILLS = {
    "Child development",
    "Ethical, medical and technical issues",
    "Behavior management and discipline",
    "Developmentally appropriate practices",
    "Instructional strategies",
    "Team building",
    "Confidentiality and ethics",
    "Stress management",
    "Basic computer skills",
    "Data collection",
    "Conflict resolution",
    "Reporting child abuse",
    "First aid",
    "Characteristics of specific disabilities",
    "Suctioning",
    "Intermittent catheterization",
    "Blood-borne pathogens",
    "Specialty care (lifting, back care)",
    "CPR",
    "IEP accommodations vs. modifications",
    "De-escalation",
    "Fostering student independence",
}

SEEDED_JOB_ROLES = [
    ("bilingual_para", "Bilingual paraeducator"),
    ("health_para", "Health/specialty care paraeducator"),
    ("library", "Library/media"),
    ("para", "Paraeducator (instructional)"),
    ("office", "Secretarial/office"),
    ("sped_para", "Special-education paraeducator"),
]


def skill_names(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The skill names in a list response."""
    assert response.status_code == 200, response.text
    return [s["name"] for s in response.json()]


def role_codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The job role codes in a list response."""
    assert response.status_code == 200, response.text
    return [r["code"] for r in response.json()]


# --- the seed ----------------------------------------------------------------------------------


async def test_the_migrations_seed_the_product_skills(admin_client):
    response = await admin_client.get(SKILLS)
    names = skill_names(response)
    assert len(names) == 22
    assert set(names) == PRODUCT_SKILLS
    assert "De-escalation" in names and "CPR" in names
    assert all(s["active"] is True and s["description"] == "" for s in response.json())
    assert names == sorted(names)


async def test_the_migrations_seed_six_job_roles(admin_client):
    response = await admin_client.get(JOB_ROLES)
    assert response.status_code == 200
    assert [(r["code"], r["name"]) for r in response.json()] == SEEDED_JOB_ROLES
    assert all(r["active"] is True for r in response.json())


# --- job roles ---------------------------------------------------------------------------------


async def test_admin_adds_a_job_role(admin_client):
    response = await admin_client.post(
        JOB_ROLES, json={"code": "transport", "name": "  Transportation aide "}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["code"] == "transport"
    assert body["name"] == "Transportation aide"
    assert body["active"] is True
    assert "transport" in role_codes(await admin_client.get(JOB_ROLES))


async def test_a_job_role_code_is_unique(admin_client):
    response = await admin_client.post(JOB_ROLES, json={"code": "para", "name": "Another para"})
    assert response.status_code == 409
    assert "para" in response.json()["detail"]
    assert await JobRole.count() == 6


async def test_job_role_codes_are_kept_lower_case(admin_client):
    response = await admin_client.post(JOB_ROLES, json={"code": "Para2", "name": "Para two"})
    assert response.status_code == 201, response.text
    assert response.json()["code"] == "para2"
    again = await admin_client.post(JOB_ROLES, json={"code": "PARA2", "name": "Again"})
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"code": "new role", "name": "X"}, "code"),
        ({"code": "", "name": "X"}, "code"),
        ({"code": "x" * 41, "name": "X"}, "code"),
        ({"code": "new", "name": ""}, "name"),
        ({"code": "new", "name": "N" * 201}, "name"),
        ({"code": "new"}, "name"),
        ({"code": "new", "name": "X", "active": False}, "active"),
    ],
)
async def test_bad_job_role_input_is_a_422_naming_the_field(admin_client, payload, field):
    response = await admin_client.post(JOB_ROLES, json=payload)
    assert response.status_code == 422, response.text
    assert field in str(response.json()["errors"])
    assert await JobRole.count() == 6


async def test_a_job_role_name_cannot_be_blank(admin_client):
    # BUG (mentorship/district/job_roles_and_skills.py, create_job_role and update_job_role): the
    # name is stripped but never checked, so "   " passes the schema (min_length=1) and the role is
    # stored with an empty name instead of a 422 naming `name`.
    created = await admin_client.post(JOB_ROLES, json={"code": "blank", "name": "   "})
    assert created.status_code == 422, created.text
    assert "name" in str(created.json()["errors"])
    para = next(r for r in (await admin_client.get(JOB_ROLES)).json() if r["code"] == "para")
    renamed = await admin_client.patch(f"{JOB_ROLES}/{para['id']}", json={"name": "   "})
    assert renamed.status_code == 422, renamed.text
    assert "name" in str(renamed.json()["errors"])


async def test_a_retired_job_role_is_listed_only_when_asked(admin_client):
    library = next(r for r in (await admin_client.get(JOB_ROLES)).json() if r["code"] == "library")
    retired = await admin_client.patch(f"{JOB_ROLES}/{library['id']}", json={"active": False})
    assert retired.status_code == 200
    assert retired.json() == {**library, "active": False}
    assert "library" not in role_codes(await admin_client.get(JOB_ROLES))
    everything = role_codes(await admin_client.get(JOB_ROLES, params={"include_inactive": True}))
    assert "library" in everything and len(everything) == 6
    # Retired codes stay taken.
    again = await admin_client.post(JOB_ROLES, json={"code": "library", "name": "Library"})
    assert again.status_code == 409
    back = await admin_client.patch(f"{JOB_ROLES}/{library['id']}", json={"active": True})
    assert back.json()["active"] is True
    assert "library" in role_codes(await admin_client.get(JOB_ROLES))


async def test_admin_renames_a_job_role(admin_client):
    office = next(r for r in (await admin_client.get(JOB_ROLES)).json() if r["code"] == "office")
    response = await admin_client.patch(
        f"{JOB_ROLES}/{office['id']}", json={"name": " Office staff "}
    )
    assert response.status_code == 200
    assert response.json() == {**office, "name": "Office staff"}
    unknown = await admin_client.patch(f"{JOB_ROLES}/999999", json={"name": "X"})
    assert unknown.status_code == 404
    bad = await admin_client.patch(f"{JOB_ROLES}/{office['id']}", json={"code": "staff"})
    assert bad.status_code == 422
    assert "code" in str(bad.json()["errors"])


# --- skills ------------------------------------------------------------------------------------


async def test_admin_adds_a_skill(admin_client):
    response = await admin_client.post(
        SKILLS, json={"name": "  Sign   language ", "description": " Basic ASL. "}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "Sign language"
    assert body["description"] == "Basic ASL."
    assert body["active"] is True
    assert "Sign language" in skill_names(await admin_client.get(SKILLS))
    bare = await admin_client.post(SKILLS, json={"name": "Toileting"})
    assert bare.status_code == 201
    assert bare.json()["description"] == ""


@pytest.mark.parametrize("name", ["cpr", "CPR", "  de-ESCALATION ", "First   Aid"])
async def test_skill_names_are_unique_ignoring_case(admin_client, name):
    response = await admin_client.post(SKILLS, json={"name": name})
    assert response.status_code == 409, response.text
    assert "already exists" in response.json()["detail"]
    assert await Skill.count() == 22


async def test_renaming_a_skill_checks_for_duplicates(admin_client):
    skills = {s["name"]: s for s in (await admin_client.get(SKILLS)).json()}
    cpr = skills["CPR"]
    clash = await admin_client.patch(f"{SKILLS}/{cpr['id']}", json={"name": "first aid"})
    assert clash.status_code == 409
    own_case = await admin_client.patch(f"{SKILLS}/{cpr['id']}", json={"name": "cpr"})
    assert own_case.status_code == 200
    assert own_case.json()["name"] == "cpr"
    described = await admin_client.patch(
        f"{SKILLS}/{cpr['id']}", json={"name": "CPR  and  AED", "description": "Adult and child"}
    )
    assert described.json() == {
        "id": cpr["id"],
        "name": "CPR and AED",
        "description": "Adult and child",
        "active": True,
    }
    assert (await admin_client.patch(f"{SKILLS}/999999", json={"name": "X"})).status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "N" * 201}, "name"),
        ({"name": "Ok", "description": "D" * 2001}, "description"),
        ({"description": "no name"}, "name"),
        ({"name": "Ok", "level": 3}, "level"),
    ],
)
async def test_bad_skill_input_is_a_422_naming_the_field(admin_client, payload, field):
    response = await admin_client.post(SKILLS, json=payload)
    assert response.status_code == 422, response.text
    assert field in str(response.json()["errors"])
    assert await Skill.count() == 22


async def test_a_skill_name_cannot_be_blank(admin_client):
    # BUG (mentorship/district/job_roles_and_skills.py, create_skill and update_skill): the name's
    # whitespace is collapsed with " ".join(name.split()) but the result is never checked,
    # so "   " is stored as an empty skill name instead of a 422 naming `name`.
    created = await admin_client.post(SKILLS, json={"name": "   "})
    assert created.status_code == 422, created.text
    assert "name" in str(created.json()["errors"])
    cpr = next(s for s in (await admin_client.get(SKILLS)).json() if s["name"] == "CPR")
    renamed = await admin_client.patch(f"{SKILLS}/{cpr['id']}", json={"name": "   "})
    assert renamed.status_code == 422, renamed.text
    assert "name" in str(renamed.json()["errors"])


async def test_a_retired_skill_is_listed_only_when_asked(admin_client):
    cpr = next(s for s in (await admin_client.get(SKILLS)).json() if s["name"] == "CPR")
    retired = await admin_client.patch(f"{SKILLS}/{cpr['id']}", json={"active": False})
    assert retired.status_code == 200
    assert retired.json()["active"] is False
    assert "CPR" not in skill_names(await admin_client.get(SKILLS))
    everything = skill_names(await admin_client.get(SKILLS, params={"include_inactive": True}))
    assert "CPR" in everything and len(everything) == 22
    # A retired name still counts for duplicates.
    assert (await admin_client.post(SKILLS, json={"name": "cpr"})).status_code == 409
    await admin_client.patch(f"{SKILLS}/{cpr['id']}", json={"active": True})
    assert "CPR" in skill_names(await admin_client.get(SKILLS))


async def test_require_active_skills_names_unknown_and_retired_ones(admin_client):
    skills = {s["name"]: s["id"] for s in (await admin_client.get(SKILLS)).json()}
    assert await job_roles_and_skills.require_active_skills([], "skills") == {}
    found = await job_roles_and_skills.require_active_skills(
        [skills["CPR"], skills["First aid"], skills["CPR"]], "skills"
    )
    assert found == {skills["CPR"]: "CPR", skills["First aid"]: "First aid"}
    with pytest.raises(job_roles_and_skills.ValidationFailed) as unknown:
        await job_roles_and_skills.require_active_skills([skills["CPR"], 999999], "needed")
    assert unknown.value.fields == {"needed": "unknown skill id(s): 999999"}
    await admin_client.patch(f"{SKILLS}/{skills['CPR']}", json={"active": False})
    with pytest.raises(job_roles_and_skills.ValidationFailed) as retired:
        await job_roles_and_skills.require_active_skills([skills["CPR"]], "needed")
    assert retired.value.fields == {"needed": "retired skill(s): CPR"}


# --- who may do what ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
async def test_non_admins_may_read_roles_and_skills_but_not_change_them(
    admin_client, signed_in, role
):
    person = await signed_in(f"{role.value}@example.org", role)
    skills = await person.get(SKILLS)
    roles = await person.get(JOB_ROLES)
    assert len(skill_names(skills)) == 22
    assert len(role_codes(roles)) == 6
    assert (await person.get(SKILLS, params={"include_inactive": True})).status_code == 200
    a_skill = skills.json()[0]["id"]
    a_role = roles.json()[0]["id"]
    writes = [
        await person.post(SKILLS, json={"name": "Sign language"}),
        await person.patch(f"{SKILLS}/{a_skill}", json={"active": False}),
        await person.post(JOB_ROLES, json={"code": "driver", "name": "Driver"}),
        await person.patch(f"{JOB_ROLES}/{a_role}", json={"name": "Renamed"}),
    ]
    assert [w.status_code for w in writes] == [403] * 4
    assert await Skill.count() == 22
    assert await JobRole.count() == 6
    assert (await person.get(SKILLS)).json() == skills.json()
    assert (await person.get(JOB_ROLES)).json() == roles.json()


async def test_anonymous_requests_are_401(client, settings):
    reads = [await client.get(SKILLS), await client.get(JOB_ROLES)]
    client.headers["x-csrftoken"] = client.cookies[settings.csrf_cookie_name]
    writes = [
        await client.post(SKILLS, json={"name": "Sign language"}),
        await client.patch(f"{SKILLS}/1", json={"active": False}),
        await client.post(JOB_ROLES, json={"code": "driver", "name": "Driver"}),
        await client.patch(f"{JOB_ROLES}/1", json={"name": "Renamed"}),
    ]
    assert [r.status_code for r in reads + writes] == [401] * 6
    assert await Skill.count() == 22
    assert await JobRole.count() == 6


# --- changes at the same moment ----------------------------------------------------------------


@pytest.mark.db
async def test_two_admins_adding_the_same_skill_at_once_get_one_skill_and_a_conflict():
    # BUG on PostgreSQL (mentorship/district/job_roles_and_skills.py,
    # create_skill/_refuse_duplicate_skill):
    # the case-insensitive duplicate check reads all skills without any lock, so two
    # transactions both see no "Sign language" and both INSERT; the unique index on skill.name
    # is case-sensitive, so "Sign language" and "SIGN LANGUAGE" are both stored. SQLite passes
    # (IMMEDIATE transactions serialise writers).
    results = await asyncio.gather(
        job_roles_and_skills.create_skill(SkillCreate(name="Sign language")),
        job_roles_and_skills.create_skill(SkillCreate(name="SIGN LANGUAGE")),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 1, results
    assert isinstance(refused[0], Conflict), repr(refused[0])
    assert await Skill.count() == 23


@pytest.mark.db
async def test_two_admins_adding_the_same_job_role_at_once_get_one_role_and_a_conflict():
    # BUG on PostgreSQL (mentorship/district/job_roles_and_skills.py, create_job_role):
    # check-then-insert without a lock; the loser fails on the unique index job_role.code with
    # asyncpg's UniqueViolationError (HTTP 500) instead of a Conflict (409).
    results = await asyncio.gather(
        job_roles_and_skills.create_job_role(JobRoleCreate(code="driver", name="Driver")),
        job_roles_and_skills.create_job_role(JobRoleCreate(code="driver", name="Bus driver")),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 1, results
    assert isinstance(refused[0], Conflict), repr(refused[0])
    assert await JobRole.count() == 7
