"""The questions the window asks in a message box, answered as an officer would: a button
clicked, Enter (the default button) or Esc. The rest of the GUI tests replace these prompts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from jixiao.core.recovery import RecoveryEntry
from jixiao.gui import dialogs
from jixiao.gui.locking import LockInfo

ENTRY = RecoveryEntry(Path("r.json"), "D:/自评/2024.jxzp", "2025-03-01T10:00:00", "某某局", 2024, 3)
LOCK = LockInfo(pid=4242, host="PC-财务", user="张三", since="2025-03-01 09:00")


def _answer(how: str) -> dict[str, object]:
    """Schedule an answer to the next message box: ``"Enter"``, ``"Esc"`` or a button's label.
    Returns what the box showed, filled in when it was answered."""
    shown: dict[str, object] = {}

    def act() -> None:
        box = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None)
        if box is None:
            QTimer.singleShot(10, act)
            return
        shown.update(title=box.windowTitle(), text=box.text(), info=box.informativeText(),
                     buttons=[b.text() for b in box.buttons()], default=box.defaultButton().text())
        if how == "Enter":
            QTest.keyClick(box, Qt.Key.Key_Return)
        elif how == "Esc":
            QTest.keyClick(box, Qt.Key.Key_Escape)
        else:
            next(b for b in box.buttons() if b.text() == how).click()

    QTimer.singleShot(0, act)
    return shown


@pytest.mark.parametrize("how, answer", [
    ("保存(&S)", "save"), ("不保存(&N)", "discard"), ("取消", "cancel"), ("Enter", "save"), ("Esc", "cancel"),
])
def test_save_changes(app, how, answer):
    shown = _answer(how)
    assert dialogs.ask_save_changes(None, "2024.jxzp") == answer
    assert shown["title"] == "保存更改" and shown["text"] == "“2024.jxzp”已修改，是否保存更改？"
    assert shown["default"] == "保存(&S)"


@pytest.mark.parametrize("how, answer", [
    ("只读打开", "readonly"), ("仍然编辑", "edit"), ("取消", "cancel"), ("Enter", "readonly"), ("Esc", "cancel"),
])
def test_document_open_elsewhere(app, how, answer):
    shown = _answer(how)
    assert dialogs.ask_locked(None, "2024.jxzp", LOCK) == answer
    assert shown["text"] == f"“2024.jxzp”已在{LOCK.describe()}中打开。"
    assert "建议以只读方式打开" in str(shown["info"])


@pytest.mark.parametrize("how, answer", [
    ("查看(&V)", "view"), ("仍然导出(&G)", "go"), ("取消", "cancel"), ("Enter", "view"), ("Esc", "cancel"),
])
def test_export_with_problems_left(app, how, answer):
    shown = _answer(how)
    assert dialogs.ask_export_anyway(None, "导出", 2, 3) == answer
    assert shown["title"] == "导出前检查" and shown["text"] == "文档中还有 2 个错误、3 项待填。"
    assert sorted(shown["buttons"]) == sorted(["查看(&V)", "仍然导出(&G)", "取消"])


def test_export_with_pending_cells_only_names_them(app):
    shown = _answer("Esc")
    assert dialogs.ask_export_anyway(None, "打印", 0, 4) == "cancel"
    assert shown["text"] == "文档中还有 4 项待填。" and "仍然打印(&G)" in shown["buttons"]


@pytest.mark.parametrize("how, answer", [("删除", True), ("取消", False), ("Enter", False), ("Esc", False)])
def test_confirm_takes_enter_as_no(app, how, answer):
    shown = _answer(how)
    assert dialogs.confirm(None, "删除项目", "删除“科普活动”？", ok="删除") is answer
    assert shown["default"] == "取消"


@pytest.mark.parametrize("how, restored", [("恢复", True), ("不恢复", False), ("Enter", True), ("Esc", False)])
def test_recovery_offer(app, how, restored):
    shown = _answer(how)
    assert dialogs.ask_recovery(None, [ENTRY, ENTRY]) is (ENTRY if restored else None)
    assert "某某局 2024年，3 张表" in str(shown["info"]) and "另有 1 个自动保存文件" in str(shown["info"])
