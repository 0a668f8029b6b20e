"""Reading a workbook's cells: bounded, untrusted, as the officer typed them.

The file has passed :func:`jixiao.excel.safety.check_workbook_file` (zip sizes,
encryption); this module opens it read-only with cached values (never
formulas) and reads at most :data:`MAX_SHEETS` sheets of :data:`MAX_ROWS` ×
:data:`MAX_COLS` cells into :class:`Sheet` objects. Everything else in the
importer works on those objects, never on openpyxl.
"""

from __future__ import annotations

import datetime as _dt
import re
import warnings
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from jixiao.core.figures import round_to
from jixiao.core.vocabulary import normalize_label
from jixiao.excel.common import META_SHEET, ExcelImportError

MAX_ROWS = 10000
MAX_COLS = 64
MAX_SHEETS = 300
MAX_META_ROWS = 5000


@dataclass(slots=True)
class XCell:
    row: int  # 1-based
    col: int
    value: object
    fmt: str
    error: bool = False
    _norm: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def ref(self) -> str:
        return f"{get_column_letter(self.col)}{self.row}"

    @property
    def text(self) -> str:
        return cell_string(self.value, self.fmt)

    @property
    def norm(self) -> str:
        """The cell as a label (see :func:`~jixiao.core.vocabulary.normalize_label`); ``""`` for numbers."""
        n = self._norm
        if n is None:
            n = self._norm = normalize_label(self.value.strip()) if isinstance(self.value, str) else ""
        return n


class Sheet:
    """The non-empty cells of one worksheet, by position and by row, and
    which of them the importer has placed."""

    def __init__(self, title: str, cells: dict[tuple[int, int], XCell]):
        self.title = title
        self.cells = cells
        rows: dict[int, list[XCell]] = {}
        for (r, _c), x in sorted(cells.items()):
            rows.setdefault(r, []).append(x)
        self.rows = rows
        self.row_numbers = sorted(rows)
        self.used: set[tuple[int, int]] = set()

    def ref(self, x: XCell) -> str:
        return f"{quote_sheet(self.title)}!{x.ref}"

    def get(self, r: int, c: int) -> XCell | None:
        return self.cells.get((r, c))

    def use(self, x: XCell | None) -> None:
        if x is not None:
            self.used.add((x.row, x.col))

    def is_used(self, x: XCell) -> bool:
        return (x.row, x.col) in self.used

    def row(self, r: int) -> list[XCell]:
        return self.rows.get(r, [])

    def unused(self) -> list[XCell]:
        return [x for (r, c), x in sorted(self.cells.items()) if (r, c) not in self.used]


def quote_sheet(title: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", title):
        return title
    return "'" + title.replace("'", "''") + "'"


def _num_str(x: float | int | Decimal) -> str:
    if isinstance(x, int) and not isinstance(x, bool):
        return str(x)
    try:
        d = Decimal(repr(x)) if isinstance(x, float) else Decimal(x)
    except (InvalidOperation, ValueError):
        return str(x)
    if not d.is_finite():
        return str(x)
    d = round_to(d, 10).normalize()  # round_to leaves huge numbers (a 19-digit account) as they are
    s = f"{d:f}"
    return "0" if s in ("-0", "") else s


def cell_string(value: object, fmt: str = "General") -> str:
    """What the officer typed, as the model keeps it (a string)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        if fmt and "%" in fmt:
            return _num_str(Decimal(repr(value)) * 100 if isinstance(value, float) else Decimal(value) * 100) + "%"
        return _num_str(value)
    return str(value).strip()


@dataclass
class Workbook:
    sheets: list[Sheet]
    meta_raw: str | None  # the text of our hidden data sheet, if any
    hidden: list[str]  # titles of hidden sheets (not imported)


def load_sheets(p: Path) -> Workbook:
    """Read every visible sheet's cells (and our hidden data sheet's text).
    Raises :class:`ExcelImportError` for a damaged or unreasonable workbook."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged files
        raise ExcelImportError(f"“{p.name}”无法作为 Excel 工作簿读取，文件可能已损坏") from exc
    out = Workbook([], None, [])
    try:
        worksheets = wb.worksheets
        if len(worksheets) > MAX_SHEETS:
            raise ExcelImportError(f"“{p.name}”有 {len(worksheets)} 个工作表，超出合理范围，已拒绝导入")
        for ws in worksheets:
            state = getattr(ws, "sheet_state", "visible")
            if ws.title == META_SHEET:
                out.meta_raw = _read_meta_sheet(ws)
                continue
            if state != "visible":
                out.hidden.append(ws.title)
                continue
            out.sheets.append(Sheet(ws.title, _read_cells(ws, p.name)))
    except ExcelImportError:
        raise
    except Exception as exc:
        raise ExcelImportError(f"“{p.name}”的内容无法读取，文件可能已损坏") from exc
    finally:
        wb.close()
    return out


def _read_cells(ws: Any, filename: str) -> dict[tuple[int, int], XCell]:
    out: dict[tuple[int, int], XCell] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for r, row in enumerate(ws.iter_rows(min_row=1, max_row=MAX_ROWS + 1, min_col=1, max_col=MAX_COLS), start=1):
            for c, cell in enumerate(row, start=1):
                v = getattr(cell, "value", None)
                if v is None or (isinstance(v, str) and not v.strip()):
                    continue
                if r > MAX_ROWS:
                    raise ExcelImportError(
                        f"“{filename}”的工作表“{ws.title}”超过 {MAX_ROWS} 行，不像是绩效自评表，已拒绝导入"
                    )
                dt = getattr(cell, "data_type", "n")
                fmt = getattr(cell, "number_format", None) or "General"
                out[(r, c)] = XCell(r, c, v, fmt, error=(dt == "e"))
    return out


def _read_meta_sheet(ws: Any) -> str | None:
    parts = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for row in ws.iter_rows(min_row=2, max_row=MAX_META_ROWS, min_col=1, max_col=1, values_only=True):
            v = row[0] if row else None
            if v is None:
                break
            parts.append(str(v))
    return "".join(parts) or None


MAX_PROBLEMS = 300


class Problems:
    """Import hints for the officer, each naming its cell (``'项目1'!B9：…``); capped."""

    def __init__(self, items: list[str] | None = None) -> None:
        self.items: list[str] = items if items is not None else []

    def add(self, sheet: Sheet | None, x: XCell | None, msg: str) -> None:
        if len(self.items) >= MAX_PROBLEMS:
            if len(self.items) == MAX_PROBLEMS:
                self.items.append("提示过多，其余从略")
            return
        if sheet is None:
            self.items.append(msg)
        else:
            self.items.append(f"{sheet.ref(x)}：{msg}" if x is not None else f"工作表“{sheet.title}”：{msg}")
