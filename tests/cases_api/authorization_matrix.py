"""The authorisation matrix: every API route, for every persona, the HTTP status it must get.

Kept as data so a reviewer can read who may do what in one place, and so a new route cannot
be added without deciding who may call it (`test_authorization_matrix` fails on any route of
the app missing here, and on any entry here the app no longer has).

Routes are written without the `/api/v1` prefix and without path-parameter types. Each route
maps the object it is called on (a label; the test says how it is built) to the status each
persona gets. The personas, and how they stand to the objects:

- `anonymous`: nobody signed in (but carrying a valid CSRF token, so the route's access rule
  answers rather than the CSRF check);
- `admin`: district IT (admin and employee roles), no relation to any case;
- `coordinator`: the program coordinator (coordinator and employee roles);
- `mentee`: the employee of the referred case;
- `mentor`: the current mentor of the referred (and the voluntary) case;
- `former_mentor`: a mentor who took the referred case over for a while, wrote a private
  note on it, and was reassigned off it;
- `referrer`: the supervisor who referred the mentee (supervisor and employee roles);
- `other_employee`: an employee with no relation to anything;
- `other_mentor`: an approved mentor with no case.

For case routes the object is the referred case (and its notes and report); for other
routes the relationship is the persona's roles, and the object is the one named.

Statuses use the per-column defaults of the helpers below: 401 for `anonymous` on every route
that needs a sign-in; 403 for a signed-in persona a role rule refuses; and on case routes 403
for those who can see the case (mentee, mentor, coordinator) but may not do this, 404 for
everyone who must not learn that the case exists (their 404 must read exactly like the one
for a case id that does not exist).

Beyond the status, the test checks that every refusal reads exactly like the answer for an
id that does not exist (a 404, and a 403 on a case's note or report), and that every signed-in
call of a route in `NOTE_ROUTES` leaves exactly one audit event naming the note (an allowed
list: one per note it returned).
"""

from __future__ import annotations

from typing import Final

Route = tuple[str, str]  # (method, path template without the API prefix)
Expect = dict[str, int]  # persona → HTTP status

API_PREFIX: Final = "/api/v1"

PERSONAS: Final = (
    "anonymous",
    "admin",
    "coordinator",
    "mentee",
    "mentor",
    "former_mentor",
    "referrer",
    "other_employee",
    "other_mentor",
)
SIGNED_IN: Final = PERSONAS[1:]

# Who may know the referred case exists (policy.hides_case): refused with 403, not 404.
SEES_CASE: Final = frozenset({"coordinator", "mentee", "mentor"})
HIDDEN_FROM_CASE: Final = frozenset(SIGNED_IN) - SEES_CASE


def public(status: int) -> Expect:
    """A route anyone may call, signed in or not."""
    return dict.fromkeys(PERSONAS, status)


def signed_in(status: int, **exceptions: int) -> Expect:
    """A route everyone signed in reaches; `exceptions` for personas answered otherwise."""
    return {**public(status), "anonymous": 401, **exceptions}


def only(**allowed: int) -> Expect:
    """A role rule: the named personas get their status, the other signed-in ones 403."""
    return signed_in(403, **allowed)


def case(**allowed: int) -> Expect:
    """A case rule: the named personas get their status; other people who can see the case
    403, everyone else 404 (as if the case did not exist)."""
    refused = {p: 403 if p in SEES_CASE else 404 for p in SIGNED_IN}
    return {"anonymous": 401, **refused, **allowed}


# Object labels used more than once.
REFERRED_CASE = "the referred case"
PRIVATE_NOTE = "the mentor's private note"
SHARED_NOTE = "the mentor's shared note"
FORMER_NOTE = "the former mentor's private note"

MATRIX: Final[dict[Route, dict[str, Expect]]] = {
    # --- sign-in ------------------------------------------------------------------------
    # Public by design: everyone signs in with their own credentials (anonymous with the
    # other employee's), and signing out never needs a session.
    ("POST", "/auth/login"): {"own credentials": public(200)},
    ("POST", "/auth/logout"): {"own session": public(204)},
    ("GET", "/me"): {"self": signed_in(200)},
    # --- accounts: district IT only (PRODUCT §2, admin) -----------------------------------
    ("GET", "/accounts"): {"all accounts": only(admin=200)},
    ("POST", "/accounts"): {"a new account": only(admin=201)},
    ("GET", "/accounts/{account_id}"): {"the other employee": only(admin=200)},
    ("PATCH", "/accounts/{account_id}"): {"the other employee": only(admin=200)},
    ("POST", "/accounts/{account_id}/deactivate"): {"the other employee": only(admin=200)},
    ("POST", "/accounts/{account_id}/reactivate"): {"an applicant, deactivated": only(admin=200)},
    ("PUT", "/accounts/{account_id}/password"): {"the other employee": only(admin=204)},
    ("PUT", "/accounts/{account_id}/roles/{role}"): {
        "the other employee, supervisor role": only(admin=200)
    },
    ("DELETE", "/accounts/{account_id}/roles/{role}"): {
        "the other mentor, mentor role": only(admin=200)
    },
    # --- reference data: everyone signed in reads, admins change --------------------------
    ("GET", "/sites"): {"all sites": signed_in(200)},
    ("POST", "/sites"): {"a new site": only(admin=201)},
    ("GET", "/sites/{site_id}"): {"north site": signed_in(200)},
    ("PATCH", "/sites/{site_id}"): {"north site": only(admin=200)},
    ("GET", "/sites/links"): {"all links": signed_in(200)},
    ("PUT", "/sites/{site_id}/links/{other_id}"): {"north-east link": only(admin=200)},
    ("DELETE", "/sites/{site_id}/links/{other_id}"): {"north-south link": only(admin=204)},
    ("GET", "/sites/{site_id}/travel/{other_id}"): {"north to east": signed_in(200)},
    ("GET", "/job-roles"): {"all job roles": signed_in(200)},
    ("POST", "/job-roles"): {"a new job role": only(admin=201)},
    ("PATCH", "/job-roles/{job_role_id}"): {"paraeducator": only(admin=200)},
    ("GET", "/skills"): {"all skills": signed_in(200)},
    ("POST", "/skills"): {"a new skill": only(admin=201)},
    ("PATCH", "/skills/{skill_id}"): {"de-escalation": only(admin=200)},
    # --- employee profiles: admins keep them, coordinators read them for matching ----------
    ("GET", "/employees/{account_id}"): {"the other employee": only(admin=200, coordinator=200)},
    ("PATCH", "/employees/{account_id}"): {"the other employee": only(admin=200)},
    ("GET", "/me/profile"): {"self": signed_in(200)},
    # --- notices: each person's own; someone else's notice reads as one that does not exist
    ("GET", "/me/notifications"): {"self": signed_in(200)},
    ("POST", "/me/notifications/{notice_id}/read"): {
        "the mentee's notice": {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 404), "mentee": 200}
    },
    ("GET", "/me/notification-preferences"): {"self": signed_in(200)},
    ("PUT", "/me/notification-preferences"): {"self": signed_in(200)},
    # Only supervisors have a supervision chain to refer from.
    ("GET", "/me/supervisees"): {"self": only(referrer=200)},
    ("POST", "/roster/import"): {"a one-person roster": only(admin=200)},
    ("GET", "/roster/export"): {"the roster": only(admin=200)},
    # --- the agreement: everyone signed in reads every version; admins publish -----------
    ("GET", "/agreement"): {"in force": signed_in(200)},
    ("GET", "/agreement/versions"): {"history": signed_in(200)},
    ("GET", "/agreement/versions/{version}"): {"version 1": signed_in(200)},
    ("POST", "/agreement/versions"): {"a new version": only(admin=201)},
    # --- the mentor pool: coordinators manage it; every employee may apply ---------------
    # Everyone signed in holds the employee role, so everyone may apply; people already in
    # the pool are told so (409). Standing: 404 for people who never applied.
    ("POST", "/mentor-pool/applications"): {
        "own application": signed_in(201, mentor=409, former_mentor=409, other_mentor=409)
    },
    ("GET", "/mentor-pool/mine"): {
        "own standing": signed_in(404, mentor=200, former_mentor=200, other_mentor=200)
    },
    ("PATCH", "/mentor-pool/mine"): {
        "own availability": only(mentor=200, former_mentor=200, other_mentor=200)
    },
    ("GET", "/mentor-pool"): {"the pool": only(coordinator=200)},
    ("GET", "/mentor-pool/{account_id}"): {"the mentor": only(coordinator=200)},
    ("POST", "/mentor-pool/{account_id}/approve"): {"a trained applicant": only(coordinator=200)},
    ("POST", "/mentor-pool/{account_id}/decline"): {"a trained applicant": only(coordinator=200)},
    ("POST", "/mentor-pool/{account_id}/suspend"): {"the other mentor": only(coordinator=200)},
    ("POST", "/mentor-pool/{account_id}/reinstate"): {
        "the other mentor, suspended": only(coordinator=200)
    },
    ("POST", "/mentor-pool/{account_id}/retire"): {"the other mentor": only(coordinator=200)},
    ("PUT", "/mentor-pool/{account_id}/capacity"): {"the other mentor": only(coordinator=200)},
    ("PUT", "/mentor-pool/{account_id}/availability"): {"the other mentor": only(coordinator=200)},
    # Anyone records their own training; only a coordinator verifies or removes records.
    ("POST", "/training-records"): {"own training": signed_in(201)},
    ("POST", "/training-records/{record_id}/verify"): {
        "the other employee's own record": only(coordinator=200)
    },
    ("DELETE", "/training-records/{record_id}"): {
        "the other employee's own record": only(coordinator=204)
    },
    ("GET", "/development-records/mine"): {"self": signed_in(200)},
    ("GET", "/development-records/{account_id}"): {"the mentee": only(coordinator=200)},
    # --- requests: the employee's own, whole only for them and coordinators --------------
    ("POST", "/requests"): {"own self-request": signed_in(201)},
    ("GET", "/requests/mine"): {"self": signed_in(200)},
    ("GET", "/requests/queue"): {"the queue": only(coordinator=200)},
    # The referrer follows the request as a referral (status only), never the whole request;
    # the mentor sees the case, not the request behind it.
    ("GET", "/requests/{request_id}"): {
        "the referred case's request": signed_in(404, mentee=200, coordinator=200)
    },
    # Only the referred employee answers; nobody else learns the referral exists.
    ("POST", "/requests/{request_id}/consent"): {
        "a referral awaiting consent": signed_in(404, mentee=200)
    },
    # Before consent the filer may take a referral back, and the employee may always.
    ("POST", "/requests/{request_id}/withdraw"): {
        "a referral awaiting consent": signed_in(404, mentee=200, referrer=200)
    },
    # The proposed mentor of the mentee's own new request: for the mentee alone.
    ("GET", "/requests/{request_id}/proposal"): {
        "the mentee's request with a proposal": signed_in(404, mentee=200)
    },
    ("POST", "/requests/{request_id}/proposal/decline"): {
        "the mentee's request with a proposal": signed_in(404, mentee=204)
    },
    # --- referrals: supervisors only, and only their own (status, never content) ---------
    ("POST", "/referrals"): {"a referral of the mentee": only(referrer=201)},
    ("GET", "/referrals"): {"own referrals": only(referrer=200)},
    ("GET", "/referrals/{request_id}"): {"the referred case's request": only(referrer=200)},
    # --- matching: program coordinators only ---------------------------------------------
    ("GET", "/matching/weights"): {"defaults": only(coordinator=200)},
    ("POST", "/matching/runs"): {"a new run": only(coordinator=201)},
    ("GET", "/matching/runs"): {"recent runs": only(coordinator=200)},
    ("GET", "/matching/runs/latest"): {"the latest run": only(coordinator=200)},
    ("GET", "/matching/runs/{run_id}"): {"the run that opened the cases": only(coordinator=200)},
    ("POST", "/matching/runs/{run_id}/approve-all"): {
        "a run with a pending proposal": only(coordinator=200)
    },
    ("GET", "/matching/proposals/{proposal_id}"): {
        "the referred case's proposal": only(coordinator=200)
    },
    ("POST", "/matching/proposals/{proposal_id}/approve"): {
        "a pending proposal": only(coordinator=200)
    },
    ("POST", "/matching/proposals/{proposal_id}/reject"): {
        "a pending proposal": only(coordinator=200)
    },
    ("POST", "/matching/proposals/{proposal_id}/override"): {
        "a pending proposal": only(coordinator=200)
    },
    ("POST", "/matching/requests/{request_id}/assign"): {"an open request": only(coordinator=200)},
    # --- cases: PRODUCT §2 and §6, decided by mentorship.cases.policy --------------------
    ("GET", "/cases"): {"every case": only(coordinator=200)},
    ("GET", "/cases/mine"): {"self": signed_in(200)},
    # The record (people, state, dates, counts): its mentee, current mentor, coordinator.
    # The referrer follows it through /referrals/{id}, status only.
    ("GET", "/cases/{case_id}"): {REFERRED_CASE: case(mentee=200, mentor=200, coordinator=200)},
    ("GET", "/cases/{case_id}/mentors"): {
        REFERRED_CASE: case(mentee=200, mentor=200, coordinator=200)
    },
    # Who accessed the case: the employee it is about, and coordinators (PRODUCT §7).
    ("GET", "/cases/{case_id}/accesses"): {REFERRED_CASE: case(mentee=200, coordinator=200)},
    # Managing a case is the coordinator's.
    ("POST", "/cases/{case_id}/pause"): {REFERRED_CASE: case(coordinator=200)},
    ("POST", "/cases/{case_id}/resume"): {"the referred case, paused": case(coordinator=200)},
    ("POST", "/cases/{case_id}/close"): {REFERRED_CASE: case(coordinator=200)},
    ("POST", "/cases/{case_id}/reassign"): {REFERRED_CASE: case(coordinator=200)},
    ("POST", "/cases/{case_id}/legal-hold"): {REFERRED_CASE: case(coordinator=200)},
    # Only the mentee withdraws, and only from a voluntary case: on the referred case the
    # mentee passes the access check and meets 409 (the 200 is in test_case_flow).
    ("POST", "/cases/{case_id}/withdraw"): {REFERRED_CASE: case(mentee=409)},
    ("POST", "/cases/{case_id}/closure-proposal"): {REFERRED_CASE: case(mentor=200)},
    ("GET", "/cases/{case_id}/meetings"): {
        REFERRED_CASE: case(mentee=200, mentor=200, coordinator=200)
    },
    ("POST", "/cases/{case_id}/meetings"): {REFERRED_CASE: case(mentor=201)},
    # Notes: the mentor writes; the mentor reads their own private and the shared notes, the
    # mentee the shared ones; the coordinator never (coordinator_reads_notes is false).
    ("GET", "/cases/{case_id}/notes"): {REFERRED_CASE: case(mentee=200, mentor=200)},
    ("POST", "/cases/{case_id}/notes"): {REFERRED_CASE: case(mentor=201)},
    # A note the reader may not read is "not found", like a note that does not exist; a
    # new mentor does not inherit the former mentor's private notes.
    ("GET", "/cases/{case_id}/notes/{note_id}"): {
        PRIVATE_NOTE: case(mentor=200, mentee=404),
        SHARED_NOTE: case(mentor=200, mentee=200),
        FORMER_NOTE: case(mentor=404, mentee=404),
    },
    # Only the mentor who wrote a note changes it (the access check comes before the note).
    ("PUT", "/cases/{case_id}/notes/{note_id}"): {
        PRIVATE_NOTE: case(mentor=200),
        SHARED_NOTE: case(mentor=200),
        FORMER_NOTE: case(mentor=404),
    },
    # Earlier versions: only the author (a coordinator only where the agreement says).
    ("GET", "/cases/{case_id}/notes/{note_id}/versions"): {
        PRIVATE_NOTE: case(mentor=200),
        SHARED_NOTE: case(mentor=200),
        FORMER_NOTE: case(mentor=404),
    },
    # Reports: the mentor writes, the mentee reads first and responds; the coordinator sees
    # dates and statuses (no text); the referrer gets released statuses via /referrals.
    ("GET", "/cases/{case_id}/reports"): {
        REFERRED_CASE: case(mentee=200, mentor=200, coordinator=200)
    },
    ("POST", "/cases/{case_id}/reports"): {REFERRED_CASE: case(mentor=201)},
    ("POST", "/cases/{case_id}/reports/{report_id}/response"): {
        "the mentor's report, unanswered": case(mentee=200)
    },
    # --- professional-development transcripts: one's own, or a coordinator's view -------
    ("GET", "/transcripts/mine"): {"self": signed_in(200)},
    ("GET", "/transcripts/mine/csv"): {"self": signed_in(200)},
    ("GET", "/transcripts/{account_id}"): {"the mentee": only(coordinator=200)},
    ("GET", "/transcripts/{account_id}/csv"): {"the mentee": only(coordinator=200)},
    # --- the audit log: program coordinators (PRODUCT §2) --------------------------------
    ("GET", "/audit/events"): {"all events": only(coordinator=200)},
    ("GET", "/audit/events/csv"): {"all events": only(coordinator=200)},
}

# Routes whose every call must leave audit events naming notes (PRODUCT §6, §7).
NOTE_ROUTES: Final = frozenset(
    {
        ("GET", "/cases/{case_id}/notes"),
        ("POST", "/cases/{case_id}/notes"),
        ("GET", "/cases/{case_id}/notes/{note_id}"),
        ("PUT", "/cases/{case_id}/notes/{note_id}"),
        ("GET", "/cases/{case_id}/notes/{note_id}/versions"),
    }
)
