"""Draw the page plan of :mod:`jixiao.pdf.plan` into a PDF with reportlab.

This is the one module that uses reportlab. The bundled TrueType font (and any
fallback face a page needs) is embedded as subsets, text is drawn literally
with text objects (nothing is parsed as markup), a run drawn with look-alike
glyphs carries the officer's text as ``/ActualText``, and the output is
deterministic (reportlab's ``invariant`` mode): the same document gives the
same bytes on every machine. Files are written atomically.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jixiao.core.fileio import DocumentError, atomic_write
from jixiao.core.model import Document
from jixiao.fonts import TrueTypeFont, cjk_font_path
from jixiao.pdf.findings import REPORT_TITLE, plan_findings
from jixiao.pdf.geometry import BOLD_STROKE, Page, TextRun
from jixiao.pdf.plan import FONT_NAME, fallback_faces, plan_document, unprintable

MM = 72.0 / 25.4  # points per millimetre

_lock = threading.Lock()
_registered: dict[str, str] = {}  # font key ("" for the bundled font) -> reportlab name


def ensure_font() -> str:
    """Register the bundled TrueType font with reportlab (once) and return its name.

    Raises :class:`jixiao.core.fileio.DocumentError` when the font is missing or unreadable.
    """
    name = _registered.get("")
    if name is not None:
        return name
    with _lock:
        if "" in _registered:
            return _registered[""]
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        path = cjk_font_path()
        try:
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))
        except Exception as exc:  # reportlab raises TTFError, OSError, struct errors …
            raise DocumentError(f"无法加载内置中文字体 {path.name}：{exc}。请重新安装本程序") from exc
        _registered[""] = FONT_NAME
    return FONT_NAME


def _fallback_name(face: TrueTypeFont) -> str | None:
    """Register a fallback face with reportlab; None when reportlab cannot embed it."""
    name = _registered.get(face.key)
    if name is not None:
        return name or None
    with _lock:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        name = f"JixiaoFallback{len(_registered)}"
        try:
            pdfmetrics.registerFont(TTFont(name, str(face.path), subfontIndex=face.index))
        except Exception:  # noqa: BLE001  (a font reportlab cannot embed: draw the placeholder instead)
            name = ""
        _registered[face.key] = name
    return name or None


def _utf16_hex(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def render_pages(pages: Iterable[Page], *, title: str = "", subject: str = "") -> bytes:
    """The PDF bytes of ``pages``."""
    from reportlab import rl_config
    from reportlab.pdfgen import canvas

    rl_config.useA85 = 0  # compressed page streams stay binary: smaller, and no slow ASCII85 pass
    ensure_font()
    pages = list(pages)
    if not pages:
        raise DocumentError("没有可导出的表：所选范围内没有任何表")
    names = {key: _fallback_name(face) for key, face in fallback_faces(pages).items()}
    buf = io.BytesIO()
    first = pages[0]
    c = canvas.Canvas(buf, pagesize=(first.width * MM, first.height * MM), invariant=1, pageCompression=1,
                      initialFontName=FONT_NAME, initialFontSize=9)
    c.setTitle(title)
    c.setAuthor("jixiao 绩效自评表填报工具")
    c.setCreator("jixiao")
    c.setSubject(subject)
    for page in pages:
        _draw_page(c, page, names)
        c.showPage()
    c.save()
    return buf.getvalue()


def _draw_page(c: Any, page: Page, names: dict[str, str | None]) -> None:
    h = page.height
    c.setPageSize((page.width * MM, page.height * MM))
    c.setStrokeColorRGB(0, 0, 0)
    c.setFillColorRGB(0, 0, 0)
    c.setLineCap(2)  # square caps close the corners of the boxes
    by_width: dict[float, list[str]] = {}
    for r in page.rules:  # one path per line width, written directly (reportlab formats numbers slowly)
        by_width.setdefault(r.width, []).append(
            f"{r.x1 * MM:.2f} {(h - r.y1) * MM:.2f} m {r.x2 * MM:.2f} {(h - r.y2) * MM:.2f} l")
    for width in sorted(by_width):
        c.setLineWidth(width)
        c._code.append("\n".join(by_width[width]) + " S")
    from reportlab.pdfbase.pdfmetrics import getFont

    doc, escape = c._doc, c._escape
    plain: list[str] = []  # the page's ordinary runs, written as one text object (reportlab's is slow)
    current: tuple[str, int, float] | None = None
    for t in page.texts:
        if not t.text:
            continue
        name = FONT_NAME
        text = t.text
        if t.font:
            fb = names.get(t.font)
            if fb is None:  # no face reportlab can embed: the placeholder, the text kept below
                from jixiao.fonts import PLACEHOLDER

                text = PLACEHOLDER * len(t.text)
                t = TextRun(t.x, t.y, text, t.size, t.bold, None, t.actual or t.text)
            else:
                name = fb
        if t.actual is None and not t.bold:
            if not plain:
                plain.append("BT")
                current = None
            font = getFont(name)
            plain.append(f"1 0 0 1 {t.x * MM:.3f} {(h - t.y) * MM:.3f} Tm")
            for subset, chunk in font.splitString(text, doc):
                if (name, subset, t.size) != current:
                    plain.append(f"{font.getSubsetInternalName(subset, doc)} {t.size:.3f} Tf")
                    current = (name, subset, t.size)
                plain.append(f"({escape(chunk)}) Tj")
            continue
        if plain:
            c._code.append("\n".join(plain) + "\nET")
            plain = []
        if t.actual is not None:
            c._code.append(f"/Span <</ActualText {_utf16_hex(t.actual)}>> BDC")
        obj = c.beginText(t.x * MM, (h - t.y) * MM)
        obj.setFont(name, t.size)
        if t.bold:
            c.setLineWidth(t.size * BOLD_STROKE)
            obj.setTextRenderMode(2)
            obj.textOut(text)
            obj.setTextRenderMode(0)
        else:
            obj.textOut(text)
        c.drawText(obj)
        if t.actual is not None:
            c._code.append("EMC")
    if plain:
        c._code.append("\n".join(plain) + "\nET")


def _write(path: str | os.PathLike[str], payload: bytes) -> None:
    p = Path(path)
    if p.exists() and p.is_dir():
        raise DocumentError(f"无法导出 PDF：“{p}”是一个文件夹")
    atomic_write(p, payload, backup=False, action="导出")


def write_pdf(doc: Document, path: str | os.PathLike[str], form_ids: list[str] | None = None, *,
              fit: bool = True) -> list[str]:
    """Every form of ``doc`` (or the chosen ones; ``"summary"`` is the 汇总表) as one
    print-ready A4 PDF. ``fit``: 缩放到一页 (default) or, False, 实际大小.

    Returns the characters of the officer's text that no available font could
    draw (printed as ``□``; the PDF's text keeps them), so the caller can say so."""
    pages = plan_document(doc, form_ids, fit=fit)
    if not pages:
        raise DocumentError("没有可导出的表：所选范围内没有任何表")
    title = f"{doc.unit} {doc.year}年度 预算绩效自评表" if doc.unit else f"{doc.year}年度 预算绩效自评表"
    _write(path, render_pages(pages, title=title, subject="预算绩效自评表"))
    return unprintable(pages)


def write_findings_pdf(doc: Document, path: str | os.PathLike[str]) -> list[str]:
    """The 校验报告: the findings of the live checks, grouped by form."""
    pages = plan_findings(doc)
    title = f"{doc.unit} {doc.year}年度 {REPORT_TITLE}" if doc.unit else REPORT_TITLE
    _write(path, render_pages(pages, title=title, subject=REPORT_TITLE))
    return unprintable(pages)
