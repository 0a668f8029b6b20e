"""文件 › 生成自评报告: choose the kind of report (and its projects), preview
its pages, save it as Word or PDF.

The preview draws the report's PDF page plan (:mod:`jixiao.pdf.selfreport`)
with the painter of 打印预览 (:mod:`jixiao.gui.page_view`, pages painted as
they come into view), so what is previewed is what the PDF holds; the Word
file has the same text and tables. The dialog works on a
snapshot of the document taken when it opens.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from jixiao.gui import dialogs, screen_fit
from jixiao.gui.page_view import PageView

if TYPE_CHECKING:
    from jixiao.core.model import Document
    from jixiao.core.selfreport import Report

KINDS = (
    ("department", "部门整体支出绩效自评报告"),
    ("project", "项目支出绩效自评报告"),
    ("execution", "部门预算执行情况自评报告"),
)
REFRESH_MS = 300  # wait this long after a tick in the project list before rebuilding


class ReportDialog(QDialog):
    def __init__(self, parent: QWidget | None, doc: Document, folder: Path, stem: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("生成自评报告")
        self.doc = doc
        self.folder = folder
        self.stem = stem
        self.report: Report | None = None
        self.pages: list[Any] = []
        self.saved: list[Path] = []

        left = QVBoxLayout()
        left.addWidget(QLabel("报告类型："))
        self.kind_buttons: dict[str, QRadioButton] = {}
        for kind, name in KINDS:
            b = QRadioButton(name, self)
            b.toggled.connect(lambda on, k=kind: on and self._kind_changed(k))
            self.kind_buttons[kind] = b
            left.addWidget(b)
        self.kind_buttons["department"].setEnabled(doc.department is not None)
        self.kind_buttons["project"].setEnabled(bool(doc.projects))
        self.kind_buttons["execution"].setEnabled(doc.department is not None or bool(doc.projects))
        left.addWidget(QLabel("包含的项目："))
        self.projects = QListWidget(self)
        for f in doc.projects:
            item = QListWidgetItem(f.display_name(), self.projects)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, f.id)
        self.projects.itemChanged.connect(lambda _item: self.timer.start())
        left.addWidget(self.projects, 1)
        row = QHBoxLayout()
        for text, state in (("全选", Qt.CheckState.Checked), ("全不选", Qt.CheckState.Unchecked)):
            b = QPushButton(text, self)
            b.clicked.connect(lambda _=False, s=state: self._check_all(s))
            row.addWidget(b)
        left.addLayout(row)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        left.addWidget(self.info)

        self.preview = PageView(self)

        buttons = QHBoxLayout()
        self.save_word_button = QPushButton("保存为 Word(&W)…", self)
        self.save_word_button.clicked.connect(lambda: self.save_word())
        self.save_pdf_button = QPushButton("保存为 PDF(&P)…", self)
        self.save_pdf_button.clicked.connect(lambda: self.save_pdf())
        close = QPushButton("关闭", self)
        close.clicked.connect(self.accept)
        buttons.addStretch(1)
        buttons.addWidget(self.save_word_button)
        buttons.addWidget(self.save_pdf_button)
        buttons.addWidget(close)

        body = QHBoxLayout()
        side = QWidget(self)
        side.setLayout(left)
        side.setMaximumWidth(320)
        body.addWidget(side)
        body.addWidget(self.preview, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(body, 1)
        outer.addLayout(buttons)
        screen_fit.size_within_screen(self, 1200, 820)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.kind = ""
        first = next((k for k, _n in KINDS if self.kind_buttons[k].isEnabled()), None)
        if first is not None:
            self.kind_buttons[first].setChecked(True)  # builds the first preview

    # ------------------------------------------------------------ choosing
    def _kind_changed(self, kind: str) -> None:
        self.kind = kind
        self.projects.setEnabled(kind != "department")
        self.refresh()

    def _check_all(self, state: Qt.CheckState) -> None:
        self.projects.blockSignals(True)
        for i in range(self.projects.count()):
            self.projects.item(i).setCheckState(state)
        self.projects.blockSignals(False)
        self.refresh()

    def chosen_projects(self) -> list[str]:
        items = (self.projects.item(i) for i in range(self.projects.count()))
        return [it.data(Qt.ItemDataRole.UserRole) for it in items if it.checkState() == Qt.CheckState.Checked]

    # ------------------------------------------------------------ building
    def refresh(self) -> None:
        """Rebuild the report for the current choice and repaint the preview."""
        self.timer.stop()
        if not self.kind:
            return
        from jixiao.core.selfreport import ReportError, WordingError, build_report
        from jixiao.core.validation import count_by_severity, validate_document
        from jixiao.pdf.selfreport import plan_report

        doc, kind = self.doc, self.kind
        ids = None if kind == "department" else self.chosen_projects()

        def build() -> tuple[Report, list[Any], int]:
            report = build_report(doc, kind, ids)
            return report, plan_report(report), count_by_severity(validate_document(doc))["error"]

        try:
            self.report, self.pages, errors = dialogs.run_task(self, "正在生成自评报告…", build)
        except dialogs.TaskFailed as exc:
            self.report, self.pages = None, []
            known = isinstance(exc.exc, (ReportError, WordingError))
            self.info.setText(str(exc) if known else f"无法生成报告：{exc}")
            self._enable(False)
            self.preview.set_pages([])
            return
        n = self.report.placeholders
        lines = [f"共 {len(self.pages)} 页；【请补充：…】处 {n} 个，请在 Word 中补写（已用黄色标出）。"]
        if errors:
            lines.append(f"注意：自评表中还有 {errors} 个错误，报告中的数字按表内现有内容计算，请先核对。")
        self.info.setText("\n".join(lines))
        self._enable(True)
        self.preview.set_pages(self.pages)

    def _enable(self, on: bool) -> None:
        self.save_word_button.setEnabled(on)
        self.save_pdf_button.setEnabled(on)

    def page_count(self) -> int:
        return self.preview.page_count()

    # ------------------------------------------------------------ saving
    def _default_name(self, suffix: str) -> str:
        name = dict(KINDS)[self.kind] if self.kind else "自评报告"
        return str(self.folder / f"{self.stem}-{name}{suffix}")

    def save_word(self, path: str | None = None) -> bool:
        def write(p: str) -> None:
            from jixiao.word.writer import write_docx

            assert self.report is not None
            write_docx(self.report, p)

        return self._save("Word", ".docx", "Word 文档 (*.docx)", write, path)

    def save_pdf(self, path: str | None = None) -> bool:
        def write(p: str) -> None:
            from jixiao.pdf.selfreport import write_report_pdf

            assert self.report is not None
            write_report_pdf(self.report, p)

        return self._save("PDF", ".pdf", "PDF 文件 (*.pdf)", write, path)

    def _save(self, what: str, suffix: str, file_filter: str, write: Any, path: str | None) -> bool:
        if self.report is None:
            return False
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, f"保存为 {what}", self._default_name(suffix), file_filter)
            if not path:
                return False
        if not Path(path).suffix:
            path += suffix
        target = path
        try:
            dialogs.run_task(self, f"正在保存 {what}…", lambda: write(target))
        except dialogs.TaskFailed as exc:
            dialogs.show_error(self, "保存失败", f"无法保存到 {target}：\n{exc}")
            return False
        self.saved.append(Path(target))
        self.info.setText(self.info.text().split("\n已保存")[0] + f"\n已保存 {target}")
        return True


def open_report_dialog(window: Any) -> ReportDialog | None:
    """文件 › 生成自评报告 for the main window's document (a snapshot of it)."""
    session = getattr(window, "session", None)
    if session is None:
        return None
    doc = copy.deepcopy(session.doc)
    path = getattr(session, "path", None)
    folder = Path(path).parent if path else Path.home()
    stem = Path(path).stem if path else (f"{doc.unit}-{doc.year}" if doc.unit else f"自评-{doc.year}")
    dlg = ReportDialog(window, doc, folder, stem)
    dlg.exec()
    if dlg.saved:
        window.statusBar().showMessage(f"已保存 {dlg.saved[-1]}", 5000)
    return dlg
