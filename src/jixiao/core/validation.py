"""Live validation: findings anchored to a form and a field.

Every finding has a severity (``error`` / ``warning`` / ``info``), a stable
code (documented in ``docs/cli.md``; scripts rely on them) and a Chinese
message that names the figures involved. ``pending`` marks a finding about
something still empty (nothing typed contradicts anything yet): the desktop
app shows those as 待填 until the officer exports or prints. Validation never raises on bad input:
whatever an officer typed is either understood or reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from jixiao.core import fields
from jixiao.core.extras import EXTRA_LABEL, EXTRA_TEXT, EXTRAS, extra_fund_rows, extra_rows, fund_rows_with_extras
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
from jixiao.core.templates import AMOUNT_COLUMNS, Column, FormDef, Section, Template
from jixiao.core.vocabulary import display_label, normalize_label, vocabulary

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
    "deviation-mismatch": "填写的偏差度与模板的偏差度规则不符",
    "unit-mismatch": "指标值与实际完成值的单位不一致",
    "direction-suspect": "正向指标使用了≤/<，方向可能写反（按≥计分）",
    "unknown-level": "一级/二级指标不在模板的指标体系中",
    "range-overshoot": "实际完成值超出区间上限",
    "duplicate-name": "项目名称重复",
    "execution-reason-missing": "执行率低于模板要求但未说明原因",
    "total-capped": "执行率偏低，总分按模板封顶",
    "score-factor-mismatch": "填写的得分系数与指标得分/指标权重不符",
    "duplicate-name-across-units": "两个单位的项目名称相同（合并时两份都保留）",
    "score-up-rate-down": "自评得分比上年高而预算执行率比上年低得多",
    "label-as-value": "填写的内容是栏目名称本身",
    "extra-content": "模板中没有的行或栏目，已作为附加内容保留",
    "level-weight-mismatch": "一级指标标明的分值与其下三级指标分值合计不符",
}

@dataclass(frozen=True, slots=True)
class Finding:
    form_id: str | None
    field: str
    severity: str
    code: str
    message: str
    pending: bool = False  # still empty, not a contradiction

    def location(self, doc: Document) -> str:
        """Where the finding is, as a person reads it (``项目3“科普活动” · 第4条指标“…” · 得分``)."""
        return fields.locate(doc, self.form_id, self.field)

    def to_dict(self, doc: Document | None = None) -> dict[str, object]:
        d: dict[str, object] = {"form_id": self.form_id, "field": self.field, "severity": self.severity,
                                "code": self.code, "message": self.message, "pending": self.pending}
        if doc is not None:
            idx = next((i for i, f in enumerate(doc.forms) if f.id == self.form_id), None)
            d["form_index"] = idx
            d["form"] = doc.forms[idx].display_name() if idx is not None else None
            d["location"] = self.location(doc)
        return d


class _Collector:
    __slots__ = ("form_id", "out")

    def __init__(self, form_id: str | None, out: list[Finding]):
        self.form_id = form_id
        self.out = out

    def add(self, field: str, severity: str, code: str, message: str, pending: bool | None = None) -> None:
        if pending is None:
            pending = code == "required-missing"
        self.out.append(Finding(self.form_id, field, severity, code, message, pending))


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
                label = ""
                for cell in row:
                    if not cell.key:
                        label = cell.label or ""
                        continue
                    raw = form.header.get(cell.key, "")
                    if cell.required and is_blank(raw):
                        c.add(fields.header_path(cell.key), ERROR, "required-missing", f"请填写{cell.key}")
                    elif is_label(raw, cell.key, label):
                        _label_as_value(c, fields.header_path(cell.key), label or cell.key, raw)
        elif sec.type == "funds":
            _check_funds(c, template, sec, form, result)
        elif sec.type == "texts":
            for col in sec.columns:
                raw = form.texts.get(sec.key, {}).get(col.key, "")
                if is_blank(raw):
                    what = f"{sec.label}的{col.label}" if sec.label else col.label
                    c.add(fields.text_path(sec.key, col.key), WARNING, "required-missing", f"请填写{what}")
                elif is_label(raw, col.key, col.label, sec.label or ""):
                    _label_as_value(c, fields.text_path(sec.key, col.key), col.label, raw)
        elif sec.type == "table":
            for i, trow in enumerate(form.tables.get(sec.key, [])):
                for col in sec.columns:
                    raw = trow.get(col.key, "")
                    if is_label(raw, col.key, col.label):
                        _label_as_value(c, fields.table_path(sec.key, i, col.key), col.label, raw)
        elif sec.type == "items":
            _check_items(c, sec, form, result)
        elif sec.type == "indicators":
            _check_indicators(c, template, sec, form)
    _check_totals(c, template, form, result)
    _check_stated_weights(c, form, result)
    _check_extras(c, template, fd, form)
    return out


# ------------------------------------------------------------------ funds


def _row_name(label: str) -> str:
    """A fund row's label in running text: no 其中 prefix, no trailing colon."""
    return label.removeprefix("其中：").removeprefix("其中:").rstrip("：:")


def _col_label(sec: Section, key: str) -> str:
    """A column as the form prints it (四川 调整后预算数 for 全年预算数)."""
    col = sec.column(key)
    return col.label if col is not None else key


def _check_funds(c: _Collector, template: Template, sec: Section, form: Form, result: FormResult) -> None:
    total_row = sec.total_fund_row
    assert total_row is not None
    parts = [r for r in fund_rows_with_extras(template.form(form.kind), form) if not r.total]  # extras are 其中 rows
    # amounts readable?
    for r in sec.fund_rows:
        cells = form.funds.get(r.key, {})
        for col in AMOUNT_COLUMNS:
            raw = cells.get(col, "")
            if raw and not is_blank(raw) and parse_decimal(raw) is None:
                c.add(fields.fund_path(r.key, col), ERROR, "unparsable-value",
                      f"{_row_name(r.label)}的{_col_label(sec, col)}“{raw}”不是有效金额")
    tcells = form.funds.get(total_row.key, {})
    for col in ("全年预算数", "全年执行数"):
        if is_blank(tcells.get(col)):
            c.add(fields.fund_path(total_row.key, col), ERROR, "required-missing",
                  f"请填写{_row_name(total_row.label)}的{_col_label(sec, col)}")
    # total row = sum of its 其中 rows, per column
    for col in AMOUNT_COLUMNS:
        total = parse_decimal(tcells.get(col))
        values = [parse_decimal(form.funds.get(r.key, {}).get(col)) for r in parts]
        typed = [v for v in values if v is not None]
        if not typed:
            continue
        s = sum(typed, ZERO)
        if total is None:  # left empty while its 其中 rows hold money (an unreadable total is reported above)
            if s != 0 and is_blank(tcells.get(col)):
                detail = " + ".join(f"{_row_name(r.label)} {fmt2(v)}" for r, v in zip(parts, values, strict=True)
                                    if v is not None)
                what = f"{_row_name(total_row.label)}的{_col_label(sec, col)}"
                c.add(fields.fund_path(total_row.key, col), ERROR, "fund-total-mismatch",
                      f"{what}未填写，而其中各行之和为 {fmt2(s)}（{detail}）")
            continue
        if q2(s) != q2(total):
            detail = " + ".join(f"{_row_name(r.label)} {fmt2(v)}" for r, v in zip(parts, values, strict=True)
                                if v is not None)
            what = f"{_row_name(total_row.label)}的{_col_label(sec, col)}"
            c.add(fields.fund_path(total_row.key, col), ERROR, "fund-total-mismatch",
                  f"{what} {fmt2(total)} 不等于其中各行之和 {fmt2(s)}（{detail}）")
    # typed rates and scores
    percent_sign = sec.rate_percent_sign
    for r in sec.fund_rows:
        cells = form.funds.get(r.key, {})
        fr = result.funds.get(r.key)
        raw = cells.get("执行率", "")
        if raw and not is_blank(raw) and fr is not None:
            rate = parse_decimal(raw, allow_percent=True)
            if rate is None:
                c.add(fields.fund_path(r.key, "执行率"), WARNING, "unparsable-value", f"执行率“{raw}”无法识别")
            else:
                if percent_sign and "%" not in normalize_text(raw):
                    c.add(fields.fund_path(r.key, "执行率"), WARNING, "rate-missing-percent",
                          f"执行率“{raw}”缺少%符号，按 {raw}% 理解")
                if fr.rate is not None and not same_at_typed_precision(raw.replace("%", ""), rate, fr.rate * HUNDRED):
                    c.add(fields.fund_path(r.key, "执行率"), ERROR, "execution-rate-mismatch",
                          f"执行率应为 {_pct(fr.rate)}（全年执行数/全年预算数），填写的是 {raw}")
        if r.total and fr is not None:
            if fr.rate is not None and fr.rate > 1:
                c.add(fields.fund_path(r.key, "执行率"), WARNING, "execution-over-100",
                      f"执行率 {_pct(fr.rate)} 超过100%，得分按100%计；请说明超支原因")
            raw_s = cells.get("得分", "")
            if raw_s and not is_blank(raw_s):
                if fr.typed_score is None:
                    c.add(fields.fund_path(r.key, "得分"), ERROR, "unparsable-value", f"执行率得分“{raw_s}”不是数字")
                else:
                    if fr.weight is not None and fr.typed_score > fr.weight:
                        c.add(fields.fund_path(r.key, "得分"), ERROR, "score-exceeds-weight",
                              f"执行率得分 {_num(fr.typed_score)} 超过分值 {_num(fr.weight)}")
                    if fr.score is not None and q2(fr.typed_score) != fr.score:
                        c.add(fields.fund_path(r.key, "得分"), ERROR, "score-mismatch",
                              f"执行率得分应为 {fmt2(fr.score)}（分值 {_num(fr.weight)} × 执行率 {_pct(fr.rate)}），"
                              f"填写的是 {raw_s}")
            raw_w = cells.get("分值", "")
            if raw_w and not is_blank(raw_w) and parse_decimal(raw_w) is None:
                c.add(fields.fund_path(r.key, "分值"), ERROR, "unparsable-value", f"分值“{raw_w}”不是数字")
            _check_execution_reason(c, template, sec, form, r.key, fr.rate)


def _check_execution_reason(c: _Collector, template: Template, sec: Section, form: Form, row: str,
                            rate: Decimal | None) -> None:
    """Where the template requires it (四川: under 90 %), a low 执行率 needs a written reason."""
    below = template.scoring.execution_reason_below
    col = sec.reason_column
    if below is None or col is None or rate is None or rate >= below:
        return
    if is_blank(form.funds.get(row, {}).get(col.key)):
        c.add(fields.fund_path(row, col.key), WARNING, "execution-reason-missing",
              f"{_col_label(sec, '执行率')} {_pct(rate)} 未达到 {_pct(below)}，请在“{col.label}”中说明原因")


# ------------------------------------------------------------------ items (河南 资金管理情况)


def _check_items(c: _Collector, sec: Section, form: Form, result: FormResult) -> None:
    block = form.items.get(sec.key, {})
    scored = result.items.get(sec.key, {})
    text_columns = _text_columns(sec)
    for it in sec.items:
        for key, raw in block.get(it.name, {}).items():
            col = text_columns.get(key)
            if col is not None and is_label(raw, col.key, col.label):
                _label_as_value(c, fields.item_path(sec.key, it.name, col.key), col.label, raw)
        weight, score = scored.get(it.name, (None, None))
        raw = block.get(it.name, {}).get("得分", "")
        path = fields.item_path(sec.key, it.name, "得分")
        if is_blank(raw):
            c.add(path, ERROR, "required-missing", f"请填写{sec.label}“{it.name}”的得分")
        elif score is None:
            c.add(path, ERROR, "unparsable-value", f"{it.name}的得分“{raw}”不是数字")
        elif weight is not None and score > weight:
            c.add(path, ERROR, "score-exceeds-weight", f"{it.name}得分 {_num(score)} 超过分值 {_num(weight)}")
        elif score < 0:
            c.add(path, ERROR, "score-negative", f"{it.name}得分不能为负数")


# ------------------------------------------------------------------ indicators


def _check_indicators(c: _Collector, template: Template, sec: Section, form: Form) -> None:
    for i, ind in enumerate(form.indicators):
        if ind.is_empty_row():
            continue
        for column, severity, code, message in _indicator_findings(template, sec, tuple(sorted(ind.cells.items())), i):
            c.add(fields.indicator_path(i, column), severity, code, message)


_RowFinding = tuple[str, str, str, str]  # (column, severity, code, message)


@lru_cache(maxsize=65536)
def _indicator_findings(template: Template, sec: Section, cells_items: tuple[tuple[str, str], ...],
                        i: int) -> tuple[_RowFinding, ...]:
    """Findings of one indicator row as (column, severity, code, message). A pure
    function of the row's strings, memoised: revalidating a whole document on
    each keystroke only recomputes the rows that changed."""
    cells = dict(cells_items)
    ind = Indicator(cells)
    sc = score_of(template, cells)
    out: list[_RowFinding] = []

    def add(col: str, sev: str, code: str, msg: str) -> None:
        out.append((col, sev, code, msg))
    has_reason = sec.has_column("偏差原因分析及改进措施")
    has_dev = sec.has_column("偏差度")
    has_factor = sec.has_column("得分系数")
    scoring = template.scoring
    known_l1 = {lv.name: set(lv.level2) for lv in sec.levels}
    echoes = {col.key for col in sec.columns
              if col.key not in _NUMERIC_COLUMNS and is_label(cells.get(col.key, ""), col.key, col.label)}
    for col in sec.columns:
        if col.key in echoes:
            add(col.key, WARNING, "label-as-value", _label_message(col.label, cells[col.key]))
    name = ind.get("三级指标").strip() if "三级指标" not in echoes else ""
    name = name or f"第{i + 1}行指标"
    if not ind.get("三级指标").strip():
        add("三级指标", WARNING, "required-missing", f"第{i + 1}行指标缺少三级指标名称")
    l1, l2 = ind.level1, ind.level2
    if sec.flat:
        pass  # a flat list (重庆) has no 一级/二级
    elif not l1:
        add("一级指标", ERROR, "required-missing", f"“{name}”缺少一级指标")
    elif "一级指标" in echoes:
        pass
    elif known_l1 and l1 not in known_l1:
        add("一级指标", WARNING, "unknown-level", f"一级指标“{l1}”不在模板“{template.name}”的指标体系中")
    elif l2 and "二级指标" not in echoes and known_l1.get(l1) and l2 not in known_l1[l1]:
        add("二级指标", WARNING, "unknown-level", f"二级指标“{l2}”不属于一级指标“{l1}”")
    for key, v in (("年度指标值", sc.target), ("实际完成值", sc.actual)):
        label = _col_label(sec, key)
        if v.kind == "empty":
            add(key, ERROR, "required-missing", f"“{name}”缺少{label}")
        elif v.kind == "invalid" and sc.rule != "same-text":
            add(key, WARNING, "unparsable-value",
                f"“{name}”的{label}“{v.raw}”无法识别（{v.problem}），原文保留，请人工判断得分")
    raw_w, raw_s = ind.get("分值"), ind.get("得分")
    if is_blank(raw_w):
        add("分值", ERROR, "required-missing", f"“{name}”缺少分值")
    elif sc.weight is None:
        add("分值", ERROR, "unparsable-value", f"“{name}”的分值“{raw_w}”不是数字")
    if sc.unit_mismatch:
        add("实际完成值", ERROR, "unit-mismatch",
            f"“{name}”的指标值“{sc.target.raw}”（{sc.target.unit.family_name if sc.target.unit else ''}）"
            f"与实际完成值“{sc.actual.raw}”"
            f"（{sc.actual.unit.family_name if sc.actual.unit else ''}）单位不一致，无法计算得分")
    if sc.direction_suspect:
        sign = "≥" if sc.target.op == ">=" else ">"
        add("年度指标值", WARNING, "direction-suspect",
            f"“{name}”是越高越好的指标，指标值却写作“{sc.target.raw}”，是否应为“{sign}”？已按“{sign}”计分")
    _check_indicator_score(add, name, raw_s, sc)
    if sc.rule == "range" and sc.overshoot is not None and sc.overshoot > 0 and scoring.range_above == "full":
        add("实际完成值", INFO, "range-overshoot",
            f"“{name}”实际完成值超出区间上限 {_pct(sc.overshoot)}，按满分计；请说明目标设置是否合理")
    if has_reason and sc.needs_reason and is_blank(ind.get("偏差原因分析及改进措施")):
        dev = sc.relative_deviation
        over = dev is not None and dev > 0 and scoring.overshoot_reason_from is not None
        why = (f"得分 {_num(sc.effective)} 低于分值 {_num(sc.weight)}" if sc.lost_points
               else f"实际完成时间“{sc.actual.raw.strip()}”晚于指标值“{sc.target.raw.strip()}”" if _late(sc)
               else f"超出目标 {_pct(dev)}（达到 {_pct(scoring.overshoot_reason_from)} 须说明）" if over
               else f"偏差率 {_pct(dev)} 超过 ±{_pct(scoring.deviation_threshold)}")
        add("偏差原因分析及改进措施", WARNING, "deviation-reason-missing",
            f"“{name}”{why}，请填写偏差原因分析及改进措施")
    if has_dev:
        raw_d = ind.get("偏差度")
        if raw_d and not is_blank(raw_d):
            typed = parse_decimal(raw_d, allow_percent=True)
            if typed is None:
                add("偏差度", WARNING, "unparsable-value", f"“{name}”的偏差度“{raw_d}”无法识别")
            elif sc.deviation is not None and q2(typed) != q2(sc.deviation * HUNDRED):
                add("偏差度", WARNING, "deviation-mismatch",
                    f"“{name}”的偏差度应为 {_pct(sc.deviation)}（{_deviation_rule(template, sc)}），填写的是 {raw_d}")
    if has_factor:
        _check_score_factor(add, name, ind.get("得分系数"), sc)
    return tuple(out)


def _deviation_rule(template: Template, sc: IndicatorScore) -> str:
    """How the expected 偏差度 was found, in the words of the form."""
    tol = template.scoring.deviation_tolerance
    if tol is not None and sc.rule == "positive" and sc.overshoot is not None:
        return f"超出目标 {_pct(tol)} 以内记0，超出部分为(实际−目标)/目标−{_pct(tol)}"
    return "(实际−目标)/目标"


# ------------------------------------------------------------------ labels typed as values

_NUMERIC_COLUMNS = frozenset(("分值", "得分", "偏差度", "执行率", "年初预算数", "全年预算数", "全年执行数"))
@lru_cache(maxsize=16384)
def is_label(value: str, *labels: str) -> bool:
    """Whether a typed value is only the name of its own field (主管部门 = "主管部门", or one of the
    vocabulary's names for it, 主管单位), as happens when a heading is copied into the cell beside it.
    Labels compare as the importer compares them (:func:`~jixiao.core.vocabulary.normalize_label`)."""
    if not value or len(value) > 40:  # labels are short; names and prose are not labels
        return False
    v = normalize_label(value)
    if not v:
        return False
    vocab = vocabulary()
    return any(v in vocab.synonyms(label) for label in labels if label)


@lru_cache(maxsize=256)
def _text_columns(sec: Section) -> dict[str, Column]:
    """The columns of a block whose cells hold text (a label typed there is worth a word)."""
    return {col.key: col for col in sec.columns if col.key not in _NUMERIC_COLUMNS and col.key != "项目"}


def _label_message(label: str, raw: str) -> str:
    return f"{display_label(label) or label}一栏填写的是栏目名称“{raw.strip()}”，请填写实际内容"


def _label_as_value(c: _Collector, path: str, label: str, raw: str) -> None:
    c.add(path, WARNING, "label-as-value", _label_message(label, raw))


def _check_score_factor(add: Callable[[str, str, str, str], None], name: str, raw: str, sc: IndicatorScore) -> None:
    """A typed 得分系数 (重庆) must be 指标得分 / 指标权重."""
    if not raw or is_blank(raw):
        return
    typed = parse_decimal(raw, allow_percent=True)
    if typed is None:
        add("得分系数", WARNING, "unparsable-value", f"“{name}”的得分系数“{raw}”无法识别")
        return
    factor = sc.score_factor
    if factor is not None and not same_at_typed_precision(raw.replace("%", ""), typed, factor * HUNDRED):
        add("得分系数", WARNING, "score-factor-mismatch",
            f"“{name}”的得分系数应为 {_pct(factor)}（指标得分/指标权重），填写的是 {raw}")


def _check_indicator_score(add: Callable[[str, str, str, str], None], name: str, raw_s: str,
                           sc: IndicatorScore) -> None:
    """Findings on a row's 得分, as (column, severity, code, message)."""
    if is_blank(raw_s):
        if sc.suggested is None:
            if sc.band is not None:
                add("得分", ERROR, "required-missing",
                      f"“{name}”为定性指标（{_ach(sc.achievement)}），"
                      f"请在 {_num(sc.band[0])}–{_num(sc.band[1])} 分之间填写得分")
            elif _late(sc):
                add("得分", ERROR, "required-missing",
                    f"“{name}”实际完成时间“{sc.actual.raw.strip()}”晚于指标值“{sc.target.raw.strip()}”，请填写得分")
            elif sc.weight is not None and not sc.unit_mismatch:
                add("得分", ERROR, "required-missing", f"“{name}”无法按规则计算得分，请填写得分")
        return
    if sc.typed is None:
        add("得分", ERROR, "unparsable-value", f"“{name}”的得分“{raw_s}”不是数字")
        return
    if sc.typed < 0:
        add("得分", ERROR, "score-negative", f"“{name}”的得分不能为负数")
    if sc.weight is not None and sc.typed > sc.weight:
        add("得分", ERROR, "score-exceeds-weight", f"“{name}”得分 {_num(sc.typed)} 超过分值 {_num(sc.weight)}")
        return
    if sc.band is not None and sc.rule == "qualitative":
        lo, hi = sc.band
        if not (q2(lo) <= sc.typed <= q2(hi)):
            add("得分", ERROR, "qualitative-score-out-of-band",
                  f"“{name}”实际完成“{sc.actual.raw}”属于{_ach(sc.achievement)}，"
                  f"得分应在 {_num(lo)}–{_num(hi)} 之间，填写的是 {raw_s}")
        return
    if sc.suggested is not None and q2(sc.typed) != sc.suggested:
        add("得分", ERROR, "score-mismatch",
              f"“{name}”按{_RULE_NAMES.get(sc.rule, '评分规则')}应得 {fmt2(sc.suggested)} 分，填写的是 {raw_s}")


_RULE_NAMES = {
    "positive": "正向指标规则（实际/目标×分值）",
    "reverse": "反向指标规则（超出部分按比例扣分）",
    "range": "区间指标规则",
    "qualitative-percent": "完成比例",
    "same-text": "指标值与实际值一致",
    "date": "时间指标规则（实际完成时间不晚于指标值得满分）",
}


def _late(sc: IndicatorScore) -> bool:
    """A date indicator whose actual date is later than its target (a missed deadline)."""
    return sc.rule == "date" and sc.achievement == "not_achieved"
_ACH = {"achieved": "达成", "partial": "部分达成", "not_achieved": "未达成"}


def _ach(a: str | None) -> str:
    return _ACH.get(a or "", "未判定")


# ------------------------------------------------------------------ totals


def _check_totals(c: _Collector, template: Template, form: Form, result: FormResult) -> None:
    if result.cap is not None and result.uncapped_total is not None:
        below, cap = result.cap
        c.add(fields.TOTAL, INFO, "total-capped",
              f"执行率 {_pct(result.execution_rate)} 低于 {_pct(below)}，总分最高 {_num(cap)} 分"
              f"（各项得分合计 {fmt2(result.uncapped_total)}）")
    if result.weight_total != template.scoring.total:
        # while some named indicator has no 分值 yet the sum is unfinished, not wrong; a row without a
        # 三级 name is a placeholder (河南 lists every 二级, most of them empty) and says nothing
        named = [ind for ind in form.indicators if not is_blank(ind.get("三级指标"))]
        unfinished = result.weight_total < template.scoring.total and (
            not named or any(is_blank(ind.get("分值")) for ind in named))
        c.add(fields.TOTAL, ERROR, "weight-sum",
              f"分值合计为 {_num(result.weight_total)}（含执行率分值 {_num(result.execution_weight)}），"
              f"应为 {_num(template.scoring.total)}", pending=unfinished)
    raw = form.total
    if raw and not is_blank(raw):
        typed = result.typed_total
        if typed is None:
            c.add(fields.TOTAL, ERROR, "unparsable-value", f"总分“{raw}”不是数字")
        elif q2(typed) != q2(result.total) and not _explained_by_flagged_scores(q2(typed) - q2(result.total), result):
            why = (f"执行率低于 {_pct(result.cap[0])} 封顶" if result.cap is not None
                   else f"各项得分 + 执行率得分 {fmt2(result.execution_effective)}")
            c.add(fields.TOTAL, ERROR, "total-mismatch", f"总分应为 {fmt2(result.total)}（{why}），填写的是 {raw}")


def _explained_by_flagged_scores(gap: Decimal, result: FormResult) -> bool:
    """Whether a typed 总分 is what the rule gives for some typed scores already
    reported as ``score-mismatch`` (002: 执行率得分 printed 0.00 where the rule
    gives 1.42, and the printed 总分 counts 1.42). That total is right once those
    scores are corrected: one mistake, one finding."""
    diffs = [sc.suggested - sc.typed for sc in result.indicators
             if sc.typed is not None and sc.suggested is not None and sc.rule != "qualitative"
             and sc.weight is not None and sc.typed <= sc.weight and q2(sc.typed) != sc.suggested]
    if result.execution_score is not None and result.execution_effective is not None:
        diffs.append(result.execution_score - result.execution_effective)
    diffs = [d for d in diffs if d][:12]  # a few corrections at most; beyond that the total is simply wrong
    sums = {ZERO}
    for d in diffs:
        sums |= {x + d for x in sums}
    return any(x and q2(x) == gap for x in sums)


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    out = {ERROR: 0, WARNING: 0, INFO: 0}
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


# ------------------------------------------------------------------ stated weights and extra content (issue 12)


def _check_stated_weights(c: _Collector, form: Form, result: FormResult) -> None:
    """A 一级 written with its weight (``产出指标(50分)``) states the Σ分值 of its
    indicators; a different sum is a warning (once per 一级 and stated weight)."""
    seen: set[tuple[str, Decimal]] = set()
    for i, ind in enumerate(form.indicators):
        stated = ind.stated_weight
        if stated is None or (ind.level1, stated) in seen:
            continue
        seen.add((ind.level1, stated))
        weights = [sc.weight for other, sc in zip(form.indicators, result.indicators, strict=True)
                   if other.level1 == ind.level1 and sc.weight is not None]
        if not weights:  # no 分值 typed under it (the missing ones are reported): nothing to compare
            continue
        total = sum(weights, ZERO)
        if total != stated:
            c.add(fields.indicator_path(i, "一级指标"), WARNING, "level-weight-mismatch",
                  f"一级指标“{ind.level1}”标明 {_num(stated)} 分，其下三级指标分值合计为 {_num(total)}")


def _check_extras(c: _Collector, template: Template, fd: FormDef, form: Form) -> None:
    """What the form holds beyond its template (core/extras.py) is shown and kept, and reported until moved."""
    funds = fd.funds
    assert funds is not None
    for fr in extra_fund_rows(funds, form):
        cells = form.funds.get(fr.key, {})
        col = next((k for k, v in cells.items() if not is_blank(v)), None)
        if col is not None:
            c.add(fields.fund_path(fr.key, col), WARNING, "extra-content",
                  f"资金行“{fr.label}”不是模板“{template.name}”中的行，已作为附加行保留（计入合计行的核对），请核对后移入相应的行")
    vocab = vocabulary()
    for i, row in enumerate(extra_rows(form)):
        if is_blank(row.get(EXTRA_TEXT)):
            continue
        if vocab.key("signoff", row.get(EXTRA_LABEL) or "") is not None:
            continue  # a sign-off entry the template does not print (联系电话 beside 填表人): kept, not misplaced
        label = row.get(EXTRA_LABEL) or "（无栏目名）"
        c.add(fields.table_path(EXTRAS, i, EXTRA_TEXT), WARNING, "extra-content",
              f"“{label}”在模板“{template.name}”中没有对应的栏目，已保留在表末“{EXTRAS}”中，请核对")
