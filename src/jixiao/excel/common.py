"""Names and helpers shared by the Excel writer and reader."""

from __future__ import annotations

import re
import unicodedata

META_SHEET = "_jixiao_data"
META_MARKER = "jixiao-xlsx"
META_VERSION = 1
META_NOTE = "此工作表由绩效自评表填报工具自动生成，仅用于导入时核对原始录入，请勿修改。表格内容以各可见工作表为准。"
META_CHUNK = 30000  # characters per cell (Excel's limit is 32,767)

SUMMARY_SHEET = "汇总表"
DEPARTMENT_SHEET = "部门整体"

MAX_SHEET_NAME = 31
_FORBIDDEN_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
# XML 1.0 forbids these characters; openpyxl refuses them
ILLEGAL_XML_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_CELL_CHARS = 32767


class ExcelImportError(Exception):
    """The workbook cannot be imported; ``str()`` is a Chinese message fit for the user."""


def clean_sheet_name(name: str, fallback: str = "表") -> str:
    """A legal Excel sheet name: no []:*?/\\, no leading/trailing apostrophe, ≤ 31 characters."""
    s = _FORBIDDEN_SHEET_CHARS.sub("_", unicodedata.normalize("NFC", name or "")).strip()
    s = s.strip("'").strip()
    if not s:
        s = fallback
    if s.lower() == "history":  # reserved by Excel
        s = s + "_"
    return s[:MAX_SHEET_NAME].rstrip("'") or fallback


def unique_sheet_names(names: list[str], reserved: tuple[str, ...] = (META_SHEET,)) -> list[str]:
    """Clean every name and disambiguate duplicates (Excel compares names case-insensitively)."""
    used = {r.lower() for r in reserved}
    out = []
    for raw in names:
        base = clean_sheet_name(raw)
        name = base
        n = 2
        while name.lower() in used:
            suffix = f"({n})"
            name = base[: MAX_SHEET_NAME - len(suffix)].rstrip("'") + suffix
            n += 1
        used.add(name.lower())
        out.append(name)
    return out


def safe_text(text: str) -> str:
    """Text an Excel cell can hold: illegal XML characters removed, length capped."""
    return ILLEGAL_XML_RE.sub("", text)[:MAX_CELL_CHARS]
