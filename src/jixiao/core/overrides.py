"""Typed figures the engine would have computed anyway.

执行率, 得分, 偏差度 and 总分 cells show the engine's figure until the officer
types one (an *override*). A form read from a spreadsheet usually carries the
figures its officer typed by hand; those equal to the engine's, as printed, are
forgotten so the cells keep following the inputs. Any other typed figure stays,
and validation compares it with the rule.
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.core import fields
from jixiao.core.figures import fmt2, parse_decimal
from jixiao.core.model import Form
from jixiao.core.scoring import score_form
from jixiao.core.templates import Template


def drop_redundant_overrides(template: Template, form: Form, only: Iterable[str] | None = None) -> None:
    """Forget typed 执行率/得分/偏差度/总分 figures equal to the engine's (at two
    decimals, with the template's percent-sign convention), so they keep
    following the inputs. ``only`` limits this to those field paths."""
    fd = template.form(form.kind)
    res = score_form(template, fd, form)
    paths = set(only) if only is not None else None

    def want(path: str) -> bool:
        return paths is None or path in paths

    funds = fd.funds
    assert funds is not None
    pct = funds.rate_percent_sign
    for fr in funds.fund_rows:
        cells = form.funds.get(fr.key, {})
        r = res.funds.get(fr.key)
        if r is None:
            continue
        shown = fr.total or funds.rate_on_all_rows  # other rows print "—": a typed rate there is the officer's own
        if "执行率" in cells and shown and want(fields.fund_path(fr.key, "执行率")) and r.rate is not None:
            typed = parse_decimal(cells["执行率"], allow_percent=True)
            if typed is not None and fmt2(typed) == fmt2(r.rate * 100):
                if cells["执行率"].strip().endswith("%") == pct:
                    del cells["执行率"]
        if "得分" in cells and want(fields.fund_path(fr.key, "得分")) and r.score is not None:
            typed = parse_decimal(cells["得分"])
            if typed is not None and fmt2(typed) == fmt2(r.score):
                del cells["得分"]
    for i, ind in enumerate(form.indicators):
        sc = res.indicators[i] if i < len(res.indicators) else None
        if sc is None:
            continue
        raw = ind.get("得分")
        if raw and want(fields.indicator_path(i, "得分")) and sc.suggested is not None:
            typed = parse_decimal(raw)
            if typed is not None and fmt2(typed) == fmt2(sc.suggested):
                ind.set("得分", "")
        raw = ind.get("偏差度")
        shown = bool(ind.get("实际完成值").strip())  # the grid shows a 偏差度 once there is an actual
        if raw and shown and sc.deviation is not None and want(fields.indicator_path(i, "偏差度")):
            typed = parse_decimal(raw, allow_percent=True)
            if typed is not None and fmt2(typed) == fmt2(sc.deviation * 100) and raw.strip().endswith("%"):
                ind.set("偏差度", "")
    if form.total and want(fields.TOTAL):
        typed = parse_decimal(form.total)
        if typed is not None and fmt2(typed) == fmt2(res.total):
            form.total = ""
