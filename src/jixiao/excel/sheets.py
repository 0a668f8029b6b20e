"""Reading a workbook's cells: bounded, untrusted, as the officer typed them.

The file has passed :func:`jixiao.excel.safety.check_workbook_file` (zip sizes,
encryption, XML elements, each worksheet part listed once); this module opens
it read-only with cached values (never formulas) and reads at most
:data:`MAX_SHEETS` sheets of :data:`MAX_ROWS` × :data:`MAX_COLS` cells into
:class:`Sheet` objects. Everything else in the importer works on those
objects, never on openpyxl.

A small file can still expand: thousands of cells may point at one long
shared string. So the work is bounded by what is expanded, not by the file's
size: at most :data:`MAX_CELLS` non-empty cells and :data:`MAX_CHARS`
characters (visible cells and our hidden data sheet together) are read, and
each distinct string is normalised as a label once (:attr:`XCell.norm`).
Reading can be cancelled (``cancel`` returns True).
"""

from __future__ import annotations

import datetime as _dt
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from jixiao.core.figures import round_to
from jixiao.core.model import MAX_FORMS
from jixiao.core.vocabulary import normalize_label
from jixiao.excel.common import META_SHEET, ExcelImportError

MAX_ROWS = 10000
MAX_COLS = 64
# Sheets of a workbook. An export of a document has one per form plus the 汇总表
# and the data sheet; the export refuses a workbook beyond any of these limits
# (jixiao.excel.limits), so what it writes always reads back.
MAX_SHEETS = MAX_FORMS + 2
MAX_META_ROWS = 5000
MAX_CELLS = 300_000  # non-empty cells in the whole workbook (our export: ~190 per project form)
MAX_CHARS = 30_000_000  # characters of cell text, hidden data included (our export: ~15,000 per project form)
MAX_JSON_TOKENS = 3_000_000  # , : { [ in the hidden data's JSON (each parses to a Python object)
_CANCEL_EVERY = 256  # rows between two looks at the cancel flag


class ImportCancelled(ExcelImportError):
    """The officer cancelled the import."""


class Budget:
    """What a workbook has expanded to so far; raises when a limit is passed."""

    def __init__(self, filename: str, cancel: Callable[[], bool] | None = None) -> None:
        self.filename = filename
        self.cancel = cancel
        self.cells = 0
        self.chars = 0
        self.labels: dict[str, str] = {}  # each distinct string's normalised label

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel():
            raise ImportCancelled("已取消导入")

    def add_cell(self) -> None:
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise ExcelImportError(
                f"“{self.filename}”中的非空单元格超过 {MAX_CELLS:,} 个，超出绩效自评表的合理规模，已拒绝导入")

    def add_chars(self, n: int) -> None:
        self.chars += n
        if self.chars > MAX_CHARS:
            raise ExcelImportError(
                f"“{self.filename}”中的文字展开后超过 {MAX_CHARS // 10000:,} 万个字符，超出绩效自评表的合理规模，"
                "已拒绝导入（可能是恶意构造的文件：许多单元格引用同一段很长的文字）")

    def label(self, value: str) -> str:
        n = self.labels.get(value)
        if n is None:
            n = self.labels[value] = normalize_label(value.strip())
        return n


@dataclass(slots=True)
class XCell:
    row: int  # 1-based
    col: int
    value: object
    fmt: str
    error: bool = False
    # the cell as a label (see :func:`~jixiao.core.vocabulary.normalize_label`); "" for numbers.
    # Given when read (one normalisation per distinct string of the workbook), else computed on first use.
    _norm: str | None = field(default=None, repr=False, compare=False)
    _text: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def ref(self) -> str:
        return f"{get_column_letter(self.col)}{self.row}"

    @property
    def text(self) -> str:
        t = self._text
        if t is None:
            t = self._text = cell_string(self.value, self.fmt)
        return t

    @property
    def norm(self) -> str:
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


def load_sheets(p: Path, cancel: Callable[[], bool] | None = None) -> Workbook:
    """Read every visible sheet's cells (and our hidden data sheet's text).
    Raises :class:`ExcelImportError` for a damaged or unreasonable workbook,
    :class:`ImportCancelled` when ``cancel()`` says so."""
    import openpyxl

    budget = Budget(p.name, cancel)
    try:
        # a file object, not the name: openpyxl judges a name by its extension, we judge by content
        fh = open(p, "rb")  # noqa: SIM115 - closed below, after the read-only workbook is done with it
    except OSError as exc:
        raise ExcelImportError(f"无法打开“{p.name}”：{exc.strerror or exc}") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=True, keep_links=False)
    except MemoryError:
        fh.close()
        raise ExcelImportError(f"“{p.name}”展开后超出可用内存，已拒绝导入") from None
    except Exception as exc:  # openpyxl raises many types on damaged files
        fh.close()
        raise ExcelImportError(f"“{p.name}”无法作为 Excel 工作簿读取，文件可能已损坏") from exc
    out = Workbook([], None, [])
    try:
        worksheets = wb.worksheets
        if len(worksheets) > MAX_SHEETS:
            raise ExcelImportError(f"“{p.name}”有 {len(worksheets)} 个工作表，超过导入上限 {MAX_SHEETS} 个，已拒绝导入")
        for ws in worksheets:
            budget.check_cancel()
            state = getattr(ws, "sheet_state", "visible")
            if ws.title == META_SHEET:
                out.meta_raw = _read_meta_sheet(ws, budget)
                continue
            if state != "visible":
                out.hidden.append(ws.title)
                continue
            out.sheets.append(Sheet(ws.title, _read_cells(ws, budget)))
    except ExcelImportError:
        raise
    except MemoryError:
        raise ExcelImportError(f"“{p.name}”展开后超出可用内存，已拒绝导入") from None
    except Exception as exc:
        raise ExcelImportError(f"“{p.name}”的内容无法读取，文件可能已损坏") from exc
    finally:
        wb.close()
        fh.close()
    return out


def _read_cells(ws: Any, budget: Budget) -> dict[tuple[int, int], XCell]:
    out: dict[tuple[int, int], XCell] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for r, row in enumerate(ws.iter_rows(min_row=1, max_row=MAX_ROWS + 1, min_col=1, max_col=MAX_COLS), start=1):
            if r % _CANCEL_EVERY == 0:
                budget.check_cancel()
            for c, cell in enumerate(row, start=1):
                v = getattr(cell, "value", None)
                if v is None:
                    continue
                if isinstance(v, str):
                    budget.add_chars(len(v))
                    if not v.strip():
                        continue
                if r > MAX_ROWS:
                    raise ExcelImportError(
                        f"“{budget.filename}”的工作表“{ws.title}”超过 {MAX_ROWS} 行，不像是绩效自评表，已拒绝导入"
                    )
                budget.add_cell()
                dt = getattr(cell, "data_type", "n")
                fmt = getattr(cell, "number_format", None) or "General"
                norm = budget.label(v) if isinstance(v, str) else ""
                out[(r, c)] = XCell(r, c, v, fmt, dt == "e", norm)
    return out


def _read_meta_sheet(ws: Any, budget: Budget) -> str | None:
    parts = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for r, row in enumerate(ws.iter_rows(min_row=2, max_row=MAX_META_ROWS, min_col=1, max_col=1,
                                             values_only=True)):
            if r % _CANCEL_EVERY == 0:
                budget.check_cancel()
            v = row[0] if row else None
            if v is None:
                break
            text = str(v)
            budget.add_chars(len(text))
            parts.append(text)
    raw = "".join(parts)
    if raw and json_tokens(raw) > MAX_JSON_TOKENS:
        raise ExcelImportError(f"“{budget.filename}”中的辅助数据（{META_SHEET}）结构过于庞大，已拒绝导入")
    return raw or None


def json_tokens(text: str) -> int:
    """How many values and containers a JSON text can parse to, at most (fast: C-speed counts)."""
    return text.count(",") + text.count(":") + text.count("{") + text.count("[")


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
