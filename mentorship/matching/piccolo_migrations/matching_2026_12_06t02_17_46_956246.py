"""Explanations and unmatched reasons become coded messages.

The data step reads each stored English sentence back into its code and parameters, from
the sentences `matching/explain.py` wrote until this release (frozen below as they were):
a proposal's parts, its summary and its alternatives' reasons, and an unmatched request's
reason. A sentence that reads back into words other than itself is kept word for word as
`matching.legacy_text`, so nothing is lost. Then the English columns are dropped.
"""

import json
import re

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Serial
from piccolo.table import Table

ID = "2026-12-06T02:17:46:956246"
VERSION = "1.38.0"
DESCRIPTION = "Stored English explanations read back into codes; English columns dropped"


_PRIORITY = (
    "Matching fits in as many requests as it can, urgent and longer-waiting ones first, so"
    " those had fewer options or a higher priority."
)

# The wordings as explain.py wrote them until this release, by the code they now have.
PART_WORDINGS = {
    "skills": {
        "skills.none_asked": "no particular skills asked for",
        "skills.covers_one": "covers the needed skill",
        "skills.covers_one_below_expert": "covers the needed skill, below expert level",
        "skills.covers_all": "covers all {needed} needed skills",
        "skills.covers_all_below_expert": "covers all {needed} needed skills, some below"
        " expert level",
        "skills.misses_one": "does not cover the needed skill ({missing})",
        "skills.covers_some_more": "covers {covered} of {needed} needed skills (not {missing}"
        " and {more} more)",
        "skills.covers_some": "covers {covered} of {needed} needed skills (not {missing})",
    },
    "job_role": {
        "role.unknown": "the employee's job role is not recorded",
        "role.same": "same job role",
        "role.different": "different job role",
    },
    "travel": {
        "travel.none": "same site, no travel",
        "travel.minutes": "{minutes} min travel",
    },
    "language": {
        "language.none": "no language preference",
        "language.works_in": "works in {language}",
        "language.not_in": "does not work in {language}",
    },
    "site": {
        "site.same_preferred": "same site, as the agreement prefers",
        "site.other_preferred": "another site (the agreement prefers the same site)",
    },
    "load": {
        "load.first_case": "the mentor's first case",
        "load.carries": "the mentor already carries {units} of {capacity} capacity",
    },
}

ALTERNATIVE_WORDINGS = {
    "alternative.covers_more": "covers more needed skills ({covered} of {needed})",
    "alternative.covers_fewer": "covers fewer needed skills ({covered} of {needed})",
    "alternative.lower_levels": "lower levels in the needed skills",
    "alternative.higher_levels": "higher levels in the needed skills",
    "alternative.travel": "{minutes} min travel instead of {instead} min",
    "alternative.different_role": "different job role",
    "alternative.same_role": "same job role",
    "alternative.not_language": "does not work in the preferred language",
    "alternative.language": "works in the preferred language",
    "alternative.other_site": "another site",
    "alternative.same_site": "same site",
    "alternative.carries": "already carries {units} capacity",
    "alternative.no_cases": "has no cases yet",
    "alternative.same": "about the same on every count",
    "alternative.fully_used": "all of their free capacity went to other requests in this run",
    "alternative.cheaper_alone": "cheaper for this request alone, but not in the best plan"
    " for all requests together",
}

UNMATCHED_WORDINGS = {
    "unmatched.empty_pool": "There are no mentors in the pool.",
    "unmatched.none_fit_one": "None of the 1 mentor in the pool can take this request:"
    " {excluded}.",
    "unmatched.none_fit": "None of the {mentors} mentors in the pool can take this"
    " request: {excluded}.",
    "unmatched.no_room_one": "1 mentor could take this request, but their remaining"
    " capacity could not hold it beside their other proposals (a referred request counts"
    " more than once).",
    "unmatched.no_room": "{mentors} mentors could take this request, but their remaining"
    " capacity could not hold it beside their other proposals (a referred request counts"
    " more than once).",
    "unmatched.outcompeted_one_more": "1 mentor could take this request, but this run gave"
    " their capacity to other requests ({requests} and {more} more). " + _PRIORITY,
    "unmatched.outcompeted_more": "{mentors} mentors could take this request, but this run"
    " gave their capacity to other requests ({requests} and {more} more). " + _PRIORITY,
    "unmatched.outcompeted_one": "1 mentor could take this request, but this run gave"
    " their capacity to other requests ({requests}). " + _PRIORITY,
    "unmatched.outcompeted": "{mentors} mentors could take this request, but this run gave"
    " their capacity to other requests ({requests}). " + _PRIORITY,
    "unmatched.changed_during_run": "While this run was working, its proposed mentor"
    " stopped being possible for this request (declined, rejected, or no longer taking"
    " cases); it waits for the next run.",
}

EXCLUDED_WORDINGS = {
    "excluded.self.one": "{count} is the employee themself",
    "excluded.self": "{count} are the employee themself",
    "excluded.mentor_unavailable.one": "{count} is not taking cases now (suspended,"
    " unavailable or deactivated)",
    "excluded.mentor_unavailable": "{count} are not taking cases now (suspended,"
    " unavailable or deactivated)",
    "excluded.training.one": "{count} has training that is incomplete or expired",
    "excluded.training": "{count} have training that is incomplete or expired",
    "excluded.capacity.one": "{count} has no free capacity for it",
    "excluded.capacity": "{count} have no free capacity for it",
    "excluded.supervisor_chain.one": "{count} is in the employee's supervisory chain",
    "excluded.supervisor_chain": "{count} are in the employee's supervisory chain",
    "excluded.same_site.one": "{count} works at the employee's site, which the agreement"
    " forbids",
    "excluded.same_site": "{count} work at the employee's site, which the agreement forbids",
    "excluded.travel.one": "{count} is more than {minutes} min away or has no route on the"
    " site graph",
    "excluded.travel": "{count} are more than {minutes} min away or have no route on the"
    " site graph",
    "excluded.rejected.one": "{count} is rejected for this request already",
    "excluded.rejected": "{count} are rejected for this request already",
    "excluded.declined.one": "{count} is barred for this person (declined before)",
    "excluded.declined": "{count} are barred for this person (declined before)",
}

# Parameters that were whole numbers; the others (skill names, a language, request ids
# listed with commas) were text.
NUMBERS = {"needed", "covered", "more", "minutes", "units", "capacity", "instead", "count", "mentors"}
SEPARATOR = "; "


def _pattern(wording):
    """The wording as an anchored regular expression, a named group per placeholder."""
    parts = re.split(r"\{(\w+)\}", wording)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$", re.DOTALL)


def _word(message, wordings):
    """A parsed message back in words, to check it reads as the stored sentence did."""
    params = {
        key: SEPARATOR.join(_word(item, wordings) for item in value)
        if isinstance(value, list)
        else value
        for key, value in message["params"].items()
    }
    return wordings[message["code"].partition(".")[2]].format(**params)


def _legacy(text):
    return {"code": "matching.legacy_text", "params": {"text": text}}


def _parse(text, wordings):
    """The first wording the sentence reads back into exactly, as {code, params}; None."""
    for name, wording in wordings.items():
        found = _pattern(wording).match(text)
        if found is None:
            continue
        params = {
            key: int(value) if key in NUMBERS and value.isdigit() else value
            for key, value in found.groupdict().items()
        }
        if "excluded" in params:
            phrases = [_parse(p, EXCLUDED_WORDINGS) for p in params["excluded"].split(SEPARATOR)]
            if None in phrases:
                continue
            params["excluded"] = phrases
        message = {"code": f"matching.{name}", "params": params}
        if _word(message, {**wordings, **EXCLUDED_WORDINGS}) == text:
            return message
    return None


def coded(text, wordings):
    """A stored sentence as a coded message; kept word for word when it cannot be read."""
    if not isinstance(text, str):
        return text  # already coded
    return _parse(text, wordings) or _legacy(text)


def coded_parts(parts):
    """A proposal's parts with each reason coded (by the part's key)."""
    return [
        {**part, "reason": coded(part["reason"], PART_WORDINGS.get(part["key"], {}))}
        for part in parts
    ]


def coded_summary(summary, parts, coded_reasons):
    """The summary was the parts' reasons joined by '; ': coded as them when it still is."""
    reasons = [part["reason"] for part in parts]
    if all(isinstance(r, str) for r in reasons) and SEPARATOR.join(reasons) == summary:
        return {"code": "matching.summary", "params": {"parts": coded_reasons}}
    return _legacy(summary)


def coded_alternatives(alternatives):
    """Each alternative with its reasons coded."""
    return [
        {**a, "reasons": [coded(reason, ALTERNATIVE_WORDINGS) for reason in a["reasons"]]}
        for a in alternatives
    ]


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


class MatchProposal(Table, tablename="match_proposal", schema=None):
    id = Serial(null=False, primary_key=True)


class UnmatchedRequest(Table, tablename="unmatched_request", schema=None):
    id = Serial(null=False, primary_key=True)


BATCH = 500

# Every wording above by its name, to word a coded message back (a rollback's data step).
WORDINGS = {
    "summary": "{parts}",
    "legacy_text": "{text}",
    **{name: w for wordings in PART_WORDINGS.values() for name, w in wordings.items()},
    **ALTERNATIVE_WORDINGS,
    **UNMATCHED_WORDINGS,
    **EXCLUDED_WORDINGS,
}


def english(message):
    """A coded message back in the English it stood for (text is already English)."""
    if isinstance(message, str):
        return message
    return _word(message, WORDINGS) if message else ""


async def _rewrite(table, columns, update, rewrite):
    """Every row of the table, a batch at a time by id: `rewrite(row)` gives the values
    of the update's placeholders, the row's id last."""
    last = 0
    while True:
        rows = await table.raw(
            f"SELECT id, {columns} FROM {table._meta.tablename} WHERE id > {{}}"
            f" ORDER BY id LIMIT {BATCH}",
            last,
        )
        for row in rows:
            await table.raw(update, *rewrite(row), row["id"])
        if len(rows) < BATCH:
            return
        last = rows[-1]["id"]


def _coded_proposal(row):
    parts = _json(row["parts"]) or []
    new_parts = coded_parts(parts)
    summary = coded_summary(row["summary"], parts, [part["reason"] for part in new_parts])
    alternatives = coded_alternatives(_json(row["alternatives"]) or [])
    return json.dumps(summary), json.dumps(new_parts), json.dumps(alternatives)


def _english_proposal(row):
    parts = [{**part, "reason": english(part["reason"])} for part in _json(row["parts"]) or []]
    alternatives = [
        {**a, "reasons": [english(reason) for reason in a["reasons"]]}
        for a in _json(row["alternatives"]) or []
    ]
    summary = english(_json(row["explanation"]))
    return summary, json.dumps(parts), json.dumps(alternatives)


async def code_proposals():
    """Each proposal's summary, parts and alternatives as coded messages."""
    await _rewrite(
        MatchProposal,
        "summary, parts, alternatives",
        "UPDATE match_proposal SET explanation = {}, parts = {}, alternatives = {} WHERE id = {}",
        _coded_proposal,
    )


async def code_unmatched():
    """Each unmatched request's reason as a coded message."""
    await _rewrite(
        UnmatchedRequest,
        "message",
        "UPDATE unmatched_request SET reason = {} WHERE id = {}",
        lambda row: (json.dumps(coded(row["message"], UNMATCHED_WORDINGS)),),
    )


async def english_proposals():
    """Rolling back: each proposal's explanation in English again, where it was before."""
    await _rewrite(
        MatchProposal,
        "explanation, parts, alternatives",
        "UPDATE match_proposal SET summary = {}, parts = {}, alternatives = {} WHERE id = {}",
        _english_proposal,
    )


async def english_unmatched():
    """Rolling back: each unmatched request's reason in English again."""
    await _rewrite(
        UnmatchedRequest,
        "reason",
        "UPDATE unmatched_request SET message = {} WHERE id = {}",
        lambda row: (english(_json(row["reason"])),),
    )


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="matching", description=DESCRIPTION
    )

    # Raw steps run before the columns are dropped: the English is read, then let go.
    manager.add_raw(code_proposals)
    manager.add_raw(code_unmatched)

    manager.drop_column(
        table_class_name="MatchProposal",
        tablename="match_proposal",
        column_name="summary",
        db_column_name="summary",
        schema=None,
    )

    manager.drop_column(
        table_class_name="UnmatchedRequest",
        tablename="unmatched_request",
        column_name="message",
        db_column_name="message",
        schema=None,
    )

    return manager
