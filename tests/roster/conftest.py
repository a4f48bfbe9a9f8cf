"""Shared set-up for the roster tests: reference data, people, files and a database fingerprint.

`REFUSALS` lists every rule an import enforces, each as a file whose LAST row breaks it (so
every refusal test is also an all-or-nothing test) and the exact problem it must report; the
CLI and API tests both run the whole list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
import pytest

from mentorship.access.roles import Role
from mentorship.accounts import services as account_services
from mentorship.accounts.tables import Account, AccountRole
from mentorship.district import job_roles_and_skills
from mentorship.district import profiles as district_profiles
from mentorship.district import sites as district_sites
from mentorship.district.schemas import JobRoleUpdate, ProfileUpdate, SiteCreate, SiteUpdate
from mentorship.district.settings import SettingType
from mentorship.district.tables import Employee, JobRole, ReferenceRevision
from tests.conftest import create_account

HEADER = "email,display_name,site_code,job_role,supervisor_email,roles,languages"
GOOD_ROW = "new@example.org,New Person,LHS,para,boss@example.org,,English"


def roster(*rows: str, header: str = HEADER) -> bytes:
    """A roster file: the header, then the rows."""
    return ("\n".join([header, *rows]) + "\n").encode()


@dataclass(frozen=True)
class District:
    """The reference data and people every roster test starts from."""

    sites: dict[str, int]
    job_roles: dict[str, int]
    people: dict[str, int]  # by local part of the email: boss, worker, plain, gone


@pytest.fixture
async def district_data(clean_database: None) -> District:
    """Sites LHS and MES (open) and OLD (closed); the job role `library` retired; people:
    boss (supervisor) supervises worker (also a supervisor); plain (employee only); gone (a
    deactivated supervisor)."""
    sites = {}
    for code in ("LHS", "MES", "OLD"):
        site = await district_sites.create_site(
            SiteCreate(
                code=code,
                name=f"{code} School",
                setting_type=SettingType.GENERAL_EDUCATION,
                region="North",
            )
        )
        sites[code] = site.id
    await district_sites.update_site(sites["OLD"], SiteUpdate(active=False))
    job_roles = {r["code"]: r["id"] for r in await JobRole.select(JobRole.id, JobRole.code)}
    await job_roles_and_skills.update_job_role(job_roles["library"], JobRoleUpdate(active=False))
    boss = await create_account(
        "boss@example.org", Role.EMPLOYEE, Role.SUPERVISOR, name="Bea Boss", password=None
    )
    worker = await create_account(
        "worker@example.org", Role.EMPLOYEE, Role.SUPERVISOR, name="Wes Worker", password=None
    )
    plain = await create_account("plain@example.org", Role.EMPLOYEE, name="Pat Plain")
    gone = await create_account(
        "gone@example.org", Role.EMPLOYEE, Role.SUPERVISOR, name="Gil Gone", password=None
    )
    await account_services.deactivate(gone.id)
    await district_profiles.update_profile(
        worker.id,
        ProfileUpdate(site_id=sites["LHS"], job_role_id=job_roles["para"], supervisor_id=boss.id),
    )
    return District(
        sites=sites,
        job_roles=job_roles,
        people={"boss": boss.id, "worker": worker.id, "plain": plain.id, "gone": gone.id},
    )


async def database_state() -> dict[str, Any]:
    """Every row an import could touch, to compare before and after."""
    return {
        "accounts": await Account.select().order_by(Account.id),
        "roles": await AccountRole.select().order_by(AccountRole.id),
        "profiles": await Employee.select().order_by(Employee.id),
        "revisions": await ReferenceRevision.select().order_by(ReferenceRevision.id),
    }


async def profile_of(email: str) -> dict[str, Any]:
    """A person's account, roles and profile as plain values, by email."""
    account = await Account.select().where(Account.email_key == email.casefold()).first()
    assert account is not None, email
    roles = await AccountRole.select(AccountRole.role).where(AccountRole.account == account["id"])
    profile = await district_profiles.get_profile(account["id"])
    return {
        "account": account,
        "roles": sorted(r["role"] for r in roles),
        "profile": msgspec.to_builtins(profile),
    }


@dataclass(frozen=True)
class Refusal:
    """A file breaking one rule and the one problem it must report."""

    id: str
    content: bytes
    problem: str


REFUSALS = [
    Refusal(
        "unknown site",
        roster(GOOD_ROW, "x@example.org,X,NOPE,,,,"),
        "line 3: unknown site code NOPE",
    ),
    Refusal(
        "closed site", roster(GOOD_ROW, "x@example.org,X,old,,,,"), "line 3: site OLD is closed"
    ),
    Refusal(
        "unknown job role",
        roster(GOOD_ROW, "x@example.org,X,,wizard,,,"),
        "line 3: unknown job role wizard",
    ),
    Refusal(
        "retired job role",
        roster(GOOD_ROW, "x@example.org,X,,library,,,"),
        "line 3: job role library is no longer in use",
    ),
    Refusal(
        "malformed email",
        roster(GOOD_ROW, "not-an-email,X,,,,,"),
        "line 3: email 'not-an-email' is not an email address (expected name@example.org)",
    ),
    Refusal("missing email", roster(GOOD_ROW, " ,X,,,,,"), "line 3: email is missing"),
    Refusal(
        "missing display name",
        roster(GOOD_ROW, "x@example.org,  ,,,,,"),
        "line 3: display_name is missing",
    ),
    Refusal(
        "display name too long",
        roster(GOOD_ROW, f"x@example.org,{'n' * 201},,,,,"),
        "line 3: display_name is longer than 200 characters",
    ),
    Refusal(
        "duplicate email",
        roster(GOOD_ROW, "NEW@Example.org,Other,,,,,"),
        "line 3: duplicate email NEW@Example.org (already on line 2)",
    ),
    Refusal(
        "malformed supervisor email",
        roster(GOOD_ROW, "x@example.org,X,,,boss,,"),
        "line 3: supervisor_email 'boss' is not an email address"
        " (expected name@example.org, or nothing)",
    ),
    Refusal(
        "unknown supervisor",
        roster(GOOD_ROW, "x@example.org,X,,,nobody@example.org,,"),
        "line 3: supervisor nobody@example.org is neither in the file nor an existing account",
    ),
    Refusal(
        "existing supervisor without the role",
        roster(GOOD_ROW, "x@example.org,X,,,Plain@example.org,,"),
        "line 3: supervisor Plain@example.org would not hold the supervisor role"
        " (grant it to them, or list them in the file with that role)",
    ),
    Refusal(
        "supervisor in the file without the role",
        roster("lead@example.org,Lee Lead,,,,employee,", "x@example.org,X,,,lead@example.org,,"),
        "line 3: supervisor lead@example.org would not hold the supervisor role"
        " (add supervisor to their roles on line 2)",
    ),
    Refusal(
        "deactivated supervisor",
        roster(GOOD_ROW, "x@example.org,X,,,gone@example.org,,"),
        "line 3: supervisor gone@example.org has a deactivated account",
    ),
    Refusal(
        "supervision loop in the file",
        roster(
            GOOD_ROW,
            "ann@example.org,Ann A,,,bob@example.org,supervisor,",
            "bob@example.org,Bob B,,,ann@example.org,supervisor,",
        ),
        "line 3: supervision loop: Ann A (line 3) → Bob B (line 4) → Ann A"
        " (each is supervised by the next)",
    ),
    Refusal(
        "supervision loop through the database",
        roster(GOOD_ROW, "boss@example.org,Bea Boss,,,worker@example.org,supervisor,"),
        "line 3: supervision loop: Bea Boss (line 3) → Wes Worker → Bea Boss"
        " (each is supervised by the next)",
    ),
    Refusal(
        "own supervisor",
        roster(GOOD_ROW, "x@example.org,Xavi X,,,X@example.org,supervisor,"),
        "line 3: Xavi X (line 3) cannot be their own supervisor",
    ),
    Refusal(
        "unknown role",
        roster(GOOD_ROW, "x@example.org,X,,,,employee;wizard,"),
        "line 3: unknown role 'wizard' (roles: employee, supervisor, coordinator, admin)",
    ),
    Refusal(
        "roles separated by commas",
        roster(GOOD_ROW, 'x@example.org,X,,,,"employee,admin",'),
        "line 3: unknown role 'employee,admin' (roles: employee, supervisor, coordinator,"
        " admin); separate roles with ;",
    ),
    Refusal(
        "mentor role",
        roster(GOOD_ROW, "x@example.org,X,,,,mentor,"),
        "line 3: the mentor role cannot be imported: it is granted by approving a mentor"
        " application",
    ),
    Refusal(
        "language too short",
        roster(GOOD_ROW, "x@example.org,X,,,,,English;E"),
        "line 3: language 'E' must be 2 to 40 characters long",
    ),
    Refusal(
        "too many languages",
        roster(GOOD_ROW, "x@example.org,X,,,,," + ";".join(f"Lang{i}" for i in range(11))),
        "line 3: lists 11 languages; at most 10 are allowed",
    ),
    Refusal(
        "wrong number of fields",
        roster(GOOD_ROW, "x@example.org,X,LHS"),
        "line 3: has 3 field(s) but the header has 7",
    ),
    Refusal(
        "not UTF-8",
        roster(GOOD_ROW) + "x@example.org,Jos\xe9,,,,,\n".encode("latin-1"),
        "line 3: not UTF-8 text (save the file as \u201cCSV UTF-8\u201d)",
    ),
    Refusal(
        "broken quoting",
        roster(GOOD_ROW, 'x@example.org,"X" Y,,,,,'),
        "line 3: cannot be read as CSV (',' expected after '\"'); stopped here",
    ),
    Refusal(
        "unknown column",
        roster(GOOD_ROW.replace(",English", ",English,red"), header=HEADER + ",colour"),
        "line 1: unknown column(s): colour (expected " + HEADER + ")",
    ),
    Refusal(
        "missing column",
        roster(
            "new@example.org,New Person,LHS,para,boss@example.org,",
            header=HEADER.removesuffix(",languages"),
        ),
        "line 1: missing column(s): languages (the first line must be the header " + HEADER + ")",
    ),
    Refusal(
        "repeated column",
        roster(GOOD_ROW + ",x", header=HEADER + ",email"),
        "line 1: repeated column(s): email",
    ),
    Refusal(
        "empty file",
        b"",
        "line 1: the file is empty: the first line must be the header " + HEADER,
    ),
]
