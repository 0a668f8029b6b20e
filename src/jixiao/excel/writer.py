"""Export a document as a print-ready .xlsx workbook.

Every grid of :func:`jixiao.core.layout.document_grids` becomes one sheet,
drawn cell for cell: merges, thin borders on every cell of every merged
range, CJK font, wrapped text, widths and heights that show long text,
number formats (万元 ``#,##0.00``, rates ``0.00%``, scores ``0.00``), A4 page
setup with the header row repeated on each page.

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
import os
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from jixiao.core.figures import q2
from jixiao.core.fileio import DocumentError, atomic_write, document_to_data
from jixiao.core.grid import Cell, Grid
from jixiao.core.layout import document_grids, sheet_title, text_lines
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
    xml_safe_json,
)
from jixiao.excel.limits import check_export

BODY_FONT = "宋体"
TITLE_FONT = "宋体"
BODY_SIZE = 10
TITLE_SIZE = 16
SUBTITLE_SIZE = 11
LINE_PT = 13.5  # line height of 10 pt 宋体
PAD_PT = 5.0
MIN_ROW_PT = 20.0
MAX_ROW_PT = 409.0  # Excel's limit

FMT_MONEY = "#,##0.00"
FMT_SCORE = "0.00"
FMT_PERCENT = "0.00%"
FMT_PERCENT_NUMBER = "0.00"
FMT_INTEGER = "0"

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
    """The value written for a grid cell and its number format (None: text)."""
    if cell.kind in ("money", "score", "rate", "number") and cell.value is not None:
        value: Decimal = cell.value
        computed = cell.role in ("computed", "override") and not cell.raw
        if cell.kind == "money":
            return (q2(value) if computed else value), FMT_MONEY
        if cell.kind == "score":
            # 分值 and Σ分值 print as whole numbers ("10", "100") on the form, like the PDF and the screen
            if cell.text and "." not in cell.text and value == value.to_integral():
                return value, FMT_INTEGER
            return (q2(value) if computed else value), FMT_SCORE
        if cell.kind == "number":
            return value, FMT_INTEGER
        # a rate: its value is a fraction; the template decides whether the
        # form shows "97.99%" or "97.99" under a "执行率 %" header
        if cell.text.strip().endswith("%") or not cell.text.strip():
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


def _column_widths(grid: Grid) -> list[float]:
    """The template's widths, widened where a figure would not fit (Excel shows "###")."""
    widths = [c.width + 0.6 for c in grid.columns]
    for c in grid.cells:
        if c.colspan != 1:
            continue
        value, fmt = cell_output(c)
        if fmt is None or not isinstance(value, Decimal):
            continue
        if fmt == FMT_MONEY:
            shown = f"{value:,.2f}"
        elif fmt == FMT_PERCENT:
            shown = f"{value * 100:.2f}%"
        else:
            shown = f"{value:.2f}"
        need = len(shown) * (1.15 if c.bold else 1.0) + 2
        widths[c.col] = max(widths[c.col], need)
    return widths


def _row_heights(grid: Grid) -> list[float]:
    widths = [w - 0.6 for w in _column_widths(grid)]
    heights = [MIN_ROW_PT] * grid.n_rows
    for r, kind in enumerate(grid.row_kinds):
        if kind == "spacer":
            heights[r] = 8.0
        elif kind == "title":
            heights[r] = 22.0
        elif kind in ("note", "signoff"):
            heights[r] = 18.0
    title_rows = [c.row for c in grid.cells if c.role == "title"]
    for r in title_rows:
        heights[r] = 30.0
    multi = []
    for c in grid.cells:
        if c.role in ("title", "subtitle"):
            continue
        width = sum(widths[c.col:c.col + c.colspan])
        size = BODY_SIZE
        need = text_lines(c.text, width * BODY_SIZE / size) * LINE_PT + PAD_PT
        if c.rowspan == 1:
            heights[c.row] = max(heights[c.row], need)
        else:
            multi.append((c, need))
    for c, need in multi:
        rows = range(c.row, c.row + c.rowspan)
        have = sum(heights[r] for r in rows)
        if have < need:
            extra = (need - have) / c.rowspan
            for r in rows:
                heights[r] += extra
    return [min(MAX_ROW_PT, round(h, 1)) for h in heights]


def _draw_grid(ws, grid: Grid) -> list[list]:
    """Draw one grid on ``ws``; returns [ref, path, written, number format] for every cell."""
    record: list[list] = []
    for j, width in enumerate(_column_widths(grid)):
        ws.column_dimensions[get_column_letter(j + 1)].width = width
    fonts: dict[tuple, Font] = {}

    def font(size: float, bold: bool, name: str = BODY_FONT) -> Font:
        key = (size, bold, name)
        if key not in fonts:
            fonts[key] = Font(name=name, size=size, bold=bold)
        return fonts[key]

    for c in grid.cells:
        top, left = c.row + 1, c.col + 1
        bottom, right = c.last_row + 1, c.last_col + 1
        if bottom > top or right > left:
            ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
        xc = ws.cell(row=top, column=left)
        value, fmt = cell_output(c)
        if fmt is None:
            text = str(value)
            xc.value = text if text else None
            if text:
                xc.data_type = "s"  # typed text is text: never a formula, never an error value
                if text.startswith(_FORMULA_START):
                    xc.quotePrefix = True
        else:
            xc.value = value
            xc.number_format = fmt
        if c.role == "title":
            xc.font = font(TITLE_SIZE, True, TITLE_FONT)
        elif c.role == "subtitle":
            xc.font = font(SUBTITLE_SIZE, False)
        else:
            xc.font = font(BODY_SIZE, c.bold)
        horizontal = c.align
        if c.role in ("title", "subtitle"):
            horizontal = "center"
        xc.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        if c.border and c.role not in ("title", "subtitle", "note"):
            for r in range(top, bottom + 1):
                for k in range(left, right + 1):
                    ws.cell(row=r, column=k).border = BORDER
        written = _json_scalar(value) if value not in (None, "") else None
        path = c.path or _pseudo_path(c)
        if written is not None or path:
            record.append([xc.coordinate, path, written, fmt])
    for r, h in enumerate(_row_heights(grid)):
        ws.row_dimensions[r + 1].height = h
    _page_setup(ws, grid)
    return record


def _page_setup(ws, grid: Grid) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if grid.orientation == "landscape" else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.page_margins.header = 0.3
    ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.font = BODY_FONT
    ws.oddFooter.center.size = 9
    last = get_column_letter(grid.n_cols)
    ws.print_area = f"A1:{last}{grid.n_rows}"
    if grid.repeat_rows:
        a, b = grid.repeat_rows
        ws.print_title_rows = f"{a + 1}:{b + 1}"
    ws.sheet_view.showGridLines = False


def build_workbook(doc: Document) -> Workbook:
    grids = document_grids(doc)
    names = sheet_names_for(doc, grids)
    wb = Workbook()
    wb.remove(wb.active)
    sheets_meta = []
    for grid, name in zip(grids, names, strict=True):
        ws = wb.create_sheet(title=name)
        record = _draw_grid(ws, grid)
        sheets_meta.append({"name": name, "form_id": grid.form_id, "cells": record})
    if not grids:
        ws = wb.create_sheet(title="自评表")
        ws["A1"] = "（没有表）"
    _write_meta(wb, doc, sheets_meta)
    wb.active = 0
    wb.properties.title = safe_text(f"{doc.unit} {doc.year}年度绩效自评表".strip())
    wb.properties.creator = "jixiao 绩效自评表填报工具"
    return wb


def _write_meta(wb: Workbook, doc: Document, sheets_meta: list[dict]) -> None:
    payload = xml_safe_json(json.dumps(
        {"format": META_MARKER, "version": META_VERSION, "document": document_to_data(doc), "sheets": sheets_meta},
        ensure_ascii=False,
        separators=(",", ":"),
    ))
    ws = wb.create_sheet(title=META_SHEET)
    ws.sheet_state = "veryHidden"
    ws["A1"] = META_NOTE
    for i in range(0, len(payload), META_CHUNK):
        c = ws.cell(row=2 + i // META_CHUNK, column=1, value=payload[i:i + META_CHUNK])
        c.data_type = "s"
    ws.protection.sheet = True


def write_workbook(doc: Document, path: str | os.PathLike) -> None:
    """Write ``doc`` to ``path`` atomically (the same temp file + fsync + replace
    as saving a document). Raises DocumentError (Chinese message) on failure."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise DocumentError(f"无法导出：文件夹“{folder}”不存在")
    if p.exists() and not os.access(p, os.W_OK):
        raise DocumentError(f"无法导出：{p.name} 是只读文件或正被其他程序（如 Excel/WPS）打开，"
                            "请关闭后重试或另存为其他文件名")
    try:
        wb = build_workbook(doc)
        buf = io.BytesIO()
        wb.save(buf)
    except DocumentError:
        raise
    except Exception as exc:  # a bug or a bad template must not leave a half file
        raise DocumentError(f"无法生成 Excel 工作簿：{exc}") from exc
    check_export(wb, buf.getvalue(), p.name)  # whatever we write, we read back
    atomic_write(p, buf.getvalue(), backup=False, action="导出")
