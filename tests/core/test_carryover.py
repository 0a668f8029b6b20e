"""Next year from last year: what is carried, cleared, moved and listed."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from jixiao.core import fields
from jixiao.core.carryover import (
    CARRIED,
    CLEARED,
    DROPPED,
    KEEP,
    MOVED,
    CarryOverError,
    carry_over,
    keep_keys,
)
from jixiao.core.fileio import load_document
from jixiao.core.templates import get_template, template_from_dict

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.jxzp"))
PLAN = ("一级指标", "二级指标", "三级指标", "年度指标值", "指标值设定依据", "分值")


@pytest.fixture(params=EXAMPLES, ids=lambda p: p.stem)
def last_year(request):
    return load_document(request.param)


def test_every_indicator_is_carried_and_every_result_cleared(last_year):
    doc, report = carry_over(last_year, last_year.year + 1)
    assert doc.year == last_year.year + 1 and doc.unit == last_year.unit and doc.template_id == last_year.template_id
    assert [(f.kind, f.name) for f in doc.forms] == [(f.kind, f.name) for f in last_year.forms]
    for old, new in zip(last_year.forms, doc.forms, strict=True):
        assert new.origin["previous_id"] == old.id and new.id != old.id
        # the project (项目名称, 主管部门, 实施单位 …); amounts the 汇总表 keeps in the header
        # (河南 系统查询全年执行数) are last year's figures: cleared like the fund amounts
        money = {c.header_key for c in doc.template.summary.columns if c.header_key and c.is_money}
        assert new.header == {k: v for k, v in old.header.items() if k not in money}
        assert money.isdisjoint(new.header)
        assert len(new.indicators) == len(old.indicators)
        for o, n in zip(old.indicators, new.indicators, strict=True):
            assert n.cells == {k: v for k, v in o.cells.items() if k in PLAN}
        assert new.total == ""
        for row, cells in new.funds.items():
            assert set(cells) <= {"分值"}, row  # amounts, 执行率, 得分 cleared
        assert all(not cells.get("情况说明") and not cells.get("得分") for b in new.items.values()
                   for cells in b.values())
        assert all("实际完成情况" not in t for t in new.texts.values())
        assert new.texts.get("goals", {}).get("预期目标") == old.texts.get("goals", {}).get("预期目标")
    # the report accounts for every value of last year's forms, none twice
    typed = sum(1 for f in last_year.forms for _ in _values(f))
    assert len(report.of(CARRIED)) + len(report.of(CLEARED)) + len(report.of(DROPPED)) == typed
    assert not report.of(MOVED)


def _values(form):
    from jixiao.core.carryover import _values as values

    return [v for v in values(form) if v[1]]


def test_the_report_names_each_cleared_value_where_it_was(last_year):
    doc, report = carry_over(last_year, last_year.year + 1)
    cleared = {(e.form_id, e.path) for e in report.of(CLEARED)}
    form = doc.projects[0]
    old = last_year.projects[0]
    for i, ind in enumerate(old.indicators):
        if ind.get("实际完成值"):
            assert (form.id, fields.indicator_path(i, "实际完成值")) in cleared
    lines = report.summary_lines(doc, last_year)
    assert lines[0].startswith(f"由 {last_year.year} 年度结转为 {last_year.year + 1} 年度")
    assert any("已清空" in line for line in lines) and any("实际完成值" in line for line in lines)
    assert any("年度指标值" in line for line in report.summary_lines(doc, last_year))
    detail = report.detail_lines(doc, last_year)
    assert len(detail) == len(report.entries)
    assert any(line.startswith("已清空\t项目1") and "实际完成值" in line for line in detail)


def test_budget_becomes_next_years_initial_budget(last_year):
    doc, report = carry_over(last_year, last_year.year + 1, budget_to_initial=True)
    moved = 0
    for old, new in zip(last_year.forms, doc.forms, strict=True):
        for row, cells in old.funds.items():
            if cells.get("全年预算数"):
                assert new.funds[row]["年初预算数"] == cells["全年预算数"]
                assert "全年预算数" not in new.funds[row]
                moved += 1
    assert moved == len(report.of(MOVED)) > 0


def test_a_later_year_is_required():
    last = load_document(EXAMPLES[0])
    with pytest.raises(CarryOverError, match="应晚于"):
        carry_over(last, last.year)


def test_an_older_template_lists_what_no_longer_has_a_place():
    """Last year's file was saved with another version of 河南: a fund row, a header field and a column it
    had are gone from the installed template. Their values are listed, with their place, not dropped silently."""
    last = load_document(next(p for p in EXAMPLES if "三门峡" in p.name))
    old_tpl = copy.deepcopy(last.embedded_template)
    old_tpl["description"] = "上一版"
    last.embedded_template = old_tpl
    p = last.projects[0]
    p.funds["上级补助资金"] = {"分值": "2", "全年预算数": "5"}
    p.header["项目负责人"] = "张三"
    p.indicators[1].cells["指标值设定依据"] = "计划文件"
    doc, report = carry_over(last, 2025)
    dropped = {(e.path, e.value) for e in report.of(DROPPED)}
    assert dropped == {("header.项目负责人", "张三"), ("indicators[1].指标值设定依据", "计划文件")}
    assert ("funds.上级补助资金.全年预算数", "5") in {(e.path, e.value) for e in report.of(CLEARED)}
    assert "项目负责人" not in doc.projects[0].header
    # a fund row the template lacks is an extra row of the funds block (core/extras.py): carried like the others
    assert doc.projects[0].funds["上级补助资金"] == {"分值": "2"}
    lines = report.summary_lines(doc, last)
    assert any("模板与本机安装的版本不同" in line for line in lines)
    listed = "\n".join(lines)
    assert "未结转" in listed and "“张三”" in listed and "“计划文件”" in listed
    assert f"项目1“{p.name}” · 项目负责人" in listed


def test_a_workbook_of_last_year_carries_the_same(tmp_path):
    from jixiao.excel.reader import read_workbook
    from jixiao.excel.writer import write_workbook

    last = load_document(EXAMPLES[0])
    write_workbook(last, tmp_path / "last.xlsx")
    from_xlsx, _ = carry_over(read_workbook(tmp_path / "last.xlsx").document, last.year + 1)
    from_jxzp, _ = carry_over(last, last.year + 1)
    assert [[i.cells for i in f.indicators] for f in from_xlsx.forms] == \
        [[i.cells for i in f.indicators] for f in from_jxzp.forms]


def test_a_new_template_and_unknown_levels_are_noted():
    last = load_document(next(p for p in EXAMPLES if "乌鲁木齐" in p.name))
    doc, report = carry_over(last, 2025, template_id="national")
    assert doc.template_id == "national"
    assert report.notes[0] == "模板由“新疆”改为“全国通用”"
    assert any("不在今年模板的指标体系中" in n for n in report.notes)


def test_the_template_may_change_what_is_carried():
    src = dict(get_template("national").source, carry_over={"keep": ["实际完成值"], "clear": ["指标值设定依据"]})
    keep = keep_keys(template_from_dict(src))
    assert "实际完成值" in keep and "指标值设定依据" not in keep and keep - {"实际完成值"} < KEEP


def test_the_new_document_is_linked_to_last_year(last_year):
    doc, _ = carry_over(last_year, last_year.year + 1, previous_file="../上年.jxzp")
    link = doc.previous
    assert link is not None and link.file == "../上年.jxzp" and link.year == last_year.year
    assert [p.id for p in link.projects] == [f.id for f in last_year.projects]
    assert all(p.rate is not None for p in link.projects)


def test_a_file_saved_with_an_older_template_keeps_what_the_installed_one_lacks(tmp_path):
    """An older 河南 had a 绩效评价结论 block and a fifth 资金管理情况 item. Opening last year's file keeps
    their values (they are read with the template the file was saved with), saving writes them back, and the
    carry-over lists them as not carried."""
    from jixiao.core.fileio import save_document

    last = load_document(next(p for p in EXAMPLES if "三门峡" in p.name))
    old_tpl = copy.deepcopy(last.embedded_template)
    sections = old_tpl["project"]["sections"]
    items = next(s for s in sections if s.get("type") == "items")
    items["items"].append({"name": "资金到位率", "weight": "0"})
    sections.insert(-1, {"type": "texts", "key": "绩效评价结论", "label": "绩效评价结论",
                         "columns": [{"key": "结论", "span": 5}, {"key": "预期目标", "span": 4}]})
    last.embedded_template = old_tpl
    p = last.projects[2]
    p.texts["绩效评价结论"] = {"结论": "完成较好", "预期目标": "下年继续"}
    p.items["资金管理情况"]["资金到位率"] = {"情况说明": "全部到位", "分值": "0"}
    path = tmp_path / "2024.jxzp"
    save_document(last, path, backup=False)
    opened = load_document(path)
    q = opened.projects[2]
    assert q.texts["绩效评价结论"] == {"结论": "完成较好", "预期目标": "下年继续"}
    assert q.items["资金管理情况"]["资金到位率"] == {"情况说明": "全部到位", "分值": "0"}
    save_document(opened, path)  # saved again by this version: still there
    assert load_document(path).projects[2].texts["绩效评价结论"]["结论"] == "完成较好"
    doc, report = carry_over(load_document(path), 2025)
    dropped = {(e.path, e.value) for e in report.of(DROPPED)}
    assert dropped == {("绩效评价结论.预期目标", "下年继续"), ("资金管理情况.资金到位率.分值", "0")}
    cleared = {(e.path, e.value) for e in report.of(CLEARED)}
    assert {("资金管理情况.资金到位率.情况说明", "全部到位"), ("绩效评价结论.结论", "完成较好")} <= cleared
    assert "绩效评价结论" not in doc.projects[2].texts
