"""The JSON shape shared by the plain interchange file and the native
``.jxzp`` document.

Interchange (written by other programs)::

    {"template": "xinjiang", "unit": "...", "year": 2024,
     "forms": [{"kind": "project", "header": {"项目名称": ...},
                "funds": [{"row": "年度资金总额", "年初预算数": "950.00", ...}],
                "goals": {"预期目标": ..., "实际完成情况": ...},
                "indicators": [{"一级指标": ..., "年度指标值": "≥10家", ...}],
                "资金管理情况": [{"项目": "安排科学性", "分值": "5", ...}],
                "年度主要任务": [{"任务名称": ...}],
                "总分": "..."}]}

The Chinese keys are the form's own labels; the template's column labels
(``预期指标值``, ``分值权重`` …) are accepted as aliases of the canonical keys.
The native format is a superset: a format marker and version, form and
indicator ids, the sign-off fields and a copy of the template.
"""

from __future__ import annotations

import re
from typing import Any

from jixiao.core.model import Document, Form, Indicator, default_items, new_id
from jixiao.core.previous import PreviousLinkError, link_from_json, link_to_json
from jixiao.core.templates import FormDef, Template, TemplateError, get_template, template_from_dict


class InterchangeError(ValueError):
    """The JSON does not describe forms of this template; Chinese message."""


GLOBAL_ALIASES = {
    "预期指标值": "年度指标值",
    "指标值": "年度指标值",
    "年度目标值": "年度指标值",
    "实际完成指标值": "实际完成值",
    "实际值": "实际完成值",
    "分值权重": "分值",
    "权重": "分值",
    "偏差度 %": "偏差度",
    "偏差度%": "偏差度",
    "偏差率": "偏差度",
    "指标设定依据": "指标值设定依据",
    "偏差原因": "偏差原因分析及改进措施",
    "偏差原因分析": "偏差原因分析及改进措施",
    "实际完成目标": "实际完成情况",
}


def _norm_label(s: str) -> str:
    s = re.sub(r"[\s（）()：:]|万元", "", str(s))
    return s.removeprefix("其中")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float)):
        return repr(v) if isinstance(v, float) else str(v)
    if isinstance(v, str):
        return v
    raise InterchangeError(f"单元格的值应为字符串，得到的是 {type(v).__name__}")


def _column_alias_map(columns) -> dict[str, str]:
    amap = dict(GLOBAL_ALIASES)
    for col in columns:
        amap[col.key] = col.key
        amap[col.label] = col.key
        amap[_norm_label(col.label)] = col.key
    return amap


def form_from_json(template: Template, data: dict, where: str, *, native: bool = False) -> Form:
    if not isinstance(data, dict):
        raise InterchangeError(f"{where}：应为对象")
    kind = data.get("kind")
    if kind not in ("project", "department"):
        raise InterchangeError(f"{where}：kind 应为 project 或 department，得到 {kind!r}")
    try:
        fd = template.form(kind)
    except TemplateError as exc:
        raise InterchangeError(f"{where}：{exc}") from exc
    form = Form(kind=kind, id=str(data.get("id") or new_id()))
    header = data.get("header") or {}
    if not isinstance(header, dict):
        raise InterchangeError(f"{where}：header 应为对象")
    for k, v in header.items():
        if _cell(v):
            form.header[str(k)] = _cell(v)
    _read_funds(fd, form, data.get("funds") or [], where, keep_unknown=native)
    _read_blocks(fd, form, data, where)
    ind_sec = fd.indicators
    assert ind_sec is not None
    amap = _column_alias_map(ind_sec.columns)
    rows = data.get("indicators") or []
    if not isinstance(rows, list):
        raise InterchangeError(f"{where}：indicators 应为数组")
    for j, row in enumerate(rows):
        if not isinstance(row, dict):
            raise InterchangeError(f"{where} 第{j + 1}个指标：应为对象")
        ind = Indicator(id=str(row.get("id") or new_id()))
        for k, v in row.items():
            if k == "id":
                continue
            key = amap.get(k, amap.get(_norm_label(k), k))
            val = _cell(v)
            if val:
                ind.cells[key] = val
        form.indicators.append(ind)
    total = data.get("总分", "")
    form.total = _cell(total)
    form.origin = _origin(data.get("origin"), where)
    return form


def _origin(raw: Any, where: str) -> dict[str, str]:
    """``origin``: where a merged or carried-over form came from (see core/model.py)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InterchangeError(f"{where}：origin 应为对象")
    return {str(k): _cell(v) for k, v in raw.items() if _cell(v)}


def _read_funds(fd: FormDef, form: Form, rows: Any, where: str, *, keep_unknown: bool = False) -> None:
    sec = fd.funds
    assert sec is not None
    by_name: dict[str, str] = {}
    for r in sec.fund_rows:
        by_name[r.key] = r.key
        by_name[_norm_label(r.key)] = r.key
        by_name[_norm_label(r.label)] = r.key
    amap = _column_alias_map(sec.columns)
    if isinstance(rows, dict):  # {"年度资金总额": {...}} is accepted too
        rows = [{"row": k, **(v if isinstance(v, dict) else {})} for k, v in rows.items()]
    if not isinstance(rows, list):
        raise InterchangeError(f"{where}：funds 应为数组")
    for r in rows:
        if not isinstance(r, dict) or "row" not in r:
            raise InterchangeError(f"{where}：funds 的每一行需要 row")
        name = str(r["row"])
        key = by_name.get(name) or by_name.get(_norm_label(name))
        if key is None and keep_unknown:
            # a row this version's template no longer has (saved by another version): keep it, untouched
            key = name
        if key is None:
            allowed = "、".join(x.key for x in sec.fund_rows)
            raise InterchangeError(f"{where}：资金行“{name}”不属于此模板（可用：{allowed}）")
        cells = form.funds.setdefault(key, {})
        for k, v in r.items():
            if k == "row":
                continue
            col = amap.get(k, amap.get(_norm_label(k), k))
            val = _cell(v)
            if val:
                cells[col] = val


def _read_blocks(fd: FormDef, form: Form, data: dict, where: str) -> None:
    for sec in fd.sections:
        if sec.type == "texts":
            src = data.get(sec.key)
            if src is None and sec.label:
                src = data.get(sec.label)
            if src is None:
                continue
            if not isinstance(src, dict):
                raise InterchangeError(f"{where}：{sec.label or sec.key} 应为对象")
            amap = _column_alias_map(sec.columns)
            form.texts[sec.key] = {amap.get(k, k): _cell(v) for k, v in src.items() if _cell(v)}
        elif sec.type == "items":
            src = data.get(sec.key) or (data.get(sec.label) if sec.label else None)
            block = default_items(sec)  # default weights even when absent
            if src:
                if isinstance(src, dict):
                    src = [{"项目": k, **v} for k, v in src.items() if isinstance(v, dict)]
                if not isinstance(src, list):
                    raise InterchangeError(f"{where}：{sec.key} 应为数组")
                names = {it.name for it in sec.items}
                for row in src:
                    if not isinstance(row, dict):
                        raise InterchangeError(f"{where}：{sec.key} 的每一项应为对象")
                    name = str(row.get("项目", ""))
                    if name not in names:
                        raise InterchangeError(f"{where}：{sec.key} 中没有“{name}”一项（可用：{'、'.join(sorted(names))}）")
                    for k, v in row.items():
                        if k != "项目":
                            val = _cell(v)
                            if val:
                                block[name][k] = val
                            else:
                                block[name].pop(k, None)
            form.items[sec.key] = block
        elif sec.type == "table":
            src = data.get(sec.key) or (data.get(sec.label) if sec.label else None)
            if not src:
                continue
            if not isinstance(src, list):
                raise InterchangeError(f"{where}：{sec.key} 应为数组")
            form.tables[sec.key] = [{str(k): _cell(v) for k, v in row.items() if _cell(v)} for row in src if isinstance(row, dict)]


def document_from_json(data: Any, *, native: bool = False) -> Document:
    if not isinstance(data, dict):
        raise InterchangeError("文件内容不是对象")
    tid = data.get("template")
    if not isinstance(tid, str) or not tid:
        raise InterchangeError("缺少 template（模板编号，例如 national、xinjiang、henan）")
    snapshot = data.get("template_snapshot") if native else None
    try:
        template = get_template(tid)
    except TemplateError:
        if isinstance(snapshot, dict):
            template = template_from_dict(snapshot)
        else:
            raise
    year_raw = data.get("year", 0)
    try:
        year = int(str(year_raw).strip().removesuffix("年度").removesuffix("年"))
    except ValueError:
        raise InterchangeError(f"year 应为年份数字，得到 {year_raw!r}") from None
    forms_raw = data.get("forms", [])
    if not isinstance(forms_raw, list):
        raise InterchangeError("forms 应为数组")
    doc = Document(
        template_id=template.id,
        unit=_cell(data.get("unit", "")),
        year=year,
        embedded_template=snapshot if isinstance(snapshot, dict) else dict(template.source),
    )
    sign = data.get("signoff") or {}
    if isinstance(sign, dict):
        doc.signoff = {k: _cell(v) for k, v in sign.items() if k in template.signoff_labels and _cell(v)}
    reader = _saved_template(template, snapshot)
    for i, f in enumerate(forms_raw):
        where = f"第{i + 1}张表"
        kind = f.get("kind") if isinstance(f, dict) else None
        if reader is not template and kind in reader.forms:
            try:
                doc.forms.append(form_from_json(reader, f, where, native=native))
                continue
            except InterchangeError:
                pass  # not even the saved version reads it: the installed one says why
        doc.forms.append(form_from_json(template, f, where, native=native))
    if data.get("previous") is not None:
        try:
            doc.previous = link_from_json(data["previous"])
        except PreviousLinkError as exc:
            raise InterchangeError(str(exc)) from None
    return doc


def _saved_template(installed: Template, snapshot: Any) -> Template:
    """The template a native document was saved with, when it differs from the
    installed version of its region: the forms are read with it, so a block or
    an item the installed version no longer has is kept in the model (carry-over
    and merging list such values; saving writes them back), not dropped."""
    if not isinstance(snapshot, dict) or snapshot == installed.source:
        return installed
    try:
        return template_from_dict(snapshot)
    except TemplateError:
        return installed


def merge_interchange(parts: list[dict]) -> dict:
    """Several interchange files of one unit and year (say, one per form, as
    another program exports them) as one: the first file's document fields,
    every file's forms in order."""
    if not parts:
        raise InterchangeError("没有可合并的文件")
    merged = {k: v for k, v in parts[0].items() if k != "forms"}
    merged["forms"] = [f for part in parts for f in (part.get("forms") or [])]
    return merged


def form_to_json(fd: FormDef, form: Form, *, with_ids: bool) -> dict:
    out: dict[str, Any] = {"kind": form.kind}
    if with_ids:
        out["id"] = form.id
    out["header"] = dict(form.header)
    sec = fd.funds
    assert sec is not None
    funds = []
    for r in sec.fund_rows:
        cells = form.funds.get(r.key)
        if cells:
            funds.append({"row": r.key, **cells})
    for key, cells in form.funds.items():  # rows a newer template dropped: keep them
        if cells and all(key != r.key for r in sec.fund_rows):
            funds.append({"row": key, **cells})
    out["funds"] = funds
    for s in fd.sections:
        if s.type == "texts" and form.texts.get(s.key):
            out[s.key] = dict(form.texts[s.key])
        elif s.type == "items" and s.key in form.items:
            out[s.key] = [{"项目": name, **cells} for name, cells in form.items[s.key].items()]
        elif s.type == "table" and form.tables.get(s.key):
            out[s.key] = [dict(r) for r in form.tables[s.key]]
    known = {s.key for s in fd.sections}
    for key, block in form.texts.items():  # blocks of the version the document was made with: keep them
        if key not in known and block:
            out[key] = dict(block)
    for key, items in form.items.items():
        if key not in known and items:
            out[key] = [{"项目": name, **cells} for name, cells in items.items()]
    for key, rows in form.tables.items():
        if key not in known and rows:
            out[key] = [dict(r) for r in rows]
    inds = []
    for ind in form.indicators:
        row: dict[str, str] = {"id": ind.id} if with_ids else {}
        row.update(ind.cells)
        inds.append(row)
    out["indicators"] = inds
    if form.total:
        out["总分"] = form.total
    if form.origin:
        out["origin"] = dict(form.origin)
    return out


def document_to_json(doc: Document, *, native: bool) -> dict:
    template = doc.template
    out: dict[str, Any] = {"template": doc.template_id, "unit": doc.unit, "year": doc.year}
    if doc.signoff:
        out["signoff"] = dict(doc.signoff)
    out["forms"] = [form_to_json(template.form(f.kind), f, with_ids=native) for f in doc.forms]
    if doc.previous is not None:
        out["previous"] = link_to_json(doc.previous)
    return out
