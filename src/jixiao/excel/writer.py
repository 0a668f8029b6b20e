"""Export a document as a print-ready .xlsx workbook.

Every grid of :func:`jixiao.core.layout.document_grids` becomes one sheet,
drawn cell for cell (merges, thin borders on every cell of every merged range,
宋体 wrapped text, number formats: 万元 ``#,##0.00``, rates ``0.00%``, scores
``0.00``, 分值 as the forms print it) and laid out like the PDF: the sheet takes
the page plan of :mod:`jixiao.pdf.paginate` (column widths, row heights
measured with the bundled font's metrics, page breaks, print scale), so Excel,
WPS and LibreOffice print the workbook on the pages the PDF has:

- a form the PDF prints on one page is set to fit one page wide and one tall
  (缩放到一页); a longer one to fit one page wide, with the PDF's page breaks
  as manual breaks and the indicator header row as print titles;
- where a page break falls inside a merged label (一级, 二级, a block's label)
  the merge is cut at the break and the label written again below it, as the
  PDF repeats it; a text the PDF breaks over pages is cut into the same pieces,
  one per page (over one sheet row, or two merged where a piece is taller than
  a row may be), top-aligned as the PDF prints it, “（续）” in the continuation's
  label cell. The pieces of a cell are recorded in the hidden sheet under the
  cell's path, in order; joined they give its text back.

The workbook states 宋体 (SimSun) as its default font and the font of every
cell, as Excel and WPS on Windows use it; LibreOffice substitutes an installed
Song/Ming face (see scripts/setup-test.sh).

Typed text is always written as a string cell (never a formula), so a
偏差原因 beginning with ``=`` cannot execute anything in the recipient's
spreadsheet program.

A very hidden sheet (``_jixiao_data``) keeps the document exactly as typed
and what each cell was written with, so that importing our own export loses
nothing; the reader only trusts it where the visible cells still agree.
"""

from __future__ import annotations

import io
import json
import math
import os
from copy import copy
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

from jixiao.core.figures import q2
from jixiao.core.fileio import DocumentError, atomic_write, document_to_data
from jixiao.core.grid import Cell, Grid
from jixiao.core.layout import document_grids, sheet_title
from jixiao.core.model import Document
from jixiao.excel.common import (
    DEPARTMENT_SHEET,
    META_CHUNK,
    META_MARKER,
    META_NOTE,
    META_SHEET,
    META_VERSION,
    SUMMARY_SHEET,
    safe_text,
    unique_sheet_names,
)

BODY_FONT = "宋体"
TITLE_FONT = "宋体"
DEFAULT_FONT = Font(name=BODY_FONT, sz=11, charset=134, family=3)  # the workbook's 常规 style, as Excel in Chinese
FOOTER_SIZE = 9
MAX_ROW_PT = 409.0  # Excel's limit
EXCEL_CHAR_PT = 5.25  # a column width unit: the digit width of 宋体 11 pt (7 px at 96 dpi)
MM_PER_INCH = 25.4
PT_PER_MM = 72.0 / 25.4

FMT_MONEY = "#,##0.00"
FMT_SCORE = "0.00"
FMT_PERCENT = "0.00%"
FMT_PERCENT_NUMBER = "0.00"
FMT_INTEGER = "0"
FMT_WEIGHT = "General"  # 分值: 10, 2.5, 0.5 — as the official forms print them

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FORMULA_START = ("=", "+", "-", "@")


def sheet_names_for(doc: Document, grids: list[Grid]) -> list[str]:
    raw = []
    for g in grids:
        form = doc.form_by_id(g.form_id) if g.form_id else None
        if form is None:
            raw.append(SUMMARY_SHEET)
        elif form.kind == "department":
            raw.append(DEPARTMENT_SHEET)
        else:
            raw.append(sheet_title(form))
    return unique_sheet_names(raw)


def cell_output(cell: Cell) -> tuple[object, str | None]:
    """The value written for a grid cell and its number format (None: text).

    A cell the form leaves blank is written blank, never as a number."""
    if cell.kind in ("money", "score", "rate", "number", "weight") and cell.value is not None and cell.text.strip():
        value: Decimal = cell.value
        computed = cell.role in ("computed", "override") and not cell.raw
        if cell.kind == "money":
            return (q2(value) if computed else value), FMT_MONEY
        if cell.kind == "weight":
            return q2(value), FMT_WEIGHT
        if cell.kind == "score":
            return (q2(value) if computed else value), FMT_SCORE
        if cell.kind == "number":
            return value, FMT_INTEGER
        # a rate: its value is a fraction; the template decides whether the
        # form shows "97.99%" or "97.99" under a "执行率 %" header
        if cell.text.strip().endswith("%"):
            return (value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if computed else value), FMT_PERCENT
        pct = value * 100
        return (q2(pct) if computed else pct), FMT_PERCENT_NUMBER
    return safe_text(cell.text), None


def _json_scalar(v: object) -> object:
    if isinstance(v, Decimal):
        return float(v)
    return v


def _pseudo_path(c: Cell) -> str | None:
    """Document-level values shown in note cells, so the reader can honour edits to them."""
    if c.role == "subtitle":
        return "@year"
    if c.role == "note":
        if c.text.startswith("填报单位"):
            return "@unit"
        if c.section == "signoff":
            return "@signoff." + c.text.split("：", 1)[0]
    return None


class _Sheet:
    """One grid drawn on a worksheet along its page plan."""

    def __init__(self, ws: Any, grid: Grid, fit: bool) -> None:
        from jixiao.pdf.paginate import layout_grid

        self.ws = ws
        self.grid = grid
        self.lay = layout_grid(grid, fit=fit)
        self.fonts: dict[tuple[float, bool], Font] = {}
        self.styles: dict[Any, Any] = {}  # style key -> openpyxl StyleArray
        self.record: list[list[Any]] = []
        self.recorded: set[int] = set()  # cells whose path is recorded

    def _style(self, xc: Any, key: Any) -> None:
        """Give ``xc`` a style; each distinct style is built once (openpyxl hashes a style object
        on every assignment, which made the export slow) and copied to the other cells."""
        got = self.styles.get(key)
        if got is not None:
            xc._style = copy(got)
            return
        if key == "border":
            xc.border = BORDER
        else:
            size, bold, horizontal, top, ruled, fmt, quote = key
            xc.font = self.font(size, bold)
            xc.alignment = Alignment(horizontal=horizontal, vertical="top" if top else "center", wrap_text=True)
            if ruled:
                xc.border = BORDER
            if fmt is not None:
                xc.number_format = fmt
            if quote:
                xc.quotePrefix = True
        self.styles[key] = copy(xc._style)

    def font(self, size: float, bold: bool) -> Font:
        key = (round(size, 1), bold)
        f = self.fonts.get(key)
        if f is None:
            f = self.fonts[key] = Font(name=BODY_FONT, size=key[0], bold=bold, charset=134)
        return f

    def draw(self) -> list[list[Any]]:
        lay, ws = self.lay, self.ws
        for j, w in enumerate(lay.col_w):
            ws.column_dimensions[get_column_letter(j + 1)].width = round(w * PT_PER_MM / EXCEL_CHAR_PT, 2)
        # sheet rows: the bands of each page, in order (a header repeated atop a page is a print title)
        rows: dict[tuple[int, int], int] = {}
        heights: list[float] = []
        breaks: list[int] = []
        for p, d in enumerate(lay.pages):
            for k, band in enumerate(d.bands):
                if band.repeated:
                    continue
                heights.append(band.h * PT_PER_MM)
                rows[(p, k)] = len(heights)
            if p < len(lay.pages) - 1 and heights:
                breaks.append(len(heights))
        first_row = {lay.pages[p].bands[k].row: r for (p, k), r in sorted(rows.items(), key=lambda kv: -kv[1])}
        state: dict[int, int] = {}
        for p in range(len(lay.pages)):
            for bx in lay.boxes(p, state):
                sheet_rows = [rows[(p, k)] for k in range(bx.first, bx.last + 1) if (p, k) in rows]
                if sheet_rows:
                    self._put(bx, min(sheet_rows), max(sheet_rows))
        self._signoff(heights)
        for r, h in enumerate(heights):
            ws.row_dimensions[r + 1].height = round(min(MAX_ROW_PT, max(1.0, h)), 2)
        for b in breaks:
            ws.row_breaks.append(Break(id=b))
        self._page_setup(len(heights), first_row)
        return self.record

    def _put(self, bx: Any, top: int, bottom: int) -> None:
        c = self.lay.cells[bx.cell]
        left, right = c.col + 1, c.last_col + 1
        ws = self.ws
        if bottom > top or right > left:
            ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
        xc = ws.cell(row=top, column=left)
        value: object
        fmt: str | None
        if bx.what in ("whole", "repeat"):
            value, fmt = cell_output(c)
        elif bx.what in ("piece", "continued"):
            value, fmt = safe_text(bx.text), None
        else:
            value, fmt = "", None
        quote = False
        if fmt is None:
            text = str(value)
            xc.value = text if text else None
            if text:
                xc.data_type = "s"  # typed text is text: never a formula, never an error value
                quote = text.startswith(_FORMULA_START)
        else:
            xc.value = value
        horizontal = "center" if c.role in ("title", "subtitle") else c.align
        ruled = c.border and c.role not in ("title", "subtitle", "note")
        self._style(xc, (bx.size, bool(c.bold) or c.role == "title", horizontal, bx.valign_top, ruled, fmt,
                         quote))
        if ruled:
            for r in range(top, bottom + 1):
                for k in range(left, right + 1):
                    if r != top or k != left:
                        self._style(ws.cell(row=r, column=k), "border")
        written = _json_scalar(value) if value not in (None, "") else None
        path = None
        # the cell's value (or each piece of a text broken over pages) is recorded under its
        # path; a label repeated below a page break, or “（续）”, is recorded as a fixed label
        if bx.what in ("whole", "piece") or (bx.what == "empty" and bx.cell not in self.recorded):
            path = c.path or _pseudo_path(c)
            self.recorded.add(bx.cell)
        if written is not None or path:
            self.record.append([xc.coordinate, path, written, fmt])

    def _signoff(self, heights: list[float]) -> None:
        """The rows after the grid (spacer, 填报单位（盖章）, signatures), as tall together as the
        PDF's sign-off block, so the sheet's last page holds what the PDF's does."""
        from jixiao.pdf.geometry import SIZE_NOTE, line_height
        from jixiao.pdf.paginate import SIGNOFF_GAP

        lay = self.lay
        extra = [r for r in range(self.grid.n_rows) if lay.kinds[r] in ("spacer", "signoff")]
        if not extra:
            return
        sign_h = line_height(SIZE_NOTE) + 2.0
        seal_h = max(sign_h, lay.signoff_block - SIGNOFF_GAP - sign_h)
        row_of: dict[int, int] = {}
        for r in extra:
            kind = lay.kinds[r]
            if kind == "spacer":
                h = SIGNOFF_GAP
            elif any(lay.cells[i].row == r and "盖章" in lay.cells[i].text for i in lay.by_row[r]):
                h = seal_h
            else:
                h = sign_h
            heights.append(h * PT_PER_MM)
            row_of[r] = len(heights)
        for idx, c in enumerate(lay.cells):
            if c.row not in row_of:
                continue
            top = row_of[c.row]
            if c.colspan > 1:
                self.ws.merge_cells(start_row=top, start_column=c.col + 1, end_row=top, end_column=c.last_col + 1)
            xc = self.ws.cell(row=top, column=c.col + 1)
            value, _fmt = cell_output(c)
            text = str(value)
            if text:
                xc.value = text
                xc.data_type = "s"
            xc.font = self.font(lay.sizes[idx], bool(c.bold))
            seal = "盖章" in text
            xc.alignment = Alignment(horizontal="right" if seal else "left", vertical="center", wrap_text=True)
            path = _pseudo_path(c)
            if text or path:
                self.record.append([xc.coordinate, path, text or None, None])

    def _page_setup(self, n_rows: int, first_row: dict[int, int]) -> None:
        ws, lay, grid = self.ws, self.lay, self.grid
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = lay.setup.orientation
        one_page = len(lay.pages) == 1
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1 if one_page else 0  # 0: as many pages tall as the breaks make
        ws.page_setup.scale = max(10, min(100, math.floor(lay.scale * 100 + 1e-6)))
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ml, mt, mr, mb = lay.setup.margins
        ws.page_margins.left = round(ml / MM_PER_INCH, 3)
        ws.page_margins.right = round(mr / MM_PER_INCH, 3)
        ws.page_margins.top = round(mt / MM_PER_INCH, 3)
        ws.page_margins.bottom = round(mb / MM_PER_INCH, 3)
        ws.page_margins.header = round(min(mt, 8.0) / MM_PER_INCH, 3)
        ws.page_margins.footer = round(5.0 / MM_PER_INCH, 3)
        ws.oddFooter.center.text = "第 &P 页 共 &N 页"
        ws.oddFooter.center.font = BODY_FONT
        ws.oddFooter.center.size = FOOTER_SIZE
        last = get_column_letter(max(1, grid.n_cols))
        ws.print_area = f"A1:{last}{max(1, n_rows)}"
        if grid.repeat_rows:
            a, b = grid.repeat_rows
            ra, rb = first_row.get(a), first_row.get(b)
            if ra is not None and rb is not None:
                ws.print_title_rows = f"{ra}:{rb}"
        ws.sheet_view.showGridLines = False


def build_workbook(doc: Document, *, fit: bool = True) -> Workbook:
    """The workbook of ``doc``; ``fit``: forms that fit one page at 80 % or more print on one page."""
    grids = document_grids(doc)
    names = sheet_names_for(doc, grids)
    wb = Workbook()
    wb.remove(wb.active)
    wb._fonts = IndexedList([DEFAULT_FONT])  # cells without a font of their own: 宋体 11, as Excel in Chinese
    wb._named_styles["Normal"].font = DEFAULT_FONT  # the 常规 style (column widths are in its digit width)
    sheets_meta = []
    for grid, name in zip(grids, names, strict=True):
        ws = wb.create_sheet(title=name)
        record = _Sheet(ws, grid, fit).draw()
        sheets_meta.append({"name": name, "form_id": grid.form_id, "cells": record})
    if not grids:
        ws = wb.create_sheet(title="自评表")
        ws["A1"] = "（没有表）"
    _write_meta(wb, doc, sheets_meta)
    wb.active = 0
    wb.properties.title = f"{doc.unit} {doc.year}年度绩效自评表".strip()
    wb.properties.creator = "jixiao 绩效自评表填报工具"
    return wb


def _write_meta(wb: Workbook, doc: Document, sheets_meta: list[dict]) -> None:
    payload = json.dumps(
        {"format": META_MARKER, "version": META_VERSION, "document": document_to_data(doc), "sheets": sheets_meta},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    ws = wb.create_sheet(title=META_SHEET)
    ws.sheet_state = "veryHidden"
    ws["A1"] = META_NOTE
    for i in range(0, len(payload), META_CHUNK):
        c = ws.cell(row=2 + i // META_CHUNK, column=1, value=payload[i:i + META_CHUNK])
        c.data_type = "s"
    ws.protection.sheet = True


def write_workbook(doc: Document, path: str | os.PathLike[str], *, fit: bool = True) -> None:
    """Write ``doc`` to ``path`` atomically (the same temp file + fsync + replace
    as saving a document). Raises DocumentError (Chinese message) on failure.
    ``fit``: 缩放到一页 (default), or False: 实际大小 as the PDF's ``fit``."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise DocumentError(f"无法导出：文件夹“{folder}”不存在")
    if p.exists() and not os.access(p, os.W_OK):
        raise DocumentError(f"无法导出：{p.name} 是只读文件或正被其他程序（如 Excel/WPS）打开，"
                            "请关闭后重试或另存为其他文件名")
    try:
        wb = build_workbook(doc, fit=fit)
        buf = io.BytesIO()
        wb.save(buf)
    except DocumentError:
        raise
    except Exception as exc:  # a bug or a bad template must not leave a half file
        raise DocumentError(f"无法生成 Excel 工作簿：{exc}") from exc
    atomic_write(p, buf.getvalue(), backup=False, action="导出")
