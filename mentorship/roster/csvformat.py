"""The roster CSV format: reading a file into checked rows and writing rows back.

Pure: no database, no web framework. Everything a row can get wrong on its own (shape, email
syntax, names, roles, languages) and every duplicate email is found here; what needs the
database (sites, job roles, existing accounts, supervision loops) is checked in `plan`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from mentorship.access.roles import Role
from mentorship.accounts.emails import email_key, is_email
from mentorship.lib.messages import Message, word
from mentorship.roster.messages import ROSTER

COLUMNS = (
    "email",
    "display_name",
    "site_code",
    "job_role",
    "supervisor_email",
    "roles",
    "languages",
)
LIST_SEPARATOR = ";"
# The mentor role is left out on purpose: it comes from approving a mentor application.
IMPORTABLE_ROLES = (Role.EMPLOYEE, Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN)
MAX_NAME = 200
MAX_LANGUAGES = 10
LANGUAGE_LENGTH = (2, 40)

_ROLE_NAMES = ", ".join(r.value for r in IMPORTABLE_ROLES)

_Report = Callable[[Message], None]


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file, at a line of it (the header is line 1), as a code."""

    line: int
    reason: Message

    @property
    def message(self) -> str:
        """The problem in English words."""
        return word(self.reason)

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class RosterRow:
    """One person as the file describes them, cleaned up.

    `key` (the case-folded email) is None when the email is missing or malformed, and
    `supervisor_key` when the supervisor email is empty or malformed; a row with problems is
    still returned so that the checks needing the database can report theirs too.
    """

    line: int
    email: str
    key: str | None
    display_name: str
    site_code: str | None = None
    job_role: str | None = None
    supervisor_email: str | None = None
    supervisor_key: str | None = None
    roles: frozenset[Role] = frozenset({Role.EMPLOYEE})
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedRoster:
    """The rows read from a file and every problem found in them, in line order."""

    rows: tuple[RosterRow, ...]
    problems: tuple[Problem, ...]


def parse_roster(content: bytes) -> ParsedRoster:
    """Read a roster file (UTF-8, with or without a byte-order mark) and check each row."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        return ParsedRoster((), (Problem(line, ROSTER("not_utf8")),))
    records, unreadable = _records(text)
    problems: list[Problem] = []
    rows: list[RosterRow] = []
    if not records:
        if unreadable is None:
            problems.append(Problem(1, ROSTER("empty", header=_header())))
    else:
        header_line, header = records[0]
        columns = [name.strip().lower() for name in header]
        problems.extend(_header_problems(header_line, columns))
        if not problems:
            seen: dict[str, int] = {}
            for line, fields in records[1:]:
                if len(fields) != len(columns):
                    problems.append(
                        Problem(
                            line, ROSTER("field_count", fields=len(fields), columns=len(columns))
                        )
                    )
                    continue
                row = _read_row(line, dict(zip(columns, fields, strict=True)), problems)
                if row.key is not None:
                    if row.key in seen:
                        problems.append(
                            Problem(
                                line,
                                ROSTER("duplicate_email", email=row.email, line=seen[row.key]),
                            )
                        )
                    else:
                        seen[row.key] = line
                rows.append(row)
    if unreadable is not None:
        problems.append(unreadable)
    return ParsedRoster(tuple(rows), tuple(sorted(problems, key=lambda p: p.line)))


def write_roster(rows: Iterable[RosterRow]) -> str:
    """The rows as a roster file (header first, in the order given)."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.email,
                row.display_name,
                row.site_code or "",
                row.job_role or "",
                row.supervisor_email or "",
                LIST_SEPARATOR.join(r.value for r in IMPORTABLE_ROLES if r in row.roles),
                LIST_SEPARATOR.join(row.languages),
            ]
        )
    return output.getvalue()


def _header() -> str:
    return ",".join(COLUMNS)


def _records(text: str) -> tuple[list[tuple[int, list[str]]], Problem | None]:
    """Non-blank records with the line each starts on, and the CSV syntax error if any."""
    # strict: a stray quote is an error to report, not something to guess around.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for fields in reader:
            start, previous = previous + 1, reader.line_num
            if any(field.strip() for field in fields):
                records.append((start, fields))
    except csv.Error as exc:
        # Quoted fields may span lines, so the rest of the file cannot be trusted.
        return records, Problem(previous + 1, ROSTER("unreadable", error=str(exc)))
    return records, None


def _header_problems(line: int, columns: list[str]) -> list[Problem]:
    problems = []
    repeated = sorted({c for c in columns if columns.count(c) > 1 and c})
    if repeated:
        problems.append(Problem(line, ROSTER("repeated_columns", columns=", ".join(repeated))))
    unknown = [c or "(blank)" for c in dict.fromkeys(columns) if c not in COLUMNS]
    if unknown:
        problems.append(
            Problem(line, ROSTER("unknown_columns", columns=", ".join(unknown), header=_header()))
        )
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        problems.append(
            Problem(
                line,
                ROSTER("missing_columns", columns=", ".join(missing), header=_header()),
            )
        )
    return problems


def _read_row(line: int, values: dict[str, str], problems: list[Problem]) -> RosterRow:
    def problem(message: Message) -> None:
        problems.append(Problem(line, message))

    email = values["email"].strip()
    key = None
    if not email:
        problem(ROSTER("email_missing"))
    elif not is_email(email):
        problem(ROSTER("not_email", email=email))
    else:
        key = email_key(email)

    name = " ".join(values["display_name"].split())
    if not name:
        problem(ROSTER("name_missing"))
    elif len(name) > MAX_NAME:
        problem(ROSTER("name_too_long", count=MAX_NAME))

    supervisor = values["supervisor_email"].strip() or None
    supervisor_key = None
    if supervisor is not None:
        if is_email(supervisor):
            supervisor_key = email_key(supervisor)
        else:
            problem(ROSTER("supervisor_not_email", email=supervisor))

    return RosterRow(
        line=line,
        email=email,
        key=key,
        display_name=name,
        site_code=values["site_code"].strip().upper() or None,
        job_role=values["job_role"].strip().lower() or None,
        supervisor_email=supervisor,
        supervisor_key=supervisor_key,
        roles=_roles(values["roles"], problem),
        languages=_languages(values["languages"], problem),
    )


def _roles(text: str, problem: _Report) -> frozenset[Role]:
    roles = {Role.EMPLOYEE}  # everyone on the roster is an employee
    for item in _split(text):
        name = item.lower()
        if name == Role.MENTOR.value:
            problem(ROSTER("mentor_role"))
        elif name in {r.value for r in IMPORTABLE_ROLES}:
            roles.add(Role(name))
        else:
            if "," in name:
                problem(
                    ROSTER(
                        "unknown_role_comma", role=item, roles=_ROLE_NAMES, separator=LIST_SEPARATOR
                    )
                )
            else:
                problem(ROSTER("unknown_role", role=item, roles=_ROLE_NAMES))
    return frozenset(roles)


def _languages(text: str, problem: _Report) -> tuple[str, ...]:
    languages = _split(text)
    low, high = LANGUAGE_LENGTH
    for language in languages:
        if not low <= len(language) <= high:
            problem(ROSTER("language_length", language=language, low=low, high=high))
    if len(languages) > MAX_LANGUAGES:
        problem(ROSTER("too_many_languages", count=len(languages), most=MAX_LANGUAGES))
    return tuple(languages)


def _split(text: str) -> list[str]:
    items = (" ".join(item.split()) for item in text.split(LIST_SEPARATOR))
    return [item for item in items if item]
