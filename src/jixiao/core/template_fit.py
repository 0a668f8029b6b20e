"""Which typed values of a form have no place in a template.

A form read from last year's file, or from a unit's file, may have been made
with another version of its template: a fund row, a block, an item or a
column may since have gone. Such values would be invisible on the grid and in
the exports, so carrying over lists them and merging refuses the file; this
module finds them (as field paths, :mod:`jixiao.core.fields`).
"""

from __future__ import annotations

from jixiao.core import fields
from jixiao.core.extras import EXTRAS, extras_section, shows_extra_fund_rows
from jixiao.core.model import Form
from jixiao.core.templates import FormDef, Template


def header_keys(template: Template, fd: FormDef) -> set[str]:
    """The header fields a form of ``fd`` shows: its own, and for projects the
    ones the 汇总表 prints (单位编码, 项目类型 … where the template has them)."""
    keys = set(fd.header_keys)
    if fd.kind == "project":
        keys |= set(template.summary.header_keys)
    return keys


def misfits(template: Template, form: Form) -> list[tuple[str, str]]:
    """(path, value) of every non-empty value of ``form`` that ``template`` has no cell for."""
    if form.kind not in template.forms:
        return [(fields.header_path(k), v) for k, v in form.header.items() if v]
    fd = template.form(form.kind)
    out: list[tuple[str, str]] = []
    known_header = header_keys(template, fd)
    out.extend((fields.header_path(k), v) for k, v in form.header.items() if v and k not in known_header)
    funds = fd.funds
    assert funds is not None
    rows = {r.key for r in funds.fund_rows}
    cols = {c.key for c in funds.columns}
    extra_shown = shows_extra_fund_rows(fd)  # a row the template lacks is shown as an extra row (core/extras.py)
    for row, cells in form.funds.items():
        for col, v in cells.items():
            if v and (col not in cols or (row not in rows and not extra_shown)):
                out.append((fields.fund_path(row, col), v))
    sections = {s.key: s for s in fd.sections}
    for key, block in form.texts.items():
        sec = sections.get(key)
        for col, v in block.items():
            if v and (sec is None or sec.type != "texts" or not sec.has_column(col)):
                out.append((fields.text_path(key, col), v))
    for key, items in form.items.items():
        sec = sections.get(key)
        names = {it.name for it in sec.items} if sec is not None and sec.type == "items" else set()
        for name, cells in items.items():
            for col, v in cells.items():
                if v and (sec is None or name not in names or not sec.has_column(col)):
                    out.append((fields.item_path(key, name, col), v))
    for key, table_rows in form.tables.items():
        sec = sections.get(key) or (extras_section(fd) if key == EXTRAS else None)  # 附加内容: shown too
        for i, row_cells in enumerate(table_rows):
            for col, v in row_cells.items():
                if v and (sec is None or sec.type != "table" or not sec.has_column(col)):
                    out.append((fields.table_path(key, i, col), v))
    ind = fd.indicators
    assert ind is not None
    for i, indicator in enumerate(form.indicators):
        for col, v in indicator.cells.items():
            if v and not ind.has_column(col):
                out.append((fields.indicator_path(i, col), v))
    return out
