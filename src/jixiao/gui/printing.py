"""打印预览 and 打印: draw the PDF writer's page plan (:mod:`jixiao.pdf.plan`)
with QPainter, so the preview and the printout are the PDF's pages exactly."""

from __future__ import annotations

from PySide6.QtCore import QMarginsF, QPointF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPainterPath, QPen
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from jixiao.core.model import Document
from jixiao.gui import dialogs, style

MM_PER_INCH = 25.4
PT_PER_INCH = 72.0


def plan_pages(doc: Document, form_ids: list[str] | None = None) -> list:
    from jixiao.pdf.plan import plan_document

    return plan_document(doc, form_ids)


def _layout_for(page) -> QPageLayout:
    landscape = page.width > page.height
    w, h = (page.height, page.width) if landscape else (page.width, page.height)
    size = QPageSize(QSizeF(w, h), QPageSize.Unit.Millimeter, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    return QPageLayout(size, QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
                       QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def render_pages(printer: QPrinter, pages: list) -> None:
    """Paint ``pages`` (jixiao.pdf.plan.Page) onto ``printer``, one printer page each."""
    if not pages:
        return
    printer.setFullPage(True)
    printer.setPageLayout(_layout_for(pages[0]))
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("无法开始打印（打印机不可用）")
    try:
        fonts: dict[float, QFont] = {}
        for n, page in enumerate(pages):
            if n:
                printer.setPageLayout(_layout_for(page))
                printer.newPage()
            dpi_x, dpi_y = printer.logicalDpiX(), printer.logicalDpiY()
            painter.resetTransform()
            # work in millimetres from the paper's top-left corner
            painter.scale(dpi_x / MM_PER_INCH, dpi_y / MM_PER_INCH)
            paint_page(painter, page, fonts)
    finally:
        painter.end()


def paint_page(painter: QPainter, page, fonts: dict[float, QFont]) -> None:
    """Draw one page onto ``painter``, whose coordinates are millimetres from the
    paper's top-left corner (``fonts`` caches the fonts by size between pages)."""
    from jixiao.pdf.plan import BOLD_STROKE

    family = style.load_bundled_font() or ""
    mm_per_pt = MM_PER_INCH / PT_PER_INCH
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for r in page.rules:
        pen = QPen(QColor("black"))
        pen.setWidthF(r.width * mm_per_pt)
        pen.setCapStyle(Qt.PenCapStyle.SquareCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(r.x1, r.y1), QPointF(r.x2, r.y2))
    painter.setPen(QColor("black"))
    for t in page.texts:
        font = fonts.get(t.size)
        if font is None:
            font = QFont(family)
            font.setPointSizeF(t.size)
            font.setKerning(False)
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            fonts[t.size] = font
        path = QPainterPath()
        path.addText(QPointF(0, 0), font, t.text)
        # addText works in the font's device units: normalise to millimetres
        scale = (t.size * mm_per_pt) / _em_units(font)
        painter.save()
        painter.translate(t.x, t.y)
        painter.scale(scale, scale)
        if t.bold:
            pen = QPen(QColor("black"))
            pen.setWidthF(t.size * BOLD_STROKE * mm_per_pt / scale)
            painter.strokePath(path, pen)
        painter.fillPath(path, QColor("black"))
        painter.restore()


_EM: dict[int, float] = {}


def _em_units(font: QFont) -> float:
    """The em size, in the units QPainterPath.addText uses for ``font``."""
    from PySide6.QtGui import QFontMetricsF

    key = id(font)
    v = _EM.get(key)
    if v is None:
        v = _EM[key] = QFontMetricsF(font).height() / max(1e-6, _height_ratio(font))
    return v


def _height_ratio(font: QFont) -> float:
    """Ratio of the font's line height to its em, from the font's own metrics."""
    from PySide6.QtGui import QRawFont

    raw = QRawFont.fromFont(font)
    if raw.isValid() and raw.unitsPerEm():
        return (raw.ascent() + raw.descent()) / raw.pixelSize()
    return 1.0


def _make_printer() -> QPrinter:
    p = QPrinter(QPrinter.PrinterMode.HighResolution)
    p.setDocName("绩效自评表")
    return p


def _pages_or_error(parent: QWidget | None, doc: Document):
    try:
        return dialogs.run_task(parent, "正在排版打印页面…", lambda: plan_pages(doc))
    except dialogs.TaskFailed as exc:
        dialogs.show_error(parent, "打印失败", f"无法生成打印页面：\n{exc}")
        return None


def preview_document(parent: QWidget | None, doc: Document) -> None:
    pages = _pages_or_error(parent, doc)
    if not pages:
        return
    printer = _make_printer()
    dlg = QPrintPreviewDialog(printer, parent)
    dlg.setWindowTitle("打印预览")
    dlg.resize(1100, 800)
    dlg.paintRequested.connect(lambda pr: render_pages(pr, pages))
    dlg.exec()


def print_document(parent: QWidget | None, doc: Document) -> None:
    pages = _pages_or_error(parent, doc)
    if not pages:
        return
    printer = _make_printer()
    dlg = QPrintDialog(printer, parent)
    dlg.setWindowTitle("打印")
    if dlg.exec() != QPrintDialog.DialogCode.Accepted:
        return
    try:
        render_pages(printer, pages)
    except RuntimeError as exc:
        dialogs.show_error(parent, "打印失败", str(exc))
