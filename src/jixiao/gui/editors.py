"""The editors of grid cells: one line of text, a combo box for 一级/二级
indicators offering the template's names, and a multi-line editor for long
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


class LevelCombo(QComboBox):
    """一级/二级 indicator names: the template's list, or any text typed."""

    multiline = False

    def __init__(self, parent: QWidget, items: list[str]):
        super().__init__(parent)
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

    def popup_visible(self) -> bool:
        return self.view().isVisible()


class LongTextEditor(QPlainTextEdit):
    """Multi-line editor. In goal/summary blocks Enter starts a new line;
    in indicator rows Enter commits (as in Excel) and Alt/Shift+Enter starts a new line.
    Ctrl+Enter always commits."""

    multiline = True

    def __init__(self, parent: QWidget, enter_commits: bool):
        super().__init__(parent)
        self.enter_commits = enter_commits
        self.setFrameShape(QFrame.Shape.Box)
        self.setTabChangesFocus(True)
        self.setWordWrapMode(self.wordWrapMode())

    def text_value(self) -> str:
        return self.toPlainText()

    def set_text_value(self, text: str) -> None:
        if self.toPlainText() != text:
            self.setPlainText(text)
            self.moveCursor(self.textCursor().MoveOperation.End)
