"""Dialogs: new document; the questions asked in a message box (restore after a
crash, document open elsewhere, save changes, export with problems left, confirm),
all through :func:`ask`; a progress helper for slow tasks (export, import, print)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jixiao.core.model import Document
from jixiao.core.recovery import RecoveryEntry
from jixiao.core.retemplate import TemplateChange
from jixiao.core.templates import available_templates
from jixiao.gui import screen_fit
from jixiao.gui.locking import LockInfo


class NewDocumentDialog(QDialog):
    """新建: template (region), unit, year. Starts with the officer's own last unit and
    region (never the example's), and last year: the spring's forms are about it."""

    def __init__(self, parent: QWidget | None = None, unit: str = "", year: int | None = None,
                 template_id: str = ""):
        super().__init__(parent)
        self.setWindowTitle("新建自评文件")
        if year is None:
            import datetime

            year = datetime.date.today().year - 1
        form = QFormLayout(self)
        self.template = QComboBox(self)
        for t in available_templates():
            self.template.addItem(t.name, t.id)
        if template_id and self.template.findData(template_id) >= 0:
            self.template.setCurrentIndex(self.template.findData(template_id))
        self.unit = QLineEdit(unit, self)
        self.unit.setPlaceholderText("例如：乌鲁木齐市科学技术局")
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.projects = QSpinBox(self)
        self.projects.setRange(0, 200)
        self.projects.setValue(1)
        form.addRow("模板（地区）(&T)：", self.template)
        form.addRow("单位名称(&U)：", self.unit)
        form.addRow("年度(&Y)：", self.year)
        form.addRow("项目表数量(&P)：", self.projects)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("创建")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        screen_fit.size_within_screen(self, 420, self.sizeHint().height())
        # the officer types the unit first: keys must not go to the 模板 list (whose type-to-find
        # would silently pick another region); a remembered unit is selected, so typing replaces it
        self.unit.setFocus()
        self.unit.selectAll()

    def _accept(self) -> None:
        if not self.unit.text().strip():
            self.unit.setFocus()
            self.unit.setPlaceholderText("请填写单位名称")
            return
        self.accept()

    def values(self) -> tuple[str, str, int, int]:
        return self.template.currentData(), self.unit.text().strip(), self.year.value(), self.projects.value()


class DocumentPropertiesDialog(QDialog):
    """文件 › 文档属性: unit, year, region. Choosing another region shows what moves
    and what cannot before anything changes."""

    def __init__(self, parent: QWidget | None, doc: Document):
        super().__init__(parent)
        self.doc = doc
        self.change: TemplateChange | None = None
        self.setWindowTitle("文档属性")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.unit = QLineEdit(doc.unit, self)
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(doc.year)
        self.template = QComboBox(self)
        for t in available_templates():
            self.template.addItem(t.name, t.id)
        i = self.template.findData(doc.template_id)
        if i < 0:
            self.template.addItem(doc.template.name, doc.template_id)
            i = self.template.count() - 1
        self.template.setCurrentIndex(i)
        form.addRow("单位名称(&U)：", self.unit)
        form.addRow("年度(&Y)：", self.year)
        form.addRow("模板（地区）(&T)：", self.template)
        lay.addLayout(form)
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setMinimumSize(560, 200)
        lay.addWidget(self.preview, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.template.currentIndexChanged.connect(self._preview)
        self._preview()

    def _preview(self) -> None:
        tid = self.template.currentData()
        if tid == self.doc.template_id:
            self.change = None
            self.preview.setPlainText("地区模板不变。修改单位名称时，各表中与原单位名称相同的部门名称、实施单位一并修改。")
            return
        from jixiao.core.retemplate import change_template

        self.change = change_template(self.doc, tid)
        lines = [f"改用“{self.template.currentText()}”模板："]
        if self.change.clean:
            lines.append("所有内容都能对应到新模板。")
        if self.change.moved:
            lines.append("\n资金行按含义对应（名称不同）：")
            lines += [f"  · {x}" for x in self.change.moved]
        if self.change.kept:
            lines.append(f"\n以下 {len(self.change.kept)} 项在新模板中没有对应栏目，"
                         "保留在资金附加行或本表的“附加内容”中（箭头后为去向，可撤销）：")
            lines += [f"  · {x}" for x in self.change.kept]
        if self.change.lost:
            lines.append(f"\n以下 {len(self.change.lost)} 项在新模板中没有对应的表，将不能保留（可撤销）：")
            lines += [f"  · {x}" for x in self.change.lost]
        if self.change.notes:
            lines.append(f"\n以下 {len(self.change.notes)} 项保留原文，但请核对：")
            lines += [f"  · {x}" for x in self.change.notes]
        self.preview.setPlainText("\n".join(lines))

    def _accept(self) -> None:
        if not self.unit.text().strip():
            self.unit.setFocus()
            self.unit.setPlaceholderText("请填写单位名称")
            return
        self.accept()

    def values(self) -> tuple[str, str, int]:
        return self.template.currentData(), self.unit.text().strip(), self.year.value()


ACCEPT = QMessageBox.ButtonRole.AcceptRole
DESTRUCTIVE = QMessageBox.ButtonRole.DestructiveRole
REJECT = QMessageBox.ButtonRole.RejectRole


def ask(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
        buttons: list[tuple[str, str, QMessageBox.ButtonRole]], *, default: str, informative: str = "") -> str:
    """A message box with ``buttons``, each ``(answer, label, role)``, the one whose answer is
    ``default`` taking Enter; returns the answer of the button clicked. Esc clicks the
    ``REJECT`` button; a box closed any other way answers ``"cancel"``."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    added = []
    for answer, label, role in buttons:
        button = box.addButton(label, role)
        added.append((button, answer))
        if answer == default:
            box.setDefaultButton(button)
    screen_fit.keep_on_screen(box)
    box.exec()
    clicked = box.clickedButton()
    return next((answer for button, answer in added if button is clicked), "cancel")


def ask_recovery(parent: QWidget | None, entries: list[RecoveryEntry]) -> RecoveryEntry | None:
    """Offer to restore the newest autosave left by a crash."""
    e = entries[0]
    where = e.source or "未保存的新文件"
    more = f"\n（另有 {len(entries) - 1} 个自动保存文件）" if len(entries) > 1 else ""
    answer = ask(parent, QMessageBox.Icon.Question, "恢复未保存的内容",
                 "上次程序没有正常退出，发现自动保存的内容。是否恢复？",
                 [("restore", "恢复", ACCEPT), ("cancel", "不恢复", REJECT)], default="restore",
                 informative=f"{e.unit} {e.year}年，{e.forms} 张表\n原文件：{where}\n自动保存于：{e.saved_at}{more}")
    return e if answer == "restore" else None


def ask_locked(parent: QWidget | None, name: str, info: LockInfo) -> str:
    """``"readonly"``, ``"edit"`` or ``"cancel"``."""
    return ask(parent, QMessageBox.Icon.Warning, "文件已被打开", f"“{name}”已在{info.describe()}中打开。",
               [("readonly", "只读打开", ACCEPT), ("edit", "仍然编辑", DESTRUCTIVE), ("cancel", "取消", REJECT)],
               default="readonly", informative="同时在两个窗口中编辑会互相覆盖。建议以只读方式打开。")


def ask_overwrite_changed(parent: QWidget | None, name: str) -> str:
    """Saving over a file someone else changed since it was opened: ``"overwrite"``, ``"save_as"`` or ``"cancel"``."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("文件已被修改")
    box.setText(f"“{name}”在打开后已被其他程序或其他人修改。")
    box.setInformativeText("覆盖会丢失对方的修改。建议另存为新文件，再核对两份内容。")
    save_as = box.addButton("另存为(&A)…", QMessageBox.ButtonRole.AcceptRole)
    overwrite = box.addButton("仍然覆盖(&O)", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save_as)
    box.exec()
    clicked = box.clickedButton()
    return "save_as" if clicked is save_as else ("overwrite" if clicked is overwrite else "cancel")


def ask_open_backup(parent: QWidget | None, message: str, backup_name: str) -> str:
    """A file cut short that has a backup: ``"open"`` (its content, saved back to the file) or ``"cancel"``."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("文件内容不完整")
    box.setText(message)
    box.setInformativeText(f"打开备份 {backup_name} 的内容？保存时会写回原文件（原文件的不完整内容不再保留）。")
    open_ = box.addButton("打开备份(&B)", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_)
    box.exec()
    return "open" if box.clickedButton() is open_ else "cancel"


class TaskFailed(Exception):
    def __init__(self, exc: BaseException):
        super().__init__(str(exc))
        self.exc = exc


def run_task(parent: QWidget | None, label: str, func: Callable[[], Any], *, delay_ms: int = 400,
             cancel: threading.Event | None = None) -> Any:
    """Run ``func`` in a worker thread while the UI stays responsive; a busy
    progress dialog appears if it takes longer than ``delay_ms``. Re-raises
    the worker's exception wrapped in :class:`TaskFailed`.

    With ``cancel`` the dialog has a 取消 button that sets the event; ``func``
    is expected to look at it and stop (raising), and is waited for."""
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["result"] = func()
        except BaseException as exc:  # noqa: BLE001 - reported to the user
            box["error"] = exc

    t = threading.Thread(target=work, name="jixiao-task", daemon=True)
    start = time.perf_counter()
    t.start()
    t.join(0.05)
    dlg: QProgressDialog | None = None
    if t.is_alive():
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(30)

        def cancelled() -> None:
            if cancel is not None:
                cancel.set()
            if dlg is not None:
                dlg.setLabelText("正在取消…")

        def poll() -> None:
            nonlocal dlg
            if not t.is_alive():
                loop.quit()
                return
            if dlg is None and (time.perf_counter() - start) * 1000 >= delay_ms:
                dlg = QProgressDialog(label, "取消" if cancel is not None else "", 0, 0, parent)
                dlg.setWindowTitle("请稍候")
                dlg.setMinimumWidth(360)
                if cancel is None:
                    dlg.setCancelButton(None)
                dlg.setAutoClose(False)
                dlg.setAutoReset(False)
                dlg.canceled.connect(cancelled)
                dlg.setWindowModality(Qt.WindowModality.WindowModal)
                dlg.setMinimumDuration(0)
                dlg.show()

        timer.timeout.connect(poll)
        timer.start()
        loop.exec()
        timer.stop()
        t.join()
        if dlg is not None:
            dlg.canceled.disconnect(cancelled)
            dlg.close()
            dlg.deleteLater()
    if "error" in box:
        raise TaskFailed(box["error"])
    return box.get("result")


def ask_export_anyway(parent: QWidget | None, verb: str, errors: int, pending: int) -> str:
    """Before 导出 / 打印 with problems left: ``"view"``, ``"go"`` or ``"cancel"``."""
    parts = [f"{errors} 个错误" if errors else "", f"{pending} 项待填" if pending else ""]
    return ask(parent, QMessageBox.Icon.Warning, f"{verb}前检查", f"文档中还有 {'、'.join(p for p in parts if p)}。",
               [("view", "查看(&V)", ACCEPT), ("go", f"仍然{verb}(&G)", DESTRUCTIVE), ("cancel", "取消", REJECT)],
               default="view", informative=f"建议先查看并改正后再{verb}。待填的单元格现在按错误标出。")


def ask_save_changes(parent: QWidget | None, name: str) -> str:
    """``"save"``, ``"discard"`` or ``"cancel"`` for a modified document."""
    return ask(parent, QMessageBox.Icon.Question, "保存更改", f"“{name}”已修改，是否保存更改？",
               [("save", "保存(&S)", ACCEPT), ("discard", "不保存(&N)", DESTRUCTIVE), ("cancel", "取消", REJECT)],
               default="save")


def confirm(parent: QWidget | None, title: str, text: str, ok: str = "确定") -> bool:
    """``ok`` or 取消, 取消 taking Enter: for what cannot be taken back by accident."""
    return ask(parent, QMessageBox.Icon.Question, title, text, [("ok", ok, ACCEPT), ("cancel", "取消", REJECT)],
               default="cancel") == "ok"


MESSAGE_LINES, MESSAGE_CHARS = 12, 600  # a longer message shows its beginning; all of it is under 显示详细信息


def _message(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, details: str = "") -> None:
    """A message box that fits the screen however long ``text`` is: a long text
    is cut after its first lines and given whole in the scrolling details."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    lines = text.splitlines()
    if len(lines) > MESSAGE_LINES or len(text) > MESSAGE_CHARS:
        head = "\n".join(lines[:MESSAGE_LINES - 1])[:MESSAGE_CHARS]
        box.setText(f"{head}\n……（全文共 {len(lines)} 行，见“显示详细信息”）")
        details = f"{text}\n\n{details}" if details and details != text else text
    else:
        box.setText(text)
    if details:
        box.setDetailedText(details)
    screen_fit.keep_on_screen(box)
    box.exec()


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    _message(parent, QMessageBox.Icon.Critical, title, text)


def show_info(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    _message(parent, QMessageBox.Icon.Information, title, text, details)
