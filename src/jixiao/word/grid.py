"""A form's :class:`~jixiao.core.grid.Grid` as a Word table: the 附表 of a
report, drawn from the same grid as the screen, the Excel sheet and the PDF.

The rows outside the ruled grid (title, year line, 填报单位 / 金额单位, the
sign-off) become paragraphs above and below the table; merged cells are
merged in Word (``gridSpan``, ``vMerge``); column widths follow the grid's,
scaled to the page.
"""

from __future__ import annotations

from jixiao.core.grid import Cell, Grid
from jixiao.word.ooxml import C, R, paragraph, table

OUTSIDE = ("title", "note", "signoff", "spacer")


def _outside_row(cells: list[Cell], width_mm: float, ids: dict[str, str]) -> str | None:
    """A title, note or sign-off row as one paragraph; several cells are spread with tab stops."""
    cells = [c for c in cells if c.text]
    if not cells:
        return None
    if len(cells) == 1 and cells[0].role in ("title", "subtitle"):
        c = cells[0]
        return paragraph(ids["附表标题" if c.role == "title" else "附表文字"], [R(c.text, bold=c.bold)], align="center")
    n = len(cells)
    tabs = []
    for k in range(1, n):
        right = k == n - 1 and cells[-1].align == "right"
        tabs.append(("right", width_mm) if right else ("left", width_mm * k / n))
    return paragraph(ids["附表文字"], [R("\t".join(c.text for c in cells))], align="left", tabs=tabs)


def grid_fragments(grid: Grid, width_mm: float, ids: dict[str, str]) -> list[str]:
    """The paragraphs and the table that draw ``grid``, ``width_mm`` wide, as
    WordprocessingML text (``ids``: our style names → style ids)."""
    by_row: dict[int, list[Cell]] = {}
    for c in grid.cells:
        by_row.setdefault(c.row, []).append(c)
    for cells in by_row.values():
        cells.sort(key=lambda c: c.col)
    kinds = list(grid.row_kinds) + ["body"] * max(0, grid.n_rows - len(grid.row_kinds))
    ruled = [r for r in range(grid.n_rows) if kinds[r] not in OUTSIDE]
    out: list[str] = []

    def outside(rows: range) -> None:
        for r in rows:
            if kinds[r] != "spacer":
                el = _outside_row(by_row.get(r, []), width_mm, ids)
                if el is not None:
                    out.append(el)

    if not ruled:
        outside(range(grid.n_rows))
        return out
    first, last = ruled[0], ruled[-1]
    outside(range(first))
    covering: dict[tuple[int, int], Cell] = {}
    for c in grid.cells:
        if first <= c.row <= last:
            for r in range(c.row, min(c.last_row, last) + 1):
                for k in range(c.col, c.last_col + 1):
                    covering[(r, k)] = c
    ncols = grid.n_cols
    rows: list[list[C]] = []
    for r in range(first, last + 1):
        row: list[C] = []
        k = 0
        while k < ncols:
            c = covering.get((r, k))
            if c is None or c.col != k:  # a hole (or a cell starting left of here: cannot happen)
                row.append(C())
                k += 1
                continue
            span = min(c.colspan, ncols - k)
            if c.row == r:
                vmerge = "restart" if c.rowspan > 1 and r < last else None
                row.append(C([R(c.text, bold=c.bold)] if c.text else [], c.align, span, vmerge))
            else:
                row.append(C([], c.align, span, "continue"))
            k += span
        rows.append(row)
    total = sum(max(0.0, float(c.width)) for c in grid.columns) or float(ncols)
    widths = [width_mm * max(0.0, float(c.width)) / total for c in grid.columns]
    repeat = grid.repeat_rows
    header = repeat[1] - first + 1 if repeat and repeat[0] == first else 0
    out.append(table(widths, rows, ids["附表文字"], header_rows=header))
    outside(range(last + 1, grid.n_rows))
    return out

