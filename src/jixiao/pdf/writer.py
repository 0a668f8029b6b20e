"""Draw the page plan of :mod:`jixiao.pdf.plan` into a PDF with reportlab.

The bundled TrueType font is embedded as subsets, text is drawn literally
with ``drawString``-style text objects (nothing is parsed as markup), and the
output is deterministic (reportlab's ``invariant`` mode): the same document
gives the same bytes on every machine. Files are written atomically.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path

from jixiao.core.fileio import DocumentError, atomic_write
from jixiao.core.model import Document
from jixiao.pdf.plan import BOLD_STROKE, FONT_NAME, REPORT_TITLE, Page, ensure_font, plan_document, plan_findings

MM = 72.0 / 25.4  # points per millimetre


def render_pages(pages: Iterable[Page], *, title: str = "", subject: str = "") -> bytes:
    """The PDF bytes of ``pages``."""
    from reportlab.pdfgen import canvas

    ensure_font()
    pages = list(pages)
    if not pages:
        raise DocumentError("没有可导出的表：所选范围内没有任何表")
    buf = io.BytesIO()
    first = pages[0]
    c = canvas.Canvas(buf, pagesize=(first.width * MM, first.height * MM), invariant=1, pageCompression=1,
                      initialFontName=FONT_NAME, initialFontSize=9)
    c.setTitle(title)
    c.setAuthor("jixiao 绩效自评表填报工具")
    c.setCreator("jixiao")
    c.setSubject(subject)
    for page in pages:
        _draw_page(c, page)
        c.showPage()
    c.save()
    return buf.getvalue()


def _draw_page(c, page: Page) -> None:
    h = page.height
    c.setPageSize((page.width * MM, page.height * MM))
    c.setStrokeColorRGB(0, 0, 0)
    c.setFillColorRGB(0, 0, 0)
    c.setLineCap(2)  # square caps close the corners of the boxes
    by_width: dict[float, list[tuple[float, float, float, float]]] = {}
    for r in page.rules:
        by_width.setdefault(r.width, []).append((r.x1 * MM, (h - r.y1) * MM, r.x2 * MM, (h - r.y2) * MM))
    for width in sorted(by_width):
        c.setLineWidth(width)
        c.lines(by_width[width])
    current: float | None = None
    for t in page.texts:
        if not t.text:
            continue
        if t.size != current:
            c.setFont(FONT_NAME, t.size)
            current = t.size
        if t.bold:
            c.setLineWidth(t.size * BOLD_STROKE)
            obj = c.beginText(t.x * MM, (h - t.y) * MM)
            obj.setFont(FONT_NAME, t.size)
            obj.setTextRenderMode(2)
            obj.textOut(t.text)
            obj.setTextRenderMode(0)
            c.drawText(obj)
        else:
            c.drawString(t.x * MM, (h - t.y) * MM, t.text)


def _write(path: str | os.PathLike, payload: bytes) -> None:
    p = Path(path)
    if p.exists() and p.is_dir():
        raise DocumentError(f"无法导出 PDF：“{p}”是一个文件夹")
    atomic_write(p, payload, backup=False, action="导出")


def write_pdf(doc: Document, path: str | os.PathLike, form_ids: list[str] | None = None) -> None:
    """Every form of ``doc`` (or the chosen ones; ``"summary"`` is the 汇总表) as one print-ready A4 PDF."""
    pages = plan_document(doc, form_ids)
    if not pages:
        raise DocumentError("没有可导出的表：所选范围内没有任何表")
    title = f"{doc.unit} {doc.year}年度 预算绩效自评表" if doc.unit else f"{doc.year}年度 预算绩效自评表"
    _write(path, render_pages(pages, title=title, subject="预算绩效自评表"))


def write_findings_pdf(doc: Document, path: str | os.PathLike) -> None:
    """The 校验报告: the findings of the live checks, grouped by form."""
    pages = plan_findings(doc)
    title = f"{doc.unit} {doc.year}年度 {REPORT_TITLE}" if doc.unit else REPORT_TITLE
    _write(path, render_pages(pages, title=title, subject=REPORT_TITLE))
