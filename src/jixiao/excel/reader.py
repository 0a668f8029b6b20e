"""Import a workbook: our own export, or an officer's spreadsheet laid out
like the official forms.

The work is split along its seams:

- :mod:`jixiao.excel.sheets` reads the cells (bounded: the file is untrusted,
  see also :mod:`jixiao.excel.safety`);
- :mod:`jixiao.excel.hidden_data` uses our own exports' hidden data sheet
  where the visible cells still agree with it;
- :mod:`jixiao.excel.detect` picks the template from the labels found
  (``template_id`` overrides);
- :mod:`jixiao.excel.sheet_parser` and :mod:`jixiao.excel.form_parser` read
  the forms by their labels (the vocabulary's synonyms included).

Nothing typed is dropped: every non-empty cell ends up in a field, in an extra
fund row or in its form's 附加内容 block (both reported), or — a cell on a sheet
holding no form — stops the import with :class:`ExcelImportError` listing
every such cell as ``sheet!A1`` and its text.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.core.model import Document, Form, new_id
from jixiao.core.templates import Template, TemplateError, get_template
from jixiao.excel.common import ExcelImportError
from jixiao.excel.detect import Detection, detect_template
from jixiao.excel.doc_labels import DocFields, is_summary_sheet
from jixiao.excel.hidden_data import HiddenData, changed_cells, form_from_hidden_data, read_hidden_data
from jixiao.excel.safety import UnsafeWorkbook, check_workbook_file
from jixiao.excel.sheet_parser import parse_sheet
from jixiao.excel.sheets import Problems, Sheet, XCell, load_sheets
from jixiao.excel.summary_sheet import read_summary_fields

__all__ = ["ExcelImportError", "ImportResult", "read_workbook"]

MAX_UNPLACED_LISTED = 60


@dataclass
class ImportResult:
    document: Document
    problems: list[str] = field(default_factory=list)
    template_id: str = ""
    used_metadata: bool = False
    detection: Detection | None = None  # how the template was chosen, when it was not given

    @property
    def template_note(self) -> str:
        """One line saying which template the forms were read into, and why."""
        tpl = self.document.template
        if self.detection is not None:
            return self.detection.describe()
        if self.used_metadata:
            return f"按本程序导出时记录的模板“{tpl.name}”（{tpl.id}）导入"
        return f"按指定的模板“{tpl.name}”（{tpl.id}）导入"


def read_workbook(path: str | os.PathLike[str], template_id: str | None = None) -> ImportResult:
    """Import ``path``. Raises :class:`ExcelImportError` (Chinese message) when
    the file is not a readable, reasonable .xlsx, holds no form, or holds cells
    no form can take."""
    p = Path(path)
    try:
        check_workbook_file(p)
    except UnsafeWorkbook as exc:
        raise ExcelImportError(str(exc)) from None
    forced: Template | None = None
    if template_id:
        try:
            forced = get_template(template_id)
        except TemplateError as exc:
            raise ExcelImportError(str(exc)) from None
    book = load_sheets(p)
    problems = Problems([f"工作表“{h}”是隐藏的，未导入" for h in book.hidden])
    hidden = read_hidden_data(book.meta_raw, forced, problems.items)
    detection: Detection | None = None
    if forced is not None:
        template = forced
    elif hidden is not None:
        template = hidden.document.template
    else:
        detection = detect_template(book.sheets)
        template = detection.template
    doc, used_meta = _read_forms(book.sheets, template, hidden, problems, p.name)
    return ImportResult(document=doc, problems=problems.items, template_id=template.id, used_metadata=used_meta,
                        detection=detection)


def _read_forms(sheets: list[Sheet], template: Template, hidden: HiddenData | None, problems: Problems,
                filename: str) -> tuple[Document, bool]:
    doc_fields = DocFields()
    forms: list[Form] = []
    unplaced: list[tuple[Sheet, XCell]] = []
    summaries: list[Sheet] = []
    used_meta = False
    for sh in sheets:
        record = hidden.sheets.get(sh.title) if hidden is not None else None
        if record is not None and hidden is not None:
            if record.get("form_id") is None:
                if changed_cells(sh, record) is not None:
                    continue  # our own 汇总表: computed, nothing to import
            else:
                form = form_from_hidden_data(sh, record, hidden, doc_fields, problems.add)
                if form is not None:
                    forms.append(form)
                    used_meta = True
                    continue
        if is_summary_sheet(sh):
            summaries.append(sh)  # read once every project form is known
            continue
        sheet_forms = parse_sheet(sh, template, doc_fields, problems, unplaced)
        if record is not None and hidden is not None and record.get("form_id") and len(sheet_forms) == 1:
            if hidden.document.form_by_id(str(record["form_id"])) is not None:
                sheet_forms[0].id = str(record["form_id"])
        forms.extend(sheet_forms)
    for sh in summaries:
        taken = read_summary_fields(sh, template, forms, problems)
        problems.add(sh, None, "是项目单位自评汇总表，其中的数字由各项目表计算得出，未逐格导入"
                     + (f"；汇总表才有的栏目（{taken} 项）已读入相应项目" if taken else ""))
    if unplaced:
        raise ExcelImportError(_unplaced_message(filename, template, unplaced))
    if not forms:
        raise ExcelImportError(
            f"“{filename}”中没有找到项目支出绩效自评表或部门整体支出绩效自评表（缺少“项目名称”“部门名称”等表头）"
        )
    _unique_ids(forms)
    base = hidden.document if hidden is not None else None
    doc = Document(
        template_id=template.id,
        unit=base.unit if base else "",
        year=base.year if base else 0,
        forms=forms,
        signoff=dict(base.signoff) if base else {},
        embedded_template=(base.embedded_template if base else None) or dict(template.source),
        previous=base.previous if base else None,  # the link to last year's document (core/previous.py)
    )
    if doc_fields.unit is not None:
        doc.unit = doc_fields.unit
    if doc_fields.year is not None:
        doc.year = doc_fields.year
    for k, v in doc_fields.signoff.items():
        if v:
            doc.signoff[k] = v
        else:
            doc.signoff.pop(k, None)
    if not doc.year:
        doc.year = _dt.date.today().year - 1
        problems.add(None, None, f"没有找到年度（如“（{doc.year}年度）”），已按 {doc.year} 年度导入")
    if not doc.unit:
        dep = doc.department
        doc.unit = (dep.name if dep else "") or next(
            (f.header.get("实施单位", "") for f in forms if f.header.get("实施单位")), "")
    return doc, used_meta


def _unique_ids(forms: list[Form]) -> None:
    seen: set[str] = set()
    for f in forms:  # a sheet copied in Excel repeats its form id
        if f.id in seen:
            f.id = new_id()
            for ind in f.indicators:
                ind.id = new_id()
        seen.add(f.id)


def _unplaced_message(filename: str, template: Template, cells: list[tuple[Sheet, XCell]]) -> str:
    lines = [f"{sh.ref(x)}：{_short(x.text)}" for sh, x in cells[:MAX_UNPLACED_LISTED]]
    if len(cells) > MAX_UNPLACED_LISTED:
        lines.append(f"……另有 {len(cells) - MAX_UNPLACED_LISTED} 个单元格")
    return (f"“{filename}”中有 {len(cells)} 个单元格不属于任何一张自评表（所在工作表没有“项目名称”或“部门名称”），"
            f"为免丢失内容，已停止导入。请把这些内容移入相应的表、删除它们，或确认模板（当前为“{template.name}”）后重新导入：\n"
            + "\n".join(lines))


def _short(text: str, n: int = 40) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[:n] + "…"
