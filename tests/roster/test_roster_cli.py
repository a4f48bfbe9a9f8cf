"""`mentorship import-roster` and `export-roster`: every rule, all or nothing, idempotence."""

from __future__ import annotations

import codecs

import pytest

from mentorship.access.roles import Role
from mentorship.accounts import services as account_services
from mentorship.district import job_roles_and_skills, profiles, revisions, sites
from mentorship.district.schemas import JobRoleUpdate, ProfileUpdate, SiteUpdate
from mentorship.district.tables import Employee
from tests.conftest import create_account
from tests.roster.conftest import (
    GOOD_ROW,
    HEADER,
    REFUSALS,
    Refusal,
    database_state,
    profile_of,
    roster,
)
from tests.test_cli import assert_one_line_error, run_cli, run_process

pytestmark = pytest.mark.usefixtures("district_data")


def write(tmp_path, content: bytes, name: str = "roster.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def cli(capsys, monkeypatch, *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, monkeypatch, *args)


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.strip()]


async def test_import_creates_employees_with_everything_the_file_says(
    capsys, monkeypatch, tmp_path, district_data
):
    path = write(
        tmp_path,
        roster(
            "Lena.Park@Example.org,  Lena   Park ,mes,SPED_PARA,boss@example.org,"
            "supervisor; coordinator,english; spanish;English",
            "sam@example.org,Sam Rivera,LHS,para,lena.park@example.org,,",
            "ida@example.org,Ida Admin,,,,admin,",
        ),
    )
    code, out, err = cli(capsys, monkeypatch, "import-roster", path)
    assert code == 0, err
    assert "created 3, updated 0, left 0 alone" in out
    assert out.index("Lena.Park@Example.org") < out.index("sam@example.org")
    assert "have no password" in out
    lena = await profile_of("lena.park@example.org")
    assert lena["account"]["email"] == "Lena.Park@Example.org"
    assert lena["account"]["display_name"] == "Lena Park"
    assert lena["account"]["password_hash"] is None
    assert lena["roles"] == ["coordinator", "employee", "supervisor"]
    assert lena["profile"]["site"]["code"] == "MES"
    assert lena["profile"]["job_role"]["code"] == "sped_para"
    assert lena["profile"]["supervisor"]["id"] == district_data.people["boss"]
    assert lena["profile"]["languages"] == ["English", "Spanish"]
    sam = await profile_of("sam@example.org")
    assert sam["roles"] == ["employee"]
    assert sam["profile"]["supervisor"]["display_name"] == "Lena Park"
    assert sam["profile"]["languages"] == []
    ida = await profile_of("ida@example.org")
    assert ida["roles"] == ["admin", "employee"]  # everyone imported is an employee
    assert ida["profile"]["site"] is None and ida["profile"]["supervisor"] is None


async def test_a_supervisor_listed_after_their_staff_is_created_first(
    capsys, monkeypatch, tmp_path
):
    path = write(
        tmp_path,
        roster(
            "a@example.org,A,,,b@example.org,,",
            "b@example.org,B,,,c@example.org,supervisor,",
            "c@example.org,C,,,,supervisor,",
        ),
    )
    code, _, err = cli(capsys, monkeypatch, "import-roster", path)
    assert code == 0, err
    assert (await profile_of("a@example.org"))["profile"]["supervisor"]["display_name"] == "B"
    assert (await profile_of("b@example.org"))["profile"]["supervisor"]["display_name"] == "C"


async def test_import_updates_existing_accounts_matched_by_email_in_any_case(
    capsys, monkeypatch, tmp_path, district_data
):
    before = await profile_of("plain@example.org")
    path = write(
        tmp_path,
        roster(
            "PLAIN@EXAMPLE.ORG,Pat Plain-Smith,LHS,office,worker@example.org,coordinator,Somali",
            "worker@example.org,Wes Worker,LHS,para,boss@example.org,supervisor,",
        ),
    )
    code, out, err = cli(capsys, monkeypatch, "import-roster", path)
    assert code == 0, err
    assert "created 0, updated 1, left 1 alone" in out
    assert (
        "PLAIN@EXAMPLE.ORG (display_name, site_code, job_role, supervisor_email, roles,"
        " languages)" in out
    )
    after = await profile_of("plain@example.org")
    assert after["account"]["id"] == before["account"]["id"]
    # The address stays as the account has it: the file only matches on it.
    assert after["account"]["email"] == "plain@example.org"
    assert after["account"]["password_hash"] == before["account"]["password_hash"]
    assert after["account"]["display_name"] == "Pat Plain-Smith"
    assert after["roles"] == ["coordinator", "employee"]
    assert after["profile"]["site"]["code"] == "LHS"
    assert after["profile"]["supervisor"]["id"] == district_data.people["worker"]
    assert after["profile"]["languages"] == ["Somali"]


async def test_empty_columns_clear_what_was_recorded(capsys, monkeypatch, tmp_path):
    path = write(tmp_path, roster("worker@example.org,Wes Worker,,,,supervisor,"))
    code, out, err = cli(capsys, monkeypatch, "import-roster", path)
    assert code == 0, err
    assert "worker@example.org (site_code, job_role, supervisor_email)" in out
    profile = (await profile_of("worker@example.org"))["profile"]
    assert profile["site"] is None and profile["job_role"] is None
    assert profile["supervisor"] is None


async def test_import_grants_roles_but_never_revokes_them(capsys, monkeypatch, tmp_path):
    await create_account("rosa@example.org", Role.EMPLOYEE, Role.COORDINATOR, Role.MENTOR)
    path = write(tmp_path, roster("rosa@example.org,Rosa,,,,employee,"))
    code, out, err = cli(capsys, monkeypatch, "import-roster", path)
    assert code == 0, err
    assert "left 1 alone" in out
    assert (await profile_of("rosa@example.org"))["roles"] == ["coordinator", "employee", "mentor"]


async def test_an_account_without_the_employee_role_gets_it(capsys, monkeypatch, tmp_path):
    await create_account("it@example.org", Role.ADMIN, name="It Admin")
    path = write(tmp_path, roster("it@example.org,It Admin,,,,admin,"))
    code, out, err = cli(capsys, monkeypatch, "import-roster", path)
    assert code == 0, err
    assert "it@example.org (roles)" in out
    assert (await profile_of("it@example.org"))["roles"] == ["admin", "employee"]


async def test_a_deactivated_account_is_updated_but_stays_deactivated(
    capsys, monkeypatch, tmp_path
):
    path = write(tmp_path, roster("gone@example.org,Gil Gone,MES,,,supervisor,"))
    code, _, err = cli(capsys, monkeypatch, "import-roster", path)
    assert code == 0, err
    gone = await profile_of("gone@example.org")
    assert gone["account"]["active"] is False
    assert gone["profile"]["site"]["code"] == "MES"


async def test_reimporting_the_same_file_changes_nothing(capsys, monkeypatch, tmp_path):
    path = write(
        tmp_path,
        roster(
            GOOD_ROW,
            "plain@example.org,Pat Plain,MES,office,new2@example.org,,Tagalog",
            "new2@example.org,Second New,,,,supervisor;admin,",
        ),
    )
    code, out, err = cli(capsys, monkeypatch, "import-roster", path)
    assert code == 0, err
    assert "created 2, updated 1, left 0 alone" in out
    state = await database_state()
    code, out, err = cli(capsys, monkeypatch, "import-roster", path)
    assert code == 0, err
    assert "created 0, updated 0, left 3 alone" in out
    assert await database_state() == state  # not even the revision counter moved


async def test_a_changing_import_counts_one_supervision_revision(capsys, monkeypatch, tmp_path):
    before = await revisions.current_revision(revisions.SUPERVISION)
    code, _, err = cli(capsys, monkeypatch, "import-roster", write(tmp_path, roster(GOOD_ROW)))
    assert code == 0, err
    assert await revisions.current_revision(revisions.SUPERVISION) == before + 1


async def test_dry_run_lists_what_would_happen_and_writes_nothing(capsys, monkeypatch, tmp_path):
    state = await database_state()
    path = write(
        tmp_path,
        roster(
            GOOD_ROW,
            "plain@example.org,Pat Plain,MES,,,,",
            "worker@example.org,Wes Worker,LHS,para,boss@example.org,supervisor,",
        ),
    )
    code, out, err = cli(capsys, monkeypatch, "import-roster", path, "--dry-run")
    assert code == 0, err
    assert out.splitlines() == [
        f"Dry run of {path} (3 row(s)): would create 1, update 1 and leave 1 alone.",
        "Would create:",
        "  new@example.org",
        "Would update:",
        "  plain@example.org (site_code)",
        "Would leave alone:",
        "  worker@example.org",
        "Dry run: nothing was written.",
    ]
    assert await database_state() == state


async def test_a_dry_run_of_a_bad_file_lists_its_problems(capsys, monkeypatch, tmp_path):
    path = write(tmp_path, roster(GOOD_ROW, "x@example.org,X,NOPE,,,,"))
    code, _, err = cli(capsys, monkeypatch, "import-roster", "--dry-run", path)
    assert code == 1
    assert error_lines(err) == [
        "mentorship: error: the roster has 1 problem(s); nothing was imported",
        "line 3: unknown site code NOPE",
    ]


@pytest.mark.parametrize("case", REFUSALS, ids=[case.id for case in REFUSALS])
async def test_each_refusal_names_its_line_and_writes_nothing(
    capsys, monkeypatch, tmp_path, case: Refusal
):
    state = await database_state()
    code, out, err = cli(capsys, monkeypatch, "import-roster", write(tmp_path, case.content))
    assert code == 1
    assert out == ""
    assert error_lines(err) == [
        "mentorship: error: the roster has 1 problem(s); nothing was imported",
        case.problem,
    ]
    assert await database_state() == state


async def test_every_problem_in_a_file_is_listed_in_line_order(capsys, monkeypatch, tmp_path):
    state = await database_state()
    path = write(
        tmp_path,
        roster(
            "ok@example.org,Fine,LHS,para,boss@example.org,,",
            "bad-email,Nameless,NOPE,wizard,nobody@example.org,mentor,",
            "",  # blank lines are skipped but still counted
            "ok@example.org,Again,,,,,",
            "ann@example.org,Ann A,,,bob@example.org,supervisor,",
            "bob@example.org,Bob B,,,ann@example.org,supervisor,",
            "late@example.org,,OLD,,,,",
        ),
    )
    code, _, err = cli(capsys, monkeypatch, "import-roster", path)
    assert code == 1
    assert error_lines(err) == [
        "mentorship: error: the roster has 9 problem(s); nothing was imported",
        "line 3: email 'bad-email' is not an email address (expected name@example.org)",
        "line 3: the mentor role cannot be imported: it is granted by approving a mentor"
        " application",
        "line 3: unknown site code NOPE",
        "line 3: unknown job role wizard",
        "line 3: supervisor nobody@example.org is neither in the file nor an existing account",
        "line 5: duplicate email ok@example.org (already on line 2)",
        "line 6: supervision loop: Ann A (line 6) → Bob B (line 7) → Ann A"
        " (each is supervised by the next)",
        "line 8: display_name is missing",
        "line 8: site OLD is closed",
    ]
    assert await database_state() == state


async def test_a_bom_and_any_header_case_or_order_are_accepted(capsys, monkeypatch, tmp_path):
    content = (
        codecs.BOM_UTF8
        + (
            " Roles ,EMAIL,display_name,languages,site_code,job_role,supervisor_email\r\n"
            "supervisor,amy@example.org,Amy Ávila,español,LHS,,\r\n"
        ).encode()
    )
    code, _, err = cli(capsys, monkeypatch, "import-roster", write(tmp_path, content))
    assert code == 0, err
    amy = await profile_of("amy@example.org")
    assert amy["account"]["display_name"] == "Amy Ávila"
    assert amy["roles"] == ["employee", "supervisor"]
    assert amy["profile"]["languages"] == ["Español"]


async def test_a_header_only_file_imports_nothing(capsys, monkeypatch, tmp_path):
    code, out, err = cli(capsys, monkeypatch, "import-roster", write(tmp_path, roster()))
    assert code == 0, err
    assert "(0 row(s)): created 0, updated 0, left 0 alone" in out


async def test_assignments_already_recorded_are_not_checked_again(
    capsys, monkeypatch, tmp_path, district_data
):
    """A closed site, a retired job role, a deactivated or demoted supervisor: repeating
    what is recorded is no change, so an exported roster always imports back."""
    await sites.update_site(district_data.sites["LHS"], SiteUpdate(active=False))
    await job_roles_and_skills.update_job_role(
        district_data.job_roles["para"], JobRoleUpdate(active=False)
    )
    await account_services.revoke_role(district_data.people["boss"], Role.SUPERVISOR)
    await account_services.deactivate(district_data.people["boss"])
    path = write(
        tmp_path, roster("worker@example.org,Wes Worker,LHS,para,boss@example.org,supervisor,")
    )
    code, out, err = cli(capsys, monkeypatch, "import-roster", path)
    assert code == 0, err
    assert "left 1 alone" in out


async def test_export_writes_active_employees_sorted_by_email(capsys, monkeypatch, district_data):
    await create_account("Zed@Example.org", Role.EMPLOYEE, Role.MENTOR, name="Zed, Jr.")
    await create_account("admin@example.org", Role.ADMIN)  # not an employee: not exported
    await profiles.update_profile(
        district_data.people["plain"], ProfileUpdate(languages=["english", "Tagalog"])
    )
    code, out, err = cli(capsys, monkeypatch, "export-roster")
    assert code == 0, err
    assert out.splitlines() == [
        HEADER,
        "boss@example.org,Bea Boss,,,,employee;supervisor,",
        "plain@example.org,Pat Plain,,,,employee,English;Tagalog",
        "worker@example.org,Wes Worker,LHS,para,boss@example.org,employee;supervisor,",
        # The mentor role is not part of the roster; a comma in a name is quoted.
        'Zed@Example.org,"Zed, Jr.",,,,employee,',
    ]


async def test_export_to_a_file(capsys, monkeypatch, tmp_path):
    target = tmp_path / "out.csv"
    code, out, err = cli(capsys, monkeypatch, "export-roster", "--output", str(target))
    assert code == 0, err
    assert out == f"Wrote 3 employee(s) to {target}.\n"
    assert target.read_text(encoding="utf-8").splitlines()[0] == HEADER


async def test_export_then_import_changes_nothing(capsys, monkeypatch, tmp_path, district_data):
    path = write(
        tmp_path,
        roster(
            GOOD_ROW,
            "Mixed.Case@Example.org,Mía Núñez,MES,bilingual_para,boss@example.org,"
            "coordinator;supervisor,Spanish;English",
        ),
    )
    assert cli(capsys, monkeypatch, "import-roster", path)[0] == 0
    # Changes made since, which the export must carry or leave out consistently.
    await create_account("mentor@example.org", Role.EMPLOYEE, Role.MENTOR)
    await sites.update_site(district_data.sites["MES"], SiteUpdate(active=False))
    await account_services.deactivate(district_data.people["boss"])
    target = tmp_path / "export.csv"
    assert cli(capsys, monkeypatch, "export-roster", "-o", str(target))[0] == 0
    exported = target.read_text(encoding="utf-8").splitlines()
    assert not any(line.startswith("boss@") for line in exported)  # deactivated
    state = await database_state()
    code, out, err = cli(capsys, monkeypatch, "import-roster", str(target))
    assert code == 0, err
    assert "created 0, updated 0, left 5 alone" in out
    assert await database_state() == state


def test_import_of_a_missing_file_is_one_line(capsys, monkeypatch, tmp_path):
    code, _, err = cli(capsys, monkeypatch, "import-roster", str(tmp_path / "nope.csv"))
    assert_one_line_error(code, err, 2, "nope.csv")


def test_roster_commands_refuse_an_unmigrated_database(tmp_path):
    env = {"MENTORSHIP_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite'}"}
    path = write(tmp_path, roster(GOOD_ROW))
    result = run_process("import-roster", path, env=env)
    assert_one_line_error(result.returncode, result.stderr, 1, "mentorship migrate")
    result = run_process("export-roster", env=env)
    assert_one_line_error(result.returncode, result.stderr, 1, "mentorship migrate")


async def test_as_a_separate_process_problems_go_to_stderr_and_exit_1(tmp_path):
    state = await database_state()
    path = write(tmp_path, roster(GOOD_ROW, "x@example.org,X,NOPE,wizard,,,"))
    result = run_process("import-roster", path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "mentorship: error: the roster has 2 problem(s); nothing was imported",
        "line 3: unknown site code NOPE",
        "line 3: unknown job role wizard",
    ]
    assert await database_state() == state
    result = run_process("import-roster", "-", stdin=roster(GOOD_ROW).decode())
    assert result.returncode == 0, result.stderr
    assert "created 1" in result.stdout


def big_roster(rows: int) -> bytes:
    return roster(
        *(f"p{i}@example.org,Person {i},LHS,para,boss@example.org,,English" for i in range(rows))
    )


async def test_a_progress_bar_shows_from_a_thousand_rows(capsys, monkeypatch, tmp_path):
    code, out, err = cli(capsys, monkeypatch, "import-roster", write(tmp_path, big_roster(999)))
    assert code == 0, err
    assert "Importing roster" not in err
    code, out, err = cli(capsys, monkeypatch, "import-roster", write(tmp_path, big_roster(1000)))
    assert code == 0, err
    assert "created 1, updated 0, left 999 alone" in out
    assert "Importing roster" in err
    assert await Employee.count() == 1001  # worker's profile and the 1000 imported


@pytest.mark.parametrize("command", ["import-roster", "export-roster"])
def test_roster_commands_have_help(capsys, monkeypatch, command):
    code, out, _ = cli(capsys, monkeypatch, command, "--help")
    assert code == 0
    assert "Usage: mentorship" in out


async def test_many_profile_changes_in_one_import_land_on_the_right_people(
    capsys, monkeypatch, tmp_path
):
    first = roster(
        "a@example.org,A,LHS,para,boss@example.org,supervisor,English",
        "b@example.org,B,LHS,para,boss@example.org,,English",
        "c@example.org,C,LHS,para,boss@example.org,,English",
        "d@example.org,D,LHS,para,boss@example.org,,English",
    )
    assert cli(capsys, monkeypatch, "import-roster", write(tmp_path, first))[0] == 0
    second = roster(
        "a@example.org,A,MES,para,boss@example.org,supervisor,English",
        "b@example.org,B,MES,office,a@example.org,,English",
        "c@example.org,C,LHS,office,a@example.org,,Somali;English",
        "d@example.org,D,LHS,para,boss@example.org,,Somali;English",
    )
    code, out, err = cli(capsys, monkeypatch, "import-roster", write(tmp_path, second, "2.csv"))
    assert code == 0, err
    assert out.splitlines()[2:6] == [
        "  a@example.org (site_code)",
        "  b@example.org (site_code, job_role, supervisor_email)",
        "  c@example.org (job_role, supervisor_email, languages)",
        "  d@example.org (languages)",
    ]
    expected = {
        "a": ("MES", "para", "Bea Boss", ["English"]),
        "b": ("MES", "office", "A", ["English"]),
        "c": ("LHS", "office", "A", ["Somali", "English"]),
        "d": ("LHS", "para", "Bea Boss", ["Somali", "English"]),
    }
    for name, (site, job_role, supervisor, languages) in expected.items():
        profile = (await profile_of(f"{name}@example.org"))["profile"]
        assert profile["site"]["code"] == site, name
        assert profile["job_role"]["code"] == job_role, name
        assert profile["supervisor"]["display_name"] == supervisor, name
        assert profile["languages"] == languages, name
