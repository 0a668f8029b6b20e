"""文件 › 从上年文档新建: next year's document carried over from last year's.

Pick last year's file (.jxzp, JSON or .xlsx), choose the year, the template
(last year's region by default) and whether 全年预算数 becomes 年初预算数; the
new document opens unsaved (marked modified) and a report lists what was
carried, cleared and not carried (:mod:`jixiao.core.carryover`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jixiao.gui import screen_fit

if TYPE_CHECKING:
    from jixiao.core.carryover import CarryReport
    from jixiao.core.model import Document
    from jixiao.gui.main_window import MainWindow
    from jixiao.inputs import Input

INPUT_FILTER = ("自评文件 (*.jxzp *.json *.xlsx);;绩效自评文件 (*.jxzp);;JSON 交换文件 (*.json);;"
                "Excel 工作簿 (*.xlsx);;所有文件 (*)")
TITLE = "从上年文档新建"


class CarryOptionsDialog(QDialog):
    """Year, template and the 年初预算数 option for a carry-over from ``last``."""

    def __init__(self, parent: QWidget | None, last: Input):
        super().__init__(parent)
        from jixiao.core.carryover import target_template
        from jixiao.core.templates import available_templates

        self.setWindowTitle(TITLE)
        doc = last.doc
        lay = QVBoxLayout(self)
        about = f"{doc.unit or '未填单位'}，{doc.year} 年度，{len(doc.forms)} 张表"
        lay.addWidget(QLabel(f"上年文件：{last.name}（{about}）"))
        form = QFormLayout()
        self.year = QSpinBox()
        self.year.setRange(doc.year + 1, doc.year + 10)
        self.year.setValue(doc.year + 1)
        form.addRow("新年度：", self.year)
        self.template = QComboBox()
        current = target_template(doc)
        for t in available_templates():
            self.template.addItem(t.name, t.id)
        if self.template.findData(current.id) < 0:  # a region not installed here: last year's own copy
            self.template.addItem(f"{current.name}（上年文件所带）", current.id)
        self.template.setCurrentIndex(self.template.findData(current.id))
        form.addRow("模板：", self.template)
        lay.addLayout(form)
        self.budget = QCheckBox("把上年的全年预算数填入今年的年初预算数")
        lay.addWidget(self.budget)
        lay.addWidget(QLabel("结转项目、一级/二级/三级指标、年度指标值、指标值设定依据和分值；\n"
                             "清空金额、实际完成值、得分、执行率和原因说明。"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("结转")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self._installed = {t.id for t in available_templates()}

    def values(self) -> tuple[int, str | None, bool]:
        """(year, template id or None for last year's own, 全年预算数 → 年初预算数)."""
        tid = self.template.currentData()
        return self.year.value(), tid if tid in self._installed else None, self.budget.isChecked()


class ReportDialog(QDialog):
    """A list in plain text, with a 明细 button switching to one line per value."""

    def __init__(self, parent: QWidget | None, title: str, summary: list[str], details: list[str] | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        screen_fit.size_within_screen(self, 760, 520)
        self._summary, self._details = "\n".join(summary), "\n".join(details or [])
        lay = QVBoxLayout(self)
        self.text = QPlainTextEdit(self._summary)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        lay.addWidget(self.text)
        buttons = QDialogButtonBox()
        if details:
            self.toggle = QPushButton("显示明细")
            self.toggle.setCheckable(True)
            self.toggle.toggled.connect(self._switch)
            buttons.addButton(self.toggle, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.AcceptRole)
        close.clicked.connect(self.accept)
        lay.addWidget(buttons)

    def _switch(self, on: bool) -> None:
        self.text.setPlainText(self._details if on else self._summary)
        self.toggle.setText("显示汇总" if on else "显示明细")


def show_report(w: MainWindow, doc: Document, last: Document, report: CarryReport) -> None:
    dlg = ReportDialog(w, "结转结果", report.summary_lines(doc, last), report.detail_lines(doc, last))
    w.last_report = dlg  # kept for a look after it closed (tests)
    dlg.exec()


def new_from_previous(w: MainWindow, path: str | None = None,
                      options: tuple[int, str | None, bool] | None = None) -> bool:
    """The menu entry. ``path`` and ``options`` skip the file and options dialogs."""
    from jixiao.core.carryover import CarryOverError, carry_over
    from jixiao.core.compare import link_path
    from jixiao.gui import dialogs
    from jixiao.inputs import InputError, read_input

    if not w.files.maybe_save():
        return False
    if path is None:
        path, _ = QFileDialog.getOpenFileName(w, "选择上年的自评文件", w.files.default_dir(), INPUT_FILTER)
        if not path:
            return False
    try:
        last = read_input(path)
    except InputError as exc:
        dialogs.show_error(w, TITLE, str(exc))
        return False
    if options is None:
        dlg = CarryOptionsDialog(w, last)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return False
        options = dlg.values()
    year, template_id, budget = options
    try:
        doc, report = carry_over(last.doc, year, template_id=template_id, budget_to_initial=budget,
                                 previous_file=link_path(last.path, None))  # relative once saved
    except CarryOverError as exc:
        dialogs.show_error(w, TITLE, str(exc))
        return False
    w.set_document(doc, None, untitled_name=f"{doc.unit}-{year}")
    assert w.session is not None
    w.session.set_dirty(True)  # a whole year's plan: closing asks to save it
    w.statusBar().showMessage(f"已由 {last.name} 结转为 {year} 年度（尚未保存）", 8000)
    if last.problems:
        report.notes.extend(f"导入提示：{p}" for p in last.problems)
    show_report(w, doc, last.doc, report)
    return True
