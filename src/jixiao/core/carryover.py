"""Next year starts from last year: a new document carried over from last year's.

What describes the plan is carried — the forms and their headers (项目名称,
主管部门, 实施单位 …), the indicators' 一级/二级/三级, 年度指标值, 指标值设定依据
and 分值, the 预期目标, the weights of scored items, the tasks of 年度主要任务,
the people who sign. What describes what happened is cleared — amounts,
执行率, 实际完成值, 得分, 偏差度, the reasons and explanations, the 总分. On
request last year's 全年预算数 becomes this year's 年初预算数.

Column keys carried are :data:`KEEP` (a template may add or remove keys with
``"carry_over": {"keep": [...], "clear": [...]}``); every other value is cleared.
Last year's file may have been saved with another version of the template (its
embedded copy differs from the installed one) or read from a workbook: the
new document uses the installed template, and every value that has no place in
it any more is listed as not carried (``dropped``), never silently lost.
:class:`CarryReport` lists what was carried, cleared, moved and dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from jixiao.core import fields
from jixiao.core.compare import link_previous
from jixiao.core.fields import FieldPath, parse_path
from jixiao.core.model import Document, Form, Indicator, default_items, new_form
from jixiao.core.template_fit import misfits
from jixiao.core.templates import FormDef, Template, TemplateError, get_template

CARRIED, CLEARED, MOVED, DROPPED = "carried", "cleared", "moved", "dropped"
ACTION_NAMES = {CARRIED: "已结转", MOVED: "上年全年预算数填入年初预算数", CLEARED: "已清空",
                DROPPED: "今年模板中已没有，未结转"}

# Column keys whose values describe the plan. Header fields are always carried
# (except amounts kept for the 汇总表, e.g. 系统查询全年执行数).
KEEP = frozenset({
    "一级指标", "二级指标", "三级指标", "年度指标值", "指标值设定依据", "分值",  # indicators (and fund / item 分值)
    "指标性质", "度量单位", "计量单位", "年初指标值", "调整指标值", "是否核心指标",  # targets in split columns
    "预期目标", "项目年度目标",  # goals
    "任务名称", "主要内容",  # 年度主要任务
})
SIGNOFF_CLEARED = ("填报日期",)  # sign-off names are carried (the template's labels: 四川 项目负责人 too); dates not
BUDGET_FROM, BUDGET_TO = "全年预算数", "年初预算数"


class CarryOverError(ValueError):
    """The carry-over cannot be made; Chinese message."""


@dataclass(frozen=True, slots=True)
class CarryEntry:
    action: str  # carried | cleared | moved | dropped
    form_id: str  # the form in the new document ("" for a form not carried)
    source_form_id: str  # the form in last year's document
    path: str  # where the value went (moved: the 年初预算数 cell), or where it was last year (dropped)
    value: str  # last year's value


@dataclass(slots=True)
class CarryReport:
    source_year: int
    year: int
    entries: list[CarryEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # template changes, unknown levels …

    def of(self, action: str) -> list[CarryEntry]:
        return [e for e in self.entries if e.action == action]

    def summary_lines(self, doc: Document, previous: Document) -> list[str]:
        """The report in Chinese, grouped by column: what a person reads first."""
        projects = len(doc.projects)
        departments = len(doc.forms) - projects
        indicators = sum(1 for f in doc.forms for i in f.indicators if not i.is_empty_row())
        out = [f"由 {self.source_year} 年度结转为 {self.year} 年度：{len(doc.forms)} 张表（部门整体 {departments} 张，"
               f"项目 {projects} 个），绩效指标 {indicators} 条"]
        out.extend(self.notes)
        kinds = {f.id: f.kind for f in doc.forms}
        for action in (CARRIED, MOVED, CLEARED):
            groups: dict[tuple[int, str], int] = {}
            for e in self.of(action):
                kind = kinds.get(e.form_id, "project")
                fd = doc.template.form(kind) if kind in doc.template.forms else None
                key = (0 if kind == "department" else 1, f"{KIND_LABELS[kind]} · {group_label(fd, parse_path(e.path))}")
                groups[key] = groups.get(key, 0) + 1
            if groups:
                out.append(f"{ACTION_NAMES[action]}（{sum(groups.values())} 处）：")
                out.extend(f"  {label}：{n} 处" for (_k, label), n in sorted(groups.items(), key=lambda g: g[0][0]))
        dropped = self.of(DROPPED)
        if dropped:
            out.append(f"{ACTION_NAMES[DROPPED]}（{len(dropped)} 处，请核对上年文件）：")
            out.extend(f"  {fields.locate(previous, e.source_form_id, e.path)}：“{_short(e.value)}”" for e in dropped)
        return out

    def detail_lines(self, doc: Document, previous: Document) -> list[str]:
        """Every value, one line each, in the words of the form."""
        out = []
        for e in self.entries:
            where = (fields.locate(previous, e.source_form_id, e.path) if e.action == DROPPED
                     else fields.locate(doc, e.form_id, e.path))
            out.append(f"{ACTION_NAMES[e.action]}\t{where}\t{_short(e.value, 40)}")
        return out


def _short(text: str, n: int = 30) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[:n] + "…"


KIND_LABELS = {"department": "部门整体", "project": "项目表"}


def group_label(fd: FormDef | None, fp: FieldPath) -> str:
    """A column of the form in its own words, without the row: ``绩效指标 · 实际完成值``,
    ``项目资金 · 全年执行数``, ``资金管理情况 · 得分``, ``年度主要任务 · 实际完成情况``, ``项目名称``."""
    if fp.kind in ("fund", "item"):
        head, _, rest = fields.describe(fd, None, fp.raw).partition(" · ")
        return f"{head} · {rest.rpartition(' · ')[2]}"
    if fp.kind == "indicator":
        sec = fd.indicators if fd is not None else None
        label = fields.describe(fd, None, fields.indicator_path(0, fp.column)).partition(" · ")[2]
        head = "".join((sec.label or "绩效指标").split()) if sec is not None else "绩效指标"
        return f"{head} · {label}"
    if fp.kind == "table":
        head, _, col = fields.describe(fd, None, fields.table_path(fp.section, 0, fp.column)).partition(" · ")
        return f"{head.rsplit(' ', 1)[0]} · {col}"
    return fields.describe(fd, None, fp.raw)


# ------------------------------------------------------------------ the rules


def keep_keys(template: Template) -> frozenset[str]:
    """:data:`KEEP` as the template's ``carry_over`` entry amends it."""
    spec = template.source.get("carry_over") if isinstance(template.source, dict) else None
    if not spec:
        return KEEP
    if not isinstance(spec, dict):
        raise TemplateError(f"模板“{template.name}”的 carry_over 应为对象")
    keep, clear = spec.get("keep", []), spec.get("clear", [])
    if not isinstance(keep, list) or not isinstance(clear, list):
        raise TemplateError(f"模板“{template.name}”的 carry_over.keep / clear 应为数组")
    return (KEEP | {str(k) for k in keep}) - {str(k) for k in clear}


def _values(form: Form) -> Iterator[tuple[str, str]]:
    """(path, value) of every typed value of a form."""
    for k, v in form.header.items():
        yield fields.header_path(k), v
    for row, cells in form.funds.items():
        for col, v in cells.items():
            yield fields.fund_path(row, col), v
    for sec, block in form.texts.items():
        for col, v in block.items():
            yield fields.text_path(sec, col), v
    for sec, items in form.items.items():
        for name, cells in items.items():
            for col, v in cells.items():
                yield fields.item_path(sec, name, col), v
    for sec, rows in form.tables.items():
        for i, cells in enumerate(rows):
            for col, v in cells.items():
                yield fields.table_path(sec, i, col), v
    for i, ind in enumerate(form.indicators):
        for col, v in ind.cells.items():
            yield fields.indicator_path(i, col), v
    if form.total:
        yield fields.TOTAL, form.total


def target_template(previous: Document, template_id: str | None = None) -> Template:
    """This year's template: the one asked for, else the installed template of
    last year's region, else (region not installed here) last year's own copy."""
    if template_id:
        return get_template(template_id)
    try:
        return get_template(previous.template_id)
    except TemplateError:
        return previous.template


def carry_over(previous: Document, year: int, *, template_id: str | None = None, budget_to_initial: bool = False,
               previous_file: str | None = None) -> tuple[Document, CarryReport]:
    """A new document for ``year`` from last year's ``previous``; with
    ``previous_file`` (how to find it again) the new document is linked to it
    for the 汇总表's comparison."""
    if year <= previous.year:
        raise CarryOverError(f"新年度 {year} 应晚于上年文件的年度 {previous.year}")
    target = target_template(previous, template_id)
    keep = keep_keys(target)
    doc = Document(template_id=target.id, unit=previous.unit, year=year, embedded_template=dict(target.source))
    doc.signoff = {k: v for k, v in previous.signoff.items()
                   if k not in SIGNOFF_CLEARED and k in target.signoff_labels and v}
    report = CarryReport(previous.year, year)
    if target.id != previous.template_id:
        report.notes.append(f"模板由“{previous.template.name}”改为“{target.name}”")
    elif previous.embedded_template and previous.embedded_template != target.source:
        report.notes.append(f"上年文件保存时的“{target.name}”模板与本机安装的版本不同，已按本机版本结转")
    for old in previous.forms:
        if old.kind not in target.forms:
            report.entries.extend(CarryEntry(DROPPED, "", old.id, p, v) for p, v in _values(old) if v)
            report.notes.append(f"“{target.name}”模板没有{'部门整体' if old.kind == 'department' else '项目'}表，"
                                f"“{old.display_name()}”未结转")
            continue
        doc.forms.append(_carry_form(target, old, keep, budget_to_initial, report))
    if previous_file is not None:
        link_previous(doc, previous, previous_file)
    return doc, report


def _carry_form(target: Template, old: Form, keep: frozenset[str], budget_to_initial: bool,
                report: CarryReport) -> Form:
    fd = target.form(old.kind)
    form = Form(kind=old.kind)
    form.origin = {k: v for k, v in old.origin.items() if k == "unit"}  # still that unit's project
    form.origin["previous_id"] = old.id
    for sec in fd.sections:
        if sec.type == "items":
            form.items[sec.key] = default_items(sec)
    form.indicators = [Indicator() for _ in old.indicators]
    no_place = {p for p, _v in misfits(target, old)}
    summary_money = {c.header_key for c in target.summary.columns if c.header_key and c.is_money}
    add = report.entries.append
    for path, value in _values(old):
        if not value:
            continue
        fp = parse_path(path)
        if fp.kind == "header":
            kept = fp.column not in summary_money
        else:
            kept = fp.kind != "total" and fp.column in keep
        if path in no_place:
            add(CarryEntry(DROPPED if kept else CLEARED, form.id if not kept else "", old.id, path, value))
            continue
        if kept:
            _set(form, fp, value)
            add(CarryEntry(CARRIED, form.id, old.id, path, value))
        else:
            add(CarryEntry(CLEARED, form.id, old.id, path, value))
        if budget_to_initial and fp.kind == "fund" and fp.column == BUDGET_FROM:
            funds = fd.funds
            assert funds is not None
            if funds.has_column(BUDGET_TO):
                to = fields.fund_path(fp.row, BUDGET_TO)
                form.set(to, value)
                add(CarryEntry(MOVED, form.id, old.id, to, value))
    # tables: drop rows left empty by clearing
    for key in list(form.tables):
        form.tables[key] = [r for r in form.tables[key] if r]
        if not form.tables[key]:
            del form.tables[key]
    _defaults(target, fd, form)
    _level_notes(fd, old, report)
    return form


def _set(form: Form, fp: FieldPath, value: str) -> None:
    if fp.kind == "indicator":
        assert fp.index is not None
        form.indicators[fp.index].cells[fp.column] = value
    else:
        form.set(fp.raw, value)


def _defaults(target: Template, fd: FormDef, form: Form) -> None:
    """What a new form starts with where last year's had nothing: the 执行率 分值."""
    blank = new_form(target, form.kind)
    funds = fd.funds
    assert funds is not None and funds.total_fund_row is not None
    total = funds.total_fund_row.key
    for col, v in blank.funds.get(total, {}).items():
        form.funds.setdefault(total, {}).setdefault(col, v)


def _level_notes(fd: FormDef, old: Form, report: CarryReport) -> None:
    sec = fd.indicators
    assert sec is not None
    known = {lv.name: set(lv.level2) for lv in sec.levels}
    if not known:
        return
    missing = sorted({i.level1 for i in old.indicators if i.level1 and i.level1 not in known})
    if missing:
        report.notes.append(f"“{old.display_name()}”的一级指标{'、'.join(missing)}不在今年模板的指标体系中（已结转，请调整）")
