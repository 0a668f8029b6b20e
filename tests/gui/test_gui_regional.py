"""The 四川 and 重庆 forms in the window: typed into, rows added to a flat list."""

from __future__ import annotations

from tests.core.regional import chongqing_document, sichuan_document

from .conftest import cell_index


def test_flat_list_rows_are_added_moved_and_removed(open_doc):
    w = open_doc(chongqing_document())
    form = w.session.doc.department
    w.show_form(form.id)
    ids = [i.id for i in form.indicators]
    w.view.set_current(cell_index(w, "indicators[1].三级指标"))
    assert w.a_ins_below.isEnabled() and w.a_del_row.isEnabled()
    w.insert_row(below=True)
    assert len(form.indicators) == len(ids) + 1 and form.indicators[2].cells == {}
    assert w.view.current_cell().path == "indicators[2].三级指标"
    w.edit_cell("indicators[2].三级指标", "组织培训场次")
    assert form.indicators[2].get("三级指标") == "组织培训场次"
    w.session.undo_stack.undo()
    w.session.undo_stack.undo()
    assert [i.id for i in form.indicators] == ids
    w.view.set_current(cell_index(w, "indicators[0].三级指标"))
    w.move_row(up=False)
    assert [i.id for i in form.indicators][:2] == [ids[1], ids[0]]
    w.delete_row()
    assert len(form.indicators) == len(ids) - 1


def test_flat_list_grows_from_nothing(open_doc):
    doc = chongqing_document()
    doc.department.indicators = []
    w = open_doc(doc)
    form = w.session.doc.department
    w.show_form(form.id)
    row = next(r for r, k in enumerate(w.model.grid.row_kinds) if k == "indicator")
    w.view.set_current(w.model.index(row, 1))
    w.insert_row(below=True)
    assert len(form.indicators) == 1


def test_sichuan_cells_are_edited_and_rescored(open_doc):
    w = open_doc(sichuan_document())
    form = w.session.doc.forms[0]
    w.show_form(form.id)
    assert w.edit_cell("indicators[3].实际完成值", "90")
    assert w.model.cell_by_path("indicators[3].得分").suggestion == "20.00"
    assert w.edit_cell("funds.总额.原因", "")
    assert w.edit_cell("funds.总额.全年执行数", "3.00")
    assert w.edit_cell("funds.财政资金.全年执行数", "3.00")
    codes = {f.code for f in w.session.findings}
    assert "execution-reason-missing" in codes
    assert w.edit_cell("conclusion.评价结论", "项目按计划完成。")
    assert form.texts["conclusion"]["评价结论"] == "项目按计划完成。"
