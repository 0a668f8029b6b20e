"""Driving the real window with the keyboard: typing, live checks, paste, undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

from jixiao.gui import style

from .conftest import cell_index, open_editor


def _type_into(qtbot, w, path: str, text: str, key=Qt.Key.Key_Return):
    idx = cell_index(w, path)
    w.view.setFocus()
    w.view.set_current(idx)
    qtbot.keyClicks(w.view, text[:1])  # the first key opens the editor (replacing the content)
    editor = w.view.focusWidget()
    assert editor is not w.view
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, key)
    qtbot.wait(1)


def _text(w, path):
    return w.model.cell_by_path(path).text


def test_type_fund_updates_rate_and_score(window, qtbot):
    w = window
    # clear the typed rate and score so the computed figures show
    w.edit_cell("funds.年度资金总额.执行率", "")
    w.edit_cell("funds.年度资金总额.得分", "")
    assert _text(w, "funds.年度资金总额.执行率") == "100.00%"
    _type_into(qtbot, w, "funds.年度资金总额.全年执行数", "24")
    assert w.session.doc.forms[0].get("funds.年度资金总额.全年执行数") == "24"
    assert _text(w, "funds.年度资金总额.全年执行数") == "24.00"
    assert _text(w, "funds.年度资金总额.执行率") == "80.00%"
    assert _text(w, "funds.年度资金总额.得分") == "8.00"
    # Enter moved down to the next editable cell of the column
    assert w.view.current_cell().path == "funds.当年财政拨款.全年执行数"
    assert "总分" in w.status_score.text()


def test_wrong_total_finding_appears_and_vanishes(window, qtbot):
    w = window
    path = "funds.年度资金总额.全年预算数"
    assert not [f for f in w.session.findings if f.code == "fund-total-mismatch"]
    _type_into(qtbot, w, path, "31")
    found = [f for f in w.session.findings if f.code == "fund-total-mismatch"]
    assert found and found[0].field == path
    idx = cell_index(w, path)
    assert "不等于其中各行之和" in w.model.data(idx, Qt.ItemDataRole.ToolTipRole)
    assert w.model.data(idx, Qt.ItemDataRole.BackgroundRole).color() == style.ERROR_BG
    assert any(f.code == "fund-total-mismatch" for f in w.findings.fmodel.items)
    n_err = sum(1 for f in w.session.findings if f.severity == "error")
    assert f"错误 {n_err}" in w.status_counts.text()
    # the list badge counts it too
    assert f"错误 {n_err}" in w.form_list.item(0).text()
    _type_into(qtbot, w, path, "30")
    assert not [f for f in w.session.findings if f.code == "fund-total-mismatch"]
    assert w.model.data(cell_index(w, path), Qt.ItemDataRole.BackgroundRole).color() == style.INPUT_BG
    assert "错误 0" in w.status_counts.text()


def test_findings_panel_click_jumps_to_cell(window, qtbot):
    w = window
    w.edit_cell("funds.年度资金总额.全年预算数", "99")
    row = next(i for i, f in enumerate(w.findings.fmodel.items) if f.code == "fund-total-mismatch")
    idx = w.findings.fmodel.index(row, 3)
    rect = w.findings.visualRect(idx)
    qtbot.mouseClick(w.findings.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.view.current_cell().path == "funds.年度资金总额.全年预算数"


def test_override_cell_shows_suggestion_until_typed(window, qtbot):
    w = window
    path = "funds.年度资金总额.得分"
    w.edit_cell(path, "")
    idx = cell_index(w, path)
    assert w.model.data(idx) == "10.00"
    assert w.model.data(idx, Qt.ItemDataRole.FontRole).italic()
    _type_into(qtbot, w, path, "9")
    assert _text(w, path) == "9.00"
    assert not w.model.data(cell_index(w, path), Qt.ItemDataRole.FontRole).italic()
    assert any(f.code == "score-mismatch" and f.field == path for f in w.session.findings)
    # Delete returns to the computed value
    w.view.set_current(cell_index(w, path))
    qtbot.keyClick(w.view, Qt.Key.Key_Delete)
    assert w.session.doc.forms[0].get(path) == ""
    assert _text(w, path) == "10.00"


def test_tab_moves_right_and_enter_down(window, qtbot):
    w = window
    w.view.setFocus()
    w.view.set_current(cell_index(w, "funds.年度资金总额.年初预算数"))
    qtbot.keyClick(w.view, Qt.Key.Key_Tab)
    assert w.view.current_cell().path == "funds.年度资金总额.全年预算数"
    qtbot.keyClick(w.view, Qt.Key.Key_Down)  # an arrow key ends the Tab run: Enter goes straight down
    qtbot.keyClick(w.view, Qt.Key.Key_Return)
    assert w.view.current_cell().path == "funds.其他资金.全年预算数"
    qtbot.keyClick(w.view, Qt.Key.Key_Backtab)
    assert w.view.current_cell().path == "funds.其他资金.年初预算数"
    qtbot.keyClick(w.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert w.view.current_cell().path == "funds.当年财政拨款.年初预算数"
    w.view.set_current(cell_index(w, "funds.年度资金总额.年初预算数"))
    # Tab while editing commits and moves right
    _type_into(qtbot, w, "funds.年度资金总额.年初预算数", "29", key=Qt.Key.Key_Tab)
    assert w.session.doc.forms[0].get("funds.年度资金总额.年初预算数") == "29"
    assert w.view.current_cell().path == "funds.年度资金总额.全年预算数"
    # Escape cancels
    w.view.set_current(cell_index(w, "funds.年度资金总额.年初预算数"))
    qtbot.keyClicks(w.view, "7")
    qtbot.keyClick(w.view.focusWidget(), Qt.Key.Key_Escape)
    assert w.session.doc.forms[0].get("funds.年度资金总额.年初预算数") == "29"


def test_paste_block_and_undo_redo(window, qtbot):
    w = window
    form = w.session.doc.forms[0]
    first = w.model.cell_by_path("indicators[0].年度指标值")
    block = [[f">={i}{j}个", f"={i}{j}个", "5"] for i, j in zip(range(5), range(5), strict=True)]
    QGuiApplication.clipboard().setText("".join("\t".join(r) + "\r\n" for r in block))
    w.view.setFocus()
    w.view.set_current(w.model.index(first.row, first.col))
    before = [[form.get(f"indicators[{i}].{k}") for k in ("年度指标值", "实际完成值", "分值")] for i in range(5)]
    depth = w.session.undo_stack.count()
    qtbot.keyClick(w.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    rows = [w.model.row_indicator[r] for r in range(first.row, first.row + 5)]
    after = [[form.get(f"indicators[{i}].{k}") for k in ("年度指标值", "实际完成值", "分值")] for i in rows]
    assert after == block
    assert w.session.undo_stack.count() == depth + 1  # one undo step for the whole paste
    assert len(w.view.selectedIndexes()) == 15
    assert "*" in w.windowTitle()
    qtbot.keyClick(w.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    keys = ("年度指标值", "实际完成值", "分值")
    assert [[form.get(f"indicators[{i}].{k}") for k in keys] for i in range(5)] == before
    qtbot.keyClick(w.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert [[form.get(f"indicators[{i}].{k}") for k in ("年度指标值", "实际完成值", "分值")] for i in rows] == block
    # copy gives the same tab-separated block back
    w.view.select_rect(first.row, first.col, first.row + 4, first.col + 2)
    qtbot.keyClick(w.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text()
    assert copied.splitlines()[0].split("\t")[0] == ">=00个"
    assert len(copied.splitlines()) == 5


def test_paste_skips_read_only_cells(window, qtbot):
    w = window
    c = w.model.cell_by_path("funds.当年财政拨款.全年执行数")
    QGuiApplication.clipboard().setText("1\t2\t3\t4\n")
    w.view.set_current(w.model.index(c.row, c.col))
    w.paste()
    form = w.session.doc.forms[0]
    assert form.get("funds.当年财政拨款.全年执行数") == "1"
    assert "2" not in form.funds.get("当年财政拨款", {}).values()  # the "—" cells are not inputs


def test_delete_clears_selection_in_one_step(window, qtbot):
    w = window
    form = w.session.doc.forms[0]
    a = w.model.cell_by_path("funds.当年财政拨款.年初预算数")
    w.view.setFocus()
    w.view.select_rect(a.row, a.col, a.row + 1, a.col + 2)
    depth = w.session.undo_stack.count()
    qtbot.keyClick(w.view, Qt.Key.Key_Delete)
    assert form.get("funds.当年财政拨款.年初预算数") == "" and form.get("funds.其他资金.全年执行数") == ""
    assert w.session.undo_stack.count() == depth + 1
    w.session.undo_stack.undo()
    assert form.get("funds.其他资金.全年执行数") == "14.50"


def test_level_combo_and_merged_rename(window, qtbot):
    w = window
    form = w.session.doc.forms[0]
    c = w.model.cell_by_path("indicators[0].二级指标")
    assert c.rowspan > 1
    idx = w.model.index(c.row, c.col)
    w.view.setFocus()
    w.view.set_current(idx)
    qtbot.keyClick(w.view, Qt.Key.Key_F2)
    editor = w.view.indexWidget(idx) or w.view.focusWidget().parentWidget()
    assert isinstance(editor, QComboBox)
    items = [editor.itemText(i) for i in range(editor.count())]
    assert "质量指标" in items and "数量指标" in items
    editor.setCurrentIndex(items.index("时效指标"))
    qtbot.keyClick(editor.lineEdit(), Qt.Key.Key_Return)
    # the merged cell renames every row of its group
    n = c.rowspan
    assert [form.indicators[i].level2 for i in range(n)] == ["时效指标"] * n
    w.session.undo_stack.undo()
    assert form.indicators[0].level2 == "数量指标"


def test_long_text_editor(window, qtbot):
    w = window
    ed = open_editor(qtbot, w, "goals.预期目标")
    idx = cell_index(w, "goals.预期目标")
    assert isinstance(ed, QPlainTextEdit)
    ed.setPlainText("第一行")
    ed.moveCursor(ed.textCursor().MoveOperation.End)
    qtbot.keyClick(ed, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)  # Alt+Enter: a new line, as in Excel
    ed.insertPlainText("第二行")  # QTest cannot type CJK characters
    qtbot.keyClick(ed, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(ed, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)  # trailing blank lines are not kept
    qtbot.keyClick(ed, Qt.Key.Key_Return)  # Enter confirms, in long text too
    assert w.session.doc.forms[0].get("goals.预期目标") == "第一行\n第二行"
    assert w.view.state() != w.view.State.EditingState
    h = w.view.rowHeight(idx.row())
    w.edit_cell("goals.预期目标", "很长的目标" * 80)
    qtbot.waitUntil(lambda: w.view.rowHeight(idx.row()) > h, timeout=2000)  # rows grow with their text


def test_insert_delete_move_indicator_rows_undo(window, qtbot):
    w = window
    form = w.session.doc.forms[0]
    ids = [i.id for i in form.indicators]
    c = w.model.cell_by_path("indicators[1].三级指标")
    w.view.set_current(w.model.index(c.row, c.col))
    w.insert_row(below=True)
    assert len(form.indicators) == len(ids) + 1
    new = form.indicators[2]
    assert (new.level1, new.level2, new.get("三级指标")) == ("产出指标", "数量指标", "")
    assert w.view.current_cell().path == "indicators[2].三级指标"
    w.session.undo_stack.undo()
    assert [i.id for i in form.indicators] == ids
    # move down inside the 二级 group, then undo
    w.view.set_current(w.model.index(c.row, c.col))
    w.move_row(up=False)
    assert [i.id for i in form.indicators][:3] == [ids[0], ids[2], ids[1]]
    assert w.view.current_cell().path == "indicators[2].三级指标"
    # the last row of a group cannot leave it
    last = max(r for r in w.model.indicator_rows() if w.model.indicator_row(r)[2] == "数量指标")
    w.view.set_current(w.model.index(last, c.col))
    assert w.editor.move_row(last, up=False) is None
    w.session.undo_stack.undo()
    assert [i.id for i in form.indicators] == ids
    # delete and undo keeps the id
    w.view.set_current(w.model.index(c.row, c.col))
    w.delete_row()
    assert ids[1] not in [i.id for i in form.indicators]
    w.session.undo_stack.undo()
    assert [i.id for i in form.indicators] == ids


def test_read_only_cells_do_not_open_editors(window, qtbot):
    w = window
    w.view.setFocus()
    w.view.set_current(w.model.index(0, 0))
    qtbot.keyClicks(w.view, "x")
    assert not isinstance(w.view.focusWidget(), QLineEdit)
    assert w.session.undo_stack.count() == 0


def test_undo_and_redo_show_the_cells_they_change(window, qtbot):
    """Excel selects what Ctrl+Z / Ctrl+Y changed back; here the selection stayed where Enter had
    moved it, so an undo of a cell scrolled out of view changed it unseen."""
    from PySide6.QtCore import Qt

    from .conftest import cell_index

    w = window
    form = w.session.doc.forms[0]
    path = "indicators[0].实际完成值"
    old = form.get(path)
    w.view.setFocus()
    w.view.set_current(cell_index(w, path))
    qtbot.keyClicks(w.view, "9")
    qtbot.keyClick(w.view.focusWidget(), Qt.Key.Key_Return)
    assert w.view.current_cell().path != path  # Enter moved down
    w.view.set_current(cell_index(w, "header.项目名称"))  # the officer looks elsewhere
    qtbot.keyClick(w.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert form.get(path) == old
    assert w.view.current_cell().path == path
    assert [w.model.cell_at(i).path for i in w.view.selectedIndexes()] == [path]
    w.view.set_current(cell_index(w, "header.项目名称"))
    qtbot.keyClick(w.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert form.get(path) == "9" and w.view.current_cell().path == path
