"""表格 › 汇总表信息: the 汇总表's own fields of each project.

Some regions' 项目单位自评汇总表 print fields the project form does not (河南:
单位编码, 主管部门编码, 项目类型, 资金归口处室, 系统查询全年执行数 — the
template's ``summary`` columns with a ``header.*`` source). They are typed
here, one row per project, and stored in the form's header as ONE undo step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jixiao.gui import screen_fit

if TYPE_CHECKING:
    from jixiao.core.model import Document
    from jixiao.core.templates import Template
    from jixiao.gui.main_window import MainWindow

TITLE = "汇总表信息"


def summary_only_fields(template: Template) -> list[tuple[str, str]]:
    """(header key, column label) of the 汇总表 columns the project form does not print."""
    if "project" not in template.forms:
        return []
    printed = set(template.form("project").header_keys)
    out: list[tuple[str, str]] = []
    for c in template.summary.columns:
        key = c.header_key
        if key and key not in printed and all(key != k for k, _ in out):
            out.append((key, c.label))
    return out


class PasteTable(QTableWidget):
    """A table that takes a block pasted from Excel/WPS (tab-separated rows) at the
    current cell, and clears the selected cells on Delete, as a sheet does."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt name
        if event.matches(QKeySequence.StandardKey.Paste) and self.editTriggers() != self.EditTrigger.NoEditTriggers:
            self.paste_text(QApplication.clipboard().text())
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != self.State.EditingState \
                and self.editTriggers() != self.EditTrigger.NoEditTriggers:
            for item in self.selectedItems():
                item.setText("")
            return
        super().keyPressEvent(event)

    def paste_text(self, text: str) -> None:
        rows = [line.split("\t") for line in text.replace("\r\n", "\n").rstrip("\n").split("\n")]
        top, left = max(self.currentRow(), 0), max(self.currentColumn(), 0)
        for i, cells in enumerate(rows):
            for j, value in enumerate(cells):
                r, c = top + i, left + j
                if r < self.rowCount() and c < self.columnCount():
                    self.setItem(r, c, QTableWidgetItem(value.strip()))


class SummaryInfoDialog(QDialog):
    def __init__(self, parent: QWidget | None, doc: Document, read_only: bool = False):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        screen_fit.size_within_screen(self, 900, 480)
        self.doc = doc
        self.fields = summary_only_fields(doc.template)
        self.projects = doc.projects
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("汇总表中有、项目表上没有的栏目，每个项目一行（可从 Excel 复制粘贴整块）："))
        t = self.table = PasteTable(len(self.projects), len(self.fields), self)
        t.setHorizontalHeaderLabels([label for _k, label in self.fields])
        t.setVerticalHeaderLabels([f"{i + 1} {p.display_name()}" for i, p in enumerate(self.projects)])
        for r, p in enumerate(self.projects):
            for c, (key, _label) in enumerate(self.fields):
                t.setItem(r, c, QTableWidgetItem(p.header.get(key, "")))
        if read_only:
            t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        t.resizeColumnsToContents()
        for c in range(t.columnCount()):
            t.setColumnWidth(c, max(t.columnWidth(c) + 16, 110))
        t.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(t)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        fill = QPushButton("空白处沿用上一行")
        fill.setToolTip("每列空着的单元格填入它上方最近的内容（单位编码、主管部门编码常常各行相同）")
        fill.clicked.connect(self.fill_down)
        fill.setEnabled(not read_only)
        buttons.addButton(fill, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def fill_down(self) -> None:
        t = self.table
        for c in range(t.columnCount()):
            above = ""
            for r in range(t.rowCount()):
                item = t.item(r, c)
                text = item.text().strip() if item is not None else ""
                if text:
                    above = text
                elif above:
                    t.setItem(r, c, QTableWidgetItem(above))

    def changes(self) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """Per project form id: (path, old, new) of every changed field."""
        from jixiao.core.fields import header_path

        out = []
        for r, p in enumerate(self.projects):
            row = []
            for c, (key, _label) in enumerate(self.fields):
                item = self.table.item(r, c)
                new = item.text().strip() if item is not None else ""
                old = p.header.get(key, "")
                if new != old:
                    row.append((header_path(key), old, new))
            if row:
                out.append((p.id, row))
        return out


def edit_summary_info(w: MainWindow) -> bool:
    """The menu entry: edit, then apply every change as one undo step."""
    from jixiao.gui import dialogs

    s = w.session
    if s is None:
        return False
    if not summary_only_fields(s.template):
        dialogs.show_info(w, TITLE, f"“{s.template.name}”模板的汇总表没有需要另外填写的栏目：各栏都取自项目表。")
        return False
    if not s.doc.projects:
        dialogs.show_info(w, TITLE, "文档中还没有项目表。")
        return False
    dlg = SummaryInfoDialog(w, s.doc, read_only=s.read_only)
    w.last_report = dlg
    if dlg.exec() != QDialog.DialogCode.Accepted or s.read_only:
        return False
    return apply_summary_info(w, dlg.changes())


def apply_summary_info(w: MainWindow, changes: list[tuple[str, list[tuple[str, str, str]]]]) -> bool:
    from jixiao.gui.commands import SetCellsCommand
    from jixiao.gui.ids import SUMMARY_ID

    s = w.session
    if s is None or not changes:
        return False
    s.undo_stack.beginMacro(TITLE)
    for form_id, rows in changes:
        s.undo_stack.push(SetCellsCommand(s, form_id, rows, TITLE))
    s.undo_stack.endMacro()
    w.show_form(SUMMARY_ID)
    return True
