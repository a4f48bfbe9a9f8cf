"""The demo district: realistic, deterministic, valid under the real rules, built once."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from mentorship.access.roles import Role
from mentorship.accounts.tables import Account
from mentorship.assistance import services as requests
from mentorship.assistance.states import RequestState, Track
from mentorship.demo.district import build_district
from mentorship.demo.district_data import SEED
from mentorship.demo.district_plan import plan_people, plan_sites
from mentorship.district import profiles, supervision
from mentorship.district import sites as district_sites
from mentorship.district.tables import Site
from mentorship.pool import mentors as pool_mentors
from mentorship.pool.tables import MentorStatus
from tests.conftest import create_account


def test_the_plan_is_the_same_every_time():
    first = random.Random(SEED)
    second = random.Random(SEED)
    assert plan_sites(first) == plan_sites(second)
    sites = plan_sites(random.Random(SEED))
    a = plan_people(random.Random(SEED), sites)
    b = plan_people(random.Random(SEED), sites)
    assert [(p.email, p.site, p.supervisor) for p in a] == [
        (p.email, p.site, p.supervisor) for p in b
    ]


@pytest.mark.db
async def test_the_district_is_realistic_and_obeys_the_rules():
    summary = await build_district()
    assert 38 <= summary.sites <= 45
    assert 500 <= summary.people <= 700
    sites = await district_sites.list_sites()
    assert {s.region for s in sites} >= {"Northgate", "Riverside", "Eastfield", "Westhill"}
    assert {s.setting_type.value for s in sites} >= {
        "early_childhood",
        "special_education",
        "community_job_site",
        "bilingual_education",
        "general_education",
    }
    graph = await district_sites.travel_graph()
    hub = next(s for s in sites if s.code == "DO")
    assert all(graph.minutes(hub.id, s.id) is not None for s in sites)

    mapping = await profiles.supervision_map()
    assert supervision.find_cycles(mapping) == []

    mentors = await pool_mentors.list_mentors()
    approved = [m for m in mentors if m.status is MentorStatus.APPROVED]
    applicants = [m for m in mentors if m.status is MentorStatus.APPLIED]
    assert len(approved) == 60
    assert all(m.training.complete for m in approved)
    assert sum(m.matchable for m in approved) >= 50
    assert len(applicants) == 10
    assert not any(m.training.complete for m in applicants)

    queue = await requests.queue([RequestState.OPEN, RequestState.AWAITING_CONSENT])
    assert 70 <= len(queue) <= 90
    kinds = Counter((e.track, e.state) for e in queue)
    assert kinds[(Track.VOLUNTARY, RequestState.OPEN)] > 30
    assert kinds[(Track.REFERRED, RequestState.OPEN)] > 10
    assert kinds[(Track.REFERRED, RequestState.AWAITING_CONSENT)] > 3
    # Every referral was filed by someone in the employee's supervision chain.
    for entry in queue:
        if entry.track is Track.REFERRED:
            row = await requests._row(entry.id)
            assert supervision.supervises(mapping, row["filed_by"], row["employee"])


@pytest.mark.db
async def test_building_again_changes_nothing():
    await build_district()
    people, sites = await Account.count(), await Site.count()
    again = await build_district()
    assert again.people == 0
    assert again.sites == 0
    assert await Account.count() == people
    assert await Site.count() == sites


@pytest.mark.db
async def test_the_demo_sign_ins_get_a_place_in_the_district():
    supervisor = await create_account("supervisor@demo.example.org", Role.SUPERVISOR, Role.EMPLOYEE)
    employee = await create_account("employee@demo.example.org", Role.EMPLOYEE)
    mentor = await create_account("mentor@demo.example.org", Role.MENTOR, Role.EMPLOYEE)
    await build_district(
        {
            "supervisor": "supervisor@demo.example.org",
            "employee": "employee@demo.example.org",
            "mentor": "mentor@demo.example.org",
        }
    )
    profile = await profiles.get_profile(employee.id)
    assert profile.supervisor is not None
    assert profile.supervisor.id == supervisor.id
    assert profile.site is not None
    # A new referral waits for their answer; an earlier one they consented to waits for a
    # mentor (the demo's cases open it: tests/demo/test_cases.py).
    mine = await requests.my_requests(employee.id)
    assert [(r.state, r.track) for r in mine] == [
        (RequestState.AWAITING_CONSENT, Track.REFERRED),
        (RequestState.OPEN, Track.REFERRED),
    ]
    assert mine[1].consent_at is not None
    assert [r.id for r in await requests.my_referrals(supervisor.id)] == [r.id for r in mine]
    standing = await pool_mentors.get_mentor(mentor.id)
    assert standing.matchable
