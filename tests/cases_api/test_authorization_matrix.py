"""Every API route × every persona × the object it is called on → the status in
`authorization_matrix`, and what each call must (not) reveal or leave in the audit log.

For every cell: the exact status; for a refusal (404, or 403 on a case's note or report),
the same answer as for an id that does not exist; for a signed-in call of a note route,
exactly one audit event naming the note, allowed or denied (an allowed list: one per note
returned, and exactly the notes that reader may read). An anonymous call is refused by the
access rule before any case or note is looked at, and leaves no event.

One world serves every test: the `cases` fixture's two cases and cast, plus a former mentor
(reassigned off the referred case after writing a private note), the current mentor's private
and shared notes, an unanswered status report, a trained applicant and a self-recorded
training record. It is built once, by whichever test runs first, and copied table by table;
every test then starts from that copy, so each sees the same world whatever ran before it
(building it costs seconds, restoring it a fraction of one).

- `test_route` makes every call of one route except the allowed writes: refusals change
  nothing, so they share the route's world (as do reads and the writes refused as conflicts).
- `test_allowed_write` makes one allowed write, in a world of its own, so the exact success
  status never depends on another test.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from httpx import Response
from litestar import Litestar
from litestar.enums import HttpMethod
from litestar.middleware.csrf import generate_csrf_token
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from mentorship.access.roles import Role
from mentorship.agreement import services as agreement
from mentorship.agreement.terms import DEFAULT_TERMS, terms_to_dict
from mentorship.app import create_app
from mentorship.audit.tables import AuditEvent
from mentorship.auth.tables import SignInSession
from mentorship.cases.tables import Case
from mentorship.config import Settings
from mentorship.development import training_records
from mentorship.development.schemas import TrainingCreate
from mentorship.district import sites as district_sites
from mentorship.district.tables import JobRole
from mentorship.lib import clock, db
from mentorship.matching.tables import MatchProposal
from mentorship.notices import services as notices
from mentorship.pool import applications as pool_applications
from mentorship.pool.schemas import MentorApply, SkillLevel
from tests.cases_api.authorization_matrix import (
    API_PREFIX,
    FORMER_NOTE,
    HIDDEN_FROM_CASE,
    MATRIX,
    NOTE_ROUTES,
    PERSONAS,
    PRIVATE_NOTE,
    SHARED_NOTE,
    Route,
)
from tests.cases_api.conftest import Cases
from tests.conftest import BASE_URL, PASSWORD, SEEDED_TABLES, all_tables

Client = AsyncTestClient[Litestar]
MISSING_ID = 99999
Json = dict[str, Any] | None


# --- the world ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Who:
    """How a signed-in persona signs in, and the cookies and CSRF token of their session."""

    email: str
    cookies: dict[str, str]
    csrf: str


@dataclass(frozen=True)
class Snapshot:
    """The built world: every table's rows, the personas and the objects' ids."""

    rows: dict[str, list[dict[str, Any]]]
    people: dict[str, Who]
    ids: dict[str, int]


_snapshot: Snapshot | None = None


async def _api(client: Client, method: str, url: str, expect: int, **kwargs: Any) -> Any:
    response = await client.request(method, f"{API_PREFIX}{url}", **kwargs)
    assert response.status_code == expect, f"{method} {url}: {response.text}"
    return response.json() if response.content else None


async def _build(cases: Cases) -> Snapshot:
    """Add to the `cases` world what the matrix needs, and copy it."""
    world, case = cases.world, cases.referred_case
    coordinator, mentor = cases.coordinator.api, cases.mentor.api
    # The former mentor takes the referred case over, writes a private note, and is moved off.
    former = await world.mentor("Fern Former", client=True)
    reassign = f"/cases/{case}/reassign"
    await _api(coordinator, "POST", reassign, 200, json={"mentor_id": former.id, "reason": "Cover"})
    notes = f"/cases/{case}/notes"
    former_note = await _api(
        former.api, "POST", notes, 201, json={"audience": "private", "text": "Fern's own."}
    )
    back = {"mentor_id": cases.mentor.id, "reason": "Back"}
    await _api(coordinator, "POST", reassign, 200, json=back)
    private = await _api(mentor, "POST", notes, 201, json={"audience": "private", "text": "Mine."})
    shared = await _api(mentor, "POST", notes, 201, json={"audience": "shared", "text": "Ours."})
    report = await _api(
        mentor,
        "POST",
        f"/cases/{case}/reports",
        201,
        json={"status": "progressing", "text": "Steady weeks."},
    )
    # The other employee's own (unverified) training record, and a trained applicant.
    record = await _api(
        cases.outsider.api,
        "POST",
        "/training-records",
        201,
        json={"topic": "Confidentiality", "hours": 2, "completed_on": _days_ago(30)},
    )
    applicant = await world.person("Abe Applicant", site="south")
    await pool_applications.apply(
        applicant.id,
        MentorApply(
            skills=[SkillLevel(world.skills["De-escalation"], 3)],
            languages=["English"],
            statement="I have supported classrooms for years.",
        ),
    )
    for topic in DEFAULT_TERMS.required_training.topics:
        await training_records.add_training(
            TrainingCreate(
                topic=topic.topic,
                hours=max(topic.min_hours, 2.5),
                completed_on=clock.now().date() - timedelta(days=10),
                account_id=applicant.id,
            ),
            cases.coordinator.id,
            actor_is_coordinator=True,
        )
    row = await Case.select(Case.request).where(Case.id == case).first()
    assert row is not None
    proposal = (
        await MatchProposal.select(MatchProposal.id, MatchProposal.run)
        .where(MatchProposal.case == case)
        .first()
    )
    assert proposal is not None
    ids = {
        "case": case,
        "request": row["request"],
        "proposal": proposal["id"],
        "run": proposal["run"],
        "private_note": private["id"],
        "shared_note": shared["id"],
        "former_note": former_note["id"],
        "report": report["id"],
        "training_record": record["id"],
        "applicant": applicant.id,
        "skill": world.skills["De-escalation"],
        "job_role": await _job_role("para"),
        "agreement_version": (await agreement.in_force()).version,
        **{f"site_{name}": site for name, site in world.sites.items()},
    }
    cast = {
        "admin": cases.admin,
        "coordinator": cases.coordinator,
        "mentee": cases.mentee,
        "mentor": cases.mentor,
        "former_mentor": former,
        "referrer": cases.supervisor,
        "other_employee": cases.outsider,
        "other_mentor": cases.spare_mentor,
    }
    ids.update({persona: person.id for persona, person in cast.items()})
    people = {
        persona: Who(
            email=person.email,
            cookies=dict(person.api.cookies.items()),
            csrf=person.api.headers["x-csrftoken"],
        )
        for persona, person in cast.items()
    }
    rows = {table._meta.tablename: await table.select() for table in all_tables()}
    return Snapshot(rows=rows, people=people, ids=ids)


async def _job_role(code: str) -> int:
    row = await JobRole.select(JobRole.id).where(JobRole.code == code).first()
    assert row is not None
    return int(row["id"])


def _days_ago(days: int) -> str:
    return (clock.now().date() - timedelta(days=days)).isoformat()


async def _restore(snapshot: Snapshot, *, built_here: bool) -> None:
    """Put the snapshot back into the database `clean_database` has just emptied (and that
    this test has filled again, when it built the world)."""
    district_sites._travel_cache = None
    now = clock.now()
    tables = all_tables()
    async with db.transaction():
        for table in reversed(tables):
            if built_here or table._meta.tablename in SEEDED_TABLES:
                await table.delete(force=True)
        for table in tables:
            rows = snapshot.rows[table._meta.tablename]
            if table is SignInSession:  # sessions as fresh as the test, not the snapshot
                rows = [{**row, "last_seen_at": now} for row in rows]
            for start in range(0, len(rows), 50):  # within SQLite's bound-variable limit
                await table.insert(*(table(**row) for row in rows[start : start + 50]))


@pytest.fixture(scope="module")
def app(settings: Settings) -> Litestar:
    """One application for the module (it overrides the suite's): building one per test
    would cost more than most of the tests themselves."""
    return create_app(settings)


@pytest.fixture
def built(request: pytest.FixtureRequest, clean_database: None) -> Cases | None:
    """The `cases` world when this test is the first to need the matrix world, else None."""
    if _snapshot is not None:
        return None
    cases: Cases = request.getfixturevalue("cases")
    return cases


@dataclass
class World:
    """The restored world, with one client that acts as whichever persona is asked."""

    client: Client
    people: dict[str, Who]
    ids: dict[str, int]
    anonymous_csrf: str
    csrf_cookie: str

    async def call(
        self,
        persona: str,
        method: str,
        url: str,
        *,
        json: Any = None,
        files: Any = None,
    ) -> Response:
        """The response to one request made as the persona (a URL without the API prefix)."""
        self.client.cookies.clear()
        if persona == "anonymous":
            self.client.cookies.set(self.csrf_cookie, self.anonymous_csrf)
            self.client.headers["x-csrftoken"] = self.anonymous_csrf
        else:
            who = self.people[persona]
            for name, value in who.cookies.items():
                self.client.cookies.set(name, value)
            self.client.headers["x-csrftoken"] = who.csrf
        return await self.client.request(method, f"{API_PREFIX}{url}", json=json, files=files)

    async def ok(self, persona: str, method: str, url: str, expect: int, json: Json = None) -> Any:
        """Set-up through the API: the body of a request that must succeed."""
        response = await self.call(persona, method, url, json=json)
        assert response.status_code == expect, f"set-up {method} {url}: {response.text}"
        return response.json() if response.content else None


@pytest.fixture
async def matrix(built: Cases | None, app: Litestar, settings: Settings) -> AsyncIterator[World]:
    """The matrix world, restored from its snapshot (taken first if this test built it)."""
    global _snapshot
    if built is not None:
        _snapshot = await _build(built)
    assert _snapshot is not None
    await _restore(_snapshot, built_here=built is not None)
    async with AsyncTestClient(app=app, base_url=BASE_URL) as client:
        yield World(
            client=client,
            people=_snapshot.people,
            ids=dict(_snapshot.ids),
            anonymous_csrf=generate_csrf_token(secret=settings.secret_key),
            csrf_cookie=settings.csrf_cookie_name,
        )


# --- how each route is called -------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """The path parameters and body of a request to a route (the body may depend on who)."""

    path: dict[str, int | str] = field(default_factory=dict)
    json: Any = None
    files: Any = None


Spec = Callable[[World], Awaitable[Call | dict[str, Call]]]
Body = Json | Callable[[World], Json]
CALLS: dict[Route, Spec] = {}


def calls(method: str, path: str) -> Callable[[Spec], Spec]:
    """Register a function preparing a route's call (one Call, or one per object label)."""

    def register(spec: Spec) -> Spec:
        CALLS[(method, path)] = spec
        return spec

    return register


def simple(method: str, path: str, body: Body = None, /, **path_ids: str) -> None:
    """Register a route needing no set-up: its path parameters name world ids, its body is
    fixed or made from the world."""

    async def spec(w: World) -> Call:
        json = body(w) if callable(body) else body
        return Call({name: w.ids[key] for name, key in path_ids.items()}, json)

    CALLS[(method, path)] = spec


def need(w: World) -> list[dict[str, int]]:
    """The needed skills of a new request."""
    return [{"skill_id": w.ids["skill"], "priority": 2}]


async def new_request(w: World) -> int:
    """The mentee files a self-request (they may: their referred request is matched)."""
    body = {"needed_skills": need(w), "description": "Help with transitions."}
    return int((await w.ok("mentee", "POST", "/requests", 201, body))["id"])


async def offer(w: World) -> dict[str, Any]:
    """A new request of the mentee, proposed a mentor by a fresh run: the proposal."""
    request_id = await new_request(w)
    run = await w.ok("coordinator", "POST", "/matching/runs", 201)
    (proposal,) = [p for p in run["proposals"] if p["request_id"] == request_id]
    return {**proposal, "run_id": run["id"]}


def referral(w: World) -> dict[str, Any]:
    """A referral of the mentee by the referrer (allowed again: the first one is matched)."""
    return {"needed_skills": need(w), "description": "Lunch duty.", "employee_id": w.ids["mentee"]}


async def pending_referral(w: World) -> int:
    """The referrer refers the mentee again; it waits for the mentee's consent."""
    return int((await w.ok("referrer", "POST", "/referrals", 201, referral(w)))["id"])


# Sign-in: each persona signs in as themselves, anonymous as the other employee.
@calls("POST", "/auth/login")
async def _login(w: World) -> Call:
    def credentials(persona: str) -> dict[str, str]:
        who = w.people["other_employee" if persona == "anonymous" else persona]
        return {"email": who.email, "password": PASSWORD}

    return Call(json=credentials)


simple("POST", "/auth/logout")
simple("GET", "/me")

# Accounts: the other employee, the other mentor, and the applicant (not a persona: its
# deactivation ends nobody's session).
OLGA = {"account_id": "other_employee"}
simple("GET", "/accounts")
simple("POST", "/accounts", {"email": "new.hire@example.org", "display_name": "New Hire"})
simple("GET", "/accounts/{account_id}", **OLGA)
simple("PATCH", "/accounts/{account_id}", {"display_name": "Olga Renamed"}, **OLGA)
simple("POST", "/accounts/{account_id}/deactivate", **OLGA)
simple("PUT", "/accounts/{account_id}/password", {"password": "violet kettle moon"}, **OLGA)


@calls("PUT", "/accounts/{account_id}/roles/{role}")
async def _grant_role(w: World) -> Call:
    return Call({"account_id": w.ids["other_employee"], "role": Role.SUPERVISOR.value})


@calls("DELETE", "/accounts/{account_id}/roles/{role}")
async def _revoke_role(w: World) -> Call:
    return Call({"account_id": w.ids["other_mentor"], "role": Role.MENTOR.value})


@calls("POST", "/accounts/{account_id}/reactivate")
async def _reactivate(w: World) -> Call:
    await w.ok("admin", "POST", f"/accounts/{w.ids['applicant']}/deactivate", 200)
    return Call({"account_id": w.ids["applicant"]})


# Reference data and profiles
NORTH_EAST = {"site_id": "site_north", "other_id": "site_east"}
simple("GET", "/sites")
simple("POST", "/sites", {"code": "WEST", "name": "West", "setting_type": "office", "region": "A"})
simple("GET", "/sites/{site_id}", site_id="site_north")
simple("PATCH", "/sites/{site_id}", {"name": "North Primary"}, site_id="site_north")
simple("GET", "/sites/links")
simple("PUT", "/sites/{site_id}/links/{other_id}", {"minutes": 40}, **NORTH_EAST)
simple("DELETE", "/sites/{site_id}/links/{other_id}", site_id="site_north", other_id="site_south")
simple("GET", "/sites/{site_id}/travel/{other_id}", **NORTH_EAST)
simple("GET", "/job-roles")
simple("POST", "/job-roles", {"code": "coach", "name": "Instructional coach"})
simple("PATCH", "/job-roles/{job_role_id}", {"name": "Paraeducator"}, job_role_id="job_role")
simple("GET", "/skills")
simple("POST", "/skills", {"name": "Restorative practices"})
simple("PATCH", "/skills/{skill_id}", {"description": "Calming down."}, skill_id="skill")
simple("GET", "/employees/{account_id}", **OLGA)
simple("PATCH", "/employees/{account_id}", {"languages": ["English", "Spanish"]}, **OLGA)
simple("GET", "/me/profile")
simple("GET", "/me/notifications")
simple("GET", "/me/notification-preferences")
simple("PUT", "/me/notification-preferences", {"categories": {"meetings": "digest"}})


@calls("POST", "/me/notifications/{notice_id}/read")
async def _notice(w: World) -> Call:
    async with db.transaction():
        notice_id = await notices.tell(
            w.ids["mentee"],
            "request_filed.receipt",
            {"employee_name": "Mentee", "request_id": 1, "filed_on": clock.now()},
            "/requests",
        )
    return Call({"notice_id": notice_id})


simple("GET", "/me/supervisees")
simple("GET", "/roster/export")
ROSTER = (
    b"email,display_name,site_code,job_role,supervisor_email,roles,languages\n"
    b"rita.roster@example.org,Rita Roster,NORTH,para,,,English\n"
)


@calls("POST", "/roster/import")
async def _import_roster(w: World) -> Call:
    return Call(files={"file": ("roster.csv", ROSTER, "text/csv")})


# Agreement
simple("GET", "/agreement")
simple("GET", "/agreement/versions")
simple("GET", "/agreement/versions/{version}", version="agreement_version")
NEW_TERMS = {**terms_to_dict(DEFAULT_TERMS), "max_travel_minutes": 40}
simple("POST", "/agreement/versions", {"terms": NEW_TERMS, "summary": "Shorter trips"})

# Mentor pool and training: the other mentor and the trained applicant.
SOL = {"account_id": "other_mentor"}
ABE = {"account_id": "applicant"}
REASON = {"reason": "Agreed with them"}
simple(
    "POST",
    "/mentor-pool/applications",
    lambda w: {
        "skills": [{"skill_id": w.ids["skill"], "level": 2}],
        "languages": ["English"],
        "statement": "I can help.",
    },
)
simple("GET", "/mentor-pool/mine")
simple("PATCH", "/mentor-pool/mine", {"available": False})
simple("GET", "/mentor-pool")
simple("GET", "/mentor-pool/{account_id}", account_id="mentor")
simple("POST", "/mentor-pool/{account_id}/approve", {"capacity": 2}, **ABE)
simple("POST", "/mentor-pool/{account_id}/decline", REASON, **ABE)
simple("POST", "/mentor-pool/{account_id}/suspend", REASON, **SOL)
simple("POST", "/mentor-pool/{account_id}/retire", REASON, **SOL)
simple("PUT", "/mentor-pool/{account_id}/capacity", {"capacity": 2}, **SOL)
simple("PUT", "/mentor-pool/{account_id}/availability", {"available": False}, **SOL)
simple(
    "POST",
    "/training-records",
    lambda w: {"topic": "Coaching", "hours": 2.5, "completed_on": _days_ago(5)},
)
simple("POST", "/training-records/{record_id}/verify", record_id="training_record")
simple("DELETE", "/training-records/{record_id}", record_id="training_record")
simple("GET", "/development-records/mine")
simple("GET", "/development-records/{account_id}", account_id="mentee")


@calls("POST", "/mentor-pool/{account_id}/reinstate")
async def _reinstate(w: World) -> Call:
    await w.ok("coordinator", "POST", f"/mentor-pool/{w.ids['other_mentor']}/suspend", 200, REASON)
    return Call({"account_id": w.ids["other_mentor"]})


# Requests and referrals
simple("POST", "/requests", lambda w: {"needed_skills": need(w), "description": "Help, please."})
simple("GET", "/requests/mine")
simple("GET", "/requests/queue")
simple("GET", "/requests/{request_id}", request_id="request")
simple("POST", "/referrals", referral)
simple("GET", "/referrals")
simple("GET", "/referrals/{request_id}", request_id="request")


@calls("POST", "/requests/{request_id}/consent")
async def _consent(w: World) -> Call:
    body = {"decision": "decline", "agreement_version": w.ids["agreement_version"]}
    return Call({"request_id": await pending_referral(w)}, body)


@calls("POST", "/requests/{request_id}/withdraw")
async def _withdraw_request(w: World) -> Call:
    return Call({"request_id": await pending_referral(w)})


@calls("GET", "/requests/{request_id}/proposal")
async def _offer(w: World) -> Call:
    return Call({"request_id": (await offer(w))["request_id"]})


@calls("POST", "/requests/{request_id}/proposal/decline")
async def _decline_offer(w: World) -> Call:
    return Call({"request_id": (await offer(w))["request_id"]}, {"reason": ""})


# Matching
simple("GET", "/matching/weights")
simple("POST", "/matching/runs")
simple("GET", "/matching/runs")
simple("GET", "/matching/runs/latest")
simple("GET", "/matching/runs/{run_id}", run_id="run")
simple("GET", "/matching/proposals/{proposal_id}", proposal_id="proposal")


@calls("POST", "/matching/runs/{run_id}/approve-all")
async def _approve_all(w: World) -> Call:
    return Call({"run_id": (await offer(w))["run_id"]})


@calls("POST", "/matching/proposals/{proposal_id}/approve")
async def _approve_proposal(w: World) -> Call:
    return Call({"proposal_id": (await offer(w))["id"]})


@calls("POST", "/matching/proposals/{proposal_id}/reject")
async def _reject_proposal(w: World) -> Call:
    return Call({"proposal_id": (await offer(w))["id"]}, {"reason": "Not a good fit"})


@calls("POST", "/matching/proposals/{proposal_id}/override")
async def _override(w: World) -> Call:
    proposal = await offer(w)
    others = [w.ids[p] for p in ("other_mentor", "former_mentor")]
    other = next(mentor for mentor in others if mentor != proposal["mentor_id"])
    return Call({"proposal_id": proposal["id"]}, {"mentor_id": other, "reason": "Knows the site"})


@calls("POST", "/matching/requests/{request_id}/assign")
async def _assign(w: World) -> Call:
    body = {"mentor_id": w.ids["other_mentor"], "reason": "Urgent"}
    return Call({"request_id": await new_request(w)}, body)


# Cases: the referred case, its notes and its report.
CASE = {"case_id": "case"}
CLOSING = {"outcome": "completed", "summary": "Goals met."}
simple("GET", "/cases")
simple("GET", "/cases/mine")
simple("GET", "/cases/{case_id}", **CASE)
simple("GET", "/cases/{case_id}/mentors", **CASE)
simple("GET", "/cases/{case_id}/accesses", **CASE)
simple("POST", "/cases/{case_id}/pause", {"reason": "Summer break"}, **CASE)
simple("POST", "/cases/{case_id}/close", CLOSING, **CASE)
simple(
    "POST",
    "/cases/{case_id}/reassign",
    lambda w: {"mentor_id": w.ids["other_mentor"], "reason": "Mentor moved schools"},
    **CASE,
)
simple("POST", "/cases/{case_id}/legal-hold", {"hold": True, "reason": "Records request"}, **CASE)
simple("POST", "/cases/{case_id}/withdraw", **CASE)
simple("POST", "/cases/{case_id}/closure-proposal", CLOSING, **CASE)
simple("GET", "/cases/{case_id}/meetings", **CASE)
simple(
    "POST",
    "/cases/{case_id}/meetings",
    lambda w: {
        "held_on": clock.now().date().isoformat(),
        "minutes": 45,
        "mode": "in_person",
        "topic_ids": [w.ids["skill"]],
    },
    **CASE,
)
simple("GET", "/cases/{case_id}/notes", **CASE)
simple("POST", "/cases/{case_id}/notes", {"audience": "shared", "text": "Next step."}, **CASE)
simple("GET", "/cases/{case_id}/reports", **CASE)
simple("POST", "/cases/{case_id}/reports", {"status": "progressing", "text": "Good."}, **CASE)
simple(
    "POST",
    "/cases/{case_id}/reports/{report_id}/response",
    {"text": "Agreed."},
    case_id="case",
    report_id="report",
)


@calls("POST", "/cases/{case_id}/resume")
async def _resume(w: World) -> Call:
    await w.ok("coordinator", "POST", f"/cases/{w.ids['case']}/pause", 200, {"reason": "Summer"})
    return Call({"case_id": w.ids["case"]})


def on_notes(json: Json) -> Spec:
    """A single-note route, called on each of the three notes."""

    async def spec(w: World) -> dict[str, Call]:
        return {
            label: Call({"case_id": w.ids["case"], "note_id": w.ids[key]}, json)
            for label, key in (
                (PRIVATE_NOTE, "private_note"),
                (SHARED_NOTE, "shared_note"),
                (FORMER_NOTE, "former_note"),
            )
        }

    return spec


CALLS[("GET", "/cases/{case_id}/notes/{note_id}")] = on_notes(None)
CALLS[("PUT", "/cases/{case_id}/notes/{note_id}")] = on_notes({"text": "Revised."})
CALLS[("GET", "/cases/{case_id}/notes/{note_id}/versions")] = on_notes(None)

# Transcripts and the audit log
simple("GET", "/transcripts/mine")
simple("GET", "/transcripts/mine/csv")
simple("GET", "/transcripts/{account_id}", account_id="mentee")
simple("GET", "/transcripts/{account_id}/csv", account_id="mentee")
simple("GET", "/audit/events")
simple("GET", "/audit/events/csv")


# --- checking one cell --------------------------------------------------------------------


async def specs_for(w: World, route: Route) -> dict[str, Call]:
    """The calls of a route, by the object labels of its matrix entry."""
    made = await CALLS[route](w)
    if isinstance(made, Call):
        (label,) = MATRIX[route]
        return {label: made}
    return made


async def send(w: World, route: Route, call: Call, persona: str, **override: int) -> Response:
    """Make the call as the persona (path parameters overridden as given)."""
    method, path = route
    json = call.json(persona) if callable(call.json) else call.json
    url = path.format(**{**call.path, **override})
    return await w.call(persona, method, url, json=json, files=call.files)


async def last_sequence() -> int:
    """The sequence number of the newest audit event (0 when there is none)."""
    row = (
        await AuditEvent.select(AuditEvent.sequence)
        .order_by(AuditEvent.sequence, ascending=False)
        .first()
    )
    return 0 if row is None else int(row["sequence"])


async def events_after(sequence: int) -> list[dict[str, Any]]:
    """Audit events appended after that sequence number, in order."""
    rows: list[dict[str, Any]] = (
        await AuditEvent.select()
        .where(AuditEvent.sequence > sequence)
        .order_by(AuditEvent.sequence)
    )
    return rows


def _is_allowed_write(route: Route, status: int) -> bool:
    return route[0] != "GET" and status < 400


# The notes each reader of the referred case's note list must get, and no other.
VISIBLE_NOTES = {"mentor": ("private_note", "shared_note"), "mentee": ("shared_note",)}


def note_audit_problems(
    w: World,
    route: Route,
    call: Call,
    persona: str,
    response: Response,
    added: list[dict[str, Any]],
) -> list[str]:
    """What is wrong with the audit events one note-route call added.

    Each event is compared as (object type, object id, outcome): a single note's access
    names that note; an allowed list names each note it returned; a refused list names the
    case's notes as a whole; a refused write, which has no note yet, names the case.
    """
    if persona == "anonymous":
        # Refused by the access rule before any case or note is looked at: nobody to name.
        return [] if not added else [f"{len(added)} audit events for an anonymous call"]
    method, path = route
    case_id = str(w.ids["case"])
    allowed = response.status_code < 400
    outcome = "allowed" if allowed else "denied"
    seen = [(e["object_type"], e["object_id"], e["outcome"]) for e in added]
    problems = []
    if method == "GET" and path.endswith("/notes") and allowed:
        returned = [str(note["id"]) for note in response.json()]
        visible = sorted(str(w.ids[key]) for key in VISIBLE_NOTES[persona])
        if sorted(returned) != visible:
            problems.append(f"listed notes {returned}, expected exactly {visible}")
        expected = [("note", note_id, outcome) for note_id in returned]
    elif method == "GET" and path.endswith("/notes"):
        expected = [("notes", case_id, outcome)]
    elif method == "POST" and allowed:
        expected = [("note", str(response.json()["id"]), outcome)]
    elif method == "POST":
        expected = [("case", case_id, outcome)]
    else:
        expected = [("note", str(call.path["note_id"]), outcome)]
    if seen != expected:
        problems.append(f"audit events {seen}, expected exactly {expected}")
    if any(str(e["case_id"]) != case_id for e in added):
        problems.append(f"audit events not filed under case {case_id}")
    return problems


def object_parameter(route: Route, persona: str, status: int) -> str | None:
    """The path parameter a refusal must not tell apart from one naming nothing.

    404: whatever was "not found" (the case itself for people who may not know it exists).
    403 on a case's note or report: the note or report (a refusal must not depend on it).
    """
    names = re.findall(r"{(\w+)}", route[1])
    if "case_id" in names and persona in HIDDEN_FROM_CASE:
        return "case_id"
    if status == 404:
        return names[-1] if names else None
    if status == 403 and names[:1] == ["case_id"] and names[-1] != "case_id":
        return names[-1]
    return None


async def reveal_problems(
    w: World, route: Route, call: Call, persona: str, response: Response
) -> list[str]:
    """A refusal must read exactly as the one for an id that does not exist."""
    name = object_parameter(route, persona, response.status_code)
    if name is None:
        return []
    missing = await send(w, route, call, persona, **{name: MISSING_ID})
    real, fake = response.json(), missing.json()
    as_if_real = fake.get("detail", "").replace(str(MISSING_ID), str(call.path[name]))
    if (missing.status_code, fake.get("title"), as_if_real) != (
        response.status_code,
        real["title"],
        real["detail"],
    ):
        return [
            f"{response.status_code} {real['detail']!r} differs from the answer for a missing"
            f" {name}: {missing.status_code} {fake.get('detail')!r}"
        ]
    return []


async def check_cell(w: World, route: Route, label: str, call: Call, persona: str) -> list[str]:
    """Make one call of the matrix; what went wrong, in words (empty when all is well)."""
    expected = MATRIX[route][label][persona]
    audited = route in NOTE_ROUTES
    before = await last_sequence() if audited else 0
    response = await send(w, route, call, persona)
    added = await events_after(before) if audited else []
    where = f"{route[0]} {route[1]} on {label} as {persona}"
    problems = []
    if response.status_code != expected:
        problems.append(f"got {response.status_code}, expected {expected}: {response.text[:200]}")
    elif audited:
        problems += note_audit_problems(w, route, call, persona, response, added)
    if response.status_code == expected and expected in (403, 404):
        problems += await reveal_problems(w, route, call, persona, response)
    return [f"{where}: {problem}" for problem in problems]


# --- the tests ----------------------------------------------------------------------------


def app_routes(app: Litestar) -> set[Route]:
    """Every (method, path template) the app serves under the API prefix."""
    found: set[Route] = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        if route.path != API_PREFIX and not route.path.startswith(f"{API_PREFIX}/"):
            continue
        path = re.sub(r"{(\w+):[^}]+}", r"{\1}", route.path.removeprefix(API_PREFIX))
        methods = {HttpMethod(method).value for method in route.route_handler_map}
        found |= {(method, path) for method in methods - {"HEAD", "OPTIONS"}}
    return found


def test_every_route_is_in_the_matrix(app: Litestar) -> None:
    served = app_routes(app)
    missing = sorted(served - MATRIX.keys())
    stale = sorted(MATRIX.keys() - served)
    assert not missing and not stale, (
        "The authorisation matrix (tests/cases_api/authorization_matrix.py) must list every API"
        " route and no other.\n"
        f"Routes missing from it (add who may call them): {missing}\n"
        f"Entries for routes the app no longer has (remove them): {stale}"
    )


def test_every_entry_has_every_persona_and_a_way_to_call_it() -> None:
    for route, objects in MATRIX.items():
        assert objects, route
        for label, expect in objects.items():
            assert sorted(expect) == sorted(PERSONAS), (route, label)
            assert all(100 <= status < 600 for status in expect.values()), (route, label)
    assert CALLS.keys() == MATRIX.keys()


@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda route: " ".join(route))
async def test_route(matrix: World, route: Route) -> None:
    specs = await specs_for(matrix, route)
    assert specs.keys() == MATRIX[route].keys()
    problems = []
    for label, expect in MATRIX[route].items():
        for persona in PERSONAS:
            if not _is_allowed_write(route, expect[persona]):
                problems += await check_cell(matrix, route, label, specs[label], persona)
    assert not problems, "\n".join(problems)


ALLOWED_WRITES = [
    (route, label, persona)
    for route, objects in sorted(MATRIX.items())
    for label, expect in objects.items()
    for persona in PERSONAS
    if _is_allowed_write(route, expect[persona])
]


@pytest.mark.parametrize(
    ("route", "label", "persona"),
    ALLOWED_WRITES,
    ids=[f"{' '.join(route)} [{label}] {persona}" for route, label, persona in ALLOWED_WRITES],
)
async def test_allowed_write(matrix: World, route: Route, label: str, persona: str) -> None:
    call = (await specs_for(matrix, route))[label]
    problems = await check_cell(matrix, route, label, call, persona)
    assert not problems, "\n".join(problems)
