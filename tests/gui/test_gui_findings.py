"""Findings where the officer looks: 待填 instead of a wall of red, the status
bar, the corner mark under the selection, the panel's order, filter, wording,
sorting, and F8 keeping its place (issue 13, points 3 and 5)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage

from jixiao.gui import style

from .conftest import cell_index, project_window


def test_a_new_document_is_not_a_wall_of_red(new_window):
    w = new_window
    s = w.session
    assert s.findings, "the engine still reports what is missing"
    assert all(f.pending for f in s.findings)
    t = s.tally()
    assert t["error"] == 0 and t["pending"] == len(s.findings)
    assert "错误 0" in w.status_counts.text() and "待填" in w.status_counts.text()
    # no cell is painted as an error: empty cells are neutral 待填
    for c in w.model.grid.cells:
        bg = w.model.data(w.model.index(c.row, c.col), Qt.ItemDataRole.BackgroundRole)
        assert bg.color() != style.ERROR_BG, c.path
    idx = cell_index(w, "funds.年度资金总额.全年预算数")
    assert w.model.data(idx, Qt.ItemDataRole.BackgroundRole).color() == style.PENDING_BG
    assert "【待填】" in w.model.data(idx, Qt.ItemDataRole.ToolTipRole)
    assert w.findings.fmodel.data(w.findings.fmodel.index(0, 0)) == "待填"
    # the form list says 待填, not 错误, and no grade (差) for a form without its 分值 yet
    assert "错误" not in w.form_list.item(1).text() and "待填" in w.form_list.item(1).text()
    assert "差" not in w.form_list.item(1).text() and "总分 —" in w.form_list.item(1).text()
    assert "差" not in w.status_score.text()


def test_a_contradiction_is_an_error_at_once(new_window):
    w = new_window
    w.edit_cell("funds.年度资金总额.全年预算数", "100")
    w.edit_cell("funds.当年财政拨款.全年预算数", "80")
    w.edit_cell("funds.其他资金.全年预算数", "30")
    errors = [f for f in w.session.findings if w.session.shown_severity(f) == "error"]
    assert [f.code for f in errors] == ["fund-total-mismatch"]
    idx = cell_index(w, "funds.年度资金总额.全年预算数")
    assert w.model.data(idx, Qt.ItemDataRole.BackgroundRole).color() == style.ERROR_BG


def test_what_is_still_empty_turns_red_once_strict(new_window):
    w = new_window
    w.set_strict(True)
    idx = cell_index(w, "funds.年度资金总额.全年预算数")
    assert w.model.data(idx, Qt.ItemDataRole.BackgroundRole).color() == style.ERROR_BG
    assert w.session.tally()["pending"] == 0 and w.session.tally()["error"] > 0


def test_status_bar_shows_the_current_cells_finding(window, qtbot):
    w = window
    w.edit_cell("funds.年度资金总额.全年预算数", "99")
    w.view.set_current(cell_index(w, "funds.年度资金总额.全年预算数"))
    assert "【错误】" in w.status_cell.text() and "不等于其中各行之和" in w.status_cell.text()
    w.view.set_current(cell_index(w, "header.项目名称"))
    assert w.status_cell.text() == ""
    # fixing it while standing on it clears the status bar
    w.view.set_current(cell_index(w, "funds.年度资金总额.全年预算数"))
    w.edit_cell("funds.年度资金总额.全年预算数", "30")
    assert w.status_cell.text() == ""


def _pixel(img: QImage, p: QPoint) -> QColor:
    return img.pixelColor(p)


def test_error_mark_visible_under_the_selection(window, qtbot):
    w = window
    path = "funds.年度资金总额.全年预算数"
    w.edit_cell(path, "99")
    idx = cell_index(w, path)
    w.view.set_current(idx)
    qtbot.wait(20)
    rect = w.view.visualRect(idx)
    img = w.view.viewport().grab().toImage()
    dpr = img.devicePixelRatio()
    corner = QPoint(int((rect.right() - 2) * dpr), int((rect.top() + 3) * dpr))
    assert _pixel(img, corner) == style.ERROR_FG  # the corner mark, over the selection colour
    inside = QPoint(int(rect.center().x() * dpr), int((rect.top() + 4) * dpr))
    assert _pixel(img, inside) != style.ERROR_FG


def test_panel_lists_the_current_form_first_and_can_show_only_it(app, qtbot, monkeypatch):
    w = project_window(app, qtbot, ["s002_p01.json", "s002_p02.json", "s002_p04.json"], monkeypatch)
    try:
        doc = w.session.doc
        third = doc.forms[2]
        w.show_form(third.id)
        items = w.findings.fmodel.items
        assert items, "the seeds have findings"
        mine = [f for f in w.session.findings if f.form_id == third.id]
        assert mine and items[:len(mine)] == mine
        w.findings_box.only_current.setChecked(True)
        assert w.findings.fmodel.items == mine
        w.findings_box.only_current.setChecked(False)
        assert len(w.findings.fmodel.items) == len(w.session.findings)
    finally:
        w.shutdown()


def test_panel_speaks_the_forms_words(app, qtbot, monkeypatch):
    w = project_window(app, qtbot, ["s002_p01.json", "s002_p02.json"], monkeypatch)
    try:
        m = w.findings.fmodel
        w.show_form(w.session.doc.forms[1].id)
        w.edit_cell("funds.年度资金总额.全年预算数", "12345")
        row = next(i for i, f in enumerate(m.items) if f.code == "fund-total-mismatch")
        where = m.data(m.index(row, 1))
        assert where.startswith("项目2“")  # the project's number keeps same-prefix names apart
        assert m.data(m.index(row, 2)) == "项目资金 · 年度资金总额 · 全年预算数"
        tip = m.data(m.index(row, 3), Qt.ItemDataRole.ToolTipRole)
        assert m.items[row].message in tip and "项目2" in tip  # the full text
        assert "funds" not in m.data(m.index(row, 2))
    finally:
        w.shutdown()


def test_panel_sorts_by_level_and_by_form(app, qtbot, monkeypatch):
    w = project_window(app, qtbot, ["s002_p01.json", "s002_p02.json", "s002_p04.json"], monkeypatch)
    try:
        m = w.findings.fmodel
        w.edit_cell("funds.年度资金总额.全年预算数", "12345")  # one error among warnings
        w.findings.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        ranks = [style.SEVERITY_RANK[w.session.shown_severity(f)] for f in m.items]
        assert ranks == sorted(ranks, reverse=True) and len(set(ranks)) > 1
        w.findings.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        pos = {f.id: i for i, f in enumerate(w.session.doc.forms)}
        order = [pos[f.form_id] for f in m.items]
        assert order == sorted(order, reverse=True)
    finally:
        w.shutdown()


def test_f8_keeps_its_place_after_an_edit(window, qtbot):
    w = window
    form = w.session.doc.forms[0]
    edits = {"funds.年度资金总额.全年预算数": "99", "funds.当年财政拨款.全年执行数": "99", "indicators[0].分值": "x"}
    original = {p: form.get(p) for p in edits}
    for p, v in edits.items():
        w.edit_cell(p, v)
    items = list(w.findings.fmodel.items)
    assert len(items) >= 4
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_F8)
    qtbot.keyClick(w.view, Qt.Key.Key_F8)
    assert w.findings.currentIndex().row() == 1
    cur = items[1]
    assert w.view.current_cell().path == cur.field or cur.field not in original
    # an unrelated edit keeps the place
    w.edit_cell("goals.预期目标", "某某目标")
    assert w.findings.fmodel.items[w.findings.currentIndex().row()] == cur
    # fixing the current finding: F8 goes on with the next one, not back to the first
    cause = cur.field if cur.field in original else next(p for p in original if p.split(".")[-1] in cur.field)
    w.edit_cell(cause, original[cause])
    assert cur not in w.session.findings
    expected = next(f for f in items[2:] if f in w.session.findings)
    qtbot.keyClick(w.view, Qt.Key.Key_F8)
    assert w.findings.fmodel.items[w.findings.currentIndex().row()] == expected
    assert w.findings.currentIndex().row() != 0
