"""The assignment core: an optimal matching over a cost matrix with forbidden pairs (pure).

Everything else in matching builds a cost matrix and calls `assign`. Rows are requests,
columns are mentor slots; an `inf` entry is a pair that must never be chosen.

`scipy.optimize.linear_sum_assignment` solves the rectangular assignment problem exactly
(it assigns min(rows, columns) pairs at least total cost), but it refuses a matrix whose
every full assignment would use an `inf`. `assign` therefore replaces each forbidden entry
with a finite penalty `P` larger than any possible difference in total finite cost, solves,
and drops the penalty pairs. Why that is exact:

* Let the finite costs lie between `lo` and `lo + h`. Any full assignment has exactly
  n = min(rows, columns) pairs; one that uses f feasible pairs costs S + (n - f)·P, where S
  sums f finite costs. Comparing f against f' < f feasible pairs, the second costs at least
  (f - f')·(P - lo) - f·h more, which is positive when P > lo + n·h: the solver
  maximises f first. (The code shifts costs so lo = 0 and uses P = n·h + a margin, which
  also keeps the margin from vanishing in rounding when costs are huge.)
* Every matching of feasible pairs extends to a full assignment (fill the rest with any
  pairs), so the largest f reachable is the maximum-cardinality matching of the feasible
  pairs.
* Among assignments with that f the penalty term is equal, so the solver minimises S: the
  least total cost among maximum matchings.

For a sparse matrix the same argument runs on scipy's sparse solver instead, over the
feasible entries plus one "unmatched" column per row at the penalty cost.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

IndexArray = NDArray[np.intp]
Method = Literal["auto", "dense", "sparse"]

# Below this share of feasible entries (and above a toy size) the sparse solver is faster
# and needs far less memory; both are exact, so the choice changes speed only.
SPARSE_BELOW_DENSITY = 0.25
SPARSE_FROM_ENTRIES = 40_000


def _empty() -> tuple[IndexArray, IndexArray]:
    return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)


def assign(cost: ArrayLike, *, method: Method = "auto") -> tuple[IndexArray, IndexArray]:
    """Optimal pairs of a maximum-cardinality assignment that never uses a forbidden pair.

    `cost` is a 2-D array of floats, rows = requests and columns = slots; `inf` marks a
    forbidden pair. Returns `(rows, columns)`, two index arrays of equal length sorted by
    row: as many pairs as the feasible entries allow, and among all such sets of pairs the
    one with the least total cost. Raises ValueError for a matrix that is not 2-D or holds
    NaN or -inf. `method` picks scipy's dense solver (`linear_sum_assignment`), its sparse
    one (`min_weight_full_bipartite_matching`), or (`auto`) whichever suits the matrix.
    """
    matrix = np.asarray(cost, dtype=float)
    if matrix.ndim != 2:
        raise ValueError(f"cost must be a 2-D matrix, got {matrix.ndim} dimension(s)")
    if matrix.size == 0:
        return _empty()
    smallest = matrix.min()  # one pass finds both: NaN propagates, -inf is the minimum
    if np.isnan(smallest):
        raise ValueError("cost holds NaN; mark forbidden pairs with inf")
    if smallest == -np.inf:
        raise ValueError("cost holds -inf; costs must be finite or +inf (forbidden)")
    feasible = np.isfinite(matrix)
    # Rows and columns without any feasible entry can never be matched: leaving them out
    # keeps the solve small (and an all-forbidden matrix never reaches scipy at all).
    rows = np.flatnonzero(feasible.any(axis=1))
    columns = np.flatnonzero(feasible.any(axis=0))
    if rows.size == 0:
        return _empty()
    if rows.size < matrix.shape[0] or columns.size < matrix.shape[1]:
        matrix = matrix[np.ix_(rows, columns)]
        feasible = feasible[np.ix_(rows, columns)]
    finite = matrix[feasible]
    low = float(finite.min())
    spread = float(finite.max()) - low
    # Costs are shifted so the cheapest is 0 (which also keeps huge costs from swallowing
    # the margin); then any penalty above n·spread works (see the module docstring).
    penalty = spread * min(matrix.shape) * (1 + 1e-9) + 1.0
    if not np.isfinite(penalty) or not np.isfinite(penalty + spread):
        raise ValueError("cost values are too far apart to solve reliably")
    if method == "auto":
        sparse = (
            matrix.size >= SPARSE_FROM_ENTRIES and finite.size < SPARSE_BELOW_DENSITY * matrix.size
        )
        method = "sparse" if sparse else "dense"
    if method == "sparse":
        chosen_rows, chosen_columns = _solve_sparse(matrix, feasible, low, penalty)
    else:
        work = matrix - low  # the one working copy; forbidden entries become the penalty
        work[~feasible] = penalty
        chosen_rows, chosen_columns = linear_sum_assignment(work)
        keep = feasible[chosen_rows, chosen_columns]
        chosen_rows, chosen_columns = chosen_rows[keep], chosen_columns[keep]
    return rows[chosen_rows], columns[chosen_columns]


def _solve_sparse(
    matrix: NDArray[np.float64], feasible: NDArray[np.bool_], low: float, penalty: float
) -> tuple[IndexArray, IndexArray]:
    """The dense matrix's optimum through the sparse solver (`penalty` relative to `low`)."""
    edge_rows, edge_columns = np.nonzero(feasible)
    return _sparse_optimum(
        edge_rows, edge_columns, matrix[edge_rows, edge_columns] - low, matrix.shape, penalty
    )


def _sparse_optimum(
    edge_rows: IndexArray,
    edge_columns: IndexArray,
    shifted: NDArray[np.float64],
    shape: tuple[int, int],
    penalty: float,
) -> tuple[IndexArray, IndexArray]:
    """Every row also gets a column of its own at the penalty cost ("unmatched"), so a full
    matching of the rows always exists and the penalty argument of the module docstring
    applies unchanged. `shifted` costs start at 0; `penalty` exceeds rows × their spread."""
    n_rows, n_columns = shape
    own = np.arange(n_rows)
    graph = csr_matrix(
        (
            # Shifted to at least 1: every edge weight stays a stored, positive entry.
            np.concatenate((shifted + 1.0, np.full(n_rows, penalty + 1.0))),
            (np.concatenate((edge_rows, own)), np.concatenate((edge_columns, n_columns + own))),
        ),
        shape=(n_rows, n_columns + n_rows),
    )
    matched_rows, matched_columns = min_weight_full_bipartite_matching(graph)
    keep = matched_columns < n_columns
    order = np.argsort(matched_rows[keep], kind="stable")
    return (
        matched_rows[keep][order].astype(np.intp),
        matched_columns[keep][order].astype(np.intp),
    )


def assign_entries(
    rows: ArrayLike, columns: ArrayLike, costs: ArrayLike, shape: tuple[int, int]
) -> tuple[IndexArray, IndexArray]:
    """`assign` for a sparse problem given as its allowed entries only.

    `rows[k], columns[k]` may be paired at `costs[k]` (finite); every other pair of a
    `shape` matrix is forbidden. Same result as `assign` on the dense matrix, without
    building it. Each (row, column) may appear once.
    """
    edge_rows = np.asarray(rows, dtype=np.intp)
    edge_columns = np.asarray(columns, dtype=np.intp)
    values = np.asarray(costs, dtype=float)
    if not (edge_rows.shape == edge_columns.shape == values.shape) or values.ndim != 1:
        raise ValueError("rows, columns and costs must be 1-D and of equal length")
    if values.size == 0:
        return _empty()
    if not np.isfinite(values).all():
        raise ValueError("allowed entries must have finite costs")
    low = float(values.min())
    spread = float(values.max()) - low
    # No matching has more pairs than the rows, or the columns, that have an entry.
    most_pairs = min(
        np.count_nonzero(np.bincount(edge_rows, minlength=shape[0])),
        np.count_nonzero(np.bincount(edge_columns, minlength=shape[1])),
    )
    penalty = spread * most_pairs * (1 + 1e-9) + 1.0
    if not np.isfinite(penalty + spread):
        raise ValueError("cost values are too far apart to solve reliably")
    return _sparse_optimum(edge_rows, edge_columns, values - low, shape, penalty)


def total_cost(cost: ArrayLike, rows: IndexArray, columns: IndexArray) -> float:
    """The summed cost of the chosen pairs."""
    return float(np.asarray(cost, dtype=float)[rows, columns].sum())
