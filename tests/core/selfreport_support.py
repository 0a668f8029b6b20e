"""Shared by the 自评报告 tests (core, Word, PDF, CLI, GUI): the bundled
examples, the engine's figures computed independently of the report, and a
document full of hostile text."""

from __future__ import annotations

import copy
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from jixiao.core.figures import ZERO, fmt2, fmt_money, fmt_percent, parse_decimal
from jixiao.core.fileio import load_document
from jixiao.core.model import Document
from jixiao.core.scoring import score_form
from jixiao.core.summary import form_score, summary_rows

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.jxzp"))
KINDS = ("department", "project", "execution")
URUMQI = next(p for p in EXAMPLES if "乌鲁木齐" in p.name)  # template xinjiang
SANMENXIA = next(p for p in EXAMPLES if "三门峡" in p.name)  # template henan

HOSTILE_GOAL = "<b>粗体</b> R&D =SUM(1) {年度} &amp; \x07响铃"
HOSTILE_NAME = "R&D <i>项目</i> =SUM(1)"
HOSTILE_UNIT = "<script>alert(1)</script>科技局"
LONG_REASON = "原因" * 5000  # 10,000 characters


@lru_cache(maxsize=4)
def _example(name: str) -> Document:
    return load_document(ROOT / "resources" / "examples" / name)


def example(path: Path) -> Document:
    """A fresh copy of a bundled example (tests may modify it)."""
    return copy.deepcopy(_example(path.name))


def weight_text(d: Decimal) -> str:
    return f"{d.normalize():f}" if d == d.to_integral_value() else fmt2(d)


def engine_figures(doc: Document) -> set[str]:
    """Every figure a report may state, computed here from the engine's own
    results (score_form, summary_rows) and the officer's amounts, formatted
    as the forms print them."""
    t = doc.template
    out: set[str] = set()

    def money(d: Decimal | None) -> None:
        if d is not None:
            out.add(fmt_money(d))

    def pct(d: Decimal | None) -> None:
        if d is not None:
            out.add(fmt_percent(d))

    def score(d: Decimal | None) -> None:
        if d is not None:
            out.add(fmt2(d))

    def weight(d: Decimal | None) -> None:
        if d is not None:
            out.add(weight_text(d))

    for form in doc.forms:
        fd = t.form(form.kind)
        res = score_form(t, fd, form)
        for key, cells in form.funds.items():
            amounts = [parse_decimal(cells.get(c)) for c in ("年初预算数", "全年预算数", "全年执行数")]
            for a in amounts:
                money(a)
            if amounts[0] is not None and amounts[1] is not None:
                money(amounts[1] - amounts[0])
                if amounts[0]:
                    pct((amounts[1] - amounts[0]) / amounts[0])
            if key in res.funds:
                pct(res.funds[key].rate)
        weight(res.execution_weight)
        score(res.execution_effective)
        if res.execution_effective is not None and res.execution_weight:
            pct(res.execution_effective / res.execution_weight)
        weight(res.weight_total)
        printed = form_score(res)  # the 总分 the form prints (typed where typed)
        score(printed)
        engine_total = res.uncapped_total if res.uncapped_total is not None else res.total
        score(engine_total)  # the 合计 of the 评价结论 table, the sum of its rows
        weight(t.scoring.total)  # "不等于100分" in the note under it
        if res.weight_total:
            pct(engine_total / res.weight_total)
        loose = [sc for ind, sc in zip(form.indicators, res.indicators, strict=True) if not ind.level1]
        if loose:  # 重庆's flat list: one row of the 评价结论 table
            lw = sum((sc.weight for sc in loose if sc.weight is not None), ZERO)
            ls = sum((sc.effective for sc in loose if sc.effective is not None), ZERO)
            weight(lw)
            score(ls)
            if lw:
                pct(ls / lw)
        if res.cap is not None:
            pct(res.cap[0])
            weight(res.cap[1])
            score(res.uncapped_total)
        for lv in res.levels:
            weight(lv.weight)
            score(lv.score)
            pct(lv.rate)
            out.add(str(sum(1 for ind in form.indicators if ind.level1 == lv.name and not ind.is_empty_row())))
        for sc in res.indicators:
            weight(sc.weight)
            score(sc.effective)
            pct(sc.deviation)
        for block, items in res.items.items():
            w = sum((p[0] for p in items.values() if p[0] is not None), ZERO)
            s = sum((p[1] for p in items.values() if p[1] is not None), ZERO)
            weight(w)
            score(s)
            for iw, isc in items.values():
                weight(iw)
                score(isc)
            pct(res.item_rates.get(block))
        rows = [ind for ind in form.indicators if not ind.is_empty_row()]
        out.add(str(len(rows)))
        out.add(str(len({i.level1 for i in rows if i.level1})))
        out.add(str(len({(i.level1, i.level2) for i in rows if i.level2})))
        dev = [sc for ind, sc in zip(form.indicators, res.indicators, strict=True) if not ind.is_empty_row()
               and sc.needs_reason]
        out.add(str(len(dev)))
    rows_ = summary_rows(doc)
    for r in rows_:
        money(r.全年预算数)
        money(r.全年执行数)
        pct(r.预算执行率)
        score(r.自评得分)
    tb = sum((r.全年预算数 or ZERO for r in rows_), ZERO)
    ts = sum((r.全年执行数 or ZERO for r in rows_), ZERO)
    money(tb)
    money(ts)
    if tb:
        pct(ts / tb)
    out.add(str(len(rows_)))
    for g in {r.等级 for r in rows_}:
        out.add(str(sum(1 for r in rows_ if r.等级 == g)))
    out.add(str(sum(1 for r in rows_ if r.预算执行率 is not None and (r.预算执行率 < Decimal("0.9")))))
    out.add(str(sum(1 for r in rows_ if r.预算执行率 is not None and r.预算执行率 > 1)))
    return out


def officer_texts(doc: Document) -> set[str]:
    """Every string the officer typed into the document (trimmed)."""
    out = {doc.unit.strip(), str(doc.year)}
    out |= {v.strip() for v in doc.signoff.values()}
    for f in doc.forms:
        out |= {v.strip() for v in f.header.values()}
        for d in f.funds.values():
            out |= {v.strip() for v in d.values()}
        for d in f.texts.values():
            out |= {v.strip() for v in d.values()}
            for v in d.values():
                out |= {line.strip() for line in v.splitlines()}
        for block in f.items.values():
            for d in block.values():
                out |= {v.strip() for v in d.values()}
        for rows in f.tables.values():
            for d in rows:
                out |= {v.strip() for v in d.values()}
        for ind in f.indicators:
            out |= {v.strip() for v in ind.cells.values()}
            out.add(" ".join(ind.get("三级指标").split()))
        out.add(f.display_name())
    return out


def hostile_document() -> Document:
    """The 乌鲁木齐 example with markup, formulas, format fields, a control
    character and a 10,000-character reason typed into it."""
    doc = example(URUMQI)
    doc.unit = HOSTILE_UNIT
    dept = doc.department
    assert dept is not None
    dept.texts.setdefault("goals", {})["预期目标"] = HOSTILE_GOAL
    proj = doc.projects[0]
    proj.header["项目名称"] = HOSTILE_NAME
    t = doc.template
    res = score_form(t, t.form("project"), proj)
    for ind, sc in zip(proj.indicators, res.indicators, strict=True):
        if sc.lost_points:
            ind.set("偏差原因分析及改进措施", LONG_REASON)
            break
    else:  # pragma: no cover - the example has a row that lost points
        raise AssertionError("no indicator lost points")
    return doc
