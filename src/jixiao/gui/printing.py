"""打印预览 and 打印: draw the PDF writer's page plan (:mod:`jixiao.pdf.plan`)
with QPainter, so the preview and the printout are the PDF's pages exactly.

Both offer 缩放到一页 (the default: a form that fits one page at 80 % or more
prints on one page) and 实际大小 (100 %): a box in the preview's tool bar and
a 缩放 tab in the print dialog (where the platform's dialog shows one)."""

from __future__ import annotations

from PySide6.QtCore import QMarginsF, QPointF, QSizeF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPageLayout, QPageSize, QPainter, QPainterPath, QPen
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QRadioButton, QToolBar, QVBoxLayout, QWidget

from jixiao.core.model import Document
from jixiao.gui import dialogs, screen_fit, style

MM_PER_INCH = 25.4
PT_PER_INCH = 72.0
SCALE_CHOICES = (("缩放到一页", True), ("实际大小", False))  # label, fit


def plan_pages(doc: Document, form_ids: list[str] | None = None, *, fit: bool = True) -> list:
    from jixiao.pdf.plan import plan_document

    return plan_document(doc, form_ids, fit=fit)


def _layout_for(page) -> QPageLayout:
    landscape = page.width > page.height
    w, h = (page.height, page.width) if landscape else (page.width, page.height)
    size = QPageSize(QSizeF(w, h), QPageSize.Unit.Millimeter, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    return QPageLayout(size, QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
                       QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


_fallback_families: dict[str, str] = {}


def _family_of(key: str | None, bundled: str) -> str:
    """The Qt family of a run's face: the bundled font, or a fallback face registered on first use."""
    if not key:
        return bundled
    fam = _fallback_families.get(key)
    if fam is None:
        from jixiao.fonts import fallback_by_key

        face = fallback_by_key(key)
        fam = bundled
        if face is not None:
            fid = QFontDatabase.addApplicationFont(str(face.path))
            families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
            if families:
                fam = families[min(face.index, len(families) - 1)]
        _fallback_families[key] = fam
    return fam


def render_pages(printer: QPrinter, pages: list) -> None:
    """Paint ``pages`` (jixiao.pdf.geometry.Page) onto ``printer``, one printer page each."""
    if not pages:
        return
    printer.setFullPage(True)
    printer.setPageLayout(_layout_for(pages[0]))
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("无法开始打印（打印机不可用）")
    try:
        fonts: dict = {}
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


def paint_page(painter: QPainter, page, fonts: dict) -> None:
    """Draw one page onto ``painter``, whose coordinates are millimetres from the
    paper's top-left corner (``fonts`` caches the fonts between pages)."""
    from jixiao.pdf.geometry import BOLD_STROKE

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
        fam = _family_of(t.font, family)
        font = fonts.get((fam, t.size))
        if font is None:
            font = QFont(fam)
            font.setPointSizeF(t.size)
            font.setKerning(False)
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            fonts[(fam, t.size)] = font
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


_EM: dict[str, float] = {}


def _em_units(font: QFont) -> float:
    """The em size, in the units QPainterPath.addText uses for ``font`` (its pixel size);
    memoised by the font's attributes (``QFont.key()``), never by ``id(font)``, which
    Python reuses for fonts created one after another."""
    from PySide6.QtGui import QFontMetricsF, QRawFont

    key = font.key()
    v = _EM.get(key)
    if v is None:
        raw = QRawFont.fromFont(font)
        if raw.isValid() and raw.pixelSize() > 0:
            v = raw.pixelSize()
        else:  # no raw font: estimate from the metrics (rounded to whole pixels)
            v = QFontMetricsF(font).height() / max(1e-6, _height_ratio(font))
        _EM[key] = v
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


def _pages_or_error(parent: QWidget | None, doc: Document, fit: bool = True):
    try:
        return dialogs.run_task(parent, "正在排版打印页面…", lambda: plan_pages(doc, fit=fit))
    except dialogs.TaskFailed as exc:
        dialogs.show_error(parent, "打印失败", f"无法生成打印页面：\n{exc}")
        return None


def scale_box(parent: QWidget | None = None) -> QComboBox:
    box = QComboBox(parent)
    box.setObjectName("printScale")
    for label, fit in SCALE_CHOICES:
        box.addItem(label, fit)
    box.setToolTip("缩放到一页：能以 80% 以上比例放进一页的表打印在一页上；实际大小：按 100% 打印")
    return box


def form_pages(pages: list) -> list[tuple[str | None, int, int]]:
    """(form id, page number within the form, the form's page count) of each page:
    the numbering the pages' footers print (“第 N 页 共 M 页”, counted within each form)."""
    out: list[tuple[str | None, int, int]] = []
    start = 0
    for i, page in enumerate(pages):
        if i == len(pages) - 1 or pages[i + 1].form_id != page.form_id:
            n = i - start + 1
            out.extend((page.form_id, k + 1, n) for k in range(n))
            start = i + 1
    return out


def form_titles(doc: Document) -> dict[str | None, str]:
    """The name of each printed form, as the preview's tool bar names the current page's form."""
    from jixiao.gui.ids import SUMMARY_ID

    names: dict[str | None, str] = {SUMMARY_ID: "项目单位自评汇总表"}  # (the plan's page id of the 汇总表)
    n = 0
    for f in doc.forms:
        if f.kind == "project":
            n += 1
            names[f.id] = f"{n}. {f.display_name()}"
        else:
            names[f.id] = f"部门整体：{f.display_name()}"
    return names


def page_caption(pages: list, index: int, titles: dict[str | None, str]) -> str:
    """What the preview's tool bar says of page ``index`` (0-based): its form and the
    number its footer prints, beside the preview's own count of all pages."""
    form_id, no, count = form_pages(pages)[index]
    title = titles.get(form_id, "")
    if len(title) > 24:
        title = title[:23] + "…"
    return f"{title}　第 {no} 页 共 {count} 页"


def preview_document(parent: QWidget | None, doc: Document) -> None:
    """打印预览. The pages' footers number each form on its own (“第 1 页 共 3 页”), as the
    official forms are printed and as the officer hands them in; the tool bar's page box
    counts every page of the print job (“5 / 22”), and the caption beside it names the
    current page's form and its number within it, so the two never disagree."""
    pages = _pages_or_error(parent, doc)
    if not pages:
        return
    printer = _make_printer()
    dlg = QPrintPreviewDialog(printer, parent)
    screen_fit.size_within_screen(dlg, 1100, 800)
    current = {"pages": pages}
    titles = form_titles(doc)
    dlg.paintRequested.connect(lambda pr: render_pages(pr, current["pages"]))
    box = scale_box(dlg)
    wid = dlg.findChild(QPrintPreviewWidget)
    where = QLabel(dlg)
    where.setObjectName("previewPageCaption")

    def describe() -> None:
        ps = current["pages"]
        dlg.setWindowTitle(f"打印预览（共 {len(ps)} 页，各表分别编页）")
        i = (wid.currentPage() if wid is not None else 1) - 1
        where.setText(f"第 {i + 1} / {len(ps)} 页　{page_caption(ps, i, titles)}（页脚按每张表分别编页）"
                      if 0 <= i < len(ps) else "")

    def rescale(_index: int) -> None:
        new = _pages_or_error(dlg, doc, bool(box.currentData()))
        if new:
            current["pages"] = new
            if wid is not None:
                wid.updatePreview()
            describe()

    def later(*_args: object) -> None:  # after the dialog has moved to the page it was asked for
        QTimer.singleShot(0, dlg, describe)

    box.currentIndexChanged.connect(rescale)
    if wid is not None:
        wid.previewChanged.connect(describe)  # (scrolling to another page)
    bar = dlg.findChild(QToolBar)
    if bar is not None:
        bar.addSeparator()
        bar.addWidget(QLabel(" 缩放："))
        bar.addWidget(box)
        for action in bar.actions():  # the dialog's own page buttons move without telling the preview's signal
            action.triggered.connect(later)
        for edit in bar.findChildren(QLineEdit):  # the page number typed into the tool bar
            edit.editingFinished.connect(later)
    lay = dlg.layout()
    if lay is not None:  # a line of its own below the pages: a full tool bar would hide it behind »
        where.setContentsMargins(6, 2, 6, 2)
        lay.addWidget(where)
    describe()
    dlg.exec()


def _scale_tab() -> tuple[QWidget, QRadioButton]:
    tab = QWidget()
    tab.setWindowTitle("缩放")
    lay = QVBoxLayout(tab)
    fit = QRadioButton("缩放到一页（能以 80% 以上比例放进一页的表打印在一页上）")
    actual = QRadioButton("实际大小（100%）")
    fit.setChecked(True)
    lay.addWidget(fit)
    lay.addWidget(actual)
    lay.addStretch(1)
    return tab, fit


def print_document(parent: QWidget | None, doc: Document) -> None:
    printer = _make_printer()
    dlg = QPrintDialog(printer, parent)
    dlg.setWindowTitle("打印")
    tab, fit = _scale_tab()
    dlg.setOptionTabs([tab])
    if dlg.exec() != QPrintDialog.DialogCode.Accepted:
        return
    pages = _pages_or_error(parent, doc, fit.isChecked())
    if not pages:
        return
    try:
        render_pages(printer, pages)
    except RuntimeError as exc:
        dialogs.show_error(parent, "打印失败", str(exc))
