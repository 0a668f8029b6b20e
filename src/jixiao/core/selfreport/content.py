"""The content of a 自评报告, independent of Word, PDF and Qt.

A :class:`Report` is a list of blocks: headings (already numbered), paragraphs
made of :class:`Run` objects, simple tables, the 附表 (a form's own
:class:`~jixiao.core.grid.Grid`, drawn as the form prints) and page breaks.
Each run says where its text comes from, so the writers can mark what the
officer still has to write and the tests can hold every figure against the
engine:

- ``text``: the report's own wording (from ``resources/reports/*.json``);
- ``figure``: a number from the engine, formatted as the forms print it,
  with its value in ``value``;
- ``officer``: what the officer typed into the forms, verbatim;
- ``placeholder``: what the data cannot say, ``【请补充：…】``;
- ``ordinal``: the number of an item in a list (①, 3), not a figure.

:func:`fill` builds runs from a wording phrase with named fields; the field
values are inserted as they are (never parsed as a format string or markup).
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Union

from jixiao.core.grid import Grid

TEXT, FIGURE, OFFICER, PLACEHOLDER, ORDINAL = "text", "figure", "officer", "placeholder", "ordinal"


class WordingError(Exception):
    """A wording file is missing, malformed or names a field that does not
    exist. The message is Chinese and names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    kind: str = TEXT
    value: Decimal | None = None  # the figure's value (a rate as a fraction)


@dataclass(slots=True)
class Paragraph:
    """One paragraph. ``style``: ``title`` (the report's title lines),
    ``subtitle`` (the year line), ``line`` (lines under the title), ``body``
    (indented by two characters), ``label`` (the 附表 label) or ``note``
    (a small line above a table, such as the unit)."""

    runs: list[Run]
    style: str = "body"
    align: str = "justify"  # justify | left | center | right

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(slots=True)
class Heading:
    level: int  # 1: 一、  2: （一）  3: 1.  4: （1）
    number: str  # "一、", "（二）", "3."
    runs: list[Run]

    @property
    def text(self) -> str:
        return self.number + "".join(r.text for r in self.runs)


@dataclass(slots=True)
class TableCell:
    runs: list[Run]
    align: str = "center"  # left | center | right
    bold: bool = False

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(slots=True)
class Table:
    """A simple ruled table: one header row, body rows, no merged cells.
    ``widths`` are relative column widths; ``total_rows`` trailing rows are
    totals (printed bold)."""

    columns: list[str]
    widths: list[float]
    rows: list[list[TableCell]]
    caption: str = ""  # printed above the table, centred
    note: str = ""  # printed above the table, right-aligned (金额单位：万元)


@dataclass(slots=True)
class Appendix:
    """A form printed as it is (附表): its grid, under a label."""

    label: str
    grid: Grid


@dataclass(slots=True)
class PageBreak:
    pass


Block = Union[Paragraph, Heading, Table, Appendix, PageBreak]  # noqa: UP007 - a runtime alias (Python 3.10)


@dataclass(slots=True)
class Report:
    kind: str  # department | project | execution
    title: str  # for the file's properties
    blocks: list[Block] = field(default_factory=list)
    form_ids: list[str] = field(default_factory=list)  # the forms it reports on

    def runs(self) -> list[Run]:
        """Every run of the report in order (paragraphs, headings, table cells)."""
        out: list[Run] = []
        for b in self.blocks:
            if isinstance(b, (Paragraph, Heading)):
                out.extend(b.runs)
            elif isinstance(b, Table):
                for row in b.rows:
                    for c in row:
                        out.extend(c.runs)
        return out

    @property
    def placeholders(self) -> int:
        return sum(1 for r in self.runs() if r.kind == PLACEHOLDER)

    def plain_text(self) -> str:
        """The report as plain text, one block per line (tables as tab-separated rows)."""
        lines: list[str] = []
        for b in self.blocks:
            if isinstance(b, (Paragraph, Heading)):
                lines.append(b.text)
            elif isinstance(b, Table):
                if b.caption:
                    lines.append(b.caption)
                lines.append("\t".join(b.columns))
                lines.extend("\t".join(c.text for c in row) for row in b.rows)
            elif isinstance(b, Appendix):
                lines.append(b.label)
        return "\n".join(lines)


# ------------------------------------------------------------------ phrases

Value = Union[str, Run, Sequence[Run]]  # noqa: UP007 - a runtime alias (Python 3.10)
_FORMATTER = string.Formatter()


def fill(phrase: str, values: Mapping[str, Value], where: str = "") -> list[Run]:
    """The runs of ``phrase`` (``"预算执行率为{执行率}。"``) with its fields
    replaced by ``values``: a string is report wording, a :class:`Run` or a
    list of runs is inserted as it is. Adjacent wording is merged.

    Raises :class:`WordingError` for a field the caller does not provide or
    a malformed phrase (the wording files are data; ``where`` names the entry)."""
    out: list[Run] = []
    try:
        parts = list(_FORMATTER.parse(phrase))
    except ValueError as exc:
        raise WordingError(f"报告措辞{where}格式错误：{exc}（“{phrase}”）") from exc
    for literal, name, spec, conv in parts:
        if literal:
            _append(out, Run(literal))
        if name is None:
            continue
        if spec or conv:
            raise WordingError(f"报告措辞{where}的字段“{{{name}}}”不应带格式说明（“{phrase}”）")
        if name not in values:
            known = "、".join(values) or "（无）"
            raise WordingError(f"报告措辞{where}使用了未知字段“{{{name}}}”（可用：{known}）")
        v = values[name]
        if isinstance(v, str):
            _append(out, Run(v))
        elif isinstance(v, Run):
            _append(out, v)
        else:
            for r in v:
                _append(out, r)
    return out


def _append(out: list[Run], run: Run) -> None:
    if not run.text:
        return
    if out and run.kind == TEXT and out[-1].kind == TEXT:
        out[-1] = Run(out[-1].text + run.text)
    else:
        out.append(run)


def join(items: Sequence[Sequence[Run]], sep: str) -> list[Run]:
    """Lists of runs joined by the wording ``sep``."""
    out: list[Run] = []
    for i, item in enumerate(items):
        if i:
            _append(out, Run(sep))
        for r in item:
            _append(out, r)
    return out
