"""Print-ready PDF of the forms.

:mod:`jixiao.pdf.plan` lays every grid out on A4 pages (a backend-neutral
list of :class:`~jixiao.pdf.plan.Page` with rules and already-wrapped text
runs, in millimetres); :mod:`jixiao.pdf.writer` draws those pages with
reportlab, and the GUI draws the very same pages with QPainter for its print
preview and printing. No Qt here.
"""

from jixiao.pdf.plan import Page, Rule, TextRun, plan_document, plan_findings, plan_grid

__all__ = ["Page", "Rule", "TextRun", "plan_document", "plan_findings", "plan_grid"]
