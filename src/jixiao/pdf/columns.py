"""Column widths of a printed grid, from the template's hints and the content.

The content sets minimums: a figure is never wider than its column (so
``112,345.67`` is not shrunk in a 6-character 分值 column), and a label column
is never narrower than its longest word (so ``部门整体`` is not broken into
``部门整/体``). The width left over is shared out between the template's
hints (Excel character units) and the text each column has to hold: a column
whose long texts make rows tall (偏差原因, 三级指标, the goals) gets more, in
proportion to the square root of the text it makes rows tall with, which
minimises the grid's height for a given width (Σ aⱼ/wⱼ is least when wⱼ ∝ √aⱼ).
"""

from __future__ import annotations

import math
from collections.abc import Callable

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


CONTENT_SHARE = 0.6  # of the width above the minimums, the part shared out by content (the rest by the hints)
HINT_FLOOR = 0.6  # no column narrower than this share of its width by the template's hints


def column_widths(grid: Grid, width: float, mins: list[float] | None = None,
                  demand: list[list[tuple[int, int, float]]] | None = None) -> list[float]:
    """Widths in mm of the grid's columns sharing ``width`` mm. ``demand``: the
    long texts, as (first column, last column, single-line length in mm), see
    :func:`text_demand`; without it the hints alone share out the width."""
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
    if demand:
        by_hints = base
        base = _by_content(base, need, width, hints, demand)
        # a column the template gives room keeps most of it even when this form leaves it empty
        # (an empty 偏差原因 column is still a column to read and its header stays on a few lines)
        floors = [max(need[j], HINT_FLOOR * by_hints[j]) for j in range(n)]
        if sum(floors) <= width:
            need = floors
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


def _by_content(base: list[float], need: list[float], width: float, hints: list[float],
                demand: list[list[tuple[int, int, float]]]) -> list[float]:
    """Share the width above the minimums: part by the hints, part so that the
    rows' tallest texts take the fewest lines (gradient steps on Σ Lₖ / Wₖ, where
    Wₖ is the width of the columns text k spans and only each row's tallest text counts)."""
    n = len(base)
    free = width - sum(need)
    hint_share = [h / sum(hints) for h in hints]
    fixed = [need[j] + (1 - CONTENT_SHARE) * free * hint_share[j] for j in range(n)]
    pool = CONTENT_SHARE * free
    v = [pool * hint_share[j] for j in range(n)]
    for _ in range(12):
        w = [fixed[j] + v[j] for j in range(n)]
        grad = [0.0] * n
        for row in demand:
            best, item = -1.0, None
            for a, b, length in row:
                lines = length / (sum(w[a:b + 1]) or 1.0)
                if lines > best:
                    best, item = lines, (a, b, length)
            if item is None or best <= 1.0:  # a one-line row is not made shorter by a wider column
                continue
            a, b, length = item
            span = sum(w[a:b + 1]) or 1.0
            for j in range(a, b + 1):
                grad[j] += length / (span * span)
        mean = sum(g * x for g, x in zip(grad, v, strict=True)) / pool if pool > 0 else 0.0
        if mean <= 0:
            break
        v = [x * math.sqrt(g / mean) for g, x in zip(grad, v, strict=True)]
        total = sum(v)
        if total <= 0:
            break
        v = [x * pool / total for x in v]
    return [fixed[j] + v[j] for j in range(n)]


def text_demand(grid: Grid, length_of: Callable[[Cell], float]) -> list[list[tuple[int, int, float]]]:
    """Per row, the texts that may make it tall, as (first column, last column,
    single-line length in mm); ``length_of(cell)`` gives a cell's single-line length."""
    rows: dict[int, list[tuple[int, int, float]]] = {}
    for c in grid.cells:
        if c.rowspan != 1 or not c.text or c.role in ("title", "subtitle", "note") or is_figure(c):
            continue
        rows.setdefault(c.row, []).append((c.col, c.last_col, length_of(c)))
    return list(rows.values())


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
