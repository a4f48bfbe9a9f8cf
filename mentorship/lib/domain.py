"""What a domain folder declares about itself, so the application, the database registry, the
menu and the command line are composed from a list of domains (`mentorship.domains`) instead
of central lists that every new capability edits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import click
from litestar.types import ControllerRouterHandler

from mentorship.lib.events import Listener, Provision, Signal


@dataclass(frozen=True)
class MenuLink:
    """One link in the site menu: its section, its place there, and the roles that see it."""

    section: str
    rank: int
    label: str
    href: str
    roles: frozenset[str]


@dataclass(frozen=True)
class Domain:
    """One capability: its database app, API routes, pages, menu links, commands, listeners."""

    name: str
    # The Piccolo app module ("mentorship.accounts.piccolo_app"), when the domain has tables.
    piccolo_app: str | None = None
    api: Sequence[ControllerRouterHandler] = ()
    pages: Sequence[ControllerRouterHandler] = ()
    menu: Sequence[MenuLink] = ()
    # Commands (or command groups) mounted under the `mentorship` command.
    commands: Sequence[click.Command] = ()
    # (signal, listener) pairs: what this domain does when a lower domain announces something.
    listeners: Sequence[tuple[Signal[Any], Listener[Any]]] = ()
    # (provision, provider) pairs: the questions of lower domains this domain answers.
    providers: Sequence[tuple[Provision[Any, Any], Callable[..., Awaitable[Any]]]] = ()
