"""文件 › 合并下级单位文件: collect the units' forms into the open document.

Pick the units' files (.jxzp, JSON or .xlsx). Every file is read and checked
before anything changes: a file that cannot be read (damaged, locked, open in
another window) or does not fit (another template or year) stops the merge
with its name, and the document stays as it was. Otherwise the merged forms
replace the document's list of forms as ONE undo step; a unit merged before
has its forms replaced in place (a corrected file). Without an open document
(or with a read-only one) the merge opens as a new, unsaved document.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QFileDialog

if TYPE_CHECKING:
    from jixiao.core.model import Form
    from jixiao.gui.main_window import MainWindow
    from jixiao.gui.session import DocumentSession

TITLE = "合并下级单位文件"


class ReplaceFormsCommand(QUndoCommand):
    """Swap the document's whole list of forms (one undo step for a merge)."""

    def __init__(self, session: DocumentSession, forms: list[Form], text: str):
        super().__init__(text)
        self.session = session
        self.old = list(session.doc.forms)
        self.new = list(forms)

    def redo(self) -> None:
        self.session.replace_forms(self.new)

    def undo(self) -> None:
        self.session.replace_forms(self.old)


def merge_unit_files(w: MainWindow, paths: list[str] | None = None) -> bool:
    """The menu entry. ``paths`` skips the file dialog."""
    from jixiao.core.merge import MergeError, UnitFile, merge_units
    from jixiao.gui import dialogs
    from jixiao.gui.carry_dialog import INPUT_FILTER, ReportDialog
    from jixiao.inputs import InputError, read_inputs

    s = w.session
    base = s.doc if s is not None and not s.read_only else None
    if paths is None:
        start = str(s.path.parent) if s is not None and s.path else w.files.default_dir()
        paths, _ = QFileDialog.getOpenFileNames(w, "选择下级单位的自评文件（可多选）", start, INPUT_FILTER)
        if not paths:
            return False
    untouched = "当前文档未改动。" if base is not None else "没有合并任何文件。"
    own = str(s.path.resolve()) if s is not None and s.path else None
    if own is not None and any(str(Path(p).resolve()) == own for p in paths):
        dialogs.show_error(w, TITLE, f"不能把正在编辑的文档本身作为单位文件合并。{untouched}")
        return False
    try:
        inputs = read_inputs(paths, refuse_open_elsewhere=True)
        result = merge_units([UnitFile(i.name, i.doc) for i in inputs], into=base)
    except (InputError, MergeError) as exc:
        dialogs.show_error(w, TITLE, f"{exc}\n\n合并已停止，{untouched}")
        return False
    if base is None:
        w.set_document(result.doc, None, untitled_name=f"{result.doc.unit}-{result.doc.year}（合并）")
        assert w.session is not None
        w.session.set_dirty(True)
    else:
        assert s is not None
        s.undo_stack.push(ReplaceFormsCommand(s, result.doc.forms, "合并下级单位文件"))
    from jixiao.gui.ids import SUMMARY_ID

    w.show_form(SUMMARY_ID)  # the 汇总表 across the units
    notes = list(result.notes)
    for i in inputs:
        notes.extend(f"导入提示：{i.name}：{p}" for p in i.problems)
    total = len(w.session.doc.forms) if w.session is not None else 0
    notes.insert(0, f"已合并 {len(inputs)} 个文件（{len(result.added)} 个单位），文档现有 {total} 张表。"
                    + ("可用“撤销”恢复合并前的内容。" if base is not None else "新文档尚未保存。"))
    dlg = ReportDialog(w, "合并结果", notes)
    w.last_report = dlg
    dlg.exec()
    return True
