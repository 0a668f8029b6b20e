"""The editors of grid cells: one line of text, a combo box for a cell with
a list of usual values (一级/二级 names, a column's ``choices`` such as 四川
指标性质; see :mod:`jixiao.core.choices`), and a multi-line editor for long
text. Each reads and writes its text the same way (:meth:`text_value`,
:meth:`set_text_value`), so the delegate treats them alike.

Kept apart from the delegate's painting: the first window draws the grid
without creating any editor, so these widget classes are set up only when the
officer first edits a cell.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QFrame, QLineEdit, QPlainTextEdit, QWidget


class LineEditor(QLineEdit):
    multiline = False

    def __init__(self, parent: QWidget, align_right: bool = False):
        super().__init__(parent)
        self.setFrame(False)
        if align_right:
            self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def text_value(self) -> str:
        return self.text()

    def set_text_value(self, text: str) -> None:
        if self.text() != text:
            self.setText(text)

    def insert_text(self, text: str) -> None:
        self.insert(text)

    def wanted_width(self) -> int:
        return self.fontMetrics().horizontalAdvance(self.text()) + 16


class ChoiceCombo(QComboBox):
    """The template's list for the cell, or any text typed (kept as typed)."""

    multiline = False
    warn_outside = True  # a value outside the list is kept, and the status bar says so

    def __init__(self, parent: QWidget, items: list[str]):
        super().__init__(parent)
        self.choices = list(items)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(items)
        comp = QCompleter(items, self)
        comp.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        comp.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(comp)

    def text_value(self) -> str:
        return self.currentText()

    def set_text_value(self, text: str) -> None:
        if self.currentText() != text or self.lineEdit().text() != text:
            self.setEditText(text)

    def insert_text(self, text: str) -> None:
        self.lineEdit().insert(text)

    def popup_visible(self) -> bool:
        return self.view().isVisible()


class LongTextEditor(QPlainTextEdit):
    """Multi-line editor, as Excel: Enter confirms, Alt+Enter breaks the line.
    It grows with its text (:meth:`wanted_height`); the delegate places it."""

    multiline = True

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.Box)
        self.setTabChangesFocus(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

    def wanted_height(self) -> int:
        """Height that shows all of the text at the current width."""
        doc = self.document()
        doc.setTextWidth(self.viewport().width())
        lines = max(1, int(doc.size().height()))  # QPlainTextDocumentLayout: in lines
        fm = self.fontMetrics()
        m = self.contentsMargins()
        return lines * fm.lineSpacing() + 2 * int(doc.documentMargin()) + m.top() + m.bottom() + 4

    def text_value(self) -> str:
        return self.toPlainText()

    def insert_text(self, text: str) -> None:
        self.insertPlainText(text)

    def set_text_value(self, text: str) -> None:
        if self.toPlainText() != text:
            self.setPlainText(text)
            self.moveCursor(self.textCursor().MoveOperation.End)
