"""The cases domain's messages as codes: its refusals (who may do what with a case, states
that do not allow a change, damaged sealed content)."""

from __future__ import annotations

from mentorship.lib.messages import Catalogue

CASES = Catalogue(
    "cases",
    {
        # --- access ---
        "not_found": "case {case_id} was not found",
        "not_allowed": "You may not do this with this case.",
        "mentor_logs_meetings": "Only the case's mentor logs meetings.",
        "mentor_writes_notes": "Only the case's mentor writes progress notes.",
        "read_notes": "You may not read this case's notes.",
        "note_history_author_only": "Only the mentor who wrote a note sees its earlier versions.",
        "mentor_writes_reports": "Only the case's mentor writes status reports.",
        "read_reports": "You may not read this case's reports.",
        "employee_responds": "Only the employee the report is about may respond to it.",
        "mentor_proposes_closure": "Only the case's mentor proposes closing it.",
        "employee_withdraws": "Only the employee may withdraw from their case.",
        "coordinator_manages": "Only a program coordinator manages cases.",
        "who_sees_accesses": "Only the employee and coordinators see who accessed a case.",
        # --- sealed content ---
        "key_damaged": "case {case_id}'s key could not be opened: {problem}",
        "no_content_key": "case {case_id} has no content key",
        "text_damaged": (
            "{object_type} {object_id} could not be opened: its stored text failed the"
            " integrity check. The attempt is recorded in the audit log."
        ),
        "cannot_rotate": (
            "cannot rotate: {problem}; set MENTORSHIP_NOTES_PREVIOUS_KEY to the key it was"
            " wrapped under and run the rotation again (nothing was changed)"
        ),
        # --- lifecycle ---
        "wrong_state": "case {case_id} is {state}: it cannot be {doing}",
        "closing_outcome": "a case closes as one of {choices}; use reassign to change mentors",
        "referred_closed_by_coordinator": (
            "a referred case is closed by the program coordinator: ask them, or your mentor,"
            " to close it"
        ),
        "proposed_outcome": "propose completed, withdrawn or released",
        "same_mentor": "is already this case's mentor",
        "content_destroyed": "case {case_id}'s content was already destroyed by retention",
        # --- meetings ---
        "topic_twice": "lists the same topic twice",
        "no_meetings": "case {case_id} is {state}: meetings are not logged",
        "meeting_in_future": "is in the future: log a meeting once it is held",
        "meeting_before_opening": "is before the case opened ({opened_on})",
        # --- notes ---
        "note_not_found": "note {note_id} was not found",
        "note_author_changes": "Only the mentor who wrote a note changes it.",
        # --- status reports ---
        "reports_for_referred": "status reports are written for referred cases only",
        "case_closed": "case {case_id} is closed",
        "report_not_found": "report {report_id} was not found",
        "already_responded": "you have already responded to this report",
        "response_too_late": (
            "the time to respond to this report has passed; it has been released to the"
            " supervisor as it was"
        ),
        # --- what the case page's forms say at a field ---
        "choose_new_mentor": "Choose the new mentor.",
        "say_why_moved": "Say why the case moves to another mentor.",
        "say_why_paused": "Say why the case is paused.",
        "give_hold_reason": "Give the reason (for example, the matter it is for).",
        # --- notices after a change ---
        "notice.meeting_logged": "Meeting logged: {length}.",
        "notice.note_shared": "Your note is saved and shared with {employee}.",
        "notice.note_private": "Your private note is saved. {employee} cannot see it.",
        "notice.note_updated_shared": "Your note is updated. The employee sees the new text.",
        "notice.note_updated_private": "Your private note is updated. Only you can read it.",
        "notice.report_saved": "Your status report is saved. The employee reads it first and may"
        " respond.",
        "notice.responded": "Thank you: your response is saved with the report.",
        "notice.left": "You have left the program. Your case is closed. You can ask for help"
        " again at any time.",
        "notice.closure_proposed": "Your proposal is sent to the program coordinator, who closes"
        " the case.",
        "notice.paused": "The case is paused.",
        "notice.resumed": "The case is active again.",
        "notice.closed": "The case is closed.",
        "notice.hold_set": "A legal hold is set: the content is kept until it is lifted.",
        "notice.hold_lifted": "The legal hold is lifted.",
        # --- a meeting's length ---
        "length.hours.one": "1 hour",
        "length.hours": "{count} hours",
        "length.minutes": "{count} minutes",
        "length.hours_minutes": "{hours} {minutes}",
        # --- what flags an open case ---
        "flag.mentor_unavailable": "the mentor was suspended, retired or deactivated: reassign"
        " the case",
        "flag.over_max_days": "open {age} days, longer than the agreement's {max_days}: review"
        " whether it should continue",
        "flag.report_due": "a status report is due: {since} was more than {days} days ago",
        "flag.since_report": "the last status report",
        "flag.since_opened": "the case opened",
    },
)
