"""Moving a document to another regional template (文件 › 文档属性 › 地区).

:func:`change_template` builds a copy of the document under the new template
and says, in the forms' own words, where everything goes. Nothing typed is
dropped: a value whose field the new template does not have is kept as the
importer keeps it (:mod:`jixiao.core.extras`): a fund row without a row of the
same meaning as an extra fund row under its own label (where the funds block
shows row labels), any other value (a column, a header field, a block) as a
row of the form's 附加内容 block; each is listed in ``kept`` with where it
went. Separate 指标性质 / 度量单位 columns are read into the target, as on
import, where the new grid has no such columns. An indicator whose 一级/二级
the new template does not know moves as typed and is listed in ``notes``.
Forms keep their ids, indicators theirs.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core import fields
from jixiao.core.extras import EXTRAS, SEP, add_extra, extra_fund_key, extra_rows, shows_extra_fund_rows
from jixiao.core.figures import parse_decimal
from jixiao.core.model import Document, Form, Indicator, default_items
from jixiao.core.templates import FormDef, Section, get_template
from jixiao.core.values import fold_value_columns
from jixiao.core.vocabulary import COMPONENT_COLUMNS, vocabulary


@dataclass
class TemplateChange:
    doc: Document  # the document under the new template (a new object)
    notes: list[str] = field(default_factory=list)  # what moves differently (kept, but worth a look)
    moved: list[str] = field(default_factory=list)  # fund rows put in a row of another name, same meaning (once each)
    kept: list[str] = field(default_factory=list)  # values without a field in the new template, and where they went
    lost: list[str] = field(default_factory=list)  # whole forms of a kind the new template does not have

    @property
    def clean(self) -> bool:
        return not self.notes and not self.kept and not self.lost


def _short(value: str, width: int = 20) -> str:
    v = " ".join(value.split())
    return v if len(v) <= width else v[:width] + "…"


def _section(fd: FormDef, type_: str, key: str) -> Section | None:
    return fd.section(type_, key) or (fd.section(type_) if type_ in ("texts", "funds") else None)


def _fund_row_name(sec: Section, key: str) -> str:
    for r in sec.fund_rows:
        if r.key == key:
            return fields.clean_label(r.label) or key
    return key


def _concept(sec: Section, key: str) -> str | None:
    """The vocabulary's fund-row concept of one row of ``sec`` (the total row: the totals'),
    or of a row the section does not have (an extra row kept under its own label)."""
    vocab = vocabulary()
    for r in sec.fund_rows:
        if r.key == key:
            if r.total:
                return vocab.total_row or vocab.key("fund_row", r.key)
            return vocab.key("fund_row", r.key) or vocab.key("fund_row", r.label)
    return vocab.key("fund_row", key)


def fund_row_targets(old: Section, new: Section, rows: list[str]) -> dict[str, str]:
    """Where each fund row of a form under ``old`` goes under ``new``: the total row to
    the total row; a row to the row of the same key; else to the row of the same meaning
    in the label vocabulary (当年财政拨款 / 本年财政拨款 / 财政资金 ↔ 政府性预算资金,
    上年结转 ↔ 上年结转资金 …). A target takes one row only (the first that claims it),
    and a 其中 row never goes to the total row. Rows without a target are absent."""
    old_total, new_total = old.total_fund_row, new.total_fund_row
    new_keys = [r.key for r in new.fund_rows]
    out: dict[str, str] = {}
    taken: set[str] = set()

    def claim(row: str, target: str | None) -> bool:
        if target is None or target in taken:
            return False
        out[row] = target
        taken.add(target)
        return True

    if old_total is not None and new_total is not None and old_total.key in rows:
        claim(old_total.key, new_total.key)
    rest = [r for r in rows if r not in out]
    for row in rest:  # the same key first, so a row that keeps its name is never displaced
        if row in new_keys and (new_total is None or row != new_total.key):
            claim(row, row)
    new_concepts = {key: _concept(new, key) for key in new_keys if new_total is None or key != new_total.key}
    for row in rest:
        if row in out:
            continue
        concept = _concept(old, row)
        if concept is None or (old_total is not None and row != old_total.key and concept == vocabulary().total_row):
            continue
        claim(row, next((k for k, c in new_concepts.items() if c == concept and k not in taken), None))
    return out


class _Mover:
    """One form moved to the new template: what has a field goes there, the rest is kept."""

    def __init__(self, old_fd: FormDef, new_fd: FormDef, form: Form, where: str, out: TemplateChange) -> None:
        self.old_fd, self.new_fd, self.form, self.where, self.out = old_fd, new_fd, form, where, out
        self.new = Form(kind=form.kind, id=form.id, total=form.total)

    def describe(self, path: str) -> str:
        return fields.describe(self.old_fd, self.form, path)

    def keep(self, path: str, value: str) -> None:
        """A value without a field in the new template: a row of the form's 附加内容 block."""
        label = self.describe(path).replace(" · ", SEP)
        add_extra(self.new, label, value)
        self.out.kept.append(f"{self.where} · {self.describe(path)}：{_short(value)} → {EXTRAS}")

    def move(self) -> Form:
        for row in extra_rows(self.form):  # 附加内容 already on the form: every template has the block
            self.new.tables.setdefault(EXTRAS, []).append(dict(row))
        self.header()
        self.funds()
        self.texts()
        self.items()
        self.tables()
        self.indicators()
        extras = self.new.tables.pop(EXTRAS, None)  # the block last, as the layout draws it
        if extras:
            self.new.tables[EXTRAS] = extras
        return self.new

    def header(self) -> None:
        keys = {c.key for s in self.new_fd.sections for row in s.field_rows for c in row if c.key}
        for k, v in self.form.header.items():
            if k in keys:
                self.new.header[k] = v
            elif v:
                self.keep(fields.header_path(k), v)

    def funds(self) -> None:
        """Fund rows by meaning (the total row to the total row, 当年财政拨款 to 政府性预算资金 …);
        a row without a counterpart stays an extra row under its own label."""
        old_funds, new_funds = self.old_fd.funds, self.new_fd.funds
        if old_funds is None or new_funds is None:
            for row, cells in self.form.funds.items():
                for col, v in cells.items():
                    if v:
                        self.keep(fields.fund_path(row, col), v)
            return
        new_cols = {c.key for c in new_funds.columns}
        targets = fund_row_targets(old_funds, new_funds, list(self.form.funds))
        extra_shown = shows_extra_fund_rows(self.new_fd)
        kind = "部门整体表" if self.form.kind == "department" else "项目表"
        for row, cells in self.form.funds.items():
            target = targets.get(row)
            name = _fund_row_name(old_funds, row)
            extra = target is None and extra_shown and any(v for c, v in cells.items() if c in new_cols)
            if extra:
                target = extra_fund_key(self.new, new_funds, name)
            if target is not None and target != row and any(cells.values()) and not extra:
                line = f"{kind}的资金行“{name}”填入“{_fund_row_name(new_funds, target)}”"
                if line not in self.out.moved:
                    self.out.moved.append(line)
            for col, v in cells.items():
                if target is not None and col in new_cols:
                    self.new.funds.setdefault(target, {})[col] = v
                    if extra and v:
                        self.out.kept.append(f"{self.where} · {self.describe(fields.fund_path(row, col))}："
                                             f"{_short(v)} → 资金附加行“{target}”")
                elif v:
                    self.keep(fields.fund_path(row, col), v)

    def texts(self) -> None:
        """Text blocks (年度总体目标 …)."""
        for key, cols in self.form.texts.items():
            sec = _section(self.new_fd, "texts", key)
            for col, v in cols.items():
                if sec is not None and sec.has_column(col):
                    self.new.texts.setdefault(sec.key, {})[col] = v
                elif v:
                    self.keep(fields.text_path(key, col), v)

    def items(self) -> None:
        """Scored items (河南 资金管理情况); a default 分值 is the template's, not the officer's."""
        for key, items in self.form.items.items():
            sec = self.new_fd.section("items", key)
            old_sec = self.old_fd.section("items", key)
            defaults = {it.name: it.weight for it in old_sec.items} if old_sec is not None else {}
            names = {it.name for it in sec.items} if sec is not None else set()
            for name, cells in items.items():
                for col, v in cells.items():
                    if sec is not None and name in names and sec.has_column(col):
                        self.new.items.setdefault(key, {}).setdefault(name, {})[col] = v
                    elif v and not (col == "分值" and _same_weight(v, defaults.get(name))):
                        self.keep(fields.item_path(key, name, col), v)
        for sec in self.new_fd.sections:
            if sec.type == "items" and sec.key not in self.new.items:
                self.new.items[sec.key] = default_items(sec)

    def tables(self) -> None:
        """Repeatable blocks (河南 年度主要任务); the 附加内容 block moves whole (see :meth:`move`)."""
        for key, rows in self.form.tables.items():
            if key == EXTRAS:
                continue
            sec = self.new_fd.section("table", key)
            for i, cells in enumerate(rows):
                kept = {c: v for c, v in cells.items() if sec is not None and sec.has_column(c)}
                for c, v in cells.items():
                    if c not in kept and v:
                        self.keep(fields.table_path(key, i, c), v)
                if sec is not None:
                    self.new.tables.setdefault(key, []).append(kept)

    def indicators(self) -> None:
        """Every row moves; 指标性质/度量单位 the new grid lacks are read into the target (as on
        import); other columns it lacks (新疆 指标值设定依据 in 全国通用) go to 附加内容."""
        new_ind = self.new_fd.indicators
        if new_ind is None:
            return
        known = {lv.name: set(lv.level2) for lv in new_ind.levels}
        fold = [k for k in COMPONENT_COLUMNS if not new_ind.has_column(k)]
        for i, ind in enumerate(self.form.indicators):
            if ind.is_empty_row() and not ind.get("三级指标"):
                continue  # an empty skeleton row: the new template brings its own
            cells = {}
            for col, v in ind.cells.items():
                if new_ind.has_column(col) or col in fold:
                    cells[col] = v
                elif v:
                    self.keep(fields.indicator_path(i, col), v)
            parts = {k: cells.pop(k, "") for k in fold}
            if any(parts.values()):
                fold_value_columns(cells, parts.get("指标性质", ""), parts.get("度量单位", ""))
                self.out.notes.append(f"{self.where} · 第{i + 1}条指标：指标性质、度量单位并入指标值"
                                      f"（{_short(cells.get('年度指标值', ''))}）")
            moved = Indicator(cells, id=ind.id)
            l1, l2 = moved.level1, moved.level2
            if known and l1 and l1 not in known:
                self.out.notes.append(f"{self.where} · 第{i + 1}条指标：一级指标“{l1}”不在新模板的指标体系中，保留原文")
            elif known and l2 and l1 in known and known[l1] and l2 not in known[l1]:
                self.out.notes.append(f"{self.where} · 第{i + 1}条指标：二级指标“{l2}”不属于“{l1}”，保留原文")
            self.new.indicators.append(moved)
        if not self.new.indicators:
            from jixiao.core.model import skeleton_indicators

            self.new.indicators = skeleton_indicators(self.new_fd)


def _same_weight(raw: str, default: Decimal | None) -> bool:
    typed = parse_decimal(raw)
    return typed is not None and typed == default


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
        out.doc.forms.append(_Mover(old_tpl.form(form.kind), new_tpl.form(form.kind), copy.deepcopy(form),
                                    where, out).move())
    return out
