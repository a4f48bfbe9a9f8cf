"""Small-count suppression: nothing under 5 is shown, and no total gives a hidden one away."""

from __future__ import annotations

from itertools import product

import pytest

from mentorship.program.suppression import (
    FEWER,
    NOT_SHOWN,
    Hidden,
    Row,
    count_table,
    protect,
    protected_median,
)


def shown(table):
    return {cell.label: cell.value for cell in table.cells}


def test_nothing_is_hidden_when_every_count_is_5_or_more():
    table = count_table([("Open", 5), ("Matched", 20)])
    assert shown(table) == {"Open": 5, "Matched": 20}
    assert table.total.value == 25
    assert not table.any_hidden


@pytest.mark.parametrize("small", [0, 1, 4])
def test_a_count_under_5_reads_fewer_than_5(small):
    table = count_table([("Open", 12), ("Declined", small), ("Matched", 30)])
    declined = table.cells[1]
    assert declined.value is None
    assert declined.hidden is Hidden.SMALL
    assert declined.words == FEWER


def test_a_lone_small_cell_takes_the_smallest_other_cell_with_it():
    table = count_table([("Open", 12), ("Declined", 3), ("Matched", 30)])
    assert table.cells[0].value is None and table.cells[0].words == NOT_SHOWN
    assert table.cells[2].value == 30
    assert table.total.value == 45


def test_the_hidden_cells_add_up_to_enough_to_hide_any_small_value():
    # 3 + 5 = 8 would tell a reader (knowing the other is at least 5) that the small one is
    # at most 3; the rule keeps hiding until the sum leaves every value 0..4 possible.
    # (With C: 14 = 5 + 5 + 4 — A may be 4 with B and C at 5.)
    table = count_table([("A", 3), ("B", 5), ("C", 6), ("D", 40)])
    hidden = [cell.label for cell in table.cells if cell.value is None]
    assert hidden == ["A", "B", "C"]


def test_two_tiny_cells_alone_are_not_enough():
    # Both small and adding to 0: "total minus the rest" would say both are 0. With C at 7,
    # A + B + C = 7 and C >= 5 tells A <= 2; with C at 9, A may still be 4.
    table = count_table([("A", 0), ("B", 0), ("C", 7), ("D", 50)])
    assert [cell.value for cell in table.cells] == [None, None, None, None]
    table = count_table([("A", 0), ("B", 0), ("C", 9), ("D", 50)])
    assert [cell.value for cell in table.cells] == [None, None, None, 50]


def test_a_small_total_is_hidden():
    table = count_table([("A", 1), ("B", 2)])
    assert table.total.value is None and table.total.words == FEWER


def test_when_every_cell_is_hidden_the_total_is_hidden_too():
    table = count_table([("A", 3), ("B", 6)])
    assert [cell.value for cell in table.cells] == [None, None]
    assert table.total.value is None


def test_hours_hide_by_the_cases_behind_them():
    rows = [Row("Behaviour", 40.0, 12), ("Reading" and Row("Reading", 2.5, 2)), Row("IEP", 9, 6)]
    table = protect(rows, counts=False, total_base=15)
    assert shown(table) == {"Behaviour": 40.0, "Reading": None, "IEP": None}
    assert table.total.value == pytest.approx(51.5)


def test_the_total_base_decides_whether_the_total_shows():
    table = protect([Row("Only", 3.0, 4)], counts=False, total_base=4)
    assert table.total.value is None


def test_no_table_ever_lets_a_small_count_be_worked_out_from_its_total():
    """Exhaustive over small tables: for each protected table, every value 0..4 of each
    small hidden cell is consistent with the figures shown (the total and the shown cells)."""
    for values in product([0, 2, 4, 5, 7, 12], repeat=3):
        table = count_table([(str(i), v) for i, v in enumerate(values)])
        hidden = [i for i, cell in enumerate(table.cells) if cell.value is None]
        if not hidden or table.total.value is None:
            continue
        hidden_sum = table.total.value - sum(c.value for c in table.cells if c.value is not None)
        for i in hidden:
            if values[i] >= 5:
                continue
            others = [j for j in hidden if j != i]
            large = [j for j in others if values[j] >= 5]
            assert large, values
            for guess in range(5):
                # The other small cells 0, the larger hidden ones at least 5 each.
                assert hidden_sum - guess >= 5 * len(large), values


def test_a_median_needs_5_values():
    assert protected_median([1, 2, 3, 4]) is None
    assert protected_median([1, 2, 3, 4, 10]) == 3
