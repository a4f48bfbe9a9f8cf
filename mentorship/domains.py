"""The list of domains the application is composed of: a new capability adds its folder and one
line here. Order matters only for the database registry (a domain's tables after those they
refer to); the layer contract in pyproject.toml says which domain may import which."""

from __future__ import annotations

from mentorship.accounts.domain import DOMAIN as ACCOUNTS
from mentorship.agreement.domain import DOMAIN as AGREEMENT
from mentorship.assistance.domain import DOMAIN as ASSISTANCE
from mentorship.audit.domain import DOMAIN as AUDIT
from mentorship.auth.domain import DOMAIN as AUTH
from mentorship.cases.domain import DOMAIN as CASES
from mentorship.demo.domain import DOMAIN as DEMO
from mentorship.development.domain import DOMAIN as DEVELOPMENT
from mentorship.district.domain import DOMAIN as DISTRICT
from mentorship.home.domain import DOMAIN as HOME
from mentorship.lib.domain import Domain
from mentorship.matching.domain import DOMAIN as MATCHING
from mentorship.notices.domain import DOMAIN as NOTICES
from mentorship.pool.domain import DOMAIN as POOL
from mentorship.program.domain import DOMAIN as PROGRAM
from mentorship.roster.domain import DOMAIN as ROSTER
from mentorship.web.nav import Menu

DOMAINS: tuple[Domain, ...] = (
    ACCOUNTS,
    NOTICES,
    AUTH,
    DISTRICT,
    AGREEMENT,
    POOL,
    DEVELOPMENT,
    ASSISTANCE,
    CASES,
    MATCHING,
    AUDIT,
    ROSTER,
    PROGRAM,
    HOME,
    DEMO,
)

MENU = Menu(link for domain in DOMAINS for link in domain.menu)

PICCOLO_APPS: list[str] = [domain.piccolo_app for domain in DOMAINS if domain.piccolo_app]


def compose() -> None:
    """Connect every domain's listeners and providers to the signals and provisions of the
    domains below (connecting is idempotent, so every entry point may call this)."""
    for domain in DOMAINS:
        for signal, listener in domain.listeners:
            signal.connect(listener)
        for provision, provider in domain.providers:
            provision.connect(provider)
