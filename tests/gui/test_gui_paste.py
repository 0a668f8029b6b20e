"""Paste from Excel and growing blocks (issue 13, points 1 and 7): merged 一级/二级
copied as one value and blanks, extra rows inserted, too wide said so, all one
undo step; Ctrl+D; the right-click menu; every repeatable block grows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from .conftest import cell_index

KEYS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值")


def _rows(form):
    return [tuple(ind.get(k) for k in KEYS) for ind in form.indicators]


def _excel_copy(rows: list[list[str]]) -> None:
    """What Excel/WPS put on the clipboard: merged cells as one value then blanks."""
    QGuiApplication.clipboard().setText("".join("\t".join(r) + "\r\n" for r in rows))


def test_paste_twelve_rows_with_merged_blanks_into_ten(window, qtbot):
    w = window
    form = w.session.doc.forms[0]
    before = _rows(form)
    assert len(before) == 10
    block = []
    for i in range(12):
        l1 = "产出指标" if i == 0 else ("效益指标" if i == 8 else "")
        l2 = {0: "数量指标", 5: "质量指标", 8: "社会效益指标"}.get(i, "")
        block.append([l1, l2, f"指标{i + 1}", f"≥{i + 1}个", f"{i + 1}个", "5"])
    _excel_copy(block)
    w.view.setFocus()
    w.view.set_current(cell_index(w, "indicators[0].一级指标"))
    qtbot.keyClick(w.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    after = _rows(form)
    assert len(after) == 12  # two rows inserted, none dropped
    names = [r[2] for r in after]
    assert names == [f"指标{i + 1}" for i in range(12)]
    levels = [(r[0], r[1]) for r in after]
    # a blank 一级/二级 means "same as above", never an empty label
    assert levels[:5] == [("产出指标", "数量指标")] * 5
    assert levels[5:8] == [("产出指标", "质量指标")] * 3
    assert levels[8:] == [("效益指标", "社会效益指标")] * 4
    assert "已插入 2 行" in w.statusBar().currentMessage()
    # the grid shows the merged groups again
    c = w.model.cell_by_path("indicators[0].一级指标")
    assert c.rowspan == 8 and c.text == "产出指标"
    # one undo step brings the form back exactly
    w.session.undo_stack.undo()
    assert _rows(form) == before
    w.session.undo_stack.redo()
    assert len(_rows(form)) == 12


def test_paste_wider_than_the_form_says_so(window, qtbot):
    w = window
    form = w.session.doc.forms[0]
    last = w.model.columnCount() - 1
    c = w.model.cell(w.model.cell_by_path("indicators[0].三级指标").row, last)
    assert c.editable
    _excel_copy([["原因甲", "多出1", "多出2"]])
    w.view.setFocus()
    w.view.set_current(w.model.index(c.row, last))
    qtbot.keyClick(w.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert form.get(c.path) == "原因甲"
    assert "最右边 2 列没有粘贴" in w.statusBar().currentMessage()


def test_ctrl_d_fills_down_as_one_undo_step(window, qtbot):
    w = window
    form = w.session.doc.forms[0]
    before = [form.get(f"indicators[{i}].分值") for i in range(5)]
    top = cell_index(w, "indicators[0].分值")
    bottom = cell_index(w, "indicators[4].分值")
    w.view.setFocus()
    w.view.set_current(top)
    w.view.select_rect(top.row(), top.column(), bottom.row(), bottom.column())
    qtbot.keyClick(w.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert [form.get(f"indicators[{i}].分值") for i in range(5)] == [before[0]] * 5
    assert w.session.undo_stack.undoText() == "向下填充"
    w.session.undo_stack.undo()
    assert [form.get(f"indicators[{i}].分值") for i in range(5)] == before
    # one row selected: from the cell above
    one = cell_index(w, "indicators[6].实际完成值")
    w.view.set_current(one)
    qtbot.keyClick(w.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert form.get("indicators[6].实际完成值") == form.get("indicators[5].实际完成值")


def test_right_click_menu(window, qtbot):
    w = window
    form = w.session.doc.forms[0]
    n = len(form.indicators)
    idx = cell_index(w, "indicators[2].三级指标")
    w.view.show_grid = None
    pos = w.view.visualRect(idx).center()
    w.view.customContextMenuRequested.emit(pos)
    menu = w.grid_menu
    assert menu is not None and menu.isVisible()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    for t in ("在上方插入行", "在下方插入行", "删除行", "复制", "粘贴", "清除内容", "向下填充"):
        assert any(x.startswith(t) for x in texts), t
    assert w.view.current_cell().path == "indicators[2].三级指标"  # the clicked cell
    below = next(a for a in menu.actions() if a.text().startswith("在下方插入行"))
    menu.hide()
    below.trigger()
    assert len(form.indicators) == n + 1 and form.indicators[3].get("三级指标") == ""
    assert w.view.current_cell().path == "indicators[3].三级指标"
    delete = next(a for a in menu.actions() if a.text().startswith("删除行"))
    delete.trigger()
    assert len(form.indicators) == n


def test_every_repeatable_block_grows(app, qtbot, monkeypatch):
    """河南 部门整体's 年度主要任务 takes as many rows as the officer needs."""
    from jixiao.core.model import new_document
    from jixiao.gui import dialogs
    from jixiao.gui.main_window import MainWindow

    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    w = MainWindow(persist=False)
    qtbot.addWidget(w)
    w.set_document(new_document("henan", "三门峡市科学技术局", 2024, projects=0), None)
    w.show()
    try:
        form = w.session.doc.forms[0]
        assert form.kind == "department"
        w.view.setFocus()
        w.view.set_current(cell_index(w, "年度主要任务[0].任务名称"))
        assert w.a_ins_below.isEnabled()
        w.a_ins_below.trigger()
        assert w.model.cell_by_path("年度主要任务[1].任务名称") is not None
        assert w.view.current_cell().path == "年度主要任务[1].任务名称"
        w.edit_cell("年度主要任务[1].任务名称", "任务乙")
        w.view.set_current(cell_index(w, "年度主要任务[1].任务名称"))
        w.a_ins_below.trigger()
        assert len(form.tables["年度主要任务"]) == 3
        # a pasted list longer than the block adds rows, in one undo step
        _excel_copy([[f"任务{i}", f"内容{i}", f"完成{i}"] for i in range(5)])
        w.view.set_current(cell_index(w, "年度主要任务[0].任务名称"))
        w.paste()
        rows = form.tables["年度主要任务"]
        assert [r.get("任务名称") for r in rows] == [f"任务{i}" for i in range(5)]
        assert rows[4] == {"任务名称": "任务4", "主要内容": "内容4", "实际完成情况": "完成4"}
        w.session.undo_stack.undo()
        assert [r.get("任务名称", "") for r in form.tables["年度主要任务"]] == ["", "任务乙", ""]
        # a row copied from our own Excel export: one column per grid column, merged fields blank
        _excel_copy([["任务X", "", "内容X", "", "", "完成X", "", "", ""]])
        w.view.set_current(cell_index(w, "年度主要任务[2].任务名称"))
        w.paste()
        assert form.tables["年度主要任务"][2] == {"任务名称": "任务X", "主要内容": "内容X", "实际完成情况": "完成X"}
        w.session.undo_stack.undo()
        # 删除行 removes a block row
        w.view.set_current(cell_index(w, "年度主要任务[1].任务名称"))
        w.a_del_row.trigger()
        assert [r.get("任务名称", "") for r in form.tables.get("年度主要任务", [])] == ["", ""]
    finally:
        w.shutdown()


def test_a_regrouping_paste_selects_the_rows_where_they_went(app, qtbot, monkeypatch):
    """河南 lists every 二级: rows pasted onto the empty 成本指标 rows go to their own 一级/二级,
    and the selection follows them (not the rows the paste was dropped on)."""
    from jixiao.core.model import new_document
    from jixiao.gui import dialogs
    from jixiao.gui.main_window import MainWindow

    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    doc = new_document("henan", "三门峡市科学技术局", 2024, projects=1)
    w = MainWindow(persist=False)
    qtbot.addWidget(w)
    w.set_document(doc, None, untitled_name="测试")
    w.show()
    qtbot.waitExposed(w)
    form = doc.projects[0]
    w.show_form(form.id)
    _excel_copy([["产出指标", "数量指标", "选派科技特派员人数", "≥50人", "52人", "10"],
                 ["", "", "服务乡镇数", "≥20个", "18个", "10"],
                 ["满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "93%", "5"]])
    first_row = w.model.indicator_rows()[0]  # 成本指标 · 经济成本指标, listed empty
    assert w.model.indicator_row(first_row)[1] == "成本指标"
    w.view.setFocus()
    w.view.set_current(w.model.index(first_row, w.model.level_cols[0]))
    qtbot.keyClick(w.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    names = {ind.get("三级指标"): ind for ind in form.indicators if ind.get("三级指标")}
    assert set(names) == {"选派科技特派员人数", "服务乡镇数", "服务对象满意度"}
    assert names["服务乡镇数"].level1 == "产出指标" and names["服务对象满意度"].level2 == "服务对象满意度指标"
    selected_rows = {i.row() for i in w.view.selectionModel().selectedIndexes()}
    pasted_rows = {w.model.cell_by_path(f"indicators[{form.indicators.index(ind)}].三级指标").row
                   for ind in names.values()}
    assert selected_rows == pasted_rows
    assert w.model.indicator_row(first_row)[1] == "成本指标" and first_row not in selected_rows
    w.session.undo_stack.undo()
    assert not any(ind.get("三级指标") for ind in form.indicators)


def test_a_fund_row_copied_with_its_label_lands_in_its_columns(window, qtbot):
    """A fund row copied from another workbook, label included (one column for 年度资金总额, which
    spans two grid columns here): every figure was shifted one column left and 年初预算数 lost."""
    w = window
    form = w.session.doc.forms[0]
    label = next(c for c in w.model.grid.cells if c.text == "年度资金总额" and not c.editable)
    assert label.colspan > 1  # the case: a label merged over two grid columns
    QGuiApplication.clipboard().setText("年度资金总额\t100\t120\t110\t10\t91.67%\t9.17\r\n")
    w.view.setFocus()
    w.view.set_current(w.model.index(label.row, label.col))
    qtbot.keyClick(w.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    got = {k: form.get(f"funds.年度资金总额.{k}") for k in ("年初预算数", "全年预算数", "全年执行数", "分值")}
    assert got == {"年初预算数": "100", "全年预算数": "120", "全年执行数": "110", "分值": "10"}
    # copied from our own Excel export: the merged label is its value then a blank, one column per grid column
    w.session.undo_stack.undo()  # (which selects the cells it restored)
    w.view.set_current(w.model.index(label.row, label.col))
    QGuiApplication.clipboard().setText("年度资金总额\t\t200\t220\t210\r\n")
    qtbot.keyClick(w.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [form.get(f"funds.年度资金总额.{k}") for k in ("年初预算数", "全年预算数", "全年执行数")] == \
        ["200", "220", "210"]


def test_values_pasted_onto_labels_are_reported(window, qtbot):
    """A value that falls on a label (not the label's own text) is not silently dropped."""
    w = window
    label = next(c for c in w.model.grid.cells if c.text == "年度资金总额" and not c.editable)
    QGuiApplication.clipboard().setText("总额\t\t100\r\n")
    w.view.setFocus()
    w.view.set_current(w.model.index(label.row, label.col))
    qtbot.keyClick(w.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert w.session.doc.forms[0].get("funds.年度资金总额.年初预算数") == "100"
    assert "1 个值落在栏目名称或自动计算的格上" in w.statusBar().currentMessage()
