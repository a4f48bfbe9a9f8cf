"""Meetings: logging them and reading them back (the hours they add to both people's
professional-development records are counted in `mentorship.development`)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from mentorship.cases.access import Access, Actor, authorize, guarded, reading, record, record_read
from mentorship.cases.messages import CASES
from mentorship.cases.policy import Action
from mentorship.cases.schemas import MeetingCreate, MeetingRead, TopicRead
from mentorship.cases.states import CaseState, MeetingMode
from mentorship.cases.tables import Meeting, MeetingTopic
from mentorship.district import job_roles_and_skills
from mentorship.lib import clock, db
from mentorship.lib.errors import Conflict, ValidationFailed


async def topic_names(meeting_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Each meeting's topics (skill id and name), by meeting id."""
    topics: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if not meeting_ids:
        return topics
    rows = await MeetingTopic.select(
        MeetingTopic.meeting, MeetingTopic.skill, MeetingTopic.skill.name.as_alias("name")
    ).where(MeetingTopic.meeting.is_in(meeting_ids))
    for row in rows:
        topics[row["meeting"]].append((row["skill"], row["name"]))
    for listed in topics.values():
        listed.sort(key=lambda topic: topic[1])
    return topics


def _read(row: dict[str, Any], topics: list[tuple[int, str]]) -> MeetingRead:
    return MeetingRead(
        id=row["id"],
        case_id=row["case"],
        held_on=row["held_on"],
        minutes=row["minutes"],
        mode=MeetingMode(row["mode"]),
        topics=[TopicRead(skill_id=skill, name=name) for skill, name in topics],
        mentor_id=row["mentor"],
        mentor_name=row["mentor_name"],
        recorded_at=row["recorded_at"],
    )


_COLUMNS = (*Meeting.all_columns(), Meeting.mentor.display_name.as_alias("mentor_name"))


async def log_meeting(case_id: int, actor: Actor, data: MeetingCreate) -> MeetingRead:
    """The case's mentor logs a meeting held on an active case."""
    topic_ids = sorted(set(data.topic_ids))
    if len(topic_ids) != len(data.topic_ids):
        raise ValidationFailed({"topic_ids": CASES("topic_twice")})

    async def work() -> int:
        access = await authorize(case_id, actor, Action.LOG_MEETING, purpose="log a meeting")
        if access.case["state"] != CaseState.ACTIVE.value:
            raise Conflict(CASES("no_meetings", case_id=case_id, state=access.case["state"]))
        today = clock.now().date()
        opened = access.case["opened_at"].date()
        if data.held_on > today:
            raise ValidationFailed({"held_on": CASES("meeting_in_future")})
        if data.held_on < opened:
            raise ValidationFailed(
                {"held_on": CASES("meeting_before_opening", opened_on=opened.isoformat())}
            )
        await job_roles_and_skills.require_active_skills(topic_ids, "topic_ids")
        rows = await Meeting.insert(
            Meeting(
                case=case_id,
                mentor=actor.account_id,
                employee=access.case["employee"],
                held_on=data.held_on,
                minutes=data.minutes,
                mode=data.mode.value,
                recorded_at=clock.now(),
            )
        ).returning(Meeting.id)
        meeting_id = int(rows[0]["id"])
        if topic_ids:
            await MeetingTopic.insert(
                *(MeetingTopic(meeting=meeting_id, skill=skill) for skill in topic_ids)
            )
        await record(
            access,
            "create",
            purpose="log a meeting",
            object_type="meeting",
            object_id=meeting_id,
            details={"minutes": data.minutes},
        )
        return meeting_id

    meeting_id = await guarded(work)
    row = await Meeting.select(*_COLUMNS).where(Meeting.id == meeting_id).first()
    assert row is not None
    return _read(row, (await topic_names([meeting_id]))[meeting_id])


# A case's meetings, and all their topics: two statements written once (the case page reads
# them on every view).
_CASE_MEETINGS = db.Prepared(
    lambda: (
        Meeting.select(*_COLUMNS)
        .where(Meeting.case == db.Param(0))
        .order_by(Meeting.held_on, ascending=False)
        .order_by(Meeting.id, ascending=False)
    )
)
_CASE_TOPICS = db.Prepared(
    lambda: MeetingTopic.select(
        MeetingTopic.meeting, MeetingTopic.skill, MeetingTopic.skill.name.as_alias("name")
    ).where(MeetingTopic.meeting.case == db.Param(0))
)


async def meetings_of(access: Access) -> list[MeetingRead]:
    """The case's meetings, newest first, for someone allowed to view the case (audited)."""
    await record_read(access, "read", purpose="view meetings", object_type="meetings")
    rows = await _CASE_MEETINGS.rows(access.case_id)
    topics: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in await _CASE_TOPICS.rows(access.case_id) if rows else []:
        topics[row["meeting"]].append((row["skill"], row["name"]))
    return [_read(row, sorted(topics[row["id"]], key=lambda topic: topic[1])) for row in rows]


async def list_meetings(case_id: int, actor: Actor) -> list[MeetingRead]:
    """The case's meetings, newest first (mentee, current mentor, coordinator)."""

    async def work() -> list[MeetingRead]:
        access = await authorize(case_id, actor, Action.VIEW, purpose="view meetings")
        return await meetings_of(access)

    return await reading(work)


# --- professional-development hours -------------------------------------------------------
