"""自评报告: the narrative report drafted from the forms (issue 16).

:func:`build_report` turns a document into a :class:`Report` — numbered
headings, paragraphs, tables and the forms as 附表 — from the engine's
figures, the officer's own texts and the wording files under
``resources/reports/``. The Word writer (:mod:`jixiao.word`) and the PDF
writer (:mod:`jixiao.pdf.selfreport`) render the same report. No Qt, no
python-docx, no reportlab here.
"""

from jixiao.core.selfreport.builder import ReportError, build_report
from jixiao.core.selfreport.content import (
    FIGURE,
    OFFICER,
    ORDINAL,
    PLACEHOLDER,
    TEXT,
    Appendix,
    Block,
    Heading,
    PageBreak,
    Paragraph,
    Report,
    Run,
    Table,
    TableCell,
    WordingError,
)
from jixiao.core.selfreport.wording import KIND_NAMES, REPORT_KINDS, wording_for

__all__ = [
    "FIGURE", "OFFICER", "ORDINAL", "PLACEHOLDER", "TEXT", "KIND_NAMES", "REPORT_KINDS",
    "Appendix", "Block", "Heading", "PageBreak", "Paragraph", "Report", "ReportError", "Run", "Table", "TableCell",
    "WordingError", "build_report", "wording_for",
]
