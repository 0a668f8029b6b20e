"""The importer's limits, checked on a workbook we are about to export.

Whatever jixiao writes, it reads back: an export the importer would refuse
(too many sheets, XML elements, cells, characters …; see
:mod:`jixiao.excel.safety` and :mod:`jixiao.excel.sheets`) is refused before
anything is written, with a Chinese message that says what to do. The counts
are made the way the importer makes them, from the same constants.
"""

from __future__ import annotations

from typing import Any

from jixiao.core.fileio import DocumentError
from jixiao.excel import safety, sheets
from jixiao.excel.common import META_SHEET

_ADVICE = "导出后将无法再导入本程序。文档未受影响；请把项目拆分为几个文件分别导出（jixiao merge 可以再合并）"


def check_export(wb: Any, data: bytes, name: str) -> None:
    """Raise :class:`DocumentError` when ``data`` (the saved ``wb``) would not import."""

    def refuse(what: str) -> None:
        raise DocumentError(f"无法导出“{name}”：{what}，超过导入上限。{_ADVICE}")

    if len(wb.worksheets) > sheets.MAX_SHEETS:
        refuse(f"工作表 {len(wb.worksheets)} 个（上限 {sheets.MAX_SHEETS} 个）")
    read = [ws for ws in wb.worksheets if ws.title == META_SHEET or ws.sheet_state == "visible"]
    cells = chars = 0
    for ws in read:
        values = [c.value for c in ws._cells.values() if c.value is not None]
        if ws.title == META_SHEET:
            rows = ws.max_row
            if rows > sheets.MAX_META_ROWS:
                refuse(f"辅助数据 {rows} 行（上限 {sheets.MAX_META_ROWS} 行）")
            payload = "".join(str(v) for v in values[1:])  # below the note in A1
            chars += len(payload)
            if sheets.json_tokens(payload) > sheets.MAX_JSON_TOKENS:
                refuse(f"辅助数据的 JSON 元素超过 {sheets.MAX_JSON_TOKENS:,} 个")
            continue
        if ws.max_row > sheets.MAX_ROWS or ws.max_column > sheets.MAX_COLS:
            refuse(f"工作表“{ws.title}”有 {ws.max_row} 行 {ws.max_column} 列（上限 {sheets.MAX_ROWS} 行 "
                   f"{sheets.MAX_COLS} 列）")
        for v in values:
            if isinstance(v, str):
                chars += len(v)
                if not v.strip():
                    continue
            cells += 1
    if cells > sheets.MAX_CELLS:
        refuse(f"非空单元格 {cells:,} 个（上限 {sheets.MAX_CELLS:,} 个）")
    if chars > sheets.MAX_CHARS:
        refuse(f"文字共 {chars:,} 个字符（上限 {sheets.MAX_CHARS:,} 个）")
    try:
        safety.check_workbook_bytes(data, name)
    except safety.UnsafeWorkbook as exc:
        refuse(exc.what or str(exc))
