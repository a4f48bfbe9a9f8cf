"""The site navigation: which pages each role reaches from the menu (pure, no web imports)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mentorship.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    """One menu link and the roles that see it."""

    label: str
    href: str
    roles: frozenset[Role]


@dataclass(frozen=True)
class NavSection:
    """A heading in the menu with the links under it that this person may open."""

    title: str
    items: tuple[NavItem, ...]


def _for(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


# Order matters: sections and links appear in this order. Every page a role may open is
# reachable from here; tests/web/test_nav.py and the browser tests check both directions.
SECTIONS: tuple[tuple[str, tuple[NavItem, ...]], ...] = (
    (
        "My help",
        (
            NavItem("Ask for help", "/requests/new", _for(Role.EMPLOYEE)),
            NavItem("My requests", "/requests", _for(Role.EMPLOYEE)),
            NavItem("My case", "/my-cases", _for(Role.EMPLOYEE)),
            NavItem("My training and hours", "/development", _for(Role.EMPLOYEE, Role.MENTOR)),
        ),
    ),
    (
        "Supervising",
        (
            NavItem("Refer someone", "/referrals/new", _for(Role.SUPERVISOR)),
            NavItem("My referrals", "/referrals", _for(Role.SUPERVISOR)),
        ),
    ),
    (
        "Mentoring",
        (
            NavItem("Mentor application", "/mentor/apply", _for(Role.EMPLOYEE, Role.MENTOR)),
            NavItem("My mentor training", "/mentor/training", _for(Role.EMPLOYEE, Role.MENTOR)),
            NavItem("My caseload", "/caseload", _for(Role.MENTOR)),
        ),
    ),
    (
        "Coordination",
        (
            NavItem("Request queue", "/queue", _for(Role.COORDINATOR)),
            NavItem("Match board", "/matching", _for(Role.COORDINATOR)),
            NavItem("Cases", "/cases", _for(Role.COORDINATOR)),
            NavItem("Applications", "/pool/applications", _for(Role.COORDINATOR)),
            NavItem("Training to verify", "/pool/training", _for(Role.COORDINATOR)),
            NavItem("Mentor pool", "/pool/mentors", _for(Role.COORDINATOR)),
            NavItem("Program reports", "/program", _for(Role.COORDINATOR)),
            NavItem("Audit log", "/audit", _for(Role.COORDINATOR)),
        ),
    ),
    (
        "Administration",
        (
            NavItem("Accounts", "/admin/accounts", _for(Role.ADMIN)),
            NavItem("Sites and travel", "/admin/sites", _for(Role.ADMIN)),
            NavItem("Job roles", "/admin/job-roles", _for(Role.ADMIN)),
            NavItem("Skills", "/admin/skills", _for(Role.ADMIN)),
            NavItem("Agreement", "/admin/agreement", _for(Role.ADMIN)),
        ),
    ),
)


def navigation(roles: Iterable[Role]) -> list[NavSection]:
    """The menu for a person holding `roles`: sections with at least one link they may open."""
    held = frozenset(roles)
    menu = []
    for title, items in SECTIONS:
        visible = tuple(item for item in items if item.roles & held)
        if visible:
            menu.append(NavSection(title, visible))
    return menu


def is_current(item: NavItem, path: str) -> bool:
    """True when `path` is the item's page or a page under it (for aria-current)."""
    if path == item.href:
        return True
    if not path.startswith(item.href + "/"):
        return False
    # "/requests/new" has its own link: it must not also light up "My requests".
    rest = path[len(item.href) + 1 :]
    return not any(other.href == path for _, items in SECTIONS for other in items) and bool(rest)
