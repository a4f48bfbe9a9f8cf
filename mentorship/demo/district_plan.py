"""Planning the demo district from its seed: sites, travel links and people, before storing."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from mentorship.access.roles import Role
from mentorship.demo.district_data import (
    DOMAIN,
    FIRST_NAMES,
    LAST_NAMES,
    PLACE_NAMES,
    REGIONS,
    ROLES_BY_SETTING,
    SECOND_LANGUAGES,
    SITE_PLAN,
)
from mentorship.district.settings import SettingType


@dataclass
class Person:
    """One demo employee or manager before it is stored."""

    email: str
    name: str
    roles: tuple[Role, ...]
    site: str | None = None
    job_role: str | None = None
    supervisor: str | None = None
    languages: list[str] = field(default_factory=lambda: ["English"])


def plan_sites(rng: random.Random) -> list[dict[str, Any]]:
    """About forty sites, ten per region."""
    places = list(PLACE_NAMES)
    rng.shuffle(places)
    sites = []
    for index, region in enumerate(REGIONS):
        a, b, c, d = places[index * 4 : index * 4 + 4]
        for suffix, pattern, setting in SITE_PLAN:
            sites.append(
                {
                    "code": f"{region[:2].upper()}-{suffix}",
                    "name": pattern.format(r=region, a=a, b=b, c=c, d=d),
                    "setting_type": setting.value,
                    "region": region,
                }
            )
    sites.append(
        {
            "code": "DO",
            "name": "District Office",
            "setting_type": SettingType.OFFICE.value,
            "region": "Central",
        }
    )
    return sites


def plan_links(rng: random.Random, sites: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    """Each region a ring of short trips plus a few chords; area offices link the regions."""
    links: dict[tuple[str, str], int] = {}

    def add(x: str, y: str, minutes: int) -> None:
        links[(min(x, y), max(x, y))] = minutes

    for region in REGIONS:
        codes = [s["code"] for s in sites if s["region"] == region]
        for here, there in zip(codes, codes[1:] + codes[:1], strict=True):
            add(here, there, rng.randint(6, 16))
        for _ in range(3):
            here, there = rng.sample(codes, 2)
            add(here, there, rng.randint(8, 20))
    offices = [f"{region[:2].upper()}-AO" for region in REGIONS]
    for office in offices:
        add(office, "DO", rng.randint(15, 25))
    for here, there in zip(offices, offices[1:] + offices[:1], strict=True):
        add(here, there, rng.randint(25, 40))
    return [(x, y, m) for (x, y), m in sorted(links.items())]


class NameMaker:
    """Unique, plausible names and addresses from the seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def make(self) -> tuple[str, str]:
        """A (display name, email) pair not used before."""
        while True:
            first = self.rng.choice(FIRST_NAMES)
            last = self.rng.choice(LAST_NAMES)
            base = f"{first}.{last}".lower()
            email = f"{base}@{DOMAIN}"
            number = 2
            while email in self.used:
                email = f"{base}{number}@{DOMAIN}"
                number += 1
            self.used.add(email)
            return f"{first} {last}", email


def plan_people(rng: random.Random, sites: list[dict[str, Any]]) -> list[Person]:
    """A superintendent's office, regional directors, site supervisors and ~570 staff."""
    names = NameMaker(rng)
    people: list[Person] = []

    def person(
        roles: tuple[Role, ...], site: str, supervisor: str | None, job: str | None
    ) -> Person:
        name, email = names.make()
        languages = ["English"]
        if job == "bilingual_para" or rng.random() < 0.22:
            languages.append(rng.choice(SECOND_LANGUAGES))
        made = Person(email, name, roles, site, job, supervisor, languages)
        people.append(made)
        return made

    chief = person((Role.SUPERVISOR,), "DO", None, None)
    for region in REGIONS:
        director = person((Role.SUPERVISOR,), f"{region[:2].upper()}-AO", chief.email, None)
        for site in (s for s in sites if s["region"] == region):
            setting = SettingType(site["setting_type"])
            managers = [person((Role.SUPERVISOR,), site["code"], director.email, None)]
            if site["code"].endswith(("HS", "SE")):
                managers.append(person((Role.SUPERVISOR,), site["code"], managers[0].email, None))
            staff = 14 if setting is not SettingType.OFFICE else 5
            for _ in range(staff):
                job = rng.choice(ROLES_BY_SETTING[setting])
                person((Role.EMPLOYEE,), site["code"], rng.choice(managers).email, job)
    return people
