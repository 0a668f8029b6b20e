"""Column widths of a printed grid, from the template's hints and the content.

The template's column widths (Excel character units) say how the printable
width is shared out. The content then sets minimums: a figure is never wider
than its column (so ``112,345.67`` is not shrunk in a 6-character 分值 column),
and a label column is never narrower than its longest word (so ``部门整体`` is
not broken into ``部门整/体``). Columns below their minimum are widened and
the room is taken from columns with slack, in proportion to their slack.
"""

from __future__ import annotations

from jixiao.core.grid import Cell, Grid
from jixiao.pdf.geometry import MM_PER_PT, SIZE_BODY
from jixiao.pdf.metrics import text_width
from jixiao.pdf.wrap import WORD_CHARS, longest_word

PAD_X = 1.2  # mm inside a cell, left and right
NUMERIC_KINDS = {"money", "score", "rate", "number", "weight"}
LABEL_ROLES = {"label"}
MAX_WORD = WORD_CHARS * 1000.0  # a word is at most this wide (thousandths of an em): four Han characters


def is_figure(c: Cell) -> bool:
    return c.kind in NUMERIC_KINDS and bool(c.text) and "\n" not in c.text


def is_wordy(c: Cell) -> bool:
    """Cells wrapped as labels (by words): fixed labels and short centred text."""
    if c.role in ("title", "subtitle", "note"):
        return False
    return c.role in LABEL_ROLES or (c.kind == "text" and c.align == "center")


def min_width(c: Cell, size: float = SIZE_BODY) -> float:
    """The narrowest the cell may be printed, in mm (padding included)."""
    if not c.text or c.role in ("title", "subtitle", "note"):
        return 0.0
    if is_figure(c):
        return text_width(c.text, size) * (1.06 if c.bold else 1.0) + 2 * PAD_X
    if is_wordy(c):
        w = min(longest_word(c.text), MAX_WORD)
        return w * size / 1000.0 * MM_PER_PT + 2 * PAD_X
    return 0.0


def column_widths(grid: Grid, width: float, mins: list[float] | None = None) -> list[float]:
    """Widths in mm of the grid's columns sharing ``width`` mm."""
    n = grid.n_cols
    if n == 0:
        return []
    hints = [max(0.0, float(c.width)) for c in grid.columns]
    total = sum(hints)
    if total <= 0:
        hints, total = [1.0] * n, float(n)
    base = [h / total * width for h in hints]
    need = mins if mins is not None else content_minimums(grid)
    if sum(need) >= width:  # cannot honour them all: share out in proportion to the minimums
        s = sum(need)
        return [v / s * width for v in need] if s > 0 else base
    out = list(base)
    for _ in range(4):  # taking room can push a column below its own minimum: settle in a few rounds
        deficit = sum(max(0.0, need[j] - out[j]) for j in range(n))
        if deficit <= 1e-6:
            break
        slack = [max(0.0, out[j] - need[j]) for j in range(n)]
        total_slack = sum(slack)
        if total_slack <= 1e-9:
            break
        take = min(1.0, deficit / total_slack)
        out = [need[j] if out[j] < need[j] else out[j] - slack[j] * take for j in range(n)]
    return out


def content_minimums(grid: Grid) -> list[float]:
    """Per column, the narrowest width its single-column cells allow; cells
    spanning several columns share their need out over them."""
    n = grid.n_cols
    need = [0.0] * n
    spans: list[tuple[Cell, float]] = []
    for c in grid.cells:
        m = min_width(c)
        if m <= 0:
            continue
        if c.colspan == 1:
            if 0 <= c.col < n:
                need[c.col] = max(need[c.col], m)
        else:
            spans.append((c, m))
    for c, m in spans:
        cols = range(max(0, c.col), min(n, c.last_col + 1))
        have = sum(need[j] for j in cols)
        if have < m and len(cols):
            extra = (m - have) / len(cols)
            for j in cols:
                need[j] += extra
    return need
