"""A sheet read by its labels: where its forms are, and what becomes of every other cell.

A form starts at its name label (项目名称, or a 部门名称 label for the
department form); the first form also owns the rows above it. Each form is
read by :class:`~jixiao.excel.form_parser.FormParser`. Then no non-empty cell
is left behind: document-level words (titles, year, 填报单位, sign-off) are
taken first, dashes carry nothing, and any other cell a form's blocks did not
claim is kept in that form's 附加内容 block, paired with the label beside or
above it (``项目类别 | 1、部门预算项目 …``, ``自评等级 | 优``). A cell on a sheet
without any form cannot be placed: it is returned to the caller, which stops
the import and lists it.
"""

from __future__ import annotations

import re
import unicodedata

from jixiao.core.extras import EXTRAS, SEP, add_extra
from jixiao.core.figures import is_blank_mark, parse_decimal
from jixiao.core.model import Form
from jixiao.core.templates import Template
from jixiao.core.vocabulary import display_label, normalize_label, vocabulary
from jixiao.excel.doc_labels import DocFields, read_doc_labels
from jixiao.excel.form_parser import Block, FormParser
from jixiao.excel.sheets import Problems, Sheet, XCell

LABEL_MAX = 20  # a cell this short (normalised) may be the label of the cell beside it
COLON_LABEL_MAX = 12  # "项目负责人：查小兵": a label before a colon is at most this long
_COLON_LABEL_RE = re.compile(rf"^\s*([^:：\d\n]{{1,{COLON_LABEL_MAX}}})\s*[:：]\s*(.+)$", re.S)
UNIT_ANCHOR_GAP = 3  # 云南's "单位名称" a few rows above 项目名称 is the unit, not a department form


def parse_sheet(sh: Sheet, template: Template, doc: DocFields, problems: Problems,
                unplaced: list[tuple[Sheet, XCell]]) -> list[Form]:
    """The forms on ``sh`` (not a 汇总表: see :mod:`jixiao.excel.summary_sheet`). Cells
    that belong to no form are appended to ``unplaced``."""
    if not sh.cells:
        return []
    read_doc_labels(sh, template, doc)
    anchors = _anchors(sh, template)
    if not anchors:
        unplaced.extend((sh, x) for x in _remaining(sh))
        unplaced.extend((sh, k[1]) for k in doc.kept if k[0] is sh)
        return []
    forms: list[Form] = []
    last = max(sh.row_numbers)
    owners: list[tuple[int, Form | None]] = []  # (first row, form) of each block
    for i, (x, kind) in enumerate(anchors):
        first = sh.row_numbers[0] if i == 0 else x.row
        end = anchors[i + 1][0].row - 1 if i + 1 < len(anchors) else last
        if kind not in template.forms:
            problems.add(sh, x, f"模板“{template.name}”没有{'项目' if kind == 'project' else '部门整体'}自评表")
            owners.append((first, None))
            continue
        form = FormParser(Block(sh, kind, x, first, end), template, doc, problems).parse()
        forms.append(form)
        owners.append((first, form))
    by_form: dict[int, list[XCell]] = {}
    for x in _remaining(sh):
        owner = next((i for i in range(len(owners) - 1, -1, -1) if owners[i][0] <= x.row), 0)
        form = owners[owner][1]
        if form is None:
            unplaced.append((sh, x))
        else:
            by_form.setdefault(owner, []).append(x)
    for owner, cells in by_form.items():
        form = owners[owner][1]
        assert form is not None
        keep_leftovers(sh, form, cells, template, problems)
    for x, label, value in [k[1:] for k in doc.kept if k[0] is sh]:  # 联系电话 on a sign-off line
        owner = next((i for i in range(len(owners) - 1, -1, -1) if owners[i][0] <= x.row), 0)
        form = owners[owner][1] if owners else None
        if form is None:
            unplaced.append((sh, x))
        else:
            add_extra(form, label, value)
    return forms


def name_labels(template: Template, kind: str) -> frozenset[str]:
    """The labels a form of ``kind`` starts with: 项目名称 / the 部门名称 synonyms, and
    the template's own label for its name field (重庆's department form: 主管部门)."""
    out = {"项目名称"} if kind == "project" else set(vocabulary().normalized("header", "部门名称"))
    fd = template.forms.get(kind)
    if fd is not None:
        for sec in fd.sections:
            for row in sec.field_rows:
                prev = None
                for fc in row:
                    if fc.key == fd.name_key and prev:
                        out.add(normalize_label(prev))
                    prev = fc.label
    out.discard("")
    return frozenset(out)


def _project_header_labels(template: Template) -> frozenset[str]:
    fd = template.forms.get("project")
    if fd is None:
        return frozenset()
    return frozenset(normalize_label(fc.label) for sec in fd.sections for row in sec.field_rows for fc in row
                     if fc.label)


def _anchors(sh: Sheet, template: Template) -> list[tuple[XCell, str]]:
    projects, departments = name_labels(template, "project"), name_labels(template, "department")
    ambiguous = _project_header_labels(template) - projects  # 主管部门: a project's header line, or 重庆's name
    anchors: list[tuple[XCell, str]] = []
    for r in sh.row_numbers:
        for x in sh.row(r):
            n = x.norm
            if n in projects:
                anchors.append((x, "project"))
                break
            if n in departments and not sh.is_used(x):
                last = anchors[-1] if anchors else None
                if n in ambiguous and last is not None and last[1] == "project" \
                        and x.row - last[0].row <= UNIT_ANCHOR_GAP:
                    continue  # the project form's own header line
                anchors.append((x, "department"))
                break
    out = []
    for i, (x, kind) in enumerate(anchors):
        nxt = anchors[i + 1] if i + 1 < len(anchors) else None
        if kind == "department" and x.norm == "单位名称" and nxt is not None and nxt[1] == "project" \
                and nxt[0].row - x.row <= UNIT_ANCHOR_GAP:
            continue  # the unit's name in a project form's header
        out.append((x, kind))
    return out


def _remaining(sh: Sheet) -> list[XCell]:
    """Unclaimed cells that hold something (dashes are taken: they carry nothing)."""
    out = []
    for x in sh.unused():
        if not x.text or is_blank_mark(x.text):
            sh.use(x)
        else:
            out.append(x)
    return out


def _label_like(x: XCell, limit: int = LABEL_MAX) -> bool:
    if not isinstance(x.value, str) or "\n" in x.text:
        return False
    n = x.norm
    return 0 < len(n) <= limit and parse_decimal(x.text) is None and not _colon_split(x.text)[0]


def _colon_split(text: str) -> tuple[str, str]:
    """``"项目负责人：查小兵"`` → ``("项目负责人", "查小兵")``; ``("", text)`` when it is not a label and a value."""
    m = _COLON_LABEL_RE.match(unicodedata.normalize("NFC", text))
    if m is None:
        return "", text
    return m[1].strip(), m[2].strip()


def _leftover_tables(rows: dict[int, list[XCell]]) -> list[tuple[str, list[tuple[XCell, str]]]]:
    """Leftover cells that form a table of a block the template lacks (the central 部门整体 form's 年度主要任务:
    ``年度主要任务 | 任务名称 | 对应项目 | 预算数 | 执行数`` over rows of tasks): per table its title and each
    cell with its label, ``block·column`` (``年度主要任务·预算数``) for a value, ``""`` for a header cell.
    The rows taken are removed from ``rows``."""
    out: list[tuple[str, list[tuple[XCell, str]]]] = []
    order = sorted(rows)
    i = 0
    while i < len(order):
        head = rows[order[i]]
        body: list[int] = []
        cols = {x.col: x for x in head}
        if len(head) >= 3 and all(_label_like(x) for x in head):
            for r in order[i + 1:]:
                if r != (body[-1] if body else order[i]) + 1 or not {x.col for x in rows[r]} <= set(cols):
                    break
                body.append(r)
        used = {x.col for r in body for x in rows[r]}
        titles = [x for x in head if used and x.col < min(used)]
        columns = {c: x for c, x in cols.items() if c in used}
        if len(columns) < 2 or len(titles) + len(columns) != len(head):
            i += 1
            continue
        title = SEP.join(display_label(x.text) for x in titles)
        cells: list[tuple[XCell, str]] = [(x, "") for x in head]
        for r in body:
            for x in rows.pop(r):
                cells.append((x, SEP.join(t for t in (title, display_label(columns[x.col].text)) if t)))
        del rows[order[i]]
        out.append((title or display_label(head[0].text), cells))
        i += len(body) + 1
    return out


def keep_leftovers(sh: Sheet, form: Form, cells: list[XCell], template: Template, problems: Problems) -> None:
    """Keep unclaimed cells in the form's 附加内容, each with the label beside or above it."""
    rows: dict[int, list[XCell]] = {}
    for x in sorted(cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(x.row, []).append(x)
    for title, table in _leftover_tables(rows):
        for x, label in table:
            sh.use(x)
            if label:
                add_extra(form, label, x.text)
        problems.add(sh, table[0][0], f"表格“{title}”在模板“{template.name}”中没有对应的栏目，"
                                      f"已按列逐格保留在本表的“{EXTRAS}”中")
    pairs: list[tuple[XCell | None, XCell]] = []
    for r in sorted(rows):
        cs = rows[r]
        i = 0
        while i < len(cs):
            if i + 1 < len(cs) and _label_like(cs[i]):
                pairs.append((cs[i], cs[i + 1]))
                i += 2
            else:
                pairs.append((None, cs[i]))
                i += 1
    merged: list[tuple[XCell | None, XCell]] = []
    j = 0
    while j < len(pairs):
        lab, val = pairs[j]
        if lab is None and j + 1 < len(pairs) and _label_like(val, COLON_LABEL_MAX):
            nlab, nval = pairs[j + 1]
            alone = len(rows[val.row]) == 1 and len(rows[nval.row]) == 1
            if nlab is None and alone and nval.col == val.col and nval.row > val.row:
                merged.append((val, nval))  # a label with its text below it
                j += 2
                continue
        merged.append((lab, val))
        j += 1
    for lab, val in merged:
        sh.use(val)
        if lab is not None:
            sh.use(lab)
            label, text = display_label(lab.text), val.text
        else:
            label, text = _colon_split(val.text)
        add_extra(form, label, text)
        where = lab if lab is not None else val
        shown = label or (text if len(text) <= 20 else text[:20] + "…")
        problems.add(sh, where, f"“{shown}”在模板“{template.name}”中没有对应的栏目，已保留在本表的“{EXTRAS}”中")
