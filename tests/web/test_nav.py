"""The menu each role gets."""

from __future__ import annotations

import pytest

from mentorship.accounts.roles import Role
from mentorship.web.nav import SECTIONS, is_current, navigation


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
    order = [title for title, _ in SECTIONS]
    assert titles == sorted(titles, key=order.index)
    assert hrefs({Role.MENTOR, Role.COORDINATOR}) == hrefs({Role.MENTOR}) | hrefs(
        {Role.COORDINATOR}
    )


def test_every_link_appears_once():
    links = [item.href for _, items in SECTIONS for item in items]
    assert len(links) == len(set(links))


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
    item = next(item for _, items in SECTIONS for item in items if item.href == href)
    assert is_current(item, path) is current
