"""Live validation: findings anchored to a form and a field.

Every finding has a severity (``error`` / ``warning`` / ``info``), a stable
code (documented in ``docs/cli.md``; scripts rely on them) and a Chinese
message that names the figures involved. Validation never raises on bad input:
whatever an officer typed is either understood or reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from jixiao.core.figures import (
    HUNDRED,
    ZERO,
    fmt2,
    fmt_percent,
    is_blank,
    normalize_text,
    parse_decimal,
    q2,
    same_at_typed_precision,
)
from jixiao.core.model import Document, Form, Indicator
from jixiao.core.scoring import FormResult, IndicatorScore, score_form, score_of
from jixiao.core.templates import AMOUNT_COLUMNS, FormDef, Section, Template

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_NAMES = {ERROR: "错误", WARNING: "警告", INFO: "提示"}

# Codes and what they mean; docs/cli.md lists the same table (a test checks).
CODES = {
    "required-missing": "必填内容为空",
    "unparsable-value": "无法识别的数值",
    "fund-total-mismatch": "资金合计行不等于其中各行之和",
    "execution-rate-mismatch": "填写的执行率与全年执行数/全年预算数不符",
    "execution-over-100": "执行率超过100%",
    "rate-missing-percent": "执行率缺少%符号",
    "score-exceeds-weight": "得分超过分值",
    "score-negative": "得分为负数",
    "weight-sum": "分值合计不等于100",
    "score-mismatch": "填写的得分与评分规则不符",
    "qualitative-score-out-of-band": "定性指标得分不在完成程度对应的区间内",
    "total-mismatch": "填写的总分与各项得分之和不符",
    "deviation-reason-missing": "有偏差但未填写偏差原因分析及改进措施",
    "deviation-mismatch": "填写的偏差度与(实际−目标)/目标不符",
    "unit-mismatch": "指标值与实际完成值的单位不一致",
    "direction-suspect": "正向指标使用了≤/<，方向可能写反",
    "unknown-level": "一级/二级指标不在模板的指标体系中",
    "range-overshoot": "实际完成值超出区间上限",
    "duplicate-name": "项目名称重复",
    "duplicate-name-across-units": "两个单位的项目名称相同（合并时两份都保留）",
    "score-up-rate-down": "自评得分比上年高而预算执行率比上年低得多",
}

_POSITIVE_WORDS = (
    "满意度", "满意率", "合格率", "完成率", "达标率", "覆盖率", "到位率", "及格率", "通过率", "成功率",
    "知晓率", "参与率", "使用率", "利用率", "执行率", "及时率", "正常运转率", "正常率", "验收率", "出勤率",
    "完好率", "入户率", "好评率", "满意", "认可度", "实现率", "消除率", "支付率", "拨付率", "转化率",
)
_NEGATIVE_WORDS = ("投诉率", "故障率", "差错率", "不合格率", "失败率", "发生率", "返工率", "流失率", "投诉", "不满意")


@dataclass(frozen=True, slots=True)
class Finding:
    form_id: str | None
    field: str
    severity: str
    code: str
    message: str

    def to_dict(self, doc: Document | None = None) -> dict:
        d = {"form_id": self.form_id, "field": self.field, "severity": self.severity, "code": self.code,
             "message": self.message}
        if doc is not None:
            idx = next((i for i, f in enumerate(doc.forms) if f.id == self.form_id), None)
            d["form_index"] = idx
            d["form"] = doc.forms[idx].display_name() if idx is not None else None
        return d


class _Collector:
    __slots__ = ("form_id", "out")

    def __init__(self, form_id: str | None, out: list[Finding]):
        self.form_id = form_id
        self.out = out

    def add(self, field: str, severity: str, code: str, message: str) -> None:
        self.out.append(Finding(self.form_id, field, severity, code, message))


def _pct(frac: Decimal | None) -> str:
    return fmt_percent(frac) if frac is not None else "—"


def _num(d: Decimal | None) -> str:
    if d is None:
        return "—"
    return f"{q2(d):f}".rstrip("0").rstrip(".") if q2(d) != q2(d).to_integral() else f"{q2(d):f}".split(".")[0]


# ------------------------------------------------------------------ entry points


def validate_document(doc: Document) -> list[Finding]:
    template = doc.template
    results = {form.id: score_form(template, template.form(form.kind), form) for form in doc.forms}
    per_form = {form.id: validate_form(template, template.form(form.kind), form, results[form.id])
                for form in doc.forms}
    return assemble_findings(doc, per_form, results)


def assemble_findings(doc: Document, per_form: dict[str, list[Finding]],
                      results: dict[str, FormResult] | None = None) -> list[Finding]:
    """The document's findings in order: each form's own (as computed, e.g.
    cached by the GUI), plus the checks across forms (duplicate project names,
    the comparison with a linked previous year; ``results`` spares rescoring)."""
    from jixiao.core.summary import unit_of

    compared: dict[str, list[Finding]] = {}
    if doc.previous is not None:
        from jixiao.core.compare import previous_findings

        for f in previous_findings(doc, results):
            compared.setdefault(f.form_id or "", []).append(f)
    findings: list[Finding] = []
    seen: dict[str, str] = {}  # project name -> unit of its first form
    for form in doc.forms:
        findings.extend(per_form.get(form.id, ()))
        findings.extend(compared.get(form.id, ()))
        if form.kind == "project" and form.name:
            unit = unit_of(doc, form)
            if form.name in seen and seen[form.name] != unit:
                findings.append(Finding(form.id, "header.项目名称", WARNING, "duplicate-name-across-units",
                                        f"项目名称“{form.name}”也出现在单位“{seen[form.name]}”的项目表中（合并时两份都保留），"
                                        f"请确认是否为同一项目"))
            elif form.name in seen:
                findings.append(Finding(form.id, "header.项目名称", WARNING, "duplicate-name",
                                        f"项目名称“{form.name}”与另一张项目表重复"))
            seen.setdefault(form.name, unit)
    return findings


def validate_form(template: Template, fd: FormDef, form: Form, result: FormResult | None = None) -> list[Finding]:
    out: list[Finding] = []
    c = _Collector(form.id, out)
    if result is None:
        result = score_form(template, fd, form)
    for sec in fd.sections:
        if sec.type == "fields":
            for row in sec.field_rows:
                for cell in row:
                    if cell.key and cell.required and is_blank(form.header.get(cell.key)):
                        c.add(f"header.{cell.key}", ERROR, "required-missing", f"请填写{cell.key}")
        elif sec.type == "funds":
            _check_funds(c, template, sec, form, result)
        elif sec.type == "texts":
            for col in sec.columns:
                if is_blank(form.texts.get(sec.key, {}).get(col.key)):
                    c.add(f"{sec.key}.{col.key}", WARNING, "required-missing", f"请填写{sec.label or ''}的{col.label}")
        elif sec.type == "items":
            _check_items(c, sec, form, result)
        elif sec.type == "indicators":
            _check_indicators(c, template, sec, form, result)
    _check_totals(c, template, form, result)
    return out


# ------------------------------------------------------------------ funds


def _check_funds(c: _Collector, template: Template, sec: Section, form: Form, result: FormResult) -> None:
    total_row = sec.total_fund_row
    assert total_row is not None
    parts = [r for r in sec.fund_rows if not r.total]
    # amounts readable?
    for r in sec.fund_rows:
        cells = form.funds.get(r.key, {})
        for col in AMOUNT_COLUMNS:
            raw = cells.get(col, "")
            if raw and not is_blank(raw) and parse_decimal(raw) is None:
                c.add(f"funds.{r.key}.{col}", ERROR, "unparsable-value", f"{r.label.removeprefix('其中：')}的{col}“{raw}”不是有效金额")
    tcells = form.funds.get(total_row.key, {})
    for col in ("全年预算数", "全年执行数"):
        if is_blank(tcells.get(col)):
            c.add(f"funds.{total_row.key}.{col}", ERROR, "required-missing", f"请填写{total_row.label.rstrip('：:')}的{col}")
    # total row = sum of its 其中 rows, per column
    for col in AMOUNT_COLUMNS:
        total = parse_decimal(tcells.get(col))
        values = [parse_decimal(form.funds.get(r.key, {}).get(col)) for r in parts]
        typed = [v for v in values if v is not None]
        if total is None or not typed:
            continue
        s = sum(typed, ZERO)
        if q2(s) != q2(total):
            detail = " + ".join(f"{r.label.removeprefix('其中：')} {fmt2(v)}" for r, v in zip(parts, values) if v is not None)
            c.add(f"funds.{total_row.key}.{col}", ERROR, "fund-total-mismatch",
                  f"{total_row.label.rstrip('：:')}的{col} {fmt2(total)} 不等于其中各行之和 {fmt2(s)}（{detail}）")
    # typed rates and scores
    for r in sec.fund_rows:
        cells = form.funds.get(r.key, {})
        fr = result.funds.get(r.key)
        raw = cells.get("执行率", "")
        if raw and not is_blank(raw) and fr is not None:
            typed = parse_decimal(raw, allow_percent=True)
            if typed is None:
                c.add(f"funds.{r.key}.执行率", WARNING, "unparsable-value", f"执行率“{raw}”无法识别")
            else:
                if sec.rate_percent_sign and "%" not in normalize_text(raw):
                    c.add(f"funds.{r.key}.执行率", WARNING, "rate-missing-percent",
                          f"执行率“{raw}”缺少%符号，按 {raw}% 理解")
                if fr.rate is not None and not same_at_typed_precision(raw.replace("%", ""), typed, fr.rate * HUNDRED):
                    c.add(f"funds.{r.key}.执行率", ERROR, "execution-rate-mismatch",
                          f"执行率应为 {_pct(fr.rate)}（全年执行数/全年预算数），填写的是 {raw}")
        if r.total and fr is not None:
            if fr.rate is not None and fr.rate > 1:
                c.add(f"funds.{r.key}.执行率", WARNING, "execution-over-100",
                      f"执行率 {_pct(fr.rate)} 超过100%，得分按100%计；请说明超支原因")
            raw_s = cells.get("得分", "")
            if raw_s and not is_blank(raw_s):
                if fr.typed_score is None:
                    c.add(f"funds.{r.key}.得分", ERROR, "unparsable-value", f"执行率得分“{raw_s}”不是数字")
                else:
                    if fr.weight is not None and fr.typed_score > fr.weight:
                        c.add(f"funds.{r.key}.得分", ERROR, "score-exceeds-weight",
                              f"执行率得分 {_num(fr.typed_score)} 超过分值 {_num(fr.weight)}")
                    if fr.score is not None and q2(fr.typed_score) != fr.score:
                        c.add(f"funds.{r.key}.得分", ERROR, "score-mismatch",
                              f"执行率得分应为 {fmt2(fr.score)}（分值 {_num(fr.weight)} × 执行率 {_pct(fr.rate)}），填写的是 {raw_s}")
            raw_w = cells.get("分值", "")
            if raw_w and not is_blank(raw_w) and parse_decimal(raw_w) is None:
                c.add(f"funds.{r.key}.分值", ERROR, "unparsable-value", f"分值“{raw_w}”不是数字")


# ------------------------------------------------------------------ items (河南 资金管理情况)


def _check_items(c: _Collector, sec: Section, form: Form, result: FormResult) -> None:
    block = form.items.get(sec.key, {})
    scored = result.items.get(sec.key, {})
    for it in sec.items:
        weight, score = scored.get(it.name, (None, None))
        raw = block.get(it.name, {}).get("得分", "")
        path = f"{sec.key}.{it.name}.得分"
        if is_blank(raw):
            c.add(path, ERROR, "required-missing", f"请填写{sec.label}“{it.name}”的得分")
        elif score is None:
            c.add(path, ERROR, "unparsable-value", f"{it.name}的得分“{raw}”不是数字")
        elif weight is not None and score > weight:
            c.add(path, ERROR, "score-exceeds-weight", f"{it.name}得分 {_num(score)} 超过分值 {_num(weight)}")
        elif score < 0:
            c.add(path, ERROR, "score-negative", f"{it.name}得分不能为负数")


# ------------------------------------------------------------------ indicators


def _check_indicators(c: _Collector, template: Template, sec: Section, form: Form, result: FormResult) -> None:
    for i, ind in enumerate(form.indicators):
        if ind.is_empty_row():
            continue
        p = f"indicators[{i}]"
        for suffix, severity, code, message in _indicator_findings(template, sec, tuple(sorted(ind.cells.items())), i):
            c.add(f"{p}.{suffix}", severity, code, message)


@lru_cache(maxsize=65536)
def _indicator_findings(template: Template, sec: Section, cells_items: tuple, i: int) -> tuple:
    """Findings of one indicator row as (column, severity, code, message). A pure
    function of the row's strings, memoised: revalidating a whole document on
    each keystroke only recomputes the rows that changed."""
    cells = dict(cells_items)
    ind = Indicator(cells)
    sc = score_of(template, cells)
    out: list[tuple[str, str, str, str]] = []
    add = lambda col, sev, code, msg: out.append((col, sev, code, msg))  # noqa: E731
    has_reason = sec.has_column("偏差原因分析及改进措施")
    has_dev = sec.has_column("偏差度")
    threshold = template.scoring.deviation_threshold
    known_l1 = {lv.name: set(lv.level2) for lv in sec.levels}
    name = ind.get("三级指标").strip() or f"第{i + 1}行指标"
    if not ind.get("三级指标").strip():
        add("三级指标", WARNING, "required-missing", f"第{i + 1}行指标缺少三级指标名称")
    l1, l2 = ind.level1, ind.level2
    if not l1:
        add("一级指标", ERROR, "required-missing", f"“{name}”缺少一级指标")
    elif known_l1 and l1 not in known_l1:
        add("一级指标", WARNING, "unknown-level", f"一级指标“{l1}”不在模板“{template.name}”的指标体系中")
    elif l2 and known_l1.get(l1) and l2 not in known_l1[l1]:
        add("二级指标", WARNING, "unknown-level", f"二级指标“{l2}”不属于一级指标“{l1}”")
    for key, v in (("年度指标值", sc.target), ("实际完成值", sc.actual)):
        if v.kind == "empty":
            add(key, ERROR, "required-missing", f"“{name}”缺少{key}")
        elif v.kind == "invalid" and sc.rule != "same-text":
            add(key, WARNING, "unparsable-value", f"“{name}”的{key}“{v.raw}”无法识别（{v.problem}），原文保留，请人工判断得分")
    raw_w, raw_s = ind.get("分值"), ind.get("得分")
    if is_blank(raw_w):
        add("分值", ERROR, "required-missing", f"“{name}”缺少分值")
    elif sc.weight is None:
        add("分值", ERROR, "unparsable-value", f"“{name}”的分值“{raw_w}”不是数字")
    if sc.unit_mismatch:
        add("实际完成值", ERROR, "unit-mismatch",
            f"“{name}”的指标值“{sc.target.raw}”（{sc.target.unit.family_name if sc.target.unit else ''}）与实际完成值“{sc.actual.raw}”"
            f"（{sc.actual.unit.family_name if sc.actual.unit else ''}）单位不一致，无法计算得分")
    if sc.target.op in ("<=", "<") and sc.target.is_quantitative:
        l3 = ind.get("三级指标")
        if any(w in l3 for w in _POSITIVE_WORDS) and not any(w in l3 for w in _NEGATIVE_WORDS):
            add("年度指标值", WARNING, "direction-suspect",
                f"“{name}”是越高越好的指标，指标值却写作“{sc.target.raw}”，是否应为“≥”？")
    sub = _Collector(None, [])
    _check_indicator_score(sub, "", name, raw_s, sc)
    out.extend((f.field.lstrip("."), f.severity, f.code, f.message) for f in sub.out)
    if sc.rule == "range" and sc.overshoot is not None and sc.overshoot > 0 and template.scoring.range_above == "full":
        add("实际完成值", INFO, "range-overshoot",
            f"“{name}”实际完成值超出区间上限 {_pct(sc.overshoot)}，按满分计；请说明目标设置是否合理")
    deviates = sc.deviation is not None and abs(sc.deviation) > threshold
    if has_reason and is_blank(ind.get("偏差原因分析及改进措施")) and (sc.lost_points or deviates):
        why = (f"得分 {_num(sc.effective)} 低于分值 {_num(sc.weight)}" if sc.lost_points
               else f"偏差率 {_pct(sc.deviation)} 超过 ±{_pct(threshold)}")
        add("偏差原因分析及改进措施", WARNING, "deviation-reason-missing", f"“{name}”{why}，请填写偏差原因分析及改进措施")
    if has_dev:
        raw_d = ind.get("偏差度")
        if raw_d and not is_blank(raw_d):
            typed = parse_decimal(raw_d, allow_percent=True)
            if typed is None:
                add("偏差度", WARNING, "unparsable-value", f"“{name}”的偏差度“{raw_d}”无法识别")
            elif sc.deviation is not None and q2(typed) != q2(sc.deviation * HUNDRED):
                hint = ""
                tol = template.scoring.overshoot_tolerance
                if tol is not None and q2(typed) == q2((sc.deviation - tol) * HUNDRED):
                    hint = f"，疑似已减去 {_pct(tol)} 的容差"
                add("偏差度", WARNING, "deviation-mismatch",
                    f"“{name}”的偏差度应为 {_pct(sc.deviation)}（(实际−目标)/目标），填写的是 {raw_d}{hint}")
    return tuple(out)


def _check_indicator_score(c: _Collector, p: str, name: str, raw_s: str, sc: IndicatorScore) -> None:
    field = f"{p}.得分"
    if is_blank(raw_s):
        if sc.suggested is None:
            if sc.band is not None:
                c.add(field, ERROR, "required-missing",
                      f"“{name}”为定性指标（{_ach(sc.achievement)}），请在 {_num(sc.band[0])}–{_num(sc.band[1])} 分之间填写得分")
            elif sc.weight is not None and not sc.unit_mismatch:
                c.add(field, ERROR, "required-missing", f"“{name}”无法按规则计算得分，请填写得分")
        return
    if sc.typed is None:
        c.add(field, ERROR, "unparsable-value", f"“{name}”的得分“{raw_s}”不是数字")
        return
    if sc.typed < 0:
        c.add(field, ERROR, "score-negative", f"“{name}”的得分不能为负数")
    if sc.weight is not None and sc.typed > sc.weight:
        c.add(field, ERROR, "score-exceeds-weight", f"“{name}”得分 {_num(sc.typed)} 超过分值 {_num(sc.weight)}")
        return
    if sc.band is not None and sc.rule == "qualitative":
        lo, hi = sc.band
        if not (q2(lo) <= sc.typed <= q2(hi)):
            c.add(field, ERROR, "qualitative-score-out-of-band",
                  f"“{name}”实际完成“{sc.actual.raw}”属于{_ach(sc.achievement)}，得分应在 {_num(lo)}–{_num(hi)} 之间，填写的是 {raw_s}")
        return
    if sc.suggested is not None and q2(sc.typed) != sc.suggested:
        c.add(field, ERROR, "score-mismatch",
              f"“{name}”按{_RULE_NAMES.get(sc.rule, '评分规则')}应得 {fmt2(sc.suggested)} 分，填写的是 {raw_s}")


_RULE_NAMES = {
    "positive": "正向指标规则（实际/目标×分值）",
    "reverse": "反向指标规则（超出部分按比例扣分）",
    "range": "区间指标规则",
    "qualitative-percent": "完成比例",
    "same-text": "指标值与实际值一致",
}
_ACH = {"achieved": "达成", "partial": "部分达成", "not_achieved": "未达成"}


def _ach(a: str | None) -> str:
    return _ACH.get(a or "", "未判定")


# ------------------------------------------------------------------ totals


def _check_totals(c: _Collector, template: Template, form: Form, result: FormResult) -> None:
    if result.weight_total != template.scoring.total:
        c.add("总分", ERROR, "weight-sum",
              f"分值合计为 {_num(result.weight_total)}（含执行率分值 {_num(result.execution_weight)}），应为 {_num(template.scoring.total)}")
    raw = form.total
    if raw and not is_blank(raw):
        typed = result.typed_total
        if typed is None:
            c.add("总分", ERROR, "unparsable-value", f"总分“{raw}”不是数字")
        elif q2(typed) != q2(result.total):
            c.add("总分", ERROR, "total-mismatch",
                  f"总分应为 {fmt2(result.total)}（各项得分 + 执行率得分 {fmt2(result.execution_effective)}），填写的是 {raw}")


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    out = {ERROR: 0, WARNING: 0, INFO: 0}
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out
