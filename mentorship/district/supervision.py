"""The supervision relation as a directed graph (supervisor → employee); pure, no database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx


def build_graph(supervisor_of: Mapping[int, int | None]) -> nx.DiGraph:
    """A graph with an edge supervisor → employee for each employee that has a supervisor."""
    graph = nx.DiGraph()
    for employee, supervisor in supervisor_of.items():
        graph.add_node(employee)
        if supervisor is not None:
            graph.add_edge(supervisor, employee)
    return graph


def cycle_if_assigned(
    supervisor_of: Mapping[int, int | None], employee: int, supervisor: int | None
) -> list[int] | None:
    """The loop that giving `employee` this supervisor would create, or None.

    The result lists people from the employee up the chain back to the employee, e.g.
    [a, b, a] when b would supervise a while a already (indirectly) supervises b.
    """
    if supervisor is None:
        return None
    if supervisor == employee:
        return [employee, employee]
    # Walk up from the proposed supervisor; meeting the employee means a loop.
    chain = [employee, supervisor]
    seen = {supervisor}
    current = supervisor_of.get(supervisor)
    while current is not None and current not in seen:
        chain.append(current)
        if current == employee:
            return chain
        seen.add(current)
        current = supervisor_of.get(current)
    return None


def find_cycles(supervisor_of: Mapping[int, int | None]) -> list[list[int]]:
    """Every loop in a whole supervision relation (used to check a roster before import)."""
    graph = build_graph(supervisor_of)
    return list(nx.simple_cycles(graph))


def chain_above(supervisor_of: Mapping[int, int | None], employee: int) -> list[int]:
    """The employee's supervisors, nearest first (the supervisory chain)."""
    chain: list[int] = []
    seen = {employee}
    current = supervisor_of.get(employee)
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = supervisor_of.get(current)
    return chain


def supervises(supervisor_of: Mapping[int, int | None], supervisor: int, employee: int) -> bool:
    """True when `supervisor` sits anywhere in the employee's supervisory chain."""
    return supervisor in chain_above(supervisor_of, employee)


def ancestors_of_each(graph: nx.DiGraph, employees: Iterable[int]) -> dict[int, frozenset[int]]:
    """Each employee's whole supervisory chain, from a prebuilt graph (for the matcher).

    Colleagues share supervisors, so the chain above each supervisor is worked out once
    (networkx ancestors) and reused. Never the employee themself, even if bad data made the
    relation loop (recording supervision refuses loops).
    """
    above: dict[int, frozenset[int]] = {}
    result: dict[int, frozenset[int]] = {}
    for employee in employees:
        supervisors = list(graph.predecessors(employee)) if employee in graph else []
        chain: set[int] = set(supervisors)
        for supervisor in supervisors:
            if supervisor not in above:
                above[supervisor] = frozenset(nx.ancestors(graph, supervisor))
            chain |= above[supervisor]
        result[employee] = frozenset(chain - {employee})
    return result
