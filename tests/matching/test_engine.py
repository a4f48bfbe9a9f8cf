"""`engine.assign`: maximum cardinality first, then least cost, never a forbidden pair.

Checked against independent solvers: networkx's Hopcroft-Karp for the cardinality and
scipy's MILP on the assignment formulation (exactly that many pairs, least cost) for the cost.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray
from scipy.optimize import LinearConstraint, milp

from mentorship.matching.engine import Method, assign, total_cost
from tests.matching.conftest import PROPERTY

FloatMatrix = NDArray[np.float64]

# --- random matrices --------------------------------------------------------------------------


@st.composite
def cost_matrices(draw: st.DrawFn, max_side: int = 7) -> FloatMatrix:
    """Any shape up to max_side × max_side (0 rows or columns included, both rectangular
    ways), negative and positive costs (floats, or small integers that tie a lot), and a
    random forbidden pattern from none to all."""
    shape = draw(st.tuples(st.integers(0, max_side), st.integers(0, max_side)))
    values = draw(
        st.one_of(
            hnp.arrays(
                np.float64,
                shape,
                elements=st.floats(-1000, 1000, allow_nan=False, allow_infinity=False),
            ),
            hnp.arrays(np.float64, shape, elements=st.integers(-3, 3).map(float)),
        )
    )
    density = draw(st.sampled_from([0.0, 0.3, 0.6, 0.9, 1.0]))
    seed = draw(st.integers(0, 2**32 - 1))
    forbidden = np.random.default_rng(seed).random(shape) < density
    if draw(st.booleans()):  # or a pattern hypothesis shrinks cell by cell
        forbidden = draw(hnp.arrays(np.bool_, shape))
    return np.where(forbidden, np.inf, values)


def maximum_matching_size(cost: FloatMatrix) -> int:
    """Hopcroft-Karp on the bipartite graph of allowed pairs."""
    graph = nx.Graph()
    rows = [("r", i) for i in range(cost.shape[0])]
    graph.add_nodes_from(rows)
    graph.add_nodes_from(("c", j) for j in range(cost.shape[1]))
    graph.add_edges_from((("r", i), ("c", j)) for i, j in np.argwhere(np.isfinite(cost)))
    matching = nx.bipartite.hopcroft_karp_matching(graph, top_nodes=rows)
    return len(matching) // 2


def least_cost_with_pairs(cost: FloatMatrix, pairs: int) -> float:
    """MILP: choose exactly `pairs` allowed entries, at most one per row and per column,
    at least total cost."""
    entries = np.argwhere(np.isfinite(cost))
    if pairs == 0:
        return 0.0
    n_rows, n_columns = cost.shape
    row_use = np.zeros((n_rows, len(entries)))
    row_use[entries[:, 0], np.arange(len(entries))] = 1
    column_use = np.zeros((n_columns, len(entries)))
    column_use[entries[:, 1], np.arange(len(entries))] = 1
    result = milp(
        c=cost[entries[:, 0], entries[:, 1]],
        constraints=[
            LinearConstraint(row_use, 0, 1),
            LinearConstraint(column_use, 0, 1),
            LinearConstraint(np.ones((1, len(entries))), pairs, pairs),
        ],
        integrality=np.ones(len(entries)),
        bounds=(0, 1),
    )
    assert result.status == 0, result.message
    return float(result.fun)


# Both of scipy's solvers, forced: `auto` picks one by size and density.
METHODS = pytest.mark.parametrize("method", ["dense", "sparse"])


# --- properties -------------------------------------------------------------------------------


@METHODS
@PROPERTY
@given(cost_matrices())
def test_assign_returns_a_valid_matching_that_never_uses_a_forbidden_pair(
    method: Method,
    cost: FloatMatrix,
) -> None:
    rows, columns = assign(cost, method=method)
    assert rows.dtype == np.intp and columns.dtype == np.intp
    assert rows.shape == columns.shape
    assert np.all((rows >= 0) & (rows < cost.shape[0]))
    assert np.all((columns >= 0) & (columns < cost.shape[1]))
    assert len(set(rows.tolist())) == len(rows), "a request used twice"
    assert len(set(columns.tolist())) == len(columns), "a slot used twice"
    assert np.all(np.diff(rows) > 0), "pairs sorted by row"
    assert np.all(np.isfinite(cost[rows, columns])), "a forbidden pair was chosen"


@METHODS
@PROPERTY
@given(cost_matrices())
def test_assign_matches_as_many_pairs_as_hopcroft_karp(method: Method, cost: FloatMatrix) -> None:
    rows, _ = assign(cost, method=method)
    assert len(rows) == maximum_matching_size(cost)


@METHODS
@PROPERTY
@given(cost_matrices(max_side=6))
def test_assign_cost_is_the_least_among_maximum_matchings_per_milp(
    method: Method, cost: FloatMatrix
) -> None:
    rows, columns = assign(cost, method=method)
    best = least_cost_with_pairs(cost, maximum_matching_size(cost))
    found = total_cost(cost, rows, columns)
    assert found == pytest.approx(best, rel=1e-9, abs=1e-6)


@METHODS
@PROPERTY
@given(cost_matrices(), st.sampled_from([1e-6, 1e6, 1e12, 1e300]))
def test_assign_keeps_maximum_cardinality_at_any_cost_magnitude(
    method: Method, cost: FloatMatrix, scale: float
) -> None:
    # The penalty grows with the spread of the costs, so huge or tiny costs must neither
    # overflow nor let a cheaper smaller matching win.
    rows, columns = assign(cost * scale, method=method)
    assert len(rows) == maximum_matching_size(cost)
    assert np.all(np.isfinite(cost[rows, columns]))


@METHODS
@PROPERTY
@given(cost_matrices())
def test_assign_of_the_transpose_finds_as_many_pairs_at_the_same_cost(
    method: Method, cost: FloatMatrix
) -> None:
    rows, columns = assign(cost, method=method)
    t_rows, t_columns = assign(cost.T, method=method)
    assert len(t_rows) == len(rows)
    assert total_cost(cost.T, t_rows, t_columns) == pytest.approx(
        total_cost(cost, rows, columns), rel=1e-9, abs=1e-6
    )


# --- worked examples --------------------------------------------------------------------------


def test_assign_prefers_one_more_pair_over_a_much_cheaper_single_pair() -> None:
    # Taking the cheap (0, 0) alone would strand row 1; two pairs at 1001 beat one at 1.
    cost = np.array([[1.0, 1000.0], [1.0, np.inf]])
    rows, columns = assign(cost)
    assert rows.tolist() == [0, 1]
    assert columns.tolist() == [1, 0]


def test_assign_prefers_more_pairs_even_when_all_costs_are_negative() -> None:
    # A single very negative pair must not beat two pairs.
    cost = np.array([[-1000.0, -1.0], [-1.0, np.inf]])
    rows, columns = assign(cost)
    assert list(zip(rows.tolist(), columns.tolist(), strict=True)) == [(0, 1), (1, 0)]


def test_assign_picks_the_cheaper_of_two_perfect_matchings() -> None:
    cost = np.array([[4.0, 1.0, np.inf], [2.0, 8.0, 3.0], [np.inf, 5.0, 2.0]])
    rows, columns = assign(cost)
    assert columns.tolist() == [1, 0, 2]
    assert total_cost(cost, rows, columns) == 5.0


def test_assign_leaves_out_rows_and_columns_without_any_allowed_pair() -> None:
    cost = np.array([[np.inf, np.inf, np.inf], [np.inf, 7.0, np.inf], [3.0, np.inf, np.inf]])
    rows, columns = assign(cost)
    assert rows.tolist() == [1, 2]
    assert columns.tolist() == [1, 0]


# --- edge cases -------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(0, 0), (0, 3), (3, 0)])
def test_assign_of_an_empty_matrix_is_empty(shape: tuple[int, int]) -> None:
    rows, columns = assign(np.zeros(shape))
    assert rows.dtype == np.intp and columns.dtype == np.intp
    assert rows.size == 0 and columns.size == 0


@pytest.mark.parametrize("shape", [(1, 1), (2, 5), (5, 2), (4, 4)])
def test_assign_of_an_all_forbidden_matrix_is_empty(shape: tuple[int, int]) -> None:
    rows, columns = assign(np.full(shape, np.inf))
    assert rows.size == 0 and columns.size == 0


def test_assign_of_one_row_takes_its_cheapest_allowed_column() -> None:
    rows, columns = assign([[5.0, np.inf, 2.0, 3.0, np.inf]])
    assert rows.tolist() == [0]
    assert columns.tolist() == [2]


def test_assign_of_one_column_takes_its_cheapest_allowed_row() -> None:
    rows, columns = assign([[5.0], [np.inf], [-2.0], [3.0]])
    assert rows.tolist() == [2]
    assert columns.tolist() == [0]


def test_assign_of_a_single_allowed_entry_takes_it() -> None:
    rows, columns = assign([[np.inf, np.inf], [np.inf, 0.0]])
    assert rows.tolist() == [1]
    assert columns.tolist() == [1]


def test_assign_accepts_nested_lists_of_integers() -> None:
    rows, columns = assign([[3, 1], [1, 3]])
    assert rows.tolist() == [0, 1]
    assert columns.tolist() == [1, 0]


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        (np.array(1.0), "2-D"),
        (np.ones(3), "2-D"),
        (np.ones((2, 2, 2)), "2-D"),
        (np.array([[1.0, np.nan]]), "NaN"),
        (np.array([[1.0, -np.inf]]), "-inf"),
        (np.array([[np.nan, np.inf], [np.inf, np.inf]]), "NaN"),
        (np.array([[1e308, -1e308]]), "too far apart"),
    ],
    ids=["scalar", "1-D", "3-D", "nan", "minus-inf", "nan-among-forbidden", "overflow"],
)
def test_assign_refuses_malformed_matrices(cost: FloatMatrix, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        assign(cost)


def test_total_cost_sums_the_chosen_entries() -> None:
    cost = np.array([[1.5, 2.0], [4.0, -0.5]])
    rows, columns = assign(cost)
    assert total_cost(cost, rows, columns) == 1.0
    assert total_cost(cost, rows[:0], columns[:0]) == 0.0


def test_auto_uses_the_sparse_solver_for_a_large_sparse_matrix_with_the_same_optimum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mentorship.matching import engine

    rng = np.random.default_rng(7)
    cost = np.where(rng.random((300, 400)) < 0.05, rng.random((300, 400)) * 100, np.inf)
    used: list[str] = []
    real_sparse = engine._solve_sparse

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        used.append("sparse")
        return real_sparse(*args, **kwargs)

    monkeypatch.setattr(engine, "_solve_sparse", spy)
    rows, columns = assign(cost)
    dense_rows, dense_columns = assign(cost, method="dense")
    assert used == ["sparse"]
    assert len(rows) == len(dense_rows) == maximum_matching_size(cost)
    assert total_cost(cost, rows, columns) == pytest.approx(
        total_cost(cost, dense_rows, dense_columns), rel=1e-12
    )
