"""Scoring per the template's rules.

- 预算执行率得分 = 分值 × min(全年执行数 / 全年预算数, 1), zero below the
  template's threshold if it sets one.
- Quantitative, positive (≥ > =): actual ≥ target → full 分值, else
  分值 × actual / target. Reverse (≤ <): actual ≤ target → full, else
  分值 × (1 − (actual − target) / target), floored at 0. Range [lo, hi]:
  inside → full, below → 分值 × actual / lo, above → full (flagged) or, where
  the template has an overshoot rule, the overshoot deduction.
- Overshoot rule (河南): beyond ``tolerance`` over the target the score is
  reduced linearly, reaching ``max_deduction`` at ``full_deduction_at``.
- Dates and deadlines (时效: ``2023年12月``, ``12月底前``): an actual date no later
  than the target date scores full; a later one is 未达成, scored by the officer
  and needing a written reason. A date against a non-date is read as text.
- Qualitative: the officer picks a score inside the band of the achievement
  (达成 80–100%, 部分达成 60–80%, 未达成 0–60% by default); a qualitative
  target with a percentage actual (``及时`` / ``100%``) scores 分值 × actual.
- Direction: a ``≤``/``<`` target on an indicator whose name says higher is
  better (满意率, 完成率 … and not 投诉率, 故障率 …) is almost always a typo;
  it is scored as ``≥``/``>`` and reported once (``direction-suspect``).
- 偏差率 = (实际 − 目标) / 目标: none inside a ceiling (≤) or a range, measured
  from the range's nearer end outside it. Where the template sets a
  ``deviation_tolerance`` (河南 30%), the 偏差度 its form records for an
  overshoot of a ≥/>/= target is 0 up to the tolerance and the overshoot minus
  the tolerance beyond it; shortfalls, exceeded ceilings and ranges are
  recorded as they are.
- A deviation needs a written reason (偏差原因分析及改进措施) when points are
  lost or the 偏差率 is beyond the template's threshold, except a rate that
  reached its natural 100 % ceiling against a lower percent target (100% vs
  ``≥90%``): a rate cannot do better, so that is no overshoot to explain.
- The target is the adjusted target (调整指标值) when one is typed, else
  年度指标值; forms that print the operator (指标性质) and the unit (度量单位)
  in their own columns are scored on the composed value (``≥`` ``100`` ``%``
  → ``≥100%``); an actual without a unit of its own takes the 度量单位.
- A template may cap the total by 执行率 (``execution_caps``: e.g. under 80 %
  at most 89 points).

Suggested scores are rounded half up to two decimals, as printed on the forms,
and totals add the rounded figures. Typed scores are never overwritten: the
total uses what the officer typed and validation compares it with the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from jixiao.core.figures import HUNDRED, ONE, ZERO, is_blank, normalize_text, parse_decimal, q2
from jixiao.core.model import Form
from jixiao.core.templates import FormDef, Scoring, Template
from jixiao.core.units import compatible
from jixiao.core.values import Value, compose_value, on_time, parse_value


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    target: Value  # as scored: a suspect "≤90%" on a 满意率 is read as "≥90%"
    actual: Value
    weight: Decimal | None
    typed: Decimal | None  # the 得分 the officer typed, if it reads as a number
    suggested: Decimal | None  # what the rule gives, rounded to 2 decimals
    deviation: Decimal | None  # the 偏差度 as the template's form records it, a fraction
    rule: str  # positive | reverse | range | qualitative | qualitative-percent | same-text | date | none
    band: tuple[Decimal, Decimal] | None = None  # allowed score range for qualitative rows
    exact: Decimal | None = None  # the unrounded rule score
    overshoot: Decimal | None = None  # fraction beyond the target / range top, when above
    unit_mismatch: bool = False
    achievement: str | None = None
    relative_deviation: Decimal | None = None  # (actual − target) / target, what the reason threshold uses
    direction_suspect: bool = False  # a ≤/< target on a higher-is-better indicator, scored as ≥/>
    at_ceiling: bool = False  # a rate at 100 % against a lower percent target
    needs_reason: bool = False  # points lost, or a 偏差率 beyond the template's threshold: 偏差原因 required

    @property
    def effective(self) -> Decimal | None:
        return self.typed if self.typed is not None else self.suggested

    @property
    def lost_points(self) -> bool:
        eff = self.effective
        return self.weight is not None and eff is not None and eff < self.weight

    @property
    def score_factor(self) -> Decimal | None:
        """得分系数 = 得分 / 分值 (a fraction), as 重庆 prints it."""
        eff = self.effective
        if eff is None or not self.weight:
            return None
        return eff / self.weight


# Higher-is-better indicators by their name, and the lower-is-better words that override them.
POSITIVE_WORDS = (
    "满意度", "满意率", "合格率", "完成率", "达标率", "覆盖率", "到位率", "及格率", "通过率", "成功率",
    "知晓率", "参与率", "使用率", "利用率", "执行率", "及时率", "正常运转率", "正常率", "验收率", "出勤率",
    "完好率", "入户率", "好评率", "满意", "认可度", "实现率", "消除率", "支付率", "拨付率", "转化率",
)
NEGATIVE_WORDS = ("投诉率", "故障率", "差错率", "不合格率", "失败率", "发生率", "返工率", "流失率", "投诉", "不满意")


@lru_cache(maxsize=16384)
def higher_is_better(level3: str) -> bool:
    """Whether a 三级 name says more is better (满意率, 完成率), so a ≤ target is a typo."""
    return any(w in level3 for w in POSITIVE_WORDS) and not any(w in level3 for w in NEGATIVE_WORDS)


@dataclass(slots=True)
class FundRowResult:
    rate: Decimal | None  # fraction
    weight: Decimal | None = None
    score: Decimal | None = None  # rounded rule score (total row only)
    typed_score: Decimal | None = None


@dataclass(slots=True)
class LevelSubtotal:
    name: str
    weight: Decimal
    score: Decimal

    @property
    def rate(self) -> Decimal | None:
        return self.score / self.weight if self.weight else None


@dataclass(slots=True)
class FormResult:
    funds: dict[str, FundRowResult]
    execution_rate: Decimal | None
    execution_weight: Decimal | None
    execution_score: Decimal | None  # the rule
    execution_effective: Decimal | None  # typed if typed, else the rule
    indicators: list[IndicatorScore]
    items: dict[str, dict[str, tuple[Decimal | None, Decimal | None]]]  # block -> item -> (weight, score)
    levels: list[LevelSubtotal]
    weight_total: Decimal
    total: Decimal
    typed_total: Decimal | None
    grade: str
    has_deviation: bool
    item_rates: dict[str, Decimal | None] = field(default_factory=dict)
    uncapped_total: Decimal | None = None  # Σ得分 before an 执行率 cap lowered ``total``
    cap: tuple[Decimal, Decimal] | None = None  # (执行率 bound, cap) that lowered it

    def level(self, name: str) -> LevelSubtotal | None:
        for lv in self.levels:
            if lv.name == name:
                return lv
        return None


# ------------------------------------------------------------------ indicators


def _overshoot_factor(scoring: Scoring, over: Decimal) -> Decimal:
    tol, full_at, max_ded = scoring.overshoot_tolerance, scoring.overshoot_full_at, scoring.overshoot_max_deduction
    if tol is None or full_at is None or max_ded is None or over <= tol:
        return ONE
    if full_at <= tol:
        return ONE - max_ded
    share = min((over - tol) / (full_at - tol), ONE)
    return ONE - max_ded * share


def _same_text(target: Value, actual: Value) -> bool:
    a = normalize_text(target.raw).lstrip("=").replace(" ", "")
    b = normalize_text(actual.raw).lstrip("=").replace(" ", "")
    return bool(a) and a == b


@lru_cache(maxsize=65536)
def score_indicator(scoring: Scoring, target_raw: str, actual_raw: str, weight_raw: str, score_raw: str,
                    level3: str = "") -> IndicatorScore:
    """Score one indicator from the typed strings. Pure and memoised: the GUI
    revalidates the whole document on every keystroke. ``level3``, the 三级
    name, matters for a ≤/< target only: a name that says more is better
    (满意率) makes it a typo, read as ≥/>."""
    target, actual = parse_value(target_raw), parse_value(actual_raw)
    suspect = target.kind == "number" and target.op in ("<=", "<") and higher_is_better(level3)
    if suspect:
        target = replace(target, op=">=" if target.op == "<=" else ">")
    weight = parse_decimal(weight_raw)
    typed = parse_decimal(score_raw)
    factor: Decimal | None = None
    deviation: Decimal | None = None
    overshoot: Decimal | None = None
    rule = "none"
    band = None
    unit_mismatch = False
    achievement = None
    at_ceiling = False
    late = False

    if target.is_quantitative and actual.kind == "number":
        if not compatible(target.unit, actual.unit):
            unit_mismatch = True
        else:
            a = actual.number
            assert a is not None
            # convert the actual into the target's unit (万元 vs 亿元)
            if target.unit is not None and actual.unit is not None and target.unit.factor != actual.unit.factor:
                a = a * actual.unit.factor / target.unit.factor
            if target.kind == "range":
                lo, hi = target.low, target.high
                assert lo is not None and hi is not None
                rule = "range"
                if a < lo:
                    factor = (a / lo) if lo > 0 else ZERO
                    deviation = (a - lo) / lo if lo else None
                elif a > hi:
                    deviation = (a - hi) / hi if hi else None
                    overshoot = deviation
                    if scoring.range_above == "overshoot" and deviation is not None:
                        factor = _overshoot_factor(scoring, deviation)
                    else:
                        factor = ONE
                else:
                    factor, deviation = ONE, ZERO
            else:
                t = target.number
                assert t is not None
                deviation = (a - t) / t if t != 0 else None
                if target.op in ("<=", "<"):
                    rule = "reverse"
                    if a <= t:
                        # within a ceiling is no deviation (0 complaints against "≤5%" needs no excuse)
                        factor, deviation = ONE, ZERO
                    elif t > 0:
                        factor = max(ZERO, ONE - (a - t) / t)
                    else:
                        factor = ZERO
                else:
                    rule = "positive"
                    if a >= t:
                        factor = ONE
                        if t > 0 and a > t:
                            overshoot = (a - t) / t
                            factor = _overshoot_factor(scoring, overshoot)
                            at_ceiling = _percent(target) and _percent(actual) and a == HUNDRED
                    elif t > 0:
                        factor = max(ZERO, a / t)
                    else:
                        factor = ZERO
    elif (target.kind == "text" and actual.kind == "number" and actual.unit is not None
          and actual.unit.family == "percent"):
        rule = "qualitative-percent"
        a = actual.number
        assert a is not None
        factor = max(ZERO, min(a / HUNDRED, ONE))
        deviation = a / HUNDRED - ONE
    elif target.date is not None and actual.date is not None:
        rule = "date"  # a deadline met (actual no later than the target): full; missed: the officer scores it
        if _in_time(target, actual):
            factor, deviation = ONE, ZERO
        else:
            late = True
            achievement = "not_achieved"
    elif target.kind in ("text", "invalid") and actual.kind in ("text", "invalid"):
        if actual.kind == "text" and actual.achievement is not None:
            rule = "qualitative"
            achievement = actual.achievement
            band = scoring.band(achievement)
            if achievement == "achieved":
                factor = ONE
        elif _same_text(target, actual):
            rule = "same-text"
            factor = ONE
            deviation = ZERO
    elif target.kind == "invalid" and _same_text(target, actual):
        rule, factor, deviation = "same-text", ONE, ZERO

    exact = weight * factor if (weight is not None and factor is not None) else None
    suggested = q2(exact) if exact is not None else None
    if band is not None:  # the template's fractions of the 分值: no 分值, no range of scores
        band = (weight * band[0], weight * band[1]) if weight is not None else None
    recorded = deviation
    tol = scoring.deviation_tolerance
    if tol is not None and rule == "positive" and overshoot is not None and deviation is not None:
        recorded = max(ZERO, deviation - tol)
    effective = typed if typed is not None else suggested
    lost = weight is not None and effective is not None and effective < weight
    beyond = (scoring.deviation_needs_reason(deviation) and not at_ceiling) or late
    return IndicatorScore(
        target=target, actual=actual, weight=weight, typed=typed, suggested=suggested, deviation=recorded,
        rule=rule, band=band, exact=exact, overshoot=overshoot, unit_mismatch=unit_mismatch, achievement=achievement,
        relative_deviation=deviation, direction_suspect=suspect, at_ceiling=at_ceiling, needs_reason=lost or beyond,
    )


def _in_time(target: Value, actual: Value) -> bool:
    """A date actual against a date target: no later (≤, =, a deadline), or no earlier (≥ / 以后)."""
    assert target.date is not None and actual.date is not None
    if target.op in (">=", ">"):
        return on_time(target.date, actual.date)
    return on_time(actual.date, target.date)


def _percent(v: Value) -> bool:
    return v.unit is not None and v.unit.family == "percent" and v.unit.factor == ONE


def target_text(cells: dict[str, str]) -> str:
    """The target an indicator row is scored against, as one string: the adjusted
    target (调整指标值) when typed, else 年度指标值, with the 指标性质 and 度量单位
    columns of forms that print them apart."""
    adjusted = cells.get("调整指标值", "")
    raw = adjusted if not is_blank(adjusted) else cells.get("年度指标值", "")
    op, unit = cells.get("指标性质", ""), cells.get("度量单位", "")
    if op.strip() or unit.strip():
        return compose_value(op, raw, unit)
    return raw


def actual_text(cells: dict[str, str]) -> str:
    """The actual value of an indicator row; a number without a unit of its own
    takes the row's 度量单位 (四川 完成值 ``98`` under 度量单位 ``%``)."""
    raw = cells.get("实际完成值", "")
    unit = cells.get("度量单位", "")
    if unit.strip() and parse_value(raw).kind == "number" and parse_value(raw).unit is None:
        return compose_value("", raw, unit)
    return raw


def score_of(template: Template, ind_cells: dict[str, str]) -> IndicatorScore:
    g = ind_cells.get
    return score_indicator(template.scoring, target_text(ind_cells), actual_text(ind_cells), g("分值", ""),
                           g("得分", ""), g("三级指标", ""))


# ------------------------------------------------------------------ forms


def execution_rate(budget: Decimal | None, spent: Decimal | None) -> Decimal | None:
    if budget is None or spent is None or budget == 0:
        return None
    return spent / budget


def execution_score(scoring: Scoring, weight: Decimal | None, rate: Decimal | None) -> Decimal | None:
    if weight is None or rate is None:
        return None
    if scoring.execution_zero_below is not None and rate < scoring.execution_zero_below:
        return ZERO
    return q2(weight * max(ZERO, min(rate, ONE)))


def score_form(template: Template, fd: FormDef, form: Form) -> FormResult:
    scoring = template.scoring
    funds_sec = fd.funds
    assert funds_sec is not None
    fund_results: dict[str, FundRowResult] = {}
    exec_rate = exec_weight = exec_score = exec_eff = None
    for row in funds_sec.fund_rows:
        cells = form.funds.get(row.key, {})
        rate = execution_rate(parse_decimal(cells.get("全年预算数")), parse_decimal(cells.get("全年执行数")))
        fr = FundRowResult(rate=rate)
        if row.total:
            weight = parse_decimal(cells.get("分值"))
            if weight is None:
                weight = scoring.execution_weight
            fr.weight = weight
            fr.score = execution_score(scoring, weight, rate)
            fr.typed_score = parse_decimal(cells.get("得分"))
            exec_rate, exec_weight, exec_score = rate, weight, fr.score
            exec_eff = fr.typed_score if fr.typed_score is not None else fr.score
        fund_results[row.key] = fr

    ind_sec = fd.indicators
    assert ind_sec is not None
    indicator_scores = [score_of(template, ind.cells) for ind in form.indicators]
    level_order = [lv.name for lv in ind_sec.levels]
    level_weight: dict[str, Decimal] = {}
    level_score: dict[str, Decimal] = {}
    weight_total = ZERO
    total = ZERO
    has_deviation = False
    for ind, sc in zip(form.indicators, indicator_scores, strict=True):
        name = ind.level1
        if name and name not in level_order:
            level_order.append(name)
        if sc.weight is not None:
            weight_total += sc.weight
            if name:
                level_weight[name] = level_weight.get(name, ZERO) + sc.weight
        eff = sc.effective
        if eff is not None:
            total += eff
            if name:
                level_score[name] = level_score.get(name, ZERO) + eff
        if sc.needs_reason:
            has_deviation = True

    items: dict[str, dict[str, tuple[Decimal | None, Decimal | None]]] = {}
    item_rates: dict[str, Decimal | None] = {}
    for sec in fd.sections:
        if sec.type != "items":
            continue
        block = form.items.get(sec.key, {})
        out: dict[str, tuple[Decimal | None, Decimal | None]] = {}
        bw = bs = ZERO
        for it in sec.items:
            cells = block.get(it.name, {})
            w = parse_decimal(cells.get("分值"))
            if w is None:
                w = it.weight
            s = parse_decimal(cells.get("得分"))
            out[it.name] = (w, s)
            if w is not None:
                weight_total += w
                bw += w
            if s is not None:
                total += s
                bs += s
        items[sec.key] = out
        item_rates[sec.key] = bs / bw if bw else None

    if exec_weight is not None:
        weight_total += exec_weight
    if exec_eff is not None:
        total += exec_eff

    uncapped: Decimal | None = None
    cap = scoring.total_cap(exec_rate)
    if cap is not None and total > cap[1]:
        uncapped, total = total, cap[1]
    else:
        cap = None

    levels = [
        LevelSubtotal(name, level_weight.get(name, ZERO), level_score.get(name, ZERO))
        for name in level_order
        if name in level_weight or name in level_score
    ]
    return FormResult(
        funds=fund_results,
        execution_rate=exec_rate,
        execution_weight=exec_weight,
        execution_score=exec_score,
        execution_effective=exec_eff,
        indicators=indicator_scores,
        items=items,
        levels=levels,
        weight_total=weight_total,
        total=total,
        typed_total=parse_decimal(form.total),
        grade=scoring.grade(total),
        has_deviation=has_deviation,
        item_rates=item_rates,
        uncapped_total=uncapped,
        cap=cap,
    )
