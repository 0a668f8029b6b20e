"""Cell painting (ruled borders like the paper form), and the editors'
behaviour: Enter, Tab and Escape move and commit as in Excel. The editor
widgets themselves are in :mod:`jixiao.gui.editors`."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QPen, QPolygon
from PySide6.QtWidgets import QAbstractItemDelegate, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from jixiao.gui import style
from jixiao.gui.grid_model import CellRole, SeverityRole

CORNER = 8  # the finding mark in a cell's top-right corner, in pixels

Hint = QAbstractItemDelegate.EndEditHint
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class GridDelegate(QStyledItemDelegate):
    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self._pen = QPen(style.RULE)
        self._pen.setWidth(1)
        self._pen.setCosmetic(True)

    # ------------------------------------------------------------ painting
    def paint(self, painter, option, index: QModelIndex) -> None:
        cell = index.data(CellRole)
        r: QRect = option.rect
        if cell is not None and cell.rowspan > 1:
            # a merged 一级/二级 label whose rows are partly scrolled away: its text stays in view
            vis = r.intersected(self.view.viewport().rect())
            if vis.isValid() and vis != r:
                opt = QStyleOptionViewItem(option)
                opt.rect = vis
                super().paint(painter, opt, index)
            else:
                super().paint(painter, option, index)
        else:
            super().paint(painter, option, index)
        sev = index.data(SeverityRole)
        if sev:
            # a corner mark in the finding's colour: visible under the selection colour too
            painter.save()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(style.SEVERITY_FG.get(sev, style.PENDING_FG))
            tr = r.topRight()
            painter.drawPolygon(QPolygon([QPoint(tr.x() - CORNER, tr.y() + 1), QPoint(tr.x(), tr.y() + 1),
                                          QPoint(tr.x(), tr.y() + 1 + CORNER)]))
            if option.state & QStyle.StateFlag.State_Selected and sev != style.PENDING:
                pen = QPen(style.SEVERITY_FG.get(sev, style.PENDING_FG))
                pen.setWidth(2)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawLine(r.bottomLeft() + QPoint(2, -1), r.bottomRight() + QPoint(-2, -1))
            painter.restore()
        if cell is None or not cell.border:
            return
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
    def choices(self, index: QModelIndex) -> tuple[str, ...] | None:
        """The list the cell's dropdown offers (:func:`jixiao.core.choices.cell_choices`)."""
        from jixiao.core.choices import cell_choices

        cell = index.data(CellRole)
        model = index.model()
        if cell is None or not cell.path or getattr(model, "is_summary", False):
            return None
        s = model.session
        form = s.doc.form_by_id(model.form_id)
        if form is None:
            return None
        return cell_choices(s.template.form(form.kind), form, cell.path)

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        from jixiao.gui.editors import ChoiceCombo, LineEditor, LongTextEditor

        cell = index.data(CellRole)
        items = self.choices(index)
        if items is not None:
            ed = ChoiceCombo(parent, list(items))
            ed.lineEdit().installEventFilter(self)
            return ed
        if cell is not None and cell.kind == "longtext":
            ed = LongTextEditor(parent)
            ed.setFont(style.app_font())
            ed.textChanged.connect(lambda e=ed: self._grow(e))
            return ed
        ed = LineEditor(parent, align_right=cell is not None and cell.align == "right")
        ed.textChanged.connect(lambda _t, e=ed: self._grow(e))
        return ed

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        text = "" if getattr(self.view, "replace_on_edit", False) else (index.data(Qt.ItemDataRole.EditRole) or "")
        editor.set_text_value(text)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        text = editor.text_value()
        if text != (index.data(Qt.ItemDataRole.EditRole) or ""):
            model.setData(index, text, Qt.ItemDataRole.EditRole)
            if getattr(editor, "warn_outside", False):
                self.warn_outside(index, text)

    def warn_outside(self, index: QModelIndex, text: str) -> None:
        """As Excel's data validation (warning style): a value typed outside a column's
        list is kept, and the status bar says so (一级/二级 have their own finding)."""
        from jixiao.core.choices import level_choices, outside_message

        cell = index.data(CellRole)
        items = self.choices(index)
        if cell is None or items is None:
            return
        model = index.model()
        form = model.session.doc.form_by_id(model.form_id)
        if form is not None and level_choices(model.session.template.form(form.kind), form, cell.path) is not None:
            return
        msg = outside_message(text, items)
        if msg:
            self.view.message.emit(msg)

    def updateEditorGeometry(self, editor: QWidget, option, index: QModelIndex) -> None:
        editor.setProperty("cellRect", QRect(option.rect))
        self._grow(editor)

    def _grow(self, editor: QWidget) -> None:
        """The in-cell editor covers its cell and grows with its text (down for long
        text, right for one line), staying inside the grid."""
        cell_rect = editor.property("cellRect")
        if not isinstance(cell_rect, QRect):
            return
        vp = self.view.viewport().rect()
        r = QRect(cell_rect)
        if editor.multiline:
            r.setWidth(max(r.width(), 260))
            r.setWidth(min(r.width(), vp.width()))
            if r.right() > vp.right():
                r.moveRight(vp.right())
            if editor.width() != r.width():
                editor.resize(r.width(), max(editor.height(), 10))
            r.setHeight(min(max(cell_rect.height(), editor.wanted_height()), max(cell_rect.height(), vp.height())))
            if r.bottom() > vp.bottom():
                r.moveBottom(vp.bottom())
            if r.top() < vp.top():
                r.moveTop(vp.top())
        elif hasattr(editor, "wanted_width"):
            r.setWidth(min(max(r.width(), editor.wanted_width()), max(r.width(), vp.right() - r.left())))
        if editor.geometry() != r:
            editor.setGeometry(r)

    # ------------------------------------------------------------ keys in editors
    def _commit(self, editor: QWidget, move: str | None) -> None:
        self.view.pending_move = move
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, Hint.NoHint)

    def eventFilter(self, obj, event) -> bool:
        from jixiao.gui.editors import ChoiceCombo, LongTextEditor  # loaded: an editor exists

        # the combo box's own line edit reports its keys here too
        inner = isinstance(obj.parentWidget(), ChoiceCombo)
        if event.type() != QEvent.Type.KeyPress:
            return False if inner else super().eventFilter(obj, event)
        editor = obj.parentWidget() if inner else obj
        key, mods = event.key(), event.modifiers()
        M = Qt.KeyboardModifier
        if key in _ENTER:
            # as in Excel: Enter confirms (Shift+Enter: and goes up, Ctrl+Enter: and stays),
            # Alt+Enter breaks the line
            if mods & M.AltModifier:
                if isinstance(editor, LongTextEditor):
                    editor.insertPlainText("\n")
                return True
            if isinstance(editor, ChoiceCombo) and editor.popup_visible():
                return False
            if mods & M.ControlModifier:
                self._commit(editor, None)
            else:
                self._commit(editor, "up" if mods & M.ShiftModifier else "down")
            return True
        if key == Qt.Key.Key_Tab and not mods & M.ControlModifier:
            self._commit(editor, "tab-right")
            return True
        if key == Qt.Key.Key_Backtab:
            self._commit(editor, "tab-left")
            return True
        if key == Qt.Key.Key_Escape:
            self.view.pending_move = None
            self.closeEditor.emit(editor, Hint.RevertModelCache)
            return True
        if editor is not obj:
            return False
        return super().eventFilter(obj, event)
