"""The findings list: the current form's findings first (or only them, with
只看本表), readable locations, the full text in a tooltip, sorting by a
column; activating one jumps to its cell. It keeps its place when an edit
refreshes it, so F8 goes on from where the officer was."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from jixiao.gui import style

if TYPE_CHECKING:
    from jixiao.core.validation import Finding
    from jixiao.gui.session import DocumentSession

COLUMNS = ("级别", "表", "位置", "说明")
_ROOT = QModelIndex()


def field_label(session: DocumentSession, form_id: str | None, path: str) -> str:
    """The cell a finding is about, in the form's own words (see :func:`jixiao.core.fields.describe`)."""
    from jixiao.core.fields import describe  # with the first document, not at start-up

    form = session.doc.form_by_id(form_id or "")
    fd = session.doc.template.form(form.kind) if form is not None else None
    return describe(fd, form, path) or "（整表）"


def finding_key(f: Finding) -> tuple:
    return f.form_id, f.field, f.code


class FindingsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.session: DocumentSession | None = None
        self.items: list[Finding] = []
        self.current_form: str | None = None  # listed first
        self.only_current = False  # 只看本表
        self.sort_column = -1  # -1: current form first, then document order
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._names: dict[str, str] = {}
        self._names_key: tuple = ()
        self._form_pos: dict[str, int] = {}
        self._places: dict[tuple, str] = {}
        self._icons: dict = {}  # made with the first document

    def set_session(self, session: DocumentSession) -> None:
        if not self._icons:
            self._icons = {k: style.severity_icon(k) for k in style.SEVERITY_LABELS}
        self.session = session
        self.refresh()

    def _order(self, items: list[Finding]) -> list[Finding]:
        s = self.session
        assert s is not None
        pos = self._form_pos
        cur = self.current_form
        # document order, the current form's findings first
        items = sorted(items, key=lambda f: 0 if f.form_id == cur else 1)
        col = self.sort_column
        if col < 0:
            return items
        rev = self.sort_order == Qt.SortOrder.DescendingOrder
        if col == 0:
            # most serious first; a contradiction before what is still empty
            key = lambda f: (-style.SEVERITY_RANK.get(s.shown_severity(f), 0), f.pending)  # noqa: E731
        elif col == 1:
            key = lambda f: pos.get(f.form_id or "", -1)  # noqa: E731
        elif col == 2:
            key = lambda f: self.place(f)  # noqa: E731
        else:
            key = lambda f: f.message  # noqa: E731
        return sorted(items, key=key, reverse=rev)

    def refresh(self) -> None:
        self.beginResetModel()
        s = self.session
        if s is None:
            self.items = []
        else:
            names_key = tuple((f.id, f.name) for f in s.doc.forms)
            if names_key != self._names_key:  # forms added, moved or renamed
                from jixiao.core.fields import form_label

                self._names_key = names_key
                self._names = {f.id: form_label(s.doc, f) for f in s.doc.forms}
                self._form_pos = {f.id: i for i, f in enumerate(s.doc.forms)}
            self._places = {}
            items = s.findings
            if self.only_current:
                items = [f for f in items if f.form_id == self.current_form]
            self.items = self._order(list(items))
        self.endResetModel()

    def place(self, f: Finding) -> str:
        k = (f.form_id, f.field)
        got = self._places.get(k)
        if got is None and self.session is not None:
            got = self._places[k] = field_label(self.session, f.form_id, f.field)
        return got or ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:  # noqa: D401 - Qt name
        self.sort_column, self.sort_order = column, order
        self.refresh()

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def row_of(self, key: tuple) -> int:
        for i, f in enumerate(self.items):
            if finding_key(f) == key:
                return i
        return -1

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.session is None:
            return None
        f = self.items[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                sev = self.session.shown_severity(f)
                return style.SEVERITY_LABELS.get(sev, sev)
            if col == 1:
                return self._names.get(f.form_id or "", "整份文档")
            if col == 2:
                return self.place(f)
            return f.message
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return self._icons.get(self.session.shown_severity(f))
        if role == Qt.ItemDataRole.ToolTipRole:
            where = f"{self._names.get(f.form_id or '', '整份文档')} · {self.place(f)}"
            return f"{f.message}\n\n位置：{where}\n（{f.code}）"
        return None


class FindingsPanel(QTreeView):
    findingActivated = Signal(object)  # Finding

    def __init__(self, parent=None):
        super().__init__(parent)
        self.fmodel = FindingsModel(self)
        self.setModel(self.fmodel)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAccessibleName("校验结果")
        self.setSortingEnabled(True)
        self.header().setSortIndicatorShown(False)  # until the officer sorts by a column
        self.header().sectionClicked.connect(lambda _i: self.header().setSortIndicatorShown(True))
        self.fmodel.sort_column = -1
        h = self.header()
        h.setStretchLastSection(True)
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        h.setMinimumSectionSize(40)
        self.setColumnWidth(0, 64)
        self.setColumnWidth(1, 200)
        self.setColumnWidth(2, 240)
        self.setMinimumSize(120, 40)
        self.activated.connect(self._activate)
        self.clicked.connect(self._activate)
        # F8 after the current finding was fixed: the row before the one that took its place
        self.anchor_row: int | None = None

    def set_session(self, session: DocumentSession) -> None:
        self.fmodel.set_session(session)
        self.anchor_row = None
        self.fmodel.sort_column = -1

    def set_current_form(self, form_id: str | None) -> None:
        if form_id != self.fmodel.current_form:
            self.fmodel.current_form = form_id
            self.refresh()
            self.scrollToTop()

    def set_only_current(self, on: bool) -> None:
        self.fmodel.only_current = on
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the list, keeping the current finding (or its place, if it is gone)."""
        cur = self.currentIndex()
        key = finding_key(self.fmodel.items[cur.row()]) if cur.isValid() else None
        row = cur.row() if cur.isValid() else -1
        self.fmodel.refresh()
        if key is None:
            return
        found = self.fmodel.row_of(key)
        if found >= 0:
            self.setCurrentIndex(self.fmodel.index(found, 0))
            self.anchor_row = None
        else:  # fixed: F8 goes on with the finding that took its place
            self.anchor_row = row - 1

    def step_row(self, step: int) -> int:
        """The row F8 (``step`` 1) or Shift+F8 (-1) goes to; -1 if the list is empty."""
        n = self.fmodel.rowCount()
        if not n:
            return -1
        cur = self.currentIndex()
        if cur.isValid():
            return (cur.row() + step) % n
        base = self.anchor_row
        self.anchor_row = None
        if base is not None:  # the finding the officer was on has been fixed
            return (base + 1) % n if step > 0 else (base if base >= 0 else n - 1)
        return 0 if step > 0 else n - 1

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.findingActivated.emit(self.fmodel.items[index.row()])


class FindingsBox(QWidget):
    """The findings list under a bar with the counts and 只看本表."""

    def __init__(self, panel: FindingsPanel, parent=None):
        super().__init__(parent)
        self.panel = panel
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        self.title = QLabel("校验结果", self)
        self.only_current = QCheckBox("只看本表(&B)", self)
        self.only_current.setToolTip("只列出当前表格的问题")
        self.only_current.toggled.connect(panel.set_only_current)
        bar.addWidget(self.title, 1)
        bar.addWidget(self.only_current)
        lay.addLayout(bar)
        lay.addWidget(panel, 1)
        self.setMinimumSize(120, 60)
