"""A scrollable column of printed pages (:class:`jixiao.pdf.plan.Page`),
each painted with :func:`jixiao.gui.printing.paint_page` only when it first
comes into view: a 150-page report opens at once, portrait and landscape
pages side by side as they will print."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

GAP = 12  # px between pages
MAX_WIDTH = 900  # px: a portrait page is never drawn wider than this


class _Sheet(QWidget):
    def __init__(self, view: PageView, index: int) -> None:
        super().__init__()
        self.view = view
        self.index = index
        self.image: QImage | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        size = self.size()
        if self.image is None or self.image.size() != size:
            self.image = self.view.render(self.index, size)
        p = QPainter(self)
        p.drawImage(0, 0, self.image)
        p.end()


class PageView(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages: list[Any] = []
        self.fonts: dict[float, QFont] = {}
        self.rendered = 0  # pages painted so far (the test and the bench read it)
        self.setWidgetResizable(False)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundRole(self.backgroundRole())
        self.setStyleSheet("QScrollArea { background: #808080; }")
        self._build()

    def _build(self) -> None:
        holder = QWidget()
        holder.setStyleSheet("background: #808080;")
        self.sheets = [_Sheet(self, i) for i in range(len(self.pages))]
        for s in self.sheets:
            s.setParent(holder)
        self.setWidget(holder)
        self._place()

    def _place(self) -> None:
        """Stack the pages, centred, each at its size for the current width."""
        sizes = [self.sheet_size(s.index) for s in self.sheets]
        width = max([sz.width() for sz in sizes] + [self.viewport().width() - 2 * GAP]) + 2 * GAP
        y = GAP
        for s, sz in zip(self.sheets, sizes, strict=True):
            s.setGeometry((width - sz.width()) // 2, y, sz.width(), sz.height())
            y += sz.height() + GAP
        holder = self.widget()
        if holder is not None:
            holder.setFixedSize(width, max(y, self.viewport().height()))

    def set_pages(self, pages: list[Any]) -> None:
        self.pages = list(pages)
        self._build()
        self.verticalScrollBar().setValue(0)

    def page_count(self) -> int:
        return len(self.pages)

    def sheet_size(self, index: int) -> QSize:
        """Pixels for page ``index``: as wide as the view allows (a landscape 附表 fits too)."""
        avail = max(200, self.viewport().width() - 2 * GAP - 4)
        page = self.pages[index]
        px_per_mm = min(avail, MAX_WIDTH) / max(1.0, page.width)
        return QSize(round(page.width * px_per_mm), round(page.height * px_per_mm))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if getattr(self, "sheets", None) is not None:
            self._place()

    def render(self, index: int, size: QSize) -> QImage:
        """Page ``index`` painted at ``size`` pixels."""
        from jixiao.gui.printing import paint_page

        img = QImage(size, QImage.Format.Format_RGB32)
        img.fill(QColor("white"))
        page = self.pages[index]
        p = QPainter(img)
        p.scale(size.width() / page.width, size.height() / page.height)
        paint_page(p, page, self.fonts)
        p.end()
        self.rendered += 1
        return img
