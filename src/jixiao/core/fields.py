"""Field paths: where a typed value lives in a form, and how a person names it.

This module is the one owner of the path notation; everything else builds paths
with the constructors below and reads them with :func:`parse_path`:

=================================  ============  =====================================
path                               kind          parts
=================================  ============  =====================================
``header.项目名称``                 ``header``    column = 项目名称
``funds.年度资金总额.全年预算数``     ``fund``      row = 年度资金总额, column = 全年预算数
``goals.预期目标``                  ``text``      section = goals, column = 预期目标
``资金管理情况.安排科学性.得分``      ``item``      section, row = 安排科学性, column = 得分
``年度主要任务[0].任务名称``          ``table``     section, index = 0, column = 任务名称
``indicators[3].得分``              ``indicator`` index = 3, column = 得分
``总分``                            ``total``
``@signoff.填表人``                 ``document``  section = signoff, column = 填表人
=================================  ============  =====================================

``@`` paths name document-level values shown on every form (the sign-off line;
the Excel writer also records ``@unit`` and ``@year``): they are not stored in a
form, so :meth:`jixiao.core.model.Form.get` does not know them.

A path names a cell by its *keys* (template keys, stable across versions); the
words a person reads come from :func:`describe`, which takes them from the
template (a section's label, a fund row's label, a column's label), so the
findings list, the 校验报告 and the status bar all call one cell by one name.

Imports nothing at run time but ``re`` and two light core modules (the
vocabulary's label cleaning, the 附加内容 names): the desktop app's first window may use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from jixiao.core.extras import EXTRA_LABEL, EXTRA_TEXT, EXTRAS
from jixiao.core.vocabulary import display_label

if TYPE_CHECKING:
    from jixiao.core.templates import FormDef, Section, Template


# What naming a cell needs of the model (jixiao.core.model imports this module,
# so it is described here structurally instead of imported).
class _Row(Protocol):
    def get(self, key: str) -> str: ...


class _Form(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def indicators(self) -> Sequence[_Row]: ...
    @property
    def tables(self) -> Mapping[str, Sequence[Mapping[str, str]]]: ...


class _Document(Protocol):
    @property
    def template(self) -> Template: ...
    @property
    def projects(self) -> Sequence[_Form]: ...
    def form_by_id(self, form_id: str) -> _Form | None: ...

HEADER = "header"
DOCUMENT = "@"
SIGNOFF = "signoff"
FUNDS = "funds"
INDICATORS = "indicators"
TOTAL = "总分"

_PATH_RE = re.compile(r"^(?P<head>[^.\[\]]+)(?:\[(?P<idx>\d+)\])?(?:\.(?P<rest>.+))?$")


@dataclass(frozen=True, slots=True)
class FieldPath:
    """One parsed path. ``kind`` is header | fund | text | item | table |
    indicator | total | other (a string no constructor makes)."""

    kind: str
    section: str = ""  # the section key (funds, goals, 资金管理情况 …) or the header/indicators head
    row: str = ""  # a fund row key or an item name
    index: int | None = None  # a table or indicator row
    column: str = ""  # the column key ("" for a whole indicator row)
    raw: str = ""

    def __str__(self) -> str:
        return self.raw


def header_path(key: str) -> str:
    return f"{HEADER}.{key}"


def fund_path(row: str, column: str) -> str:
    return f"{FUNDS}.{row}.{column}"


def text_path(section: str, column: str) -> str:
    return f"{section}.{column}"


def item_path(section: str, item: str, column: str) -> str:
    return f"{section}.{item}.{column}"


def table_path(section: str, index: int, column: str) -> str:
    return f"{section}[{index}].{column}"


def indicator_path(index: int, column: str = "") -> str:
    return f"{INDICATORS}[{index}]" + (f".{column}" if column else "")


def signoff_path(key: str) -> str:
    """A sign-off field (单位负责人, 财务负责人, 填表人, 填报日期) of the document."""
    return f"{DOCUMENT}{SIGNOFF}.{key}"


def split_path(path: str) -> tuple[str, int | None, str | None]:
    """(head, index, rest): the raw split every parser starts from."""
    m = _PATH_RE.match(path)
    if not m:
        return path, None, None
    idx = m["idx"]
    return m["head"], int(idx) if idx is not None else None, m["rest"]


def parse_path(path: str) -> FieldPath:
    """Read a path; never raises (an unknown shape is kind ``other``)."""
    if path == TOTAL:
        return FieldPath("total", raw=path)
    if path.startswith(DOCUMENT):
        what, _, key = path[1:].partition(".")
        return FieldPath("document", what, column=key, raw=path)
    head, idx, tail = split_path(path)
    rest = tail or ""
    if head == INDICATORS and idx is not None:
        return FieldPath("indicator", INDICATORS, index=idx, column=rest, raw=path)
    if idx is not None and rest:
        return FieldPath("table", head, index=idx, column=rest, raw=path)
    if idx is not None or not rest:
        return FieldPath("other", raw=path)
    if head == HEADER:
        return FieldPath("header", HEADER, column=rest, raw=path)
    row, dot, col = rest.partition(".")
    if head == FUNDS and dot:
        return FieldPath("fund", FUNDS, row=row, column=col, raw=path)
    if dot:
        return FieldPath("item", head, row=row, column=col, raw=path)
    return FieldPath("text", head, column=rest, raw=path)


def indicator_index(path: str) -> int | None:
    """The indicator row a path points into, or ``None``."""
    fp = parse_path(path)
    return fp.index if fp.kind == "indicator" else None


# ------------------------------------------------------------------ for people


def clean_label(label: str | None) -> str:
    """A template label as a name in running text (``其中：当年财政拨款`` → ``当年财政拨款``,
    ``上级资金(万元)`` → ``上级资金``); used by the 自评报告 too. The vocabulary's
    :func:`~jixiao.core.vocabulary.display_label`."""
    return display_label(label)


def _column_label(sec: Section | None, key: str) -> str:
    if sec is not None:
        col = sec.column(key)
        if col is not None and col.label:
            return display_label(col.label)
    return key


def _section(fd: FormDef | None, key: str) -> Section | None:
    if fd is None:
        return None
    for s in fd.sections:
        if s.key == key and s.type != "fields":
            return s
    return None


def describe(fd: FormDef | None, form: _Form | None, path: str, *, name_width: int = 16) -> str:
    """Where ``path`` is inside its form, in the form's own words:
    ``项目资金 · 年度资金总额 · 全年预算数``, ``第4条指标“科技项目数” · 得分``,
    ``年度履职目标 · 预期目标``, ``年度主要任务 第2行 · 任务名称``, ``总分``.
    ``""`` for a finding about the whole form."""
    if not path:
        return ""
    fp = parse_path(path)
    if fp.kind == "total":
        sec = fd.section("total") if fd is not None else None
        return display_label(sec.label) if sec is not None and sec.label else TOTAL
    if fp.kind == "header":
        return _header_label(fd, fp.column)
    if fp.kind == "document":
        return {SIGNOFF: f"签字栏 · {fp.column}", "unit": "填报单位", "year": "年度"}.get(fp.section, fp.raw)
    if fp.kind == "indicator":
        assert fp.index is not None
        name = ""
        if form is not None and fp.index < len(form.indicators):
            name = " ".join(form.indicators[fp.index].get("三级指标").split())
        if len(name) > name_width:
            name = name[:name_width] + "…"
        where = f"第{fp.index + 1}条指标" + (f"“{name}”" if name else "")
        if not fp.column:
            return where
        return f"{where} · {_column_label(fd.indicators if fd is not None else None, fp.column)}"
    sec = _section(fd, fp.section)
    sec_label = display_label(sec.label) if sec is not None and sec.label else fp.section
    if fp.kind == "fund":
        row = fp.row
        if sec is not None:
            for r in sec.fund_rows:
                if r.key == fp.row:
                    row = display_label(r.label)
                    break
        if row == sec_label:  # a block of one row named like the block (重庆 部门预算执行情况)
            return f"{sec_label} · {_column_label(sec, fp.column)}"
        return f"{sec_label} · {row} · {_column_label(sec, fp.column)}"
    if fp.kind == "text":
        if sec is not None and not sec.label:  # a footer row without a block label (四川 评价结论)
            return _column_label(sec, fp.column)
        return f"{sec_label} · {_column_label(sec, fp.column)}"
    if fp.kind == "item":
        return f"{sec_label} · {fp.row} · {_column_label(sec, fp.column)}"
    if fp.kind == "table":
        assert fp.index is not None
        if fp.section == EXTRAS and form is not None:  # name a kept row by its own label
            rows = form.tables.get(EXTRAS, [])
            label = rows[fp.index].get(EXTRA_LABEL, "") if fp.index < len(rows) else ""
            if label:
                return f"{EXTRAS}“{label}”" + ("" if fp.column == EXTRA_TEXT else f" · {fp.column}")
        return f"{sec_label} 第{fp.index + 1}行 · {_column_label(sec, fp.column)}"
    return " · ".join(p for p in re.split(r"[.\[\]]+", path) if p)


def _header_label(fd: FormDef | None, key: str) -> str:
    if fd is not None:
        for s in fd.sections:
            for row in s.field_rows:
                prev: str | None = None
                for c in row:
                    if c.key == key:
                        return display_label(prev or key)
                    prev = c.label
    return key


def form_label(doc: _Document, form: _Form | None) -> str:
    """A form as a person points at it: ``部门整体``, ``项目3“科技创新券”``; two projects
    whose names share a long prefix stay apart by their number."""
    if form is None:
        return "整份文档"
    if form.kind != "project":
        return "部门整体"
    name = form.name
    return f"项目{project_number(doc, form)}" + (f"“{name}”" if name else "（未命名）")


def project_number(doc: _Document, form: _Form) -> int:
    """A project's 序号 in the document (1-based, the 汇总表's order); 0 for a form that is no project of it."""
    return next((i for i, f in enumerate(doc.projects, start=1) if f is form), 0)


def locate(doc: _Document, form_id: str | None, path: str) -> str:
    """``form_label · describe``: a location readable without the form on screen."""
    form = doc.form_by_id(form_id) if form_id else None
    fd = doc.template.form(form.kind) if form is not None else None
    where = describe(fd, form, path)
    head = form_label(doc, form)
    return f"{head} · {where}" if where else head


def indicator_column_label(fd: FormDef | None, key: str) -> str:
    """The name a form gives one of its indicator columns, as :func:`describe` writes
    it (``偏差度``, 四川 ``未完成原因分析``); the key when the form has no such column."""
    return _column_label(fd.indicators if fd is not None else None, key)
