"""Reading and writing the roster format, without a database."""

from __future__ import annotations

import codecs

import pytest

from mentorship.access.roles import Role
from mentorship.accounts import services as account_services
from mentorship.lib.errors import ValidationFailed
from mentorship.roster.csvformat import (
    COLUMNS,
    Problem,
    RosterRow,
    email_key,
    is_email,
    parse_roster,
    write_roster,
)
from mentorship.roster.messages import ROSTER
from tests.roster.conftest import HEADER, roster


def test_a_row_is_cleaned_up():
    parsed = parse_roster(
        roster(
            "  Ana.Lopez@Example.ORG , Ana   Lopez ,lhs, SPED_Para ,"
            " Boss@Example.org ,Supervisor; ;admin, english ;  sign   language;"
        )
    )
    assert parsed.problems == ()
    assert parsed.rows == (
        RosterRow(
            line=2,
            email="Ana.Lopez@Example.ORG",
            key="ana.lopez@example.org",
            display_name="Ana Lopez",
            site_code="LHS",
            job_role="sped_para",
            supervisor_email="Boss@Example.org",
            supervisor_key="boss@example.org",
            roles=frozenset({Role.EMPLOYEE, Role.SUPERVISOR, Role.ADMIN}),
            # Capitalising and removing repeats is the service's job (normalise_languages).
            languages=("english", "sign language"),
        ),
    )


def test_empty_columns_mean_not_recorded_and_everyone_is_an_employee():
    (row,) = parse_roster(roster("a@example.org,A,,,,,")).rows
    assert (row.site_code, row.job_role, row.supervisor_email, row.supervisor_key) == (None,) * 4
    assert row.roles == {Role.EMPLOYEE}
    assert row.languages == ()


def test_header_names_ignore_case_spaces_order_and_a_byte_order_mark():
    header = " Languages,ROLES,supervisor_email ,job_role,site_code,Display_Name,email"
    content = codecs.BOM_UTF8 + f"{header}\r\nEnglish,,,,,Ann,ann@example.org\r\n".encode()
    parsed = parse_roster(content)
    assert parsed.problems == ()
    assert parsed.rows[0].email == "ann@example.org"
    assert parsed.rows[0].languages == ("English",)


def test_line_numbers_count_blank_lines_and_multi_line_fields():
    content = (
        f"{HEADER}\n"
        "\n"
        '"a@example.org","Ann\nSecond Line",,,,,\n'  # one record on lines 3 and 4
        "   \n"
        ",,,\n"  # commas only: blank too
        "b@example.org,Bob,,,,,wizard-tongue-that-is-far-too-long-to-be-a-language-name\n"
    ).encode()
    parsed = parse_roster(content)
    assert [row.line for row in parsed.rows] == [3, 7]
    assert parsed.rows[0].display_name == "Ann Second Line"
    assert [str(problem) for problem in parsed.problems] == [
        "line 7: language 'wizard-tongue-that-is-far-too-long-to-be-a-language-name' must be 2"
        " to 40 characters long",
    ]
    assert parsed.problems[0].reason.code == "roster.language_length"


def test_problems_come_in_line_order_with_every_one_of_a_row():
    parsed = parse_roster(
        roster(
            "b@example.org,B,,,,wizard;mentor,",
            "bad,,,,not-an-email,,",
            "B@EXAMPLE.ORG,Again,,,,,",
        )
    )
    assert [str(p) for p in parsed.problems] == [
        "line 2: unknown role 'wizard' (roles: employee, supervisor, coordinator, admin)",
        "line 2: the mentor role cannot be imported: it is granted by approving a mentor"
        " application",
        "line 3: email 'bad' is not an email address (expected name@example.org)",
        "line 3: display_name is missing",
        "line 3: supervisor_email 'not-an-email' is not an email address"
        " (expected name@example.org, or nothing)",
        "line 4: duplicate email B@EXAMPLE.ORG (already on line 2)",
    ]
    # Rows with problems are kept so the database checks can report theirs too.
    assert [row.key for row in parsed.rows] == ["b@example.org", None, "b@example.org"]


def test_a_csv_syntax_error_stops_reading_but_keeps_earlier_problems():
    parsed = parse_roster(roster("a@example.org,,,,,,", 'b@example.org,"B" x,,,,,', "c,C,,,,,"))
    assert [str(p) for p in parsed.problems] == [
        "line 2: display_name is missing",
        "line 3: cannot be read as CSV (',' expected after '\"'); stopped here",
    ]
    assert [row.line for row in parsed.rows] == [2]


def test_an_unterminated_quote_is_reported_where_the_record_starts():
    parsed = parse_roster(roster("a@example.org,A,,,,,", 'b@example.org,"B,,,,,', "c,C,,,,,"))
    assert [p.line for p in parsed.problems] == [3]
    assert "cannot be read as CSV" in parsed.problems[0].message


def test_header_problems_stop_the_rows_being_read():
    parsed = parse_roster(roster("a@example.org,A", header="email,name"))
    assert parsed.rows == ()
    assert [str(p) for p in parsed.problems] == [
        f"line 1: unknown column(s): name (expected {HEADER})",
        "line 1: missing column(s): display_name, site_code, job_role, supervisor_email, roles,"
        f" languages (the first line must be the header {HEADER})",
    ]


def test_a_file_without_a_header_is_told_what_the_first_line_must_be():
    parsed = parse_roster(b"ann@example.org,Ann,LHS,para,,employee,English\n")
    assert "unknown column(s): ann@example.org, ann, lhs, para, (blank), employee, english" in (
        parsed.problems[0].message
    )
    assert parsed.problems[1].message.startswith("missing column(s): email, display_name")


def test_bytes_that_are_not_utf8_are_reported_at_their_line():
    content = roster("a@example.org,A,,,,,") + b"b@example.org,\xff\xfe,,,,,\n"
    assert parse_roster(content).problems == (Problem(3, ROSTER("not_utf8")),)
    assert parse_roster(content).problems[0].message == (
        "not UTF-8 text (save the file as \u201cCSV UTF-8\u201d)"
    )


@pytest.mark.parametrize(
    "address",
    [
        "ana@example.org",
        "ANA.lopez+para@district.k12.wa.us",
        "ana@example",
        "ana@@example.org",
        "ana lopez@example.org",
        "ana@example.",
        "@example.org",
        "ana@.org",
        "a" * 250 + "@x.org",
    ],
)
def test_addresses_are_judged_and_keyed_as_the_accounts_service_does(address):
    try:
        account_services.clean_email(address)
        accepted = True
    except ValidationFailed:
        accepted = False
    assert is_email(address) is accepted
    assert email_key(f" {address} ") == account_services.email_key(address)


def test_writing_then_reading_gives_the_same_rows():
    rows = (
        RosterRow(
            line=2,
            email="Ana@Example.org",
            key="ana@example.org",
            display_name='Ana "Annie" López, Jr.',
            site_code="LHS",
            job_role="para",
            supervisor_email="boss@example.org",
            supervisor_key="boss@example.org",
            roles=frozenset({Role.ADMIN, Role.EMPLOYEE, Role.SUPERVISOR}),
            languages=("English", "Spanish"),
        ),
        RosterRow(line=3, email="bo@example.org", key="bo@example.org", display_name="Bo"),
    )
    text = write_roster(rows)
    assert text.splitlines() == [
        ",".join(COLUMNS),
        'Ana@Example.org,"Ana ""Annie"" López, Jr.",LHS,para,boss@example.org,'
        "employee;supervisor;admin,English;Spanish",
        "bo@example.org,Bo,,,,employee,",
    ]
    assert parse_roster(text.encode()) == parse_roster(text.encode("utf-8-sig"))
    assert parse_roster(text.encode()).rows == rows


def test_the_mentor_role_is_never_written():
    row = RosterRow(
        line=0,
        email="m@example.org",
        key="m@example.org",
        display_name="M",
        roles=frozenset({Role.EMPLOYEE, Role.MENTOR}),
    )
    assert write_roster([row]).splitlines()[1] == "m@example.org,M,,,,employee,"
