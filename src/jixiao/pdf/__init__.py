"""Print-ready PDF of the forms.

The page plan is built in layers, each in its own module: :mod:`~jixiao.pdf.geometry`
(paper, margins, scale, the plan's drawing primitives), :mod:`~jixiao.pdf.metrics`
(glyph widths from the bundled font), :mod:`~jixiao.pdf.wrap` (line breaking),
:mod:`~jixiao.pdf.columns` (column widths), :mod:`~jixiao.pdf.paginate` (row
heights, page breaks, fit to page) and :mod:`~jixiao.pdf.plan` (the pages: a
backend-neutral list of :class:`~jixiao.pdf.geometry.Page` with rules and
already-wrapped text runs, in millimetres); :mod:`~jixiao.pdf.findings` lays
out the 校验报告. Only :mod:`jixiao.pdf.writer` uses reportlab, to draw the
pages into a PDF; the GUI draws the very same pages with QPainter for its print
preview and printing, and the Excel writer gives the workbook the same page
breaks. No Qt here.
"""

from jixiao.pdf.findings import plan_findings
from jixiao.pdf.geometry import Page, Rule, TextRun
from jixiao.pdf.plan import plan_document, plan_grid

__all__ = ["Page", "Rule", "TextRun", "plan_document", "plan_findings", "plan_grid"]
