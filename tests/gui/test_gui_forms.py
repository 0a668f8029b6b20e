"""The side list: add, duplicate, rename, delete, reorder projects (undoable)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from jixiao.gui import dialogs
from jixiao.gui.session import SUMMARY_ID


def _names(w):
    return [w.form_list.item(i).text().split("\n")[0] for i in range(w.form_list.count())]


def test_list_shows_totals_grades_and_summary(window):
    w = window
    texts = _names(w)
    assert texts[0].endswith("2023年乌鲁木齐国家农业科技园区专项经费")
    assert texts[-1] == "项目单位自评汇总表"
    assert "总分 95.00　优" in w.form_list.item(0).text()
    w.form_list.setCurrentRow(w.form_list.count() - 1)
    assert w.model.form_id == SUMMARY_ID
    assert w.model.grid.title == "项目单位自评汇总表"
    assert "1 个项目" in w.status_score.text()


def test_a_typed_total_is_the_one_figure_shown_with_the_engines_beside_it(window):
    """Side list, status bar and 汇总表 show the 总分 the form prints (typed), and its grade;
    the engine's total stands beside it where it differs (the difference is a finding)."""
    w = window
    form = w.session.doc.forms[0]
    w.edit_cell("总分", "60")  # typed total far from the engine's 95.00
    assert "总分 60.00　中" in w.form_list.item(0).text()
    assert w.form_list.item(0).text().endswith("（按规则计算为 95.00）")
    assert "总分 60.00（按规则计算为 95.00）　等级 中" in w.status_score.text()
    assert any(f.code == "total-mismatch" and f.form_id == form.id for f in w.session.findings)
    w.show_form(SUMMARY_ID)
    assert "60.00" in [c.text for c in w.model.grid.cells]  # the 汇总表's 自评得分: the same figure
    w.show_form(form.id)
    w.edit_cell("总分", "95")  # the typed total agrees: one figure, nothing beside it
    assert "总分 95.00　优　" in w.form_list.item(0).text() and "计算" not in w.form_list.item(0).text()
    assert "总分 95.00　等级 优" in w.status_score.text()


def test_add_duplicate_delete_move_undo(window, monkeypatch):
    w = window
    s = w.session
    first = s.doc.forms[0]
    w.a_add_form.trigger()  # 表格 › 新增项目 (the menu calls the editor directly)
    assert len(s.doc.forms) == 2 and w.model.form_id == s.doc.forms[1].id
    assert "（未命名项目）" in _names(w)[1]
    w.rename_form("新项目甲")
    assert s.doc.forms[1].name == "新项目甲" and _names(w)[1].endswith("新项目甲")
    w.show_form(first.id)
    w.a_dup_form.trigger()
    assert [f.name for f in s.doc.forms] == [first.name, first.name + "（副本）", "新项目甲"]
    assert s.doc.forms[1].indicators[0].id != first.indicators[0].id
    w.a_form_down.trigger()  # the copy moves below 新项目甲
    assert [f.name for f in s.doc.forms][1:] == ["新项目甲", first.name + "（副本）"]
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)
    w.a_form_up.trigger()
    w.a_form_down.trigger()
    w.a_del_form.trigger()
    assert [f.name for f in s.doc.forms] == [first.name, "新项目甲"]
    for _ in range(7):
        s.undo_stack.undo()
    assert [f.id for f in s.doc.forms] == [first.id]
    assert _names(w)[-1] == "项目单位自评汇总表" and w.form_list.count() == 2
    for _ in range(7):
        s.undo_stack.redo()
    assert [f.name for f in s.doc.forms] == [first.name, "新项目甲"]


def test_delete_needs_confirmation(window, monkeypatch):
    w = window
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: False)
    w.editor.delete_project()
    assert len(w.session.doc.forms) == 1


def test_undo_in_other_form_switches_to_it(window):
    w = window
    s = w.session
    first = s.doc.forms[0]
    w.edit_cell("funds.年度资金总额.年初预算数", "1")
    w.editor.add_project()
    assert w.model.form_id != first.id
    s.undo_stack.undo()  # removes the project
    s.undo_stack.undo()  # the edit in the first form
    assert w.model.form_id == first.id
    assert first.get("funds.年度资金总额.年初预算数") == "30.00"


def test_ctrl_pagedown_switches_forms(window, qtbot):
    w = window
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert w.model.form_id == SUMMARY_ID
    qtbot.keyClick(w.view, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert w.model.form_id == w.session.doc.forms[0].id


def test_department_and_henan_forms_edit(app, qtbot, seed_copy, monkeypatch):
    from jixiao.gui.main_window import MainWindow

    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    w = MainWindow(persist=False)
    qtbot.addWidget(w)
    assert w.open_file(seed_copy("s004_p_dangjian_dangwu.json"), ask_save=False)
    form = w.session.doc.forms[0]
    # 河南 lists every 二级 even when empty; inserting on an empty 二级 row creates an indicator there
    empty_row = next((r for r in w.model.indicator_rows() if w.model.indicator_row(r)[0] is None), None)
    n = len(form.indicators)
    if empty_row is not None:
        _idx, l1, l2 = w.model.indicator_row(empty_row)
        w.view.set_current(w.model.index(empty_row, 3))
        w.insert_row(below=True)
        assert len(form.indicators) == n + 1
        assert any(i.level1 == l1 and i.level2 == l2 and not i.get("三级指标") for i in form.indicators)
    path = next(c.path for c in w.model.grid.cells
                if c.path and c.path.endswith(".得分") and c.path.startswith("资金管理情况"))
    w.edit_cell(path, "4")
    assert form.get(path) == "4"


def test_new_document_asks_template_unit_and_year(window, monkeypatch):
    from PySide6.QtWidgets import QDialog

    w = window

    def fake_exec(dlg):
        assert dlg.template.count() >= 3  # 全国通用, 新疆, 河南 …
        dlg.template.setCurrentIndex(dlg.template.findData("henan"))
        dlg.unit.setText("三门峡市科学技术局")
        dlg.year.setValue(2025)
        dlg.projects.setValue(2)
        dlg._accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.NewDocumentDialog, "exec", fake_exec)
    w.files.new_document()
    doc = w.session.doc
    assert (doc.template_id, doc.unit, doc.year) == ("henan", "三门峡市科学技术局", 2025)
    assert [f.kind for f in doc.forms] == ["department", "project", "project"]
    assert w.model.grid.title == "部门整体自评表"  # 河南's own title, first form shown
    assert "2025" in w.windowTitle()


def test_new_document_requires_a_unit_name(app, qtbot):
    d = dialogs.NewDocumentDialog(None)
    qtbot.addWidget(d)
    d.unit.setText("   ")
    d._accept()
    assert d.result() != d.DialogCode.Accepted and d.unit.placeholderText() == "请填写单位名称"
