"""Rules for sites and the travel links between them, with the shortest-travel cache."""

from __future__ import annotations

from typing import Any

import networkx as nx

from mentorship.district.messages import DISTRICT
from mentorship.district.revisions import TRAVEL_GRAPH, bump_revision, current_revision
from mentorship.district.schemas import (
    LinkRead,
    SiteCreate,
    SiteRead,
    SiteUpdate,
    TravelRead,
    changed_fields,
)
from mentorship.district.settings import SettingType
from mentorship.district.tables import Site, TravelLink
from mentorship.district.travel import Link, TravelGraph
from mentorship.lib import db
from mentorship.lib.errors import Conflict, NotFound, ValidationFailed


def _site(row: dict[str, Any]) -> SiteRead:
    return SiteRead(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        setting_type=SettingType(row["setting_type"]),
        region=row["region"],
        active=row["active"],
    )


async def list_sites(*, include_inactive: bool = False) -> list[SiteRead]:
    """Sites ordered by region then name."""
    query = Site.select().order_by(Site.region).order_by(Site.name)
    if not include_inactive:
        query = query.where(Site.active == True)  # noqa: E712 (Piccolo builds SQL from ==)
    return [_site(row) for row in await query]


async def get_site(site_id: int) -> SiteRead:
    """One site, or NotFound."""
    row = await Site.select().where(Site.id == site_id).first()
    if row is None:
        raise NotFound(DISTRICT("no_site", site_id=site_id))
    return _site(row)


async def site_by_code(code: str) -> SiteRead:
    """The site with this code (any case), or NotFound."""
    row = await Site.select().where(Site.code == code.strip().upper()).first()
    if row is None:
        raise NotFound(DISTRICT("no_site_code", code=code))
    return _site(row)


async def create_site(data: SiteCreate) -> SiteRead:
    """Add a site (codes are kept upper-case and unique)."""
    code = data.code.strip().upper()
    name = data.name.strip()
    if not name:
        raise ValidationFailed({"name": DISTRICT("blank")})
    async with db.transaction():
        await bump_revision(TRAVEL_GRAPH)  # first: queues concurrent site changes
        if await Site.exists().where(Site.code == code):
            raise Conflict(DISTRICT("site_code_taken", code=code))
        rows = await Site.insert(
            Site(
                code=code,
                name=name,
                setting_type=data.setting_type.value,
                region=data.region.strip(),
                active=True,
            )
        ).returning(Site.id)
    return await get_site(rows[0]["id"])


async def update_site(site_id: int, data: SiteUpdate) -> SiteRead:
    """Change a site's name, setting, region or active flag."""
    changes = changed_fields(data)
    values: dict[Any, Any] = {}
    if "name" in changes:
        values[Site.name] = changes["name"].strip()
    if "setting_type" in changes:
        values[Site.setting_type] = changes["setting_type"].value
    if "region" in changes:
        values[Site.region] = changes["region"].strip()
    if "active" in changes:
        values[Site.active] = changes["active"]
    async with db.transaction():
        await get_site(site_id)
        if values:
            await Site.update(values).where(Site.id == site_id)
            await bump_revision(TRAVEL_GRAPH)
    return await get_site(site_id)


def _ordered(site_a: int, site_b: int) -> tuple[int, int]:
    return (site_a, site_b) if site_a < site_b else (site_b, site_a)


async def set_link(site_a: int, site_b: int, minutes: int) -> LinkRead:
    """Create or change the direct link between two sites."""
    if site_a == site_b:
        raise ValidationFailed({"site": DISTRICT("link_same_site")})
    low, high = _ordered(site_a, site_b)
    async with db.transaction():
        await bump_revision(TRAVEL_GRAPH)  # first: two admins setting one link queue up
        await get_site(low)
        await get_site(high)
        updated = (
            await TravelLink.update({TravelLink.minutes: minutes})
            .where((TravelLink.site_a == low) & (TravelLink.site_b == high))
            .returning(TravelLink.id)
        )
        if not updated:
            await TravelLink.insert(TravelLink(site_a=low, site_b=high, minutes=minutes))
    return (await list_links(site_id=low, other_id=high))[0]


async def remove_link(site_a: int, site_b: int) -> tuple[SiteRead, SiteRead]:
    """Remove the direct link between two sites (NotFound when there is none); the two
    sites, in the order given."""
    low, high = _ordered(site_a, site_b)
    async with db.transaction():
        removed = (
            await TravelLink.delete()
            .where((TravelLink.site_a == low) & (TravelLink.site_b == high))
            .returning(TravelLink.id)
        )
        if not removed:
            raise NotFound(DISTRICT("no_link", low=low, high=high))
        await bump_revision(TRAVEL_GRAPH)
    return await get_site(site_a), await get_site(site_b)


async def list_links(*, site_id: int | None = None, other_id: int | None = None) -> list[LinkRead]:
    """Direct links, optionally those touching one site (or joining two)."""
    query = (
        TravelLink.select(
            TravelLink.site_a,
            TravelLink.site_a.code.as_alias("site_a_code"),
            TravelLink.site_b,
            TravelLink.site_b.code.as_alias("site_b_code"),
            TravelLink.minutes,
        )
        .order_by(TravelLink.site_a)
        .order_by(TravelLink.site_b)
    )
    if site_id is not None and other_id is not None:
        low, high = _ordered(site_id, other_id)
        query = query.where((TravelLink.site_a == low) & (TravelLink.site_b == high))
    elif site_id is not None:
        query = query.where((TravelLink.site_a == site_id) | (TravelLink.site_b == site_id))
    return [LinkRead(**row) for row in await query]


_travel_cache: tuple[int, TravelGraph, nx.Graph] | None = None


async def travel_graph() -> TravelGraph:
    """The site graph's shortest paths, rebuilt only when sites or links changed."""
    return (await _travel())[0]


async def _travel() -> tuple[TravelGraph, nx.Graph]:
    global _travel_cache
    revision = await current_revision(TRAVEL_GRAPH)
    if _travel_cache is not None and _travel_cache[0] == revision:
        return _travel_cache[1], _travel_cache[2]
    sites = [r["id"] for r in await Site.select(Site.id).where(Site.active == True)]  # noqa: E712
    links = [
        Link(**row)
        for row in await TravelLink.select(TravelLink.site_a, TravelLink.site_b, TravelLink.minutes)
    ]
    graph = TravelGraph.build(sites, links)
    plain = nx.Graph()
    plain.add_nodes_from(sites)
    plain.add_weighted_edges_from(
        (link.site_a, link.site_b, link.minutes)
        for link in links
        if link.site_a in plain and link.site_b in plain
    )
    _travel_cache = (revision, graph, plain)
    return graph, plain


async def travel_between(origin_id: int, destination_id: int) -> TravelRead:
    """Shortest travel time and route between two sites."""
    origin = await get_site(origin_id)
    destination = await get_site(destination_id)
    graph, plain = await _travel()
    minutes = graph.minutes(origin.id, destination.id)
    route: list[str] = []
    if minutes is not None:
        codes = {s.id: s.code for s in await list_sites(include_inactive=True)}
        route = [codes[s] for s in nx.dijkstra_path(plain, origin.id, destination.id)]
    return TravelRead(
        origin=origin.code,
        destination=destination.code,
        reachable=minutes is not None,
        minutes=minutes,
        route=route,
    )
