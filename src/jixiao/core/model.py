"""The document: one unit's self-evaluation forms for one year.

Everything an officer types is kept as the string they typed, exactly; the
engine parses those strings when it scores and validates, so nothing is lost
when a value cannot be read. Cells are addressed by *field paths*, shared by
findings, the GUI and the renderers:

- ``header.项目名称``              header fields
- ``funds.年度资金总额.全年预算数``  fund rows × fund columns
- ``goals.预期目标``               long-text sections (section key . column)
- ``资金管理情况.安排科学性.得分``   scored item blocks (block . item . column)
- ``年度主要任务[0].任务名称``       free tables (block [row] . column)
- ``indicators[3].得分``           indicator rows
- ``总分``                         the typed total

:mod:`jixiao.core.fields` owns the notation (parse, build, name for people).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from jixiao.core import fields
from jixiao.core.fields import parse_path
from jixiao.core.templates import NAME_KEYS, FormDef, Section, Template, get_template
from jixiao.core.text import clean_text
from jixiao.core.vocabulary import level_name, stated_weight

if TYPE_CHECKING:
    from jixiao.core.previous import PreviousLink


MAX_FORMS = 1000  # forms in one document: new and import refuse more (an export has a sheet for each)


def new_id() -> str:
    """12 random hex digits (os.urandom: the uuid module costs ~2 ms to import)."""
    return os.urandom(6).hex()


@dataclass(slots=True)
class Indicator:
    """One 三级指标 row. ``cells`` maps column keys (一级指标, 二级指标, 三级指标,
    年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施, 指标值设定依据, 偏差度 …)
    to the typed strings."""

    cells: dict[str, str] = field(default_factory=dict)
    id: str = field(default_factory=new_id)

    def get(self, key: str) -> str:
        return self.cells.get(key, "")

    def set(self, key: str, value: str) -> None:
        if value:
            self.cells[key] = clean_text(value)
        else:
            self.cells.pop(key, None)

    @property
    def level1(self) -> str:
        """The 一级 this row belongs to: ``产出指标(50分)`` and ``产出指标（50分）`` are 产出指标."""
        return level_name(self.cells.get("一级指标", ""))

    @property
    def level2(self) -> str:
        return level_name(self.cells.get("二级指标", ""))

    @property
    def stated_weight(self) -> Decimal | None:
        """The weight written into the 一级 cell (``产出指标(50分)`` → 50), checked
        against the 分值 of the 一级's indicators."""
        return stated_weight(self.cells.get("一级指标", ""))

    def is_empty_row(self) -> bool:
        """A placeholder row listing a 二级 with no 三级 (河南 lists every 二级)."""
        return not any(v.strip() for k, v in self.cells.items() if k not in ("一级指标", "二级指标"))

    def clone(self) -> Indicator:
        return Indicator(dict(self.cells))


@dataclass(slots=True)
class Form:
    kind: str  # "project" or "department"
    header: dict[str, str] = field(default_factory=dict)
    funds: dict[str, dict[str, str]] = field(default_factory=dict)
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    items: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    total: str = ""
    id: str = field(default_factory=new_id)
    # where the form came from: "unit" / "file" / "merged_at" when merged from a unit's file
    # (core/merge.py), "previous_id" when carried over from last year's form (core/carryover.py)
    origin: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.header.get(NAME_KEYS[self.kind], "").strip()

    def display_name(self) -> str:
        if self.name:
            return self.name
        return "（未命名项目）" if self.kind == "project" else "部门整体"

    # ------------------------------------------------------------ paths
    def get(self, path: str) -> str:
        fp = parse_path(path)
        if fp.kind == "total":
            return self.total
        if fp.kind == "header":
            return self.header.get(fp.column, "")
        if fp.kind == "fund":
            return self.funds.get(fp.row, {}).get(fp.column, "")
        if fp.kind == "indicator":
            assert fp.index is not None
            return self.indicators[fp.index].get(fp.column) if fp.index < len(self.indicators) else ""
        if fp.kind == "table":
            assert fp.index is not None
            rows = self.tables.get(fp.section, [])
            return rows[fp.index].get(fp.column, "") if fp.index < len(rows) else ""
        if fp.kind == "item":
            return self.items.get(fp.section, {}).get(fp.row, {}).get(fp.column, "")
        if fp.kind == "text":
            return self.texts.get(fp.section, {}).get(fp.column, "")
        return ""

    def set(self, path: str, value: str) -> None:
        """Set one typed value; empty strings delete the entry. A character no file
        can hold (a lone surrogate) is stored as U+FFFD (:mod:`jixiao.core.text`)."""
        fp = parse_path(path)
        value = clean_text(value)
        if fp.kind == "total":
            self.total = value
        elif fp.kind == "header":
            _put(self.header, fp.column, value)
        elif fp.kind == "fund":
            _put(self.funds.setdefault(fp.row, {}), fp.column, value)
        elif fp.kind == "indicator":
            if fp.index is None or fp.index >= len(self.indicators) or not fp.column:
                raise IndexError(f"没有第 {fp.index} 行指标")
            self.indicators[fp.index].set(fp.column, value)
        elif fp.kind == "table":
            assert fp.index is not None
            rows = self.tables.setdefault(fp.section, [])
            while len(rows) <= fp.index:
                rows.append({})
            _put(rows[fp.index], fp.column, value)
        elif fp.kind == "item":
            _put(self.items.setdefault(fp.section, {}).setdefault(fp.row, {}), fp.column, value)
        elif fp.kind == "text":
            _put(self.texts.setdefault(fp.section, {}), fp.column, value)
        else:
            raise KeyError(f"无法识别的位置“{path}”")

    def clone(self) -> Form:
        f = copy.deepcopy(self)
        f.id = new_id()
        f.origin.pop("previous_id", None)  # a copy is not last year's project
        for ind in f.indicators:
            ind.id = new_id()
        return f


def _put(d: dict[str, str], key: str, value: str) -> None:
    if value:
        d[key] = value
    else:
        d.pop(key, None)


@dataclass(slots=True)
class Document:
    template_id: str
    unit: str = ""
    year: int = 2024
    forms: list[Form] = field(default_factory=list)
    signoff: dict[str, str] = field(default_factory=dict)  # sign-off label → name (the template's labels)
    embedded_template: dict[str, Any] | None = None  # the template as saved, for regions not installed here
    previous: PreviousLink | None = None  # last year's document, linked for the 汇总表's comparison
    _embedded_built: tuple[dict[str, Any], Template] | None = field(default=None, repr=False, compare=False)

    @property
    def template(self) -> Template:
        from jixiao.core.templates import TemplateError, template_from_dict

        try:
            return get_template(self.template_id)
        except TemplateError:
            if not self.embedded_template:
                raise
            # build the embedded copy once: scoring caches are keyed on the template object
            cached = self._embedded_built
            if cached is None or cached[0] is not self.embedded_template:
                cached = (self.embedded_template, template_from_dict(self.embedded_template))
                self._embedded_built = cached
            return cached[1]

    def form_def(self, form: Form) -> FormDef:
        return self.template.form(form.kind)

    @property
    def department(self) -> Form | None:
        for f in self.forms:
            if f.kind == "department":
                return f
        return None

    @property
    def projects(self) -> list[Form]:
        return [f for f in self.forms if f.kind == "project"]

    def form_by_id(self, form_id: str) -> Form | None:
        for f in self.forms:
            if f.id == form_id:
                return f
        return None

    def subset(self, form_ids: list[str]) -> Document:
        """The document with only these forms (in document order), sharing them: what a
        partial export writes (the 汇总表 then lists the chosen projects)."""
        chosen = set(form_ids)
        return Document(template_id=self.template_id, unit=self.unit, year=self.year,
                        forms=[f for f in self.forms if f.id in chosen], signoff=dict(self.signoff),
                        embedded_template=self.embedded_template, previous=self.previous)

    def renew_repeated_ids(self) -> int:
        """Give a fresh id to every form, and every indicator, whose id an earlier one
        already has (a file copied by hand or written by another program): ids are
        how the app, the findings and our Excel export find them. The first of each
        keeps its id. Returns how many ids were renewed."""
        renewed = 0
        forms: set[str] = set()
        indicators: set[str] = set()
        for f in self.forms:
            if not f.id or f.id in forms:
                f.id = new_id()
                renewed += 1
            forms.add(f.id)
            for ind in f.indicators:
                if not ind.id or ind.id in indicators:
                    ind.id = new_id()
                    renewed += 1
                indicators.add(ind.id)
        return renewed

    # ------------------------------------------------------------ editing
    def add_project(self, form: Form | None = None, index: int | None = None) -> Form:
        form = form or new_form(self.template, "project", unit=self.unit)
        if index is None:
            self.forms.append(form)
        else:
            self.forms.insert(index, form)
        return form

    def duplicate(self, form_id: str) -> Form:
        src = self.form_by_id(form_id)
        if src is None:
            raise KeyError(form_id)
        copy_ = src.clone()
        if copy_.kind == "project":
            copy_.header["项目名称"] = (src.name or "项目") + "（副本）"
        self.forms.insert(self.forms.index(src) + 1, copy_)
        return copy_

    def remove(self, form_id: str) -> Form:
        f = self.form_by_id(form_id)
        if f is None:
            raise KeyError(form_id)
        self.forms.remove(f)
        return f

    def move(self, form_id: str, new_index: int) -> None:
        f = self.form_by_id(form_id)
        if f is None:
            raise KeyError(form_id)
        self.forms.remove(f)
        self.forms.insert(max(0, min(new_index, len(self.forms))), f)


def default_items(sec: Section) -> dict[str, dict[str, str]]:
    """A scored-items block (河南 资金管理情况) as a new form starts it: each
    item with the template's default 分值 and nothing typed yet."""
    return {it.name: ({"分值": f"{it.weight.normalize():f}"} if it.weight is not None else {}) for it in sec.items}


def skeleton_indicators(fd: FormDef) -> list[Indicator]:
    """One empty row per 二级 of the template (what a new form starts with);
    a flat list (no 一级/二级) starts with the template's number of empty rows."""
    sec = fd.indicators
    out: list[Indicator] = []
    if sec is None:
        return out
    if sec.flat:
        return [Indicator() for _ in range(sec.initial_rows)]
    for lv in sec.levels:
        for l2 in lv.level2 or ("",):
            out.append(Indicator({"一级指标": lv.name, "二级指标": l2}))
    return out


def new_form(template: Template, kind: str, unit: str = "") -> Form:
    fd = template.form(kind)
    form = Form(kind=kind)
    if kind == "department" and unit:
        form.header["部门名称"] = unit
    if kind == "project" and unit:
        form.header["实施单位"] = unit
    funds = fd.funds
    assert funds is not None
    total = funds.total_fund_row
    assert total is not None
    form.funds[total.key] = {"分值": f"{template.scoring.execution_weight.normalize():f}"}
    for sec in fd.sections:
        if sec.type == "items":
            form.items[sec.key] = default_items(sec)
    form.indicators = skeleton_indicators(fd)
    return form


def new_document(template_id: str, unit: str, year: int, projects: int = 1) -> Document:
    tpl = get_template(template_id)
    doc = Document(template_id=tpl.id, unit=unit, year=year, embedded_template=dict(tpl.source))
    if "department" in tpl.forms:
        doc.forms.append(new_form(tpl, "department", unit=unit))
    if "project" in tpl.forms:
        for _ in range(projects):
            doc.forms.append(new_form(tpl, "project", unit=unit))
    return doc


def iter_paths(form: Form, fd: FormDef) -> Iterable[str]:
    """Every input path of a form, in grid order (used by tests and fuzzers)."""
    for sec in fd.sections:
        if sec.type == "fields":
            for row in sec.field_rows:
                for fc in row:
                    if fc.key:
                        yield fields.header_path(fc.key)
                    elif fc.total:  # 总分 shown in the header (重庆)
                        yield fields.TOTAL
        elif sec.type == "funds":
            for r in sec.fund_rows:
                for c in sec.columns:
                    if not c.merged or r.total:  # a merged text column is one cell, on the total row
                        yield fields.fund_path(r.key, c.key)
        elif sec.type == "texts":
            for c in sec.columns:
                yield fields.text_path(sec.key, c.key)
        elif sec.type == "items":
            for it in sec.items:
                for c in sec.columns:
                    if c.key != "项目":
                        yield fields.item_path(sec.key, it.name, c.key)
        elif sec.type == "table":
            for i in range(len(form.tables.get(sec.key, []))):
                for c in sec.columns:
                    yield fields.table_path(sec.key, i, c.key)
        elif sec.type == "indicators":
            for i in range(len(form.indicators)):
                for c in sec.columns:
                    yield fields.indicator_path(i, c.key)
        elif sec.type == "total":
            yield fields.TOTAL
