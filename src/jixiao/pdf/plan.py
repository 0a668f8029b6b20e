"""Backend-neutral page plan of the printed forms.

:func:`plan_document` lays the grids of :mod:`jixiao.core.layout` out on A4
pages and returns a list of :class:`Page`: straight rules and already-wrapped
text runs, positioned in millimetres from the top-left corner of the page.
Every measurement is made here, with the advance widths of the bundled font
(``resources/fonts/ARPLUMingCN.ttf``, see :func:`jixiao.fonts.cjk_font_path`),
so any backend that draws each :class:`TextRun` at its baseline with that font
file at ``size`` points reproduces the layout exactly: the reportlab writer of
:mod:`jixiao.pdf.writer` and the GUI's QPainter print preview draw the same
pages.

Drawing contract for backends:

- a :class:`Rule` is a straight black line ``width`` points wide with square
  caps, from ``(x1, y1)`` to ``(x2, y2)``;
- a :class:`TextRun` is drawn left-to-right starting at ``x`` with its
  baseline at ``y``, in the bundled font at ``size`` points, black. It never
  needs wrapping, alignment or measuring: that is done. ``bold`` asks for a
  fake bold (the font has no bold face): stroke the glyph outlines with a
  line ``size * BOLD_STROKE`` points wide in addition to filling them; this
  does not change advance widths;
- ``Page.seal`` is the blank room left for the unit's seal (informational).

Pagination: columns are scaled to the printable width; a row is as tall as
its tallest wrapped cell (a vertically merged cell's extra height goes to its
last row); rows flow onto pages, header rows keep with the following row,
the grid's ``repeat_rows`` are repeated below a small “（续）” line on
continuation pages, vertically merged boxes broken by a page end are closed
there and reopened (with their label) on the next page, and a row too tall
for the space left is split into pieces with its lines distributed, so no
text is ever cut off or lost. The sign-off block (单位负责人 / 财务负责人 /
填表人 / 填报日期 and 填报单位（盖章） with room for a 42 mm seal) ends the
form's last page; “第 N 页 共 M 页” is counted within each form.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.core.grid import Cell, Grid, GridColumn
from jixiao.core.layout import document_grids
from jixiao.core.model import Document
from jixiao.fonts import CJK_FAMILY as FONT_FAMILY  # noqa: F401  (for backends: the family inside the font file)

# ------------------------------------------------------------------ the plan


@dataclass(frozen=True, slots=True)
class Rule:
    """A straight line; millimetres, origin at the top-left corner of the page."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.5  # points


@dataclass(frozen=True, slots=True)
class TextRun:
    """One already-wrapped line of text, drawn with its baseline at ``y``."""

    x: float  # mm from the left edge of the page
    y: float  # mm from the top edge of the page: the BASELINE
    text: str
    size: float  # points
    bold: bool = False  # fake bold (the font has no bold face)


@dataclass(slots=True)
class Page:
    width: float  # mm (A4: 210 x 297 or 297 x 210)
    height: float
    rules: list[Rule] = field(default_factory=list)
    texts: list[TextRun] = field(default_factory=list)
    form_id: str | None = None  # the form drawn on this page; "summary" for the 汇总表
    seal: tuple[float, float, float, float] | None = None  # (x, y, w, h) mm kept blank for the seal


# ------------------------------------------------------------------ geometry constants

MM_PER_PT = 25.4 / 72.0
A4_SHORT, A4_LONG = 210.0, 297.0
FONT_NAME = "JixiaoSong"  # the name the bundled font is registered under in reportlab
BOLD_STROKE = 0.035  # fake-bold outline stroke, as a fraction of the font size
LEADING = 1.3  # line height / font size
ASCENT = 0.879  # of the em, from the font's hhea table (descent 0.121)

RULE_WIDTH = 0.5  # pt
SIZE_TITLE = 16.0
SIZE_SUBTITLE = 11.0
SIZE_NOTE = 10.0
SIZE_BODY = 9.0
SIZE_FOOTER = 9.0
SIZE_CONT = 9.0

PAD_X = 1.2  # mm inside a cell, left and right
PAD_Y = 1.0  # mm inside a cell, top and bottom
MIN_ROW = 7.0  # mm, the minimum height of a ruled row
MIN_PIECE = 14.0  # mm: never start a split piece in less room than this
SPLIT_OVER = 30.0  # mm: rows taller than this may break across pages
CONT_HEADER = 7.0  # mm taken by the “（续）” line on continuation pages
FOOTER_FROM_BOTTOM = 7.0  # mm from the page's bottom edge to the footer baseline

SEAL_SIZE = 42.0  # mm, a unit seal
SEAL_ROOM_H = 46.0  # mm of blank height kept for it
SEAL_ROOM_W = 64.0  # mm (at least)
SIGNOFF_GAP = 4.0  # mm between the grid and the sign-off block
SIGNOFF_BLOCK = SIGNOFF_GAP + SEAL_ROOM_H
SIGN_MIN_W = 42.0  # mm per signature label

MARGINS = {  # left, top, right, bottom (mm); the footer lives in the bottom margin
    "landscape": (15.0, 12.0, 15.0, 14.0),
    "portrait": (15.0, 15.0, 15.0, 16.0),
}

NUMERIC_KINDS = {"money", "score", "rate", "number"}
MIN_FIGURE_SIZE = 6.0  # pt: the smallest a figure shrinks to before it wraps

KEEP_WITH_NEXT = {"title", "note", "funds-header", "texts-header", "items-header", "table-header",
                  "indicator-header", "section"}
NON_FLOW = {"spacer", "signoff"}
REPEAT_BODY = {"indicator", "total", "body", "section"}  # row kinds a repeated header heads


def line_height(size: float) -> float:
    """Height in mm of one line of text at ``size`` points."""
    return size * LEADING * MM_PER_PT


def baseline_offset(size: float) -> float:
    """Distance in mm from the top of a line box to its baseline."""
    em = size * MM_PER_PT
    return (line_height(size) - em) / 2 + ASCENT * em


# ------------------------------------------------------------------ font and measuring

_font_lock = threading.Lock()
_font_ready = False
_widths: dict[str, float] = {}  # char -> advance in 1/1000 em


def ensure_font() -> str:
    """Register the bundled TrueType font with reportlab (once) and return its name.

    Raises :class:`jixiao.core.fileio.DocumentError` when the font is missing or unreadable.
    """
    global _font_ready
    if _font_ready:
        return FONT_NAME
    with _font_lock:
        if _font_ready:
            return FONT_NAME
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        from jixiao.core.fileio import DocumentError
        from jixiao.fonts import cjk_font_path

        path = cjk_font_path()
        try:
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))
        except Exception as exc:  # reportlab raises TTFError, OSError, struct errors …
            raise DocumentError(f"无法加载内置中文字体 {path.name}：{exc}。请重新安装本程序") from exc
        _font_ready = True
    return FONT_NAME


def _char_width(ch: str) -> float:
    w = _widths.get(ch)
    if w is None:
        from reportlab.pdfbase import pdfmetrics

        w = pdfmetrics.stringWidth(ch, ensure_font(), 1000.0)
        _widths[ch] = w
    return w


def _units(text: str) -> float:
    widths = _widths
    total = 0.0
    for ch in text:
        w = widths.get(ch)
        if w is None:
            w = _char_width(ch)
        total += w
    return total


def text_width(text: str, size: float) -> float:
    """Width in mm of ``text`` at ``size`` points in the bundled font."""
    ensure_font()
    return _units(text) * size / 1000.0 * MM_PER_PT


# ------------------------------------------------------------------ CJK line breaking

# A line may not start with closing punctuation, nor end with opening punctuation (kinsoku).
NO_START = set("，。、；：？！）》」』】〕〉｝］”’…‥・·％‰℃,.;:?!)]}%")
NO_END = set("（《「『【〔〈｛［“‘([{≥≤＜＞￥$#")
_ATOM_RE = re.compile(r" +|[\x21-\x7e\u00a0-\u024f]+|.", re.S)
_HYPHEN_RE = re.compile(r"(?<=[A-Za-z]-)(?=[A-Za-z])")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """What is printed for ``text``: line ends unified, tabs as spaces, control
    characters and lone surrogates dropped. Nothing is interpreted."""
    t = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    t = _CONTROL_RE.sub("", t)
    if any("\ud800" <= ch <= "\udfff" for ch in t):
        t = "".join(ch for ch in t if not "\ud800" <= ch <= "\udfff")
    # decomposed sequences print better composed (the font has no combining marks)
    return unicodedata.normalize("NFC", t)


@lru_cache(maxsize=65536)
def wrap_text(text: str, width: float, size: float) -> tuple[str, ...]:
    """Break ``text`` into lines no wider than ``width`` mm at ``size`` points.

    Breaks are allowed between CJK characters and at spaces; runs of Latin
    letters, digits and ASCII signs (``R&D``, ``<=5%``, ``3,628.92``) stay
    together unless a run alone is wider than the line. Closing punctuation is
    not left at a line start, opening punctuation not at a line end. Explicit
    line breaks are kept (an empty paragraph is an empty line). Empty text
    gives no lines.
    """
    ensure_font()
    if not text:
        return ()
    max_units = width / (size * MM_PER_PT) * 1000.0 + 1e-6
    out: list[str] = []
    for para in clean_text(text).split("\n"):
        if not para.strip(" "):
            out.append("")
            continue
        out.extend(_wrap_para(para, max_units))
    while out and out[-1] == "":
        out.pop()
    return tuple(out)


def _wrap_para(para: str, max_units: float) -> list[str]:
    atoms: list[str] = []
    widths: list[float] = []
    raw: list[str] = []
    for a in _ATOM_RE.findall(para):
        if "-" in a and len(a) > 2:
            raw.extend(p for p in _HYPHEN_RE.split(a) if p)  # deviation-|reason-|missing
        else:
            raw.append(a)
    for a in raw:
        w = _units(a)
        if w > max_units and len(a) > 1:
            # a run wider than the line: cut it into pieces that fit
            piece, pw = "", 0.0
            for ch in a:
                cw = _units(ch)
                if piece and pw + cw > max_units:
                    atoms.append(piece)
                    widths.append(pw)
                    piece, pw = "", 0.0
                piece += ch
                pw += cw
            if piece:
                atoms.append(piece)
                widths.append(pw)
        else:
            atoms.append(a)
            widths.append(w)
    lines: list[str] = []
    n = len(atoms)
    i = 0
    while i < n:
        w = 0.0
        j = i
        while j < n and w + widths[j] <= max_units:
            w += widths[j]
            j += 1
        if j >= n:
            lines.append("".join(atoms[i:n]).rstrip(" "))
            break
        if j == i:  # a single glyph wider than the column: it gets a line of its own
            j = i + 1
        k = j
        if atoms[k][0] != " ":
            tries = 0
            while k > i + 1 and tries < 4 and (atoms[k][0] in NO_START or atoms[k - 1][-1] in NO_END):
                k -= 1
                tries += 1
            if atoms[k][0] in NO_START or atoms[k - 1][-1] in NO_END:
                k = j
        line = "".join(atoms[i:k]).rstrip(" ")
        lines.append(line)
        i = k
        while i < n and atoms[i][0] == " ":
            i += 1
    return lines


# ------------------------------------------------------------------ grid layout


@dataclass(slots=True)
class _Band:
    """One placed piece of a grid row on a page."""

    row: int
    y: float
    h: float
    slices: dict[int, tuple[int, int]] | None = None  # cell index -> line range, for split rows


@dataclass(slots=True)
class _PageDraft:
    bands: list[_Band] = field(default_factory=list)
    top: float = 0.0  # where the flow starts
    y: float = 0.0  # where the next band goes
    continuation: bool = False
    flow_rows: int = 0  # bands placed that are not repeated header rows
    signoff_y: float | None = None


def _cell_size(cell: Cell) -> float:
    return {"title": SIZE_TITLE, "subtitle": SIZE_SUBTITLE, "note": SIZE_NOTE}.get(cell.role, SIZE_BODY)


class _GridLayout:
    def __init__(self, grid: Grid, label: str, page_id: str | None):
        self.grid = grid
        self.label = label
        self.page_id = page_id
        portrait = grid.orientation == "portrait"
        self.page_w, self.page_h = (A4_SHORT, A4_LONG) if portrait else (A4_LONG, A4_SHORT)
        ml, mt, mr, mb = MARGINS["portrait" if portrait else "landscape"]
        self.left, self.top = ml, mt
        self.right = self.page_w - mr
        self.bottom = self.page_h - mb
        widths = [max(0.0, float(c.width)) for c in grid.columns] or [1.0]
        total = sum(widths) or float(len(widths))
        scale = (self.right - self.left) / total
        xs = [self.left]
        for w in widths:
            xs.append(xs[-1] + (w * scale if sum(widths) else scale))
        xs[-1] = self.right
        self.col_x = xs
        self.kinds = list(grid.row_kinds) + ["body"] * max(0, grid.n_rows - len(grid.row_kinds))
        self.cells = list(grid.cells)
        self.by_row: list[list[int]] = [[] for _ in range(grid.n_rows)]
        for idx, c in enumerate(self.cells):
            for r in range(max(0, c.row), min(grid.n_rows, c.row + c.rowspan)):
                self.by_row[r].append(idx)
        self.lines: list[tuple[str, ...]] = []
        self.sizes: list[float] = []
        for c in self.cells:
            size = _cell_size(c)
            inner = self._inner_w(c)
            if c.kind in NUMERIC_KINDS and c.text and "\n" not in c.text:
                # a figure is never broken over lines: shrink it to fit its column instead
                w = text_width(c.text, size)
                if w > inner:
                    size = max(MIN_FIGURE_SIZE, math.floor(size * inner / w * 10) / 10)
            self.sizes.append(size)
            self.lines.append(wrap_text(c.text or "", inner, size))
        self.heights = self._row_heights()
        self.signoff_cells = [i for i, c in enumerate(self.cells) if self.kinds[c.row] == "signoff"]
        self.has_signoff = any(k == "signoff" for k in self.kinds)
        self.flow = [r for r in range(grid.n_rows) if self.kinds[r] not in NON_FLOW]
        self.state: dict[int, int] = {}  # merged cell -> next line to print, when split
        rr = grid.repeat_rows
        self.repeat = (rr[0], rr[1]) if rr and 0 <= rr[0] <= rr[1] < grid.n_rows else None
        # the header repeats over the table body it heads, not over blocks printed after it (四川 评价结论)
        self.repeat_end = self.repeat[1] if self.repeat else -1
        while self.repeat and self.repeat_end + 1 < grid.n_rows and self.kinds[self.repeat_end + 1] in REPEAT_BODY:
            self.repeat_end += 1

    # -- measuring
    def _inner_w(self, c: Cell) -> float:
        x0 = self.col_x[min(c.col, len(self.col_x) - 1)]
        x1 = self.col_x[min(c.last_col + 1, len(self.col_x) - 1)]
        return max(1.0, x1 - x0 - 2 * PAD_X)

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

    # -- pagination
    def _repeat_height(self) -> float:
        if not self.repeat:
            return 0.0
        return sum(self.heights[self.repeat[0]:self.repeat[1] + 1])

    def _wants_repeat(self, next_row: int) -> bool:
        return self.repeat is not None and self.repeat[1] < next_row <= self.repeat_end

    def _fresh_capacity(self, next_row: int) -> float:
        cap = self.bottom - self.top - CONT_HEADER
        if self._wants_repeat(next_row):
            cap -= self._repeat_height()
        return cap

    def _new_page(self, pages: list[_PageDraft], next_row: int | None) -> _PageDraft:
        first = not pages
        p = _PageDraft(continuation=not first)
        p.top = self.top if first else self.top + CONT_HEADER
        p.y = p.top
        pages.append(p)
        if not first and next_row is not None and self._wants_repeat(next_row):
            for r in range(self.repeat[0], self.repeat[1] + 1):
                p.bands.append(_Band(r, p.y, self.heights[r]))
                p.y += self.heights[r]
        return p

    def paginate(self) -> list[_PageDraft]:
        pages: list[_PageDraft] = []
        page = self._new_page(pages, None)
        flow = self.flow
        n = len(flow)
        i = 0
        while i < n:
            r = flow[i]
            h = self.heights[r]
            room = self.bottom - page.y
            fresh = page.flow_rows == 0
            extra = 0.0
            if self.kinds[r] in KEEP_WITH_NEXT and i + 1 < n:
                nh = self.heights[flow[i + 1]]
                extra = nh if nh <= SPLIT_OVER else MIN_PIECE
            elif i == n - 1 and self.has_signoff:
                extra = SIGNOFF_BLOCK
            if h + extra <= room + 1e-6 or (fresh and h <= room + 1e-6):
                page.bands.append(_Band(r, page.y, h))
                page.y += h
                page.flow_rows += 1
                i += 1
                continue
            multiline = any(self.cells[idx].rowspan == 1 and self.cells[idx].row == r and len(self.lines[idx]) > 1
                            for idx in self.by_row[r])
            if h > self._fresh_capacity(r) + 1e-6 or (multiline and h > SPLIT_OVER and room >= MIN_PIECE):
                page = self._split_row(pages, page, r)
                i += 1
                continue
            page = self._new_page(pages, r)
        if self.has_signoff:
            if self.bottom - page.y < SIGNOFF_BLOCK - 1e-6:
                page = self._new_page(pages, None)
            page.signoff_y = page.y + SIGNOFF_GAP
        return pages

    def _split_row(self, pages: list[_PageDraft], page: _PageDraft, r: int) -> _PageDraft:
        """Place row ``r`` in pieces over as many pages as it needs, its cells'
        lines distributed over the pieces."""
        own = [idx for idx in self.by_row[r] if self.cells[idx].rowspan == 1 and self.cells[idx].row == r]
        pos = {idx: 0 for idx in own}
        own_need = max([MIN_ROW] + [self._need(idx) for idx in own])
        # height a vertically merged cell ending here asked of this row (its text continues
        # over the pieces; each page break costs it up to a line and the padding)
        grown = self.heights[r] - own_need > 1e-6
        target = self.heights[r]
        placed = 0.0
        while True:
            room = self.bottom - page.y
            if room < MIN_PIECE and page.flow_rows > 0:
                page = self._new_page(pages, r)
                room = self.bottom - page.y
            slices: dict[int, tuple[int, int]] = {}
            piece = MIN_ROW
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
            if lines_done and placed + piece < target:
                piece = min(target - placed, max(piece, room))
            page.bands.append(_Band(r, page.y, piece, slices))
            page.y += piece
            page.flow_rows += 1
            placed += piece
            if lines_done and placed >= target - 1e-6:
                return page
            if grown:
                target += line_height(SIZE_BODY) + 2 * PAD_Y
            page = self._new_page(pages, r)

    # -- drawing
    def render(self) -> list[Page]:
        drafts = self.paginate()
        out: list[Page] = []
        total = len(drafts)
        for no, d in enumerate(drafts, 1):
            page = Page(self.page_w, self.page_h, [], [], form_id=self.page_id)
            rules: dict[tuple[float, float, float, float], None] = {}
            if d.continuation:
                cont = f"{self.grid.title}（续）"
                if self.label:
                    cont += f"　{self.label}"
                for k, line in enumerate(wrap_text(cont, self.right - self.left, SIZE_CONT)[:1]):
                    page.texts.append(TextRun(self.left, round(self.top + baseline_offset(SIZE_CONT), 3), line, SIZE_CONT))
            self._draw_bands(d, page, rules)
            if d.signoff_y is not None:
                self._draw_signoff(d.signoff_y, page)
            footer = f"第 {no} 页 共 {total} 页"
            fw = text_width(footer, SIZE_FOOTER)
            page.texts.append(TextRun(round((self.page_w - fw) / 2, 3), self.page_h - FOOTER_FROM_BOTTOM,
                                      footer, SIZE_FOOTER))
            page.rules.extend(Rule(*k, width=RULE_WIDTH) for k in rules)
            out.append(page)
        return out

    def _draw_bands(self, d: _PageDraft, page: Page, rules: dict) -> None:
        open_runs: dict[int, list] = {}  # cell index -> [top, bottom, slices-or-None]
        order: list[int] = []
        bands = d.bands
        for b_i, band in enumerate(bands):
            covering = self.by_row[band.row] if 0 <= band.row < len(self.by_row) else []
            for idx in covering:
                run = open_runs.get(idx)
                if run is None:
                    open_runs[idx] = [band.y, band.y + band.h, band.slices]
                    order.append(idx)
                else:
                    run[1] = band.y + band.h
                    run[2] = None  # a run over several bands is drawn as a merged box
            nxt = bands[b_i + 1].row if b_i + 1 < len(bands) else None
            for idx in list(open_runs):
                c = self.cells[idx]
                if nxt is None or not (c.row <= nxt <= c.last_row):
                    top, bot, slices = open_runs.pop(idx)
                    self._draw_cell(idx, top, bot, slices, page, rules)

    def _draw_cell(self, idx: int, top: float, bot: float, slices, page: Page, rules: dict) -> None:
        c = self.cells[idx]
        x0 = self.col_x[c.col]
        x1 = self.col_x[min(c.last_col + 1, len(self.col_x) - 1)]
        if c.border:
            t, b, l_, r_ = round(top, 3), round(bot, 3), round(x0, 3), round(x1, 3)
            rules[(l_, t, r_, t)] = None
            rules[(l_, b, r_, b)] = None
            rules[(l_, t, l_, b)] = None
            rules[(r_, t, r_, b)] = None
        lines = self.lines[idx]
        if not lines:
            return
        size = self.sizes[idx]
        lh = line_height(size)
        pad = PAD_Y if c.role not in ("title", "subtitle", "note") else 0.0
        valign_top = False
        if slices is not None and idx in slices:
            a, b = slices[idx]
            shown = lines[a:b]
            valign_top = True
        else:
            cap = max(0, int((bot - top - 2 * pad + 1e-6) // lh))
            if len(lines) <= cap:
                shown = lines
                self.state[idx] = max(self.state.get(idx, 0), len(lines))
            else:
                # a merged box broken by a page end, too small here for its text:
                # repeat the label smaller if it fits, else continue the text where it stopped
                avail = bot - top - 2 * pad
                shown = ()
                s = size - 1.0
                while s >= MIN_FIGURE_SIZE - 1e-9:
                    small = wrap_text(c.text or "", x1 - x0 - 2 * PAD_X, s)
                    if len(small) * line_height(s) <= avail + 1e-6:
                        shown, size, lh = small, s, line_height(s)
                        break
                    s -= 1.0
                if not shown:
                    a = self.state.get(idx, 0)
                    if a >= len(lines):  # all of it was printed already
                        return
                    shown = lines[a:a + cap]
                    self.state[idx] = a + len(shown)
                    valign_top = True
        if not shown:
            return
        block = len(shown) * lh
        y = top + pad if valign_top else top + (bot - top - block) / 2
        inner_l, inner_r = x0 + PAD_X, x1 - PAD_X
        for k, line in enumerate(shown):
            if not line:
                continue
            if c.align == "left":
                x = inner_l
            else:
                w = text_width(line, size)
                x = inner_r - w if c.align == "right" else x0 + (x1 - x0 - w) / 2
            page.texts.append(TextRun(round(x, 3), round(y + k * lh + baseline_offset(size), 3), line, size,
                                      bool(c.bold)))

    def _draw_signoff(self, y: float, page: Page) -> None:
        unit_line = ""
        labels: list[str] = []
        for idx in self.signoff_cells:
            if "盖章" not in self.cells[idx].text:  # the stamp line goes into the seal room below
                labels.append(self.cells[idx].text)
        for c in self.cells:
            if c.role == "note" and "盖章" in c.text:
                unit_line = c.text
        pw = self.right - self.left
        seal_w = max(SEAL_ROOM_W, pw * 0.3)
        seal_x = self.right - seal_w
        page.seal = (round(seal_x, 3), round(y, 3), round(seal_w, 3), SEAL_ROOM_H)
        # the unit's name, in the middle of the seal room (a seal is stamped over it)
        lines = wrap_text(unit_line, seal_w - 2 * PAD_X, SIZE_NOTE) if unit_line else []  # none: stamped in the grid
        lh = line_height(SIZE_NOTE)
        ty = y + (SEAL_ROOM_H - len(lines) * lh) / 2
        for k, line in enumerate(lines):
            page.texts.append(TextRun(round(seal_x + PAD_X, 3), round(ty + k * lh + baseline_offset(SIZE_NOTE), 3),
                                      line, SIZE_NOTE))
        # the signatures, left of the seal room, as many per line as fit
        area = seal_x - 6.0 - self.left
        per_line = max(1, min(len(labels) or 1, int(area // SIGN_MIN_W)))
        col_w = area / per_line
        lh_sign = 10.0
        for k, text in enumerate(labels):
            row, col = divmod(k, per_line)
            x = self.left + col * col_w
            for m, line in enumerate(wrap_text(text, col_w - 4.0, SIZE_NOTE)[:2]):
                page.texts.append(TextRun(round(x, 3),
                                          round(y + 4.0 + row * lh_sign + m * lh + baseline_offset(SIZE_NOTE), 3),
                                          line, SIZE_NOTE))


def plan_grid(grid: Grid, *, label: str = "", page_id: str | None = None) -> list[Page]:
    """Lay one grid out on pages (numbered within the grid)."""
    ensure_font()
    return _GridLayout(grid, label, page_id if page_id is not None else grid.form_id).render()


def plan_document(doc: Document, form_ids: list[str] | None = None, *, include_summary: bool = True) -> list[Page]:
    """Every form of ``doc`` (or those in ``form_ids``; ``"summary"`` selects the
    汇总表) in document order, each starting on a new page."""
    ensure_font()
    names = {f.id: f.display_name() for f in doc.forms}
    pages: list[Page] = []
    for grid in document_grids(doc, form_ids, include_summary=include_summary):
        page_id = grid.form_id if grid.form_id is not None else "summary"
        label = names.get(grid.form_id or "", "") if grid.form_id else doc.unit
        pages.extend(_GridLayout(grid, label, page_id).render())
    return pages


# ------------------------------------------------------------------ the findings report

REPORT_TITLE = "校验报告"


def _location(doc: Document, form_id: str | None, path: str) -> str:
    from jixiao.core.fields import describe

    form = doc.form_by_id(form_id) if form_id else None
    fd = doc.template.form(form.kind) if form is not None else None
    return describe(fd, form, path) or "（整表）"


def findings_grid(doc: Document) -> Grid:
    """The 校验报告 as a grid (portrait): findings grouped by form."""
    from jixiao.core.validation import SEVERITY_NAMES, validate_document

    findings = validate_document(doc)
    cols = [GridColumn("序号", 5), GridColumn("级别", 6), GridColumn("位置", 26), GridColumn("问题说明", 54),
            GridColumn("代码", 17)]
    g = Grid(title=REPORT_TITLE, columns=cols, orientation="portrait")
    w = g.n_cols
    r = g.new_row("title")
    g.add(Cell(r, 0, colspan=w, text=REPORT_TITLE, role="title", border=False, bold=True))
    counts = {k: sum(1 for f in findings if f.severity == k) for k in SEVERITY_NAMES}
    summary = "，".join(f"{SEVERITY_NAMES[k]} {n} 条" for k, n in counts.items())
    r = g.new_row("title")
    g.add(Cell(r, 0, colspan=w, text=f"（{doc.year}年度）", role="subtitle", border=False))
    r = g.new_row("note")
    g.add(Cell(r, 0, colspan=w, text=f"填报单位：{doc.unit}　　共 {len(findings)} 条：{summary}", role="note",
               border=False, align="left"))
    header = g.new_row("indicator-header")
    for j, c in enumerate(cols):
        g.add(Cell(header, j, text=c.key, bold=True))
    g.repeat_rows = (header, header)
    template = doc.template
    by_form: dict[str | None, list] = {}
    for f in findings:
        by_form.setdefault(f.form_id, []).append(f)
    order: list[str | None] = [f.id for f in doc.forms] + [k for k in by_form if k not in {f.id for f in doc.forms}]
    n = 0
    for fid in order:
        form = doc.form_by_id(fid) if fid else None
        items = by_form.get(fid, [])
        if form is not None:
            title = f"{template.form(form.kind).title}：{form.display_name()}"
        else:
            title = "整份文档"
        if not items and form is None:
            continue
        r = g.new_row("section")
        g.add(Cell(r, 0, colspan=w, text=title + ("" if items else "　（未发现问题）"), align="left", bold=True))
        for f in items:
            n += 1
            r = g.new_row("body")
            g.add(Cell(r, 0, text=str(n)))
            g.add(Cell(r, 1, text=SEVERITY_NAMES.get(f.severity, f.severity)))
            g.add(Cell(r, 2, text=_location(doc, f.form_id, f.field), align="left"))
            g.add(Cell(r, 3, text=f.message, align="left"))
            g.add(Cell(r, 4, text=f.code, align="left"))
    if not doc.forms:
        r = g.new_row("body")
        g.add(Cell(r, 0, colspan=w, text="文档中没有表"))
    return g


def plan_findings(doc: Document) -> list[Page]:
    """The optional 校验报告: every finding of ``validate_document``, grouped by form, on A4 portrait."""
    ensure_font()
    return _GridLayout(findings_grid(doc), doc.unit, None).render()
