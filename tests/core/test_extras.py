"""What a form holds beyond its template is kept, shown, reported and written back."""

from __future__ import annotations

import pytest

from jixiao.core.extras import EXTRAS, extras_section
from jixiao.core.fields import describe, locate
from jixiao.core.fileio import document_from_data, document_to_data
from jixiao.core.interchange import InterchangeError, document_from_json, document_to_json
from jixiao.core.layout import form_grid
from jixiao.core.summary import summary_rows
from jixiao.core.templates import available_templates, get_template
from jixiao.core.validation import validate_document


def _doc(form: dict, template: str = "national") -> dict:
    return {"template": template, "year": 2024, "unit": "某某局",
            "forms": [{"kind": "project", "header": {"项目名称": "甲"}, **form}]}


def test_an_unknown_fund_row_in_the_interchange_is_kept_not_refused():
    doc = document_from_json(_doc({"funds": [
        {"row": "年度资金总额", "全年预算数": "100", "全年执行数": "90"},
        {"row": "其中：本年财政拨款", "全年预算数": "80", "全年执行数": "70"},
        {"row": "自筹资金", "全年预算数": "20", "全年执行数": "20"}]}))
    form = doc.forms[0]
    assert form.funds["当年财政拨款"] == {"全年预算数": "80", "全年执行数": "70"}
    assert form.funds["自筹资金"] == {"全年预算数": "20", "全年执行数": "20"}
    findings = validate_document(doc)
    extra = [f for f in findings if f.code == "extra-content"]
    assert [(f.field, f.severity) for f in extra] == [("funds.自筹资金.全年预算数", "warning")]
    assert "自筹资金" in extra[0].message and "全国通用" in extra[0].message
    # counted among the 其中 rows: 100 = 80 + 20, no false mismatch
    assert not [f for f in findings if f.code == "fund-total-mismatch"]
    g = form_grid(doc, form)
    row = next(c.row for c in g.cells if c.text == "自筹资金")
    assert [c.text for c in g.cells if c.row == row and c.path] == ["", "20.00", "20.00"]  # 分值 执行率 得分: —
    assert locate(doc, form.id, "funds.自筹资金.全年预算数").endswith("项目资金 · 自筹资金 · 全年预算数")
    # written back under its own label and read again
    again = document_from_json(document_to_json(doc, native=False))
    assert again.forms[0].funds == form.funds
    assert document_from_data(document_to_data(doc)).forms[0].funds == form.funds


def test_a_second_row_for_the_same_field_is_kept_too():
    doc = document_from_json(_doc({"funds": [
        {"row": "当年财政拨款", "全年预算数": "80"}, {"row": "本年财政拨款", "全年预算数": "5"}]}))
    assert doc.forms[0].funds == {"当年财政拨款": {"全年预算数": "80"}, "本年财政拨款": {"全年预算数": "5"}}


def test_fields_the_template_lacks_go_to_the_extras_block():
    doc = document_from_json(_doc({
        "header": {"项目名称": "甲", "项目实施单位": "乙", "项目类别": "部门预算项目"},
        "funds": [{"row": "总额", "调整后预算数": "3.36", "原因": "年中追加"}],
        "goals": {"项目年度目标": "购置设备", "项目实施内容及过程概述": "购买13台"},
        "indicators": [{"一级": "产出指标", "二级": "数量指标", "三级": "台数", "指标性质": "≥", "指标值": "13",
                        "度量单位": "台", "完成值": "13", "权重": "90", "是否核心指标": "是", "_note": "a comment"}],
        "评价结论": "完成",
        "footer": {"总分(100分)": "100", "自评等级": "优"},
    }))
    form = doc.forms[0]
    assert form.header == {"项目名称": "甲", "实施单位": "乙"}
    assert form.funds == {"年度资金总额": {"全年预算数": "3.36"}}
    assert form.texts["goals"] == {"预期目标": "购置设备"}
    assert form.indicators[0].cells == {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "台数",
                                        "年度指标值": "≥13台", "实际完成值": "13台", "分值": "90"}
    assert form.total == "100"
    assert form.tables[EXTRAS] == [
        {"栏目": "项目类别", "内容": "部门预算项目"}, {"栏目": "总额·原因", "内容": "年中追加"},
        {"栏目": "项目实施内容及过程概述", "内容": "购买13台"}, {"栏目": "台数·是否核心指标", "内容": "是"},
        {"栏目": "评价结论", "内容": "完成"}, {"栏目": "自评等级", "内容": "优"}]
    found = [f for f in validate_document(doc) if f.code == "extra-content"]
    assert [f.field for f in found] == [f"{EXTRAS}[{i}].内容" for i in range(6)]
    assert describe(doc.template.form("project"), form, f"{EXTRAS}[0].内容") == "附加内容“项目类别”"
    # on the form, after its last block, and back from the interchange
    g = form_grid(doc, form)
    texts = [c.text for c in g.cells if c.section == EXTRAS]
    assert texts[:3] == [EXTRAS, "栏目", "内容"] and "项目类别" in texts and "购买13台" in texts
    assert max(c.row for c in g.cells if c.section == EXTRAS) < min(c.row for c in g.cells if c.section == "signoff")
    again = document_from_json(document_to_json(doc, native=False))
    assert again.forms[0].tables == form.tables


def test_rows_of_a_block_the_template_lacks_are_kept_cell_by_cell():
    """A list of rows under a key no block takes (the central 部门整体 form's 年度主要任务) is kept, each value
    under block·column (a row's ``row`` names it); before, the whole file was refused."""
    doc = document_from_json(_doc({"附件": {"表格": [1, 2]},
                                   "年度主要任务": [{"任务名称": "科技项目管理", "预算数": 1200}],
                                   "按支出性质分": [{"row": "基本支出", "全年执行数": 566}]}))
    assert [(r["栏目"], r["内容"]) for r in doc.forms[0].tables[EXTRAS]] == [
        ("表格", "1"), ("表格", "2"), ("年度主要任务·任务名称", "科技项目管理"), ("年度主要任务·预算数", "1200"),
        ("按支出性质分·基本支出·全年执行数", "566")]


def test_content_nested_deeper_than_any_form_stops_the_interchange():
    with pytest.raises(InterchangeError, match="嵌套层数过多"):
        document_from_json(_doc({"附件": {"表格": [[[[[["x"]]]]]]}}))


@pytest.mark.parametrize("template", [t.id for t in available_templates()])
def test_the_extras_block_spans_every_templates_grid(template):
    for fd in get_template(template).forms.values():
        sec = extras_section(fd)
        assert sum(c.span for c in sec.columns) + 1 == fd.width


def test_a_level_written_with_its_weight_is_one_level_and_checked():
    rows = [{"一级指标": l1, "二级指标": l2, "三级指标": f"x{i}", "年度指标值": "≥1个", "实际完成值": "1个",
             "分值": w, "得分": w}
            for i, (l1, l2, w) in enumerate([("产出指标(50分)", "数量指标", "30"),
                                             ("产出指标（50分）", "质量指标", "20"),
                                             ("效益指标(30分)", "社会效益指标", "30"),
                                             ("满意度指标(10分)", "服务对象满意度指标", "5")])]
    doc = document_from_json(_doc({"funds": [{"row": "年度资金总额", "全年预算数": "1", "全年执行数": "1"}],
                                   "indicators": rows}))
    form = doc.forms[0]
    assert [i.level1 for i in form.indicators] == ["产出指标", "产出指标", "效益指标", "满意度指标"]
    found = [f for f in validate_document(doc) if f.code in ("level-weight-mismatch", "unknown-level")]
    assert [(f.code, f.field) for f in found] == [("level-weight-mismatch", "indicators[3].一级指标")]
    assert "满意度指标" in found[0].message and "标明 10 分" in found[0].message and "合计为 5" in found[0].message
    (row,) = summary_rows(doc)
    assert row.得分率["产出指标"] == 1 and row.得分率["效益指标"] == 1 and row.得分率["满意度指标"] == 1
    g = form_grid(doc, form)
    assert [c.text for c in g.cells if c.path == "indicators[0].一级指标"] == ["产出指标(50分)"]
