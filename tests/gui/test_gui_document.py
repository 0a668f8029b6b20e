"""Unit, year, region and the sign-off line (issue 13, point 2), the example and
帮助 (point 10)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from jixiao.gui import dialogs

from .conftest import cell_index, open_editor


def _type(qtbot, w, path, text):
    ed = open_editor(qtbot, w, path)
    ed.set_text_value(text)
    qtbot.keyClick(ed, Qt.Key.Key_Return)


def test_signoff_cells_are_editable(window, qtbot):
    w = window
    doc = w.session.doc
    path = "@signoff.填表人"
    idx = cell_index(w, path)
    assert w.model.flags(idx) & Qt.ItemFlag.ItemIsEditable
    _type(qtbot, w, path, "王五")
    assert doc.signoff["填表人"] == "王五"
    assert w.model.data(cell_index(w, path)) == "填表人：王五"
    assert "*" in w.windowTitle()
    _type(qtbot, w, "@signoff.填报日期", "2025年3月10日")
    assert doc.signoff["填报日期"] == "2025年3月10日"
    w.session.undo_stack.undo()
    assert "填报日期" not in doc.signoff
    w.session.undo_stack.undo()
    assert "填表人" not in doc.signoff
    assert w.model.data(cell_index(w, path)) == "填表人："


def test_signoff_saves_and_exports(window, qtbot, tmp_path):
    from jixiao.core.fileio import load_document

    w = window
    w.edit_cell("@signoff.单位负责人", "张三")
    target = tmp_path / "a.jxzp"
    assert w.files.save_as(target)
    assert load_document(target).signoff["单位负责人"] == "张三"


def _properties(monkeypatch, tid=None, unit=None, year=None, seen=None):
    def fake_exec(dlg):
        if tid is not None:
            dlg.template.setCurrentIndex(dlg.template.findData(tid))
        if unit is not None:
            dlg.unit.setText(unit)
        if year is not None:
            dlg.year.setValue(year)
        if seen is not None:
            seen.append(dlg.preview.toPlainText())
        dlg._accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.DocumentPropertiesDialog, "exec", fake_exec)


def test_properties_change_unit_and_year_as_one_undo_step(new_window, monkeypatch):
    w = new_window
    doc = w.session.doc
    assert w.a_properties.isEnabled()
    _properties(monkeypatch, unit="某某县科学技术局", year=2025)
    assert w.properties()
    assert (doc.unit, doc.year) == ("某某县科学技术局", 2025)
    assert all(f.header.get("实施单位") == "某某县科学技术局" for f in doc.projects)  # it followed
    assert doc.department.header.get("部门名称") == "某某县科学技术局"
    assert "某某县科学技术局 2025" in w.windowTitle()
    assert any("某某县科学技术局" in c.text for c in w.model.grid.cells if c.role == "note")
    w.session.undo_stack.undo()
    assert (doc.unit, doc.year) == ("某某县财政局", 2024)
    assert doc.projects[0].header.get("实施单位") == "某某县财政局"


def test_properties_change_region_shows_what_moves(app, qtbot, monkeypatch):
    from .conftest import project_window

    w = project_window(app, qtbot, ["s002_department.json", "s002_p01.json"], monkeypatch)
    try:
        doc = w.session.doc
        before = [f.id for f in doc.forms]
        ind_before = [i.cells.copy() for i in doc.projects[0].indicators]
        grant_before = dict(doc.projects[0].funds["当年财政拨款"])
        seen: list[str] = []
        _properties(monkeypatch, tid="henan", seen=seen)
        assert w.properties()
        text = seen[0]
        assert "河南" in text and "不能保留" not in text
        # 其他资金 has no row of its meaning in 河南: kept as an extra row, and the preview says where each value goes
        assert "没有对应栏目" in text and "其他资金 · 全年预算数" in text and "→ 资金附加行“其他资金”" in text
        # 河南 has no 当年财政拨款 row: its amounts go to the row of the same meaning, and the preview says so
        assert "资金行按含义对应" in text and "“当年财政拨款”填入“政府性预算资金”" in text
        assert "当年财政拨款 · " not in text  # none of its values is listed as lost
        assert doc.template_id == "henan" and [f.id for f in doc.forms] == before
        assert w.session.template.id == "henan"
        assert [i.cells for i in doc.projects[0].indicators] == ind_before  # every indicator moved
        assert doc.projects[0].funds["政府性预算资金"] == grant_before
        assert doc.projects[0].funds.get("其他资金") or doc.department.funds.get("其他资金")
        assert "资金管理情况" in doc.projects[0].items  # the new region's block is there
        w.show_form(doc.projects[0].id)
        assert w.model.cell_by_path("资金管理情况.安排科学性.得分") is not None
        w.session.undo_stack.undo()  # one step back to 新疆, nothing lost
        assert doc.template_id == "xinjiang"
        assert doc.projects[0].funds.get("当年财政拨款")
        w.show_form(doc.projects[0].id)
        assert w.model.cell_by_path("资金管理情况.安排科学性.得分") is None
    finally:
        w.shutdown()


def test_new_dialog_is_empty_and_remembers_the_officers_unit(window, monkeypatch):
    import datetime

    w = window
    w.open_example()  # the example's unit must not be offered
    seen = []

    def fake_exec(dlg):
        seen.append((dlg.unit.text(), dlg.year.value(), dlg.template.currentData()))
        if len(seen) == 1:
            dlg.unit.setText("某某县农业农村局")
            dlg.template.setCurrentIndex(dlg.template.findData("henan"))
            dlg._accept()
            return QDialog.DialogCode.Accepted
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(dialogs.NewDocumentDialog, "exec", fake_exec)
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    w.files.new_document()
    unit, year, _tid = seen[0]
    assert unit == "" and year == datetime.date.today().year - 1
    assert w.session.doc.unit == "某某县农业农村局"
    w.files.new_document()
    assert seen[1][0] == "某某县农业农村局" and seen[1][2] == "henan"


def test_example_is_marked_and_save_asks_for_a_new_name(window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    w = window
    w.open_example()
    assert "示例" in w.windowTitle()
    asked = []
    target = tmp_path / "我的.jxzp"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a) or (str(target), ""))
    assert w.files.save()
    assert asked and target.exists()
    assert "示例" not in w.windowTitle()
    asked.clear()
    assert w.files.save()  # now it is the officer's own file
    assert not asked


def test_help_explains_start_keys_and_colours(window):
    w = window
    names = [a.text() for a in w.menus["help"].actions()]
    assert names[0].startswith("使用说明") and any(n.startswith("关于") for n in names)
    w.a_help.trigger()
    dlg = w.help_dialog
    assert dlg.isVisible()
    from PySide6.QtWidgets import QTextBrowser

    text = dlg.findChild(QTextBrowser, "helpText").toPlainText()
    for needed in ("如何开始", "Alt+Enter", "Ctrl+D", "F8", "待填", "红色"):
        assert needed in text
    dlg.close()


def test_new_dialog_takes_the_unit_typed_at_once(app, qtbot):
    """The 新建 dialog opened with the focus on 模板: the unit typed at once went to the region list's
    type-to-find (maybe picking another region) and Enter made a document for the remembered unit."""
    d = dialogs.NewDocumentDialog(None, unit="某某县农业农村局", template_id="henan")
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    assert d.focusWidget() is d.unit  # where the dialog's keys go once it is active
    qtbot.keyClicks(d.focusWidget(), "XY")
    qtbot.keyClick(d.focusWidget(), Qt.Key.Key_Return)
    assert d.result() == QDialog.DialogCode.Accepted
    tid, unit, _year, _n = d.values()
    assert unit == "XY" and tid == "henan"
