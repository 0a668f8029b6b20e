"""Every finding of the document in one list; activating one jumps to its cell."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView

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


class FindingsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.session: DocumentSession | None = None
        self.items: list[Finding] = []
        self._names: dict[str, str] = {}
        self._severity_names: dict[str, str] = {}
        self._icons: dict = {}  # made with the first document

    def set_session(self, session: DocumentSession) -> None:
        from jixiao.core.validation import SEVERITY_NAMES  # with the first document, not at start-up

        self._severity_names = SEVERITY_NAMES
        if not self._icons:
            self._icons = {k: style.severity_icon(k) for k in ("error", "warning", "info")}
        self.session = session
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        s = self.session
        self.items = list(s.findings) if s else []
        self._names = {f.id: f.display_name() for f in s.doc.forms} if s else {}
        self.endResetModel()

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        f = self.items[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self._severity_names.get(f.severity, f.severity)
            if col == 1:
                return self._names.get(f.form_id or "", "文档")
            if col == 2:
                return field_label(self.session, f.form_id, f.field) if self.session else f.field
            return f.message
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return self._icons.get(f.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{f.message}\n（{f.code}）"
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
        h = self.header()
        h.setStretchLastSection(True)
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(0, 70)
        self.setColumnWidth(1, 220)
        self.setColumnWidth(2, 230)
        self.activated.connect(self._activate)
        self.clicked.connect(self._activate)

    def set_session(self, session: DocumentSession) -> None:
        self.fmodel.set_session(session)

    def refresh(self) -> None:
        self.fmodel.refresh()

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.findingActivated.emit(self.fmodel.items[index.row()])
