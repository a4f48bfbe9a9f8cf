"""The site menu, composed from the links each domain declares (pure, no web imports)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mentorship.access.roles import Role
from mentorship.lib.domain import MenuLink

MY_HELP = "My help"
SUPERVISING = "Supervising"
MENTORING = "Mentoring"
COORDINATION = "Coordination"
ADMINISTRATION = "Administration"
# Sections appear in this order; within one, links appear by rank.
SECTION_ORDER = (MY_HELP, SUPERVISING, MENTORING, COORDINATION, ADMINISTRATION)


def link(section: str, rank: int, label: str, href: str, *roles: Role) -> MenuLink:
    """A menu link a domain declares: where it sits, its words and address, who sees it."""
    if section not in SECTION_ORDER:
        raise ValueError(f"unknown menu section {section!r}")
    return MenuLink(section=section, rank=rank, label=label, href=href, roles=frozenset(roles))


@dataclass(frozen=True)
class NavSection:
    """A heading in the menu with the links under it that this person may open."""

    title: str
    items: tuple[MenuLink, ...]


class Menu:
    """Every domain's links in menu order; each person sees the ones their roles open."""

    def __init__(self, links: Iterable[MenuLink]) -> None:
        ordered = sorted(links, key=lambda item: (SECTION_ORDER.index(item.section), item.rank))
        hrefs = [item.href for item in ordered]
        if len(set(hrefs)) != len(hrefs):
            raise ValueError("two menu links share an address")
        self.links: tuple[MenuLink, ...] = tuple(ordered)
        self._hrefs = frozenset(hrefs)

    def sections(self, roles: Iterable[Role]) -> list[NavSection]:
        """The menu for a person holding `roles`: sections with at least one link they open."""
        held = frozenset(roles)
        menu = []
        for title in SECTION_ORDER:
            visible = tuple(
                item for item in self.links if item.section == title and item.roles & held
            )
            if visible:
                menu.append(NavSection(title, visible))
        return menu

    def is_current(self, item: MenuLink, path: str) -> bool:
        """True when `path` is the item's page or a page under it (for aria-current)."""
        if path == item.href:
            return True
        if not path.startswith(item.href + "/"):
            return False
        # "/requests/new" has its own link: it must not also light up "My requests".
        return path not in self._hrefs and bool(path[len(item.href) + 1 :])
