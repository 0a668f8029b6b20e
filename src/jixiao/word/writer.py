"""Write a :class:`~jixiao.core.selfreport.Report` as a Word document.

Headings use Word's own heading styles (so the navigation pane shows the
outline), body paragraphs the 报告正文 style, tables are real Word tables
whose header row repeats on every page, placeholders 【请补充：…】 are
highlighted yellow so they are found and replaced before printing, and each
附表 is a landscape section with the form as a table. The page, the fonts and
the styles are those of :mod:`jixiao.word.styles`. The file is written
atomically.
"""

from __future__ import annotations

import io
import os
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import docx
from docx.enum.section import WD_SECTION

from jixiao.core.fileio import DocumentError, atomic_write
from jixiao.core.selfreport import KIND_NAMES, PLACEHOLDER, Appendix, Heading, PageBreak, Paragraph, Report, Run, Table
from jixiao.word import styles
from jixiao.word.grid import grid_fragments
from jixiao.word.ooxml import C, R, elements, paragraph, table

PARAGRAPH_STYLES = {"title": "报告标题", "subtitle": "报告副标题", "line": "报告信息", "body": "报告正文",
                    "label": "附表标注", "note": "表注"}
TITLE_STYLES = ("title", "subtitle", "line")
ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def _runs(runs: list[Run], bold: bool = False) -> list[R]:
    return [R(r.text, bold=bold, highlight=r.kind == PLACEHOLDER) for r in runs]


@lru_cache(maxsize=1)
def _blank() -> bytes:
    """An empty report document: styles, the first page's setup and the page-number footer (made once)."""
    d = docx.Document()
    styles.setup_styles(d)
    section = d.sections[0]
    styles.page_setup(section)
    styles.page_number_footer(d, section)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


class _Writer:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.d = docx.Document(io.BytesIO(_blank()))
        self.ids = styles.style_ids(self.d)
        self.body = self.d.element.body
        self.pending: list[str] = []  # body XML not parsed yet (parsed at once: fast)
        self.break_next = False
        self.landscape = False
        self.empty = True

    def add(self, fragment: str) -> None:
        self.pending.append(fragment)
        self.empty = False

    def flush(self) -> None:
        sect = self.body[-1]  # the body ends with the last section's w:sectPr
        for el in elements(self.pending):
            sect.addprevious(el)
        self.pending = []

    def new_section(self, landscape: bool) -> None:
        self.flush()
        styles.page_setup(self.d.add_section(WD_SECTION.NEW_PAGE), landscape=landscape)

    def portrait(self) -> None:
        if self.landscape:
            self.new_section(False)
            self.landscape = False
            self.break_next = False

    def para(self, style: str, runs: list[R], align: str | None = None) -> None:
        self.portrait()
        self.add(paragraph(self.ids[style], runs, align=align, page_break_before=self.break_next))
        self.break_next = False

    def write(self) -> docx.document.Document:
        props = self.d.core_properties
        props.title = self.report.title
        props.author = "jixiao 绩效自评表填报工具"
        props.subject = KIND_NAMES.get(self.report.kind, "")
        props.comments = "由 jixiao 根据自评表起草；【请补充：…】处须人工补写"
        props.language = "zh-CN"
        now = datetime.now(timezone.utc).replace(microsecond=0)
        props.created = props.modified = now
        after_title = False
        for block in self.report.blocks:
            is_title = isinstance(block, Paragraph) and block.style in TITLE_STYLES
            if after_title and not is_title and not isinstance(block, PageBreak):
                self.para("报告正文", [])  # GB/T 9704: a blank line under the title
            if isinstance(block, Paragraph):
                align = ALIGN.get(block.align) if block.style == "body" and block.align != "justify" else None
                self.para(PARAGRAPH_STYLES.get(block.style, "报告正文"), _runs(block.runs), align)
                after_title = block.style in TITLE_STYLES
                continue
            after_title = False
            if isinstance(block, Heading):
                name, _font = styles.HEADINGS.get(block.level, styles.HEADINGS[4])
                self.para(name, [R(block.number)] + _runs(block.runs))
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Appendix):
                self.appendix(block)
            elif isinstance(block, PageBreak):
                if self.landscape:
                    self.portrait()
                elif not self.empty:
                    self.break_next = True
        if self.empty:
            self.para("报告正文", [])
        self.flush()
        return self.d

    def table(self, t: Table) -> None:
        if t.caption:
            self.para("表题", [R(t.caption)])
        if t.note:
            self.para("表注", [R(t.note)])
        self.portrait()
        width = styles.text_width_mm(False)
        total = sum(t.widths) or float(len(t.widths))
        widths = [width * x / total for x in t.widths]
        rows = [[C([R(label, bold=True)]) for label in t.columns]]
        rows += [[C(_runs(c.runs, c.bold), c.align) for c in row] for row in t.rows]
        self.add(table(widths, rows, self.ids["表格文字"], header_rows=1))
        if self.break_next:  # a page break asked for just before a table
            self.break_next = False

    def appendix(self, a: Appendix) -> None:
        if self.empty:
            styles.page_setup(self.d.sections[0], landscape=True)
        else:
            self.new_section(True)
        self.landscape = True
        self.break_next = False
        self.add(paragraph(self.ids["附表标注"], [R(a.label)]))
        for fragment in grid_fragments(a.grid, styles.text_width_mm(True), self.ids):
            self.add(fragment)


def report_docx(report: Report) -> bytes:
    """The .docx bytes of ``report``."""
    buf = io.BytesIO()
    _Writer(report).write().save(buf)
    return buf.getvalue()


def write_docx(report: Report, path: str | os.PathLike) -> None:
    """Write ``report`` to ``path`` (.docx), atomically."""
    p = Path(path)
    if p.exists() and p.is_dir():
        raise DocumentError(f"无法导出 Word：“{p}”是一个文件夹")
    atomic_write(p, report_docx(report), backup=False, action="导出")
