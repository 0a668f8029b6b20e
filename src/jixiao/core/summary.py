"""The derived 项目单位自评汇总表 (as in seed 004) and per-form overviews.

Each row shows the 自评得分 its form prints: the 总分 the officer typed where
one is typed (a difference from the engine's sum stays a ``total-mismatch``
finding on the form), else the engine's total; the 等级 follows that figure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.figures import parse_decimal
from jixiao.core.model import Document
from jixiao.core.scoring import FormResult, score_form
from jixiao.core.templates import Template

SUMMARY_TITLE = "项目单位自评汇总表"


@dataclass(slots=True)
class SummaryRow:
    form_id: str
    项目名称: str
    实施单位: str
    全年预算数: Decimal | None
    全年执行数: Decimal | None
    预算执行率: Decimal | None  # fraction
    得分率: dict[str, Decimal | None]  # per 一级 (and 资金管理情况 where the template has it)
    自评得分: Decimal | None
    等级: str
    是否有偏差项目: bool


def rate_columns(template: Template) -> list[str]:
    fd = template.form("project")
    cols = [s.key for s in fd.sections if s.type == "items"]
    ind = fd.indicators
    assert ind is not None
    cols.extend(lv.name for lv in ind.levels)
    return cols


def summary_rows(doc: Document, results: dict[str, FormResult] | None = None) -> list[SummaryRow]:
    template = doc.template
    fd = template.form("project") if "project" in template.forms else None
    if fd is None:
        return []
    funds = fd.funds
    assert funds is not None and funds.total_fund_row is not None
    total_key = funds.total_fund_row.key
    cols = rate_columns(template)
    rows = []
    grade = template.scoring.grade
    for form in doc.projects:
        res = results.get(form.id) if results else None
        if res is None:
            res = score_form(template, fd, form)
        rates: dict[str, Decimal | None] = {}
        for c in cols:
            if c in res.item_rates:
                rates[c] = res.item_rates[c]
            else:
                lv = res.level(c)
                rates[c] = lv.rate if lv is not None else None
        cells = form.funds.get(total_key, {})
        score = form_score(res)
        rows.append(SummaryRow(
            form_id=form.id,
            项目名称=form.display_name(),
            实施单位=form.header.get("实施单位", ""),
            全年预算数=parse_decimal(cells.get("全年预算数")),
            全年执行数=parse_decimal(cells.get("全年执行数")),
            预算执行率=res.execution_rate,
            得分率=rates,
            自评得分=score,
            等级=grade(score) if score is not None else "",
            是否有偏差项目=res.has_deviation,
        ))
    return rows


def form_score(res: FormResult) -> Decimal | None:
    """The 自评得分 a form reports: its typed 总分, else the engine's total once
    anything is scored, else nothing (a form not yet filled in)."""
    if res.typed_total is not None:
        return res.typed_total
    if any(s.effective is not None for s in res.indicators) or res.execution_effective is not None:
        return res.total
    return None
