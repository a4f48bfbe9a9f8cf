"""Small-count suppression for the program reports (pure: no web or database imports).

The rule, in the words the report pages use:

1. **Primary suppression.** A figure that counts, or is worked out from, fewer than
   `THRESHOLD` (5) people or cases is never shown: the page says "fewer than 5" and the
   chart draws no bar for it. Zero counts too: "nobody" is itself a small number.
2. **Secondary suppression.** The total of a table is shown, and the same total can often be
   added up from another table on the page (requests by status and requests by track count
   the same requests). So a single hidden cell could be worked out as "total minus the rest".
   When a table hides anything, its hidden cells must therefore include at least one cell of
   5 or more, and (for counts) add up to at least 5 for each such cell plus 4, so that a
   reader who knows their sum can still fit any value from 0 to 4 in each small cell. The
   smallest shown cells are hidden until that holds; they read "not shown".
3. **Totals.** A total worked out from fewer than 5 people or cases reads "fewer than 5".
   When every cell had to be hidden the total is hidden as well.

Each cell carries its `base`: how many people or cases it is worked out from. For a count the
base is the count itself; for hours it is the number of cases whose meetings they add up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import median

THRESHOLD = 5
FEWER = "fewer than 5"
NOT_SHOWN = "not shown"


class Hidden(StrEnum):
    """Why a figure is not shown."""

    SMALL = "small"  # worked out from fewer than 5 people or cases
    PROTECTS = "protects"  # hidden so that a small figure cannot be worked out from the total


@dataclass(frozen=True)
class Row:
    """One figure before suppression: its label, its value and how many it is based on."""

    label: str
    value: float
    base: int


@dataclass(frozen=True)
class Cell:
    """One figure as the report shows it: the value, or why it is hidden."""

    label: str
    value: float | None
    hidden: Hidden | None = None

    @property
    def shown(self) -> bool:
        """True when the value may be shown."""
        return self.hidden is None

    @property
    def words(self) -> str:
        """What stands in for a hidden value ('fewer than 5' or 'not shown'), else ''."""
        if self.hidden is Hidden.SMALL:
            return FEWER
        if self.hidden is Hidden.PROTECTS:
            return NOT_SHOWN
        return ""


@dataclass(frozen=True)
class Table:
    """A protected table: its cells in order, and its total (a cell labelled 'Total')."""

    cells: tuple[Cell, ...]
    total: Cell

    @property
    def any_hidden(self) -> bool:
        """True when at least one cell (or the total) is hidden."""
        return self.total.hidden is not None or any(not cell.shown for cell in self.cells)

    @property
    def largest(self) -> float:
        """The largest value shown (the chart's scale); 0 when nothing is shown."""
        return max((cell.value for cell in self.cells if cell.value is not None), default=0)


def hidden_cells(rows: Sequence[Row], *, counts: bool = True) -> dict[int, Hidden]:
    """Which rows (by index) must be hidden, and why (rules 1 and 2 of the module's doc)."""
    hidden = {index: Hidden.SMALL for index, row in enumerate(rows) if row.base < THRESHOLD}
    if not hidden:
        return hidden

    def safe() -> bool:
        small = [i for i, why in hidden.items() if why is Hidden.SMALL]
        large = [i for i in hidden if rows[i].base >= THRESHOLD]
        if not large:
            return False
        if not counts:
            return True
        # Any one small cell may be as large as 4 with the others 0 and every larger hidden
        # cell at 5 or more; the smalls may all be 0, a larger cell taking up the rest.
        hidden_sum = sum(rows[i].value for i in hidden)
        return not small or hidden_sum >= THRESHOLD * len(large) + THRESHOLD - 1

    while not safe():
        shown = [i for i in range(len(rows)) if i not in hidden]
        if not shown:
            break
        # The smallest shown cell loses least; on a tie, the later one (the rarer category).
        smallest = min(shown, key=lambda i: (rows[i].base, rows[i].value, -i))
        hidden[smallest] = Hidden.PROTECTS
    return hidden


def protect(rows: Sequence[Row], *, counts: bool = True, total_base: int | None = None) -> Table:
    """Apply the suppression rule to one table of figures.

    `counts` is False for measures such as hours (the sum rule is then on bases only);
    `total_base` is how many distinct people or cases the total comes from (by default the
    sum of the bases, right for counts; give it for hours, where a case meets on many topics).
    """
    hidden = hidden_cells(rows, counts=counts)
    cells = tuple(
        Cell(row.label, None, hidden[i]) if i in hidden else Cell(row.label, row.value)
        for i, row in enumerate(rows)
    )
    base = sum(row.base for row in rows) if total_base is None else total_base
    value = sum(row.value for row in rows)
    if base < THRESHOLD:
        total = Cell("Total", None, Hidden.SMALL)
    elif rows and len(hidden) == len(rows) and any(why is Hidden.SMALL for why in hidden.values()):
        total = Cell("Total", None, Hidden.PROTECTS)
    else:
        total = Cell("Total", value)
    return Table(cells, total)


def count_table(counts: Sequence[tuple[str, int]]) -> Table:
    """A protected table of head counts: (label, how many) in the order to show them."""
    return protect([Row(label, count, count) for label, count in counts])


def protected_median(values: Sequence[float]) -> float | None:
    """The median, or None when it would be worked out from fewer than 5 values."""
    if len(values) < THRESHOLD:
        return None
    return float(median(values))
