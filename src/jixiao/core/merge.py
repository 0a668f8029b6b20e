"""A 主管部门 collects its units' forms: merging unit files into one document.

:func:`merge_units` takes the units' documents (each read from a ``.jxzp``,
an interchange JSON or a workbook by the caller) and, optionally, the
department's document to merge into. Every form is kept and tagged with the
unit it came from (``Form.origin``: ``unit``, ``file``, ``merged_at``); a
project form without a 实施单位 gets its unit's name. The 汇总表 then groups
the projects by unit (a 小计 per unit, the department's 合计).

- A form identical to one already merged (same content, ids aside) is kept
  once, and the result says so.
- The same project name from two units is kept twice; validation flags it
  (``duplicate-name-across-units``).
- A unit file made with another template or for another year, or holding a
  value the department's template has no place for, is refused with the
  reason; nothing is merged (all files are checked before anything is built).
- Merging a unit that is already in the department's document replaces that
  unit's forms, in place (a unit sends a corrected file).

The department's document passed in is not modified: the result is a new
document (the app swaps it in as one undo step; the CLI writes it atomically).
"""

from __future__ import annotations

import copy
import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import PurePath

from jixiao.core import fields
from jixiao.core.interchange import form_to_json
from jixiao.core.model import Document, Form, new_id
from jixiao.core.template_fit import misfits
from jixiao.core.templates import Template, TemplateError, get_template

MAX_LISTED = 8


class MergeError(ValueError):
    """A unit file cannot be merged; ``str()`` is a Chinese message naming the file."""


@dataclass(frozen=True, slots=True)
class UnitFile:
    name: str  # the file name, for messages and the form's origin
    doc: Document


@dataclass(slots=True)
class MergeResult:
    doc: Document
    notes: list[str] = field(default_factory=list)  # what happened, in Chinese, one line each
    added: dict[str, int] = field(default_factory=dict)  # unit -> forms merged
    replaced: dict[str, int] = field(default_factory=dict)  # unit -> forms of an earlier merge replaced
    identical: list[str] = field(default_factory=list)  # forms merged once although given twice
    same_name: list[str] = field(default_factory=list)  # project names held by two units

    @property
    def units(self) -> list[str]:
        return list(self.added)


def unit_name(f: UnitFile) -> str:
    """The unit a file speaks for: its document's unit, else its 部门整体 form's
    name, else the one 实施单位 all its projects share, else the file's name."""
    doc = f.doc
    if doc.unit.strip():
        return doc.unit.strip()
    dep = doc.department
    if dep is not None and dep.name:
        return dep.name
    units = {p.header.get("实施单位", "").strip() for p in doc.projects}
    if len(units) == 1 and "" not in units:
        return units.pop()
    return PurePath(f.name).stem


def signature(template: Template, form: Form) -> str:
    """The form's content, ids and origin aside: equal signatures are identical forms."""
    data = form_to_json(template.form(form.kind), form, with_ids=False)
    data.pop("origin", None)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _reference_template(doc: Document) -> Template:
    try:
        return get_template(doc.template_id)
    except TemplateError:
        return doc.template


def check_unit_file(f: UnitFile, template: Template, year: int) -> None:
    """Raise :class:`MergeError` naming the file if it cannot be merged into a
    document of ``template`` and ``year``."""
    doc = f.doc
    if doc.template_id != template.id:
        try:
            theirs = doc.template.name
        except TemplateError:
            theirs = doc.template_id
        raise MergeError(f"{f.name}：使用“{theirs}”模板，汇总文件是“{template.name}”模板，不能合并。"
                         f"请该单位用“{template.name}”模板重新填报；未合并任何文件")
    if doc.year != year:
        raise MergeError(f"{f.name}：是 {doc.year} 年度的文件，汇总文件是 {year} 年度，不能合并；未合并任何文件")
    if not doc.forms:
        raise MergeError(f"{f.name}：没有任何自评表；未合并任何文件")
    problems = []
    for form in doc.forms:
        if form.kind not in template.forms:
            problems.append(f"“{form.display_name()}”（“{template.name}”模板没有这种表）")
            continue
        problems.extend(f"{fields.locate(doc, form.id, p)}：“{v}”" for p, v in misfits(template, form))
    if problems:
        listed = "；".join(problems[:MAX_LISTED]) + (f" 等 {len(problems)} 处" if len(problems) > MAX_LISTED else "")
        raise MergeError(f"{f.name}：模板版本与汇总文件不同，以下内容在汇总文件的模板中没有位置：{listed}。"
                         f"请该单位升级后重新导出；未合并任何文件")


def merge_units(files: list[UnitFile], into: Document | None = None, *, unit: str | None = None,
                merged_at: str | None = None) -> MergeResult:
    """Merge ``files`` (the units' documents) into a copy of ``into`` (the
    department's document) or, without it, into a new document for ``unit``."""
    if not files:
        raise MergeError("没有要合并的单位文件")
    ref = into if into is not None else files[0].doc
    template = _reference_template(ref)
    for f in files:
        check_unit_file(f, template, ref.year)
    when = merged_at or _dt.datetime.now().astimezone().isoformat(timespec="seconds")
    if into is not None:
        doc = copy.deepcopy(into)
        if unit:
            doc.unit = unit
    else:
        doc = Document(template_id=template.id, unit=unit or _department_name(files), year=ref.year,
                       embedded_template=dict(template.source))
    result = MergeResult(doc)
    names = {id(f): unit_name(f) for f in files}
    incoming = list(dict.fromkeys(names.values()))
    # an earlier merge of these units: their forms make way for the new ones, in place
    slots: dict[str, int] = {}
    kept: list[Form] = []
    for form in doc.forms:
        u = form.origin.get("unit", "")
        if u in incoming:
            slots.setdefault(u, len(kept))
            result.replaced[u] = result.replaced.get(u, 0) + 1
        else:
            kept.append(form)
    seen: dict[str, str] = {signature(template, f): _owner(f) for f in kept}
    ids = {f.id for f in kept}
    new_by_unit: dict[str, list[Form]] = {u: [] for u in incoming}
    for f in files:
        u = names[id(f)]
        for src in f.doc.forms:
            form = copy.deepcopy(src)
            form.origin = {**{k: v for k, v in src.origin.items() if k == "previous_id"},
                           "unit": u, "file": PurePath(f.name).name, "merged_at": when}
            if form.kind == "project" and not form.header.get("实施单位", "").strip():
                form.header["实施单位"] = u
            sig = signature(template, form)
            if sig in seen:
                result.identical.append(f"“{form.display_name()}”（{f.name}）与{seen[sig]}的表内容完全相同，只保留一份")
                continue
            seen[sig] = f"单位“{u}”"
            if form.id in ids:
                form.id = new_id()
            ids.add(form.id)
            new_by_unit[u].append(form)
            result.added[u] = result.added.get(u, 0) + 1
    # place each unit's forms where its earlier forms were, else at the end, in file order
    out = list(kept)
    for u in sorted(slots, key=lambda k: slots[k], reverse=True):
        out[slots[u]:slots[u]] = new_by_unit[u]
    for u in incoming:
        if u not in slots:
            out.extend(new_by_unit[u])
    doc.forms = out
    _name_clashes(doc, result)
    _notes(result, incoming)
    return result


def _owner(form: Form) -> str:
    u = form.origin.get("unit")
    return f"单位“{u}”" if u else "汇总文件中原有"


def _department_name(files: list[UnitFile]) -> str:
    """Without a department document: the 主管部门 every project names, else the first unit."""
    heads = {p.header.get("主管部门", "").strip() for f in files for p in f.doc.projects}
    heads.discard("")
    heads.discard("主管部门")  # a value cell holding its own label (seed 002)
    if len(heads) == 1:
        return heads.pop()
    return unit_name(files[0])


def _name_clashes(doc: Document, result: MergeResult) -> None:
    from jixiao.core.summary import unit_of

    by_name: dict[str, list[str]] = {}
    for p in doc.projects:
        if p.name:
            units = by_name.setdefault(p.name, [])
            u = unit_of(doc, p)
            if u not in units:
                units.append(u)
    for name, units in by_name.items():
        if len(units) > 1:
            where = "、".join(f"单位“{u}”" for u in units)
            result.same_name.append(f"项目“{name}”同时出现在{where}，各自保留（见校验结果）")


def _notes(result: MergeResult, incoming: list[str]) -> None:
    for u in incoming:
        n = result.added.get(u, 0)
        line = f"单位“{u}”：合并 {n} 张表"
        if u in result.replaced:
            line += f"（替换了上次合并的 {result.replaced[u]} 张）"
        result.notes.append(line)
    result.notes.extend(result.identical)
    result.notes.extend(result.same_name)
