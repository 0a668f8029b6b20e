"""The side list of the document's forms: 部门整体, each 项目, 汇总表, with
each form's 总分, 等级 and a badge counting its errors (or warnings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

from jixiao.gui import style
from jixiao.gui.ids import SUMMARY_ID

if TYPE_CHECKING:
    from jixiao.gui.session import DocumentSession

FormIdRole = Qt.ItemDataRole.UserRole + 10


class FormList(QListWidget):
    formSelected = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.session: DocumentSession | None = None
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setIconSize(QSize(18, 18))
        self.setSpacing(1)
        self.setAccessibleName("表格列表")
        self.setMinimumWidth(90)  # the splitter may narrow it that far
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.currentItemChanged.connect(self._current_changed)
        self._block = False

    def set_session(self, session: DocumentSession) -> None:
        self.session = session
        self.rebuild()

    def _current_changed(self, cur, _prev) -> None:
        if cur is not None and not self._block:
            self.formSelected.emit(cur.data(FormIdRole))

    def current_form_id(self) -> str | None:
        it = self.currentItem()
        return it.data(FormIdRole) if it is not None else None

    def select_form(self, form_id: str) -> None:
        for i in range(self.count()):
            it = self.item(i)
            if it.data(FormIdRole) == form_id:
                if self.currentItem() is not it:
                    self.setCurrentItem(it)
                return

    def rebuild(self, keep: str | None = None) -> None:
        s = self.session
        if s is None:
            return
        keep = keep or self.current_form_id()
        self._block = True
        self.clear()
        ids = [f.id for f in s.doc.forms]
        for f in s.doc.forms:
            it = QListWidgetItem()
            it.setData(FormIdRole, f.id)
            self.addItem(it)
            self.update_form(f.id, it)
        if s.doc.projects:
            it = QListWidgetItem(style.dot_icon("#5c6bc0", "Σ"), "项目单位自评汇总表")
            it.setData(FormIdRole, SUMMARY_ID)
            it.setToolTip("各项目表的汇总（只读，自动生成）")
            self.addItem(it)
            ids.append(SUMMARY_ID)
        self._block = False
        if keep in ids:
            self.select_form(keep)
        elif self.count():
            self.setCurrentRow(0)

    def _item(self, form_id: str) -> QListWidgetItem | None:
        for i in range(self.count()):
            it = self.item(i)
            if it.data(FormIdRole) == form_id:
                return it
        return None

    def update_form(self, form_id: str, item: QListWidgetItem | None = None) -> None:
        s = self.session
        if s is None:
            return
        it = item or self._item(form_id)
        form = s.doc.form_by_id(form_id)
        if it is None or form is None:
            return
        res = s.results.get(form_id)
        t = s.tally(form_id)
        e, w, todo = t["error"], t["warning"], t["pending"]
        prefix = "部门整体：" if form.kind == "department" else ""
        name = form.display_name()
        if form.kind == "project":
            n = sum(1 for f in s.doc.forms[: s.doc.forms.index(form) + 1] if f.kind == "project")
            prefix = f"{n}. "
        score = ""
        if res is not None and s.unfinished(form_id):
            score = "总分 —"
        elif res is not None:
            from jixiao.core.figures import fmt2

            # the engine's total and the grade it earns; a different typed 总分 is a finding
            score = f"总分 {fmt2(res.total)}　{res.grade}"
        problems = "　".join(x for x in (f"错误 {e}" if e else "", f"警告 {w}" if w else "",
                                        f"待填 {todo}" if todo else "") if x) or "无问题"
        it.setText(f"{prefix}{name}\n{score}　{problems}")
        it.setIcon(style.badge_icon(e, w, todo))
        it.setToolTip(f"{name}\n{score}\n错误 {e} 个，警告 {w} 个，待填 {todo} 项")

    def update_all(self) -> None:
        if self.session is None:
            return
        for f in self.session.doc.forms:
            self.update_form(f.id)
