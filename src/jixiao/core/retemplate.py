"""Moving a document to another regional template (文件 › 文档属性 › 地区).

:func:`change_template` builds a copy of the document under the new template
and says, in the forms' own words, what moves and what cannot: a value whose
field the new template does not have (a fund row, a column, a block) is listed
in ``lost``, never dropped silently; an indicator whose 一级/二级 the new
template does not know moves as typed and is listed in ``notes``. Forms keep
their ids, indicators theirs.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from jixiao.core import fields
from jixiao.core.model import Document, Form, Indicator, default_items
from jixiao.core.templates import FormDef, Section, get_template


@dataclass
class TemplateChange:
    doc: Document  # the document under the new template (a new object)
    notes: list[str] = field(default_factory=list)  # what moves differently (kept, but worth a look)
    lost: list[str] = field(default_factory=list)  # values the new template has no place for

    @property
    def clean(self) -> bool:
        return not self.notes and not self.lost


def _short(value: str, width: int = 20) -> str:
    v = " ".join(value.split())
    return v if len(v) <= width else v[:width] + "…"


def _section(fd: FormDef, type_: str, key: str) -> Section | None:
    return fd.section(type_, key) or (fd.section(type_) if type_ in ("texts", "funds") else None)


def _move_form(old_fd: FormDef, new_fd: FormDef, form: Form, where: str, out: TemplateChange) -> Form:
    new = Form(kind=form.kind, id=form.id, total=form.total)

    def lose(path: str, value: str, fd: FormDef = old_fd) -> None:
        out.lost.append(f"{where} · {fields.describe(fd, form, path)}：{_short(value)}")

    # header fields
    keys = {c.key for s in new_fd.sections for row in s.field_rows for c in row if c.key}
    for k, v in form.header.items():
        if k in keys:
            new.header[k] = v
        elif v:
            lose(fields.header_path(k), v)
    # fund rows: the total row to the total row, the others by key
    old_funds, new_funds = old_fd.funds, new_fd.funds
    if old_funds is not None and new_funds is not None:
        new_keys = {r.key for r in new_funds.fund_rows}
        new_cols = {c.key for c in new_funds.columns}
        old_total, new_total = old_funds.total_fund_row, new_funds.total_fund_row
        for row, cells in form.funds.items():
            target = row
            if old_total is not None and new_total is not None and row == old_total.key:
                target = new_total.key
            for col, v in cells.items():
                if target in new_keys and col in new_cols:
                    new.funds.setdefault(target, {})[col] = v
                elif v:
                    lose(fields.fund_path(row, col), v)
    # text blocks (年度总体目标 …), scored items (资金管理情况), repeatable blocks (年度主要任务)
    for key, cols in form.texts.items():
        sec = _section(new_fd, "texts", key)
        for col, v in cols.items():
            if sec is not None and sec.has_column(col):
                new.texts.setdefault(sec.key, {})[col] = v
            elif v:
                lose(fields.text_path(key, col), v)
    for key, items in form.items.items():
        sec = new_fd.section("items", key)
        names = {it.name for it in sec.items} if sec is not None else set()
        for name, cells in items.items():
            for col, v in cells.items():
                if sec is not None and name in names and sec.has_column(col):
                    new.items.setdefault(key, {}).setdefault(name, {})[col] = v
                elif v and not (col == "分值" and sec is None):  # a default weight is not the officer's
                    lose(fields.item_path(key, name, col), v)
    for sec in new_fd.sections:
        if sec.type == "items" and sec.key not in new.items:
            new.items[sec.key] = default_items(sec)
    for key, rows in form.tables.items():
        sec = new_fd.section("table", key)
        for i, cells in enumerate(rows):
            kept = {c: v for c, v in cells.items() if sec is not None and sec.has_column(c)}
            for c, v in cells.items():
                if c not in kept and v:
                    lose(fields.table_path(key, i, c), v)
            if sec is not None:
                new.tables.setdefault(key, []).append(kept)
    # indicators: every row moves; columns the new grid lacks are listed
    new_ind = new_fd.indicators
    known = {lv.name: set(lv.level2) for lv in new_ind.levels} if new_ind is not None else {}
    for i, ind in enumerate(form.indicators):
        cells = {}
        for col, v in ind.cells.items():
            if new_ind is not None and new_ind.has_column(col):
                cells[col] = v
            elif v:
                lose(fields.indicator_path(i, col), v)
        if new_ind is None:
            continue
        moved = Indicator(cells, id=ind.id)
        if ind.is_empty_row() and not ind.get("三级指标"):
            continue  # an empty skeleton row: the new template brings its own
        l1, l2 = moved.level1, moved.level2
        if known and l1 and l1 not in known:
            out.notes.append(f"{where} · 第{i + 1}条指标：一级指标“{l1}”不在新模板的指标体系中，保留原文")
        elif known and l2 and l1 in known and known[l1] and l2 not in known[l1]:
            out.notes.append(f"{where} · 第{i + 1}条指标：二级指标“{l2}”不属于“{l1}”，保留原文")
        new.indicators.append(moved)
    if new_ind is not None and not new.indicators:
        from jixiao.core.model import skeleton_indicators

        new.indicators = skeleton_indicators(new_fd)
    return new


def change_template(doc: Document, template_id: str) -> TemplateChange:
    """``doc`` under template ``template_id`` (``doc`` itself is not changed)."""
    new_tpl = get_template(template_id)
    old_tpl = doc.template
    out = TemplateChange(Document(template_id=new_tpl.id, unit=doc.unit, year=doc.year,
                                  signoff=dict(doc.signoff), embedded_template=dict(new_tpl.source)))
    n = 0
    for form in doc.forms:
        if form.kind == "project":
            n += 1
        where = fields.form_label(doc, form)
        if form.kind not in new_tpl.forms:
            out.lost.append(f"{where}：新模板没有这种表，整张表不能保留")
            continue
        out.doc.forms.append(_move_form(old_tpl.form(form.kind), new_tpl.form(form.kind), copy.deepcopy(form),
                                        where, out))
    return out
