"""The 自评报告 as PDF pages, through the forms' own pipeline.

:func:`plan_report` lays a :class:`~jixiao.core.selfreport.Report` out on
A4 pages as the same backend-neutral :class:`~jixiao.pdf.plan.Page` plan
the forms use (rules and already-wrapped text runs in the bundled font), so
:func:`jixiao.pdf.writer.render_pages` draws it and the GUI previews it with
QPainter like any printout. The page follows the Word report
(:mod:`jixiao.word.styles`): GB/T 9704 margins, title 二号, body and headings
三号 on a fixed 28 pt line pitch with a two-character first-line indent,
first-level headings in (fake) bold as the bundled font has one face, tables
ruled with their header repeated on each page, the page number “— N —”.
Each 附表 is the form's own page plan (:func:`jixiao.pdf.plan.plan_grid`),
renumbered into the report's sequence.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from jixiao.core.fileio import DocumentError, atomic_write
from jixiao.core.selfreport import KIND_NAMES, Appendix, Heading, PageBreak, Paragraph, Report, Table
from jixiao.pdf.plan import (
    FOOTER_FROM_BOTTOM,
    Page,
    Rule,
    baseline_offset,
    emit,
    line_height,
    plan_grid,
    text_width,
    wrap_text,
)

MM_PER_PT = 25.4 / 72.0
PAGE_W, PAGE_H = 210.0, 297.0
TOP, BOTTOM, LEFT, RIGHT = 37.0, 35.0, 28.0, 26.0  # GB/T 9704 margins, mm

SIZE_TITLE = 22.0  # 二号
SIZE_BODY = 16.0  # 三号
SIZE_CAPTION = 14.0  # 四号
SIZE_NOTE = 12.0  # 小四
SIZE_TABLE = 10.5  # 五号
SIZE_PAGE_NO = 14.0  # 四号
PITCH_BODY = 28.0 * MM_PER_PT  # fixed line pitch, mm
PITCH_TITLE = 36.0 * MM_PER_PT
INDENT = "\u3000\u3000"  # two ideographic spaces: the first-line indent of two characters
PAD_X, PAD_Y = 1.5, 1.0  # mm inside a table cell
RULE_W = 0.5  # pt
PAGE_NO_GAP = 7.0  # mm from the text block's bottom edge to the top of the page number

TITLE_STYLES = ("title", "subtitle", "line")
_FORM_FOOTER = re.compile(r"^第 \d+ 页 共 \d+ 页$")


def _em(size: float) -> float:
    return size * MM_PER_PT


class _Flow:
    """Places lines and tables on portrait pages, top to bottom."""

    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.page: Page | None = None
        self.y = TOP
        self.width = PAGE_W - LEFT - RIGHT
        self.bottom = PAGE_H - BOTTOM

    def new_page(self) -> Page:
        self.page = Page(PAGE_W, PAGE_H)
        self.pages.append(self.page)
        self.y = TOP
        return self.page

    def current(self) -> Page:
        return self.page if self.page is not None else self.new_page()

    def room(self) -> float:
        return self.bottom - self.y if self.page is not None else self.bottom - TOP

    def ensure(self, height: float) -> Page:
        """A page with ``height`` mm left (a new page when this one is fuller, unless it is empty)."""
        page = self.current()
        if self.y + height > self.bottom + 1e-6 and self.y > TOP + 1e-6:
            page = self.new_page()
        return page

    def line(self, text: str, size: float, pitch: float, align: str = "left", bold: bool = False) -> None:
        page = self.ensure(pitch)
        if text:
            y = self.y + (pitch - _em(size)) / 2 + 0.879 * _em(size)  # the baseline, centred in the pitch
            if align == "center":
                x = LEFT + (self.width - text_width(text, size)) / 2
            elif align == "right":
                x = LEFT + self.width - text_width(text, size)
            else:
                x = LEFT
            emit(page, x, y, text, size, bold)
        self.y += pitch

    def paragraph(self, text: str, size: float, pitch: float, *, indent: bool, align: str = "left",
                  bold: bool = False, keep: int = 0) -> None:
        """``text`` wrapped to the text width; ``keep`` lines of what follows stay on the same page."""
        lines = wrap_text((INDENT if indent else "") + text, self.width, size) or ("",)
        if keep:
            self.ensure(pitch * (min(len(lines), 2) + keep))
        for line in lines:
            self.line(line, size, pitch, align, bold)

    # ------------------------------------------------------------ tables
    def table(self, t: Table) -> None:
        if t.caption:
            self.paragraph(t.caption, SIZE_CAPTION, PITCH_BODY, indent=False, align="center", keep=2)
        if t.note:
            self.paragraph(t.note, SIZE_NOTE, line_height(SIZE_NOTE) + 1.0, indent=False, align="right", keep=2)
        total = sum(t.widths) or float(len(t.widths))
        xs = [LEFT]
        for w in t.widths:
            xs.append(xs[-1] + self.width * w / total)
        xs[-1] = LEFT + self.width
        header = [(label, "center", True) for label in t.columns]
        body = [[(c.text, c.align, c.bold) for c in row] for row in t.rows]
        head_cells = self._wrap_row(header, xs)
        head_h = self._row_height(head_cells)
        self.ensure(head_h + (self._row_height(self._wrap_row(body[0], xs)) if body else 0))
        self._draw_row(head_cells, xs, head_h, None)
        for row in body:
            cells = self._wrap_row(row, xs)
            h = self._row_height(cells)
            if self.y + h > self.bottom + 1e-6:
                if h <= self.bottom - TOP - head_h:
                    self.new_page()
                    self._draw_row(head_cells, xs, head_h, None)
                else:
                    self._split_row(cells, xs, head_cells, head_h)
                    continue
            self._draw_row(cells, xs, h, None)
        self.y += 2.0

    def _wrap_row(self, row: list[tuple[str, str, bool]], xs: list[float]) -> list[tuple[tuple[str, ...], str, bool]]:
        return [(wrap_text(text, max(1.0, xs[k + 1] - xs[k] - 2 * PAD_X), SIZE_TABLE), align, bold)
                for k, (text, align, bold) in enumerate(row)]

    @staticmethod
    def _row_height(cells: list[tuple[tuple[str, ...], str, bool]]) -> float:
        n = max([len(lines) for lines, _a, _b in cells] + [1])
        return n * line_height(SIZE_TABLE) + 2 * PAD_Y

    def _draw_row(self, cells: list[tuple[tuple[str, ...], str, bool]], xs: list[float], h: float,
                  slices: list[tuple[int, int]] | None) -> None:
        page = self.current()
        top, bot = self.y, self.y + h
        page.rules.append(Rule(xs[0], top, xs[-1], top, RULE_W))
        page.rules.append(Rule(xs[0], bot, xs[-1], bot, RULE_W))
        for x in xs:
            page.rules.append(Rule(x, top, x, bot, RULE_W))
        lh = line_height(SIZE_TABLE)
        for k, (lines, align, bold) in enumerate(cells):
            shown = lines if slices is None else lines[slices[k][0]:slices[k][1]]
            block = len(shown) * lh
            y0 = top + (h - block) / 2 if slices is None else top + PAD_Y
            for n, text in enumerate(shown):
                if not text:
                    continue
                if align == "left":
                    x = xs[k] + PAD_X
                else:
                    w = text_width(text, SIZE_TABLE)
                    x = xs[k + 1] - PAD_X - w if align == "right" else (xs[k] + xs[k + 1] - w) / 2
                emit(page, x, y0 + n * lh + baseline_offset(SIZE_TABLE), text, SIZE_TABLE, bold)
        self.y = bot

    def _split_row(self, cells: list[tuple[tuple[str, ...], str, bool]], xs: list[float],
                   head_cells: list[tuple[tuple[str, ...], str, bool]], head_h: float) -> None:
        """A row taller than a page: its lines spread over as many pages as they need."""
        lh = line_height(SIZE_TABLE)
        pos = [0] * len(cells)
        while True:
            room = self.bottom - self.y
            if room < lh + 2 * PAD_Y:
                self.new_page()
                self._draw_row(head_cells, xs, head_h, None)
                room = self.bottom - self.y
            fit = max(1, int((room - 2 * PAD_Y) // lh))
            slices = [(pos[k], min(len(lines), pos[k] + fit)) for k, (lines, _a, _b) in enumerate(cells)]
            n = max(b - a for a, b in slices)
            self._draw_row(cells, xs, max(1, n) * lh + 2 * PAD_Y, slices)
            pos = [b for _a, b in slices]
            if all(p >= len(lines) for p, (lines, _a, _b) in zip(pos, cells, strict=True)):
                return
            self.new_page()
            self._draw_row(head_cells, xs, head_h, None)


def plan_report(report: Report) -> list[Page]:
    """The report's pages, numbered “— N —” throughout (附表 included)."""
    flow = _Flow()
    pending_break = False
    sequence: list[Page] = []  # every page in order, the appendices' pages among the report's
    forms: set[int] = set()  # ids of the pages that print a form (附表)

    def take_flow() -> None:
        sequence.extend(flow.pages)
        flow.pages = []
        flow.page = None

    blocks = report.blocks
    for i, block in enumerate(blocks):
        if isinstance(block, Appendix):
            take_flow()
            pages = plan_grid(block.grid)
            _label(pages, block.label)
            sequence.extend(pages)
            forms.update(id(p) for p in pages)
            pending_break = False
            continue
        if pending_break:
            flow.new_page()
            pending_break = False
        if isinstance(block, Paragraph):
            if block.style == "title":
                flow.paragraph(block.text, SIZE_TITLE, PITCH_TITLE, indent=False, align="center", keep=2)
            elif block.style in ("subtitle", "line"):
                align = "center" if block.style == "subtitle" else "left"
                flow.paragraph(block.text, SIZE_BODY, PITCH_BODY, indent=False, align=align)
            else:
                flow.paragraph(block.text, SIZE_BODY, PITCH_BODY, indent=block.style == "body",
                               align=block.align if block.align in ("center", "right") else "left")
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if block.style in TITLE_STYLES and not (isinstance(nxt, Paragraph) and nxt.style in TITLE_STYLES):
                flow.y += PITCH_BODY  # a blank line under the title
        elif isinstance(block, Heading):
            flow.paragraph(block.text, SIZE_BODY, PITCH_BODY, indent=True, bold=block.level == 1, keep=1)
        elif isinstance(block, Table):
            flow.table(block)
        elif isinstance(block, PageBreak):
            pending_break = flow.page is not None
    take_flow()
    _number(sequence, forms)
    return sequence


def _label(pages: list[Page], label: str) -> None:
    """The 附表 label above the form on its first page, in the top margin."""
    if pages and label:
        first = Page(pages[0].width, pages[0].height)
        emit(first, 15.0, 8.0, label, SIZE_NOTE, True)
        pages[0].texts[:0] = first.texts


def _number(pages: list[Page], forms: set[int]) -> None:
    """“— N —” on every page: under the report's text block, or where a form
    printed its own “第 N 页 共 M 页”."""
    for n, page in enumerate(pages, 1):
        text = f"— {n} —"
        if id(page) in forms:
            own = [t for t in page.texts if _FORM_FOOTER.match(t.text)]
            page.texts = [t for t in page.texts if not _FORM_FOOTER.match(t.text)]
            y = own[0].y if own else page.height - FOOTER_FROM_BOTTOM
            size = own[0].size if own else SIZE_NOTE
        else:
            y = PAGE_H - BOTTOM + PAGE_NO_GAP + baseline_offset(SIZE_PAGE_NO)
            size = SIZE_PAGE_NO
        w = text_width(text, size)
        emit(page, (page.width - w) / 2, y, text, size)


def report_pdf(report: Report) -> bytes:
    from jixiao.pdf.writer import render_pages

    return render_pages(plan_report(report), title=report.title, subject=KIND_NAMES.get(report.kind, ""))


def write_report_pdf(report: Report, path: str | os.PathLike) -> None:
    """Write ``report`` to ``path`` (.pdf), atomically."""
    p = Path(path)
    if p.exists() and p.is_dir():
        raise DocumentError(f"无法导出 PDF：“{p}”是一个文件夹")
    atomic_write(p, report_pdf(report), backup=False, action="导出")
