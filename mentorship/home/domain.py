"""The home domain: each person's start page with what waits for them."""

from __future__ import annotations

from mentorship.home.pages import HomePages
from mentorship.lib.domain import Domain

DOMAIN = Domain(name="home", pages=[HomePages])
