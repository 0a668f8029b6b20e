"""One description of each official grid, rendered three ways.

:func:`form_grid` turns a form and its template into a :class:`~jixiao.core.grid.Grid`
(cells with their row/column spans, roles and values); :func:`summary_grid`
does the same for the 项目单位自评汇总表. The GUI's table model, the Excel
writer and the PDF writer all draw these same grids, so the screen, the sheet
and the printed page cannot drift apart. Other official tables (决算公开
01–09表) are grids too: build cells, hand them to the same renderers.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.core import fields
from jixiao.core.extras import extra_rows, extras_section, fund_rows_with_extras
from jixiao.core.figures import HUNDRED, fmt2, fmt_money, fmt_percent, is_blank, normalize_text, parse_decimal, q2
from jixiao.core.grid import Cell, Grid, GridColumn
from jixiao.core.model import Document, Form, Indicator
from jixiao.core.scoring import FormResult, FundRowResult, score_form
from jixiao.core.summary import SummaryRow, money_of, rate_columns, summary_groups, summary_rows, summary_total
from jixiao.core.templates import AMOUNT_COLUMNS, FormDef, FundRowDef, Section, SummaryColumn, SummarySpec, Template

BLANK_MARK = "—"


# ------------------------------------------------------------------ formatting


def money_text(raw: str) -> tuple[str, Decimal | None]:
    v = parse_decimal(raw)
    return (fmt_money(v), v) if v is not None else (raw, None)


def score_text(raw: str) -> tuple[str, Decimal | None]:
    v = parse_decimal(raw)
    return (fmt2(v), v) if v is not None else (raw, None)


def rate_text(fraction: Decimal | None, percent_sign: bool) -> str:
    """A rate as the form prints it: ``"97.99%"``, or ``"97.99"`` under an ``执行率 %`` header."""
    if fraction is None:
        return ""
    return fmt_percent(fraction) if percent_sign else fmt2(fraction * HUNDRED)


def typed_rate(raw: str) -> Decimal | None:
    v = parse_decimal(raw, allow_percent=True)
    return v / HUNDRED if v is not None else None


# ------------------------------------------------------------------ form grids


def form_grid(doc: Document, form: Form, result: FormResult | None = None) -> Grid:
    template = doc.template
    fd = template.form(form.kind)
    if result is None:
        result = score_form(template, fd, form)
    g = Grid(
        title=fd.title,
        columns=[GridColumn(c.key, c.width) for c in fd.grid_columns],
        orientation=fd.orientation,
        form_id=form.id,
        margins=fd.margins,
        min_scale=fd.min_scale,
    )
    w = g.n_cols
    r = g.new_row("title")
    g.add(Cell(r, 0, colspan=w, text=fd.title, role="title", border=False, bold=True))
    r = g.new_row("title")
    g.add(Cell(r, 0, colspan=w, text=fd.year_line.format(year=doc.year), role="subtitle", border=False))
    if fd.unit_lines or fd.report_code:
        r = g.new_row("note")
        half = max(1, w // 2)
        left = f"填报单位：{doc.unit}" if fd.unit_lines else ""
        right = "金额单位：万元" if fd.unit_lines else ""
        if fd.report_code:
            right = f"报表编号：{fd.report_code}" + (f"　{right}" if right else "")
        g.add(Cell(r, 0, colspan=half, text=left, role="note", border=False, align="left"))
        g.add(Cell(r, half, colspan=w - half, text=right, role="note", border=False, align="right"))
    for sec in fd.sections:
        if sec.type == "fields":
            _fields(g, sec, form, result)
        elif sec.type == "funds":
            _funds(g, template, sec, form, result)
        elif sec.type == "texts":
            _texts(g, sec, form)
        elif sec.type == "items":
            _items(g, sec, form)
        elif sec.type == "table":
            _table(g, sec, form)
        elif sec.type == "indicators":
            _indicators(g, sec, form, result)
        elif sec.type == "total":
            _total(g, template, sec, form, result)
    if extra_rows(form):  # what the template has no place for (core/extras.py)
        _table(g, extras_section(fd), form)
    if fd.signoff:
        _signoff(g, doc, fd)
    return g


def _fields(g: Grid, sec: Section, form: Form, result: FormResult) -> None:
    for row in sec.field_rows:
        r = g.new_row("header")
        col = 0
        for fc in row:
            if fc.total:
                g.add(_total_cell(r, col, form, result, colspan=fc.span, section="header"))
            elif fc.key:
                raw = form.header.get(fc.key, "")
                g.add(Cell(r, col, colspan=fc.span, text=raw, raw=raw, role="input", path=fields.header_path(fc.key),
                           align="left", section="header"))
            else:
                g.add(Cell(r, col, colspan=fc.span, text=fc.label or "", section="header"))
            col += fc.span


def _funds(g: Grid, template: Template, sec: Section, form: Form, result: FormResult) -> None:
    w = g.n_cols
    label_span = sec.label_span
    name_span = w - label_span - sum(c.span for c in sec.columns)
    rows = fund_rows_with_extras(template.form(form.kind), form)  # rows the template lacks follow (core/extras.py)
    first = g.new_row("funds-header")
    g.add(Cell(first, 0, rowspan=1 + len(rows), colspan=label_span, text=sec.label or "", section="funds"))
    if name_span:
        g.add(Cell(first, label_span, colspan=name_span, text=sec.row_header, section="funds"))
    col = label_span + name_span
    for c in sec.columns:
        g.add(Cell(first, col, colspan=c.span, text=c.label, section="funds"))
        col += c.span
    total_row = sec.total_fund_row
    assert total_row is not None
    for n, fr in enumerate(rows):
        r = g.new_row("funds")
        cells = form.funds.get(fr.key, {})
        res = result.funds.get(fr.key)
        if name_span:
            g.add(Cell(r, label_span, colspan=name_span, text=fr.label, section="funds",
                       align="left" if not fr.total else "center"))
        col = label_span + name_span
        for c in sec.columns:
            if c.kind == "text":
                if not c.merged or n == 0:
                    key = total_row.key if c.merged else fr.key
                    raw = form.funds.get(key, {}).get(c.key, "")
                    g.add(Cell(r, col, rowspan=len(rows) if c.merged else 1, colspan=c.span, text=raw,
                               raw=raw, role="input", path=fields.fund_path(key, c.key), kind="longtext",
                               align="left", section="funds"))
            else:
                g.add(_fund_figure(sec, fr, c.key, cells, res, r, col, c.span))
            col += c.span


def _fund_figure(sec: Section, fr: FundRowDef, key: str, cells: dict[str, str], res: FundRowResult | None, r: int,
                 col: int, span: int) -> Cell:
    """One figure of a fund row: an amount, or the 分值 / 执行率 / 得分 of the total row
    (the template's blank mark on a 其中 row)."""
    path = fields.fund_path(fr.key, key)
    raw = cells.get(key, "")
    if key in AMOUNT_COLUMNS:
        text, val = money_text(raw)
        return Cell(r, col, colspan=span, text=text, raw=raw, value=val, role="input", path=path, kind="money",
                    align="right", section="funds")
    if key == "执行率" and (fr.total or sec.rate_on_all_rows):
        rate = res.rate if res else None
        sugg = rate_text(rate, sec.rate_percent_sign)
        typed = typed_rate(raw) if raw else None
        return Cell(r, col, colspan=span, text=_rate_display(raw, typed, sec.rate_percent_sign) or sugg, raw=raw,
                    suggestion=sugg, role="override", path=path, kind="rate", value=typed if raw else rate,
                    section="funds")
    if not fr.total:
        # 安徽, 云南 临翔 repeat 分值 10 / 得分 9 on 本年财政拨款: counts for nothing, printed in the
        # column's one format (as the total row prints it: 10, 9.00, 97.80%)
        if raw and not is_blank(raw):
            if key == "执行率":
                typed = typed_rate(raw)
                return Cell(r, col, colspan=span, text=_rate_display(raw, typed, sec.rate_percent_sign), raw=raw,
                            value=typed, role="input", path=path, kind="rate", section="funds")
            value = parse_decimal(raw)
            text, kind = (weight_text(raw, value), "weight") if key == "分值" else (_score_display(raw), "score")
            return Cell(r, col, colspan=span, text=text, raw=raw, value=value, role="input", path=path, kind=kind,
                        section="funds")
        return Cell(r, col, colspan=span, text=sec.blank_mark, section="funds")
    if key == "分值":
        weight = res.weight if res else None
        value = parse_decimal(raw) if raw else weight
        return Cell(r, col, colspan=span, text=weight_text(raw, value), raw=raw, value=value, role="input",
                    path=path, kind="weight", section="funds", suggestion=weight_text("", weight))
    # 得分
    sugg = fmt2(res.score) if res and res.score is not None else ""
    val = parse_decimal(raw) if raw else (res.score if res else None)
    return Cell(r, col, colspan=span, text=_score_display(raw) or sugg, raw=raw, suggestion=sugg, role="override",
                path=path, kind="score", value=val, section="funds")


def weight_text(raw: str, value: Decimal | None) -> str:
    """A 分值 as the official forms print it (Excel's General format): ``10``, ``2.5``,
    ``0.5`` — up to two decimals, no trailing zeros; typed text that is not a number as typed."""
    if value is None:
        return raw if parse_decimal(raw) is None else ""
    return f"{q2(value).normalize():f}"


def _rate_display(raw: str, typed: Decimal | None, percent_sign: bool) -> str:
    """A typed rate in the column's one format (``97.99%``, or ``97.99`` under an ``执行率 %`` header)."""
    if not raw:
        return ""
    return rate_text(typed, percent_sign) if typed is not None else raw


def _score_display(raw: str) -> str:
    if not raw:
        return ""
    v = parse_decimal(raw)
    return fmt2(v) if v is not None else raw


def _texts(g: Grid, sec: Section, form: Form) -> None:
    label_cols = 1 if sec.label else 0
    values = form.texts.get(sec.key, {})
    first = g.n_rows
    for tr in sec.text_rows:
        top = g.n_rows
        if tr.headers:
            head = g.new_row("texts-header")
            col = label_cols + tr.span
            for c in tr.columns:
                g.add(Cell(head, col, colspan=c.span, text=c.label, section=sec.key))
                col += c.span
        r = g.new_row("texts")
        if tr.label is not None and tr.span:
            g.add(Cell(top, label_cols, rowspan=r - top + 1, colspan=tr.span, text=tr.label, section=sec.key))
        col = label_cols + tr.span
        for c in tr.columns:
            raw = values.get(c.key, "")
            g.add(Cell(r, col, colspan=c.span, text=raw, raw=raw, role="input", path=fields.text_path(sec.key, c.key),
                       kind="longtext", align="left", section=sec.key))
            col += c.span
    if sec.label:
        g.add(Cell(first, 0, rowspan=g.n_rows - first, text=sec.label, section=sec.key))


def _items(g: Grid, sec: Section, form: Form) -> None:
    first = g.new_row("items-header")
    block = form.items.get(sec.key, {})
    label_cols = 1 if sec.label else 0
    if sec.label:
        g.add(Cell(first, 0, rowspan=1 + len(sec.items), text=sec.label, section=sec.key))
    col = label_cols
    for c in sec.columns:
        g.add(Cell(first, col, colspan=c.span, text=c.label, section=sec.key))
        col += c.span
    for it in sec.items:
        r = g.new_row("items")
        cells = block.get(it.name, {})
        col = label_cols
        for c in sec.columns:
            if c.key == "项目":
                g.add(Cell(r, col, colspan=c.span, text=it.name, section=sec.key))
            else:
                raw = cells.get(c.key, "")
                numeric = c.key in ("分值", "得分")
                text, val = score_text(raw) if numeric else (raw, None)
                kind = "score" if numeric else "longtext"
                if c.key == "分值":
                    if not raw and it.weight is not None:
                        val = it.weight
                    text, kind = weight_text(raw, val), "weight"
                g.add(Cell(r, col, colspan=c.span, text=text, raw=raw, value=val,
                           role="input", path=fields.item_path(sec.key, it.name, c.key),
                           kind=kind, align="center" if numeric else "left",
                           section=sec.key))
            col += c.span


def _table(g: Grid, sec: Section, form: Form) -> None:
    rows = form.tables.get(sec.key, [])
    n = max(1, len(rows))
    first = g.new_row("table-header")
    label_cols = 1 if sec.label else 0
    if sec.label:
        g.add(Cell(first, 0, rowspan=1 + n, text=sec.label, section=sec.key))
    col = label_cols
    for c in sec.columns:
        g.add(Cell(first, col, colspan=c.span, text=c.label, section=sec.key))
        col += c.span
    for i in range(n):
        r = g.new_row("table")
        row = rows[i] if i < len(rows) else {}
        col = label_cols
        for c in sec.columns:
            raw = row.get(c.key, "")
            g.add(Cell(r, col, colspan=c.span, text=raw, raw=raw, role="input",
                       path=fields.table_path(sec.key, i, c.key), kind="longtext", align="left", section=sec.key))
            col += c.span


def indicator_order(sec: Section, indicators: list[Indicator]) -> list[tuple[int | None, str, str]]:
    """Rows of the indicator grid as (index into the form's indicators or
    ``None`` for a listed-but-empty level, 一级, 二级)."""
    if not (sec.list_all_level1 or sec.list_all_level2):
        return [(i, ind.level1, ind.level2) for i, ind in enumerate(indicators)]
    out: list[tuple[int | None, str, str]] = []
    used: set[int] = set()
    for lv in sec.levels:
        in_level = [i for i, ind in enumerate(indicators) if ind.level1 == lv.name]
        if not in_level:
            if sec.list_all_level2:
                out.extend((None, lv.name, l2) for l2 in lv.level2)
            else:
                out.append((None, lv.name, ""))
            continue
        for l2 in lv.level2:
            rows = [i for i in in_level if indicators[i].level2 == l2]
            if rows:
                out.extend((i, lv.name, l2) for i in rows)
            elif sec.list_all_level2:
                out.append((None, lv.name, l2))
            used.update(rows)
        rest = [i for i in in_level if i not in used]
        out.extend((i, lv.name, indicators[i].level2) for i in rest)
        used.update(rest)
    out.extend((i, ind.level1, ind.level2) for i, ind in enumerate(indicators) if i not in used)
    return out


def _indicators(g: Grid, sec: Section, form: Form, result: FormResult) -> None:
    label_cols = 1 if sec.label else 0
    header = g.new_row("indicator-header")
    order = indicator_order(sec, form.indicators)
    if sec.label:
        g.add(Cell(header, 0, rowspan=1 + max(1, len(order)), text=sec.label, section="indicators"))
    for j, c in enumerate(sec.columns):
        g.add(Cell(header, label_cols + j, text=c.label, section="indicators", bold=True))
    g.repeat_rows = (header, header)
    if not order:
        r = g.new_row("indicator")
        g.add(Cell(r, label_cols, colspan=len(sec.columns), text="（尚无绩效指标）", section="indicators"))
        return
    start = g.n_rows
    rows = [g.new_row("indicator") for _ in order]
    col_of = {c.key: label_cols + j for j, c in enumerate(sec.columns)}
    # merged 一级 / 二级 runs (a flat list has neither)
    for key, level_of in (("一级指标", lambda o: (o[1],)), ("二级指标", lambda o: (o[1], o[2]))):
        if key not in col_of:
            continue
        col = col_of[key]
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and level_of(order[j + 1]) == level_of(order[i]) and level_of(order[i])[-1]:
                j += 1
            idx = order[i][0]
            text = order[i][1] if key == "一级指标" else order[i][2]
            if idx is not None:  # as typed: 产出指标(50分) keeps its stated weight on the form
                text = form.indicators[idx].get(key).strip() or text
            path = fields.indicator_path(idx, key) if idx is not None else None
            g.add(Cell(start + i, col, rowspan=j - i + 1, text=text, raw=text, role="input" if path else "label",
                       path=path, section="indicators", indicator=idx))
            i = j + 1
    for n, (idx, _l1, _l2) in enumerate(order):
        r = rows[n]
        ind = form.indicators[idx] if idx is not None else None
        sc = result.indicators[idx] if idx is not None else None
        for c in sec.columns:
            if c.key in ("一级指标", "二级指标"):
                continue
            col = col_of[c.key]
            if ind is None or idx is None:
                g.add(Cell(r, col, section="indicators"))
                continue
            path = fields.indicator_path(idx, c.key)
            raw = ind.get(c.key)
            if c.key == "分值":
                val = parse_decimal(raw)
                g.add(Cell(r, col, text=weight_text(raw, val), raw=raw, value=val, role="input", path=path,
                           kind="weight", section="indicators", indicator=idx))
            elif c.key == "得分":
                assert sc is not None
                sugg = fmt2(sc.suggested) if sc.suggested is not None else ""
                val = sc.typed if raw else sc.suggested
                g.add(Cell(r, col, text=_score_display(raw) or sugg, raw=raw, suggestion=sugg, role="override",
                           path=path, kind="score", value=val, section="indicators", indicator=idx))
            elif c.key == "得分系数":
                assert sc is not None
                factor = sc.score_factor
                sugg = rate_text(factor, True)
                typed = typed_rate(raw) if raw else None
                val = typed if raw else factor
                g.add(Cell(r, col, text=_rate_display(raw, typed, True) or sugg, raw=raw, suggestion=sugg,
                           role="override", path=path, kind="rate", value=val, section="indicators", indicator=idx))
            elif c.key == "偏差度":
                assert sc is not None
                dev = sc.deviation if (ind.get("实际完成值") or "").strip() else None
                sugg = rate_text(dev, c.percent_sign) if dev is not None else ""
                typed = typed_rate(raw) if raw else None
                val = typed if raw else dev
                g.add(Cell(r, col, text=_rate_display(raw, typed, c.percent_sign) or sugg, raw=raw, suggestion=sugg,
                           role="override", path=path, kind="rate", value=val, section="indicators", indicator=idx))
            else:
                long_ = c.key in ("三级指标", "偏差原因分析及改进措施", "指标值设定依据")
                g.add(Cell(r, col, text=raw, raw=raw, role="input", path=path,
                           kind="longtext" if long_ else "text",
                           align="left" if c.key in ("偏差原因分析及改进措施", "指标值设定依据") else "center",
                           section="indicators", indicator=idx))


def _total(g: Grid, template: Template, sec: Section, form: Form, result: FormResult) -> None:
    r = g.new_row("total")
    w = g.n_cols
    fd_ind = template.form(form.kind).indicators
    assert fd_ind is not None
    label_cols = 1 if fd_ind.label else 0
    weight_col = label_cols + next(j for j, c in enumerate(fd_ind.columns) if c.key == "分值")
    score_col = label_cols + next(j for j, c in enumerate(fd_ind.columns) if c.key == "得分")
    span = min(sec.span, weight_col, score_col)
    g.add(Cell(r, 0, colspan=span, text=sec.label or "总分", section="total", bold=True))
    cols = sorted({weight_col, score_col})
    # blanks between the label and the figures, and after them
    col = span
    for target in cols:
        if target > col:
            g.add(Cell(r, col, colspan=target - col, section="total"))
        if target == weight_col:
            g.add(Cell(r, target, text=weight_text("", result.weight_total), value=result.weight_total,
                       role="computed", kind="weight", section="total", bold=True))
        else:
            g.add(_total_cell(r, target, form, result, section="total", bold=True))
        col = target + 1
    if col < w:
        g.add(Cell(r, col, colspan=w - col, section="total"))


def _anything_scored(result: FormResult) -> bool:
    """Whether the form's total adds up at least one score (typed or computed)."""
    if result.execution_effective is not None or any(sc.effective is not None for sc in result.indicators):
        return True
    return any(s is not None for block in result.items.values() for _w, s in block.values())


def _total_cell(r: int, col: int, form: Form, result: FormResult, *, colspan: int = 1, section: str,
                bold: bool = False) -> Cell:
    """The form's 总分: what the officer typed, else Σ得分 (capped where the template caps it)."""
    raw = form.total
    # nothing scored yet (an empty form): the 总分 stays blank rather than print 0.00
    total = result.total if _anything_scored(result) else None
    sugg = fmt2(total) if total is not None else ""
    return Cell(r, col, colspan=colspan, text=_score_display(raw) or sugg, raw=raw, suggestion=sugg, role="override",
                path=fields.TOTAL, kind="score", value=parse_decimal(raw) if raw else total, section=section,
                bold=bold)


def _signoff(g: Grid, doc: Document, fd: FormDef) -> None:
    g.new_row("spacer")
    w = g.n_cols
    if fd.unit_lines:
        r = g.new_row("signoff")
        g.add(Cell(r, 0, colspan=w, text=f"填报单位（盖章）：{doc.unit}", role="note", border=False, align="left",
                   section="signoff"))
    labels = fd.signoff_labels
    if not labels:
        return
    r = g.new_row("signoff")
    spans = _split(w, len(labels))
    col = 0
    for label, span in zip(labels, spans, strict=True):
        value = doc.signoff.get(label, "")
        g.add(Cell(r, col, colspan=span, text=f"{label}：{value}", role="note", border=False, align="left",
                   section="signoff", path=fields.signoff_path(label), raw=value))
        col += span


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    spans = [base + (1 if i < extra else 0) for i in range(parts)]
    return [s for s in spans if s > 0]


# ------------------------------------------------------------------ the summary table


def _plain_figure(value: Decimal) -> str:
    """Two decimals at most, trailing zeros dropped, no separators: ``150``, ``43.2``, ``94.86``."""
    text = fmt2(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


class _SummaryFigures:
    """Figures of the 汇总表 in the template's style (``summary.figures``)."""

    def __init__(self, spec: SummarySpec) -> None:
        self.plain = spec.figures == "plain"

    def money(self, v: Decimal | None) -> str:
        if v is None:
            return ""
        return _plain_figure(v) if self.plain else fmt_money(v)

    def rate(self, v: Decimal | None) -> str:
        if v is None:
            return ""
        return f"{_plain_figure(v * HUNDRED)}%" if self.plain else rate_text(v, True)

    def score(self, v: Decimal | None) -> str:
        if v is None:
            return ""
        return _plain_figure(v) if self.plain else fmt2(v)


def summary_columns(doc: Document) -> list[tuple[str, SummaryColumn, str | None]]:
    """The printed columns of the 汇总表: (header text, column spec, 得分率 key for
    ``rates`` columns). Last year's columns only while a previous document is linked."""
    template = doc.template
    spec = template.summary
    rates = rate_columns(template) if "project" in template.forms else []
    out: list[tuple[str, SummaryColumn, str | None]] = []
    for c in spec.columns:
        if c.is_previous and doc.previous is None:
            continue
        if c.source == "rates":
            out.extend((c.label.format(name=k), c, k) for k in rates)
        else:
            out.append((c.label, c, None))
    return out


def _summary_value(c: SummaryColumn, rate_key: str | None, s: SummaryRow, n: int, fig: _SummaryFigures,
                   spec: SummarySpec) -> tuple[str, Decimal | None, str]:
    """(text, value, kind) of one data cell."""
    src = c.source
    if src == "index":
        return str(n), Decimal(n), "number"
    if src == "name":
        return s.项目名称, None, "longtext"
    if c.is_money:
        v = money_of(s, src)
        if v is None and c.header_key is not None:  # typed text that is not an amount: shown as typed
            return s.header.get(c.header_key, ""), None, "text"
        return fig.money(v), v, "money"
    if c.header_key is not None:
        return s.header.get(c.header_key, ""), None, "longtext"
    if src == "rate":
        return fig.rate(s.预算执行率), s.预算执行率, "rate"
    if src == "rates":
        key = rate_key or ""
        v = s.得分率.get(key)
        if v is None:  # a 一级 the form does not use: the template's mark; one not scored yet: blank
            return ("" if key in s.rated else spec.no_rate), None, "text"
        return fig.rate(v), v, "rate"
    if src == "score":
        return fig.score(s.自评得分), s.自评得分, "score"
    if src == "grade":
        return s.等级, None, "text"
    if src == "deviation":
        dev = s.是否有偏差项目
        return ("" if dev is None else "是" if dev else "否"), None, "text"
    if src == "previous.rate":
        return fig.rate(s.上年预算执行率), s.上年预算执行率, "rate"
    if src == "previous.score":
        return fig.score(s.上年自评得分), s.上年自评得分, "score"
    return "", None, "text"


def summary_grid(doc: Document, results: dict[str, FormResult] | None = None) -> Grid:
    """The 项目单位自评汇总表: one row per project, a 小计 per unit when it holds
    several units, the 合计; columns as the template's ``summary`` says."""
    spec = doc.template.summary
    fig = _SummaryFigures(spec)
    printed = summary_columns(doc)
    cols = [GridColumn(text, c.width) for text, c, _k in printed]
    g = Grid(title=spec.title, columns=cols, orientation="landscape")
    w = g.n_cols
    r = g.new_row("title")
    g.add(Cell(r, 0, colspan=w, text=spec.title, role="title", border=False, bold=True))
    if spec.year_line:
        r = g.new_row("title")
        g.add(Cell(r, 0, colspan=w, text=spec.year_line.format(year=doc.year), role="subtitle", border=False))
    if spec.unit_line or spec.money_note:
        r = g.new_row("note")
        half = max(1, w // 2) if spec.unit_line and spec.money_note else (w if spec.unit_line else 0)
        if spec.unit_line:
            g.add(Cell(r, 0, colspan=half, text=spec.unit_line.format(unit=doc.unit), role="note", border=False,
                       align="left"))
        if spec.money_note and half < w:
            g.add(Cell(r, half, colspan=w - half, text=spec.money_note, role="note", border=False, align="right"))
    header = g.new_row("indicator-header")
    for j, (text, _c, _k) in enumerate(printed):
        g.add(Cell(header, j, text=text, bold=True, section="summary"))
    g.repeat_rows = (header, header)
    srows = summary_rows(doc, results)
    money_sources = [c.source for _t, c, _k in printed if c.is_money]
    groups = summary_groups(srows, money_sources)
    n = 0
    for group in groups:
        for s in group.rows:
            n += 1
            r = g.new_row("summary")
            for j, (_t, c, key) in enumerate(printed):
                text, val, kind = _summary_value(c, key, s, n, fig, spec)
                g.add(Cell(r, j, text=text, value=val, kind=kind, role="computed", section="summary",
                           align="left" if kind == "longtext" else ("right" if kind == "money" else "center")))
        if spec.unit_subtotals and len(groups) > 1:
            _summary_sum_row(g, printed, fig, f"小计：{group.unit or '（未填单位）'}（{len(group.rows)}个项目）",
                             group.sums, group.rate)
    total = summary_total(srows, money_sources)
    units = f"{len(groups)}个单位，" if len(groups) > 1 else ""
    _summary_sum_row(g, printed, fig, f"合计（{units}{len(srows)}个项目）", total.sums, total.rate)
    return g


def _summary_sum_row(g: Grid, printed: list[tuple[str, SummaryColumn, str | None]], fig: _SummaryFigures,
                     label: str, sums: dict[str, Decimal | None], rate: Decimal | None) -> None:
    """A 小计 or 合计 row: the label over the leading text columns, the sums of the
    money columns, Σ执行数 / Σ预算数 under 预算执行率, the other cells blank."""
    r = g.new_row("total")
    figures = [j for j, (_t, c, _k) in enumerate(printed) if c.is_money or c.source == "rate"]
    span = max(1, figures[0] if figures else g.n_cols)
    g.add(Cell(r, 0, colspan=span, text=label, bold=True, section="summary"))
    for j in range(span, g.n_cols):
        c = printed[j][1]
        if c.is_money:
            v = sums.get(c.source)
            g.add(Cell(r, j, text=fig.money(v), value=v, kind="money", role="computed", align="right", bold=True,
                       section="summary"))
        elif c.source == "rate":
            g.add(Cell(r, j, text=fig.rate(rate), value=rate, kind="rate", role="computed", bold=True,
                       section="summary"))
        else:
            g.add(Cell(r, j, section="summary"))


def document_grids(doc: Document, form_ids: list[str] | None = None, *, include_summary: bool = True) -> list[Grid]:
    """Every form's grid in document order, then the 汇总表 (when there are projects)."""
    template = doc.template
    results = {f.id: score_form(template, template.form(f.kind), f) for f in doc.forms}
    grids = [form_grid(doc, f, results[f.id]) for f in doc.forms if form_ids is None or f.id in form_ids]
    if include_summary and doc.projects and (form_ids is None or "summary" in form_ids):
        grids.append(summary_grid(doc, results))
    return grids


def sheet_title(form: Form) -> str:
    return form.display_name()


def text_lines(text: str, width_units: float) -> int:
    """Rough count of wrapped lines for ``text`` in a column ``width_units``
    wide (Excel character units; a CJK character takes two)."""
    if not text:
        return 1
    lines = 0
    cap = max(2.0, width_units - 1)
    for para in normalize_text(text).split("\n") if not is_blank(text) else [text]:
        units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in para)
        lines += max(1, int(-(-units // cap)))
    return lines
