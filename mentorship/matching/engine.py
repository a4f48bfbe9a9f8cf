"""The assignment core: an optimal matching over a cost matrix with forbidden pairs (pure).

Everything else in matching builds a cost matrix and calls `assign`. Rows are requests,
columns are mentor slots; an `inf` entry is a pair that must never be chosen.

`scipy.optimize.linear_sum_assignment` solves the rectangular assignment problem exactly
(it assigns min(rows, columns) pairs at least total cost), but it refuses a matrix whose
every full assignment would use an `inf`. `assign` therefore replaces each forbidden entry
with a finite penalty `P` larger than any possible difference in total finite cost, solves,
and drops the penalty pairs. Why that is exact:

* Shift the finite costs so the cheapest is 0 and the dearest is `h`. Any full assignment
  has exactly n = min(rows, columns) pairs; one that uses f feasible pairs costs
  S + (n - f)·P with 0 ≤ S ≤ n·h. With P > n·h, an assignment with more feasible pairs is
  always cheaper, so the solver maximises f first.
* Every matching of feasible pairs extends to a full assignment (fill the rest with any
  pairs), so the largest f reachable is the maximum-cardinality matching of the feasible
  pairs.
* Among assignments with that f the penalty term is equal, so the solver minimises S: the
  least total cost among maximum matchings. (The shift adds f·lo to every such assignment
  alike, so it changes nothing.)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linear_sum_assignment

IndexArray = NDArray[np.intp]


def _empty() -> tuple[IndexArray, IndexArray]:
    return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)


def assign(cost: ArrayLike) -> tuple[IndexArray, IndexArray]:
    """Optimal pairs of a maximum-cardinality assignment that never uses a forbidden pair.

    `cost` is a 2-D array of floats, rows = requests and columns = slots; `inf` marks a
    forbidden pair. Returns `(rows, columns)`, two index arrays of equal length sorted by
    row: as many pairs as the feasible entries allow, and among all such sets of pairs the
    one with the least total cost. Raises ValueError for a matrix that is not 2-D or holds
    NaN or -inf.
    """
    matrix = np.asarray(cost, dtype=float)
    if matrix.ndim != 2:
        raise ValueError(f"cost must be a 2-D matrix, got {matrix.ndim} dimension(s)")
    if np.isnan(matrix).any():
        raise ValueError("cost holds NaN; mark forbidden pairs with inf")
    if np.isneginf(matrix).any():
        raise ValueError("cost holds -inf; costs must be finite or +inf (forbidden)")
    feasible = np.isfinite(matrix)
    # Rows and columns without any feasible entry can never be matched: leaving them out
    # keeps the solve small (and an all-forbidden matrix never reaches scipy at all).
    rows = np.flatnonzero(feasible.any(axis=1))
    columns = np.flatnonzero(feasible.any(axis=0))
    if rows.size == 0:
        return _empty()
    sub = matrix[np.ix_(rows, columns)]
    sub_feasible = feasible[np.ix_(rows, columns)]
    finite = sub[sub_feasible]
    low = float(finite.min())
    spread = float(finite.max()) - low
    pairs = min(sub.shape)
    penalty = spread * pairs * (1 + 1e-9) + 1.0
    if not np.isfinite(penalty) or not np.isfinite(penalty + spread):
        raise ValueError("cost values are too far apart to solve reliably")
    work = np.where(sub_feasible, sub - low, penalty)
    chosen_rows, chosen_columns = linear_sum_assignment(work)
    keep = sub_feasible[chosen_rows, chosen_columns]
    return rows[chosen_rows[keep]], columns[chosen_columns[keep]]


def total_cost(cost: ArrayLike, rows: IndexArray, columns: IndexArray) -> float:
    """The summed cost of the chosen pairs."""
    return float(np.asarray(cost, dtype=float)[rows, columns].sum())
