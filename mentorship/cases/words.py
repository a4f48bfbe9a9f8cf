"""How the case pages word what they show: states, outcomes, tracks, meeting modes, report
statuses, flags, relations and who accessed a case."""

from __future__ import annotations

from mentorship.assistance.messages import track_words
from mentorship.cases.schemas import (
    AccessRead,
    CaseRead,
)
from mentorship.cases.states import (
    CaseOutcome,
    CaseState,
    MeetingMode,
    ReportStatus,
)

STATE_WORDS = {CaseState.ACTIVE: "Active", CaseState.PAUSED: "Paused", CaseState.CLOSED: "Closed"}
STATE_TONES = {CaseState.ACTIVE: "ok", CaseState.PAUSED: "warn", CaseState.CLOSED: "neutral"}
OUTCOME_WORDS = {
    CaseOutcome.COMPLETED: "Completed: the goals were met",
    CaseOutcome.WITHDRAWN: "Withdrawn by the employee",
    CaseOutcome.REASSIGNED: "Moved to another mentor",
    CaseOutcome.RELEASED: "Ended by the program",
}
TRACK_WORDS = track_words()
MODE_WORDS = {
    MeetingMode.IN_PERSON: "In person",
    MeetingMode.VIRTUAL: "Video call",
    MeetingMode.PHONE: "Phone call",
}
REPORT_WORDS = {
    ReportStatus.PROGRESSING: "Progressing",
    ReportStatus.NEEDS_MORE_TIME: "Needs more time",
    ReportStatus.NOT_PARTICIPATING: "Not participating",
}
FLAG_WORDS = {
    "report_due": "Status report due",
    "over_max_days": "Open longer than the agreement allows",
    "mentor_unavailable": "Mentor unavailable",
}
RELATION_WORDS = {
    "mentee": "the employee",
    "mentor": "mentor",
    "coordinator": "program coordinator",
    "referrer": "referring supervisor",
    "former_mentor": "former mentor",
    "employee": "the employee",
    "none": "no part in the case",
}
# What an audit event on a case means, in words: (action, object type) → what they did.
ACCESS_WORDS = {
    ("read", "case"): "opened the case",
    ("view", "case"): "tried to open the case",
    ("read", "meetings"): "looked at the meetings",
    ("view", "meetings"): "tried to look at the meetings",
    ("create", "meeting"): "logged a meeting",
    ("read", "note"): "read a note",
    ("read", "notes"): "read the notes",
    ("read_note", "note"): "tried to read a note",
    ("read_note", "notes"): "tried to read the notes",
    ("create", "note"): "wrote a note",
    ("update", "note"): "edited a note",
    ("read_history", "note"): "looked at a note's earlier versions",
    ("read_note_history", "note"): "tried to see a note's earlier versions",
    ("create", "report"): "wrote a status report",
    ("read", "report"): "read a status report",
    ("read", "reports"): "looked at the status reports' dates and statuses",
    ("respond", "report"): "responded to a status report",
    ("respond_to_report", "report"): "tried to respond to a status report",
    ("read", "accesses"): "looked at who accessed the case",
    ("view_accesses", "case"): "tried to see who accessed the case",
    ("read", "case_status"): "checked the case's status (dates and released report statuses)",
    ("pause", "case"): "paused the case",
    ("resume", "case"): "resumed the case",
    ("close", "case"): "closed the case",
    ("reassign", "case"): "gave the case to another mentor",
    ("legal_hold", "case"): "set a legal hold",
    ("lift_legal_hold", "case"): "lifted the legal hold",
    ("propose_closure", "case"): "proposed closing the case",
    ("withdraw", "case"): "tried to withdraw from the case",
    ("manage", "case"): "tried to manage the case",
    ("purge", "case"): "destroyed the case's content after the retention period",
}

# Form field labels, by input name (the error summary and messages use them).


def state_words(case: CaseRead) -> str:
    """The case's state in words (with the outcome once closed)."""
    if case.state is CaseState.CLOSED and case.outcome is not None:
        return f"Closed: {OUTCOME_WORDS[case.outcome].lower()}"
    return STATE_WORDS[case.state]


def access_words(event: AccessRead) -> str:
    """What an audit event says someone did, in plain words."""
    done = ACCESS_WORDS.get((event.action, event.object_type))
    if done is None:
        done = f"{event.action.replace('_', ' ')} ({event.object_type.replace('_', ' ')})"
    if event.outcome == "denied":
        return f"was refused: {done.removeprefix('tried to ')}"
    return done


def minutes_words(minutes: int) -> str:
    """'45 minutes', '1 hour', '1 hour 30 minutes'."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours > 1 else ""))
    if rest or not hours:
        parts.append(f"{rest} minutes")
    return " ".join(parts)


WORDS = {
    "state_words": state_words,
    "access_words": access_words,
    "minutes_words": minutes_words,
    "STATE_WORDS": STATE_WORDS,
    "STATE_TONES": STATE_TONES,
    "OUTCOME_WORDS": OUTCOME_WORDS,
    "TRACK_WORDS": TRACK_WORDS,
    "MODE_WORDS": MODE_WORDS,
    "REPORT_WORDS": REPORT_WORDS,
    "FLAG_WORDS": FLAG_WORDS,
    "RELATION_WORDS": RELATION_WORDS,
}
