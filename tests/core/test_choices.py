"""The values a cell's dropdown offers are template data (core/choices.py)."""

from __future__ import annotations

import pytest

from jixiao.core.choices import cell_choices, column_of, outside_choices, outside_message
from jixiao.core.model import Form, Indicator
from jixiao.core.templates import TemplateError, get_template, template_from_dict

OPERATORS = ("≥", "≤", "=", ">", "<")


def test_sichuan_and_chongqing_columns_list_their_choices():
    sc = get_template("sichuan").form("project")
    assert cell_choices(sc, None, "indicators[0].指标性质") == (*OPERATORS, "定性")
    cq = get_template("chongqing").form("department")
    assert set(OPERATORS) <= set(cell_choices(cq, None, "indicators[2].指标性质"))
    assert "定量指标" in cell_choices(cq, None, "indicators[2].指标性质")  # as the published 重庆 form writes it
    assert cell_choices(cq, None, "indicators[2].是否核心指标") == ("是", "否")
    # a column without a list has none
    assert cell_choices(sc, None, "indicators[0].度量单位") is None
    assert cell_choices(sc, None, "funds.总额.原因") is None
    assert cell_choices(sc, None, "header.项目名称") is None


def test_levels_offer_the_taxonomy():
    fd = get_template("national").form("project")
    form = Form(kind="project", indicators=[Indicator({"一级指标": "满意度指标"}), Indicator({"一级指标": "自编"})])
    assert cell_choices(fd, form, "indicators[0].一级指标") == ("产出指标", "效益指标", "满意度指标")
    assert cell_choices(fd, form, "indicators[0].二级指标") == ("服务对象满意度指标",)
    every = cell_choices(fd, form, "indicators[1].二级指标")  # an unknown 一级: every 二级
    assert "数量指标" in every and "服务对象满意度指标" in every and len(set(every)) == len(every)


def test_column_of_finds_the_section_column():
    fd = get_template("henan").form("project")
    assert column_of(fd, "indicators[2].偏差度").key == "偏差度"
    assert column_of(fd, "资金管理情况.安排科学性.情况说明").key == "情况说明"
    assert column_of(fd, "funds.政府性预算资金.全年预算数").key == "全年预算数"
    assert column_of(fd, "header.项目名称") is None
    assert column_of(fd, "总分") is None
    assert column_of(fd, "indicators[0].没有这一列") is None


def test_outside_choices_is_width_and_space_blind():
    ops = (*OPERATORS, "定性")
    assert not outside_choices("≥", ops)
    assert not outside_choices("＝", ops)  # full-width =
    assert not outside_choices(" 定性 ", ops)
    assert not outside_choices("", ops)  # an empty cell is not outside
    assert outside_choices(">=", ops)
    msg = outside_message("大约", ops)
    assert msg is not None and "大约" in msg and "已按输入保留" in msg
    assert outside_message("≤", ops) is None


@pytest.mark.parametrize("bad", [["≥", "≥"], ["", "是"], "是否", [1, 2]])
def test_malformed_choices_are_refused_with_the_column_named(bad):
    data = dict(get_template("chongqing").source)
    dept = dict(data["department"])
    sections = [dict(s) for s in dept["sections"]]
    ind = next(s for s in sections if s["type"] == "indicators")
    ind["columns"] = [c if not (isinstance(c, dict) and c.get("key") == "是否核心指标") else {**c, "choices": bad}
                      for c in ind["columns"]]
    dept["sections"] = sections
    data["department"] = dept
    with pytest.raises(TemplateError, match="是否核心指标"):
        template_from_dict(data)
