"""A deterministic synthetic district for the matching benchmark (pure: no database or web).

`generate(requests, mentors, seed)` lays out sites in regions joined by travel links, a
supervision forest (regional directors → site supervisors → lead staff → staff), job roles,
skills and languages, and then picks mentors and open requests from the staff. Everything
comes from one seeded generator, so a size and a seed always give the same district.

`to_problem(district)` turns it into the matcher's `Problem`. Every id there is the item's
position plus one, in the order the benchmark inserts the rows into its database, so the
problem loaded back from the database is the same one up to renumbering.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import networkx as nx

from mentorship.agreement.terms import DEFAULT_TERMS
from mentorship.district.settings import SettingType
from mentorship.district.supervision import build_graph
from mentorship.district.travel import Link, TravelGraph
from mentorship.matching.problem import MentorInput, Problem, RequestInput, Rules

EMAIL_DOMAIN = "bench-district.example.org"

REGION_NAMES = (
    "Northgate",
    "Riverside",
    "Eastfield",
    "Westhill",
    "Southport",
    "Lakeview",
    "Hillcrest",
    "Brookside",
)

JOB_ROLES = ("para", "sped_para", "health_para", "bilingual_para", "office", "library")

# The 22 skills the first migration seeds, in its order, and three more the benchmark adds.
SKILLS = (
    "Child development",
    "Ethical, medical and technical issues",
    "Behavior management and discipline",
    "Developmentally appropriate practices",
    "Instructional strategies",
    "Team building",
    "Confidentiality and ethics",
    "Stress management",
    "Basic computer skills",
    "Data collection",
    "Conflict resolution",
    "Reporting child abuse",
    "First aid",
    "Characteristics of specific disabilities",
    "Suctioning",
    "Intermittent catheterization",
    "Blood-borne pathogens",
    "Specialty care (lifting, back care)",
    "CPR",
    "IEP accommodations vs. modifications",
    "De-escalation",
    "Fostering student independence",
    "Transition planning",
    "Family communication",
    "Assistive technology",
)

# The skills each job role most often needs and offers.
FOCUS = {
    "para": (
        "Instructional strategies",
        "Behavior management and discipline",
        "Fostering student independence",
        "Team building",
        "Conflict resolution",
    ),
    "sped_para": (
        "Characteristics of specific disabilities",
        "De-escalation",
        "IEP accommodations vs. modifications",
        "Data collection",
        "Transition planning",
        "Assistive technology",
    ),
    "health_para": (
        "Suctioning",
        "Intermittent catheterization",
        "Blood-borne pathogens",
        "Specialty care (lifting, back care)",
        "First aid",
        "CPR",
    ),
    "bilingual_para": (
        "Instructional strategies",
        "Developmentally appropriate practices",
        "Family communication",
        "Confidentiality and ethics",
    ),
    "office": (
        "Basic computer skills",
        "Conflict resolution",
        "Stress management",
        "Confidentiality and ethics",
    ),
    "library": ("Basic computer skills", "Instructional strategies", "Team building"),
}

# Site settings in proportion, and which job roles work in each (most common first).
SETTING_SHARES = (
    (SettingType.GENERAL_EDUCATION, 40),
    (SettingType.BILINGUAL_EDUCATION, 10),
    (SettingType.COMPENSATORY_EDUCATION, 10),
    (SettingType.EARLY_CHILDHOOD, 10),
    (SettingType.SPECIAL_EDUCATION, 12),
    (SettingType.COMMUNITY_JOB_SITE, 8),
    (SettingType.OFFICE, 10),
)
ROLES_BY_SETTING = {
    SettingType.GENERAL_EDUCATION: ("para", "para", "sped_para", "office", "library"),
    SettingType.BILINGUAL_EDUCATION: ("bilingual_para", "bilingual_para", "para", "office"),
    SettingType.COMPENSATORY_EDUCATION: ("para", "para", "sped_para", "office"),
    SettingType.EARLY_CHILDHOOD: ("para", "sped_para", "health_para", "office"),
    SettingType.SPECIAL_EDUCATION: ("sped_para", "sped_para", "health_para", "para"),
    SettingType.COMMUNITY_JOB_SITE: ("sped_para", "para", "sped_para"),
    SettingType.OFFICE: ("office", "office", "library"),
}
SECOND_LANGUAGES = ("Spanish",) * 4 + ("Vietnamese", "Somali", "Arabic", "Tagalog", "Hmong")

STAFF_PER_PARTICIPANT = 1.5  # staff on the roster per request or mentor wanted
REGION_RADIUS_KM = 25.0
REGION_SPACING_KM = 60.0


@dataclass(frozen=True)
class Site:
    """A school or work site."""

    code: str
    name: str
    region: str
    setting: SettingType


@dataclass(frozen=True)
class Person:
    """Someone on the roster; `site` and `supervisor` are positions in the district's lists."""

    email: str
    name: str
    site: int
    job_role: str | None
    supervisor: int | None
    languages: tuple[str, ...]
    supervises: bool


@dataclass(frozen=True)
class MentorPlan:
    """An approved mentor: skill position → level 1-3."""

    person: int
    skills: dict[int, int]
    capacity: int
    available: bool
    trained: bool


@dataclass(frozen=True)
class RequestPlan:
    """An open request: skill position → priority 1-3."""

    person: int
    needs: dict[int, int]
    urgent: bool
    referred: bool
    waiting_days: float
    language: str | None


@dataclass(frozen=True)
class District:
    """The whole synthetic district; links are (site, site, minutes) with the lower first."""

    regions: tuple[str, ...]
    sites: list[Site]
    links: list[tuple[int, int, int]]
    people: list[Person]
    mentors: list[MentorPlan]
    requests: list[RequestPlan]


def site_count(requests: int, mentors: int) -> int:
    """40 sites for a small district up to 250 for a large one (about 32 people per site)."""
    return min(250, max(40, round((requests + mentors) / 32)))


def generate(requests: int, mentors: int, seed: int = 2026) -> District:
    """A district with the given numbers of open requests and approved mentors."""
    rng = random.Random(seed)
    sites_wanted = site_count(requests, mentors)
    regions = REGION_NAMES[: min(len(REGION_NAMES), 3 + sites_wanted // 60)]
    sites, places = _sites(rng, regions, sites_wanted)
    links = _links(rng, sites, places)
    staff_wanted = math.ceil(STAFF_PER_PARTICIPANT * (requests + mentors))
    people = _people(rng, regions, sites, staff_wanted)
    staff = [i for i, p in enumerate(people) if p.job_role is not None]
    rng.shuffle(staff)
    # Mentors and requesters come from the staff; about 1 % of requests are a mentor's own.
    overlap = requests // 100
    mentor_people = staff[:mentors]
    request_people = staff[mentors - overlap : mentors - overlap + requests]
    return District(
        regions=regions,
        sites=sites,
        links=links,
        people=people,
        mentors=[_mentor(rng, person, people[person]) for person in mentor_people],
        requests=[_request(rng, person, people[person]) for person in request_people],
    )


def _sites(
    rng: random.Random, regions: tuple[str, ...], count: int
) -> tuple[list[Site], list[tuple[float, float]]]:
    """Sites spread over the regions, each region a disc of scattered sites around a centre;
    the first site of each region is its area office. Returns the sites and their places."""
    settings = [setting for setting, _ in SETTING_SHARES]
    shares = [share for _, share in SETTING_SHARES]
    sites: list[Site] = []
    places: list[tuple[float, float]] = []
    for r, region in enumerate(regions):
        angle = 2 * math.pi * r / len(regions)
        centre = (REGION_SPACING_KM * math.cos(angle), REGION_SPACING_KM * math.sin(angle))
        in_region = count // len(regions) + (1 if r < count % len(regions) else 0)
        for n in range(in_region):
            setting = SettingType.OFFICE if n == 0 else rng.choices(settings, shares)[0]
            name = f"{region} Area Office" if n == 0 else f"{region} {setting.label} site {n}"
            sites.append(Site(f"{region[:2].upper()}-{n:03d}", name, region, setting))
            distance = REGION_RADIUS_KM * math.sqrt(rng.random())
            direction = rng.uniform(0, 2 * math.pi)
            places.append(
                (
                    centre[0] + distance * math.cos(direction),
                    centre[1] + distance * math.sin(direction),
                )
            )
    return sites, places


def _links(
    rng: random.Random, sites: list[Site], places: list[tuple[float, float]]
) -> list[tuple[int, int, int]]:
    """Within a region: a spanning tree plus each site's two nearest neighbours, 5-25 min.
    Between neighbouring regions: their area offices (35-50 min) and their two closest sites
    (20-30 min)."""
    links: dict[tuple[int, int], int] = {}

    def add(a: int, b: int, minutes: int) -> None:
        links[(min(a, b), max(a, b))] = minutes

    def km(a: int, b: int) -> float:
        return math.dist(places[a], places[b])

    def drive(a: int, b: int) -> int:
        return min(25, max(5, round(4 + 0.9 * km(a, b) + rng.uniform(-2, 2))))

    regions = list(dict.fromkeys(site.region for site in sites))
    members = {region: [i for i, s in enumerate(sites) if s.region == region] for region in regions}
    for region in regions:
        here = members[region]
        complete = nx.Graph()
        complete.add_weighted_edges_from(
            (a, b, km(a, b)) for x, a in enumerate(here) for b in here[x + 1 :]
        )
        for a, b in nx.minimum_spanning_edges(complete, data=False):
            add(a, b, drive(a, b))
        for a in here:
            for b in sorted((b for b in here if b != a), key=lambda b: km(a, b))[:2]:
                add(a, b, drive(a, b))
    for r, region in enumerate(regions):
        neighbour = regions[(r + 1) % len(regions)]
        if neighbour == region:
            continue
        add(members[region][0], members[neighbour][0], rng.randint(35, 50))
        a, b = min(
            ((a, b) for a in members[region] for b in members[neighbour]),
            key=lambda pair: km(*pair),
        )
        add(a, b, rng.randint(20, 30))
    return [(a, b, minutes) for (a, b), minutes in sorted(links.items())]


def _people(
    rng: random.Random, regions: tuple[str, ...], sites: list[Site], staff_wanted: int
) -> list[Person]:
    """A director per region (the roots of the supervision forest), one or two supervisors
    per site, and staff under them; about 6 % of the staff lead and supervise others."""
    people: list[Person] = []

    def person(site: int, job_role: str | None, supervisor: int | None, supervises: bool) -> int:
        languages: tuple[str, ...] = ("English",)
        if job_role == "bilingual_para" or rng.random() < 0.22:
            languages += (rng.choice(SECOND_LANGUAGES),)
        index = len(people)
        people.append(
            Person(
                email=f"person{index:05d}@{EMAIL_DOMAIN}",
                name=f"Person {index}",
                site=site,
                job_role=job_role,
                supervisor=supervisor,
                languages=languages,
                supervises=supervises,
            )
        )
        return index

    size = [rng.uniform(0.5, 1.5) for _ in sites]
    per_size = staff_wanted / sum(size)
    directors = {
        region: person(next(i for i, s in enumerate(sites) if s.region == region), None, None, True)
        for region in regions
    }
    for index, site in enumerate(sites):
        managers = [person(index, None, directors[site.region], True)]
        staff = max(1, round(size[index] * per_size))
        if staff > 30:
            managers.append(person(index, None, managers[0], True))
        roles = ROLES_BY_SETTING[site.setting]
        leads = [
            person(index, rng.choice(roles), rng.choice(managers), True)
            for _ in range(round(staff * 0.06))
        ]
        for _ in range(staff - len(leads)):
            boss = rng.choice(leads) if leads and rng.random() < 0.7 else rng.choice(managers)
            person(index, rng.choice(roles), boss, False)
    return people


def _mentor(rng: random.Random, index: int, person: Person) -> MentorPlan:
    """3-8 skills, about half from the job role's focus; capacity 1-3; a few not usable."""
    wanted = rng.randint(3, 8)
    focus = FOCUS[person.job_role or "para"]
    chosen = {SKILLS.index(name) for name in rng.sample(focus, k=min(len(focus), wanted // 2 + 1))}
    while len(chosen) < wanted:
        chosen.add(rng.randrange(len(SKILLS)))
    return MentorPlan(
        person=index,
        # Sorted: a set's order must not decide which skill draws which level.
        skills={skill: rng.choices((1, 2, 3), (30, 40, 30))[0] for skill in sorted(chosen)},
        capacity=rng.choices((1, 2, 3), (25, 40, 35))[0],
        available=rng.random() > 0.04,
        trained=rng.random() > 0.03,
    )


def _request(rng: random.Random, index: int, person: Person) -> RequestPlan:
    """1-4 needed skills, mostly from the job role's focus; 10 % urgent, 20 % referred,
    waiting 0-120 days; some ask for the person's second language."""
    wanted = rng.choices((1, 2, 3, 4), (30, 35, 25, 10))[0]
    focus = FOCUS[person.job_role or "para"]
    needs: dict[int, int] = {}
    while len(needs) < wanted:
        name = rng.choice(focus) if rng.random() < 0.8 else rng.choice(SKILLS)
        needs[SKILLS.index(name)] = rng.randint(1, 3)
    second = person.languages[1] if len(person.languages) > 1 else None
    return RequestPlan(
        person=index,
        needs=needs,
        urgent=rng.random() < 0.10,
        referred=rng.random() < 0.20,
        waiting_days=rng.uniform(0, 120),
        language=second if second and rng.random() < 0.4 else None,
    )


def to_problem(district: District) -> Problem:
    """The matcher's input under the default agreement terms (ids = position + 1)."""
    people = district.people
    travel = TravelGraph.build(
        range(1, len(district.sites) + 1),
        [Link(a + 1, b + 1, minutes) for a, b, minutes in district.links],
    )
    supervision = build_graph(
        {i + 1: None if p.supervisor is None else p.supervisor + 1 for i, p in enumerate(people)}
    )

    def role_id(person: Person) -> int | None:
        return None if person.job_role is None else JOB_ROLES.index(person.job_role) + 1

    requests = [
        RequestInput(
            id=i + 1,
            employee_id=r.person + 1,
            site_id=people[r.person].site + 1,
            job_role_id=role_id(people[r.person]),
            language=r.language,
            urgent=r.urgent,
            waiting_days=r.waiting_days,
            referred=r.referred,
            needs={skill + 1: priority for skill, priority in r.needs.items()},
        )
        for i, r in enumerate(district.requests)
    ]
    mentors = [
        MentorInput(
            id=m.person + 1,
            site_id=people[m.person].site + 1,
            job_role_id=role_id(people[m.person]),
            languages=frozenset(people[m.person].languages),
            skills={skill + 1: level for skill, level in m.skills.items()},
            capacity=m.capacity,
            load=0,
            available=m.available,
            training_current=m.trained,
        )
        for m in district.mentors
    ]
    terms = DEFAULT_TERMS
    return Problem(
        requests=requests,
        mentors=mentors,
        travel=travel,
        supervision=supervision,
        rules=Rules.from_terms(terms),
        skill_names={i + 1: name for i, name in enumerate(SKILLS)},
    )
