"""The generic grid every official table is drawn from.

A :class:`Grid` is a list of :class:`Cell` objects with their row/column
spans, roles and values; the GUI's table model, the Excel writer and the PDF
page plan draw any grid, whatever table built it. :mod:`jixiao.core.layout`
builds the grids of the self-evaluation forms and the 汇总表; the 决算公开
tables will be grids built the same way.

Cell roles:
- ``title`` / ``subtitle`` / ``note`` — text outside the ruled grid (no border);
- ``label`` — fixed text of the form;
- ``input`` — a value the officer types (``path`` says where it is stored);
- ``override`` — a computed figure the officer may overwrite (得分, 执行率,
  偏差度, 总分): ``text`` shows the typed value if any, else ``suggestion``;
- ``computed`` — derived, read-only (分值合计, the 汇总表).

This module imports nothing else of jixiao, so the desktop app can draw its
first (empty) window without loading the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decimal import Decimal

# Plain classes with __slots__ rather than dataclasses: this module is imported
# for the app's first window, and generating three dataclasses (and importing
# the dataclasses module) costs about 2 ms of that budget.


class _Record:
    """Equality and repr over the slots, as a dataclass would give."""

    __slots__: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable, like a non-frozen dataclass

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={getattr(self, k)!r}' for k in self.__slots__)})"


class Cell(_Record):
    """One box of the grid, spanning ``rowspan`` × ``colspan`` positions from (row, col)."""

    __slots__ = ("row", "col", "rowspan", "colspan", "text", "role", "path", "kind", "value", "raw", "suggestion",
                 "align", "bold", "border", "section", "indicator")

    def __init__(self, row: int, col: int, rowspan: int = 1, colspan: int = 1, text: str = "", role: str = "label",
                 path: str | None = None, kind: str = "text", value: Decimal | None = None, raw: str = "",
                 suggestion: str = "", align: str = "center", bold: bool = False, border: bool = True,
                 section: str = "", indicator: int | None = None) -> None:
        self.row = row
        self.col = col
        self.rowspan = rowspan
        self.colspan = colspan
        self.text = text
        self.role = role
        self.path = path
        self.kind = kind  # text | longtext | money | rate | score | weight (分值) | number
        self.value = value  # numeric value (a rate as a fraction)
        self.raw = raw  # what the officer typed (input and override cells)
        self.suggestion = suggestion  # the engine's figure for override cells
        self.align = align  # left | center | right
        self.bold = bold
        self.border = border
        self.section = section
        self.indicator = indicator  # index into form.indicators for indicator rows

    @property
    def editable(self) -> bool:
        return self.role in ("input", "override") and self.path is not None

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


class GridColumn(_Record):
    __slots__ = ("key", "width")

    def __init__(self, key: str, width: float) -> None:
        self.key = key
        self.width = width  # in Excel character units (a CJK character is about 2)


class Grid(_Record):
    __slots__ = ("title", "columns", "cells", "n_rows", "orientation", "repeat_rows", "row_kinds", "form_id",
                 "margins", "min_scale")

    def __init__(self, title: str, columns: list[GridColumn], cells: list[Cell] | None = None, n_rows: int = 0,
                 orientation: str = "landscape", repeat_rows: tuple[int, int] | None = None,
                 row_kinds: list[str] | None = None, form_id: str | None = None,
                 margins: tuple[float, float, float, float] | None = None, min_scale: float | None = None) -> None:
        self.title = title
        self.columns = columns
        self.cells = [] if cells is None else cells
        self.n_rows = n_rows
        self.orientation = orientation  # printed on A4 portrait or landscape
        self.margins = margins  # printed page margins (left, top, right, bottom) in mm; None: the default
        self.min_scale = min_scale  # 缩放到一页 shrinks the grid no further than this (None: 0.8)
        self.repeat_rows = repeat_rows  # rows repeated atop each printed page (inclusive)
        self.row_kinds = [] if row_kinds is None else row_kinds
        self.form_id = form_id

    @property
    def n_cols(self) -> int:
        return len(self.columns)

    def add(self, cell: Cell) -> Cell:
        self.cells.append(cell)
        return cell

    def new_row(self, kind: str) -> int:
        self.row_kinds.append(kind)
        self.n_rows += 1
        return self.n_rows - 1

    def index(self) -> dict[tuple[int, int], Cell]:
        """(row, col) of every covered position → its cell; for fast lookups."""
        out: dict[tuple[int, int], Cell] = {}
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    out[(r, k)] = c
        return out

    def by_path(self) -> dict[str, Cell]:
        return {c.path: c for c in self.cells if c.path}

    def check(self) -> None:
        """Raise if cells overlap or leave a ruled position uncovered (tests call this)."""
        seen: dict[tuple[int, int], Cell] = {}
        for c in self.cells:
            if c.row < 0 or c.col < 0 or c.last_row >= self.n_rows or c.last_col >= self.n_cols:
                raise ValueError(f"cell out of grid: {c}")
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    if (r, k) in seen:
                        raise ValueError(f"overlap at {(r, k)}: {c} / {seen[(r, k)]}")
                    seen[(r, k)] = c
        for r, kind in enumerate(self.row_kinds):
            if kind in ("title", "note", "signoff", "spacer"):
                continue
            for k in range(self.n_cols):
                if (r, k) not in seen:
                    raise ValueError(f"hole at {(r, k)} in {kind} row")
