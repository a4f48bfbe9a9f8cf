"""The roster import's messages as codes: what is wrong with a file, line by line, and the
refusal that lists them."""

from __future__ import annotations

from mentorship.lib.messages import Catalogue

ROSTER = Catalogue(
    "roster",
    {
        "rejected": "the roster has {count} problem(s); nothing was imported",
        # every problem of one line, joined by "; "
        "line_problems": "{problems}",
        # --- the file ---
        "not_utf8": "not UTF-8 text (save the file as \u201cCSV UTF-8\u201d)",
        "empty": "the file is empty: the first line must be the header {header}",
        "field_count": "has {fields} field(s) but the header has {columns}",
        "duplicate_email": "duplicate email {email} (already on line {line})",
        "unreadable": "cannot be read as CSV ({error}); stopped here",
        "repeated_columns": "repeated column(s): {columns}",
        "unknown_columns": "unknown column(s): {columns} (expected {header})",
        "missing_columns": "missing column(s): {columns} (the first line must be the header"
        " {header})",
        # --- a row ---
        "email_missing": "email is missing",
        "not_email": "email '{email}' is not an email address (expected name@example.org)",
        "name_missing": "display_name is missing",
        "name_too_long": "display_name is longer than {count} characters",
        "supervisor_not_email": "supervisor_email '{email}' is not an email address (expected"
        " name@example.org, or nothing)",
        "mentor_role": "the mentor role cannot be imported: it is granted by approving a mentor"
        " application",
        "unknown_role": "unknown role '{role}' (roles: {roles})",
        "unknown_role_comma": "unknown role '{role}' (roles: {roles}); separate roles with"
        " {separator}",
        "language_length": "language '{language}' must be {low} to {high} characters long",
        "too_many_languages": "lists {count} languages; at most {most} are allowed",
        # --- against the district ---
        "unknown_site": "unknown site code {code}",
        "closed_site": "site {code} is closed",
        "unknown_job_role": "unknown job role {code}",
        "retired_job_role": "job role {code} is no longer in use",
        "no_supervisor": "supervisor {email} is neither in the file nor an existing account",
        "supervisor_deactivated": "supervisor {email} has a deactivated account",
        "supervisor_role_in_file": "supervisor {email} would not hold the supervisor role (add"
        " supervisor to their roles on line {line})",
        "supervisor_role": "supervisor {email} would not hold the supervisor role (grant it to"
        " them, or list them in the file with that role)",
        "on_line": "{name} (line {line})",
        "own_supervisor": "{name} cannot be their own supervisor",
        "loop": "supervision loop: {chain} (each is supervised by the next)",
    },
)
