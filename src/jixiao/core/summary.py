"""The derived 项目单位自评汇总表 (as in seed 004) and per-form overviews.

One :class:`SummaryRow` per project form, grouped by unit (:func:`unit_of`:
the unit a merged form came from, else its 实施单位, else the document's
unit) so the table can print a 小计 per unit and the department's 合计. Which
columns the table prints is template data (:class:`~jixiao.core.templates.SummarySpec`);
the grid itself is drawn by :func:`jixiao.core.layout.summary_grid`.

Each row shows the 自评得分 its form prints: the 总分 the officer typed where
one is typed (a difference from the engine's sum stays a ``total-mismatch``
finding on the form), else the engine's total; the 等级 follows that figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.figures import ZERO, parse_decimal
from jixiao.core.model import Document, Form
from jixiao.core.previous import match_projects
from jixiao.core.scoring import FormResult, score_form
from jixiao.core.templates import AMOUNT_COLUMNS, Template


@dataclass(slots=True)
class SummaryRow:
    form_id: str
    项目名称: str
    实施单位: str
    全年预算数: Decimal | None
    全年执行数: Decimal | None
    预算执行率: Decimal | None  # fraction
    得分率: dict[str, Decimal | None]  # per 一级 (and 资金管理情况 where the template has it); None: not known yet
    自评得分: Decimal | None
    等级: str
    是否有偏差项目: bool | None  # None while some indicator is not scored yet and none deviates
    unit: str = ""  # the unit the row is subtotalled under (unit_of)
    header: dict[str, str] = field(default_factory=dict)  # the form's header fields as typed
    amounts: dict[str, Decimal | None] = field(default_factory=dict)  # the total fund row's amounts
    上年预算执行率: Decimal | None = None  # from the linked previous document, when this project is in it
    上年自评得分: Decimal | None = None
    has_previous: bool = False  # a project of the linked previous document matched this one
    rated: frozenset[str] = frozenset()  # the 得分率 columns the form has (a 一级 it uses, a scored block)


@dataclass(slots=True)
class SummaryGroup:
    """The rows of one unit, with the sums of its 小计 row."""

    unit: str
    rows: list[SummaryRow]
    sums: dict[str, Decimal | None]  # per money column source (funds.全年预算数 …); None when no row has one

    @property
    def rate(self) -> Decimal | None:
        budget, spent = self.sums.get("funds.全年预算数"), self.sums.get("funds.全年执行数")
        return spent / budget if budget and spent is not None else None


def rate_columns(template: Template) -> list[str]:
    fd = template.form("project")
    cols = [s.key for s in fd.sections if s.type == "items"]
    ind = fd.indicators
    assert ind is not None
    cols.extend(lv.name for lv in ind.levels)
    return cols


def unit_of(doc: Document, form: Form) -> str:
    """The unit a project belongs to in the 汇总表: the unit whose file it was
    merged from, else its 实施单位, else the document's unit."""
    return (form.origin.get("unit") or form.header.get("实施单位", "")).strip() or doc.unit.strip()


def summary_rows(doc: Document, results: dict[str, FormResult] | None = None) -> list[SummaryRow]:
    template = doc.template
    fd = template.form("project") if "project" in template.forms else None
    if fd is None:
        return []
    funds = fd.funds
    assert funds is not None and funds.total_fund_row is not None
    total_key = funds.total_fund_row.key
    cols = rate_columns(template)
    previous = {}
    if doc.previous is not None:
        previous = match_projects(doc.previous, [(f.id, f.display_name(), f.header.get("实施单位", ""),
                                                  f.origin.get("previous_id", "")) for f in doc.projects])
    rows = []
    for form in doc.projects:
        res = results.get(form.id) if results else None
        if res is None:
            res = score_form(template, fd, form)
        rates, rated = _rates(form, res, cols)
        cells = form.funds.get(total_key, {})
        amounts = {k: parse_decimal(cells.get(k)) for k in AMOUNT_COLUMNS}
        prev = previous.get(form.id)
        score, grade_ = printed_score(template, res)
        rows.append(SummaryRow(
            form_id=form.id,
            项目名称=form.display_name(),
            实施单位=form.header.get("实施单位", ""),
            全年预算数=amounts["全年预算数"],
            全年执行数=amounts["全年执行数"],
            预算执行率=res.execution_rate,
            得分率=rates,
            自评得分=score,
            等级=grade_,
            是否有偏差项目=_deviation(form, res),
            unit=unit_of(doc, form),
            header=dict(form.header),
            amounts=amounts,
            上年预算执行率=prev.rate if prev else None,
            上年自评得分=prev.score if prev else None,
            has_previous=prev is not None,
            rated=rated,
        ))
    return rows


def _rates(form: Form, res: FormResult, cols: list[str]) -> tuple[dict[str, Decimal | None], frozenset[str]]:
    """The 得分率 per column and the columns the form has (or may still have: every 一级
    while no indicator is typed). A rate that depends on a score not typed yet (an
    indicator of the 一级 without a score, a 资金管理情况 item without one) is not
    known: None, printed blank (a new form shows no 0 %)."""
    rates: dict[str, Decimal | None] = {}
    rated: set[str] = set()
    if all(ind.is_empty_row() for ind in form.indicators):  # no indicator typed yet: every 一级 still open
        rated |= {c for c in cols if c not in res.items}
    for c in cols:
        if c in res.items:
            pairs = res.items[c].values()
            if any(w for w, _s in pairs):
                rated.add(c)
            complete = all(sc is not None for w, sc in pairs if w is not None)
            rates[c] = res.item_rates.get(c) if complete else None
            continue
        lv = res.level(c)
        if lv is None:
            rates[c] = None
            continue
        rated.add(c)
        scored = [sc for ind, sc in zip(form.indicators, res.indicators, strict=True)
                  if ind.level1 == c and not ind.is_empty_row()]
        complete = bool(scored) and all(sc.weight is not None and sc.effective is not None for sc in scored)
        rates[c] = lv.rate if complete else None
    return rates, frozenset(rated)


def _deviation(form: Form, res: FormResult) -> bool | None:
    """是否有偏差项目: yes as soon as one indicator deviates; no once every indicator is
    scored and none does; unknown (blank) before."""
    scored = [sc for ind, sc in zip(form.indicators, res.indicators, strict=True) if not ind.is_empty_row()]
    if any(sc.needs_reason for sc in scored):
        return True
    if scored and all(sc.effective is not None for sc in scored):
        return False
    return None


def money_of(row: SummaryRow, source: str) -> Decimal | None:
    """The amount a money column (``funds.全年预算数``, ``header.系统查询全年执行数``) shows for a row."""
    if source.startswith("funds."):
        return row.amounts.get(source.removeprefix("funds."))
    if source.startswith("header."):
        return parse_decimal(row.header.get(source.removeprefix("header.")))
    return None


def _sources(money_sources: list[str] | None) -> list[str]:
    return list(dict.fromkeys(["funds.全年预算数", "funds.全年执行数", *(money_sources or [])]))


def _add(g: SummaryGroup, r: SummaryRow) -> None:
    g.rows.append(r)
    for s in g.sums:
        v = money_of(r, s)
        if v is not None:
            g.sums[s] = (g.sums[s] or ZERO) + v


def summary_groups(rows: list[SummaryRow], money_sources: list[str] | None = None) -> list[SummaryGroup]:
    """Rows by unit, units in the order they first appear, rows in document order within each."""
    sources = _sources(money_sources)
    groups: dict[str, SummaryGroup] = {}
    for r in rows:
        g = groups.get(r.unit)
        if g is None:
            g = groups[r.unit] = SummaryGroup(r.unit, [], dict.fromkeys(sources))
        _add(g, r)
    return list(groups.values())


def summary_total(rows: list[SummaryRow], money_sources: list[str] | None = None) -> SummaryGroup:
    """Every row as one group: the sums of the 合计 row."""
    total = SummaryGroup("", [], dict.fromkeys(_sources(money_sources)))
    for r in rows:
        _add(total, r)
    return total


def form_score(res: FormResult) -> Decimal | None:
    """The 自评得分 a form reports: its typed 总分, else the engine's total once
    anything is scored, else nothing (a form not yet filled in)."""
    if res.typed_total is not None:
        return res.typed_total
    if any(s.effective is not None for s in res.indicators) or res.execution_effective is not None:
        return res.total
    return None


def printed_score(template: Template, res: FormResult) -> tuple[Decimal | None, str]:
    """The 总分 a form prints (:func:`form_score`) and the 等级 that figure earns:
    what the side list, the status bar, the 汇总表 and ``jixiao score`` show for a
    form (the engine's sum beside it where it differs)."""
    score = form_score(res)
    return score, template.scoring.grade(score) if score is not None else ""
