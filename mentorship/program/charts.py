"""Accessible SVG bar charts for the program reports (pure: no web or database imports).

Each chart is an `<svg role="img">` named by its `<title>` and described by a `<desc>` that
reads out every figure, so a screen reader hears the same numbers the table beside it holds.
Bars are horizontal, one per row, with the label on its own line above the bar and the value
written after it: nothing depends on colour, and the text stays readable when the chart is
scaled down to a phone's width (the drawing is 400 units wide and scales with its box).
A hidden (suppressed) figure gets no bar at all, only its words ("fewer than 5").

Styling comes from site.css (.chart .bar, .chart text, .chart .axis): no style attributes,
which the Content-Security-Policy would refuse.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from mentorship.program.suppression import Table

WIDTH = 400
LABEL_HEIGHT = 16  # the label line above each bar
BAR_HEIGHT = 18
ROW_GAP = 12
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
VALUE_ROOM = 96  # space kept right of the longest bar for its value
AXIS_X = 1
MAX_LABEL = 56  # characters; the full label is in the data table

Formatter = Callable[[float], str]


def _plain(value: float) -> str:
    return f"{value:g}"


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def chart_id(text: str) -> str:
    """A safe id from a title ('Requests by status' → 'chart-requests-by-status')."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return f"chart-{slug or 'figure'}"


def describe(table: Table, fmt: Formatter = _plain) -> str:
    """Every figure in words, for the chart's <desc>: 'Open: 12. Declined: fewer than 5.'"""
    parts = []
    for cell in table.cells:
        value = fmt(cell.value) if cell.value is not None else cell.words
        parts.append(f"{cell.label}: {value}.")
    return " ".join(parts)


def bar_chart(
    ident: str,
    title: str,
    table: Table,
    *,
    fmt: Formatter = _plain,
    summary: str = "",
) -> str:
    """The SVG markup of a horizontal bar chart of `table` (escaped, ready to place inline).

    `ident` must be unique on the page (the title and description ids derive from it);
    `fmt` writes a value ('12', '3.5 hours'); `summary` opens the description.
    """
    rows = len(table.cells)
    height = max(rows, 1) * ROW_HEIGHT + 4
    span = WIDTH - VALUE_ROOM - AXIS_X
    largest = table.largest
    title_id = f"{ident}-title"
    desc_id = f"{ident}-desc"
    description = " ".join(part for part in (summary, describe(table, fmt)) if part)
    out = [
        f'<svg id="{escape(ident)}" role="img" aria-labelledby="{escape(title_id)} '
        f'{escape(desc_id)}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" focusable="false" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description or "No figures.")}</desc>',
    ]
    if not rows:
        out.append(f'<text x="{AXIS_X + 4}" y="{LABEL_HEIGHT}">No figures for this period.</text>')
    for index, cell in enumerate(table.cells):
        top = index * ROW_HEIGHT
        label_y = top + LABEL_HEIGHT - 4
        bar_y = top + LABEL_HEIGHT
        text_y = bar_y + BAR_HEIGHT - 5
        out.append(f'<text x="{AXIS_X + 4}" y="{label_y}">{escape(_short(cell.label))}</text>')
        if cell.value is None:
            # No bar: a hidden figure must not be readable from a bar's length.
            out.append(
                f'<text x="{AXIS_X + 4}" y="{text_y}" class="hidden-value">'
                f"{escape(cell.words)} (no bar)</text>"
            )
            continue
        length = 0.0 if largest <= 0 else span * cell.value / largest
        if cell.value > 0:
            length = max(length, 2.0)  # a tiny value still shows a sliver
        out.append(
            f'<rect class="bar" x="{AXIS_X}" y="{bar_y}" width="{length:.1f}" '
            f'height="{BAR_HEIGHT}"></rect>'
        )
        out.append(
            f'<text x="{AXIS_X + length + 6:.1f}" y="{text_y}">{escape(fmt(cell.value))}</text>'
        )
    out.append(
        f'<line class="axis" x1="{AXIS_X}" y1="{LABEL_HEIGHT - 2}" x2="{AXIS_X}" '
        f'y2="{height - ROW_GAP + 2}"></line>'
    )
    out.append("</svg>")
    return "".join(out)
