"""The roster API: upload to import (admins only), every refusal as 422, and download."""

from __future__ import annotations

import pytest

from mentorship.access.roles import Role
from mentorship.accounts import services as account_services
from mentorship.district import sites
from mentorship.district.schemas import SiteUpdate
from mentorship.roster import services
from tests.conftest import create_account, sign_in
from tests.roster.conftest import (
    GOOD_ROW,
    HEADER,
    REFUSALS,
    Refusal,
    database_state,
    profile_of,
    roster,
)

IMPORT = "/api/v1/roster/import"
EXPORT = "/api/v1/roster/export"

pytestmark = pytest.mark.usefixtures("district_data")


async def upload(client, content: bytes, **params):
    return await client.post(
        IMPORT, files={"file": ("roster.csv", content, "text/csv")}, params=params
    )


async def test_admin_imports_an_uploaded_roster(admin_client, district_data):
    content = roster(
        GOOD_ROW,
        "plain@example.org,Pat Plain,MES,,,coordinator,",
        "worker@example.org,Wes Worker,LHS,para,boss@example.org,supervisor,",
    )
    response = await upload(admin_client, content)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "dry_run": False,
        "rows": 3,
        "created_count": 1,
        "updated_count": 1,
        "unchanged_count": 1,
        "created": ["new@example.org"],
        "updated": [{"email": "plain@example.org", "line": 3, "changed": ["site_code", "roles"]}],
        "unchanged": ["worker@example.org"],
    }
    new = await profile_of("new@example.org")
    assert new["profile"]["supervisor"]["id"] == district_data.people["boss"]
    assert new["account"]["password_hash"] is None
    assert (await profile_of("plain@example.org"))["roles"] == ["coordinator", "employee"]
    again = await upload(admin_client, content)
    assert again.status_code == 200
    assert again.json()["unchanged_count"] == 3


async def test_a_dry_run_reports_and_writes_nothing(admin_client):
    state = await database_state()
    response = await upload(admin_client, roster(GOOD_ROW), dry_run="true")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["dry_run"] is True
    assert body["created"] == ["new@example.org"]
    assert await database_state() == state


@pytest.mark.parametrize("case", REFUSALS, ids=[case.id for case in REFUSALS])
async def test_each_refusal_is_a_422_naming_the_line(admin_client, case: Refusal):
    state = await database_state()
    response = await upload(admin_client, case.content)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["detail"] == "the roster has 1 problem(s); nothing was imported"
    line, _, message = case.problem.partition(": ")
    assert body["errors"] == {line: message}
    assert await database_state() == state


async def test_a_dry_run_of_a_bad_file_is_refused_the_same_way(admin_client):
    response = await upload(admin_client, roster(GOOD_ROW, "x@example.org,X,NOPE,,,,"), dry_run="1")
    assert response.status_code == 422
    assert response.json()["errors"] == {"line 3": "unknown site code NOPE"}


async def test_every_problem_is_listed_with_those_of_one_line_together(admin_client):
    response = await upload(
        admin_client,
        roster("bad,,NOPE,,,,", GOOD_ROW, "x@example.org,X,,wizard,,admin;mentor,"),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "the roster has 5 problem(s); nothing was imported"
    assert body["errors"] == {
        "line 2": "email 'bad' is not an email address (expected name@example.org);"
        " display_name is missing; unknown site code NOPE",
        "line 4": "the mentor role cannot be imported: it is granted by approving a mentor"
        " application; unknown job role wizard",
    }


async def test_an_upload_without_a_file_is_refused(admin_client):
    state = await database_state()
    response = await admin_client.post(IMPORT, files={"other": ("x.csv", b"x", "text/csv")})
    assert response.status_code == 422
    assert "`file`" in str(response.json()["errors"])
    assert await database_state() == state


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.SUPERVISOR, Role.MENTOR, Role.COORDINATOR])
async def test_only_admins_may_import_or_export(make_client, role):
    await create_account("someone@example.org", role)
    async with make_client() as client:
        await sign_in(client, "someone@example.org")
        state = await database_state()
        assert (await upload(client, roster(GOOD_ROW))).status_code == 403
        assert (await client.get(EXPORT)).status_code == 403
    assert await database_state() == state


async def test_anonymous_callers_must_sign_in(client, settings):
    state = await database_state()
    assert (await client.get(EXPORT)).status_code == 401
    client.headers["x-csrftoken"] = client.cookies[settings.csrf_cookie_name]
    assert (await upload(client, roster(GOOD_ROW))).status_code == 401
    assert await database_state() == state


async def test_export_downloads_the_roster_as_a_csv_attachment(admin_client):
    response = await admin_client.get(EXPORT)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="roster-') and disposition.endswith('.csv"')
    assert response.text == await services.export_roster()
    assert response.text.splitlines()[0] == HEADER


async def test_download_then_upload_changes_nothing(admin_client):
    await upload(admin_client, roster(GOOD_ROW, "ana@example.org,Ana Ávila,MES,,,,Spanish"))
    exported = (await admin_client.get(EXPORT)).content
    state = await database_state()
    response = await upload(admin_client, exported)
    assert response.status_code == 200
    body = response.json()
    assert body["created_count"] == body["updated_count"] == 0
    assert body["unchanged_count"] == 5
    assert await database_state() == state


async def test_the_openapi_schema_describes_the_upload(client):
    schema = (await client.get("/api/schema/openapi.json")).json()
    upload_op = schema["paths"][IMPORT]["post"]
    assert upload_op["operationId"] == "importRoster"
    assert "multipart/form-data" in upload_op["requestBody"]["content"]
    assert any(p["name"] == "dry_run" for p in upload_op["parameters"])
    assert "text/csv" in schema["paths"][EXPORT]["get"]["responses"]["200"]["content"]


async def test_matching_ignores_case_roles_are_only_granted_and_empty_clears(admin_client):
    await create_account("rosa@example.org", Role.EMPLOYEE, Role.COORDINATOR, Role.MENTOR)
    await create_account("it@example.org", Role.ADMIN, name="It")
    response = await upload(
        admin_client,
        roster(
            "ROSA@Example.ORG,Rosa,,,,employee,",
            "it@example.org,It,,,,admin,",
            "worker@example.org,Wes Worker,,,,supervisor,",
            "gone@example.org,Gil Gone,MES,,,,",
        ),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["created"] == []
    assert body["updated"] == [
        {"email": "it@example.org", "line": 3, "changed": ["roles"]},
        {
            "email": "worker@example.org",
            "line": 4,
            "changed": ["site_code", "job_role", "supervisor_email"],
        },
        {"email": "gone@example.org", "line": 5, "changed": ["site_code"]},
    ]
    assert body["unchanged"] == ["ROSA@Example.ORG"]
    rosa = await profile_of("rosa@example.org")
    assert rosa["account"]["email"] == "rosa@example.org"
    assert rosa["roles"] == ["coordinator", "employee", "mentor"]  # nothing revoked
    assert (await profile_of("it@example.org"))["roles"] == ["admin", "employee"]
    worker = (await profile_of("worker@example.org"))["profile"]
    assert worker["site"] is worker["job_role"] is worker["supervisor"] is None
    assert (await profile_of("gone@example.org"))["account"]["active"] is False


async def test_recorded_assignments_are_not_checked_again(admin_client, district_data):
    await sites.update_site(district_data.sites["LHS"], SiteUpdate(active=False))
    await account_services.revoke_role(district_data.people["boss"], Role.SUPERVISOR)
    await account_services.deactivate(district_data.people["boss"])
    content = roster("worker@example.org,Wes Worker,LHS,para,boss@example.org,supervisor,")
    response = await upload(admin_client, content)
    assert response.status_code == 200, response.text
    assert response.json()["unchanged"] == ["worker@example.org"]
    response = await upload(admin_client, roster(GOOD_ROW))
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "line 2": "site LHS is closed; supervisor boss@example.org has a deactivated account;"
        " supervisor boss@example.org would not hold the supervisor role (grant it to them,"
        " or list them in the file with that role)"
    }
