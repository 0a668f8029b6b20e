"""The 项目单位自评汇总表 sheet read back.

Its figures are computed from the project forms, so they are not imported. But
a template's 汇总表 may print fields of a project that its own form does not
(河南: 单位编码, 主管部门编码, 项目类型, 资金归口处室, 系统查询全年执行数): in a
workbook those live on the 汇总表 sheet alone, so they are read into the
projects' headers, each row matched to its project by 项目名称. A field the form
prints too (实施单位, 主管部门) is the form's: a different value on the 汇总表 is
reported, not taken. A row whose project has no form here is reported with the
values it holds, never dropped silently.
"""

from __future__ import annotations

from jixiao.core.figures import is_blank_mark
from jixiao.core.model import Form
from jixiao.core.templates import Template
from jixiao.core.vocabulary import normalize_label
from jixiao.excel.sheets import Problems, Sheet

HEADER_SEARCH_ROWS = 20  # the column headings sit below the title, year and unit lines


def form_header_keys(template: Template) -> set[str]:
    """Header fields the project form itself prints."""
    fd = template.forms.get("project")
    if fd is None:
        return set()
    return {c.key for s in fd.sections if s.type == "fields" for row in s.field_rows for c in row if c.key}


def read_summary_fields(sh: Sheet, template: Template, forms: list[Form], problems: Problems) -> int:
    """Take the header fields printed on the 汇总表 sheet ``sh`` into the matching
    project ``forms``; returns how many values were taken."""
    spec = template.summary
    name_cols = [c for c in spec.columns if c.source == "name"]
    header_cols = [c for c in spec.columns if c.header_key]
    if not name_cols or not header_cols:
        return 0
    name_norm = normalize_label(name_cols[0].label)
    wanted = {normalize_label(c.label): c.header_key for c in header_cols}
    header_row = name_col = None
    positions: dict[str, int] = {}
    for r in sh.row_numbers[:HEADER_SEARCH_ROWS]:
        row = sh.row(r)
        if any(x.norm == name_norm for x in row):
            header_row = r
            name_col = next(x.col for x in row if x.norm == name_norm)
            positions = {key: x.col for x in row if (key := wanted.get(x.norm)) is not None}
            break
    if header_row is None or name_col is None or not positions:
        return 0
    printed_on_form = form_header_keys(template)
    projects: dict[str, list[Form]] = {}
    for f in forms:
        if f.kind == "project" and f.name:
            projects.setdefault(normalize_label(f.name), []).append(f)
    taken = 0
    for r in sh.row_numbers:
        if r <= header_row:
            continue
        name_cell = sh.get(r, name_col)
        if name_cell is None or not name_cell.text.strip():
            continue  # a 合计 / 小计 row or a blank line
        values = {key: x.text for key, col in positions.items()
                  if (x := sh.get(r, col)) is not None and x.text.strip() and not is_blank_mark(x.text)}
        if not values:
            continue
        matches = projects.get(normalize_label(name_cell.text), [])
        if len(matches) != 1:
            what = "没有对应的项目表" if not matches else f"对应 {len(matches)} 张同名项目表"
            listed = "，".join(f"{k}：{v}" for k, v in values.items())
            problems.add(sh, name_cell, f"汇总表中的项目“{name_cell.text.strip()}”{what}，此行的 {listed} 未导入")
            continue
        form = matches[0]
        for key, value in values.items():
            current = form.header.get(key, "")
            if not current or (current != value and key not in printed_on_form):
                form.header[key] = value  # the 汇总表 is where this field is typed
                taken += 1
            elif current != value:
                problems.add(sh, sh.get(r, positions[key]),
                             f"项目“{form.name}”的{key}在汇总表中为“{value}”，项目表中为“{current}”，按项目表导入")
    return taken
