"""Our own exports' very hidden data sheet.

The writer stores the document exactly as typed (ids, exact strings) and, per
visible sheet, what each cell was written with and the field path behind it.
The reader trusts it only for a sheet whose visible cells still match what was
written, cell for cell, apart from values the officer changed; those changed
values win. A sheet whose structure was edited is read by its labels instead.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import column_index_from_string

from jixiao.core.figures import is_blank_mark
from jixiao.core.fileio import DocumentError, document_from_data
from jixiao.core.model import Document, Form
from jixiao.core.overrides import drop_redundant_overrides
from jixiao.core.templates import Template
from jixiao.excel.common import META_MARKER, META_SHEET, META_VERSION
from jixiao.excel.doc_labels import DocFields, after_colon, year_of
from jixiao.excel.sheets import Sheet, XCell

_REF_RE = re.compile(r"([A-Z]{1,3})(\d+)")


@dataclass
class HiddenData:
    document: Document
    sheets: dict[str, dict[str, Any]]  # sheet title -> what was written on it


def read_hidden_data(raw: str | None, forced: Template | None, problems: list[str]) -> HiddenData | None:
    """The document and per-sheet records of our hidden sheet, or ``None``
    (absent, damaged, newer, or written for another template than ``forced``)."""
    meta = _parse(raw, problems)
    if meta is None:
        return None
    try:
        doc = document_from_data(meta["document"], "Excel 中的辅助数据", notes=problems)
    except (DocumentError, KeyError, TypeError) as exc:
        problems.append(f"{META_SHEET}：辅助数据无法识别（{exc}），已按表格内容导入")
        return None
    if forced is not None and forced.id != doc.template_id:
        return None
    records = [s for s in meta["sheets"] if isinstance(s, dict) and isinstance(s.get("name"), str)]
    _follow_renewed_ids(meta["document"], doc, records)
    return HiddenData(doc, {s["name"]: s for s in records})


def _follow_renewed_ids(raw: dict[str, Any], doc: Document, records: list[dict[str, Any]]) -> None:
    """Forms that shared an id got fresh ones when read (Document.renew_repeated_ids):
    the k-th sheet written for id X is the k-th form that had id X (sheets are written
    in the document's order), so each sheet's record is pointed at its own form."""
    raw_forms = raw.get("forms")
    if not isinstance(raw_forms, list) or len(raw_forms) != len(doc.forms):
        return
    by_old: dict[str, list[str]] = {}
    for f, form in zip(raw_forms, doc.forms, strict=True):
        old = str(f.get("id")) if isinstance(f, dict) and f.get("id") else ""
        by_old.setdefault(old, []).append(form.id)
    if all(len(ids) == 1 and ids[0] == old for old, ids in by_old.items()):
        return
    for rec in records:
        queue = by_old.get(str(rec.get("form_id")))
        if queue:
            rec["form_id"] = queue.pop(0)


def _parse(raw: str | None, problems: list[str]) -> dict[str, Any] | None:
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, RecursionError):
        problems.append(f"{META_SHEET}：辅助数据已损坏，已按表格内容导入")
        return None
    if not isinstance(data, dict) or data.get("format") != META_MARKER:
        return None
    if not isinstance(data.get("version"), int) or data["version"] > META_VERSION:
        problems.append(f"{META_SHEET}：辅助数据由更新版本的程序写入，已按表格内容导入")
        return None
    if not isinstance(data.get("sheets"), list) or not isinstance(data.get("document"), dict):
        return None
    return data


def changed_cells(sh: Sheet, record: dict[str, Any]) -> list[tuple[str, XCell | None]] | None:
    """Value cells the officer changed as (path, visible cell), or ``None`` when
    the sheet's structure no longer matches what was written."""
    cells = record.get("cells")
    if not isinstance(cells, list):
        return None
    recorded: set[tuple[int, int]] = set()
    changes: list[tuple[str, XCell | None]] = []
    for rec in cells:
        if not (isinstance(rec, list) and len(rec) == 4 and isinstance(rec[0], str)):
            return None
        ref, path, written, _fmt = rec
        m = _REF_RE.fullmatch(ref)
        if not m:
            return None
        pos = (int(m[2]), column_index_from_string(m[1]))
        recorded.add(pos)
        x = sh.cells.get(pos)
        if _same(x, written):
            continue
        if path is None:
            return None  # a fixed label was changed: the layout is not ours any more
        changes.append((path, x))
    for pos in sh.cells:
        if pos not in recorded:
            return None  # something was added outside the written cells
    return changes


def form_from_hidden_data(sh: Sheet, record: dict[str, Any], data: HiddenData, fields_: DocFields,
                          problem: Any) -> Form | None:
    """The form written on ``sh`` with the officer's changes applied, or ``None``
    when the sheet must be read by its labels. ``problem(sheet, cell, message)``
    reports a cell."""
    base = data.document.form_by_id(str(record.get("form_id")))
    if base is None:
        return None
    changes = changed_cells(sh, record)
    if changes is None:
        return None
    form = copy.deepcopy(base)
    pieces = _pieces(sh, record)
    joined: set[str] = set()
    for path, x in changes:
        value = x.text if x is not None and not x.error else ""
        if x is not None and x.error:
            problem(sh, x, f"单元格是错误值“{x.value}”，已按空白处理")
        if path in pieces:  # a text the writer cut where the printed pages break: its pieces, joined
            if path in joined:
                continue
            joined.add(path)
            value = "".join(y.value if isinstance(y.value, str) else y.text
                            for y in pieces[path] if y is not None and not y.error).strip()
        if path.startswith("@"):
            _pseudo(fields_, path, value)
            continue
        if value and is_blank_mark(value) and not path.startswith("indicators"):
            value = ""
        try:
            form.set(path, value)
        except (IndexError, KeyError):
            return None
    drop_redundant_overrides(data.document.template, form, only=[p for p, _ in changes])
    for x in sh.cells.values():
        sh.use(x)
    return form


def _pseudo(fields_: DocFields, path: str, value: str) -> None:
    if path == "@unit":
        fields_.unit = after_colon(value)
    elif path == "@year":
        y = year_of(value)
        if y:
            fields_.year = y
    elif path.startswith("@signoff."):
        fields_.signoff[path.split(".", 1)[1]] = after_colon(value)


def _pieces(sh: Sheet, record: dict[str, Any]) -> dict[str, list[XCell | None]]:
    """Paths the writer recorded at several cells (a text broken over printed pages,
    one piece per sheet row), with their visible cells in order."""
    from openpyxl.utils import column_index_from_string

    refs: dict[str, list[XCell | None]] = {}
    for rec in record.get("cells", []):
        if not (isinstance(rec, list) and len(rec) == 4 and isinstance(rec[0], str)):
            continue
        ref, path = rec[0], rec[1]
        m = re.fullmatch(r"([A-Z]{1,3})(\d+)", ref)
        if isinstance(path, str) and not path.startswith("@") and m:
            refs.setdefault(path, []).append(sh.cells.get((int(m[2]), column_index_from_string(m[1]))))
    return {p: xs for p, xs in refs.items() if len(xs) > 1}


def _same(x: XCell | None, written: object) -> bool:
    if written is None or written == "":
        return x is None
    if x is None:
        return False
    v = x.value
    if isinstance(written, str):
        return isinstance(v, str) and v.strip() == written.strip()
    if isinstance(written, (int, float)) and not isinstance(written, bool):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return False
        return abs(float(v) - float(written)) <= 1e-9 * max(1.0, abs(float(written)))
    return False
