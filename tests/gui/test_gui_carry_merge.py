"""新建 › 从上年文档新建, 文件 › 合并下级单位文件, 关联上年文档 and 汇总表信息 in the app."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from jixiao.core.fileio import load_document, save_document
from jixiao.gui.ids import SUMMARY_ID

ROOT = Path(__file__).resolve().parents[2]
URUMQI = ROOT / "resources" / "examples" / "乌鲁木齐市科学技术局-2024.jxzp"
SANMENXIA = ROOT / "resources" / "examples" / "三门峡市科学技术局-2024.jxzp"


@pytest.fixture
def quiet(monkeypatch):
    """Report dialogs close at once; error dialogs are recorded instead of shown."""
    from jixiao.gui import carry_dialog, dialogs

    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(carry_dialog.ReportDialog, "exec", lambda self: 1)
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: errors.append((title, text)))
    return errors


def units(folder: Path) -> list[Path]:
    """The 乌鲁木齐 example as its units send it: one .jxzp per 实施单位, the 部门整体 with the first."""
    doc = load_document(URUMQI)
    groups: dict[str, list] = {}
    for f in doc.projects:
        groups.setdefault(f.header["实施单位"], []).append(f)
    out = []
    for i, (unit, forms) in enumerate(groups.items()):
        part = copy.deepcopy(doc)
        part.unit, part.forms = unit, ([copy.deepcopy(doc.department)] if i == 0 else []) + copy.deepcopy(forms)
        p = folder / f"单位{i + 1}.jxzp"
        save_document(part, p, backup=False)
        out.append(p)
    return out


def grid_texts(w) -> list[str]:
    return [c.text for c in w.model.grid.cells]


def test_the_menu_entries_are_there(window):
    file_menu = [a.objectName() for a in window.menus["file"].actions()]
    for name in ("action_new_from_last", "action_merge_units", "action_link_previous"):
        assert name in file_menu
    assert "action_summary_info" in [a.objectName() for a in window.menus["table"].actions()]


def test_new_from_last_year_opens_the_carried_document_and_its_report(window, quiet):
    from jixiao.gui.carry_dialog import new_from_previous

    assert new_from_previous(window, str(SANMENXIA), (2025, None, True))
    s = window.session
    last = load_document(SANMENXIA)
    assert s.path is None and s.is_modified and s.doc.year == 2025
    assert [f.name for f in s.doc.forms] == [f.name for f in last.forms]
    assert s.doc.previous is not None and s.doc.previous.year == 2024
    assert "2025" in window.windowTitle()
    report = window.last_report
    assert report.text.toPlainText().startswith("由 2024 年度结转为 2025 年度")
    assert "已清空" in report.text.toPlainText()
    report.toggle.setChecked(True)
    assert "已结转\t部门整体" in report.text.toPlainText()
    report.toggle.setChecked(False)
    assert "已结转（" in report.text.toPlainText()
    assert not quiet


def test_the_options_dialog_offers_the_next_year_and_last_years_template(window, app):
    from jixiao.gui.carry_dialog import CarryOptionsDialog
    from jixiao.inputs import read_input

    dlg = CarryOptionsDialog(window, read_input(URUMQI))
    assert dlg.values() == (2025, "xinjiang", False)
    dlg.year.setValue(2026)
    dlg.budget.setChecked(True)
    dlg.template.setCurrentIndex(dlg.template.findData("national"))
    assert dlg.values() == (2026, "national", True)
    assert dlg.year.minimum() == 2025  # not the same year again


def test_a_carry_over_that_cannot_be_made_says_why(window, quiet, tmp_path):
    from jixiao.gui.carry_dialog import new_from_previous

    before = window.session
    bad = tmp_path / "坏.jxzp"
    bad.write_text("{", encoding="utf-8")
    assert not new_from_previous(window, str(bad), (2025, None, False))
    assert quiet and "坏.jxzp" in quiet[0][1] and window.session is before


def test_merge_into_the_open_document_is_one_undo_step(window, quiet, tmp_path):
    from jixiao.gui.merge_dialog import merge_unit_files

    paths = units(tmp_path)
    assert window.open_file(paths[0], ask_save=False)
    s = window.session
    before = [f.id for f in s.doc.forms]
    assert merge_unit_files(window, [str(p) for p in paths[1:]])
    assert len(s.doc.forms) == 20 and window.model.is_summary
    texts = grid_texts(window)
    assert "小计：乌鲁木齐科技信息服务中心（2个项目）" in texts and "合计（4个单位，19个项目）" in texts
    assert s.undo_stack.count() == 1 and s.undo_stack.undoText() == "合并下级单位文件"
    assert window.last_report.text.toPlainText().startswith("已合并 3 个文件（3 个单位），文档现有 20 张表")
    s.undo_stack.undo()
    assert [f.id for f in s.doc.forms] == before
    assert "合计（10个项目）" in grid_texts(window)  # the one unit again, no 小计
    s.undo_stack.redo()
    assert len(s.doc.forms) == 20


def test_remerging_a_corrected_unit_file_replaces_its_forms(window, quiet, tmp_path):
    from jixiao.gui.merge_dialog import merge_unit_files

    paths = units(tmp_path)
    assert window.open_file(paths[0], ask_save=False)
    assert merge_unit_files(window, [str(p) for p in paths[1:]])
    s = window.session
    corrected = load_document(paths[3])
    corrected.projects[0].funds["年度资金总额"]["全年执行数"] = "20.00"
    fixed = tmp_path / "单位4-更正.jxzp"
    save_document(corrected, fixed, backup=False)
    assert merge_unit_files(window, [str(fixed)])
    assert len(s.doc.forms) == 20 and s.undo_stack.count() == 2
    form = next(f for f in s.doc.forms if f.name == corrected.projects[0].name)
    assert form.funds["年度资金总额"]["全年执行数"] == "20.00" and form.origin["file"] == fixed.name
    assert "替换了上次合并的 6 张" in window.last_report.text.toPlainText()
    s.undo_stack.undo()
    form = next(f for f in s.doc.forms if f.name == corrected.projects[0].name)
    assert form.funds["年度资金总额"]["全年执行数"] == "23.50"
    assert window.session.results[form.id].execution_rate == 1  # caches follow the undo


def test_a_corrupt_or_foreign_unit_file_leaves_the_document(window, quiet, tmp_path):
    from jixiao.gui.merge_dialog import merge_unit_files

    paths = units(tmp_path)
    assert window.open_file(paths[0], ask_save=False)
    s = window.session
    bad = tmp_path / "损坏.jxzp"
    bad.write_bytes(paths[1].read_bytes()[:300])
    assert not merge_unit_files(window, [str(paths[1]), str(bad)])
    assert "损坏.jxzp" in quiet[-1][1] and "当前文档未改动" in quiet[-1][1]
    assert not merge_unit_files(window, [str(SANMENXIA)])
    assert "模板" in quiet[-1][1]
    assert not merge_unit_files(window, [str(paths[0])])  # itself
    assert "正在编辑的文档本身" in quiet[-1][1]
    assert len(s.doc.forms) == 11 and s.undo_stack.count() == 0 and not s.is_modified


def test_merge_without_a_document_opens_a_new_one(app, qtbot, quiet, tmp_path):
    from jixiao.gui.main_window import MainWindow
    from jixiao.gui.merge_dialog import merge_unit_files

    w = MainWindow(persist=False)
    qtbot.addWidget(w)
    paths = units(tmp_path)
    assert merge_unit_files(w, [str(p) for p in paths])
    assert w.session is not None and w.session.path is None and w.session.is_modified
    assert len(w.session.doc.forms) == 20 and w.session.doc.unit == "乌鲁木齐市科学技术局"
    w.session.set_dirty(False)
    w.shutdown()


def test_linking_last_year_shows_its_figures_in_the_summary(window, quiet, tmp_path):
    from jixiao.gui.previous_dialog import link_previous_document

    this = load_document(URUMQI)
    this.year = 2025
    path = tmp_path / "2025.jxzp"
    save_document(this, path, backup=False)
    assert window.open_file(path, ask_save=False)
    s = window.session
    assert link_previous_document(window, str(URUMQI))
    assert window.model.is_summary
    assert "上年预算执行率" in grid_texts(window) and "上年自评得分" in grid_texts(window)
    assert s.undo_stack.undoText() == "关联上年文档"
    s.undo_stack.undo()
    assert s.doc.previous is None and "上年预算执行率" not in grid_texts(window)
    s.undo_stack.redo()
    assert link_previous_document(window, clear=True)
    assert s.doc.previous is None
    assert not link_previous_document(window, str(tmp_path / "无.jxzp"))
    assert "文件不存在" in quiet[-1][1]


def test_summary_info_fills_the_henan_columns_in_one_step(window, quiet, tmp_path, qtbot):
    from jixiao.gui import summary_info_dialog as sid

    p = tmp_path / "三门峡.jxzp"
    blank = load_document(SANMENXIA)
    keys = [k for k, _ in sid.summary_only_fields(blank.template)]
    assert keys == ["单位编码", "主管部门编码", "项目类型", "资金归口处室", "系统查询全年执行数"]
    for f in blank.projects:  # as an officer starts: none of the 汇总表's own fields typed yet
        for k in keys:
            f.header.pop(k, None)
    save_document(blank, p, backup=False)
    assert window.open_file(p, ask_save=False)
    s = window.session
    dlg = sid.SummaryInfoDialog(window, s.doc)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    from PySide6.QtWidgets import QTableWidgetItem

    dlg.table.setItem(0, 0, QTableWidgetItem("310001"))
    dlg.table.setItem(0, 2, QTableWidgetItem("可执行项目"))
    dlg.fill_down()
    dlg.table.setCurrentCell(6, 3)
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().setText("科技文化事业科\t500\r\n农业一科\t150\r\n")  # a block copied from Excel
    dlg.activateWindow()
    dlg.table.setFocus()
    qtbot.waitUntil(dlg.table.hasFocus)
    qtbot.keyClick(dlg.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [dlg.table.item(r, c).text() for r, c in ((6, 3), (6, 4), (7, 3), (7, 4))] == \
        ["科技文化事业科", "500", "农业一科", "150"]
    dlg.table.setCurrentCell(7, 4)
    dlg.table.item(7, 4).setSelected(True)
    qtbot.keyClick(dlg.table, Qt.Key.Key_Delete)
    assert dlg.table.item(7, 4).text() == ""
    changes = dlg.changes()
    assert len(changes) == 8
    assert changes[0][1] == [("header.单位编码", "", "310001"), ("header.项目类型", "", "可执行项目")]
    assert ("header.资金归口处室", "", "农业一科") in changes[7][1]
    assert sid.apply_summary_info(window, changes)
    assert window.model.is_summary and grid_texts(window).count("310001") == 8
    assert s.undo_stack.count() == 1
    s.undo_stack.undo()
    assert all("单位编码" not in f.header for f in s.doc.projects)
    assert window.model.is_summary  # fields only the 汇总表 shows are undone where they are seen
    s.undo_stack.redo()
    assert window.model.is_summary and grid_texts(window).count("310001") == 8


def test_summary_info_for_a_template_without_such_columns(window, monkeypatch):
    from jixiao.gui import dialogs
    from jixiao.gui.summary_info_dialog import edit_summary_info

    told = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text, details="": told.append(text))
    assert not edit_summary_info(window)
    assert "没有需要另外填写的栏目" in told[0]


def test_the_merged_summary_in_the_window(window, quiet, tmp_path):
    """What the officer sees: the merged 汇总表, its subtotals visible (a screenshot for a human, kept in tmp)."""
    from jixiao.gui.merge_dialog import merge_unit_files

    paths = units(tmp_path)
    assert window.open_file(paths[0], ask_save=False)
    assert merge_unit_files(window, [str(p) for p in paths[1:]])
    window.show_form(SUMMARY_ID)
    img = window.grab()
    assert not img.isNull()
    img.save(str(tmp_path / "merged-summary.png"))


def test_the_link_follows_the_document_as_the_cli_stores_it(window, quiet, tmp_path):
    """The app names last year's file as the CLI does (core.compare.link_path): relative to the
    document once it has a file name, re-relativised on Save As; absolute while it has none."""
    from pathlib import PurePosixPath

    from jixiao.core.compare import link_path, resolve_link
    from jixiao.gui.carry_dialog import new_from_previous
    from jixiao.gui.previous_dialog import link_previous_document

    last = tmp_path / "2024" / "三门峡-2024.jxzp"
    last.parent.mkdir()
    save_document(load_document(SANMENXIA), last, backup=False)
    assert new_from_previous(window, str(last), (2025, None, False))
    s = window.session
    assert Path(s.doc.previous.file).is_absolute()  # no file name yet
    first = tmp_path / "2025" / "三门峡-2025.jxzp"
    first.parent.mkdir()
    assert window.files.save_as(first)
    assert s.doc.previous.file == "../2024/三门峡-2024.jxzp" == link_path(last, first)
    assert load_document(first).previous.file == "../2024/三门峡-2024.jxzp"  # what was written
    # Save As into a deeper folder: the link is named from there
    second = tmp_path / "送审" / "第一批" / "三门峡-2025.jxzp"
    second.parent.mkdir(parents=True)
    assert window.files.save_as(second)
    stored = load_document(second).previous
    assert not PurePosixPath(stored.file).is_absolute() and stored.file == link_path(last, second)
    assert resolve_link(stored, second).resolve() == last.resolve()
    assert not s.is_modified  # a save, not an edit
    # linking from the app, the document having a name: relative at once, as `jixiao link` stores it
    assert link_previous_document(window, str(last))
    assert s.doc.previous.file == link_path(last, second)
    assert not quiet
