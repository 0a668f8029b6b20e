"""The 编辑栏 above the grid (Excel's formula bar): where the current cell is, in
the form's words, and its full text, editable. Enter confirms, Alt+Enter breaks
the line, Esc goes back to the grid unchanged."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QSizePolicy, QWidget

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
MAX_LINES = 4
PLACE_WIDTH = 240  # the cell's name, elided to one line (in full in its tooltip)


class BarEditor(QPlainTextEdit):
    committed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.textChanged.connect(self._fit)
        self._fit()

    def _fit(self) -> None:
        """One line, growing to MAX_LINES with the text."""
        doc = self.document()
        lines = max(1, min(MAX_LINES, int(doc.size().height())))
        h = lines * self.fontMetrics().lineSpacing() + 2 * int(doc.documentMargin()) + 6
        if self.height() != h:
            self.setFixedHeight(h)

    def resizeEvent(self, e) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(e)
        self._fit()

    def keyPressEvent(self, e) -> None:  # noqa: N802 - Qt name
        if e.key() in _ENTER:
            if e.modifiers() & Qt.KeyboardModifier.AltModifier:
                self.insertPlainText("\n")
            elif not self.isReadOnly():
                self.committed.emit(self.toPlainText())
            else:
                self.cancelled.emit()
            e.accept()
            return
        if e.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            e.accept()
            return
        super().keyPressEvent(e)


class FormulaBar(QWidget):
    """``place`` names the cell; ``editor`` holds its full text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.setSpacing(4)
        self.place = QLabel(self)
        self.place.setObjectName("formulaPlace")
        self.place.setFixedWidth(PLACE_WIDTH)
        self.place.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.editor = BarEditor(self)
        self.editor.setAccessibleName("编辑栏")
        self.editor.setPlaceholderText("编辑栏：当前单元格的完整内容")
        lay.addWidget(self.place)
        lay.addWidget(self.editor, 1)
        self._text = ""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt name
        return QSize(120, super().minimumSizeHint().height())

    def show_cell(self, place: str, text: str, editable: bool) -> None:
        """Show a cell (not while the officer is typing in the bar)."""
        fm = self.place.fontMetrics()
        self.place.setText(fm.elidedText(place, Qt.TextElideMode.ElideMiddle, PLACE_WIDTH - 4))
        self.place.setToolTip(place)
        self._text = text
        if self.editor.hasFocus() and self.editor.toPlainText() != text:
            return
        self.editor.setReadOnly(not editable)
        if self.editor.toPlainText() != text:
            self.editor.setPlainText(text)

    def revert(self) -> None:
        self.editor.setPlainText(self._text)
