"""Import a workbook: our own export, or an officer's spreadsheet laid out
like the official forms.

Forms are found by their labels (项目名称, 年度资金总额, 一级指标 …), not by
fixed coordinates, so extra title rows, shifted columns, merged or unmerged
label cells and several forms on one sheet are read alike. Anything that
cannot be mapped is reported with its ``sheet!A1`` reference instead of being
guessed.

Our own exports carry a very hidden sheet with the document as typed (ids,
exact strings). It is used only for a sheet whose visible cells still match
what was written, cell for cell, apart from values the officer changed;
those changed values win. A sheet whose structure was edited is read by its
labels like any other.

The file is untrusted: see :mod:`jixiao.excel.safety`. Rows and columns read
are capped; errors are :class:`ExcelImportError` with a Chinese message.
"""

from __future__ import annotations

import copy
import datetime as _dt
import json
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl.utils import get_column_letter

from jixiao.core.figures import fmt2, parse_decimal, round_to
from jixiao.core.fileio import DocumentError, document_from_data
from jixiao.core.interchange import GLOBAL_ALIASES
from jixiao.core.model import Document, Form, Indicator, default_items, new_id
from jixiao.core.scoring import score_form
from jixiao.core.templates import (
    AMOUNT_COLUMNS,
    FormDef,
    Section,
    Template,
    TemplateError,
    available_templates,
    get_template,
    known_signoff_labels,
)
from jixiao.excel.common import META_MARKER, META_SHEET, META_VERSION, norm_label
from jixiao.excel.safety import UnsafeWorkbook, check_workbook_file

MAX_ROWS = 10000
MAX_COLS = 64
MAX_SHEETS = 300
MAX_PROBLEMS = 300

SUMMARY_TITLES = {"项目单位自评汇总表", "汇总表"}
PROJECT_NAME_LABELS = {"项目名称"}
DEPARTMENT_NAME_LABELS = {"部门名称", "部门单位名称", "单位名称", "部门整体名称"}
TOTAL_LABELS = {"总分", "合计", "总计", "自评总分"}
UNIT_PREFIXES = ("填报单位盖章", "填报单位", "单位名称盖章")
EXTRA_ALIASES = {
    "年初预算": "年初预算数",
    "全年预算": "全年预算数",
    "全年执行": "全年执行数",
    "执行数": "全年执行数",
    "预算执行率": "执行率",
    "执行率%": "执行率",
    "分值权重": "分值",
    "偏差度%": "偏差度",
    "预期指标值": "年度指标值",
    "指标值": "年度指标值",
    "实际完成指标值": "实际完成值",
    "指标设定依据": "指标值设定依据",
}


class ExcelImportError(Exception):
    """The workbook cannot be imported; ``str()`` is a Chinese message fit for the user."""


@dataclass
class ImportResult:
    document: Document
    problems: list[str] = field(default_factory=list)
    template_id: str = ""
    used_metadata: bool = False


# ---------------------------------------------------------------- cells


@dataclass(slots=True)
class XCell:
    row: int  # 1-based
    col: int
    value: object
    fmt: str
    error: bool = False

    @property
    def ref(self) -> str:
        return f"{get_column_letter(self.col)}{self.row}"

    @property
    def text(self) -> str:
        return cell_string(self.value, self.fmt)

    @property
    def norm(self) -> str:
        return norm_label(self.text) if isinstance(self.value, str) else ""


class Sheet:
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
        return f"{_quote_sheet(self.title)}!{x.ref}"

    def get(self, r: int, c: int) -> XCell | None:
        return self.cells.get((r, c))

    def use(self, x: XCell | None) -> None:
        if x is not None:
            self.used.add((x.row, x.col))

    def row(self, r: int) -> list[XCell]:
        return self.rows.get(r, [])


def _quote_sheet(title: str) -> str:
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


def _is_blank_mark(text: str) -> bool:
    t = unicodedata.normalize("NFKC", text).strip()
    return t in ("—", "-", "/", "_", "－", "——", "--", "\\")


# ---------------------------------------------------------------- entry point


def read_workbook(path, template_id: str | None = None) -> ImportResult:
    """Import ``path``. Raises :class:`ExcelImportError` (Chinese message) when
    the file is not a readable, reasonable .xlsx or holds no form."""
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
    sheets, meta_raw, hidden = _load_sheets(p)
    problems: list[str] = [f"工作表“{h}”是隐藏的，未导入" for h in hidden]
    meta = _parse_meta(meta_raw, problems)
    meta_doc: Document | None = None
    if meta is not None:
        try:
            meta_doc = document_from_data(meta["document"], "Excel 中的辅助数据")
        except (DocumentError, KeyError, TypeError) as exc:
            problems.append(f"{META_SHEET}：辅助数据无法识别（{exc}），已按表格内容导入")
            meta_doc = None
        if meta_doc is not None and forced is not None and forced.id != meta_doc.template_id:
            meta_doc = None
    importer = _Importer(sheets, problems)
    if forced is not None:
        template = forced
    elif meta_doc is not None:
        template = meta_doc.template
    else:
        template = importer.detect_template()
    return importer.run(template, meta_doc, meta, p.name)


def _load_sheets(p: Path) -> tuple[list[Sheet], str | None, list[str]]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged files
        raise ExcelImportError(f"“{p.name}”无法作为 Excel 工作簿读取，文件可能已损坏") from exc
    sheets: list[Sheet] = []
    hidden: list[str] = []
    meta_raw: str | None = None
    try:
        worksheets = wb.worksheets
        if len(worksheets) > MAX_SHEETS:
            raise ExcelImportError(f"“{p.name}”有 {len(worksheets)} 个工作表，超出合理范围，已拒绝导入")
        for ws in worksheets:
            state = getattr(ws, "sheet_state", "visible")
            if ws.title == META_SHEET:
                meta_raw = _read_meta_sheet(ws)
                continue
            if state != "visible":
                hidden.append(ws.title)
                continue
            sheets.append(Sheet(ws.title, _read_cells(ws, p.name)))
    except ExcelImportError:
        raise
    except Exception as exc:
        raise ExcelImportError(f"“{p.name}”的内容无法读取，文件可能已损坏") from exc
    finally:
        wb.close()
    return sheets, meta_raw, hidden


def _read_cells(ws, filename: str) -> dict[tuple[int, int], XCell]:
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


def _read_meta_sheet(ws) -> str | None:
    parts = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for row in ws.iter_rows(min_row=2, max_row=5000, min_col=1, max_col=1, values_only=True):
            v = row[0] if row else None
            if v is None:
                break
            parts.append(str(v))
    return "".join(parts) or None


def _parse_meta(raw: str | None, problems: list[str]) -> dict | None:
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


# ---------------------------------------------------------------- the importer


@dataclass
class _Block:
    sheet: Sheet
    kind: str
    anchor: XCell
    first_row: int
    last_row: int


class _Importer:
    def __init__(self, sheets: list[Sheet], problems: list[str]):
        self.sheets = sheets
        self.problems = problems
        self.year: int | None = None
        self.unit: str | None = None
        self.signoff: dict[str, str] = {}

    def problem(self, sheet: Sheet, x: XCell | None, msg: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            if len(self.problems) == MAX_PROBLEMS:
                self.problems.append("提示过多，其余从略")
            return
        self.problems.append(f"{sheet.ref(x)}：{msg}" if x is not None else f"工作表“{sheet.title}”：{msg}")

    # ------------------------------------------------------------ template detection
    def detect_template(self) -> Template:
        present: set[str] = set()
        kinds: set[str] = set()
        for sh in self.sheets:
            for x in sh.cells.values():
                n = x.norm
                if n:
                    present.add(n)
                    if n in PROJECT_NAME_LABELS:
                        kinds.add("project")
                    if _is_department_label(n):
                        kinds.add("department")
        best: tuple[float, int, Template] | None = None
        for order, tpl in enumerate(available_templates()):
            tokens: set[str] = set()
            level_names: set[str] = set()
            for kind in kinds or {"project", "department"}:
                if kind in tpl.forms:
                    tokens |= _template_tokens(tpl.forms[kind])
                    level_names |= _level_tokens(tpl.forms[kind])
            if not tokens:
                continue
            # structural labels count both ways; 一级/二级 names only when present
            hit = len(tokens & present)
            score = hit - 0.5 * (len(tokens) - hit) + 0.5 * len((level_names - tokens) & present)
            if best is None or score > best[0]:
                best = (score, -order, tpl)
        if best is None:
            return get_template("national")
        return best[2]

    # ------------------------------------------------------------ main
    def run(self, template: Template, meta_doc: Document | None, meta: dict | None, filename: str) -> ImportResult:
        meta_sheets = {}
        if meta is not None and meta_doc is not None:
            for s in meta["sheets"]:
                if isinstance(s, dict) and isinstance(s.get("name"), str):
                    meta_sheets[s["name"]] = s
        forms: list[Form] = []
        used_meta = False
        for sh in self.sheets:
            ms = meta_sheets.get(sh.title)
            if ms is not None and meta_doc is not None:
                if ms.get("form_id") is None:
                    if self._matches_summary(sh, ms):
                        continue  # our own 汇总表: computed, nothing to import
                else:
                    form = self._from_meta(sh, ms, meta_doc)
                    if form is not None:
                        forms.append(form)
                        used_meta = True
                        continue
            sheet_forms = self._parse_sheet(sh, template)
            if ms is not None and ms.get("form_id") and len(sheet_forms) == 1 and meta_doc is not None:
                if meta_doc.form_by_id(str(ms["form_id"])) is not None:
                    sheet_forms[0].id = str(ms["form_id"])
            forms.extend(sheet_forms)
        if not forms:
            raise ExcelImportError(
                f"“{filename}”中没有找到项目支出绩效自评表或部门整体支出绩效自评表（缺少“项目名称”“部门名称”等表头）"
            )
        seen: set[str] = set()
        for f in forms:  # a sheet copied in Excel repeats its form id
            if f.id in seen:
                f.id = new_id()
                for ind in f.indicators:
                    ind.id = new_id()
            seen.add(f.id)
        base = meta_doc
        doc = Document(
            template_id=template.id,
            unit=base.unit if base else "",
            year=base.year if base else 0,
            forms=forms,
            signoff=dict(base.signoff) if base else {},
            embedded_template=(base.embedded_template if base else None) or dict(template.source),
            previous=base.previous if base else None,  # the link to last year's document (core/previous.py)
        )
        if self.unit is not None:
            doc.unit = self.unit
        if self.year is not None:
            doc.year = self.year
        for k, v in self.signoff.items():
            if v:
                doc.signoff[k] = v
            else:
                doc.signoff.pop(k, None)
        if not doc.year:
            doc.year = _dt.date.today().year - 1
            self.problems.append(f"没有找到年度（如“（{doc.year}年度）”），已按 {doc.year} 年度导入")
        if not doc.unit:
            dep = doc.department
            doc.unit = (dep.name if dep else "") or next((f.header.get("实施单位", "") for f in forms if f.header.get("实施单位")), "")
        return ImportResult(document=doc, problems=self.problems, template_id=template.id, used_metadata=used_meta)

    # ------------------------------------------------------------ metadata path
    def _matches_summary(self, sh: Sheet, ms: dict) -> bool:
        return self._diff(sh, ms) is not None

    def _diff(self, sh: Sheet, ms: dict) -> list[tuple[str, XCell | None]] | None:
        """Value cells the officer changed as (path, visible cell), or None when
        the sheet's structure no longer matches what was written."""
        cells = ms.get("cells")
        if not isinstance(cells, list):
            return None
        recorded: set[tuple[int, int]] = set()
        changes: list[tuple[str, XCell | None]] = []
        for rec in cells:
            if not (isinstance(rec, list) and len(rec) == 4 and isinstance(rec[0], str)):
                return None
            ref, path, written, _fmt = rec
            m = re.fullmatch(r"([A-Z]{1,3})(\d+)", ref)
            if not m:
                return None
            from openpyxl.utils import column_index_from_string

            pos = (int(m[2]), column_index_from_string(m[1]))
            recorded.add(pos)
            x = sh.cells.get(pos)
            if _same(x, written):
                continue
            if path is None:
                return None  # a fixed label was changed: the layout is not ours any more
            changes.append((path, x))
        for pos, x in sh.cells.items():
            if pos not in recorded:
                return None  # something was added outside the written cells
        return changes

    def _from_meta(self, sh: Sheet, ms: dict, meta_doc: Document) -> Form | None:
        base = meta_doc.form_by_id(str(ms.get("form_id")))
        if base is None:
            return None
        changes = self._diff(sh, ms)
        if changes is None:
            return None
        form = copy.deepcopy(base)
        pieces = _pieces(sh, ms)
        done: set[str] = set()
        for path, x in changes:
            value = x.text if x is not None and not x.error else ""
            if x is not None and x.error:
                self.problem(sh, x, f"单元格是错误值“{x.value}”，已按空白处理")
            if path in pieces:  # a text the writer broke over pages: its pieces, joined
                if path in done:
                    continue
                done.add(path)
                value = "".join(y.value if isinstance(y.value, str) else y.text
                                for y in pieces[path] if y is not None and not y.error).strip()
            if path.startswith("@"):
                self._pseudo(path, value)
                continue
            if value and _is_blank_mark(value) and not path.startswith("indicators"):
                value = ""
            try:
                form.set(path, value)
            except (IndexError, KeyError):
                return None
        _clear_suggestions(meta_doc.template, form, only=[p for p, _ in changes])
        for x in sh.cells.values():
            sh.use(x)
        return form

    def _pseudo(self, path: str, value: str) -> None:
        if path == "@unit":
            self.unit = _after_colon(value)
        elif path == "@year":
            y = _year_of(value)
            if y:
                self.year = y
        elif path.startswith("@signoff."):
            self.signoff[path.split(".", 1)[1]] = _after_colon(value)

    # ------------------------------------------------------------ label path
    def _parse_sheet(self, sh: Sheet, template: Template) -> list[Form]:
        if not sh.cells:
            return []
        if self._is_summary_sheet(sh):
            return []
        self._doc_level(sh, template)
        anchors: list[tuple[XCell, str]] = []
        for r in sh.row_numbers:
            for x in sh.row(r):
                n = x.norm
                if n in PROJECT_NAME_LABELS:
                    anchors.append((x, "project"))
                    break
                if _is_department_label(n):
                    anchors.append((x, "department"))
                    break
        if not anchors:
            leftovers = [x for x in sh.cells.values() if (x.row, x.col) not in sh.used]
            if leftovers:
                self.problem(sh, None, "没有找到“项目名称”或“部门名称”，此工作表未导入")
            return []
        forms = []
        last = max(sh.row_numbers)
        for i, (x, kind) in enumerate(anchors):
            end = anchors[i + 1][0].row - 1 if i + 1 < len(anchors) else last
            if kind not in template.forms:
                self.problem(sh, x, f"模板“{template.name}”没有{'项目' if kind == 'project' else '部门整体'}自评表，此表未导入")
                continue
            block = _Block(sh, kind, x, x.row, end)
            forms.append(_FormParser(self, block, template).parse())
        for (r, c), x in sorted(sh.cells.items()):
            if (r, c) not in sh.used:
                self.problem(sh, x, f"未能识别“{_short(x.text)}”，已忽略")
        return forms

    def _is_summary_sheet(self, sh: Sheet) -> bool:
        for r in sh.row_numbers[:12]:
            norms = {x.norm for x in sh.row(r)}
            if norms & SUMMARY_TITLES or {"序号", "自评得分"} <= norms:
                if not any(_is_department_label(n) for n in norms):
                    return True
        return False

    def _doc_level(self, sh: Sheet, template: Template) -> None:
        titles = {norm_label(fd.title) for fd in template.forms.values()}
        titles |= {"项目支出绩效自评表", "部门整体支出绩效自评表", "项目自评表", "部门整体自评表", "绩效自评表"}
        for x in sh.cells.values():
            if not isinstance(x.value, str):
                continue
            n = x.norm
            t = x.text
            if n in titles or (n.endswith("绩效自评表") and len(n) <= 20):
                sh.use(x)
            elif re.fullmatch(r"[（(]?\s*(\d{4})\s*年度?\s*[)）]?", unicodedata.normalize("NFKC", t)):
                y = _year_of(t)
                if y and self.year is None:
                    self.year = y
                sh.use(x)
            elif n.startswith(UNIT_PREFIXES):
                unit = _after_colon(t)
                if unit and self.unit is None:
                    self.unit = unit
                sh.use(x)
            elif n.startswith("金额单位") or n in ("单位", "单位万元"):
                sh.use(x)
            else:
                signoff_keys = known_signoff_labels()
                for key in signoff_keys:
                    if n.startswith(key):
                        v = _after_colon(t) if re.search(r"[:：]", t) else ""
                        if not v:  # "单位负责人" | "张三" in the next cell
                            nxt = sh.get(x.row, x.col + 1)
                            if nxt is not None and not any(norm_label(nxt.text).startswith(k) for k in signoff_keys):
                                v = nxt.text
                                sh.use(nxt)
                        if v:
                            self.signoff[key] = v
                        sh.use(x)
                        break


def _is_department_label(n: str) -> bool:
    n = n.replace("盖章", "")
    return n in DEPARTMENT_NAME_LABELS


def _template_tokens(fd: FormDef) -> set[str]:
    out = {norm_label(fd.title)}
    for s in fd.sections:
        if s.label:
            out.add(norm_label(s.label))
        for c in s.columns:
            if c.label:
                out.add(norm_label(c.label))
        for r in s.fund_rows:
            out.add(norm_label(r.label))
        for it in s.items:
            out.add(norm_label(it.name))
        for row in s.field_rows:
            for fc in row:
                if fc.label:
                    out.add(norm_label(fc.label))
    out.discard("")
    return out


def _level_tokens(fd: FormDef) -> set[str]:
    out = set()
    for s in fd.sections:
        for lv in s.levels:
            out.add(norm_label(lv.name))
            out.update(norm_label(x) for x in lv.level2)
    return out


def _pieces(sh: Sheet, ms: dict) -> dict[str, list[XCell | None]]:
    """Paths the writer recorded at several cells (a text broken over printed pages,
    one piece per sheet row), with their visible cells in order."""
    from openpyxl.utils import column_index_from_string

    refs: dict[str, list[XCell | None]] = {}
    for rec in ms.get("cells", []):
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


def _after_colon(text: str) -> str:
    parts = re.split(r"[:：]", text, maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else ""


def _year_of(text: str) -> int | None:
    m = re.search(r"(\d{4})\s*年", unicodedata.normalize("NFKC", text))
    if m and 1990 <= int(m[1]) <= 2100:
        return int(m[1])
    return None


def _short(text: str, n: int = 20) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[:n] + "…"


def _clear_suggestions(template: Template, form: Form, only: list[str] | None = None) -> None:
    """Forget typed 得分/执行率/偏差度/总分 figures equal to the engine's, so they keep following the inputs."""
    fd = template.form(form.kind)
    res = score_form(template, fd, form)
    paths = set(only) if only is not None else None

    def want(path: str) -> bool:
        return paths is None or path in paths

    funds = fd.funds
    assert funds is not None
    pct = funds.rate_percent_sign
    for fr in funds.fund_rows:
        cells = form.funds.get(fr.key, {})
        r = res.funds.get(fr.key)
        if r is None:
            continue
        if "执行率" in cells and want(f"funds.{fr.key}.执行率") and r.rate is not None:
            typed = parse_decimal(cells["执行率"], allow_percent=True)
            if typed is not None and fmt2(typed) == fmt2(r.rate * 100):
                if cells["执行率"].strip().endswith("%") == pct:
                    del cells["执行率"]
        if "得分" in cells and want(f"funds.{fr.key}.得分") and r.score is not None:
            typed = parse_decimal(cells["得分"])
            if typed is not None and fmt2(typed) == fmt2(r.score):
                del cells["得分"]
    for i, ind in enumerate(form.indicators):
        sc = res.indicators[i] if i < len(res.indicators) else None
        if sc is None:
            continue
        raw = ind.get("得分")
        if raw and want(f"indicators[{i}].得分") and sc.suggested is not None:
            typed = parse_decimal(raw)
            if typed is not None and fmt2(typed) == fmt2(sc.suggested):
                ind.set("得分", "")
        raw = ind.get("偏差度")
        if raw and want(f"indicators[{i}].偏差度") and sc.deviation is not None and ind.get("实际完成值").strip():
            typed = parse_decimal(raw, allow_percent=True)
            if typed is not None and fmt2(typed) == fmt2(sc.deviation * 100) and raw.strip().endswith("%"):
                ind.set("偏差度", "")
    if form.total and want("总分"):
        typed = parse_decimal(form.total)
        if typed is not None and fmt2(typed) == fmt2(res.total):
            form.total = ""


# ---------------------------------------------------------------- one form, by labels


class _FormParser:
    def __init__(self, imp: _Importer, block: _Block, template: Template):
        self.imp = imp
        self.b = block
        self.sh = block.sheet
        self.template = template
        self.fd = template.form(block.kind)
        self.form = Form(kind=block.kind)
        self.cursor = block.first_row
        self.stop_labels = self._stop_labels()

    # helpers
    def rows(self, start: int | None = None):
        s = self.b.first_row if start is None else start
        return [r for r in self.sh.row_numbers if s <= r <= self.b.last_row]

    def find(self, names: set[str], start: int | None = None, unused: bool = True) -> XCell | None:
        for r in self.rows(start):
            for x in self.sh.row(r):
                if x.norm in names and (not unused or (x.row, x.col) not in self.sh.used):
                    return x
        return None

    def problem(self, x: XCell | None, msg: str) -> None:
        self.imp.problem(self.sh, x, msg)

    def _stop_labels(self) -> set[str]:
        out = set(TOTAL_LABELS)
        for s in self.fd.sections:
            if s.label:
                out.add(norm_label(s.label))
            if s.type in ("texts", "items", "table", "indicators"):
                for c in s.columns:
                    if c.label and c.key not in ("分值", "得分", "项目"):
                        out.add(norm_label(c.label))
                        out.add(norm_label(c.key))
        out |= {"一级指标", "二级指标", "三级指标"}
        out.discard("")
        return out

    def _row_has(self, r: int, names: set[str], skip_cols: set[int] = frozenset()) -> bool:
        return any(x.norm in names for x in self.sh.row(r) if x.col not in skip_cols)

    # parse
    def parse(self) -> Form:
        for sec in self.fd.sections:
            if sec.type == "fields":
                self._fields(sec)
            elif sec.type == "funds":
                self._funds(sec)
            elif sec.type == "texts":
                self._texts(sec)
            elif sec.type == "items":
                self._items(sec)
            elif sec.type == "table":
                self._table(sec)
            elif sec.type == "indicators":
                self._indicators(sec)
            elif sec.type == "total":
                self._total(sec)
        _clear_suggestions(self.template, self.form)
        return self.form

    def _value_right(self, x: XCell, labels: set[str]) -> XCell | None:
        for c in range(x.col + 1, MAX_COLS + 1):
            y = self.sh.get(x.row, c)
            if y is None:
                continue
            if (y.norm in labels and y.norm != x.norm) or (y.row, y.col) in self.sh.used:
                return None  # (a label never repeats itself: "主管部门 | 主管部门" is a value)
            return y
        return None

    def _fields(self, sec: Section) -> None:
        labels: dict[str, str] = {}
        for row in sec.field_rows:
            prev = None
            for fc in row:
                if fc.key:
                    names = {norm_label(fc.key)}
                    if prev:
                        names.add(norm_label(prev))
                    for n in names:
                        labels[n] = fc.key
                prev = fc.label
        if self.b.kind == "department":
            for n in DEPARTMENT_NAME_LABELS:
                labels.setdefault(n, "部门名称")
        all_labels = set(labels)
        for r in self.rows()[:12]:
            for x in self.sh.row(r):
                key = labels.get(x.norm) or labels.get(x.norm.replace("盖章", ""))
                if key is None or (x.row, x.col) in self.sh.used:
                    continue
                self.sh.use(x)
                y = self._value_right(x, all_labels)
                if y is not None:
                    self.sh.use(y)
                    if y.text and key not in self.form.header:
                        self.form.header[key] = y.text
                self.cursor = max(self.cursor, x.row + 1)

    def _colmap(self, header_row: int, amap: dict[str, str]) -> dict[str, XCell]:
        out: dict[str, XCell] = {}
        for x in self.sh.row(header_row):
            key = amap.get(x.norm)
            if key is not None and key not in out:
                out[key] = x
        return out

    def _amap(self, sec: Section) -> dict[str, str]:
        amap: dict[str, str] = {}
        keys = {c.key for c in sec.columns}
        for alias, key in list(GLOBAL_ALIASES.items()) + list(EXTRA_ALIASES.items()):
            if key in keys:
                amap[norm_label(alias)] = key
        for c in sec.columns:
            if c.key == "项目":
                continue
            amap[norm_label(c.key)] = c.key
            if c.label:
                amap[norm_label(c.label)] = c.key
        amap.pop("", None)
        return amap

    def _find_header(self, sec: Section, amap: dict[str, str], need: set[str], min_hits: int) -> int | None:
        for start in (self.cursor, self.b.first_row):
            for r in self.rows(start):
                keys = {amap[x.norm] for x in self.sh.row(r) if x.norm in amap and (x.row, x.col) not in self.sh.used}
                if len(keys) >= min_hits and (not need or keys & need):
                    return r
        return None

    def _use_section_label(self, sec: Section, near_row: int) -> None:
        if not sec.label:
            return
        n = norm_label(sec.label)
        for r in self.rows(max(self.b.first_row, near_row - 2)):
            if r > near_row + 40:
                break
            for x in self.sh.row(r):
                if x.norm == n and (x.row, x.col) not in self.sh.used:
                    self.sh.use(x)
                    return

    def _funds(self, sec: Section) -> None:
        amap = self._amap(sec)
        hr = self._find_header(sec, amap, set(AMOUNT_COLUMNS), 2)
        if hr is None:
            self.problem(self.b.anchor, "没有找到资金表头（年初预算数、全年预算数、全年执行数），资金未导入")
            return
        cols = self._colmap(hr, amap)
        for x in cols.values():
            self.sh.use(x)
        self._use_section_label(sec, hr)
        first_amount = min(x.col for x in cols.values())
        if sec.row_header:
            for x in self.sh.row(hr):
                if x.norm == norm_label(sec.row_header):
                    self.sh.use(x)
        by_name: dict[str, str] = {}
        for fr in sec.fund_rows:
            by_name[norm_label(fr.key)] = fr.key
            by_name[norm_label(fr.label)] = fr.key
        by_name.pop("", None)
        last = hr
        for r in self.rows(hr + 1):
            row = self.sh.row(r)
            labels = [x for x in row if x.col < first_amount and (x.row, x.col) not in self.sh.used]
            key = None
            for x in labels:
                k = by_name.get(x.norm)
                if k is not None:
                    key = k
                    self.sh.use(x)
                    break
            if key is None:
                if self._row_has(r, self.stop_labels):
                    break
                values = [x for x in row if x.col >= first_amount]
                if labels and values:
                    self.problem(labels[-1], f"资金行“{_short(labels[-1].text)}”不属于模板“{self.template.name}”，此行未导入")
                    for x in labels + values:
                        self.sh.use(x)
                    last = r
                    continue
                if not row:
                    continue
                break
            last = r
            cells = self.form.funds.setdefault(key, {})
            for ck, hx in cols.items():
                x = self.sh.get(r, hx.col)
                if x is None:
                    continue
                self.sh.use(x)
                val = self._value(x, ck)
                if val and not _is_blank_mark(val):
                    cells[ck] = val
            if not cells:
                self.form.funds.pop(key, None)
        self.cursor = max(self.cursor, last + 1)

    def _value(self, x: XCell, key: str) -> str:
        if x.error:
            self.problem(x, f"单元格是错误值“{x.value}”，已按空白处理")
            return ""
        return x.text

    def _texts(self, sec: Section) -> None:
        found_any = False
        label_names = {norm_label(c.label): c.key for c in sec.columns if c.label}
        label_names |= {norm_label(c.key): c.key for c in sec.columns}
        for alias, key in GLOBAL_ALIASES.items():
            if key in label_names.values():
                label_names.setdefault(norm_label(alias), key)
        label_set = set(label_names) | self.stop_labels
        block = {}
        start = self.cursor
        for c in sec.columns:
            names = {n for n, k in label_names.items() if k == c.key}
            x = self.find(names, start) or self.find(names)
            if x is None:
                continue
            found_any = True
            self.sh.use(x)
            val = None
            for r in self.rows(x.row + 1)[:3]:
                y = self.sh.get(r, x.col)
                if y is not None:
                    if y.norm not in label_set and (y.row, y.col) not in self.sh.used:
                        val = y
                    break
            if val is None:
                val = self._value_right(x, label_set)
            if val is not None:
                self.sh.use(val)
                if val.text:
                    block[c.key] = val.text
                self.cursor = max(self.cursor, val.row + 1)
            else:
                self.cursor = max(self.cursor, x.row + 1)
        if found_any:
            self._use_section_label(sec, start)
        if block:
            self.form.texts[sec.key] = block

    def _items(self, sec: Section) -> None:
        amap = self._amap(sec)
        hr = self._find_header(sec, amap, set(), 2)
        block = default_items(sec)
        self.form.items[sec.key] = block
        if hr is None:
            self.problem(self.b.anchor, f"没有找到“{sec.label or sec.key}”表头，此部分按默认分值导入")
            return
        cols = self._colmap(hr, amap)
        for x in cols.values():
            self.sh.use(x)
        self._use_section_label(sec, hr)
        names = {norm_label(it.name): it.name for it in sec.items}
        value_cols = {x.col for x in cols.values()}
        last = hr
        for r in self.rows(hr + 1):
            row = self.sh.row(r)
            name = None
            for x in row:
                if x.col not in value_cols and x.norm in names:
                    name = names[x.norm]
                    self.sh.use(x)
                    break
            if name is None:
                break
            last = r
            for ck, hx in cols.items():
                x = self.sh.get(r, hx.col)
                if x is None:
                    block[name].pop(ck, None)
                    continue
                self.sh.use(x)
                val = self._value(x, ck)
                if val:
                    block[name][ck] = val
                else:
                    block[name].pop(ck, None)
        self.cursor = max(self.cursor, last + 1)

    def _table(self, sec: Section) -> None:
        amap = self._amap(sec)
        need = {c.key for c in sec.columns[:1]}
        hr = self._find_header(sec, amap, need, 2)
        if hr is None:
            return
        cols = self._colmap(hr, amap)
        for x in cols.values():
            self.sh.use(x)
        self._use_section_label(sec, hr)
        rows = []
        last = hr
        col_set = {x.col for x in cols.values()}
        for r in self.rows(hr + 1):
            if self._row_has(r, self.stop_labels - set(amap), skip_cols=set()):
                break
            row_cells = [x for x in self.sh.row(r) if (x.row, x.col) not in self.sh.used]
            if not row_cells:
                continue
            if not any(x.col in col_set for x in row_cells):
                break
            rec = {}
            for ck, hx in cols.items():
                x = self.sh.get(r, hx.col)
                if x is not None:
                    self.sh.use(x)
                    v = self._value(x, ck)
                    if v:
                        rec[ck] = v
            rows.append(rec)
            last = r
        while rows and not rows[-1]:
            rows.pop()
        if rows:
            self.form.tables[sec.key] = rows
        self.cursor = max(self.cursor, last + 1)

    def _indicators(self, sec: Section) -> None:
        amap = self._amap(sec)
        hr = self._find_header(sec, amap, {"三级指标"}, 3)
        if hr is None:
            self.problem(self.b.anchor, "没有找到绩效指标表头（一级指标、二级指标、三级指标），指标未导入")
            return
        cols = self._colmap(hr, amap)
        for x in cols.values():
            self.sh.use(x)
        section_labels = {"绩效指标", "年度绩效指标完成情况", "绩效指标完成情况"}
        if sec.label:
            section_labels.add(norm_label(sec.label))
        for r in self.rows(hr):
            for x in self.sh.row(r):
                if x.norm in section_labels and x.col < min(c.col for c in cols.values()):
                    self.sh.use(x)
            if r > hr + 1:
                break
        levels = {lv.name: lv for lv in sec.levels}
        lv1_col = cols.get("一级指标")
        lv2_col = cols.get("二级指标")
        first_col = min(x.col for x in cols.values())
        cur1 = cur2 = ""
        last = hr
        for r in self.rows(hr + 1):
            row = self.sh.row(r)
            if any(x.norm in TOTAL_LABELS for x in row if x.col < (cols["分值"].col if "分值" in cols else 99)):
                break
            if any(any(x.norm.startswith(k) for k in known_signoff_labels()) for x in row):
                break
            if any(x.norm in (amap.keys()) and amap[x.norm] in ("一级指标", "三级指标") for x in row):
                break  # a repeated header: a new form without name row would start here
            cells: dict[str, str] = {}
            explicit1 = explicit2 = False
            for ck, hx in cols.items():
                x = self.sh.get(r, hx.col)
                if x is None:
                    continue
                self.sh.use(x)
                v = self._value(x, ck)
                if v and ck in ("一级指标", "二级指标"):
                    if ck == "一级指标":
                        explicit1 = True
                        if v != cur1:
                            cur2 = ""
                        cur1 = v
                    else:
                        explicit2 = True
                        cur2 = v
                    continue
                if v:
                    cells[ck] = v
            for x in row:
                if x.col < first_col and x.norm in section_labels:
                    self.sh.use(x)
            if not cells and not explicit1 and not explicit2:
                if row and any((x.row, x.col) not in self.sh.used for x in row):
                    break
                continue
            last = r
            if not cells and not explicit2 and not explicit1:
                continue
            ind = Indicator({"一级指标": cur1} if cur1 else {})
            if cur2:
                ind.cells["二级指标"] = cur2
            ind.cells.update(cells)
            if cur1 and cur1 not in levels and lv1_col is not None and explicit1:
                self.problem(self.sh.get(r, lv1_col.col), f"一级指标“{_short(cur1)}”不在模板“{self.template.name}”中")
            elif cur1 in levels and cur2 and explicit2 and lv2_col is not None and levels[cur1].level2 \
                    and cur2 not in levels[cur1].level2:
                self.problem(self.sh.get(r, lv2_col.col), f"二级指标“{_short(cur2)}”不属于一级指标“{cur1}”")
            self.form.indicators.append(ind)
        self.cursor = max(self.cursor, last + 1)

    def _total(self, sec: Section) -> None:
        ind = self.fd.indicators
        assert ind is not None
        amap = self._amap(ind)
        x = self.find(TOTAL_LABELS, self.cursor)
        if x is None:
            return
        self.sh.use(x)
        hr = None
        for r in reversed([r for r in self.rows() if r < x.row]):
            if len(self._colmap(r, amap)) >= 3 and "得分" in self._colmap(r, amap):
                hr = r
                break
        if hr is None:
            return
        cols = self._colmap(hr, amap)
        for y in self.sh.row(x.row):
            if y.col == x.col:
                continue
            self.sh.use(y)
            if "得分" in cols and y.col == cols["得分"].col:
                v = self._value(y, "得分")
                if v and not _is_blank_mark(v):
                    self.form.total = v
        self.cursor = max(self.cursor, x.row + 1)
