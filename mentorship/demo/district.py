"""A deterministic demo district: sites and travel, people, supervisors, mentors, requests.

Everything comes from one seeded random generator, so every fresh database gets the same
district. It is built in one transaction and only once: a database that already has the demo
sites is left alone.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from mentorship.access.roles import Role
from mentorship.accounts.services import email_key
from mentorship.accounts.tables import Account, AccountRole
from mentorship.agreement import services as agreement
from mentorship.assistance.states import ConsentDecision, RequestState, Track, Urgency
from mentorship.assistance.tables import AssistanceRequest, RequestSkill
from mentorship.demo.district_data import (
    DEMO_MENTOR_SKILLS,
    DESCRIPTIONS,
    DOMAIN,
    NEEDS_BY_ROLE,
    SEED,
    TRAINING_PROVIDERS,
)
from mentorship.demo.district_plan import Person, plan_links, plan_people, plan_sites
from mentorship.development.tables import TrainingRecord
from mentorship.district.revisions import SUPERVISION, TRAVEL_GRAPH, bump_revision
from mentorship.district.tables import Employee, JobRole, Site, Skill, TravelLink
from mentorship.lib import clock, db
from mentorship.pool.tables import Mentor, MentorSkill, MentorStatus


@dataclass
class DistrictSummary:
    """What the demo builder created (all zero when the district already existed)."""

    sites: int = 0
    links: int = 0
    people: int = 0
    mentors: int = 0
    applicants: int = 0
    requests: int = 0


async def district_exists() -> bool:
    """True when the demo district was built before."""
    return bool(await Site.exists().where(Site.code == "DO"))


async def build_district(linked_demo_accounts: dict[str, str] | None = None) -> DistrictSummary:
    """Build the demo district once, in one transaction; return what was created.

    `linked_demo_accounts` maps the demo sign-in roles ("supervisor", "mentor", "employee",
    "coordinator") to their emails, so those people get a place in the district too.
    """
    if await district_exists():
        return DistrictSummary()
    rng = random.Random(SEED)
    sites = plan_sites(rng)
    links = plan_links(rng, sites)
    people = plan_people(rng, sites)
    summary = DistrictSummary(sites=len(sites), links=len(links), people=len(people))
    async with db.transaction():
        build = _Build(rng, await agreement.in_force(), clock.now())
        await bump_revision(TRAVEL_GRAPH)
        await bump_revision(SUPERVISION)
        await build.store_sites(sites, links)
        await build.store_people(people)
        staff = [p for p in people if Role.EMPLOYEE in p.roles]
        rng.shuffle(staff)
        mentors, applicants, rest = staff[:60], staff[60:70], staff[70:]
        demo = await _link_demo_accounts(
            linked_demo_accounts or {}, build.ids, people, build.site_ids, build.job_ids, build.now
        )
        await build.store_pool(mentors, applicants, demo.get("mentor"))
        summary.mentors, summary.applicants = len(mentors), len(applicants)
        supervisor_of = {p.email: p.supervisor for p in people}
        summary.requests = await build.store_requests(rest[:80], supervisor_of)
        if "employee" in demo and "supervisor" in demo:
            summary.requests += await build.store_demo_referrals(
                demo["employee"], demo["supervisor"]
            )
    return summary


@dataclass
class _Build:
    """One build of the district: the generator, the terms, and the ids stored so far."""

    rng: random.Random
    in_force: agreement.InForce
    now: datetime
    site_ids: dict[str, int] = field(default_factory=dict)
    job_ids: dict[str, int] = field(default_factory=dict)
    skill_ids: dict[str, int] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)  # account ids by email

    async def store_sites(
        self, sites: list[dict[str, Any]], links: list[tuple[str, str, int]]
    ) -> None:
        """The sites and the travel links between them; the reference data's ids."""
        await Site.insert(*(Site(active=True, **site) for site in sites))
        self.site_ids = {r["code"]: r["id"] for r in await Site.select(Site.id, Site.code)}
        ends = self.site_ids
        await TravelLink.insert(
            *(
                TravelLink(site_a=min(ends[x], ends[y]), site_b=max(ends[x], ends[y]), minutes=m)
                for x, y, m in links
            )
        )
        self.job_ids = {r["code"]: r["id"] for r in await JobRole.select(JobRole.id, JobRole.code)}
        self.skill_ids = {r["name"]: r["id"] for r in await Skill.select(Skill.id, Skill.name)}

    async def store_people(self, people: list[Person]) -> None:
        """Accounts without passwords, their roles, and their profiles."""
        now = self.now
        await Account.insert(
            *(
                Account(
                    email=p.email,
                    email_key=email_key(p.email),
                    display_name=p.name,
                    password_hash=None,
                    active=True,
                    created_at=now,
                )
                for p in people
            )
        )
        self.ids = {
            r["email_key"]: r["id"]
            for r in await Account.select(Account.id, Account.email_key).where(
                Account.email_key.like(f"%@{DOMAIN}")
            )
        }
        ids = self.ids
        await AccountRole.insert(
            *(
                AccountRole(account=ids[p.email], role=role.value, granted_at=now)
                for p in people
                for role in p.roles
            )
        )
        await Employee.insert(
            *(
                Employee(
                    account=ids[p.email],
                    site=self.site_ids[p.site] if p.site else None,
                    job_role=self.job_ids[p.job_role] if p.job_role else None,
                    supervisor=ids[p.supervisor] if p.supervisor else None,
                    languages=json.dumps(p.languages),
                    updated_at=now,
                )
                for p in people
            )
        )

    def training_records(self, account_id: int, *, complete: bool) -> list[TrainingRecord]:
        """Verified training: every required topic when complete, all but two otherwise."""
        terms, rng = self.in_force.terms, self.rng
        topics = terms.required_training.topics
        chosen = topics if complete else rng.sample(topics, k=max(1, len(topics) - 2))
        extra = max(0.0, terms.required_training.total_min_hours - sum(t.min_hours for t in topics))
        oldest = max(31, terms.training_valid_days - 120)  # always still valid
        records = []
        for index, topic in enumerate(chosen):
            hours = topic.min_hours + (extra if complete and index == 0 else 0)
            records.append(
                TrainingRecord(
                    account=account_id,
                    topic=topic.topic,
                    minutes=round(hours * 60),
                    completed_on=self.now.date() - timedelta(days=rng.randint(30, oldest)),
                    provider=rng.choice(TRAINING_PROVIDERS),
                    recorded_at=self.now,
                    verified_at=self.now,
                )
            )
        return records

    async def store_pool(
        self, mentors: list[Person], applicants: list[Person], demo_mentor: int | None
    ) -> None:
        """Approved mentors with complete training, applicants without, and their skills."""
        records: list[TrainingRecord] = []
        for p in mentors:
            records += self.training_records(self.ids[p.email], complete=True)
        if demo_mentor is not None:
            records += self.training_records(demo_mentor, complete=True)
        for p in applicants:
            records += self.training_records(self.ids[p.email], complete=False)
        await TrainingRecord.insert(*records)
        await Mentor.insert(
            *(self.mentor(p, approved=True) for p in mentors),
            *(self.mentor(p, approved=False) for p in applicants),
        )
        if demo_mentor is not None:
            await Mentor.insert(
                Mentor(
                    account=demo_mentor,
                    status=MentorStatus.APPROVED.value,
                    statement="Fifteen years in special education classrooms.",
                    available=True,
                    applied_at=self.now - timedelta(days=300),
                    decided_at=self.now - timedelta(days=280),
                    status_reason="",
                )
            ).on_conflict(action="DO NOTHING")
        await AccountRole.insert(
            *(
                AccountRole(account=self.ids[p.email], role=Role.MENTOR.value, granted_at=self.now)
                for p in mentors
            )
        )
        await MentorSkill.insert(*await self.mentor_skills(mentors + applicants, demo_mentor))

    def mentor(self, p: Person, *, approved: bool) -> Mentor:
        """A pool member: approved months ago, or applied in the last weeks."""
        rng = self.rng
        if not approved:
            return Mentor(
                account=self.ids[p.email],
                status=MentorStatus.APPLIED.value,
                statement="I would like to join the mentor pool this year.",
                available=True,
                applied_at=self.now - timedelta(days=rng.randint(3, 40)),
                status_reason="",
            )
        return Mentor(
            account=self.ids[p.email],
            status=MentorStatus.APPROVED.value,
            statement="I have worked in this role for years and want to give back.",
            available=rng.random() > 0.08,
            applied_at=self.now - timedelta(days=rng.randint(200, 400)),
            decided_at=self.now - timedelta(days=rng.randint(100, 190)),
            status_reason="",
        )

    async def mentor_skills(
        self, members: list[Person], demo_mentor: int | None
    ) -> list[MentorSkill]:
        """Skills for every pool member (the demo mentor's own, unless she has some)."""
        rng, skill_ids = self.rng, self.skill_ids
        mentor_rows = {
            r["account"]: r["id"]
            for r in await Mentor.select(Mentor.id, Mentor.account).where(
                Mentor.account.is_in([self.ids[p.email] for p in members])
            )
        }
        skills = []
        for p in members:
            pool = list(NEEDS_BY_ROLE[p.job_role or "para"]) + rng.sample(sorted(skill_ids), 3)
            chosen = sorted(set(rng.sample(pool, k=min(len(set(pool)), rng.randint(3, 6)))))
            mentor_id = mentor_rows[self.ids[p.email]]
            skills += [
                MentorSkill(mentor=mentor_id, skill=skill_ids[name], level=rng.randint(1, 3))
                for name in chosen
            ]
        if demo_mentor is None:
            return skills
        row = await Mentor.select(Mentor.id).where(Mentor.account == demo_mentor).first()
        if row is not None and not await MentorSkill.exists().where(
            MentorSkill.mentor == row["id"]
        ):
            skills += [
                MentorSkill(mentor=row["id"], skill=skill_ids[name], level=level)
                for name, level in DEMO_MENTOR_SKILLS
            ]
        return skills

    def request(self, p: Person, index: int, filed_by: int) -> AssistanceRequest:
        """The `index`th requester's request: voluntary, or a referral (consented or waiting)."""
        rng, in_force, ids = self.rng, self.in_force, self.ids
        referred = index % 8 in (0, 3, 6)
        awaiting = referred and index % 24 in (0, 3)
        filed = self.now - timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 23))
        state = RequestState.AWAITING_CONSENT if awaiting else RequestState.OPEN
        consented_at = (
            None if not referred or awaiting else filed + timedelta(days=rng.randint(1, 4))
        )
        return AssistanceRequest(
            employee=ids[p.email],
            filed_by=filed_by if referred else ids[p.email],
            track=(Track.REFERRED if referred else Track.VOLUNTARY).value,
            state=state.value,
            urgency=(Urgency.URGENT if rng.random() < 0.15 else Urgency.NORMAL).value,
            preferred_language=p.languages[-1]
            if len(p.languages) > 1 and rng.random() < 0.5
            else None,
            description=rng.choice(DESCRIPTIONS),
            agreement_version=in_force.version,
            filed_at=filed,
            opened_at=(consented_at or filed) if state is RequestState.OPEN else None,
            **_consent(in_force, consented_at),
        )

    async def store_requests(
        self, requesters: list[Person], supervisor_of: dict[str, str | None]
    ) -> int:
        """One request per requester, with the skills it needs; how many."""
        rows, needed = [], []
        for index, p in enumerate(requesters):
            supervisor = supervisor_of[p.email]
            rows.append(self.request(p, index, self.ids[supervisor] if supervisor else 0))
            needs = NEEDS_BY_ROLE[p.job_role or "para"]
            picked = self.rng.sample(needs, k=min(len(needs), self.rng.randint(1, 3)))
            needed.append([(name, self.rng.randint(1, 3)) for name in picked])
        await AssistanceRequest.insert(*rows)
        stored = {
            r["employee"]: r["id"]
            for r in await AssistanceRequest.select(
                AssistanceRequest.id, AssistanceRequest.employee
            ).where(AssistanceRequest.employee.is_in([self.ids[p.email] for p in requesters]))
        }
        await RequestSkill.insert(
            *(
                RequestSkill(
                    request=stored[self.ids[p.email]], skill=self.skill_ids[name], priority=priority
                )
                for p, picked in zip(requesters, needed, strict=True)
                for name, priority in picked
            )
        )
        return len(rows)

    async def store_demo_referrals(self, employee: int, supervisor: int) -> int:
        """The demo employee's two referrals by the demo supervisor; how many.

        An earlier one they consented to: the matching run proposes a mentor for it and the
        demo cases (demo/cases.py) open it, so the employee has a case of their own and the
        supervisor a referral with a status to follow. (A matched request no longer counts
        against the one-request-at-a-time rule.) And a new one waiting for their answer, so
        the consent screen and the supervisor's status view both have something to show.
        """
        filed = self.now - timedelta(days=58)
        consented = filed + timedelta(days=2)
        referral: dict[str, Any] = {
            "employee": employee,
            "filed_by": supervisor,
            "track": Track.REFERRED.value,
            "urgency": Urgency.NORMAL.value,
            "preferred_language": None,
            "agreement_version": self.in_force.version,
        }
        await self.store_referral(
            AssistanceRequest(
                **referral,
                state=RequestState.OPEN.value,
                description="Sam is leading small reading groups for the first time this"
                " year and would value a peer to plan them with.",
                filed_at=filed,
                opened_at=consented,
                **_consent(self.in_force, consented),
            ),
            (("Instructional strategies", 3), ("Fostering student independence", 2)),
        )
        await self.store_referral(
            AssistanceRequest(
                **referral,
                state=RequestState.AWAITING_CONSENT.value,
                description="Sam has asked for ideas on supporting students during"
                " transitions between activities.",
                filed_at=self.now - timedelta(days=2),
            ),
            (("De-escalation", 3), ("Behavior management and discipline", 2)),
        )
        return 2

    async def store_referral(
        self, request: AssistanceRequest, skills: tuple[tuple[str, int], ...]
    ) -> None:
        """One request and the skills it needs, by name and priority."""
        rows = await AssistanceRequest.insert(request).returning(AssistanceRequest.id)
        await RequestSkill.insert(
            *(
                RequestSkill(request=rows[0]["id"], skill=self.skill_ids[name], priority=priority)
                for name, priority in skills
            )
        )


def _consent(in_force: agreement.InForce, consented_at: datetime | None) -> dict[str, Any]:
    """A request's consent columns: the employee's consent at that time, or none."""
    if consented_at is None:
        return dict.fromkeys(
            ("consent_decision", "consent_at", "consent_agreement_version", "consent_wording")
        )
    return {
        "consent_decision": ConsentDecision.CONSENT.value,
        "consent_at": consented_at,
        "consent_agreement_version": in_force.version,
        "consent_wording": in_force.terms.referral_consent_text,
    }


async def _link_demo_accounts(
    linked: dict[str, str],
    ids: dict[str, int],
    people: list[Person],
    site_ids: dict[str, int],
    job_ids: dict[str, int],
    now: Any,
) -> dict[str, int]:
    """Give the demo sign-in accounts a believable place in the district; their ids by role."""
    by_role: dict[str, int] = {}
    for role, email in linked.items():
        row = await Account.select(Account.id).where(Account.email_key == email_key(email)).first()
        if row is not None:
            by_role[role] = row["id"]
    director = next(p for p in people if p.site == "NO-AO")
    placements = {
        "coordinator": ("DO", "office", None),
        "supervisor": ("NO-E1", None, ids[director.email]),
        "mentor": ("RI-SE", "sped_para", None),
        "employee": ("NO-E1", "para", by_role.get("supervisor")),
    }
    for role, account_id in by_role.items():
        site, job, supervisor = placements.get(role, (None, None, None))
        await Employee.insert(
            Employee(
                account=account_id,
                site=site_ids[site] if site else None,
                job_role=job_ids[job] if job else None,
                supervisor=supervisor,
                languages=json.dumps(["English", "Spanish"] if role == "employee" else ["English"]),
                updated_at=now,
            )
        ).on_conflict(action="DO NOTHING")
    return by_role
