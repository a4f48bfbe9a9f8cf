"""Meetings, and the professional-development hours they add to both people's records."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from mentorship.audit import services as audit
from mentorship.cases.access import Access, Actor, authorize, guarded, reading, record, record_read
from mentorship.cases.policy import Action
from mentorship.cases.schemas import HoursRecord, MeetingCreate, MeetingRead, TopicHours, TopicRead
from mentorship.cases.states import CaseState, MeetingMode
from mentorship.cases.tables import Meeting, MeetingTopic
from mentorship.district import services as district
from mentorship.lib import clock
from mentorship.lib.errors import Conflict, ValidationFailed
from mentorship.pool import services as pool

GENERAL_TOPIC = "General mentoring"  # a meeting logged without topics


async def _topic_names(meeting_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
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
        raise ValidationFailed({"topic_ids": "lists the same topic twice"})

    async def work() -> int:
        access = await authorize(case_id, actor, Action.LOG_MEETING, purpose="log a meeting")
        if access.case["state"] != CaseState.ACTIVE.value:
            raise Conflict(f"case {case_id} is {access.case['state']}: meetings are not logged")
        today = clock.now().date()
        opened = access.case["opened_at"].date()
        if data.held_on > today:
            raise ValidationFailed({"held_on": "is in the future: log a meeting once it is held"})
        if data.held_on < opened:
            raise ValidationFailed({"held_on": f"is before the case opened ({opened.isoformat()})"})
        await district.require_active_skills(topic_ids, "topic_ids")
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
    return _read(row, (await _topic_names([meeting_id]))[meeting_id])


async def meetings_of(access: Access) -> list[MeetingRead]:
    """The case's meetings, newest first, for someone allowed to view the case (audited)."""
    await record_read(access, "read", purpose="view meetings", object_type="meetings")
    rows = (
        await Meeting.select(*_COLUMNS)
        .where(Meeting.case == access.case_id)
        .order_by(Meeting.held_on, ascending=False)
        .order_by(Meeting.id, ascending=False)
    )
    topics = await _topic_names([row["id"] for row in rows])
    return [_read(row, topics.get(row["id"], [])) for row in rows]


async def list_meetings(case_id: int, actor: Actor) -> list[MeetingRead]:
    """The case's meetings, newest first (mentee, current mentor, coordinator)."""

    async def work() -> list[MeetingRead]:
        access = await authorize(case_id, actor, Action.VIEW, purpose="view meetings")
        return await meetings_of(access)

    return await reading(work)


# --- professional-development hours -------------------------------------------------------


def _split(minutes: int, topics: list[tuple[int, str]]) -> list[tuple[str, float]]:
    """A meeting's minutes shared evenly across its topics (all to "General" without any)."""
    if not topics:
        return [(GENERAL_TOPIC, float(minutes))]
    share = minutes / len(topics)
    return [(name, share) for _, name in topics]


def _by_topic(minutes_by_topic: dict[str, float]) -> list[TopicHours]:
    return [
        TopicHours(topic=topic, hours=round(minutes / 60, 2))
        for topic, minutes in sorted(minutes_by_topic.items())
    ]


async def _meeting_minutes(account_id: int) -> tuple[dict[str, float], dict[str, float]]:
    """Minutes by topic as mentee and as mentor."""
    rows = await Meeting.select(
        Meeting.id, Meeting.minutes, Meeting.mentor, Meeting.employee
    ).where((Meeting.employee == account_id) | (Meeting.mentor == account_id))
    topics = await _topic_names([row["id"] for row in rows])
    as_mentee: dict[str, float] = defaultdict(float)
    as_mentor: dict[str, float] = defaultdict(float)
    for row in rows:
        for topic, minutes in _split(row["minutes"], topics.get(row["id"], [])):
            if row["employee"] == account_id:
                as_mentee[topic] += minutes
            if row["mentor"] == account_id:
                as_mentor[topic] += minutes
    return as_mentee, as_mentor


async def hours_record(account_id: int) -> HoursRecord:
    """A person's PD record: verified training hours and meeting hours, by topic.

    Meeting hours carry no case detail: topic and minutes only, so the record can be shown
    to the person, their coordinator or printed for a transcript.
    """
    training = await pool.development_record(account_id)
    as_mentee, as_mentor = await _meeting_minutes(account_id)
    return HoursRecord(
        account_id=account_id,
        display_name=training.display_name,
        training=[TopicHours(topic=t.topic, hours=t.hours) for t in training.training],
        mentored=_by_topic(as_mentee),
        mentoring=_by_topic(as_mentor),
        training_hours=training.training_total_hours,
        mentored_hours=round(sum(as_mentee.values()) / 60, 2),
        mentoring_hours=round(sum(as_mentor.values()) / 60, 2),
    )


TRANSCRIPT_HEADER = ["person", "kind", "topic", "hours"]


def transcript_csv(record: HoursRecord) -> str:
    """The PD record as CSV: one row per kind of hours and topic, then the totals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TRANSCRIPT_HEADER)
    sections = (
        ("training", record.training, record.training_hours),
        ("mentoring received", record.mentored, record.mentored_hours),
        ("mentoring given", record.mentoring, record.mentoring_hours),
    )
    for kind, topics, total in sections:
        for topic in topics:
            writer.writerow([record.display_name, kind, topic.topic, f"{topic.hours:.2f}"])
        writer.writerow([record.display_name, kind, "total", f"{total:.2f}"])
    return out.getvalue()


async def export_transcript(
    account_id: int, actor_id: int | None, actor_role: str, purpose: str
) -> str:
    """A person's transcript as CSV, recorded in the audit log as an export."""
    text = transcript_csv(await hours_record(account_id))
    await audit.record(
        action="export",
        object_type="pd_record",
        object_id=account_id,
        actor_id=actor_id,
        actor_role=actor_role,
        purpose=purpose,
    )
    return text
