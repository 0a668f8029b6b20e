"""What a cell's dropdown offers.

Two kinds of cells have a list of usual values: the 一级/二级 indicator cells
(the template's taxonomy: every 一级, the 二级 of the row's 一级) and any column
whose template entry lists ``choices`` (四川/重庆 指标性质 ``≥ ≤ = > < 定性``,
重庆 是否核心指标 ``是 否``). The list is a help, as Excel's data validation
with the *warning* style is: any other text may still be typed and is kept
(:func:`outside_choices` tells the editor to say so).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from jixiao.core.fields import parse_path
from jixiao.core.figures import normalize_text
from jixiao.core.templates import Column, FormDef, Section


class _Row(Protocol):
    @property
    def level1(self) -> str: ...


class _Form(Protocol):
    @property
    def indicators(self) -> Sequence[_Row]: ...


LEVEL1 = "一级指标"
LEVEL2 = "二级指标"


def _section(fd: FormDef, key: str, kinds: tuple[str, ...]) -> Section | None:
    for s in fd.sections:
        if s.key == key and s.type in kinds:
            return s
    return None


def column_of(fd: FormDef, path: str) -> Column | None:
    """The template column a value path belongs to (an indicator, fund, text,
    item or table column); ``None`` for header fields, the 总分 and unknown paths."""
    fp = parse_path(path)
    sec: Section | None = None
    if fp.kind == "indicator":
        sec = fd.indicators
    elif fp.kind == "fund":
        sec = fd.funds
    elif fp.kind == "text":
        sec = _section(fd, fp.section, ("texts",))
    elif fp.kind == "item":
        sec = _section(fd, fp.section, ("items",))
    elif fp.kind == "table":
        sec = _section(fd, fp.section, ("table",))
    if sec is None or not fp.column:
        return None
    return sec.column(fp.column)


def level_choices(fd: FormDef, form: _Form | None, path: str) -> tuple[str, ...] | None:
    """The names a 一级/二级 cell offers (the 二级 of its row's 一级, or every 二级
    when that 一级 is not the template's); ``None`` for any other cell."""
    fp = parse_path(path)
    sec = fd.indicators
    if fp.kind != "indicator" or sec is None or fp.column not in (LEVEL1, LEVEL2) or not sec.levels:
        return None
    if fp.column == LEVEL1:
        return tuple(lv.name for lv in sec.levels)
    level1 = ""
    if form is not None and fp.index is not None and fp.index < len(form.indicators):
        level1 = form.indicators[fp.index].level1
    lv = sec.level(level1) if level1 else None
    if lv is not None:
        return lv.level2
    out: list[str] = []
    for lv in sec.levels:
        out.extend(x for x in lv.level2 if x not in out)
    return tuple(out)


def cell_choices(fd: FormDef, form: _Form | None, path: str) -> tuple[str, ...] | None:
    """The values a cell's dropdown offers, or ``None`` when the cell has no list."""
    levels = level_choices(fd, form, path)
    if levels is not None:
        return levels
    col = column_of(fd, path)
    return col.choices if col is not None and col.choices else None


def outside_choices(text: str, choices: Sequence[str]) -> bool:
    """Whether a typed value is not one of the choices (full/half width and spaces
    aside: ``＝`` is ``=``); an empty cell is not outside."""
    t = normalize_text(text).replace(" ", "")
    if not t:
        return False
    return all(normalize_text(c).replace(" ", "") != t for c in choices)


def outside_message(text: str, choices: Sequence[str]) -> str | None:
    """What the status bar says after a value outside a cell's list was typed
    (the value is kept); ``None`` when the value is one of the choices."""
    if not outside_choices(text, choices):
        return None
    return f"“{text.strip()}”不是下拉列表中的值（{'、'.join(choices)}），已按输入保留，请确认"
