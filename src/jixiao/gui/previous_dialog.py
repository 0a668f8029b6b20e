"""文件 › 关联上年文档: link last year's document for the 汇总表's comparison.

The link (its path and a snapshot of last year's 预算执行率 and 自评得分, see
:mod:`jixiao.core.compare`) is stored in the document as one undo step; the
汇总表 then shows last year's figures beside this year's and the findings flag
a score that rose while the 执行率 fell (``score-up-rate-down``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QFileDialog, QMessageBox

if TYPE_CHECKING:
    from jixiao.core.previous import PreviousLink
    from jixiao.gui.main_window import MainWindow
    from jixiao.gui.session import DocumentSession

TITLE = "关联上年文档"


class SetPreviousCommand(QUndoCommand):
    def __init__(self, session: DocumentSession, link: PreviousLink | None, text: str):
        super().__init__(text)
        self.session = session
        self.old = session.doc.previous
        self.new = link

    def redo(self) -> None:
        self.session.set_previous(self.new)

    def undo(self) -> None:
        self.session.set_previous(self.old)


def _ask_relink(w: MainWindow, link: PreviousLink) -> str:
    """``"choose"``, ``"clear"`` or ``"cancel"`` when a document is already linked."""
    from jixiao.gui import dialogs

    return dialogs.ask(w, QMessageBox.Icon.Question, TITLE,
                       f"本文档已关联 {link.year} 年度的文档：\n{link.file}\n"
                       f"（{len(link.projects)} 个项目，关联于 {link.linked_at}）",
                       [("choose", "重新选择…", dialogs.ACCEPT), ("clear", "取消关联", dialogs.DESTRUCTIVE),
                        ("cancel", "关闭", dialogs.REJECT)], default="choose")


def link_previous_document(w: MainWindow, path: str | None = None, *, clear: bool = False) -> bool:
    """The menu entry. ``path`` skips the file dialog; ``clear`` removes the link."""
    from jixiao.core.compare import CompareError, link_path, link_previous
    from jixiao.gui import dialogs
    from jixiao.gui.carry_dialog import INPUT_FILTER
    from jixiao.gui.ids import SUMMARY_ID
    from jixiao.inputs import InputError, read_input

    s = w.session
    if s is None or s.read_only:
        dialogs.show_error(w, TITLE, "请先打开一份可编辑的自评文件")
        return False
    if path is None and not clear and s.doc.previous is not None:
        answer = _ask_relink(w, s.doc.previous)
        if answer == "cancel":
            return False
        clear = answer == "clear"
    if clear:
        if s.doc.previous is None:
            return False
        s.undo_stack.push(SetPreviousCommand(s, None, "取消关联上年文档"))
        w.statusBar().showMessage("已取消与上年文档的关联", 5000)
        return True
    if path is None:
        start = str(s.path.parent) if s.path else w.files.default_dir()
        path, _ = QFileDialog.getOpenFileName(w, "选择上年的自评文件", start, INPUT_FILTER)
        if not path:
            return False
    try:
        last = read_input(path)
        old = s.doc.previous
        link = link_previous(s.doc, last.doc, link_path(last.path, s.path))
        s.doc.previous = old  # the command sets it, undoably
    except (InputError, CompareError) as exc:
        dialogs.show_error(w, TITLE, str(exc))
        return False
    s.undo_stack.push(SetPreviousCommand(s, link, "关联上年文档"))
    w.show_form(SUMMARY_ID)
    w.statusBar().showMessage(f"已关联 {link.year} 年度文档 {last.name}：汇总表显示上年执行率和自评得分", 8000)
    return True
