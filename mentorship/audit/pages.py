"""The coordinator's audit-log page: filters and export."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.response import Template

from mentorship.access.guards import access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.audit import services
from mentorship.audit.chain import Break, Outcome
from mentorship.audit.messages import AUDIT
from mentorship.audit.schemas import EventFilter
from mentorship.lib.errors import ValidationFailed
from mentorship.lib.http import csv_download
from mentorship.lib.messages import Message
from mentorship.web.forms import Form
from mentorship.web.messages import WEB
from mentorship.web.pages import FormPage, as_said, shows_refusals
from mentorship.web.render import page, redirect

Me = Request[Principal, Any, Any]
PAGE_SIZE = 50
FILTERS = ("case", "actor", "action", "object_type", "outcome", "since", "until")

# The action codes the system records (docs/security.md, "The audit log"), in plain words.
ACTION_WORDS: dict[str, str] = {
    "login": "Sign-in",
    "match_run": "Matching run",
    "approve": "Match approved",
    "reject": "Match rejected",
    "override": "Match overridden",
    "assign": "Mentor assigned by hand",
    "decline": "Match declined by the employee",
    "grant_role": "Role given",
    "revoke_role": "Role removed",
    "deactivate": "Account deactivated",
    "reactivate": "Account reactivated",
    "export": "Download (export)",
    "verify": "Checked the log",
    "read": "Viewed",
    "create": "Written or logged",
    "update": "Edited",
    "read_history": "Note history viewed",
    "respond": "Response to a report",
    "pause": "Case paused",
    "resume": "Case resumed",
    "close": "Case closed",
    "reassign": "Case reassigned",
    "propose_closure": "Closure proposed",
    "legal_hold": "Legal hold placed",
    "lift_legal_hold": "Legal hold lifted",
    "purge": "Case content destroyed (retention)",
    "purge_run": "Retention purge run",
    "rotate_keys": "Encryption keys rotated",
    # Refused case actions are recorded under the access policy's own names.
    "view": "Tried to view a case",
    "view_status": "Tried to view a case's status",
    "view_activity_counts": "Tried to view meeting counts",
    "log_meeting": "Tried to log a meeting",
    "write_note": "Tried to write a note",
    "read_note": "Tried to read a note",
    "read_note_history": "Tried to read a note's history",
    "write_report": "Tried to write a report",
    "read_report": "Tried to read a report",
    "respond_to_report": "Tried to respond to a report",
    "withdraw": "Tried to withdraw",
    "manage": "Tried to manage a case",
    "view_accesses": "Tried to see who accessed a case",
}

OBJECT_WORDS: dict[str, str] = {
    "account": "Account",
    "accesses": "Who accessed a case",
    "audit_log": "Audit log",
    "case": "Case",
    "case_key": "Case key",
    "case_status": "Case status",
    "master_key": "Master key",
    "match_run": "Matching run",
    "meeting": "Meeting",
    "meetings": "Meeting list",
    "note": "Note",
    "notes": "Note list",
    "pd_record": "Training record (transcript)",
    "proposal": "Match proposal",
    "report": "Status report",
    "reports": "Report list",
    "retention": "Retention",
    "roster": "Staff roster",
}

ROLE_WORDS: dict[str, str] = {
    "employee": "Employee",
    "supervisor": "Supervisor",
    "mentor": "Mentor",
    "coordinator": "Coordinator",
    "admin": "Administrator",
    "operator": "Server operator",
}

OUTCOME_WORDS = {Outcome.ALLOWED: "Allowed", Outcome.DENIED: "Denied"}


def action_words(code: str) -> str:
    """An action code in plain words (the code itself when it is not a known one)."""
    return ACTION_WORDS.get(code, code.replace("_", " ").capitalize())


def object_words(code: str) -> str:
    """An object type in plain words."""
    return OBJECT_WORDS.get(code, code.replace("_", " ").capitalize())


def role_words(code: str) -> str:
    """The role someone acted in, in plain words ('' stays '')."""
    return ROLE_WORDS.get(code, code.replace("_", " ").capitalize())


def read_filter(values: dict[str, str]) -> tuple[EventFilter, dict[str, Message]]:
    """The filter from the form's values, and a coded message per bad field."""
    errors: dict[str, Message] = {}

    def number(name: str, label: str) -> int | None:
        raw = values.get(name, "")
        if not raw:
            return None
        if not raw.isdigit() or int(raw) < 1:
            errors[name] = WEB("number_example", label=label)
            return None
        return int(raw)

    def day(name: str, label: str) -> date | None:
        raw = values.get(name, "")
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            errors[name] = WEB("date_example", label=label)
            return None

    outcome = None
    if values.get("outcome"):
        try:
            outcome = Outcome(values["outcome"])
        except ValueError:
            errors["outcome"] = AUDIT("choose_outcome")
    where = EventFilter(
        case_id=number("case", "Case number"),
        actor_id=number("actor", "Person's account number"),
        action=values.get("action") or None,
        object_type=values.get("object_type") or None,
        outcome=outcome,
        since=day("since", "From"),
        until=day("until", "To"),
    )
    if where.since and where.until and where.since > where.until:
        errors.setdefault("since", AUDIT("days_reversed"))
    return where, errors


def _options(words: dict[str, str], current: str) -> list[tuple[str, str]]:
    options = sorted(
        ((code, f"{text} ({code})") for code, text in words.items()), key=lambda o: o[1]
    )
    if current and current not in words:
        options.append((current, current))
    return options


def _values(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {name: request.query_params.get(name, "").strip() for name in FILTERS}


def _before(request: Request[Any, Any, Any]) -> int | None:
    raw = request.query_params.get("before", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


def _filter(values: dict[str, str]) -> EventFilter:
    """The filter, or ValidationFailed with every bad field's message."""
    where, errors = read_filter(values)
    if errors:
        raise ValidationFailed(errors)
    return where


def _log_context(
    values: dict[str, str], found: list[Any], before: int | None, refused: bool = False
) -> dict[str, Any]:
    """The log page around a page of events (`found` holds one more when there are older)."""
    more = len(found) > PAGE_SIZE
    events = found[:PAGE_SIZE]
    query = {name: value for name, value in values.items() if value}
    older = (
        "/audit?" + urlencode({**query, "before": events[-1].sequence}) if more and events else None
    )
    newest = "/audit" + (f"?{urlencode(query)}" if query else "") if before else None
    export = "/audit/export.csv" + (f"?{urlencode(query)}" if query and not refused else "")
    return {
        "values": values,
        "errors": {},
        "events": events,
        "older": older,
        "newest": newest,
        "export_url": export,
        "filtered": bool(query),
        "paged": before is not None,
        "action_options": _options(ACTION_WORDS, values["action"]),
        "object_options": _options(OBJECT_WORDS, values["object_type"]),
        "outcome_options": [(o.value, OUTCOME_WORDS[o]) for o in Outcome],
        "action_words": action_words,
        "object_words": object_words,
        "role_words": role_words,
        "outcome_words": OUTCOME_WORDS,
        "page_size": PAGE_SIZE,
    }


async def _refused_log(request: Request[Any, Any, Any], form: Form | None) -> dict[str, Any]:
    return _log_context(_values(request), [], _before(request), refused=True)


LOG = FormPage("audit/log.html", _refused_log, words=as_said)


class AuditPages(Controller):
    """Browse and export the audit log."""

    path = "/audit"
    include_in_schema = False
    opt = access(roles(Role.COORDINATOR))

    @get("/")
    @shows_refusals(LOG)
    async def log(self, request: Me) -> Template:
        """The events matching the filters, newest first, a page at a time."""
        values, before = _values(request), _before(request)
        where = _filter(values)
        found = await services.search(where, limit=PAGE_SIZE + 1, before_sequence=before)
        return page("audit/log.html", _log_context(values, found, before))

    @get("/export.csv")
    async def export(self, request: Me) -> Response[str]:
        """The events matching the filters as CSV, oldest first, with their hashes (audited)."""
        where = _filter(_values(request))
        text = await services.export_csv(where, actor_id=request.user.account_id)
        return csv_download(text, "audit-log")

    @post("/verify")
    async def verify(self, request: Me) -> Response[Any]:
        """Recompute the whole chain (on request only: it reads every event)."""
        count, broken = await services.verify_on_request(request.user.account_id)
        return redirect(request, "/audit", _verified(count, broken))


def _verified(count: int, broken: Break | None) -> Message:
    """What verifying the chain found, as the notice says it."""
    if broken is None:
        return AUDIT("notice.intact", count=count)
    return AUDIT("notice.broken", sequence=broken.sequence, reason=broken.reason, count=count)
