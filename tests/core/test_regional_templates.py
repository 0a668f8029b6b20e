"""The 四川 一体化 and 重庆 部门整体 templates, and the template features they brought: text columns
in fund blocks, grouped text blocks, flat indicator lists, separate 指标性质/度量单位 columns,
adjusted targets, 得分系数, sign-off labels and the rule options (执行率 reason, caps, overshoot reason)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest

from jixiao.core import fields
from jixiao.core.extras import EXTRAS
from jixiao.core.fields import parse_path
from jixiao.core.fileio import load_document, save_document, save_interchange
from jixiao.core.interchange import InterchangeError, document_from_json, document_to_json
from jixiao.core.layout import form_grid, summary_grid
from jixiao.core.model import Document, Form, Indicator, iter_paths, new_document, new_form
from jixiao.core.report import score_report
from jixiao.core.scoring import score_form
from jixiao.core.templates import (
    DEFAULT_SIGNOFF,
    TemplateError,
    available_templates,
    get_template,
    template_from_dict,
)
from jixiao.core.validation import validate_document, validate_form
from tests.core.helpers import D, findings, result
from tests.core.regional import chongqing_document, fill_with_odd_values, sichuan_document

NEW = ("sichuan", "chongqing")


def cell(doc: Document, form: Form, path: str):
    c = form_grid(doc, form).by_path().get(path)
    assert c is not None, path
    return c


# ------------------------------------------------------------------ both templates, end to end


def test_the_new_templates_are_listed():
    ids = [t.id for t in available_templates()]
    assert "sichuan" in ids and "chongqing" in ids
    assert get_template("sichuan").form("project").report_code == "510000_0013zp"


@pytest.mark.parametrize("tid", NEW)
def test_new_document_validates_scores_saves_and_converts(tid, tmp_path):
    doc = new_document(tid, "某单位", 2024, projects=2)
    for form in doc.forms:
        g = form_grid(doc, form)
        g.check()
        # every input of the grid is one the template declares
        form_paths = {c.path for c in g.cells if c.path and parse_path(c.path).kind != "document"}
        assert form_paths <= set(iter_paths(form, doc.template.form(form.kind)))
    fs = validate_document(doc)
    assert fs and all(f.code in ("required-missing", "weight-sum") for f in fs)
    rep = score_report(doc)
    assert len(rep["forms"]) == len(doc.forms)
    p = tmp_path / "a.jxzp"
    save_document(doc, p)
    back = load_document(p)
    assert document_to_json(back, native=True) == document_to_json(doc, native=True)
    j = tmp_path / "a.json"
    save_interchange(doc, j)
    again = document_from_json(json.loads(j.read_text(encoding="utf-8")))
    assert document_to_json(again, native=False) == document_to_json(doc, native=False)


@pytest.mark.parametrize("make", [sichuan_document, chongqing_document], ids=NEW)
def test_filled_forms_round_trip_through_both_file_formats(make, tmp_path):
    doc = make()
    p = tmp_path / "doc.jxzp"
    save_document(doc, p)
    back = load_document(p)
    assert document_to_json(back, native=True) == document_to_json(doc, native=True)
    assert back.signoff == doc.signoff
    data = document_to_json(doc, native=False)
    again = document_from_json(json.loads(json.dumps(data, ensure_ascii=False)))
    assert document_to_json(again, native=False) == data
    assert [(f.code, f.field) for f in validate_document(again)] == [(f.code, f.field) for f in validate_document(doc)]
    assert score_report(again)["forms"][0]["total"] == score_report(doc)["forms"][0]["total"]


# ------------------------------------------------------------------ 四川


def test_sichuan_layout_is_the_published_one():
    fd = get_template("sichuan").form("project")
    funds = fd.funds
    assert funds.label == "预算执行情况(10分)" and funds.row_header == "年度预算数(万元)"
    assert [c.label for c in funds.columns] == ["年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分",
                                                "原因"]
    assert [r.label for r in funds.fund_rows] == ["总额", "其中:财政资金", "财政专户管理资金", "单位资金", "其他资金"]
    ind = fd.indicators
    assert ind.label == "绩效指标(90分)"
    assert [c.label for c in ind.columns] == ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位",
                                              "完成值", "权重", "得分", "未完成原因分析"]
    assert fd.signoff_labels == ("项目负责人", "财务负责人") and not fd.unit_lines
    goals = fd.section("texts", "goals")
    assert [(tr.label, [c.label for c in tr.columns]) for tr in goals.text_rows] == [
        ("1.项目年度目标完成情况", ["项目年度目标", "年度目标完成情况"]),
        ("2.项目实施内容及过程概述", ["项目实施内容及过程概述"]),
    ]
    footer = fd.section("texts", "conclusion")
    assert [tr.label for tr in footer.text_rows] == ["评价结论", "存在问题", "改进措施"]
    # the order of the blocks on the paper form
    assert [s.type for s in fd.sections] == ["fields", "texts", "funds", "indicators", "total", "texts"]


def test_sichuan_published_fund_block_scores_as_published():
    """大英县司法局 2023: 总额 0.00 / 3.36 / 3.36, 100.00%, 权重 10, 得分 10."""
    doc = new_document("sichuan", "大英县司法局", 2023)
    form = doc.projects[0]
    for row, (a, b, c) in {"总额": ("0.00", "3.36", "3.36"), "财政资金": ("0.00", "3.36", "3.36"),
                           "财政专户管理资金": ("0.00", "0.00", "0.00"), "单位资金": ("0.00", "0.00", "0.00")}.items():
        form.set(f"funds.{row}.年初预算数", a)
        form.set(f"funds.{row}.全年预算数", b)
        form.set(f"funds.{row}.全年执行数", c)
    form.set("funds.总额.执行率", "100.00%")
    form.set("funds.总额.得分", "10")
    res = result(doc, form)
    assert res.execution_rate == 1 and res.execution_weight == 10 and res.execution_score == D("10.00")
    assert res.funds["财政资金"].rate == 1
    fund_findings = [f for f in validate_document(doc) if f.field.startswith("funds.") and f.form_id == form.id]
    assert fund_findings == []
    assert cell(doc, form, "funds.总额.得分").text == "10.00"
    assert cell(doc, form, "funds.财政资金.执行率").text == "100.00%"  # the 其中 rows show their rate, as printed


def test_sichuan_qingshen_fund_block_scores_ten():
    """青神县发展和改革局 2023 工资性支出: 238.93 / 251.89 / 251.89 → 100.00%, 权重 10."""
    doc = new_document("sichuan", "青神县发展和改革局", 2023)
    form = doc.projects[0]
    for row in ("总额", "财政资金"):
        form.set(f"funds.{row}.年初预算数", "238.93")
        form.set(f"funds.{row}.全年预算数", "251.89")
        form.set(f"funds.{row}.全年执行数", "251.89")
    res = result(doc, form)
    assert res.execution_rate == 1 and res.execution_score == D("10.00")
    assert cell(doc, form, "funds.总额.得分").suggestion == "10.00"


def test_sichuan_filled_form_scores_and_is_clean():
    doc = sichuan_document()
    form = doc.forms[0]
    res = result(doc, form)
    assert [s.suggested for s in res.indicators] == [D("30.00"), D("20.00"), D("10.00"), D("18.89"), D("10.00")]
    assert res.weight_total == 100 and res.total == D("98.89")
    assert validate_document(doc) == []


def test_sichuan_operator_and_unit_columns_are_one_target():
    doc = sichuan_document()
    form = doc.forms[0]
    ind = form.indicators[3]  # ≥ | 90 | % | 85
    sc = result(doc, form).indicators[3]
    assert (sc.target.op, sc.target.number, sc.target.unit_text) == (">=", 90, "%")
    assert sc.actual.number == 85 and sc.actual.unit_text == "%"  # the actual takes the 度量单位
    assert sc.rule == "positive" and sc.deviation == D(85 - 90) / 90
    # what was typed is kept as typed, column by column
    typed = tuple(ind.get(k) for k in ("指标性质", "年度指标值", "度量单位", "实际完成值"))
    assert typed == ("≥", "90", "%", "85")
    # ≤ in 指标性质 makes a reverse indicator
    form.indicators[2].set("实际完成值", "3.70")
    sc = result(doc, form).indicators[2]
    assert sc.rule == "reverse" and sc.suggested == D("8.99")  # 10 × (1 − 0.34/3.36)
    # an actual with a unit of its own keeps it (亿元 converts, no "万元" appended)
    form.indicators[2].set("实际完成值", "0.0003亿元")
    sc = result(doc, form).indicators[2]
    assert not sc.unit_mismatch and sc.suggested == D("10.00")
    # 定性: no operator, a qualitative target
    form.indicators[0].cells.update({"指标性质": "定性", "年度指标值": "按要求完成", "实际完成值": "达成年度指标"})
    form.indicators[0].cells.pop("度量单位")
    sc = result(doc, form).indicators[0]
    assert sc.target.kind == "text" and sc.rule == "qualitative"


def test_sichuan_preceding_form_levels_are_known():
    """The published 大英 tail puts 经济成本指标 under 产出指标: not an unknown level."""
    doc = sichuan_document()
    form = doc.forms[0]
    form.indicators = [Indicator({"一级指标": "产出指标", "二级指标": "经济成本指标", "三级指标": "成本控制数",
                                  "指标性质": "≤", "年度指标值": "30", "度量单位": "万元", "实际完成值": "完成",
                                  "分值": "90", "得分": "90"})]
    assert not findings(doc, "unknown-level")
    assert result(doc, form).total == 100


@pytest.mark.parametrize("spent,reason,expected", [
    ("3.00", "", True),  # 89.29 % < 90 %, no reason
    ("3.00", "设备到货延迟，尾款次年支付。", False),
    ("3.03", "", False),  # 90.18 %
    ("3.36", "", False),
])
def test_sichuan_low_execution_needs_a_reason(spent, reason, expected):
    doc = sichuan_document()
    form = doc.forms[0]
    for row in ("总额", "财政资金"):
        form.set(f"funds.{row}.全年执行数", spent)
    form.set("funds.总额.执行率", "")
    form.set("funds.总额.得分", "")
    form.set("funds.总额.原因", reason)
    hits = findings(doc, "execution-reason-missing")
    assert bool(hits) == expected
    if expected:
        assert hits[0].field == "funds.总额.原因" and hits[0].severity == "warning"
        assert "预算执行率 89.29% 未达到 90.00%" in hits[0].message and "原因" in hits[0].message


def test_sichuan_reason_is_one_cell_over_all_fund_rows():
    doc = sichuan_document()
    form = doc.forms[0]
    g = form_grid(doc, form)
    reason = g.by_path()["funds.总额.原因"]
    assert reason.rowspan == 5 and reason.text == "年中追加预算3.36万元用于购买安可设备。" and reason.editable
    assert not any(c.path and c.path.endswith(".原因") and c is not reason for c in g.cells)
    # 其中 rows print the template's blank mark under 权重 and 得分
    row = g.by_path()["funds.单位资金.年初预算数"].row
    assert [c.text for c in g.cells if c.row == row and c.section == "funds" and not c.path] == ["单位资金", "/", "/"]
    where = fields.describe(get_template("sichuan").form("project"), form, "funds.总额.原因")
    assert where == "预算执行情况(10分) · 总额 · 原因"


def test_sichuan_grid_blocks_and_signoff():
    doc = sichuan_document()
    form = doc.forms[0]
    g = form_grid(doc, form)
    texts = [c.text for c in g.cells]
    assert "报表编号：510000_0013zp" in texts
    assert not any("填报单位" in t or "金额单位" in t for t in texts)
    signoff = [c.text for c in g.cells if c.section == "signoff"]
    assert signoff == ["项目负责人：查小兵", "财务负责人：唐勇"]
    paths = g.by_path()
    assert paths["goals.项目实施内容及过程概述"].text.startswith("2023年购买13台")
    assert paths["conclusion.改进措施"].text == "无"
    label = next(c for c in g.cells if c.text == "项目基本情况")
    assert label.rowspan == 3  # 项目年度目标 header, its values, 项目实施内容及过程概述
    assert next(c for c in g.cells if c.text == "1.项目年度目标完成情况").rowspan == 2
    total = next(c for c in g.cells if c.text == "合计")
    assert total.colspan == 8 and paths["总分"].text == "98.89"


def test_sichuan_empty_footer_is_reported_by_its_own_name():
    doc = sichuan_document()
    doc.forms[0].texts["conclusion"].pop("存在问题")
    hits = findings(doc, "required-missing")
    assert [(f.field, f.message) for f in hits] == [("conclusion.存在问题", "请填写存在问题")]
    assert fields.locate(doc, doc.forms[0].id, "conclusion.存在问题").endswith(" · 存在问题")
    assert "conclusion" not in fields.locate(doc, doc.forms[0].id, "conclusion.存在问题")
    where = fields.locate(doc, doc.forms[0].id, "goals.项目实施内容及过程概述")
    assert where.endswith("项目基本情况 · 项目实施内容及过程概述")


def test_chongqing_locations_read_as_the_form():
    doc = chongqing_document()
    fd = doc.template.form("department")
    form = doc.department
    assert fields.describe(fd, form, "funds.部门预算执行情况.全年预算数") == "部门预算执行情况 · 全年(调整)预算数"
    assert fields.describe(fd, form, "indicators[1].调整指标值") == "第2条指标“党性教育培训次数” · 调整指标值"
    assert fields.describe(fd, form, "header.财政处室") == "财政处室"


# ------------------------------------------------------------------ 重庆


def test_chongqing_layout_is_the_published_one():
    fd = get_template("chongqing").form("department")
    assert fd.title == "部门整体绩效自评表" and fd.signoff_labels == () and not fd.unit_lines
    funds = fd.funds
    assert [c.label for c in funds.columns] == ["年初预算数", "全年(调整)预算数", "全年执行数", "执行率(%)",
                                                "执行率权重", "执行率得分(分)"]
    assert [r.key for r in funds.fund_rows] == ["部门预算执行情况"]
    ind = fd.indicators
    assert ind.flat and ind.levels == ()
    assert [c.label for c in ind.columns] == ["指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值",
                                              "全年完成值", "得分系数(%)", "指标权重(分)", "指标得分(分)",
                                              "是否核心指标"]
    # a new department form starts with empty rows to type into, not with 一级/二级
    form = new_form(get_template("chongqing"), "department")
    assert len(form.indicators) == ind.initial_rows and all(i.cells == {} for i in form.indicators)


def test_chongqing_flat_form_scores_as_its_rule_says():
    doc = chongqing_document()
    form = doc.department
    res = result(doc, form)
    assert res.execution_rate == D("0.76") and res.execution_score == D("7.60")
    scores = res.indicators
    assert [s.suggested for s in scores] == [D("20.00"), D("20.00"), D("25.80"), D("20.00")]
    # the adjusted target (10次) is the target, not the original 26次
    assert scores[1].target.number == 10 and scores[1].deviation == D("0.2")
    assert scores[2].score_factor == D("0.86")
    assert res.weight_total == 100 and res.total == D("93.40")
    assert res.levels == []  # no 一级 subtotals in a flat list
    # no complaints about missing 一级/二级, and nothing else either
    assert validate_document(doc) == []


def test_chongqing_without_adjustment_scores_against_the_original_target():
    doc = chongqing_document()
    form = doc.department
    form.indicators[1].set("调整指标值", "")
    sc = result(doc, form).indicators[1]
    assert sc.target.number == 26 and sc.suggested == D("9.23")  # 20 × 12/26


def test_chongqing_score_factor_cell_and_check():
    doc = chongqing_document()
    form = doc.department
    c = cell(doc, form, "indicators[2].得分系数")
    assert c.role == "override" and c.suggestion == "86.00%" and c.value == D("0.86")
    form.indicators[2].set("得分系数", "86%")
    assert not findings(doc, "score-factor-mismatch")
    form.indicators[2].set("得分系数", "90%")
    hits = findings(doc, "score-factor-mismatch")
    assert len(hits) == 1 and hits[0].field == "indicators[2].得分系数" and "86.00%" in hits[0].message
    form.indicators[2].set("得分系数", "很高")
    assert [f.code for f in validate_document(doc) if f.field == "indicators[2].得分系数"] == ["unparsable-value"]


def test_chongqing_total_is_in_the_header():
    doc = chongqing_document()
    form = doc.department
    g = form_grid(doc, form)
    g.check()
    total = g.by_path()["总分"]
    assert g.row_kinds[total.row] == "header" and total.text == "93.40" and total.role == "override"
    assert not any(k == "total" for k in g.row_kinds)
    assert not any(c.section == "signoff" for c in g.cells)
    form.total = "95"
    assert [f.code for f in validate_document(doc) if f.field == "总分"] == ["total-mismatch"]
    # one fund row and no row-name column: the label spans the header and the figures
    label = next(c for c in g.cells if c.text == "部门预算执行情况(万元)")
    assert label.rowspan == 2 and label.colspan == 2


def test_chongqing_missing_targets_are_named_as_printed():
    doc = chongqing_document()
    form = doc.department
    form.indicators[0].cells.pop("年度指标值")
    form.indicators[0].cells.pop("实际完成值")
    msgs = [f.message for f in findings(doc, "required-missing") if "缺少" in f.message]
    assert msgs == ["“预算完成率”缺少年初指标值", "“预算完成率”缺少全年完成值"]


def test_chongqing_project_form_is_the_national_one():
    assert get_template("chongqing").form("project").title == get_template("national").form("project").title
    doc = new_document("chongqing", "某单位", 2021, projects=1)
    assert summary_grid(doc).n_rows > 0


# ------------------------------------------------------------------ sign-off labels


def test_signoff_labels_are_template_data():
    assert get_template("national").form("project").signoff_labels == DEFAULT_SIGNOFF
    doc = new_document("national", "某单位", 2024)
    doc.signoff = {"单位负责人": "张三"}
    g = form_grid(doc, doc.projects[0])
    assert [c.text for c in g.cells if c.section == "signoff"] == [
        "填报单位（盖章）：某单位", "单位负责人：张三", "财务负责人：", "填表人：", "填报日期："]
    assert get_template("sichuan").signoff_labels[:2] == ("项目负责人", "财务负责人")


def test_interchange_reads_the_templates_signoff_labels():
    data = document_to_json(sichuan_document(), native=False)
    assert data["signoff"] == {"项目负责人": "查小兵", "财务负责人": "唐勇"}
    assert document_from_json(data).signoff == {"项目负责人": "查小兵", "财务负责人": "唐勇"}
    data["template"] = "national"  # 项目负责人 is not a sign-off of the national forms: kept with the first form
    data["forms"] = [{"kind": "project", "header": {"项目名称": "甲"}}]
    doc = document_from_json(data)
    assert doc.signoff == {"财务负责人": "唐勇"}
    assert {"栏目": "项目负责人", "内容": "查小兵"} in doc.forms[0].tables[EXTRAS]
    data["forms"] = []  # nowhere to keep it: refused, naming it
    with pytest.raises(InterchangeError, match="项目负责人"):
        document_from_json(data)


# ------------------------------------------------------------------ rule options


def national_with(**scoring) -> tuple:
    src = copy.deepcopy(get_template("national").source)
    src["id"] = "test-options"
    src["scoring"].update(scoring)
    tpl = template_from_dict(src)
    return tpl, tpl.form("project")


def full_form(tpl, spent: str, actual: str = "12家", target: str = "≥10家") -> Form:
    form = new_form(tpl, "project")
    form.header["项目名称"] = "测试项目"
    form.texts["goals"] = {"预期目标": "a", "实际完成情况": "b"}
    form.set("funds.年度资金总额.全年预算数", "100")
    form.set("funds.年度资金总额.全年执行数", spent)
    form.indicators = [Indicator({"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "服务企业数",
                                  "年度指标值": target, "实际完成值": actual, "分值": "90"})]
    return form


def test_defaults_keep_todays_behaviour():
    sc = get_template("national").scoring
    assert sc.execution_caps == () and sc.execution_reason_below is None and sc.overshoot_reason_from is None
    tpl, fd = national_with()
    form = full_form(tpl, "45")
    res = score_form(tpl, fd, form)
    assert res.total == D("94.50") and res.cap is None  # no cap without the option
    assert not [f for f in validate_form(tpl, fd, form) if f.code in ("total-capped", "execution-reason-missing")]


CAPS = [["0.80", "89"], ["0.70", "79"], ["0.60", "69"], ["0.50", "59"]]


@pytest.mark.parametrize("spent,total,cap", [
    ("85", "98.50", None),
    ("80", "98.00", None),  # 80 % is not below 80 %
    ("75", "89", "89"),
    ("65", "79", "79"),
    ("55", "69", "69"),
    ("45", "59", "59"),
])
def test_execution_caps_limit_the_total(spent, total, cap):
    tpl, fd = national_with(execution_caps=CAPS)
    form = full_form(tpl, spent)
    res = score_form(tpl, fd, form)
    assert res.total == D(total)
    assert (res.cap[1] if res.cap else None) == (D(cap) if cap else None)
    fs = validate_form(tpl, fd, form, res)
    capped = [f for f in fs if f.code == "total-capped"]
    assert bool(capped) == bool(cap)
    if cap:
        assert capped[0].severity == "info" and f"总分最高 {cap} 分" in capped[0].message
        assert res.uncapped_total > res.total and res.grade == tpl.scoring.grade(D(cap))
        form.total = str(res.uncapped_total)  # typing the uncapped sum is a mismatch
        assert [f.code for f in validate_form(tpl, fd, form) if f.field == "总分"] == ["total-capped", "total-mismatch"]
        form.total = cap
        assert [f.code for f in validate_form(tpl, fd, form) if f.field == "总分"] == ["total-capped"]


def test_execution_caps_follow_the_summary_and_layout():
    tpl, fd = national_with(execution_caps=CAPS)
    doc = Document(template_id="test-options", unit="u", year=2024, embedded_template=tpl.source)
    doc.forms.append(full_form(doc.template, "75"))
    g = form_grid(doc, doc.forms[0])
    assert g.by_path()["总分"].text == "89.00"
    sg = summary_grid(doc)
    assert "89.00" in [c.text for c in sg.cells]


@pytest.mark.parametrize("actual,option,needs", [
    ("12家", None, True),  # +20 % beyond the default ±10 %
    ("12家", "0.30", False),  # 广西: only from 130 %
    ("13家", "0.30", True),  # exactly 130 %: required
    ("9家", "0.30", True),  # a shortfall loses points: always required
])
def test_overshoot_reason_threshold(actual, option, needs):
    tpl, fd = national_with(overshoot_reason_from=option)
    form = full_form(tpl, "100", actual=actual)
    hits = [f for f in validate_form(tpl, fd, form) if f.code == "deviation-reason-missing"]
    assert bool(hits) == needs
    assert score_form(tpl, fd, form).has_deviation == needs
    if needs and option and actual == "13家":
        assert "超出目标 30.00%（达到 30.00% 须说明）" in hits[0].message


@pytest.mark.parametrize("actual,needs", [("12家", False), ("13家", False), ("14家", True)])
def test_deviation_tolerance(actual, needs):
    """The 偏差率 tolerance is ``deviation_threshold`` (河南 30 %): beyond it, both ways, a reason is required."""
    tpl, fd = national_with(deviation_threshold="0.30")
    form = full_form(tpl, "100", actual=actual)
    hits = [f for f in validate_form(tpl, fd, form) if f.code == "deviation-reason-missing"]
    assert bool(hits) == needs


def test_execution_reason_option_needs_a_text_column():
    """A form whose fund block has no text column (the national ones) is not asked for a reason."""
    tpl, fd = national_with(execution_reason_below="0.90")
    form = full_form(tpl, "50")
    assert not [f for f in validate_form(tpl, fd, form) if f.code == "execution-reason-missing"]


# ------------------------------------------------------------------ malformed templates


def _broken(mutate) -> str:
    src = copy.deepcopy(get_template("chongqing").source)
    src = {**src, "id": "broken"}
    mutate(src)
    with pytest.raises(TemplateError) as exc:
        template_from_dict(src)
    return str(exc.value)


def _ind(src: dict) -> dict:
    return next(s for s in src["department"]["sections"] if s["type"] == "indicators")


def _funds(src: dict) -> dict:
    return next(s for s in src["department"]["sections"] if s["type"] == "funds")


@pytest.mark.parametrize("mutate,fragment", [
    (lambda d: _ind(d).update({"levels": [{"name": "产出指标", "level2": []}]}), "平铺"),
    (lambda d: _ind(d).update({"flat": False}), "一级指标"),
    (lambda d: _ind(d)["columns"].__setitem__(0, "备注"), "三级指标"),
    (lambda d: _funds(d)["columns"].__setitem__(0, {"key": "说明", "span": 2}), "未知的资金列"),
    (lambda d: _funds(d)["columns"].__setitem__(0, {"key": "说明", "span": 2, "kind": "memo"}), "kind"),
    (lambda d: _funds(d)["columns"].__setitem__(0, {"key": "得分", "span": 2, "kind": "text"}), "不能是文字列"),
    (lambda d: _funds(d)["columns"].__setitem__(0, {"key": "年初预算数", "span": 2, "merged": True}), "合并"),
    (lambda d: _funds(d)["rows"].append({"key": "其他资金"}), "只能有一行"),
    (lambda d: _funds(d).update({"label_span": 4}), "资金列过多"),
    (lambda d: d["department"].update({"signoff": "张三"}), "signoff"),
    (lambda d: d["department"].update({"signoff": ["项目负责人", "项目负责人"]}), "重复"),
    (lambda d: d.update({"scoring": {"execution_caps": [["0.8"]]}}), "execution_caps"),
    (lambda d: d.update({"scoring": {"execution_caps": "0.8"}}), "execution_caps"),
])
def test_malformed_new_keys_are_reported(mutate, fragment):
    assert fragment in _broken(mutate)


def test_malformed_text_rows_are_reported():
    src = copy.deepcopy(get_template("sichuan").source)
    src["id"] = "broken"
    goals = next(s for s in src["project"]["sections"] if s.get("key") == "goals")
    goals["rows"][1]["columns"][0]["span"] = 7
    with pytest.raises(TemplateError, match="第2组"):
        template_from_dict(src)
    goals["rows"][1]["columns"][0]["span"] = 8
    goals["columns"] = [{"key": "预期目标", "span": 10}]
    with pytest.raises(TemplateError, match="rows 和 columns"):
        template_from_dict(src)


def test_decimal_options_are_exact():
    tpl, _ = national_with(execution_caps=CAPS, overshoot_reason_from="0.30", execution_reason_below="0.9")
    assert tpl.scoring.execution_caps[0] == (Decimal("0.80"), Decimal("89"))
    assert tpl.scoring.overshoot_reason_from == Decimal("0.30")
    assert tpl.scoring.execution_reason_below == Decimal("0.9")


# ------------------------------------------------------------------ odd input


@pytest.mark.parametrize("make", [sichuan_document, chongqing_document], ids=NEW)
def test_odd_values_in_every_cell_never_crash(make):
    """Whatever lands in 指标性质 / 度量单位 / 调整指标值 / 得分系数 / 原因 …: findings, never an exception."""
    doc = fill_with_odd_values(make())
    fs = validate_document(doc)
    assert fs and all(f.code for f in fs)
    score_report(doc)
    for form in doc.forms:
        form_grid(doc, form).check()
        assert fields.locate(doc, form.id, "indicators[0].指标性质")


def test_fund_findings_use_the_forms_own_words():
    doc = new_document("chongqing", "某局", 2021, projects=0)
    msgs = [f.message for f in findings(doc, "required-missing") if f.field.startswith("funds.")]
    assert msgs == ["请填写部门预算执行情况的全年(调整)预算数", "请填写部门预算执行情况的全年执行数"]
    doc = sichuan_document()
    doc.forms[0].set("funds.总额.全年预算数", "4.00")
    hits = findings(doc, "fund-total-mismatch")
    assert [f.message for f in hits] == [
        "总额的调整后预算数 4.00 不等于其中各行之和 3.36（财政资金 3.36 + 财政专户管理资金 0.00 + 单位资金 0.00）"]


def test_carry_over_keeps_the_plan_and_the_signatories():
    from jixiao.core.carryover import carry_over

    doc, _report = carry_over(sichuan_document(), 2024)
    form = doc.forms[0]
    assert doc.signoff == {"项目负责人": "查小兵", "财务负责人": "唐勇"}
    assert form.indicators[3].cells == {"一级指标": "效益指标", "二级指标": "社会效益指标",
                                        "三级指标": "办公设备国产化率", "指标性质": "≥", "年度指标值": "90",
                                        "度量单位": "%", "分值": "20"}
    assert "原因" not in form.funds.get("总额", {}) and "conclusion" not in form.texts
    doc, _report = carry_over(chongqing_document(), 2022)
    assert doc.department.indicators[1].get("调整指标值") == "10次"
