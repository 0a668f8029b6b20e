"""The spreadsheet-like view of one form: merged cells, ruled borders,
rows that grow with their text, Excel keys (Enter down, Tab right, Delete
clears, Ctrl+C / Ctrl+V tab-separated ranges)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QStyleOptionViewItem, QTableView

from jixiao.core.grid import Cell
from jixiao.gui import style
from jixiao.gui.clipboard import parse_tsv, to_tsv
from jixiao.gui.delegates import GridDelegate
from jixiao.gui.grid_model import GridModel, font_key

if TYPE_CHECKING:
    from PySide6.QtGui import QRawFont

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_PAD_H = 8
# Room left beside one line of text before it could wrap: the item view's text
# margins (3 px a side) and a few pixels to spare.
_FITS_SLACK = 12
MIN_FIT = 0.75  # narrower than this, the grid scrolls sideways instead
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


class GridView(QTableView):
    pasteRequested = Signal()
    copyRequested = Signal()
    clearRequested = Signal()
    message = Signal(str)  # a passing note for the status bar (a value typed outside a cell's list)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pending_move: str | None = None
        self.replace_on_edit = False
        # Excel: Tab, Tab, Enter goes to the next row in the column where the Tab run began
        self.tab_anchor: int | None = None
        self._moving = False
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        self.setItemDelegate(GridDelegate(self))
        self.setShowGrid(False)
        self.setWordWrap(True)
        self.setCornerButtonEnabled(False)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setMinimumSectionSize(8)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTabKeyNavigation(False)
        self.setAccessibleName("表格")
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Highlight, style.SELECTION_BG)
        pal.setColor(QPalette.ColorRole.HighlightedText, style.TEXT_FG)
        self.setPalette(pal)
        self._fit = 1.0
        self._fit_pending = False  # a fit asked for while hidden, done on the first show
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(60)
        self._fit_timer.timeout.connect(self.fit_columns)
        self._height_cache: dict[tuple, int] = {}
        self._heights_pending = False
        self._fm: dict[str, tuple[QFontMetrics, QRawFont]] = {}
        self._one_line: dict[str, int] = {}

    # ------------------------------------------------------------ model
    def grid_model(self) -> GridModel:
        return self.model()  # type: ignore[return-value]

    def setModel(self, model) -> None:  # noqa: N802 - Qt name
        super().setModel(model)
        self.selectionModel().currentChanged.connect(self._current_changed)
        model.structureChanged.connect(self.apply_structure)
        model.dataChanged.connect(self._data_changed)
        self.apply_structure()

    def _data_changed(self, *_args) -> None:
        # several dataChanged signals arrive per edit: recompute heights once
        if not self._heights_pending:
            self._heights_pending = True
            QTimer.singleShot(0, self._flush_heights)

    def _flush_heights(self) -> None:
        self._heights_pending = False
        self.update_row_heights()

    def apply_structure(self) -> None:
        m = self.grid_model()
        self.clearSpans()
        for c in m.grid.cells:
            if c.rowspan > 1 or c.colspan > 1:
                self.setSpan(c.row, c.col, c.rowspan, c.colspan)
        self.fit_columns(force=True)

    def base_widths(self) -> list[int]:
        columns = self.grid_model().grid.columns
        if not columns:
            return []
        unit = QFontMetrics(style.app_font()).horizontalAdvance("中") / 2.0
        return [int(col.width * unit * 1.08) + 8 for col in columns]

    def fit_columns(self, force: bool = False) -> None:
        """Column widths from the template, widened to fill the view, or narrowed (down
        to MIN_FIT) so that a wide table (the 汇总表) fits a small screen.

        While the view is hidden its width is a placeholder: the fit (and the row
        heights, which wrap text at the column widths) waits for the first show,
        so opening a document lays the grid out once, at the real width."""
        if not self.isVisible():
            self._fit_pending = True
            return
        self._fit_pending = False
        base = self.base_widths()
        if not base:  # no document yet
            return
        total = sum(base)
        avail = self.viewport().width() - 2
        fit = max(MIN_FIT, min(1.8, avail / total))
        if not force and abs(fit - self._fit) < 0.01:
            return
        self._fit = fit
        for j, w in enumerate(base):
            self.setColumnWidth(j, int(w * fit))
        self.update_row_heights()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._fit_timer.start()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 - Qt name
        super().scrollContentsBy(dx, dy)
        if dy:
            # merged labels keep their text in view (delegate): the blitted pixels would show it twice
            self.viewport().update()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self._fit_pending:
            self.fit_columns(force=True)

    # ------------------------------------------------------------ row heights
    def _metrics(self, fkey: str) -> tuple[QFontMetrics, QRawFont]:
        """The metrics of a cell font, and its primary font file (without fallbacks)."""
        got = self._fm.get(fkey)
        if got is None:
            from PySide6.QtGui import QRawFont  # with the first document, not in the first window

            font = self.grid_model().font(fkey)
            got = self._fm[fkey] = (QFontMetrics(font), QRawFont.fromFont(font))
        return got

    @staticmethod
    def _plain_line(text: str, raw: QRawFont) -> bool:
        """No line break of any kind, and every character in the font itself (a
        character borrowed from another font can make the line taller)."""
        return not any(ch in _LINE_BREAKS for ch in text) and all(raw.supportsCharacter(ord(ch)) for ch in text)

    def _delegate_height(self, cell: Cell, width: int) -> int:
        opt = QStyleOptionViewItem()
        self.initViewItemOption(opt)
        opt.rect = QRect(0, 0, width, 1)
        opt.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        idx = self.model().index(cell.row, cell.col)
        return self.itemDelegate().sizeHint(opt, idx).height() + _PAD_H

    def _text_height(self, cell: Cell, width: int) -> int:
        """Height the delegate needs to show ``cell`` wrapped in ``width`` pixels
        (the same text layout as painting, so nothing is cut off).

        Text that plainly fits on one line gets the one-line height of its font,
        measured once through the delegate; only text that may wrap is laid out
        by the delegate (most cells of a form are short labels and figures)."""
        fkey = font_key(cell)
        key = (cell.text, width, fkey)
        h = self._height_cache.get(key)
        if h is None:
            fm, raw = self._metrics(fkey)
            if not cell.text:
                h = fm.height() + _PAD_H
            elif self._plain_line(cell.text, raw) and fm.horizontalAdvance(cell.text) + _FITS_SLACK <= width:
                h = self._one_line.get(fkey)
                if h is None:
                    h = self._one_line[fkey] = self._delegate_height(cell, 100_000)
            else:
                h = self._delegate_height(cell, width)
            if len(self._height_cache) > 20000:
                self._height_cache.clear()
            self._height_cache[key] = h
        return h

    def update_row_heights(self) -> None:
        m = self.grid_model()
        g = m.grid
        if not g.n_rows:
            return
        widths = [self.columnWidth(j) for j in range(g.n_cols)]
        base = QFontMetrics(style.app_font()).height() + _PAD_H + 2
        heights = [base] * g.n_rows
        tall: list[Cell] = []
        for c in g.cells:
            w = sum(widths[c.col:c.col + c.colspan])
            if c.rowspan == 1:
                h = self._text_height(c, w) if c.text else base
                if h > heights[c.row]:
                    heights[c.row] = h
            elif c.text:
                tall.append(c)
        for c in tall:
            w = sum(widths[c.col:c.col + c.colspan])
            need = self._text_height(c, w)
            have = sum(heights[c.row:c.row + c.rowspan])
            if need > have:
                heights[c.last_row] += need - have
        for r, kind in enumerate(g.row_kinds):
            if kind == "spacer":
                heights[r] = base // 2
        for r, h in enumerate(heights):
            if self.rowHeight(r) != h:
                self.setRowHeight(r, h)

    # ------------------------------------------------------------ navigation
    def current_cell(self) -> Cell | None:
        return self.grid_model().cell_at(self.currentIndex())

    def _current_changed(self, *_args) -> None:
        if not self._moving:  # a click or an arrow key ends a Tab run
            self.tab_anchor = None

    def go_to(self, cell: Cell | None) -> None:
        if cell is None:
            return
        idx = self.model().index(cell.row, cell.col)
        self.set_current(idx)
        self.scrollTo(idx)

    def set_current(self, idx: QModelIndex) -> None:
        """Make ``idx`` the current and only selected cell."""
        self.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _editable(self, cell: Cell | None) -> bool:
        return cell is not None and cell.editable

    def next_cell(self, direction: str) -> Cell | None:
        m = self.grid_model()
        cur = self.current_cell()
        if cur is None:
            return next((c for c in sorted(m.grid.cells, key=lambda c: (c.row, c.col)) if c.editable), None)
        n_rows, n_cols = m.grid.n_rows, m.grid.n_cols
        col = self.currentIndex().column()
        if direction == "down":
            for r in range(cur.last_row + 1, n_rows):
                c = m.cell(r, col)
                if self._editable(c) and c is not cur:
                    return c
            return None
        if direction == "up":
            for r in range(cur.row - 1, -1, -1):
                c = m.cell(r, col)
                if self._editable(c) and c is not cur:
                    return c
            return None
        if direction == "right":
            r, k = cur.row, cur.last_col + 1
            while r < n_rows:
                while k < n_cols:
                    c = m.cell(r, k)
                    if self._editable(c) and c.row == r and c.col == k:
                        return c
                    k += 1
                r, k = r + 1, 0
            return None
        if direction == "left":
            r, k = cur.row, cur.col - 1
            while r >= 0:
                while k >= 0:
                    c = m.cell(r, k)
                    if self._editable(c) and c.row == r and c.col == k and c is not cur:
                        return c
                    k -= 1
                r, k = r - 1, n_cols - 1
            return None
        return None

    def move(self, direction: str) -> None:
        """Move to the next editable cell: ``down`` / ``up`` / ``right`` / ``left``, or
        ``tab-right`` / ``tab-left`` (which start or continue a Tab run; Enter after
        a Tab run goes down in the column where it began)."""
        cur = self.current_cell()
        anchor = self.tab_anchor
        if direction.startswith("tab-"):
            if anchor is None and cur is not None:
                anchor = cur.col
            direction = direction[4:]
        elif direction == "down" and anchor is not None and cur is not None:
            c = self._below_in_column(cur, anchor)
            self.tab_anchor = None
            if c is not None:
                self._go(c, None)
                return
            anchor = None
        else:
            anchor = None
        c = self.next_cell(direction)
        if c is not None and anchor is not None and self.tab_anchor is None and not self._editable(cur):
            # a Tab run begun on a label or a computed cell begins where Tab lands: its first input cell
            anchor = c.col
        if c is not None:
            self._go(c, anchor)
        self.tab_anchor = anchor

    def _go(self, c: Cell, anchor: int | None) -> None:
        self._moving = True
        try:
            self.go_to(c)
        finally:
            self._moving = False
        self.tab_anchor = anchor

    def _below_in_column(self, cur: Cell, col: int) -> Cell | None:
        m = self.grid_model()
        for r in range(cur.last_row + 1, m.grid.n_rows):
            c = m.cell(r, col)
            if self._editable(c):
                return c
        return None

    def closeEditor(self, editor, hint) -> None:  # noqa: N802 - Qt name
        move = self.pending_move
        self.pending_move = None
        from PySide6.QtWidgets import QAbstractItemDelegate

        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        if move:
            self.move(move)

    def edit(self, index, trigger=None, event=None):  # noqa: A003 - Qt name
        if trigger is None:
            opened = super().edit(index)
        else:
            self.replace_on_edit = trigger == QAbstractItemView.EditTrigger.AnyKeyPressed
            try:
                opened = super().edit(index, trigger, event)
            finally:
                self.replace_on_edit = False
        if opened and trigger != QAbstractItemView.EditTrigger.AnyKeyPressed:
            self._caret_at_end(index)
        return opened

    def _caret_at_end(self, index) -> None:
        """F2 or a double click edits the text with the caret at its end, as Excel does: Qt
        selects a one-line editor's whole text, so the next key replaced the cell's content."""
        editor = self.indexWidget(index)
        if isinstance(editor, QLineEdit) and editor.hasSelectedText():
            editor.deselect()
            editor.end(False)

    def focusNextPrevChild(self, next_: bool) -> bool:  # noqa: N802 - Qt name
        if self.hasFocus() and self.state() != QAbstractItemView.State.EditingState:
            self.move("tab-right" if next_ else "tab-left")
            return True
        return super().focusNextPrevChild(next_)

    def inputMethodEvent(self, event) -> None:  # noqa: N802 - Qt name
        """Text an input method commits straight away (full-width punctuation, some
        IMEs' direct commit) on a cell not being edited starts editing with that text,
        as a typed key does."""
        text = event.commitString()
        if self.state() != QAbstractItemView.State.EditingState and text and not event.preeditString():
            idx = self.currentIndex()
            if idx.isValid() and self.model().flags(idx) & Qt.ItemFlag.ItemIsEditable:
                self.replace_on_edit = True
                try:
                    opened = super().edit(idx, QAbstractItemView.EditTrigger.AllEditTriggers, event)
                finally:
                    self.replace_on_edit = False
                editor = self.indexWidget(idx)
                if opened and editor is not None and hasattr(editor, "insert_text"):
                    editor.insert_text(text)
                    event.accept()
                    return
            elif self._refuse_typing():
                event.accept()
                return
        super().inputMethodEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt name
        key, mods = event.key(), event.modifiers()
        M = Qt.KeyboardModifier
        if key in _ENTER and self.state() != QAbstractItemView.State.EditingState:
            if mods & M.AltModifier or mods & M.ControlModifier:
                self.edit(self.currentIndex())
            else:
                self.move("up" if mods & M.ShiftModifier else "down")
            event.accept()
            return
        if key == Qt.Key.Key_Down and mods & M.AltModifier and self.state() != QAbstractItemView.State.EditingState:
            # Excel: Alt+↓ opens the list of a cell that has one
            idx = self.currentIndex()
            if (idx.isValid() and self.itemDelegate().choices(idx) is not None
                    and self.edit(idx, QAbstractItemView.EditTrigger.AllEditTriggers, event)):
                editor = self.indexWidget(idx)
                if editor is not None and hasattr(editor, "showPopup"):
                    editor.showPopup()
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copyRequested.emit()
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.pasteRequested.emit()
            event.accept()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not mods & M.ControlModifier:
            if key == Qt.Key.Key_Backspace and self._editable(self.current_cell()):
                # Backspace as in Excel: clear and start typing
                self.clearRequested.emit()
                self.edit(self.currentIndex())
            else:
                self.clearRequested.emit()
            event.accept()
            return
        if (self.state() != QAbstractItemView.State.EditingState and event.text().isprintable() and event.text()
                and not mods & (M.ControlModifier | M.AltModifier | M.MetaModifier) and self._refuse_typing()):
            event.accept()  # not Qt's keyboard search, which would jump to a cell starting with the key
            return
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:  # noqa: N802 - Qt name
        """Excel has no type-to-find: a key never moves the current cell to a cell starting with it."""

    def _refuse_typing(self) -> bool:
        """Typing on a cell that cannot take it: say why in the status bar (True), as Excel
        warns on a protected cell, instead of dropping the keystrokes silently."""
        idx = self.currentIndex()
        if not idx.isValid():
            return False
        reason = self.grid_model().not_editable_reason(self.grid_model().cell_at(idx))
        if reason:
            self.message.emit(reason)
        return bool(reason)

    # ------------------------------------------------------------ selection / clipboard
    def selected_cells(self) -> list[Cell]:
        m = self.grid_model()
        out: list[Cell] = []
        seen: set[int] = set()
        idxs = self.selectedIndexes() or ([self.currentIndex()] if self.currentIndex().isValid() else [])
        for i in sorted(idxs, key=lambda x: (x.row(), x.column())):
            c = m.cell_at(i)
            if c is not None and id(c) not in seen:
                seen.add(id(c))
                out.append(c)
        return out

    def selection_rect(self) -> tuple[int, int, int, int] | None:
        idxs = self.selectedIndexes() or ([self.currentIndex()] if self.currentIndex().isValid() else [])
        if not idxs:
            return None
        m = self.grid_model()
        rows, cols = [], []
        for i in idxs:
            c = m.cell_at(i)
            rows += [i.row()] + ([c.row, c.last_row] if c else [])
            cols += [i.column()] + ([c.col, c.last_col] if c else [])
        return min(rows), min(cols), max(rows), max(cols)

    def copy_text(self) -> str:
        rect = self.selection_rect()
        if rect is None:
            return ""
        r0, c0, r1, c1 = rect
        m = self.grid_model()
        rows: list[list[str]] = []
        for r in range(r0, r1 + 1):
            row = []
            for k in range(c0, c1 + 1):
                c = m.cell(r, k)
                row.append(c.text if c is not None and c.row == r and c.col == k else "")
            rows.append(row)
        return to_tsv(rows)

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.copy_text())

    def paste_block(self) -> list[list[str]]:
        return parse_tsv(QGuiApplication.clipboard().text())

    def select_rect(self, top: int, left: int, bottom: int, right: int) -> None:
        m = self.model()
        bottom = min(bottom, m.rowCount() - 1)
        right = min(right, m.columnCount() - 1)
        sel = QItemSelection(m.index(top, left), m.index(bottom, right))
        self.selectionModel().select(sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def select_rows(self, rows: list[int], left: int, right: int) -> None:
        """Select columns ``left``–``right`` of the given rows (not necessarily adjacent), the first current."""
        m = self.model()
        right = min(right, m.columnCount() - 1)
        sel = QItemSelection()
        for r in rows:
            sel.select(m.index(r, left), m.index(r, right))
        self.selectionModel().select(sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if rows:
            self.selectionModel().setCurrentIndex(m.index(rows[0], left), QItemSelectionModel.SelectionFlag.NoUpdate)
            self.scrollTo(m.index(rows[0], left))

    def current_row(self) -> int:
        i = self.currentIndex()
        return i.row() if i.isValid() else -1
