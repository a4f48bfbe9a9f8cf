"""Admin pages for the agreement versions between the district and the union: the history,
one version's terms in plain words (with what changed from the version before), and the form
that publishes a new version, prefilled from the one in force."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromPath
from litestar.response import Template

from mentorship.access.guards import access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.agreement import services
from mentorship.agreement.messages import AGREEMENT
from mentorship.agreement.schemas import VersionPublish
from mentorship.lib.errors import ValidationFailed
from mentorship.lib.messages import Message, word
from mentorship.web.forms import Form, field_errors
from mentorship.web.pages import FormPage, as_said, form_post
from mentorship.web.render import page, redirect

Me = Request[Principal, Any, Any]

# How many empty rows the form offers for new training topics.
SPARE_TOPICS = 2

LABELS = {
    "summary": "What changed in this version",
    "tracks": "Ways into the program",
    "supervisor_visibility": "What a supervisor sees of a referral",
    "coordinator_reads_notes": "Coordinators may read case notes",
    "mentor_site_rule": "A mentor from the colleague's own site",
    "max_travel_minutes": "Longest travel between mentor and colleague (minutes)",
    "caseload_cap": "Most cases one mentor carries",
    "referred_case_weight": "How many cases a referred case counts as",
    "topics": "Required mentor training",
    "total_min_hours": "Training hours needed in total",
    "training_valid_days": "Days mentor training stays valid",
    "max_case_days": "Days before a case is flagged for review",
    "report_every_days": "Days between status reports on a referred case",
    "report_response_days": "Days the colleague has to respond to a status report",
    "note_retention_days": "Days notes are kept after a case closes",
    "referral_consent_text": "What a referred colleague reads before agreeing",
}

INTEGER_FIELDS = (
    "max_travel_minutes",
    "caseload_cap",
    "referred_case_weight",
    "training_valid_days",
    "max_case_days",
    "report_every_days",
    "report_response_days",
    "note_retention_days",
)

SUPERVISOR_VISIBILITY = {
    value: word(AGREEMENT(f"visibility.{value}")) for value in ("status", "status_and_activity")
}
MENTOR_SITE_RULE = {
    value: word(AGREEMENT(f"site_rule.{value}")) for value in ("forbidden", "allowed", "preferred")
}
COORDINATOR_READS_NOTES = {
    value: word(AGREEMENT(f"reads_notes.{value}")) for value in ("false", "true")
}

_RULE_NAMES = {"mentor_site_rule": "the rule on mentors from the same site"}

Line = Message | str  # a term in plain words: coded, or the admin's own words (consent text)


def _yes_no(value: Any) -> Message:
    return AGREEMENT("yes" if value else "no")


def _hours(value: Any) -> Message:
    number = float(value)
    return AGREEMENT("hours.one" if number == 1 else "hours", hours=f"{number:g}")


def _days(value: Any) -> Message:
    return AGREEMENT("days.one" if value == 1 else "days", count=value)


def _chosen(kind: str, value: Any, known: Mapping[str, str]) -> list[Line]:
    """A term with a fixed set of answers, in words ('' for an answer not known)."""
    return [AGREEMENT(f"{kind}.{value}")] if str(value) in known else [""]


def describe(terms: Mapping[str, Any]) -> list[tuple[str, str, list[Line]]]:
    """Each term as (field, label, lines in plain words), in the order of the form."""
    tracks = terms.get("tracks", {})
    training = terms.get("required_training", {})
    reads_notes = str(bool(terms.get("coordinator_reads_notes"))).lower()
    topics: list[Line] = [
        AGREEMENT(
            "describe.topic", topic=str(each.get("topic")), hours=_hours(each.get("min_hours", 0))
        )
        for each in training.get("topics", [])
    ]
    topics.append(AGREEMENT("describe.total", hours=_hours(training.get("total_min_hours", 0))))
    return [
        (
            "tracks",
            LABELS["tracks"],
            [
                AGREEMENT("describe.voluntary", answer=_yes_no(tracks.get("voluntary"))),
                AGREEMENT("describe.referred", answer=_yes_no(tracks.get("referred"))),
                AGREEMENT(
                    "describe.consent", answer=_yes_no(tracks.get("referred_requires_consent"))
                ),
            ],
        ),
        (
            "supervisor_visibility",
            LABELS["supervisor_visibility"],
            _chosen("visibility", terms.get("supervisor_visibility"), SUPERVISOR_VISIBILITY),
        ),
        (
            "coordinator_reads_notes",
            LABELS["coordinator_reads_notes"],
            [AGREEMENT(f"reads_notes.{reads_notes}")],
        ),
        (
            "mentor_site_rule",
            LABELS["mentor_site_rule"],
            _chosen("site_rule", terms.get("mentor_site_rule"), MENTOR_SITE_RULE),
        ),
        (
            "max_travel_minutes",
            "Longest travel between mentor and colleague",
            [AGREEMENT("describe.minutes", minutes=terms.get("max_travel_minutes", ""))],
        ),
        (
            "caseload_cap",
            LABELS["caseload_cap"],
            [AGREEMENT("describe.number", number=terms.get("caseload_cap", ""))],
        ),
        (
            "referred_case_weight",
            "A referred case counts as",
            [AGREEMENT("describe.weight", weight=terms.get("referred_case_weight", ""))],
        ),
        (
            "topics",
            LABELS["topics"],
            topics,
        ),
        (
            "training_valid_days",
            "Mentor training stays valid for",
            [_days(terms.get("training_valid_days"))],
        ),
        (
            "max_case_days",
            "A case is flagged for review after",
            [_days(terms.get("max_case_days"))],
        ),
        (
            "report_every_days",
            "Status reports on a referred case, every",
            [_days(terms.get("report_every_days"))],
        ),
        (
            "report_response_days",
            "The colleague may respond to a status report within",
            [_days(terms.get("report_response_days"))],
        ),
        (
            "note_retention_days",
            "Notes are destroyed after a case closes, after",
            [_days(terms.get("note_retention_days"))],
        ),
        (
            "referral_consent_text",
            LABELS["referral_consent_text"],
            [str(terms.get("referral_consent_text", ""))],
        ),
    ]


def changes(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[tuple[str, list[Line], list[Line]]]:
    """The terms whose plain words differ between two versions: (label, before, after)."""
    old = {name: (label, lines) for name, label, lines in describe(before)}
    result = []
    for name, label, lines in describe(after):
        if old[name][1] != lines:
            result.append((label, old[name][1], lines))
    return result


def terms_to_values(terms: Mapping[str, Any]) -> dict[str, Any]:
    """The form's values for a set of terms (to prefill the form from the version in force)."""
    tracks = terms.get("tracks", {})
    values: dict[str, Any] = {name: str(terms.get(name, "")) for name in INTEGER_FIELDS}
    values.update(
        {
            "tracks_voluntary": bool(tracks.get("voluntary")),
            "tracks_referred": bool(tracks.get("referred")),
            "tracks_referred_requires_consent": bool(tracks.get("referred_requires_consent")),
            "supervisor_visibility": terms.get("supervisor_visibility", ""),
            "coordinator_reads_notes": "true" if terms.get("coordinator_reads_notes") else "false",
            "mentor_site_rule": terms.get("mentor_site_rule", ""),
            "total_min_hours": f"{float(terms['required_training']['total_min_hours']):g}",
            "referral_consent_text": terms.get("referral_consent_text", ""),
        }
    )
    for index, topic in enumerate(terms.get("required_training", {}).get("topics", [])):
        values[f"topic_{index}"] = topic["topic"]
        values[f"hours_{index}"] = f"{float(topic['min_hours']):g}"
    return values


def read_terms(form: Form) -> tuple[dict[str, Any], dict[str, Message]]:
    """The terms a submitted form describes, and messages for values that are not numbers."""
    errors: dict[str, Message] = {}
    terms: dict[str, Any] = {
        "tracks": {
            "voluntary": form.checked("tracks_voluntary"),
            "referred": form.checked("tracks_referred"),
            "referred_requires_consent": form.checked("tracks_referred_requires_consent"),
        },
        "supervisor_visibility": form.get("supervisor_visibility"),
        "coordinator_reads_notes": form.get("coordinator_reads_notes") == "true",
        "mentor_site_rule": form.get("mentor_site_rule"),
        "referral_consent_text": form.get("referral_consent_text"),
    }
    for name in INTEGER_FIELDS:
        if not form.get(name):
            errors[name] = AGREEMENT("enter_number", label=LABELS[name])
        terms[name] = form.integer(name, errors, LABELS[name])
    topics = []
    for index in _topic_indexes_of(form.values):
        topic, hours = form.get(f"topic_{index}"), form.get(f"hours_{index}")
        if not topic and not hours:
            continue  # an empty row, or a topic taken off the list
        if not topic:
            errors[f"topic_{index}"] = AGREEMENT("name_topic")
        topics.append({"topic": topic, "min_hours": _number(form, f"hours_{index}", errors)})
    total = _number(form, "total_min_hours", errors)
    terms["required_training"] = {"topics": topics, "total_min_hours": total}
    return terms, errors


def _number(form: Form, name: str, errors: dict[str, Message]) -> float | None:
    raw = form.get(name).replace(",", ".")
    try:
        return float(raw)
    except ValueError:  # blank, or not a number
        errors[name] = AGREEMENT("enter_hours")
        return None


def field_for(path: str, topic_rows: list[int]) -> str:
    """The form field for a service's error path (`terms.required_training.topics.0.topic`)."""
    parts = path.split(".")[1:] if path.startswith("terms") else path.split(".")
    if not parts:
        return "summary"
    if parts[0] == "tracks":
        return "tracks"
    if parts[0] == "required_training":
        if len(parts) >= 4 and parts[1] == "topics" and parts[2].isdigit():
            row = topic_rows[int(parts[2])] if int(parts[2]) < len(topic_rows) else 0
            return f"{'hours' if parts[3] == 'min_hours' else 'topic'}_{row}"
        if len(parts) >= 2 and parts[1] == "total_min_hours":
            return "total_min_hours"
        return "topics"
    return parts[0]


def plain_reason(field: str, reason: str) -> str:
    """A service's reason as a sentence about the form's field."""
    label = LABELS.get(field) or LABELS.get(re.sub(r"_\d+$", "", field), "")
    if field.startswith("hours_"):
        label = "The hours"
    elif field.startswith("topic_"):
        label = "The topic"
    text = reason.strip()
    if match := re.search(r"length >= (\d+)", text):
        return f"“{label}” must be at least {match.group(1)} characters."
    if match := re.search(r"length <= (\d+)", text):
        return f"“{label}” must be at most {match.group(1)} characters."
    if match := re.search(r">= (-?\d+)", text):
        return f"“{label}” must be {match.group(1)} or more."
    if match := re.search(r"<= (-?\d+)", text):
        return f"“{label}” must be {match.group(1)} or less."
    if text == "is required":
        return f"“{label}” is required."
    if text.startswith("must be one of"):
        return "Choose one of the options."
    for name, words in _RULE_NAMES.items():
        text = text.replace(name, words)
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _publication(form: Form) -> VersionPublish:
    """The publish form as VersionPublish; every bad value at once."""
    terms, errors = read_terms(form)
    summary = {"terms": {}, "summary": form.get("summary")}
    errors.update(field_errors(VersionPublish, summary, LABELS))
    if errors:
        raise ValidationFailed(errors)
    return VersionPublish(terms=terms, summary=form.get("summary"))


def _service_fields(fields: Mapping[str, str], form: Form) -> dict[str, str]:
    """The service's messages (keyed by paths into the terms) at the form's inputs; the
    form's own messages, keyed by input already, as they are."""
    if not any(name.startswith("terms") for name in fields):
        return dict(fields)
    rows = _topic_rows(form)
    errors: dict[str, str] = {}
    for path, reason in fields.items():
        field = field_for(path, rows)
        errors.setdefault(field, plain_reason(field, reason))
    return errors


async def _publish_page(request: Me, form: Form | None) -> dict[str, Any]:
    current = await services.get_version()
    if form is None:
        return _form_context(current, terms_to_values(current.terms))
    values: dict[str, Any] = {**form.values}
    for name in ("tracks_voluntary", "tracks_referred", "tracks_referred_requires_consent"):
        values[name] = form.checked(name)
    return _form_context(current, values)


PUBLISH = FormPage(
    "agreement/new.html", _publish_page, LABELS, words=as_said, inputs=_service_fields
)


class AgreementPages(Controller):
    """Agreement versions: read them and publish a new one."""

    path = "/admin/agreement"
    include_in_schema = False
    opt = access(roles(Role.ADMIN))

    @get("/", name="admin-agreement")
    async def index(self) -> Template:
        """Every published version, newest first, and the terms in force."""
        return page("agreement/index.html", await _versions_context())

    @get("/versions/{version:int}", name="admin-agreement-version")
    async def show(self, version: FromPath[int]) -> Template:
        """One version's terms in plain words, and what changed from the version before."""
        return page("agreement/version.html", await _version_context(version))

    @get("/new", name="admin-agreement-new")
    async def new_form(self, request: Me) -> Template:
        """The publish form, prefilled from the version in force."""
        return await PUBLISH.show(request)

    @form_post("/new", PUBLISH)
    async def publish(self, request: Me) -> Response[Any]:
        """Publish the new version; every bad value comes back at its field, the rest kept."""
        data = _publication(await PUBLISH.form(request))
        published = await services.publish(data, request.user.account_id)
        notice = AGREEMENT("notice.published", version=published.version)
        return redirect(request, f"/admin/agreement/versions/{published.version}", notice)


async def _versions_context() -> dict[str, Any]:
    """Every published version and the terms in force, in words."""
    versions = await services.list_versions()
    current = await services.get_version() if versions else None
    terms = describe(current.terms) if current else []
    return {"versions": versions, "current": current, "terms": terms}


async def _version_context(version: int) -> dict[str, Any]:
    """One version's terms in words, and what changed from the version before."""
    shown = await services.get_version(version)
    changed = None
    if version > 1:
        changed = changes((await services.get_version(version - 1)).terms, shown.terms)
    return {"version": shown, "terms": describe(shown.terms), "changed": changed}


def _topic_rows(form: Form) -> list[int]:
    """The form row of each topic sent to the service (blank rows are left out)."""
    return [
        index
        for index in _topic_indexes_of(form.values)
        if form.get(f"topic_{index}") or form.get(f"hours_{index}")
    ]


def _form_context(current: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    rows = _topic_indexes_of(values)
    spare_from = (max(rows) + 1) if rows else 0
    kept = [row for row in rows if values.get(f"topic_{row}") or values.get(f"hours_{row}")]
    return {
        "current": current,
        "topic_rows": kept + list(range(spare_from, spare_from + SPARE_TOPICS)),
        "integer_fields": INTEGER_FIELDS,
        "labels": LABELS,
        "supervisor_visibility": list(SUPERVISOR_VISIBILITY.items()),
        "mentor_site_rule": list(MENTOR_SITE_RULE.items()),
        "coordinator_reads_notes": list(COORDINATOR_READS_NOTES.items()),
        "values": dict(values),
        "errors": {},
    }


def _topic_indexes_of(values: Mapping[str, Any]) -> list[int]:
    found = set()
    for name in values:
        match = re.fullmatch(r"(?:topic|hours)_(\d{1,2})", name)
        if match:
            found.add(int(match.group(1)))
    return sorted(found)
