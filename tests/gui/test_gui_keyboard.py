"""Keys as in Excel/WPS (issue 13, points 4 and 8): Enter confirms everywhere and
Alt+Enter breaks a line, the 编辑栏, the growing in-cell editor, Tab–Tab–Enter,
the first input cell after switching form, and input-method commits."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

from .conftest import cell_index, open_editor


def test_enter_confirms_in_every_long_text_block(window, qtbot):
    w = window
    for path in ("goals.实际完成情况", "indicators[0].三级指标", "indicators[0].偏差原因分析及改进措施"):
        ed = open_editor(qtbot, w, path)
        assert isinstance(ed, QPlainTextEdit), path
        ed.setPlainText("甲")
        ed.moveCursor(ed.textCursor().MoveOperation.End)
        qtbot.keyClick(ed, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
        assert ed.toPlainText() == "甲\n"
        ed.insertPlainText("乙\n\n  \n")
        qtbot.keyClick(ed, Qt.Key.Key_Return)
        assert w.view.state() != w.view.State.EditingState, path
        assert w.session.doc.forms[0].get(path) == "甲\n乙", path


def test_pasted_or_typed_trailing_blank_lines_are_trimmed(window):
    w = window
    w.edit_cell("goals.预期目标", "目标一\r\n目标二\r\n\r\n")
    assert w.session.doc.forms[0].get("goals.预期目标") == "目标一\n目标二"
    w.edit_cell("header.项目名称", "名称  ")  # spaces inside a line are the officer's
    assert w.session.doc.forms[0].get("header.项目名称") == "名称  "


def test_in_cell_editor_grows_with_its_text(window, qtbot):
    w = window
    ed = open_editor(qtbot, w, "indicators[0].偏差原因分析及改进措施")
    h0 = ed.height()
    ed.setPlainText("很长的原因说明，" * 60)
    assert ed.height() > h0
    assert ed.geometry().bottom() <= w.view.viewport().rect().bottom()
    qtbot.keyClick(ed, Qt.Key.Key_Escape)
    # a one-line editor widens with its text
    ed = open_editor(qtbot, w, "indicators[0].年度指标值")
    assert isinstance(ed, QLineEdit)
    w0 = ed.width()
    ed.setText("≥ 100 家（含新认定高新技术企业与科技型中小企业）")
    assert ed.width() > w0


def test_formula_bar_shows_and_edits_the_full_text(window, qtbot):
    w = window
    form = w.session.doc.forms[0]
    long_text = "第一段很长的说明。\n第二段。"
    w.edit_cell("goals.预期目标", long_text)
    w.view.set_current(cell_index(w, "goals.预期目标"))
    bar = w.formula_bar
    assert bar.editor.toPlainText() == long_text
    assert "预期目标" in bar.place.text()  # where, in the form's words
    bar.editor.setFocus()
    bar.editor.setPlainText("改过的目标")
    bar.editor.moveCursor(bar.editor.textCursor().MoveOperation.End)
    qtbot.keyClick(bar.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    bar.editor.insertPlainText("第二行")
    qtbot.keyClick(bar.editor, Qt.Key.Key_Return)
    assert form.get("goals.预期目标") == "改过的目标\n第二行"
    assert w.view.hasFocus()
    # Esc in the bar leaves the cell as it was
    w.view.set_current(cell_index(w, "goals.预期目标"))
    bar.editor.setFocus()
    bar.editor.setPlainText("不要")
    qtbot.keyClick(bar.editor, Qt.Key.Key_Escape)
    assert form.get("goals.预期目标") == "改过的目标\n第二行"
    assert bar.editor.toPlainText() == "改过的目标\n第二行"
    # computed cells show their figure, read-only
    w.view.set_current(cell_index(w, "funds.年度资金总额.执行率"))
    w.edit_cell("funds.年度资金总额.执行率", "")
    qtbot.wait(5)
    assert bar.editor.isReadOnly() is False  # an override cell may be typed over
    w.show_form("summary")
    w.view.set_current(w.model.index(5, 1))
    assert bar.editor.isReadOnly()


def test_tab_tab_enter_returns_to_the_start_column(window, qtbot):
    w = window
    start = cell_index(w, "indicators[0].三级指标")
    w.view.setFocus()
    w.view.set_current(start)
    qtbot.keyClick(w.view, Qt.Key.Key_Tab)
    qtbot.keyClick(w.view, Qt.Key.Key_Tab)
    assert w.view.current_cell().path == "indicators[0].实际完成值"
    qtbot.keyClick(w.view, Qt.Key.Key_Return)
    assert w.view.current_cell().path == "indicators[1].三级指标"
    # the same while typing: Tab commits and moves right, Enter goes back to the start column
    qtbot.keyClicks(w.view, "A")
    qtbot.keyClick(w.view.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(w.view, "B")
    qtbot.keyClick(w.view.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(w.view, "C")
    qtbot.keyClick(w.view.focusWidget(), Qt.Key.Key_Return)
    form = w.session.doc.forms[0]
    assert [form.get(f"indicators[1].{k}") for k in ("三级指标", "年度指标值", "实际完成值")] == ["A", "B", "C"]
    assert w.view.current_cell().path == "indicators[2].三级指标"
    # without a Tab run Enter goes straight down
    qtbot.keyClick(w.view, Qt.Key.Key_Right)
    qtbot.keyClick(w.view, Qt.Key.Key_Return)
    assert w.view.current_cell().path == "indicators[3].年度指标值"


def test_switching_form_selects_the_first_input_cell(app, qtbot, monkeypatch):
    from .conftest import project_window

    w = project_window(app, qtbot, ["s002_p01.json", "s002_p02.json"], monkeypatch)
    try:
        w.view.setFocus()
        w.view.set_current(cell_index(w, "indicators[3].得分"))
        qtbot.keyClick(w.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        assert w.model.form_id == w.session.doc.forms[1].id
        assert w.view.current_cell().path == "header.项目名称"
        assert w.view.hasFocus()
        qtbot.keyClicks(w.view, "X")  # typing works at once
        assert isinstance(QApplication.focusWidget(), QLineEdit)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        # a click in the side list: first input cell, focus in the grid
        item = w.form_list.item(0)
        rect = w.form_list.visualItemRect(item)
        qtbot.mouseClick(w.form_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert w.model.form_id == w.session.doc.forms[0].id
        assert w.view.current_cell().path == "header.项目名称" and w.view.hasFocus()
    finally:
        w.shutdown()


def test_ime_commit_without_preedit_starts_editing(window, qtbot):
    w = window
    form = w.session.doc.forms[0]
    w.view.setFocus()
    w.view.set_current(cell_index(w, "indicators[0].实际完成值"))
    ev = QInputMethodEvent("", [])
    ev.setCommitString("＝")  # full-width punctuation: committed without a pre-edit stage
    QApplication.sendEvent(w.view, ev)
    ed = QApplication.focusWidget()
    assert ed is not w.view and w.view.state() == w.view.State.EditingState
    ev = QInputMethodEvent("", [])
    ev.setCommitString("十二家")
    QApplication.sendEvent(ed, ev)
    qtbot.keyClick(ed, Qt.Key.Key_Return)
    assert form.get("indicators[0].实际完成值") == "＝十二家"
    # on a read-only cell nothing happens and nothing breaks
    w.view.set_current(cell_index(w, "funds.年度资金总额.分值"))
    w.view.set_current(w.model.index(0, 0))  # the title
    ev = QInputMethodEvent("", [])
    ev.setCommitString("。")
    QApplication.sendEvent(w.view, ev)
    assert w.view.state() != w.view.State.EditingState


def _label_cell(w, text: str):
    c = next(c for c in w.model.grid.cells if c.text == text and not c.editable)
    return w.model.index(c.row, c.col)


def test_typing_on_a_cell_that_cannot_take_it_says_why(window, qtbot):
    """Excel warns on a protected cell: here the keys on a label or a computed cell were dropped unsaid
    (and Qt's keyboard search could jump elsewhere)."""
    w = window
    w.view.setFocus()
    label = _label_cell(w, "年度资金总额")
    w.view.set_current(label)
    qtbot.keyClicks(w.view, "100")
    assert w.view.state() != w.view.State.EditingState
    assert w.view.currentIndex() == label  # the keys moved nothing
    assert "栏目名称，不能填写" in w.statusBar().currentMessage()
    dash = next(c for c in w.model.grid.cells if c.text == "—")  # 分值 of a 其中 row
    w.view.set_current(w.model.index(dash.row, dash.col))
    qtbot.keyClicks(w.view, "9")
    assert "不需填写" in w.statusBar().currentMessage()
    total = next(c for c in w.model.grid.cells if c.role == "computed")  # the 总分's 分值
    w.view.set_current(w.model.index(total.row, total.col))
    ev = QInputMethodEvent("", [])
    ev.setCommitString("。")  # an input method's commit on it: told too
    w.statusBar().clearMessage()
    QApplication.sendEvent(w.view, ev)
    assert "自动计算" in w.statusBar().currentMessage()
    assert not w.session.undo_stack.canUndo()


def test_tab_run_begun_on_a_label_returns_to_where_typing_began(window, qtbot):
    """Down from the 项目名称 lands on a label row; Tab goes to the first input cell and the run
    begins there, so Enter goes to the next fund row's 年初预算数 (not down the label column)."""
    w = window
    form = w.session.doc.forms[0]
    w.view.setFocus()
    w.view.set_current(_label_cell(w, "年度资金总额"))
    qtbot.keyClick(w.view, Qt.Key.Key_Tab)
    first = w.view.current_cell().path
    assert first.endswith(".年初预算数")
    qtbot.keyClicks(w.view, "1")
    qtbot.keyClicks(w.view.focusWidget(), "00")  # the editor opened by the first key
    qtbot.keyClick(w.view.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(w.view, "1")
    qtbot.keyClicks(w.view.focusWidget(), "20")
    qtbot.keyClick(w.view.focusWidget(), Qt.Key.Key_Return)
    nxt = w.view.current_cell().path
    assert nxt.startswith("funds.") and nxt.endswith(".年初预算数") and nxt != first
    assert form.get(first) == "100"


def test_f2_and_double_click_edit_at_the_end_of_the_text(window, qtbot):
    """Excel's F2 puts the caret after the text: Qt selected a one-line editor's whole text, so
    the officer who pressed F2 to add a character replaced the cell's content with it."""
    w = window
    form = w.session.doc.forms[0]
    for path in ("indicators[0].实际完成值", "header.项目名称"):
        old = form.get(path)
        ed = open_editor(qtbot, w, path)
        assert isinstance(ed, QLineEdit) and not ed.hasSelectedText()
        qtbot.keyClicks(ed, "!")
        qtbot.keyClick(ed, Qt.Key.Key_Return)
        assert form.get(path) == old + "!", path
    # a double click edits at the end too
    idx = cell_index(w, "indicators[1].实际完成值")
    old = form.get("indicators[1].实际完成值")
    w.view.scrollTo(idx)
    pos = w.view.visualRect(idx).center()
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    ed = QApplication.focusWidget()
    assert isinstance(ed, QLineEdit) and not ed.hasSelectedText()
    qtbot.keyClicks(ed, "X")
    qtbot.keyClick(ed, Qt.Key.Key_Return)
    assert form.get("indicators[1].实际完成值") == old + "X"
    # typing on a selected cell still replaces its content, as in Excel
    w.view.set_current(cell_index(w, "indicators[2].实际完成值"))
    qtbot.keyClicks(w.view, "7")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert form.get("indicators[2].实际完成值") == "7"
