"""The menu each role gets."""

from __future__ import annotations

import pytest

from mentorship.access.roles import Role
from mentorship.domains import MENU
from mentorship.web.nav import ADMINISTRATION, SECTION_ORDER, Menu, link

navigation = MENU.sections


def hrefs(roles: set[Role]) -> set[str]:
    return {item.href for section in navigation(roles) for item in section.items}


def test_nobody_without_a_role_gets_a_menu():
    assert navigation([]) == []


def test_an_employee_sees_their_own_pages_and_nothing_of_the_coordinator_or_admin():
    links = hrefs({Role.EMPLOYEE})
    assert {"/requests/new", "/requests", "/my-cases", "/development"} <= links
    assert not any(h.startswith(("/admin", "/pool", "/matching", "/audit")) for h in links)


def test_each_role_s_sections_only_hold_links_that_role_may_open():
    for role in Role:
        for section in navigation({role}):
            assert section.items, "a section with nothing to open is not shown"
            assert all(role in item.roles for item in section.items)


def test_people_with_several_roles_see_the_union_in_the_fixed_order():
    both = navigation({Role.MENTOR, Role.COORDINATOR})
    titles = [section.title for section in both]
    assert titles == sorted(titles, key=SECTION_ORDER.index)
    assert hrefs({Role.MENTOR, Role.COORDINATOR}) == hrefs({Role.MENTOR}) | hrefs(
        {Role.COORDINATOR}
    )


def test_every_link_appears_once():
    links = [item.href for item in MENU.links]
    assert len(links) == len(set(links))


def test_the_domains_links_keep_their_place_in_the_menu():
    assert [item.href for section in navigation({Role.COORDINATOR}) for item in section.items] == [
        "/queue",
        "/matching",
        "/cases",
        "/pool/applications",
        "/pool/training",
        "/pool/mentors",
        "/program",
        "/audit",
    ]


def test_a_menu_refuses_two_links_to_one_page_and_unknown_sections():
    twin = link(ADMINISTRATION, 10, "Accounts", "/admin/accounts", Role.ADMIN)
    with pytest.raises(ValueError, match="share an address"):
        Menu([twin, twin])
    with pytest.raises(ValueError, match="unknown menu section"):
        link("Elsewhere", 1, "Odd", "/odd", Role.ADMIN)


@pytest.mark.parametrize(
    ("href", "path", "current"),
    [
        ("/requests", "/requests", True),
        ("/requests", "/requests/12", True),
        ("/requests", "/requests/new", False),  # "Ask for help" has its own link
        ("/requests/new", "/requests/new", True),
        ("/cases", "/cases/3", True),
        ("/cases", "/caseload", False),
    ],
)
def test_the_current_page_is_marked(href, path, current):
    item = next(item for item in MENU.links if item.href == href)
    assert MENU.is_current(item, path) is current
