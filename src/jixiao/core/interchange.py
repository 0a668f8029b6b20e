"""The JSON shape shared by the plain interchange file and the native
``.jxzp`` document.

Interchange (written by other programs, or typed by hand from a published form)::

    {"template": "xinjiang", "unit": "...", "year": 2024,
     "forms": [{"kind": "project", "header": {"项目名称": ...},
                "funds": [{"row": "年度资金总额", "年初预算数": "950.00", ...}],
                "goals": {"预期目标": ..., "实际完成情况": ...},
                "indicators": [{"一级指标": ..., "年度指标值": "≥10家", ...}],
                "资金管理情况": [{"项目": "安排科学性", "分值": "5", ...}],
                "年度主要任务": [{"任务名称": ...}],
                "附加内容": [{"栏目": "项目类别", "内容": ...}],
                "总分": "..."}]}

Keys are the form's own labels. Any label the vocabulary
(:mod:`jixiao.core.vocabulary`) knows for a field is accepted for it
(``其中：本年财政拨款`` is the 当年财政拨款 row, ``调整后预算数`` the 全年预算数
column, ``权重`` the 分值 …), separate ``指标性质`` / ``度量单位`` values are read
into the target, and anything the template has no place for is kept: an
unknown fund row as an extra row of the funds block, any other field in the
form's 附加内容 block (:mod:`jixiao.core.extras`). Keys beginning with ``_`` are
comments. The native format is a superset: a format marker and version, form
and indicator ids, the sign-off fields and a copy of the template; a native
file keeps keys a newer template may have dropped exactly where they were.
"""

from __future__ import annotations

from typing import Any

from jixiao.core.extras import (
    EXTRA_LABEL,
    EXTRA_TEXT,
    EXTRAS,
    SEP,
    add_extra,
    extra_rows,
    nest_sub_rows,
    shows_extra_fund_rows,
)
from jixiao.core.figures import is_blank
from jixiao.core.jsontext import number_text
from jixiao.core.model import Document, Form, Indicator, default_items, new_id
from jixiao.core.previous import PreviousLinkError, link_from_json, link_to_json
from jixiao.core.templates import FormDef, Section, Template, TemplateError, get_template, template_from_dict
from jixiao.core.values import fold_value_columns
from jixiao.core.vocabulary import (
    COMPONENT_COLUMNS,
    column_map,
    display_label,
    fund_row_map,
    header_map,
    key_text,
    normalize_label,
    section_labels,
    vocabulary,
)


class InterchangeError(ValueError):
    """The JSON does not describe forms of this template; Chinese message."""


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float)):
        return number_text(v)  # the digits as written: 1e16 is 10000000000000000, 20 digits stay 20
    if isinstance(v, str):
        return v
    raise InterchangeError(f"单元格的值应为字符串，得到的是 {type(v).__name__}")


def _comment(key: Any) -> bool:
    return isinstance(key, str) and key.startswith("_")


def _lookup(amap: dict[str, str], key: str) -> str | None:
    return amap.get(key) or amap.get(normalize_label(key))


def form_from_json(template: Template, data: dict[str, Any], where: str, *, native: bool = False) -> Form:
    if not isinstance(data, dict):
        raise InterchangeError(f"{where}：应为对象")
    kind = data.get("kind")
    if kind not in ("project", "department") and not native and isinstance(kind, str):
        kind = vocabulary().key("interchange", kind) or kind  # "部门整体", "项目支出"
    if kind not in ("project", "department"):
        raise InterchangeError(f"{where}：kind 应为 project 或 department，得到 {kind!r}")
    try:
        fd = template.form(kind)
    except TemplateError as exc:
        raise InterchangeError(f"{where}：{exc}") from exc
    form = Form(kind=kind, id=str(data.get("id") or new_id()))
    _read_header(template, fd, form, data.get("header") or {}, where, native=native)
    _read_funds(fd, form, data.get("funds") or [], where, native=native)
    used = _read_blocks(fd, form, data, where, native=native)
    _read_indicators(fd, form, data.get("indicators") or [], where, native=native)
    form.total = _cell(data.get("总分", ""))
    form.origin = _origin(data.get("origin"), where)
    if not native:
        _read_rest(form, data, used, where)
    rows = data.get(EXTRAS)
    if rows:
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InterchangeError(f"{where}：{EXTRAS} 应为对象数组")
        for r in rows:
            add_extra(form, _cell(r.get(EXTRA_LABEL)), _cell(r.get(EXTRA_TEXT)))
    return form


def _origin(raw: Any, where: str) -> dict[str, str]:
    """``origin``: where a merged or carried-over form came from (see core/model.py)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InterchangeError(f"{where}：origin 应为对象")
    return {str(k): _cell(v) for k, v in raw.items() if _cell(v)}


def _read_header(template: Template, fd: FormDef, form: Form, header: Any, where: str, *, native: bool) -> None:
    if not isinstance(header, dict):
        raise InterchangeError(f"{where}：header 应为对象")
    keys = list(fd.header_keys)
    if fd.kind == "project":  # fields the 汇总表 prints (河南 单位编码 …) are kept in the header too
        keys += template.summary.header_keys
    hmap = header_map(keys)
    for k, v in header.items():
        val = _cell(v)
        if _comment(k) or not val:
            continue
        key = _lookup(hmap, str(k))
        if key is not None and key not in form.header:
            form.header[key] = val
        elif native:
            form.header[str(k)] = val  # a field this version's template no longer has: keep it, untouched
        else:
            add_extra(form, str(k), val)


def _read_funds(fd: FormDef, form: Form, rows: Any, where: str, *, native: bool) -> None:
    sec = fd.funds
    assert sec is not None
    by_name = fund_row_map(sec)
    amap = column_map("fund_column", sec.columns)
    if isinstance(rows, dict):  # {"年度资金总额": {...}} is accepted too
        rows = [{"row": k, **(v if isinstance(v, dict) else {})} for k, v in rows.items() if not _comment(k)]
    if not isinstance(rows, list):
        raise InterchangeError(f"{where}：funds 应为数组")
    taken: set[str] = set()
    extra_shown = shows_extra_fund_rows(fd)
    for r in rows:
        if not isinstance(r, dict) or "row" not in r:
            raise InterchangeError(f"{where}：funds 的每一行需要 row")
        name = _cell(r["row"])
        key = _lookup(by_name, name)
        if (key is None or key in taken) and not native and not extra_shown:
            for k, v in r.items():  # a block without row labels (重庆): its figures go to 附加内容
                if k != "row" and not _comment(k) and _cell(v) and not is_blank(_cell(v)):
                    add_extra(form, f"{display_label(name)}{SEP}{k}", _cell(v))
            continue
        if key is None or key in taken:
            # a row the template lacks (or a second row for the same one): kept as an extra row
            key = name if native else key_text(name)
        if not key.strip():
            raise InterchangeError(f"{where}：funds 中有一行的 row 为空")
        taken.add(key)
        cells = form.funds.setdefault(key, {})
        for k, v in r.items():
            if k == "row" or _comment(k):
                continue
            val = _cell(v)
            if not val:
                continue
            col = _lookup(amap, str(k))
            if col is not None and col not in cells:
                cells[col] = val
            elif native:
                cells[str(k)] = val
            elif not is_blank(val):
                add_extra(form, f"{display_label(name)}{SEP}{k}", val)
        if not cells:
            form.funds.pop(key, None)
    if not native:
        nest_sub_rows(sec, form)


def _block_source(sec: Section, data: dict[str, Any]) -> tuple[str | None, Any]:
    """The key and value under which a block appears: its key, its label or a synonym of it."""
    for k in (sec.key, sec.label):
        if k and k in data:
            return k, data[k]
    names = section_labels(sec)
    for k, v in data.items():
        if isinstance(k, str) and normalize_label(k) in names:
            return k, v
    return None, None


def _read_blocks(fd: FormDef, form: Form, data: dict[str, Any], where: str, *, native: bool) -> set[str]:
    """Texts, scored items and tables; returns the form keys they were read from."""
    used: set[str] = set()
    for sec in fd.sections:
        if sec.type not in ("texts", "items", "table"):
            continue
        key, src = _block_source(sec, data)
        if key is not None:
            used.add(key)
        if sec.type == "texts":
            if src is None:
                continue
            if not isinstance(src, dict):
                raise InterchangeError(f"{where}：{sec.label or sec.key} 应为对象")
            amap = column_map("text_column", sec.columns)
            block: dict[str, str] = {}
            for k, v in src.items():
                val = _cell(v)
                if _comment(k) or not val:
                    continue
                col = _lookup(amap, str(k))
                if col is not None and col not in block:
                    block[col] = val
                elif native:
                    block[str(k)] = val
                else:
                    add_extra(form, str(k), val)
            if block:
                form.texts[sec.key] = block
        elif sec.type == "items":
            form.items[sec.key] = _read_items(sec, src, where)
        else:
            if not src:
                continue
            if not isinstance(src, list):
                raise InterchangeError(f"{where}：{sec.key} 应为数组")
            form.tables[sec.key] = [
                {str(k): _cell(v) for k, v in row.items() if _cell(v) and not _comment(k)}
                for row in src if isinstance(row, dict)
            ]
    return used


def _read_items(sec: Section, src: Any, where: str) -> dict[str, dict[str, str]]:
    block = default_items(sec)  # default weights even when absent
    if not src:
        return block
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
            if k != "项目" and not _comment(k):
                val = _cell(v)
                if val:
                    block[name][k] = val
                else:
                    block[name].pop(k, None)
    return block


def _read_indicators(fd: FormDef, form: Form, rows: Any, where: str, *, native: bool) -> None:
    ind_sec = fd.indicators
    assert ind_sec is not None
    own = {c.key for c in ind_sec.columns}
    components = [k for k in COMPONENT_COLUMNS if k not in own]
    amap = column_map("indicator_column", ind_sec.columns, components)
    if not isinstance(rows, list):
        raise InterchangeError(f"{where}：indicators 应为数组")
    for j, row in enumerate(rows):
        if not isinstance(row, dict):
            raise InterchangeError(f"{where} 第{j + 1}个指标：应为对象")
        ind = Indicator(id=str(row.get("id") or new_id()))
        parts = {k: "" for k in components}
        unknown: list[tuple[str, str]] = []
        for k, v in row.items():
            if k == "id" or _comment(k):
                continue
            val = _cell(v)
            if not val:
                continue
            key = _lookup(amap, str(k))
            if key in parts:
                parts[key] = val
            elif key is not None and key not in ind.cells:
                ind.cells[key] = val
            elif native:
                ind.cells[str(k)] = val
            else:
                unknown.append((str(k), val))
        if any(parts.values()):
            fold_value_columns(ind.cells, parts.get("指标性质", ""), parts.get("度量单位", ""))
        name = ind.get("三级指标").strip() or f"第{j + 1}条指标"
        for k, val in unknown:
            if not is_blank(val):
                add_extra(form, f"{name}{SEP}{k}", val)
        form.indicators.append(ind)


_FORM_KEYS = {"kind", "id", "header", "funds", "indicators", "总分", "origin", EXTRAS}


def _read_rest(form: Form, data: dict[str, Any], used: set[str], where: str) -> None:
    """Form keys no block took: a total under another name, or content kept in 附加内容."""
    vocab = vocabulary()
    for k, v in data.items():
        if k in _FORM_KEYS or k in used or _comment(k):
            continue
        pairs = v.items() if isinstance(v, dict) else [(k, v)]
        for label, value in pairs:
            if _comment(label):
                continue
            if isinstance(value, (dict, list)):  # a block the template lacks: rows of 年度主要任务, 按支出性质分
                for parts, leaf in _leaves([str(label)], value, f"{where}：“{k}”"):
                    text = _cell(leaf)
                    if text and not is_blank(text):
                        add_extra(form, SEP.join(display_label(p) for p in parts), text)
                continue
            text = _cell(value)
            if not text:
                continue
            if vocab.is_label("section", str(label), "total") and not form.total:
                form.total = text
            else:
                add_extra(form, str(label), text)


_MAX_DEPTH = 4  # rows of a block are two levels deep; deeper nesting is no form's


def _leaves(parts: list[str], value: Any, where: str, depth: int = 0) -> list[tuple[list[str], Any]]:
    """The texts and numbers inside a block the template lacks, each with the labels that lead to it:
    ``[{"任务名称": "科技项目管理", "预算数": 1200}]`` under 年度主要任务 gives (年度主要任务·任务名称, …),
    (年度主要任务·预算数, 1200); a row's ``row`` names it (按支出性质分·基本支出·全年执行数)."""
    if depth > _MAX_DEPTH:
        raise InterchangeError(f"{where} 嵌套层数过多，无法识别")
    out: list[tuple[list[str], Any]] = []
    if isinstance(value, dict):
        name = _cell(value.get("row")) if not isinstance(value.get("row"), (dict, list)) else ""
        head = [*parts, name] if name else parts
        for k, v in value.items():
            if (k == "row" and name) or _comment(k):
                continue
            out.extend(_leaves([*head, str(k)], v, where, depth + 1))
    elif isinstance(value, list):
        for v in value:
            out.extend(_leaves(parts, v, where, depth + 1))
    else:
        out.append((parts, value))
    return out


_DOCUMENT_KEYS = ("template", "unit", "year", "forms")
# what a file of ours may hold at the top beside them (docs/schema/document.schema.json)
_OWN_KEYS = {*_DOCUMENT_KEYS, "format", "format_version", "app_version", "saved_at", "template_snapshot", "signoff",
             "previous"}


def _top_level(data: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """An interchange file's top-level entries under the keys the reader knows (``模板``, ``单位名称``, ``年度``,
    ``表格`` … through the vocabulary's ``interchange`` context; the English key wins), and the others, which
    are kept in 附加内容 rather than dropped."""
    vocab = vocabulary()
    out = dict(data)
    rest: list[tuple[str, Any]] = []
    for k, v in data.items():
        if k in _OWN_KEYS or _comment(k):
            continue
        concept = vocab.key("interchange", k)
        if concept in _DOCUMENT_KEYS:
            if concept not in out:
                out[concept] = v
                continue
        rest.append((k, v))
    return out, rest


def is_interchange(data: Any) -> bool:
    """Whether ``data`` has the shape of an interchange file: a template and forms, under their own keys or
    the vocabulary's (``模板``, ``表格``)."""
    if not isinstance(data, dict):
        return False
    vocab = vocabulary()
    found = {k if k in _DOCUMENT_KEYS else vocab.key("interchange", k) for k in data if isinstance(k, str)}
    return {"template", "forms"} <= found


def document_from_json(data: Any, *, native: bool = False) -> Document:
    if not isinstance(data, dict):
        raise InterchangeError("文件内容不是对象")
    rest: list[tuple[str, Any]] = []
    if not native:
        data, rest = _top_level(data)
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
    year_raw = data.get("year")
    try:  # none or empty: 0, which the file reader replaces and says so (fileio.document_from_data)
        year = int(str(year_raw).strip().removesuffix("年度").removesuffix("年") or 0) if year_raw is not None else 0
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
    unsigned: list[tuple[str, str]] = []  # sign-off entries the template does not print: kept in 附加内容
    if isinstance(sign, dict):
        for k, v in sign.items():
            label = _signoff_label(template, str(k))
            if not _cell(v):
                continue
            if label is None or label in doc.signoff:
                unsigned.append((str(k), _cell(v)))
            else:
                doc.signoff[label] = _cell(v)
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
    # "备注": "…" beside the forms, a sign-off entry the template does not print: the document's, kept with
    # its first form; a file without forms has nowhere to keep them and is refused, naming them
    kept = [(k, v) for k, v in unsigned]
    for k, v in rest:
        for parts, leaf in _leaves([k], v, k):
            text = _cell(leaf)
            if text and not is_blank(text):
                kept.append((SEP.join(parts), text))
    if kept and not doc.forms:
        names = "、".join(k for k, _v in kept[:5]) + ("等" if len(kept) > 5 else "")
        raise InterchangeError(f"文件没有任何表格（forms 为空），其中的 {names} 无处保留；请随表格一并提供")
    for k, v in kept:
        add_extra(doc.forms[0], k, v)
    doc.renew_repeated_ids()
    return doc


def _signoff_label(template: Template, key: str) -> str | None:
    """The template's sign-off label a JSON key names: itself, or a synonym (填报人 → 填表人)."""
    if key in template.signoff_labels:
        return key
    vocab = vocabulary()
    concept = vocab.key("signoff", key)
    for label in template.signoff_labels:
        if concept is not None and vocab.key("signoff", label) == concept:
            return label
    return None


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


def merge_interchange(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Several interchange files of one unit and year (say, one per form, as
    another program exports them) as one: the first file's document fields,
    every file's forms in order."""
    if not parts:
        raise InterchangeError("没有可合并的文件")
    merged = {k: v for k, v in parts[0].items() if k != "forms"}
    merged["forms"] = [f for part in parts for f in (part.get("forms") or [])]
    return merged


def form_to_json(fd: FormDef, form: Form, *, with_ids: bool) -> dict[str, Any]:
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
    for key, cells in form.funds.items():  # extra rows, and rows a newer template dropped: keep them
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
        if key not in known and key != EXTRAS and rows:
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
    if extra_rows(form):
        out[EXTRAS] = [dict(r) for r in extra_rows(form)]
    return out


def document_to_json(doc: Document, *, native: bool) -> dict[str, Any]:
    template = doc.template
    out: dict[str, Any] = {"template": doc.template_id, "unit": doc.unit, "year": doc.year}
    if doc.signoff:
        out["signoff"] = dict(doc.signoff)
    out["forms"] = [form_to_json(template.form(f.kind), f, with_ids=native) for f in doc.forms]
    if doc.previous is not None:
        out["previous"] = link_to_json(doc.previous)
    return out
