"""Dropdowns for the 四川 and 重庆 columns with a list (指标性质, 是否核心指标): the template's
choices are offered, any other text is kept and the status bar says so (as Excel's data validation
in its warning style)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from tests.core.regional import chongqing_document, sichuan_document

from .conftest import cell_index, open_editor


def _open_editor(qtbot, w, path):
    open_editor(qtbot, w, path)
    editor = w.view.indexWidget(cell_index(w, path))
    assert isinstance(editor, QComboBox), type(editor)
    return editor


def test_sichuan_operator_is_picked_from_the_list(open_doc, qtbot):
    w = open_doc(sichuan_document())
    form = w.session.doc.forms[0]
    w.show_form(form.id)
    w.statusBar().clearMessage()
    editor = _open_editor(qtbot, w, "indicators[1].指标性质")
    items = [editor.itemText(i) for i in range(editor.count())]
    assert items == ["≥", "≤", "=", ">", "<", "定性"]
    assert editor.currentText() == "≥"  # the cell's value
    editor.setCurrentIndex(items.index("≤"))
    qtbot.keyClick(editor.lineEdit(), Qt.Key.Key_Return)
    assert form.indicators[1].get("指标性质") == "≤"
    assert "下拉列表" not in w.statusBar().currentMessage()  # a listed value: nothing to say
    w.session.undo_stack.undo()
    assert form.indicators[1].get("指标性质") == "≥"


def test_a_value_outside_the_list_is_kept_and_said(open_doc, qtbot):
    w = open_doc(sichuan_document())
    form = w.session.doc.forms[0]
    w.show_form(form.id)
    editor = _open_editor(qtbot, w, "indicators[1].指标性质")
    editor.setEditText("大于或等于")
    qtbot.keyClick(editor.lineEdit(), Qt.Key.Key_Return)
    assert form.indicators[1].get("指标性质") == "大于或等于"  # never lost
    msg = w.statusBar().currentMessage()
    assert "大于或等于" in msg and "下拉列表" in msg and "已按输入保留" in msg
    # the same through the 编辑栏
    w.statusBar().clearMessage()
    w.view.set_current(cell_index(w, "indicators[2].指标性质"))
    w.formula_bar.editor.setPlainText("约")
    w.formula_bar.editor.committed.emit("约")
    assert form.indicators[2].get("指标性质") == "约"
    assert "“约”" in w.statusBar().currentMessage()


def test_alt_down_opens_the_list(open_doc, qtbot):
    w = open_doc(sichuan_document())
    w.show_form(w.session.doc.forms[0].id)
    idx = cell_index(w, "indicators[0].指标性质")
    w.view.setFocus()
    w.view.set_current(idx)
    qtbot.keyClick(w.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    editor = w.view.indexWidget(idx)
    assert isinstance(editor, QComboBox)
    qtbot.waitUntil(editor.view().isVisible, timeout=2000)
    editor.hidePopup()
    # a cell without a list: Alt+↓ opens nothing
    w.view.setFocus()
    idx2 = cell_index(w, "indicators[0].度量单位")
    w.view.set_current(idx2)
    qtbot.keyClick(w.view, Qt.Key.Key_Escape)
    qtbot.keyClick(w.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert w.view.indexWidget(idx2) is None


def test_chongqing_core_indicator_yes_no(open_doc, qtbot):
    w = open_doc(chongqing_document())
    form = w.session.doc.department
    w.show_form(form.id)
    editor = _open_editor(qtbot, w, "indicators[3].是否核心指标")
    assert [editor.itemText(i) for i in range(editor.count())] == ["是", "否"]
    editor.setCurrentIndex(0)
    qtbot.keyClick(editor.lineEdit(), Qt.Key.Key_Return)
    assert form.indicators[3].get("是否核心指标") == "是"
    editor = _open_editor(qtbot, w, "indicators[3].指标性质")
    assert editor.currentText() == "定性指标"
    assert {"定量指标", "定性指标", "≥", "≤"} <= {editor.itemText(i) for i in range(editor.count())}
