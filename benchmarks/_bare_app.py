"""A bare Litestar route: the floor the load benchmark compares every real route with."""

from __future__ import annotations

from litestar import Litestar, get


@get("/bare", sync_to_thread=False)
def bare() -> str:
    """A constant answer: no middleware, no session, no database."""
    return "ok"


app = Litestar(route_handlers=[bare])
