"""Backend-neutral page plan of the printed forms.

:func:`plan_document` lays the grids of :mod:`jixiao.core.layout` out on A4
pages (pagination and print scale: :mod:`jixiao.pdf.paginate`) and returns a
list of :class:`Page`: straight rules and already-wrapped text runs,
positioned in millimetres from the top-left corner of the paper. Every
measurement is made with the advance widths of the bundled font
(``resources/fonts/ARPLUMingCN.ttf``, :mod:`jixiao.pdf.metrics`), so any backend
that draws each :class:`TextRun` at its baseline with that font file at
``size`` points reproduces the layout exactly: the reportlab writer of
:mod:`jixiao.pdf.writer` and the GUI's QPainter print preview draw the same
pages.

Drawing contract for backends:

- a :class:`Rule` is a straight black line ``width`` points wide with square
  caps, from ``(x1, y1)`` to ``(x2, y2)``;
- a :class:`TextRun` is drawn left-to-right starting at ``x`` with its
  baseline at ``y``, at ``size`` points, black, in the bundled font or, when
  ``font`` is set, in that fallback face (:func:`fallback_faces`). It never
  needs wrapping, alignment or measuring: that is done. ``bold`` asks for a
  fake bold (the font has no bold face): stroke the glyph outlines with a
  line ``size * BOLD_STROKE`` points wide in addition to filling them; this
  does not change advance widths. ``actual``, when set, is the officer's
  text for what is drawn (a look-alike or ``□``): a PDF tags the run with it;
- ``Page.seal`` is the blank room left for the unit's seal (informational).

The sign-off block (单位负责人 / 财务负责人 / 填表人 / 填报日期 and
填报单位（盖章） with room for a 42 mm seal) ends the form's last page;
“第 N 页 共 M 页” is counted within each form.
"""

from __future__ import annotations

from jixiao.core.grid import Grid
from jixiao.core.layout import document_grids
from jixiao.core.model import Document
from jixiao.fonts import TrueTypeFont
from jixiao.pdf.columns import PAD_X
from jixiao.pdf.geometry import (
    BOLD_STROKE,
    FOOTER_FROM_BOTTOM,
    MM_PER_PT,
    RULE_WIDTH,
    SIZE_CONT,
    SIZE_FOOTER,
    SIZE_NOTE,
    Page,
    Rule,
    TextRun,
    baseline_offset,
    line_height,
)
from jixiao.pdf.metrics import font, plain, segments, text_width
from jixiao.pdf.paginate import (
    MIN_FIGURE_SIZE,
    PAD_Y,
    SEAL_ROOM_H,
    SEAL_ROOM_W,
    SEAL_SIZE,
    Box,
    GridLayout,
    layout_grid,
)
from jixiao.pdf.wrap import NO_END, NO_START, wrap_text

FONT_NAME = "JixiaoSong"  # the name the bundled font is registered under in reportlab
SIGN_MIN_W = 42.0  # mm per signature label

__all__ = [
    "BOLD_STROKE", "FONT_NAME", "MIN_FIGURE_SIZE", "NO_END", "NO_START", "SEAL_SIZE", "Page", "Rule", "TextRun",
    "draw_layout", "fallback_faces", "plan_document", "plan_grid", "text_width", "unprintable", "wrap_text",
]


class _Pen:
    """Collects the rules and text runs of one page, in paper mm."""

    def __init__(self, page: Page, scale: float):
        self.page = page
        self.s = scale
        self.rules: dict[tuple[float, float, float, float], None] = {}

    def box(self, x0: float, top: float, x1: float, bot: float) -> None:
        s = self.s
        t, b, l_, r_ = round(top * s, 3), round(bot * s, 3), round(x0 * s, 3), round(x1 * s, 3)
        self.rules[(l_, t, r_, t)] = None
        self.rules[(l_, b, r_, b)] = None
        self.rules[(l_, t, l_, b)] = None
        self.rules[(r_, t, r_, b)] = None

    def text(self, x: float, baseline: float, line: str, size: float, bold: bool = False) -> None:
        """``line`` at layout mm (x, baseline), ``size`` layout points."""
        s = self.s
        emit(self.page, x * s, baseline * s, line, size * s, bold)

    def finish(self) -> None:
        self.page.rules.extend(Rule(*k, width=RULE_WIDTH) for k in self.rules)


def emit(page: Page, x: float, y: float, line: str, size: float, bold: bool = False) -> None:
    """Add ``line`` at paper mm (x, baseline y), cut into runs where the drawing face changes."""
    if not line:
        return
    if plain(line):
        page.texts.append(TextRun(round(x, 3), round(y, 3), line, round(size, 3), bold))
        return
    for seg in segments(line):
        if seg.text:  # (a zero-width space or soft hyphen is drawn as nothing)
            page.texts.append(TextRun(round(x, 3), round(y, 3), seg.text, round(size, 3), bold,
                                      font=seg.face.key if seg.face is not None else None,
                                      actual=seg.actual if seg.substituted else None))
        x += seg.width * size / 1000.0 * MM_PER_PT


def draw_layout(lay: GridLayout) -> list[Page]:
    """The pages of a laid-out grid, in paper mm."""
    out: list[Page] = []
    total = len(lay.pages)
    state: dict[int, int] = {}
    for no, d in enumerate(lay.pages):
        page = Page(lay.paper_w, lay.paper_h, [], [], form_id=lay.page_id, scale=lay.scale)
        pen = _Pen(page, lay.scale)
        if d.continuation:
            cont = f"{lay.grid.title}（续）"
            if lay.label:
                cont += f"　{lay.label}"
            for line in wrap_text(cont, lay.right - lay.left, SIZE_CONT)[:1]:
                pen.text(lay.left, lay.top + baseline_offset(SIZE_CONT), line, SIZE_CONT)
        for bx in lay.boxes(no, state):
            _draw_box(lay, bx, pen)
        if d.signoff_y is not None:
            _draw_signoff(lay, d.signoff_y, pen)
        pen.finish()
        footer = f"第 {no + 1} 页 共 {total} 页"
        fw = text_width(footer, SIZE_FOOTER)
        emit(page, (lay.paper_w - fw) / 2, lay.paper_h - FOOTER_FROM_BOTTOM, footer, SIZE_FOOTER)
        out.append(page)
    return out


def _draw_box(lay: GridLayout, bx: Box, pen: _Pen) -> None:
    c = lay.cells[bx.cell]
    x0, x1 = lay.cell_x(c)
    if c.border:
        pen.box(x0, bx.top, x1, bx.bottom)
    if not bx.lines:
        return
    size = bx.size
    lh = line_height(size)
    pad = PAD_Y if c.role not in ("title", "subtitle", "note") else 0.0
    block = len(bx.lines) * lh
    y = bx.top + pad if bx.valign_top else bx.top + (bx.bottom - bx.top - block) / 2
    inner_l, inner_r = x0 + PAD_X, x1 - PAD_X
    base = baseline_offset(size)
    align, bold = c.align, bool(c.bold)
    for k, line in enumerate(bx.lines):
        if not line:
            continue
        if align == "left":
            x = inner_l
        else:
            w = text_width(line, size)
            x = inner_r - w if align == "right" else x0 + (x1 - x0 - w) / 2
        pen.text(x, y + k * lh + base, line, size, bold)


def _draw_signoff(lay: GridLayout, y: float, pen: _Pen) -> None:
    unit_line = ""
    labels: list[str] = []
    for idx in lay.signoff_cells:
        if "盖章" not in lay.cells[idx].text:  # the stamp line goes into the seal room below
            labels.append(lay.cells[idx].text)
    for c in lay.cells:
        if c.role == "note" and "盖章" in c.text:
            unit_line = c.text
    s = lay.scale
    room_h = SEAL_ROOM_H / s
    pw = lay.right - lay.left
    seal_w = max(SEAL_ROOM_W / s, pw * 0.3)
    seal_x = lay.right - seal_w
    pen.page.seal = (round(seal_x * s, 3), round(y * s, 3), round(seal_w * s, 3), SEAL_ROOM_H)
    # the unit's name, in the middle of the seal room (a seal is stamped over it)
    head, sep, name = unit_line.partition("：")
    inner = seal_w - 2 * PAD_X
    # (no 填报单位 line in the template: the seal is stamped in the grid, the room stays blank)
    lines = wrap_text(head + sep, inner, SIZE_NOTE) + wrap_text(name.strip(), inner, SIZE_NOTE) if unit_line else ()
    lh = line_height(SIZE_NOTE)
    ty = y + (room_h - len(lines) * lh) / 2
    for k, line in enumerate(lines):
        pen.text(seal_x + PAD_X, ty + k * lh + baseline_offset(SIZE_NOTE), line, SIZE_NOTE)
    # the signatures, left of the seal room, as many per line as fit
    area = seal_x - 6.0 - lay.left
    per_line = max(1, min(len(labels) or 1, int(area // SIGN_MIN_W)))
    col_w = area / per_line
    lh_sign = 10.0
    for k, text in enumerate(labels):
        row, col = divmod(k, per_line)
        x = lay.left + col * col_w
        for m, line in enumerate(wrap_text(text, col_w - 4.0, SIZE_NOTE)[:2]):
            pen.text(x, y + 4.0 + row * lh_sign + m * lh + baseline_offset(SIZE_NOTE), line, SIZE_NOTE)


def plan_grid(grid: Grid, *, label: str = "", page_id: str | None = None, fit: bool = True) -> list[Page]:
    """Lay one grid out on pages (numbered within the grid)."""
    font()
    return draw_layout(layout_grid(grid, label, page_id if page_id is not None else grid.form_id, fit=fit))


def document_layouts(doc: Document, form_ids: list[str] | None = None, *, include_summary: bool = True,
                     fit: bool = True) -> list[GridLayout]:
    """The laid-out grids of ``doc`` (see :func:`plan_document`)."""
    font()
    names = {f.id: f.display_name() for f in doc.forms}
    out: list[GridLayout] = []
    for grid in document_grids(doc, form_ids, include_summary=include_summary):
        page_id = grid.form_id if grid.form_id is not None else "summary"
        label = names.get(grid.form_id or "", "") if grid.form_id else doc.unit
        out.append(layout_grid(grid, label, page_id, fit=fit))
    return out


def plan_document(doc: Document, form_ids: list[str] | None = None, *, include_summary: bool = True,
                  fit: bool = True) -> list[Page]:
    """Every form of ``doc`` (or those in ``form_ids``; ``"summary"`` selects the
    汇总表) in document order, each starting on a new page. ``fit``: 缩放到一页
    (a form that fits one page at 80 % or more is printed on one page); False: 实际大小."""
    pages: list[Page] = []
    for lay in document_layouts(doc, form_ids, include_summary=include_summary, fit=fit):
        pages.extend(draw_layout(lay))
    return pages


def fallback_faces(pages: list[Page]) -> dict[str, TrueTypeFont]:
    """The fallback faces the runs of ``pages`` are drawn with, by key."""
    from jixiao.fonts import fallback_by_key

    out: dict[str, TrueTypeFont] = {}
    for key in {t.font for p in pages for t in p.texts if t.font}:
        face = fallback_by_key(key)
        if face is not None:
            out[key] = face
    return out


def unprintable(pages: list[Page]) -> list[str]:
    """Characters of the officer's text that no available font has (drawn as ``□``)."""
    from jixiao.pdf import metrics

    out: dict[str, None] = {}
    for p in pages:
        for t in p.texts:
            if t.actual is not None:
                out.update(dict.fromkeys(metrics.unprintable(t.actual)))
    return list(out)
