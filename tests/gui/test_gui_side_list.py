"""The side list and the status bar: one 总分 per form (the one it prints, as the 汇总表 shows it),
and badges that follow the checks across forms (duplicate names across merged units)."""

from __future__ import annotations

import copy
from pathlib import Path

from jixiao.core.fileio import load_document
from jixiao.core.model import Form
from jixiao.gui.form_list import FormIdRole
from jixiao.gui.ids import SUMMARY_ID

ROOT = Path(__file__).resolve().parents[2]
SANMENXIA = ROOT / "resources" / "examples" / "三门峡市科学技术局-2024.jxzp"


def _item_text(w, form_id: str) -> str:
    for i in range(w.form_list.count()):
        it = w.form_list.item(i)
        if it.data(FormIdRole) == form_id:
            return it.text()
    raise AssertionError(form_id)


def test_sanmenxia_department_shows_the_printed_total_everywhere(open_doc):
    """三门峡's 部门整体 prints 93.98 (typed) where the engine sums 75.98: the side list and the
    status bar show 93.98 and its grade 优, with 75.98 beside it."""
    doc = load_document(SANMENXIA)
    w = open_doc(doc, saved=False)
    dept = doc.department
    w.show_form(dept.id)
    text = _item_text(w, dept.id)
    assert "总分 93.98　优　错误 " in text and text.endswith("\n（按规则计算为 75.98）")
    assert "总分 93.98（按规则计算为 75.98）　等级 优" in w.status_score.text()
    # a project whose typed total agrees with the engine: one figure only
    p = doc.projects[4]  # 党建及党务管理: 90.00 typed and computed
    w.show_form(p.id)
    assert "总分 90.00　优" in _item_text(w, p.id) and "计算" not in _item_text(w, p.id)
    assert "计算" not in w.status_score.text()


def test_side_list_and_summary_agree_for_every_project(open_doc):
    from jixiao.core.figures import fmt2
    from jixiao.core.summary import summary_rows

    doc = load_document(SANMENXIA)
    w = open_doc(doc, saved=False)
    for row in summary_rows(doc, w.session.results):
        assert f"总分 {fmt2(row.自评得分)}　{row.等级}" in _item_text(w, row.form_id)
    w.show_form(SUMMARY_ID)
    assert "项目单位自评汇总表" in w.status_score.text()


def test_a_cross_unit_duplicate_refreshes_the_other_forms_badge(open_doc):
    """Two units' forms with one project name (a merge keeps both): renaming the first clears the
    second form's duplicate-name-across-units warning, and its entry in the list shows it at once."""
    doc = load_document(SANMENXIA)
    first = doc.projects[0]
    twin: Form = copy.deepcopy(first)
    twin.id = "twin-form"
    first.origin["unit"] = "甲单位"
    twin.origin["unit"] = "乙单位"
    for ind in twin.indicators:
        ind.id = ind.id + "-twin"
    doc.forms.append(twin)
    w = open_doc(doc, saved=False)
    s = w.session
    assert any(f.code == "duplicate-name-across-units" and f.form_id == twin.id for f in s.findings)
    before = _item_text(w, twin.id)
    warnings_before = s.tally(twin.id)["warning"]
    assert f"警告 {warnings_before}" in before
    w.show_form(first.id)
    assert w.edit_cell("header.项目名称", first.name + "（一期）")
    assert not any(f.code.startswith("duplicate-name") for f in s.findings)
    after = _item_text(w, twin.id)
    assert s.tally(twin.id)["warning"] == warnings_before - 1
    assert after != before
    assert (f"警告 {warnings_before - 1}" in after) if warnings_before > 1 else ("警告" not in after)
    # and back: undo brings the warning (and the badge) back
    s.undo_stack.undo()
    assert _item_text(w, twin.id) == before


def test_a_henan_form_being_typed_shows_no_grade_yet(open_doc):
    """河南's 资金管理情况 brings default 分值 (4 × 5): a new form whose funds are typed but no
    indicator has a 分值 yet is unfinished — no 总分 9.17 and 等级 差 in the list or the status bar."""
    from jixiao.core.model import new_document

    doc = new_document("henan", "三门峡市科学技术局", 2024, projects=1)
    w = open_doc(doc, saved=False)
    p = doc.projects[0]
    w.show_form(p.id)
    assert w.edit_cell("funds.年度资金总额.全年预算数", "60")
    assert w.edit_cell("funds.年度资金总额.全年执行数", "55")
    assert w.session.results[p.id].total > 0  # the 执行率 is scored
    assert "总分 —" in _item_text(w, p.id) and "差" not in _item_text(w, p.id)
    assert "（分值未填完）" in w.status_score.text()
    first = next(i for i, ind in enumerate(p.indicators) if ind.get("二级指标") == "数量指标")
    assert w.edit_cell(f"indicators[{first}].分值", "30")  # the first indicator weight: now it counts
    assert "总分 —" not in _item_text(w, p.id) and "（分值未填完）" not in w.status_score.text()


def test_a_long_project_code_never_scrolls_the_list_sideways(open_doc, qtbot):
    """四川 names start with a long budget-system code: in a narrow list the entry wraps to the
    list's width (no horizontal scroll bar hiding the end of every entry), the name is in the tooltip."""
    import sys

    sys.path.insert(0, str(ROOT))
    from tests.core.regional import sichuan_document

    doc = sichuan_document()
    w = open_doc(doc, saved=False)
    w.resize(1366, 768)
    splitter = w.form_list.parentWidget()
    total = sum(splitter.sizes())
    splitter.setSizes([190, total - 190])
    qtbot.wait(300)
    assert w.form_list.width() < 220
    assert not w.form_list.horizontalScrollBar().isVisible()
    item = w.form_list.item(0)
    assert w.form_list.visualItemRect(item).width() <= w.form_list.viewport().width()
    assert doc.forms[0].name in item.toolTip()


def test_the_figures_stay_whole_at_any_width_the_list_can_take(open_doc, qtbot):
    """乌鲁木齐 at 1920×1080 / 150 % showed "总分 100.00　优　错…": the error count cut off.
    At every width the splitter allows, each entry shows its name (elided if need be) and
    every figure (总分, 等级, 错误/警告/待填 counts, the engine's total) whole, inside the entry."""
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QStyleOptionViewItem

    from jixiao.gui.form_list import FiguresRole

    doc = load_document(SANMENXIA)
    urumqi = load_document(ROOT / "resources" / "examples" / "乌鲁木齐市科学技术局-2024.jxzp")
    doc.forms.extend(urumqi.projects[:6])  # long names, 总分 100.00 with errors
    w = open_doc(doc, saved=False)
    w.resize(1366, 768)
    fl = w.form_list
    splitter = fl.parentWidget()
    total = sum(splitter.sizes())
    splitter.setSizes([0, total])  # as narrow as the splitter lets it be
    qtbot.wait(50)
    narrowest = fl.width()
    assert narrowest <= 125  # the list still shrinks (issue 13)
    fm = QFontMetrics(fl.font())
    checked = 0
    for width in (narrowest, narrowest + 17, 160, 200, 260, 340):
        splitter.setSizes([width, total - width])
        qtbot.wait(30)
        room = fl.viewport().width()
        for i in range(fl.count()):
            item = fl.item(i)
            figures = item.data(FiguresRole)
            if not figures:
                continue  # the 汇总表
            opt = QStyleOptionViewItem()
            fl.initViewItemOption(opt)
            index = fl.model().index(i, 0)
            fl.itemDelegate().initStyleOption(opt, index)
            lines = opt.text.split("\u2028")
            # every figure whole at the end of the entry (only the name may be elided) ...
            def bare(text: str) -> str:
                return text.replace(" ", "").replace("　", "")

            assert bare("".join(lines)).endswith(bare("".join("".join(g) for g in figures))), (width, lines)
            assert any(ln.startswith("总分") for ln in lines[1:]), lines  # the figures start a line of their own
            # ... each line inside the entry's width, and the entry tall enough for all its lines
            assert all(fm.horizontalAdvance(ln) <= room for ln in lines), (width, lines)
            assert fl.visualItemRect(item).height() >= len(lines) * fm.lineSpacing(), (width, lines)
            checked += 1
    assert checked >= 6 * (len(doc.forms))


def test_an_entry_grows_and_shrinks_with_its_name(open_doc):
    """Entry sizes are remembered between edits (the list asks every entry's size after any edit):
    a renamed project's entry still takes the height its new name needs, and its old height back."""
    doc = load_document(SANMENXIA)
    w = open_doc(doc, saved=False)
    p = doc.projects[4]
    w.show_form(p.id)
    lst = w.form_list

    def height() -> int:
        for i in range(lst.count()):
            if lst.item(i).data(FormIdRole) == p.id:
                return lst.visualItemRect(lst.item(i)).height()
        raise AssertionError(p.id)

    short = height()
    old = p.header["项目名称"]
    w.edit_cell("header.项目名称", old + "及其配套的科技创新服务能力提升与成果转化专项工作经费")
    grown = height()
    assert grown > short
    w.edit_cell("header.项目名称", old)
    assert height() == short
