"""The figures a report states, taken from the engine and formatted as the
forms print them.

Nothing here is typed twice or estimated: amounts are the officer's own
figures as :func:`jixiao.core.figures.parse_decimal` reads them, rates,
scores, 一级 subtotals and grades come from
:func:`jixiao.core.scoring.score_form` and
:func:`jixiao.core.summary.summary_rows`. The few figures the forms do not
print but a report states (the 年中调整数 and 调整率, the 得分率 of the
执行率 row and of the total, the count of projects per grade) are derived
here, in one place, from those; the projects' 合计 is the 汇总表's own
(:func:`jixiao.core.summary.summary_total`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.fields import clean_label
from jixiao.core.figures import HUNDRED, ZERO, fmt2, fmt_money, fmt_percent, is_blank, parse_decimal
from jixiao.core.model import Form, Indicator
from jixiao.core.scoring import FormResult, IndicatorScore
from jixiao.core.selfreport.content import FIGURE, OFFICER, Run
from jixiao.core.summary import SummaryRow, form_score, summary_total
from jixiao.core.templates import FormDef, Template

# ------------------------------------------------------------------ runs of figures


def money(d: Decimal | None) -> Run | None:
    """An amount in 万元 as the forms print it (``3,628.92``)."""
    return None if d is None else Run(fmt_money(d), FIGURE, d)


def percent(frac: Decimal | None) -> Run | None:
    """A rate given as a fraction (``0.9799`` → ``97.99%``)."""
    return None if frac is None else Run(fmt_percent(frac), FIGURE, frac)


def score(d: Decimal | None) -> Run | None:
    """A score with two decimals (``9.80``)."""
    return None if d is None else Run(fmt2(d), FIGURE, d)


def weight(d: Decimal | None) -> Run | None:
    """A 分值 as the forms print it: ``10`` for a whole number, else two decimals."""
    if d is None:
        return None
    return Run(f"{d.normalize():f}" if d == d.to_integral_value() else fmt2(d), FIGURE, d)


def count(n: int) -> Run:
    return Run(str(n), FIGURE, Decimal(n))


def officer(text: str) -> Run | None:
    """What the officer typed, verbatim (surrounding blanks trimmed); None when blank."""
    t = text.strip()
    return None if is_blank(t) else Run(t, OFFICER)


def clause(text: str) -> str:
    """An officer's text used inside a sentence of the report: trimmed, without
    its final full stop (the sentence supplies its own)."""
    return text.strip().rstrip("。；;.，, ").strip()


# ------------------------------------------------------------------ a form's figures


@dataclass(frozen=True, slots=True)
class FundLine:
    """One fund row of a form: the amounts as typed and the engine's 执行率."""

    key: str
    label: str  # the template's label as a name (其中： and （万元） removed)
    initial: Decimal | None  # 年初预算数
    budget: Decimal | None  # 全年预算数
    spent: Decimal | None  # 全年执行数
    rate: Decimal | None  # 全年执行数 / 全年预算数 (engine)
    total: bool

    @property
    def adjustment(self) -> Decimal | None:
        """年中调整数 = 全年预算数 - 年初预算数."""
        if self.initial is None or self.budget is None:
            return None
        return self.budget - self.initial

    @property
    def adjustment_rate(self) -> Decimal | None:
        """预算调整率 = 年中调整数 / 年初预算数."""
        adj = self.adjustment
        if adj is None or not self.initial:
            return None
        return adj / self.initial


def fund_lines(fd: FormDef, form: Form, result: FormResult) -> list[FundLine]:
    sec = fd.funds
    assert sec is not None
    out = []
    for row in sec.fund_rows:
        cells = form.funds.get(row.key, {})
        res = result.funds.get(row.key)
        out.append(FundLine(
            key=row.key,
            label=clean_label(row.label),
            initial=parse_decimal(cells.get("年初预算数")),
            budget=parse_decimal(cells.get("全年预算数")),
            spent=parse_decimal(cells.get("全年执行数")),
            rate=res.rate if res is not None else None,
            total=row.total,
        ))
    return out


def total_line(lines: list[FundLine]) -> FundLine:
    return next(line for line in lines if line.total)


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    index: int  # into form.indicators
    indicator: Indicator
    score: IndicatorScore

    @property
    def name(self) -> str:
        return " ".join(self.indicator.get("三级指标").split())


@dataclass(frozen=True, slots=True)
class LevelLine:
    """One 一级 (or a scored-items block such as 资金管理情况) with its 分值,
    得分 and 得分率 from the engine."""

    name: str
    weight: Decimal | None
    score: Decimal | None
    rate: Decimal | None
    indicators: tuple[IndicatorLine, ...] = ()


def indicator_lines(form: Form, result: FormResult) -> list[IndicatorLine]:
    """The form's indicator rows that hold an indicator (not a listed empty 二级)."""
    pairs = zip(form.indicators, result.indicators, strict=True)
    return [IndicatorLine(i, ind, sc) for i, (ind, sc) in enumerate(pairs) if not ind.is_empty_row()]


def level_lines(form: Form, result: FormResult) -> list[LevelLine]:
    rows = indicator_lines(form, result)
    return [LevelLine(lv.name, lv.weight, lv.score, lv.rate, tuple(r for r in rows if r.indicator.level1 == lv.name))
            for lv in result.levels]


def _rate(score_: Decimal | None, weight_: Decimal | None) -> Decimal | None:
    """得分 / 分值; none above 100 % (a score above its 分值 is a finding on the form, see :func:`over_weight`)."""
    if score_ is None or not weight_ or score_ > weight_:
        return None
    return score_ / weight_


def over_weight(line: LevelLine) -> bool:
    """Whether a row of the 评价结论 table scores more than its 分值 (its 得分率 is not stated)."""
    return line.score is not None and line.weight is not None and line.score > line.weight


def conclusion_lines(fd: FormDef, form: Form, result: FormResult, execution_label: str) -> list[LevelLine]:
    """The rows of the 评价结论 table: the 执行率, each scored-items block, each
    一级, and the indicators under no 一级 (重庆's flat list) as one row under the
    grid's label; they add up to the engine's total (:func:`conclusion_total`)."""
    out = [LevelLine(execution_label, result.execution_weight, result.execution_effective,
                     _rate(result.execution_effective, result.execution_weight))]
    for sec in fd.sections:
        if sec.type == "items" and sec.key in result.items:
            pairs = result.items[sec.key].values()
            w = sum((p[0] for p in pairs if p[0] is not None), ZERO)
            s = sum((p[1] for p in pairs if p[1] is not None), ZERO)
            out.append(LevelLine(clean_label(sec.label or sec.key), w, s, _rate(s, w)))
    out.extend(LevelLine(lv.name, lv.weight, lv.score, _rate(lv.score, lv.weight)) for lv in result.levels)
    loose = [sc for ind, sc in zip(form.indicators, result.indicators, strict=True) if not ind.level1]
    weights = [sc.weight for sc in loose if sc.weight is not None]
    scores = [sc.effective for sc in loose if sc.effective is not None]
    if weights or scores:
        grid = fd.indicators
        name = clean_label(grid.label) if grid is not None and grid.label else "绩效指标"
        w, s = sum(weights, ZERO), sum(scores, ZERO)
        out.append(LevelLine(name, w, s, _rate(s, w)))
    return out


def conclusion_total(lines: list[LevelLine], result: FormResult) -> LevelLine:
    """The 合计 row of the 评价结论 table: Σ of its rows (the engine's total before
    any 执行率 cap, which the conclusion states), nothing while the form has no score."""
    weight_ = sum((line.weight for line in lines if line.weight is not None), ZERO)
    score_ = sum((line.score for line in lines if line.score is not None), ZERO) \
        if form_score(result) is not None else None
    return LevelLine("", weight_, score_, _rate(score_, weight_))


def deviates(sc: IndicatorScore) -> bool:
    """Whether an indicator departed from its target: what the form must explain
    in 偏差原因分析及改进措施 (the scoring's rule: points lost, or a 偏差率 beyond
    the template's threshold; a rate at its 100 % ceiling is no overshoot)."""
    return sc.needs_reason


def deviating_lines(form: Form, result: FormResult) -> list[IndicatorLine]:
    return [r for r in indicator_lines(form, result) if deviates(r.score)]


# ------------------------------------------------------------------ projects


@dataclass(frozen=True, slots=True)
class ProjectTotals:
    """The 合计 of the projects, as the 汇总表 prints it (:func:`jixiao.core.summary.summary_total`)."""

    count: int
    budget: Decimal | None  # None when no project has the figure
    spent: Decimal | None
    rate: Decimal | None


def project_totals(rows: list[SummaryRow]) -> ProjectTotals:
    total = summary_total(rows)
    return ProjectTotals(len(rows), total.sums.get("funds.全年预算数"), total.sums.get("funds.全年执行数"), total.rate)


def grade_counts(template: Template, rows: list[SummaryRow]) -> list[tuple[str, int]]:
    """Projects per grade, in the template's order (优, 良, 中, 差); grades no
    project has are left out; projects not scored yet count under ``""``."""
    names = [g for g, _floor in template.scoring.grades]
    counts = {g: 0 for g in names}
    unscored = 0
    for r in rows:
        if r.等级 in counts:
            counts[r.等级] += 1
        else:
            unscored += 1
    out = [(g, n) for g, n in counts.items() if n]
    if unscored:
        out.append(("", unscored))
    return out


def below(rate: Decimal | None, threshold: Decimal) -> bool:
    return rate is not None and rate < threshold


def above_full(rate: Decimal | None) -> bool:
    return rate is not None and rate > 1


def threshold_text(threshold: Decimal) -> str:
    """A threshold given as a fraction, as wording: ``0.9`` → ``90%``."""
    v = (threshold * HUNDRED).normalize()
    return f"{v:f}%"


def execution_reasons(fd: FormDef, form: Form, keywords: list[str]) -> list[tuple[str, str]]:
    """The officer's own explanations of a form's 执行率, as (where, reason):
    the fund section's reason column where the template has one (四川 原因,
    ``where`` is its label), then the 偏差原因分析及改进措施 of the indicators
    about spending (whose 三级指标 names one of ``keywords``, e.g. 资金拨付率,
    结转结余率; ``where`` is the indicator's name)."""
    out = []
    funds = fd.funds
    col = funds.reason_column if funds is not None else None
    if funds is not None and col is not None:
        for row in funds.fund_rows:  # the total row first: a merged reason cell is kept there
            text = form.funds.get(row.key, {}).get(col.key, "").strip()
            if not is_blank(text):
                out.append(("", text))
                break
    for ind in form.indicators:
        name = " ".join(ind.get("三级指标").split())
        reason = ind.get("偏差原因分析及改进措施").strip()
        if name and not is_blank(reason) and any(k in name for k in keywords):
            out.append((name, reason))
    return out
