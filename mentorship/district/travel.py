"""Travel times between sites: shortest paths over the site graph (pure; no database)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx


@dataclass(frozen=True)
class Link:
    """Direct travel between two sites, in minutes."""

    site_a: int
    site_b: int
    minutes: int


@dataclass
class TravelGraph:
    """The site graph with every shortest travel time worked out once.

    Sites are few (tens to a few hundred), so all-pairs Dijkstra at build time is cheap and
    makes every later lookup a dictionary read, which the matching engine does thousands of
    times per run.
    """

    sites: frozenset[int]
    _minutes: dict[int, dict[int, float]] = field(repr=False)

    @classmethod
    def build(cls, sites: Iterable[int], links: Iterable[Link]) -> TravelGraph:
        """Build from site ids and links (links to unknown sites are ignored)."""
        graph = nx.Graph()
        graph.add_nodes_from(sites)
        for link in links:
            if link.site_a in graph and link.site_b in graph:
                known = graph.get_edge_data(link.site_a, link.site_b)
                minutes = link.minutes if known is None else min(known["weight"], link.minutes)
                graph.add_edge(link.site_a, link.site_b, weight=minutes)
        minutes = {
            source: dict(lengths)
            for source, lengths in nx.all_pairs_dijkstra_path_length(graph, weight="weight")
        }
        return cls(sites=frozenset(graph.nodes), _minutes=minutes)

    def minutes(self, origin: int, destination: int) -> float | None:
        """Shortest travel time, or None when no path joins the two sites."""
        value = self._minutes.get(origin, {}).get(destination)
        return None if value is None else float(value)

    def reachable_within(self, origin: int, limit: float) -> dict[int, float]:
        """Every site reachable from origin in at most `limit` minutes, with its time."""
        return {site: m for site, m in self._minutes.get(origin, {}).items() if m <= limit}
