"""Cell painting (ruled borders like the paper form) and editors:
a line editor, a combo box for 一级/二级 from the template, and a
multi-line editor for long text (Ctrl+Enter or clicking elsewhere commits)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QRect, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QComboBox,
    QCompleter,
    QFrame,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QWidget,
)

from jixiao.gui import style
from jixiao.gui.grid_model import CellRole

Hint = QAbstractItemDelegate.EndEditHint
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class LongTextEditor(QPlainTextEdit):
    """Multi-line editor. In goal/summary blocks Enter starts a new line;
    in indicator rows Enter commits (as in Excel) and Alt/Shift+Enter starts a new line.
    Ctrl+Enter always commits."""

    def __init__(self, parent: QWidget, enter_commits: bool):
        super().__init__(parent)
        self.enter_commits = enter_commits
        self.setFrameShape(QFrame.Shape.Box)
        self.setTabChangesFocus(True)
        self.setWordWrapMode(self.wordWrapMode())


class LevelCombo(QComboBox):
    def __init__(self, parent: QWidget, items: list[str]):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(items)
        comp = QCompleter(items, self)
        comp.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        comp.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(comp)


class GridDelegate(QStyledItemDelegate):
    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self._pen = QPen(style.RULE)
        self._pen.setWidth(1)
        self._pen.setCosmetic(True)

    # ------------------------------------------------------------ painting
    def paint(self, painter, option, index: QModelIndex) -> None:
        super().paint(painter, option, index)
        cell = index.data(CellRole)
        if cell is None or not cell.border:
            return
        r: QRect = option.rect
        painter.save()
        painter.setPen(self._pen)
        painter.drawLine(r.topRight(), r.bottomRight())
        painter.drawLine(r.bottomLeft(), r.bottomRight())
        model = index.model()
        if cell.col == 0:
            painter.drawLine(r.topLeft(), r.bottomLeft())
        above = model.cell(cell.row - 1, cell.col) if cell.row > 0 else None
        if above is None or not above.border:
            painter.drawLine(r.topLeft(), r.topRight())
        view = self.view
        if view.currentIndex().isValid() and model.cell_at(view.currentIndex()) is cell and view.hasFocus():
            pen = QPen(style.CURRENT_FRAME)
            pen.setWidth(2)
            painter.setPen(pen)
            painter.drawRect(r.adjusted(1, 1, -1, -1))
        painter.restore()

    # ------------------------------------------------------------ editors
    def level_items(self, index: QModelIndex) -> list[str] | None:
        cell = index.data(CellRole)
        if cell is None or not cell.path or not cell.path.startswith("indicators["):
            return None
        key = cell.path.rsplit(".", 1)[-1]
        model = index.model()
        s = model.session
        form = s.doc.form_by_id(model.form_id)
        sec = s.template.form(form.kind).indicators if form else None
        if sec is None:
            return None
        if key == "一级指标":
            return [lv.name for lv in sec.levels]
        if key == "二级指标":
            info = model.indicator_row(cell.row)
            lv = sec.level(info[1]) if info else None
            if lv is not None:
                return list(lv.level2)
            out: list[str] = []
            for lv in sec.levels:
                out.extend(x for x in lv.level2 if x not in out)
            return out
        return None

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        cell = index.data(CellRole)
        items = self.level_items(index)
        if items is not None:
            ed = LevelCombo(parent, items)
            ed.lineEdit().installEventFilter(self)
            return ed
        if cell is not None and cell.kind == "longtext":
            ed = LongTextEditor(parent, enter_commits=cell.section in ("indicators", "header"))
            ed.setFont(style.app_font())
            return ed
        ed = QLineEdit(parent)
        ed.setFrame(False)
        if cell is not None and cell.align == "right":
            ed.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return ed

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        text = "" if getattr(self.view, "replace_on_edit", False) else (index.data(Qt.ItemDataRole.EditRole) or "")
        if isinstance(editor, QComboBox):
            if editor.currentText() != text or editor.lineEdit().text() != text:
                editor.setEditText(text)
        elif isinstance(editor, QPlainTextEdit):
            if editor.toPlainText() != text:
                editor.setPlainText(text)
                editor.moveCursor(editor.textCursor().MoveOperation.End)
        elif isinstance(editor, QLineEdit):
            if editor.text() != text:
                editor.setText(text)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            text = editor.currentText()
        elif isinstance(editor, QPlainTextEdit):
            text = editor.toPlainText()
        elif isinstance(editor, QLineEdit):
            text = editor.text()
        else:  # pragma: no cover
            return
        if text != (index.data(Qt.ItemDataRole.EditRole) or ""):
            model.setData(index, text, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option, index: QModelIndex) -> None:
        r = QRect(option.rect)
        if isinstance(editor, QPlainTextEdit):
            vp = self.view.viewport().rect()
            r.setWidth(max(r.width(), 260))
            r.setHeight(min(max(r.height(), 110), max(110, vp.height() - 4)))
            if r.right() > vp.right():
                r.moveRight(vp.right())
            if r.bottom() > vp.bottom():
                r.moveBottom(vp.bottom())
        editor.setGeometry(r)

    # ------------------------------------------------------------ keys in editors
    def _commit(self, editor: QWidget, move: str | None) -> None:
        self.view.pending_move = move
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, Hint.NoHint)

    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            inner = isinstance(obj, QLineEdit) and isinstance(obj.parentWidget(), QComboBox)
            return False if inner else super().eventFilter(obj, event)
        editor = obj.parentWidget() if isinstance(obj, QLineEdit) and isinstance(obj.parentWidget(), QComboBox) else obj
        key, mods = event.key(), event.modifiers()
        M = Qt.KeyboardModifier
        if key in _ENTER:
            if isinstance(editor, LongTextEditor):
                if mods & M.ControlModifier or (editor.enter_commits and not mods & (M.ShiftModifier | M.AltModifier)):
                    self._commit(editor, "down")
                else:
                    editor.insertPlainText("\n")
                return True
            if isinstance(editor, QComboBox) and editor.view().isVisible():
                return False
            self._commit(editor, "up" if mods & M.ShiftModifier else "down")
            return True
        if key == Qt.Key.Key_Tab and not mods & M.ControlModifier:
            self._commit(editor, "right")
            return True
        if key == Qt.Key.Key_Backtab:
            self._commit(editor, "left")
            return True
        if key == Qt.Key.Key_Escape:
            self.view.pending_move = None
            self.closeEditor.emit(editor, Hint.RevertModelCache)
            return True
        if editor is not obj:
            return False
        return super().eventFilter(obj, event)
