"""Typed figures the engine would have computed anyway.

The computed cells of a form (执行率 and 得分 of the funds block, an indicator's
得分, 得分系数 and 偏差度, the 总分) show the engine's figure until the officer
types one (an *override*). A form read from a spreadsheet usually carries the
figures its officer typed by hand, or the ones our own export printed; those
equal to the engine's, as printed, are forgotten so the cells keep following
the inputs. Any other typed figure stays, and validation compares it with the
rule. Every computed column is treated alike: equal at two decimals and, for a
rate, written with the column's % convention.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

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
        if "执行率" in cells and shown and want(fields.fund_path(fr.key, "执行率")) and r.rate is not None \
                and _same(cells["执行率"], r.rate, pct):
            del cells["执行率"]
        if "得分" in cells and want(fields.fund_path(fr.key, "得分")) and r.score is not None \
                and _same(cells["得分"], r.score, None):
            del cells["得分"]
    ind_sec = fd.indicators
    assert ind_sec is not None
    dev_col = ind_sec.column("偏差度")
    dev_pct = dev_col.percent_sign if dev_col is not None else True
    for i, ind in enumerate(form.indicators):
        sc = res.indicators[i] if i < len(res.indicators) else None
        if sc is None:
            continue
        shown = bool(ind.get("实际完成值").strip())  # the grid shows a 偏差度 once there is an actual
        computed: tuple[tuple[str, Decimal | None, bool | None], ...] = (
            ("得分", sc.suggested, None),
            ("得分系数", sc.score_factor, True),  # 重庆 prints 得分系数(%) with its sign
            ("偏差度", sc.deviation if shown else None, dev_pct),
        )
        for col, value, percent in computed:
            raw = ind.get(col)
            if raw and value is not None and want(fields.indicator_path(i, col)) and _same(raw, value, percent):
                ind.set(col, "")
    if form.total and want(fields.TOTAL) and _same(form.total, res.total, None):
        form.total = ""


def _same(raw: str, value: Decimal, percent: bool | None) -> bool:
    """Whether a typed figure is the engine's ``value`` as the form prints it: equal at two
    decimals; a rate (``percent`` not None; ``value`` a fraction) written with the % sign
    exactly when its column prints one."""
    if percent is None:
        typed = parse_decimal(raw)
        return typed is not None and fmt2(typed) == fmt2(value)
    typed = parse_decimal(raw, allow_percent=True)
    return typed is not None and fmt2(typed) == fmt2(value * 100) and raw.strip().endswith("%") == percent
