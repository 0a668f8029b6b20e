"""Field paths: one parser, one set of constructors, one name for people."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.core import fields
from jixiao.core.fields import describe, form_label, locate, parse_path
from jixiao.core.fileio import load_document
from jixiao.core.model import iter_paths, new_document
from jixiao.core.templates import available_templates
from jixiao.core.validation import validate_document

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.jxzp"))


@pytest.mark.parametrize(
    ("path", "kind", "section", "row", "index", "column"),
    [
        ("header.项目名称", "header", "header", "", None, "项目名称"),
        ("funds.年度资金总额.全年预算数", "fund", "funds", "年度资金总额", None, "全年预算数"),
        ("goals.预期目标", "text", "goals", "", None, "预期目标"),
        ("资金管理情况.安排科学性.得分", "item", "资金管理情况", "安排科学性", None, "得分"),
        ("年度主要任务[1].任务名称", "table", "年度主要任务", "", 1, "任务名称"),
        ("indicators[3].得分", "indicator", "indicators", "", 3, "得分"),
        ("indicators[12]", "indicator", "indicators", "", 12, ""),
        ("总分", "total", "", "", None, ""),
        ("", "other", "", "", None, ""),
        ("header", "other", "", "", None, ""),
    ],
)
def test_parse(path, kind, section, row, index, column):
    fp = parse_path(path)
    assert (fp.kind, fp.section, fp.row, fp.index, fp.column) == (kind, section, row, index, column)
    assert str(fp) == path


@pytest.mark.parametrize("template", [t.id for t in available_templates()])
def test_every_input_path_round_trips_through_the_form(template):
    """Each path a form has reads back what was set through it, and parses to a known kind."""
    doc = new_document(template, "单位", 2024, projects=1)
    for form in doc.forms:
        fd = doc.template.form(form.kind)
        form.tables = {s.key: [{}] for s in fd.sections if s.type == "table"}
        for n, path in enumerate(iter_paths(form, fd)):
            assert parse_path(path).kind != "other", path
            form.set(path, f"v{n}")
            assert form.get(path) == f"v{n}", path
            assert describe(fd, form, path), path


def test_set_refuses_an_unknown_path():
    doc = new_document("national", "单位", 2024)
    with pytest.raises(KeyError):
        doc.forms[0].set("header", "x")


def test_describe_uses_the_forms_own_labels():
    doc = new_document("henan", "三门峡市科学技术局", 2024, projects=1)
    dep, proj = doc.department, doc.projects[0]
    assert dep is not None
    dfd, pfd = doc.template.form("department"), doc.template.form("project")
    # 河南's department form calls its goals block 年度履职目标, not 年度总体目标
    assert describe(dfd, dep, "goals.预期目标") == "年度履职目标 · 预期目标"
    assert describe(pfd, proj, "funds.年度资金总额.全年预算数") == "项目资金 · 年度资金总额 · 全年预算数"
    assert describe(pfd, proj, "indicators[0].偏差度") == "第1条指标 · 偏差度 %"
    assert describe(dfd, dep, "年度主要任务[1].任务名称") == "年度主要任务 第2行 · 任务名称"
    assert describe(dfd, dep, "header.部门名称") == "部门（单位）名称"
    assert describe(pfd, proj, "资金管理情况.安排科学性.得分") == "资金管理情况 · 安排科学性 · 得分"
    assert describe(pfd, proj, "总分") == "总分"
    assert describe(pfd, proj, "") == ""
    proj.indicators[0].set("三级指标", "科技型中小企业评价入库数量（家）及其他")
    assert describe(pfd, proj, "indicators[0].得分") == "第1条指标“科技型中小企业评价入库数量（家）…” · 得分"


def test_form_label_tells_projects_with_one_prefix_apart():
    doc = new_document("national", "单位", 2024, projects=2)
    a, b = doc.projects
    a.header["项目名称"] = b.header["项目名称"] = "2024年科技计划项目经费"
    assert form_label(doc, a) != form_label(doc, b)
    assert form_label(doc, a).startswith("项目1") and form_label(doc, b).startswith("项目2")
    assert form_label(doc, doc.department) == "部门整体"
    assert locate(doc, b.id, fields.fund_path("年度资金总额", "全年执行数")).startswith("项目2")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_finding_of_the_examples_has_a_readable_location(example):
    doc = load_document(example)
    for f in validate_document(doc):
        where = locate(doc, f.form_id, f.field)
        assert "indicators[" not in where and "funds." not in where and "header." not in where, (f, where)
