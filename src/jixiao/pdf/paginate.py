"""Pagination of one grid: measured cells, row heights, page breaks, print scale.

:func:`layout_grid` measures a :class:`~jixiao.core.grid.Grid` (column widths
from :mod:`jixiao.pdf.columns`, cells wrapped by :mod:`jixiao.pdf.wrap`), flows
its rows onto pages and, like Excel's 缩放到一页, prints a form that fits one
page at no less than the template's minimum scale (80 %) on one page at the
largest such scale. The result, a :class:`GridLayout`, is backend-neutral:
:mod:`jixiao.pdf.plan` draws it as PDF/preview pages and
:mod:`jixiao.excel.writer` gives the workbook the same rows, page breaks and
repeated labels, so the paper and the workbook print alike.

Rules of the page flow:

- a row is as tall as its tallest wrapped cell (a vertically merged cell's
  extra height goes to its last row);
- a header row never ends a page: it goes with the row after it;
- the 总分 row and the sign-off block (单位负责人 … with room for a 42 mm
  seal) keep at least the last two indicator rows with them;
- the grid's ``repeat_rows`` are repeated below a “（续）” line on
  continuation pages; vertically merged boxes broken by a page end are closed
  there and reopened with their label on the next page;
- a tall text row splits across pages (its lines distributed, “（续）” in its
  label cell on the next page) rather than leave more than a third of a page
  empty, or when it is taller than a page; no text is ever cut off or lost.
  Each piece prints at the page's scale: a piece that begins a page is tall
  enough for its label and “（续）” at full size, and “（续）” goes into a label
  cell only, never into a cell of the officer's. A band is at most
  :data:`MAX_BAND` tall (a workbook row's limit), so a row may have two pieces
  on one page: they are drawn as one box per cell (no rule through the text;
  the workbook merges their rows). A text the 总分 row or the sign-off follows
  leaves room for them on its last page, or takes its last lines
  (:data:`CARRY_LINES`) along to theirs: they never stand alone on a page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from jixiao.core.grid import Cell, Grid
from jixiao.pdf.columns import PAD_X, column_widths, content_minimums, is_figure, is_wordy, text_demand
from jixiao.pdf.geometry import (
    DEFAULT_MIN_SCALE,
    MM_PER_PT,
    PT_PER_MM,
    SIZE_BODY,
    SIZE_NOTE,
    SIZE_SUBTITLE,
    SIZE_TITLE,
    PageSetup,
    line_height,
    page_setup,
)
from jixiao.pdf.metrics import text_width
from jixiao.pdf.wrap import line_starts, wrap_text

PAD_Y = 1.0  # mm inside a cell, top and bottom
MIN_ROW = 6.5  # mm, the minimum height of a ruled row
MIN_PIECE = 14.0  # mm: never start a split piece in less room than this
SPLIT_OVER = 30.0  # mm: rows taller than this may break across pages
MAX_BAND = 140.0  # mm: no band is taller (a workbook row cannot exceed 409 pt)
CONT_HEADER = 7.0  # mm taken by the “（续）” line on continuation pages
MIN_FIGURE_SIZE = 6.0  # pt: the smallest a figure shrinks to before it wraps
CONTINUED = "（续）"
SECANT_TRIALS = 4  # 缩放到一页: trial scales read off the heights before plain bisection takes over
CARRY_LINES = 2  # lines of a split text that go along with the 总分 row or the sign-off on their page

SEAL_SIZE = 42.0  # paper mm, a unit seal
SEAL_ROOM_H = 44.0  # paper mm of blank height kept for it
SEAL_ROOM_W = 64.0  # paper mm (at least)
SEAL_EDGE = 10.0  # paper mm: the seal room may reach into the bottom margin, down to this far above the edge
SIGNOFF_GAP = 4.0  # mm between the grid and the sign-off block
SIGN_LINES = 18.0  # mm the signature lines take (two lines of labels)

KEEP_WITH_NEXT = {"title", "note", "header", "funds-header", "texts-header", "items-header", "table-header",
                  "indicator-header", "section"}
HEADER_KINDS = KEEP_WITH_NEXT - {"header"}  # rows that only name what follows
BODY_KINDS = {"indicator", "summary", "body", "items", "table", "funds"}
NON_FLOW = {"spacer", "signoff"}
REPEAT_BODY = {"indicator", "total", "body", "section", "summary"}  # row kinds a repeated header heads
SIGNOFF = -1  # the sign-off block's place in the flow


@dataclass(slots=True)
class Band:
    """One placed piece of a grid row on a page (layout mm)."""

    row: int
    y: float
    h: float
    slices: dict[int, tuple[int, int]] | None = None  # cell index -> line range, for split rows
    piece: int = 0  # 0: the row or its first piece; k: its k-th continuation piece
    repeated: bool = False  # a header row repeated atop a continuation page


@dataclass(slots=True)
class PageDraft:
    bands: list[Band] = field(default_factory=list)
    top: float = 0.0  # where the flow starts
    y: float = 0.0  # where the next band goes
    continuation: bool = False
    flow_rows: int = 0  # bands placed that are not repeated header rows
    signoff_y: float | None = None


@dataclass(slots=True)
class Box:
    """A cell as drawn on one page: its extent over the page's bands and its text.

    ``what`` says what the box holds: ``whole`` (the cell, first time shown),
    ``repeat`` (a merged label shown again on a continuation page), ``piece``
    (some lines of a text broken over pages: ``text`` is that part, and the
    pieces of a cell join back into its text), ``continued`` (the label cell
    of a split row's continuation, ``text`` ending in “（续）”) or ``empty``.
    """

    cell: int
    first: int  # index of its first band on the page
    last: int
    top: float
    bottom: float
    lines: tuple[str, ...]
    size: float
    valign_top: bool
    text: str
    what: str


def cell_size(cell: Cell) -> float:
    return {"title": SIZE_TITLE, "subtitle": SIZE_SUBTITLE, "note": SIZE_NOTE}.get(cell.role, SIZE_BODY)


class GridLayout:
    """A grid measured and paginated at one print scale (see the module's doc)."""

    def __init__(self, grid: Grid, setup: PageSetup, label: str = "", page_id: str | None = None,
                 measures: tuple[list[float], list[list[tuple[int, int, float]]]] | None = None):
        self.grid = grid
        self.label = label
        self.page_id = page_id
        self.setup = setup
        s = self.scale = setup.scale
        self.paper_w, self.paper_h = setup.paper
        ml, mt, mr, mb = setup.margins
        # layout mm: paper mm / scale
        self.left, self.top = ml / s, mt / s
        self.right = (self.paper_w - mr) / s
        self.bottom = (self.paper_h - mb) / s
        mins, demand = measures if measures is not None else grid_measures(grid)
        self.col_w = column_widths(grid, self.right - self.left, mins, demand)
        xs = [self.left]
        for w in self.col_w:
            xs.append(xs[-1] + w)
        if len(xs) > 1:
            xs[-1] = self.right
        self.col_x = xs
        self._inner: dict[tuple[int, int], float] = {}
        self.kinds = list(grid.row_kinds) + ["body"] * max(0, grid.n_rows - len(grid.row_kinds))
        self.cells = list(grid.cells)
        self.by_row: list[list[int]] = [[] for _ in range(grid.n_rows)]
        for idx, c in enumerate(self.cells):
            for r in range(max(0, c.row), min(grid.n_rows, c.row + c.rowspan)):
                self.by_row[r].append(idx)
        for lst in self.by_row:
            lst.sort(key=lambda i: self.cells[i].col)
        self.lines: list[tuple[str, ...]] = []
        self.sizes: list[float] = []
        self.words: list[bool] = []
        for c in self.cells:
            size = cell_size(c)
            inner = self.inner_w(c)
            if is_figure(c):
                # a figure is never broken over lines: shrink it to fit its column instead
                w = text_width(c.text, size)
                if w > inner:
                    size = max(MIN_FIGURE_SIZE, math.floor(size * inner / w * 10) / 10)
            words = is_wordy(c)
            self.sizes.append(size)
            self.words.append(words)
            self.lines.append(wrap_text(c.text or "", inner, size, words))
        self.heights = self._row_heights()
        self.signoff_cells = [i for i, c in enumerate(self.cells) if self.kinds[c.row] == "signoff"]
        self.has_signoff = any(k == "signoff" for k in self.kinds)
        self.flow = [r for r in range(grid.n_rows) if self.kinds[r] not in NON_FLOW]
        rr = grid.repeat_rows
        self.repeat = (rr[0], rr[1]) if rr and 0 <= rr[0] <= rr[1] < grid.n_rows else None
        # the header repeats over the table body it heads, not over blocks printed after it (四川 评价结论)
        self.repeat_end = self.repeat[1] if self.repeat else -1
        while self.repeat and self.repeat_end + 1 < grid.n_rows and self.kinds[self.repeat_end + 1] in REPEAT_BODY:
            self.repeat_end += 1
        self.pages = self._paginate()

    # -- measuring
    def inner_w(self, c: Cell) -> float:
        key = (c.col, c.last_col)
        w = self._inner.get(key)
        if w is None:
            x0 = self.col_x[min(c.col, len(self.col_x) - 1)]
            x1 = self.col_x[min(c.last_col + 1, len(self.col_x) - 1)]
            w = self._inner[key] = max(1.0, x1 - x0 - 2 * PAD_X)
        return w

    def cell_x(self, c: Cell) -> tuple[float, float]:
        return self.col_x[min(c.col, len(self.col_x) - 1)], self.col_x[min(c.last_col + 1, len(self.col_x) - 1)]

    def wrap(self, idx: int, text: str, size: float) -> tuple[str, ...]:
        return wrap_text(text, self.inner_w(self.cells[idx]), size, self.words[idx])

    def _need(self, idx: int) -> float:
        c = self.cells[idx]
        n = len(self.lines[idx])
        lh = line_height(self.sizes[idx])
        if c.role == "title":
            return max(n, 1) * lh + 3.0
        if c.role in ("subtitle", "note"):
            return max(n, 1) * lh + 2.0
        return n * lh + 2 * PAD_Y

    def _row_heights(self) -> list[float]:
        n = self.grid.n_rows
        h = [0.0] * n
        for r in range(n):
            kind = self.kinds[r]
            if kind == "spacer":
                h[r] = 3.0
            elif kind in ("title", "note", "signoff"):
                h[r] = 0.0
            else:
                h[r] = MIN_ROW
        merged: list[int] = []
        for idx, c in enumerate(self.cells):
            if c.rowspan > 1:
                merged.append(idx)
            elif 0 <= c.row < n:
                h[c.row] = max(h[c.row], self._need(idx))
        for r in range(n):
            if h[r] == 0.0:
                h[r] = line_height(SIZE_NOTE) + 2.0
        merged.sort(key=lambda i: self.cells[i].rowspan)
        for idx in merged:
            c = self.cells[idx]
            last = min(n - 1, c.last_row)
            have = sum(h[c.row:last + 1])
            need = self._need(idx)
            if need > have + 1e-9:
                h[last] += need - have
        return h

    @property
    def signoff_block(self) -> float:
        """Layout mm the sign-off block takes in the flow: a gap, then the signatures beside
        a seal room of fixed paper size (which may reach into the bottom margin, clear of the footer)."""
        overhang = max(0.0, self.setup.margins[3] - SEAL_EDGE)
        return SIGNOFF_GAP + max(SIGN_LINES, (SEAL_ROOM_H - overhang) / self.scale)

    def content_height(self) -> float:
        """Layout mm of the whole grid in one flow (rows, and the sign-off block)."""
        return sum(self.heights[r] for r in self.flow) + (self.signoff_block if self.has_signoff else 0.0)

    # -- pagination
    def _repeat_height(self) -> float:
        if not self.repeat:
            return 0.0
        return sum(self.heights[self.repeat[0]:self.repeat[1] + 1])

    def _wants_repeat(self, next_row: int) -> bool:
        return self.repeat is not None and self.repeat[1] < next_row <= self.repeat_end

    def fresh_capacity(self, next_row: int) -> float:
        cap = self.bottom - self.top - CONT_HEADER
        if next_row >= 0 and self._wants_repeat(next_row):
            cap -= self._repeat_height()
        return cap

    def _new_page(self, pages: list[PageDraft], next_row: int | None) -> PageDraft:
        first = not pages
        p = PageDraft(continuation=not first)
        p.top = self.top if first else self.top + CONT_HEADER
        p.y = p.top
        pages.append(p)
        if not first and next_row is not None and next_row >= 0 and self._wants_repeat(next_row):
            assert self.repeat is not None
            for r in range(self.repeat[0], self.repeat[1] + 1):
                p.bands.append(Band(r, p.y, self.heights[r], repeated=True))
                p.y += self.heights[r]
        return p

    def _keep_links(self, flow: list[int]) -> list[bool]:
        """keep[i]: flow[i] goes on the page of flow[i + 1]."""
        n = len(flow)
        keep = [False] * n
        kinds = [self.kinds[r] if r >= 0 else "signoff" for r in flow]
        for i in range(n - 1):
            if kinds[i] in KEEP_WITH_NEXT:
                keep[i] = True
        tail = next((i for i in range(n - 1, -1, -1) if kinds[i] == "total"), None)
        if tail is None and flow and flow[-1] == SIGNOFF:
            tail = n - 1
        if tail is not None:
            for i in range(tail, n - 1):  # 总分 → sign-off
                keep[i] = True
            k, linked = tail - 1, 0
            while k >= 0 and kinds[k] == "total":  # 小计 rows right before the 合计 go with it
                keep[k] = True
                k -= 1
            while k >= 0 and linked < 2 and kinds[k] in BODY_KINDS:  # the last two body rows stay with them
                keep[k] = True
                linked += 1
                k -= 1
        return keep

    def _height(self, r: int) -> float:
        return self.signoff_block if r == SIGNOFF else self.heights[r]

    def _splittable(self, r: int) -> bool:
        if r == SIGNOFF:
            return False
        return any(self.cells[idx].rowspan == 1 and self.cells[idx].row == r and len(self.lines[idx]) > 1
                   for idx in self.by_row[r])

    def _paginate(self) -> list[PageDraft]:
        flow = self.flow + ([SIGNOFF] if self.has_signoff else [])
        keep = self._keep_links(flow)
        pages: list[PageDraft] = []
        page = self._new_page(pages, None)
        n = len(flow)
        i = 0
        while i < n:
            j = i
            while j < n - 1 and keep[j]:
                j += 1
            group = flow[i:j + 1]
            gh = sum(self._height(r) for r in group)
            room = self.bottom - page.y
            if gh <= room + 1e-6:
                for r in group:
                    page = self._place(pages, page, r)
                i = j + 1
                continue
            cap = self.fresh_capacity(flow[i])
            fresh = page.flow_rows == 0
            if fresh or gh > cap + 1e-6:
                # the group cannot go whole on any page: its rows one by one, splitting where they must
                page = self._place_run(pages, page, group)
                i = j + 1
                continue
            # it fits on the next page: rather than leave more than a third of this one empty,
            # split a tall text row of the group here (never the 总分/sign-off group)
            k = self._split_candidate(group, room, cap)
            if k is not None:
                for r in group[:k]:
                    page = self._place(pages, page, r)
                page = self._split_row(pages, page, group[k])
                page = self._place_run(pages, page, group[k + 1:])
                i = j + 1
                continue
            page = self._new_page(pages, flow[i])
        return pages

    def _split_candidate(self, group: list[int], room: float, cap: float) -> int | None:
        if room <= cap / 3 or SIGNOFF in group or any(self.kinds[r] == "total" for r in group if r >= 0):
            return None
        before = 0.0
        for k, r in enumerate(group):
            h = self._height(r)
            if self._splittable(r) and h > SPLIT_OVER and before + MIN_PIECE <= room:
                return k
            before += h
            if before > room:
                return None
        return None

    def _place(self, pages: list[PageDraft], page: PageDraft, r: int) -> PageDraft:
        """Put row ``r`` at the page's foot (the caller made sure it fits)."""
        if r == SIGNOFF:
            page.signoff_y = page.y + SIGNOFF_GAP
            page.y += self.signoff_block
            return page
        h = self.heights[r]
        if h > MAX_BAND + 1e-6 and self._splittable(r):
            return self._split_row(pages, page, r)
        page.bands.append(Band(r, page.y, h))
        page.y += h
        page.flow_rows += 1
        return page

    def _place_run(self, pages: list[PageDraft], page: PageDraft, rows: list[int]) -> PageDraft:
        """Place ``rows`` one by one (they cannot go on one page together). The last row
        that may split keeps room below it for the rows that may not and close the form
        (总分, the sign-off), so these never stand alone on a page."""
        for pos, r in enumerate(rows):
            tail = rows[pos + 1:]
            reserve = 0.0
            if (tail and not any(self._splittable(t) for t in tail)
                    and any(t == SIGNOFF or self.kinds[t] == "total" for t in tail)):
                reserve = sum(self._height(t) for t in tail)
                if reserve > self.fresh_capacity(r) - MIN_PIECE:
                    reserve = 0.0  # (they need a page of their own whatever is done)
            page = self._place_one(pages, page, r, reserve)
        return page

    def _place_one(self, pages: list[PageDraft], page: PageDraft, r: int, reserve: float = 0.0) -> PageDraft:
        """Put row ``r`` on this page if it fits, else split it here or start a new page
        (``reserve``: see :meth:`_split_row`)."""
        h = self._height(r)
        room = self.bottom - page.y
        splittable = r != SIGNOFF and self._splittable(r)
        if h <= room + 1e-6 and (h + reserve <= room + 1e-6 or not splittable):
            return self._place(pages, page, r)
        cap = self.fresh_capacity(r)
        if h <= room + 1e-6 and (h < SPLIT_OVER or room < MIN_PIECE) and h + reserve <= cap + 1e-6:
            page = self._fresh_page_for(pages, page, r)  # a short row goes over with what follows it
            return self._place(pages, page, r)
        if splittable and (h <= room + 1e-6 or h > cap + 1e-6 or (h > SPLIT_OVER and room >= MIN_PIECE)):
            if room < MIN_PIECE:
                page = self._fresh_page_for(pages, page, r)
            return self._split_row(pages, page, r, reserve)
        page = self._fresh_page_for(pages, page, r)
        if splittable and h + reserve > self.bottom - page.y + 1e-6:
            return self._split_row(pages, page, r, reserve)
        return self._place(pages, page, r)

    def _fresh_page_for(self, pages: list[PageDraft], page: PageDraft, r: int) -> PageDraft:
        """A new page for row ``r``, taking along header rows left at the old page's foot."""
        moved: list[Band] = []
        while len([b for b in page.bands if not b.repeated]) > len(moved) + 1:
            b = page.bands[-1 - len(moved)]
            if b.repeated or b.slices is not None or self.kinds[b.row] not in HEADER_KINDS:
                break
            moved.append(b)
        for b in moved:
            page.bands.remove(b)
            page.flow_rows -= 1
            page.y -= b.h
        nxt = moved[-1].row if moved else r
        page = self._new_page(pages, nxt)
        for b in reversed(moved):
            page.bands.append(Band(b.row, page.y, b.h))
            page.y += b.h
            page.flow_rows += 1
        return page

    def _split_row(self, pages: list[PageDraft], page: PageDraft, r: int, reserve: float = 0.0) -> PageDraft:
        """Place row ``r`` in pieces over as many pages as it needs, its cells'
        lines distributed over the pieces (no piece taller than :data:`MAX_BAND`).
        ``reserve``: room the rows after it (总分, the sign-off) need below its last
        piece; where they would not fit, its last lines go to the next page with them."""
        own = [idx for idx in self.by_row[r] if self.cells[idx].rowspan == 1 and self.cells[idx].row == r]
        pos = {idx: 0 for idx in own}
        own_need = max([MIN_ROW] + [self._need(idx) for idx in own])
        # height a vertically merged cell ending here asked of this row (its text continues
        # over the pieces; each page break costs it up to a line and the padding)
        grown = self.heights[r] - own_need > 1e-6
        target = self.heights[r]
        label_need = self._continued_need(r)
        placed = 0.0
        piece_no = 0
        while True:
            room = min(self.bottom - page.y, MAX_BAND)
            # a piece that begins a page shows the row's label with “（续）”, at the page's scale
            starts_page = piece_no > 0 and not (page.bands and page.bands[-1].row == r)
            least = max(MIN_PIECE, label_need) if starts_page else MIN_PIECE
            if room < least and page.flow_rows > 0:
                page = self._fresh_page_for(pages, page, r)
                room = min(self.bottom - page.y, MAX_BAND)
                starts_page = piece_no > 0
            slices: dict[int, tuple[int, int]] = {}
            piece = min(room, label_need) if starts_page else MIN_ROW
            for idx in own:
                lines = self.lines[idx]
                lh = line_height(self.sizes[idx])
                fit = max(1, int((room - 2 * PAD_Y + 1e-6) // lh))
                a = pos[idx]
                b = min(len(lines), a + fit)
                slices[idx] = (a, b)
                pos[idx] = b
                if b > a:
                    piece = max(piece, (b - a) * lh + 2 * PAD_Y)
            lines_done = all(pos[idx] >= len(self.lines[idx]) for idx in own)
            carried = False
            if lines_done and reserve > 0 and self.bottom - page.y - piece < reserve - 1e-6:
                # what follows would stand alone on the next page: the last lines go along with it
                piece, carried = self._carry(slices, pos, piece), True
                if not any(b > a for a, b in slices.values()):  # nothing left here: the row starts over there
                    page = self._fresh_page_for(pages, page, r) if piece_no == 0 else self._new_page(pages, r)
                    continue
            elif lines_done and placed + piece < target:
                piece = min(target - placed, max(piece, room))
            page.bands.append(Band(r, page.y, piece, slices, piece=piece_no))
            page.y += piece
            page.flow_rows += 1
            placed += piece
            piece_no += 1
            if lines_done and placed >= target - 1e-6:
                return page
            if grown:
                target += line_height(SIZE_BODY) + 2 * PAD_Y
            if self.bottom - page.y >= MIN_PIECE and not carried:
                continue  # the piece was cut at MAX_BAND: the next one follows on the same page
            page = self._new_page(pages, r)

    def _carry(self, slices: dict[int, tuple[int, int]], pos: dict[int, int], piece: float) -> float:
        """Shorten the last piece of a row by :data:`CARRY_LINES` lines of its longest text
        (every cell as far as the shorter piece holds); returns the piece's new height."""
        longest = max((b - a) * line_height(self.sizes[idx]) for idx, (a, b) in slices.items())
        tallest = max(line_height(self.sizes[idx]) for idx in slices)
        limit = longest - CARRY_LINES * tallest
        new = MIN_ROW
        for idx, (a, b) in list(slices.items()):
            lh = line_height(self.sizes[idx])
            keep = min(b, a + max(0, int((limit + 1e-6) // lh)))
            slices[idx] = (a, keep)
            pos[idx] = keep
            if keep > a:
                new = max(new, (keep - a) * lh + 2 * PAD_Y)
        return new if limit > 0 else 0.0

    def _continued_need(self, r: int) -> float:
        """Height a piece of row ``r`` that begins a page needs for its label and “（续）”
        at full size: the leftmost label cell that ends with the row."""
        labels = [idx for idx in self.by_row[r] if self.cells[idx].role == "label" and self.cells[idx].last_row == r]
        if not labels:
            return MIN_ROW
        idx = min(labels, key=lambda i: self.cells[i].col)
        lines = self.wrap(idx, (self.cells[idx].text or "").rstrip() + CONTINUED, self.sizes[idx])
        return max(MIN_ROW, len(lines) * line_height(self.sizes[idx]) + 2 * PAD_Y)

    # -- what each page shows
    def boxes(self, page_no: int, state: dict[int, int]) -> list[Box]:
        """The boxes of page ``page_no``, in drawing order. ``state`` carries, from
        page to page (call in page order), how many lines of each merged cell
        broken by a page end have been shown."""
        d = self.pages[page_no]
        out: list[Box] = []
        open_runs: dict[int, list[int]] = {}  # cell index -> [first band, last band]
        bands = d.bands
        for b_i, band in enumerate(bands):
            covering = self.by_row[band.row] if 0 <= band.row < len(self.by_row) else []
            for idx in covering:
                run = open_runs.get(idx)
                if run is None:
                    open_runs[idx] = [b_i, b_i]
                else:
                    run[1] = b_i
            nxt = bands[b_i + 1] if b_i + 1 < len(bands) else None
            for idx in list(open_runs):
                c = self.cells[idx]
                # (the pieces of a split row on one page make one box per cell: no rule through its text)
                if nxt is None or not (c.row <= nxt.row <= c.last_row):
                    first, last = open_runs.pop(idx)
                    out.append(self._box(idx, bands, first, last, state))
        # the label of a split row's continuation (the piece that begins a page) says “（续）”:
        # the leftmost label box that begins with the piece (never a cell of the officer's)
        for k, band in enumerate(bands):
            if band.piece == 0 or band.repeated or (k > 0 and bands[k - 1].row == band.row):
                continue
            starting = sorted((b for b in out if b.first == k and self.cells[b.cell].role == "label"),
                              key=lambda b: self.cells[b.cell].col)
            if starting:
                bx = starting[0]
                out[out.index(bx)] = self._continued(bx.cell, bx.first, bx.last, bx.top, bx.bottom)
        return out

    def _box(self, idx: int, bands: list[Band], first: int, last: int, state: dict[int, int]) -> Box:
        c = self.cells[idx]
        top, bot = bands[first].y, bands[last].y + bands[last].h
        size = self.sizes[idx]
        lines = self.lines[idx]
        lh = line_height(size)
        pad = PAD_Y if c.role not in ("title", "subtitle", "note") else 0.0
        text = c.text or ""
        first_slices = bands[first].slices
        slices = [bands[k].slices for k in range(first, last + 1)] if first_slices is not None else [None]
        if all(sl is not None and idx in sl for sl in slices):  # a row split here: its lines on this page
            a, b = slices[0][idx][0], slices[-1][idx][1]  # type: ignore[index]
            if a == 0 and b >= len(lines):
                state[idx] = len(lines)
                return Box(idx, first, last, top, bot, lines, size, True, text, "whole" if lines else "empty")
            if a >= b:
                return Box(idx, first, last, top, bot, (), size, True, "", "empty")
            state[idx] = b
            return Box(idx, first, last, top, bot, lines[a:b], size, True, self._piece_text(idx, a, b), "piece")
        if not lines:
            return Box(idx, first, last, top, bot, (), size, False, "", "empty")
        cap = max(0, int((bot - top - 2 * pad + 1e-6) // lh))
        shown_before = state.get(idx, 0)
        if len(lines) <= cap:
            state[idx] = max(shown_before, len(lines))
            return Box(idx, first, last, top, bot, lines, size, False, text,
                       "repeat" if shown_before >= len(lines) else "whole")
        # a merged box broken by a page end, too small here for its text: repeat a label
        # (or a figure) smaller if it fits; the officer's text continues where it stopped
        avail = bot - top - 2 * pad
        s = size - 1.0
        shrinks = c.role == "label" or is_figure(c)
        while shrinks and s >= MIN_FIGURE_SIZE - 1e-9 and shown_before in (0, len(lines)):
            small = self.wrap(idx, text, s)
            if len(small) * line_height(s) <= avail + 1e-6:
                state[idx] = len(lines)
                return Box(idx, first, last, top, bot, small, s, False, text,
                           "repeat" if shown_before >= len(lines) else "whole")
            s -= 1.0
        a = shown_before
        if a >= len(lines):  # all of it was printed already
            return Box(idx, first, last, top, bot, (), size, True, "", "empty")
        b = min(len(lines), a + cap)
        if b <= a:
            return Box(idx, first, last, top, bot, (), size, True, "", "empty")
        state[idx] = b
        return Box(idx, first, last, top, bot, lines[a:b], size, True, self._piece_text(idx, a, b), "piece")

    def _continued(self, idx: int, first: int, last: int, top: float, bot: float) -> Box:
        """The label cell of a split row's continuation piece: its label and “（续）”."""
        c = self.cells[idx]
        size = self.sizes[idx]
        avail = bot - top - 2 * PAD_Y
        text = (c.text or "").rstrip() + CONTINUED
        s = size
        while s >= MIN_FIGURE_SIZE - 1e-9:
            lines = self.wrap(idx, text, s)
            if len(lines) * line_height(s) <= avail + 1e-6:
                return Box(idx, first, last, top, bot, lines, s, False, text, "continued")
            s -= 1.0
        return Box(idx, first, last, top, bot, self.wrap(idx, CONTINUED, size), size, False, CONTINUED, "continued")

    def _piece_text(self, idx: int, a: int, b: int) -> str:
        """Lines [a, b) of a cell as a piece of its text: the pieces of a text, in
        order, join back into it (spaces and line breaks at the cuts included)."""
        from jixiao.pdf.wrap import clean_text

        lines = self.lines[idx]
        text = clean_text(self.cells[idx].text or "")
        starts = line_starts(self.cells[idx].text or "", lines)
        lo = 0 if a == 0 else starts[a]
        hi = len(text) if b >= len(lines) else starts[b]
        return text[lo:hi]

    def band_pt(self, h: float) -> float:
        """A band's height in points at this layout's scale, as a workbook row height."""
        return h * PT_PER_MM


def _surely_too_tall(lay: GridLayout, scale: float) -> bool:
    """Whether ``lay`` cannot fit one page even at ``scale``: at a smaller scale the
    columns widen by lay.scale / scale, so a text row keeps at least that share of its
    lines (less one, for the wrapping's granularity, and a margin for the new widths)."""
    ratio = scale / lay.scale * 0.85
    low = 0.0
    for r in lay.flow:
        h = lay.heights[r]
        text = h - 2 * PAD_Y
        low += max(min(h, MIN_ROW), text * ratio - line_height(SIZE_BODY) + 2 * PAD_Y)
    overhang = max(0.0, lay.setup.margins[3] - SEAL_EDGE)
    sign = SIGNOFF_GAP + max(SIGN_LINES, (SEAL_ROOM_H - overhang) / scale) if lay.has_signoff else 0.0
    return low + sign > lay.setup.printable[1] / scale + 1e-6  # layout mm (text sizes do not change)


def _printed_height(lay: GridLayout) -> float:
    """Paper mm the whole grid takes in one flow at its layout's scale."""
    return lay.content_height() * lay.scale


def grid_measures(grid: Grid) -> tuple[list[float], list[list[tuple[int, int, float]]]]:
    """What the column widths are made from, whatever the scale: the columns'
    minimum widths and the texts that make rows tall."""
    return content_minimums(grid), text_demand(grid, lambda c: text_width(c.text, cell_size(c)))


def layout_grid(grid: Grid, label: str = "", page_id: str | None = None, *, fit: bool = True) -> GridLayout:
    """Measure and paginate ``grid``. With ``fit`` (缩放到一页, the default) a grid
    that fits one page at no less than its minimum scale is laid out on one
    page at the largest such scale (in whole percents, as Excel scales);
    otherwise it is printed at 实际大小 (100 %, or less when its columns'
    minimum widths need it) over as many pages as it takes."""
    setup = page_setup(grid.orientation, grid.margins)
    width = setup.printable[0]
    measures = grid_measures(grid)
    mins = sum(measures[0])
    floor_scale = max(0.1, min(1.0, float(grid.min_scale or DEFAULT_MIN_SCALE)))
    # columns whose content needs more than the paper's width: shrink the page as Excel's
    # 将所有列调整为一页 does, down to the minimum scale (beyond it figures shrink in their columns)
    base = max(floor_scale, min(1.0, math.floor(width / mins * 100) / 100)) if mins > width else 1.0
    actual = GridLayout(grid, setup.at(base), label, page_id, measures)
    if not fit or len(actual.pages) <= 1:
        return actual
    floor_scale = min(base, floor_scale)
    if _surely_too_tall(actual, floor_scale):
        return actual
    lo = GridLayout(grid, setup.at(floor_scale), label, page_id, measures)
    if len(lo.pages) > 1:
        return actual
    # the largest whole percent between floor_scale and base that still fits (lo fits, hi does not),
    # found with few trial layouts (each is a full wrap of the grid at new column widths): the
    # printed height grows about linearly with the scale, so a candidate is read off the line
    # through the heights at lo and hi, and its neighbour above (if it fits) or below (if not)
    # most often settles it; after SECANT_TRIALS trials, plain bisection bounds the search.
    avail = setup.printable[1]
    lo_pct, hi_pct = round(floor_scale * 100), round(base * 100)
    lo_h, hi_h = _printed_height(lo), _printed_height(actual)
    best, best_pct = lo, lo_pct
    probe: int | None = None
    tries = 0
    while lo_pct < hi_pct - 1:
        if probe is not None and lo_pct < probe < hi_pct:
            cand = probe
        elif tries >= SECANT_TRIALS or hi_h <= lo_h:
            cand = (lo_pct + hi_pct) // 2
        else:
            cand = lo_pct + math.floor((avail - lo_h) / (hi_h - lo_h) * (hi_pct - lo_pct))
        cand = min(hi_pct - 1, max(lo_pct + 1, cand))
        probed = cand == probe
        tries += 1
        trial = GridLayout(grid, setup.at(cand / 100), label, page_id, measures)
        fits = len(trial.pages) <= 1
        if fits:
            best, best_pct, lo_pct, lo_h = trial, cand, cand, _printed_height(trial)
        else:
            hi_pct, hi_h = cand, _printed_height(trial)
        probe = None if probed else cand + (1 if fits else -1)
    assert best_pct >= round(floor_scale * 100)
    return best


__all__ = ["Band", "Box", "GridLayout", "PageDraft", "layout_grid", "MM_PER_PT"]
