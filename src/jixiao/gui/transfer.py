"""Import from Excel, export to Excel / PDF, print preview and print
(``window.transfer``). Each works on a snapshot of the document, shows
progress for slow work and explains a failure in Chinese."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from collections.abc import Callable

    from jixiao.core.model import Document
    from jixiao.gui.main_window import MainWindow


class Transfer(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.w = window

    def snapshot(self) -> Document:
        assert self.w.session is not None
        import copy

        return copy.deepcopy(self.w.session.doc)

    def _lazy(self, what: str, importer: Callable[[], Any]) -> Any:
        try:
            return importer()
        except Exception as exc:  # ImportError or a broken module
            from jixiao.gui import dialogs

            dialogs.show_error(self.w, f"{what}不可用", f"{what}功能加载失败：{exc}\n请重新安装 jixiao。")
            return None

    # ------------------------------------------------------------ before export / print
    def ready_for(self, verb: str) -> bool:
        """Before 导出 / 打印: with errors or 待填 left, say how many and offer 查看 / 仍然{verb}.
        From now on what is still empty shows as an error. True to go ahead."""
        w = self.w
        s = w.session
        if s is None:
            return False
        errors = sum(1 for f in s.findings if f.severity == "error" and not f.pending)
        pending = sum(1 for f in s.findings if f.pending)
        w.set_strict(True)
        if not errors and not pending:
            return True
        answer = w.export_prompt(w, verb, errors, pending)
        if answer == "view":
            w.show_first_problem()
        return answer == "go"

    # ------------------------------------------------------------ export
    def export_excel(self, path: str | None = None) -> bool:
        def imp():
            from jixiao.excel.writer import write_workbook

            return write_workbook

        return self._export("导出Excel", "Excel", ".xlsx", "Excel 工作簿 (*.xlsx)", imp, path)

    def export_pdf(self, path: str | None = None) -> bool:
        def imp():
            from jixiao.pdf.writer import write_pdf

            return write_pdf

        return self._export("导出PDF", "PDF", ".pdf", "PDF 文件 (*.pdf)", imp, path)

    def _export(self, action: str, kind: str, suffix: str, file_filter: str, importer: Callable[[], Any],
                path: str | None) -> bool:
        """导出Excel / 导出PDF: ask for the file, write a snapshot of the document
        with a progress indication, and explain a failure in Chinese."""
        w = self.w
        write = self._lazy(action, importer)
        if write is None or w.session is None or not self.ready_for("导出"):
            return False
        if path is None:
            from PySide6.QtWidgets import QFileDialog

            path, _ = QFileDialog.getSaveFileName(w, action, self.export_name(suffix), file_filter)
            if not path:
                return False
        from jixiao.gui import dialogs

        doc = self.snapshot()
        try:
            dialogs.run_task(w, f"正在导出 {kind}…", lambda: write(doc, path))
        except dialogs.TaskFailed as exc:
            dialogs.show_error(w, f"{action}失败", f"无法导出到 {path}：\n{exc}")
            return False
        w.statusBar().showMessage(f"已导出 {path}", 5000)
        return True

    def export_name(self, suffix: str) -> str:
        s = self.w.session
        assert s is not None
        if s.path is not None:
            return str(s.path.with_suffix(suffix))
        return str(Path(self.w.files.default_dir()) / f"{s.doc.unit or '自评'}-{s.doc.year}{suffix}")

    # ------------------------------------------------------------ import
    def import_excel(self, path: str | None = None) -> bool:
        def imp():
            from jixiao.excel.reader import ExcelImportError, read_workbook

            return read_workbook, ExcelImportError

        from jixiao.gui import dialogs

        w = self.w
        got = self._lazy("从Excel导入", imp)
        if got is None:
            return False
        read_workbook, _err = got
        if not w.files.maybe_save():
            return False
        if path is None:
            from PySide6.QtWidgets import QFileDialog

            path, _ = QFileDialog.getOpenFileName(w, "从Excel导入", w.files.default_dir(), "Excel 工作簿 (*.xlsx)")
            if not path:
                return False
        import threading

        stop = threading.Event()
        try:
            result = dialogs.run_task(w, f"正在读取 {Path(path).name}…",
                                      lambda: read_workbook(path, cancel=stop.is_set), cancel=stop)
        except dialogs.TaskFailed as exc:
            if stop.is_set():  # the officer pressed 取消: the open document stays, nothing to report
                w.statusBar().showMessage("已取消导入", 5000)
                return False
            dialogs.show_error(w, "导入失败", f"无法导入 {Path(path).name}：\n{exc}")
            return False
        doc = result.document
        if doc.previous is not None:  # a link kept in the workbook: absolute until the document is saved
            from jixiao.core.compare import rebase_link

            doc.previous = rebase_link(doc.previous, path, None)
        w.set_document(doc, None, untitled_name=f"{Path(path).stem}（导入）")
        assert w.session is not None
        w.session.set_dirty(True)
        problems = list(result.problems)
        note = result.template_note  # which template the forms were read into, and why
        if problems:
            dialogs.show_info(w, "导入完成",
                              f"已导入 {len(doc.forms)} 张表（{note}），有 {len(problems)} 条提示，请核对：",
                              "\n".join(problems))
        else:
            w.statusBar().showMessage(f"已导入 {len(doc.forms)} 张表（{note}）", 8000)
        return True

    # ------------------------------------------------------------ print
    def print_preview(self) -> None:
        def imp():
            from jixiao.gui.printing import preview_document

            return preview_document

        preview = self._lazy("打印预览", imp)
        if preview is not None and self.w.session is not None:
            preview(self.w, self.snapshot())

    def print_document(self) -> None:
        def imp():
            from jixiao.gui.printing import print_document

            return print_document

        do_print = self._lazy("打印", imp)
        if do_print is not None and self.w.session is not None and self.ready_for("打印"):
            do_print(self.w, self.snapshot())
