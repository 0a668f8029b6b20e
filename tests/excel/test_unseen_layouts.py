"""Layouts of provinces no template follows (浙江, 江苏, 山东, 广西, 甘肃), as their officers lay them out:
imported whole, every figure kept, scored as printed, no false finding."""

from __future__ import annotations

from decimal import Decimal

import openpyxl

from jixiao.core.extras import EXTRAS
from jixiao.core.scoring import score_form
from jixiao.core.validation import validate_document
from jixiao.excel.reader import read_workbook

INDICATORS = [
    ["产出指标", "数量指标", "改造老旧小区数量", "≥12个", "12个", "20", "20", None],
    [None, "质量指标", "工程验收合格率", "100%", "100%", "15", "15", None],
    [None, "时效指标", "开工及时率", "≥95%", "90%", "10", "9.47", "部分小区开工推迟"],
    [None, "成本指标", "单个小区平均改造成本", "≤300万元", "285万元", "5", "5", None],
    ["效益指标", "社会效益指标", "受益居民户数", "≥3000户", "3120户", "30", "30", None],
    ["满意度指标", "服务对象满意度指标", "居民满意度", "≥90%", "93%", "10", "10", None],
]


def _save(path, rows, merges=(), formats=None, title="自评表"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(r, c, v)
    for (r, c), fmt in (formats or {}).items():
        ws.cell(r, c).number_format = fmt
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def _form(*, fund_header, fund_rows, indicator_header, total="99.11", signoff=(), extra_top=()):
    rows = [["2023年度项目支出绩效自评表"], *extra_top,
            ["项目名称", "2023年老旧小区改造补助资金"],
            ["主管部门", "杭州市住房保障和房产管理局", None, None, "实施单位", "杭州市房产管理中心"],
            *fund_header, *fund_rows,
            ["年度总体目标", "预期目标", None, None, None, "实际完成情况"],
            [None, "完成12个老旧小区改造", None, None, None, "完成12个小区改造"],
            ["绩效指标", *indicator_header]]
    rows += [[None, *r] for r in INDICATORS]
    rows.append(["总分", None, None, None, None, None, "100", total])
    rows += [list(r) for r in signoff]
    return rows


FUNDS = [[None, "年度资金总额", None, "3,600.00", "3,850.00", "3,712.35", "10", "96.42%", "9.64"],
         [None, "其中：财政拨款", None, "3,600.00", "3,600.00", "3,462.35", None, "96.18%", None],
         [None, "上年结转", None, "0.00", "250.00", "250.00", None, "100.00%", None],
         [None, "其他资金"]]
FUND_HEADER = [["项目资金（万元）", None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]]
NATIONAL_INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                             "偏差原因分析及改进措施"]


def _totals(doc):
    return [score_form(doc.template, doc.template.form(f.kind), f).total for f in doc.forms]


def test_zhejiang_two_row_header_and_indicator_headers_written_the_other_way_round(tmp_path):
    """浙江: 预算执行情况 merged over the amount columns in a header row of its own; 指标一级 / 指标二级 /
    指标三级, 指标值, 权重（%）; amounts as text with thousands separators."""
    rows = _form(
        fund_header=[["项目资金（万元）", None, None, "预算执行情况"],
                     [None, None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]],
        fund_rows=FUNDS,
        indicator_header=["指标一级", "指标二级", "指标三级", "指标值", "实际完成值", "权重（%）", "得分",
                          "偏差原因分析及改进措施"])
    res = read_workbook(_save(tmp_path / "zj.xlsx", rows, merges=["D4:I4", "A4:C5"]))
    doc = res.document
    assert res.problems == []
    (form,) = doc.forms
    assert EXTRAS not in form.tables
    assert [i.get("三级指标") for i in form.indicators] == [r[2] for r in INDICATORS]
    assert [i.get("分值") for i in form.indicators] == [r[5] for r in INDICATORS]
    assert form.indicators[2].get("年度指标值") == "≥95%"
    assert form.funds["年度资金总额"]["全年执行数"] == "3,712.35"
    assert _totals(doc) == [Decimal("99.11")]
    assert not [f for f in validate_document(doc) if f.severity == "error"]


def test_signoff_labels_and_values_in_separate_cells_and_their_synonyms(tmp_path):
    """广西: 填表人： | 覃丽 | 联系电话： | 0771-… | 填报日期： | 2024-03-18 — each value stays with its label;
    山东's 填报人 is the 填表人."""
    rows = _form(
        fund_header=FUND_HEADER,
        fund_rows=FUNDS, indicator_header=NATIONAL_INDICATOR_HEADER,
        signoff=[["填报人：", "覃丽", "联系电话：", "0771-5551234", "填报日期：", "2024-03-18"]])
    res = read_workbook(_save(tmp_path / "gx.xlsx", rows))
    doc = res.document
    assert doc.signoff == {"填表人": "覃丽", "填报日期": "2024-03-18"}
    assert doc.forms[0].tables[EXTRAS] == [{"栏目": "联系电话", "内容": "0771-5551234"}]


def test_a_signoff_line_in_one_cell_is_split_into_its_people(tmp_path):
    rows = _form(
        fund_header=FUND_HEADER,
        fund_rows=FUNDS, indicator_header=NATIONAL_INDICATOR_HEADER,
        signoff=[["单位负责人：王强　　填报人：孙伟　　填表日期：2024年3月20日"]])
    doc = read_workbook(_save(tmp_path / "sd.xlsx", rows)).document
    assert doc.signoff == {"单位负责人": "王强", "填表人": "孙伟", "填报日期": "2024年3月20日"}
    assert EXTRAS not in doc.forms[0].tables


def test_a_signoff_line_with_single_spaces_and_a_phone_is_signed_and_the_phone_kept(tmp_path):
    """填表人：张三 联系电话：… (single spaces, a part the national form does not sign): the people are signed,
    the phone number is kept in 附加内容 (it was the whole line's, and 填表人 stayed empty)."""
    rows = _form(
        fund_header=FUND_HEADER,
        fund_rows=FUNDS, indicator_header=NATIONAL_INDICATOR_HEADER,
        signoff=[["单位负责人：王强 填表人：孙伟 联系电话：0531-86001234 填报日期：2024年3月20日"]])
    doc = read_workbook(_save(tmp_path / "sd2.xlsx", rows)).document
    assert doc.signoff == {"单位负责人": "王强", "填表人": "孙伟", "填报日期": "2024年3月20日"}
    assert doc.forms[0].tables[EXTRAS] == [{"栏目": "联系电话", "内容": "0531-86001234"}]
    assert not [f for f in validate_document(doc) if f.code == "extra-content"]


def test_a_fund_row_header_on_a_project_form_is_a_label(tmp_path):
    """江苏: 资金来源 heads the row labels of a project form (the national project form prints none)."""
    rows = _form(
        fund_header=[["项目资金（万元）", "资金来源", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
                      "得分"]],
        fund_rows=FUNDS, indicator_header=NATIONAL_INDICATOR_HEADER)
    res = read_workbook(_save(tmp_path / "js.xlsx", rows))
    assert res.problems == []
    assert EXTRAS not in res.document.forms[0].tables


def test_a_rate_column_headed_percent_holds_percentages(tmp_path):
    """山东: 执行率(%) | 98 is 98 %, not a rate missing its sign."""
    funds = [[None, "年度资金总额", None, 2000, 2100, 2058, 10, 98, 9.8],
             [None, "其中：财政资金", None, 2000, 2000, 1958, None, 97.9, None],
             [None, "上年结转", None, 0, 100, 100, None, 100, None]]
    rows = _form(
        fund_header=[["项目资金（万元）", None, None, "年初预算数", "全年(调整)预算数", "实际执行数", "分值",
                      "执行率(%)", "得分"]],
        fund_rows=funds, indicator_header=NATIONAL_INDICATOR_HEADER, total="99.27")
    doc = read_workbook(_save(tmp_path / "sd.xlsx", rows)).document
    form = doc.forms[0]
    assert form.funds["年度资金总额"].get("执行率", "98%") == "98%"  # (the rule's own figure need not be kept)
    assert _totals(doc) == [Decimal("99.27")]
    assert not [f for f in validate_document(doc) if f.code == "rate-missing-percent"]


def test_a_total_split_twice_is_summed_once(tmp_path):
    """甘肃 部门整体: 年度资金总额 split 按收入性质 (财政拨款, 其他资金) and again 按支出性质 (基本支出, 项目支出):
    the second split is kept (附加内容), never summed into the total a second time."""
    rows = [["部门整体支出绩效自评表"], ["（2023年度）"], ["部门（单位）名称", "兰州市统计局"],
            ["年度预算数（万元）", None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            [None, "年度资金总额", None, 1560, 1620, 1590.3, 10, "98.17%", 9.82],
            [None, "按收入性质分："],
            [None, "财政拨款", None, 1500, 1560, 1530.3],
            [None, "其他资金", None, 60, 60, 60],
            [None, "按支出性质分："],
            [None, "基本支出", None, 1200, 1220, 1218.6],
            [None, "项目支出", None, 360, 400, 371.7],
            ["年度总体目标", "预期目标", None, None, None, "实际完成情况"],
            [None, "完成年度统计调查任务", None, None, None, "按时完成"],
            ["绩效指标", *NATIONAL_INDICATOR_HEADER],
            [None, "产出指标", "数量指标", "完成统计调查项目数", "≥25项", "26项", 90, 90],
            ["总分", None, None, None, None, None, 100, 99.82]]
    doc = read_workbook(_save(tmp_path / "gs.xlsx", rows)).document
    (form,) = doc.forms
    assert form.funds["其他资金"] == {"年初预算数": "60", "全年预算数": "60", "全年执行数": "60"}
    assert "财政拨款" in form.funds  # an extra fund row, summed once
    kept = {r["栏目"]: r["内容"] for r in form.tables[EXTRAS]}
    assert kept["按支出性质分·基本支出·全年执行数"] == "1218.6"
    assert kept["按支出性质分·项目支出·全年预算数"] == "400"
    assert len(kept) == 6
    assert not [f for f in validate_document(doc) if f.code == "fund-total-mismatch"]


def test_interchange_signoff_synonyms_are_read_and_unknown_people_kept(tmp_path):
    """The same sign-off typed into JSON: 填报人 is the 填表人; 联系电话 (no place in the template) is kept
    in 附加内容, never dropped."""
    from jixiao.core.interchange import document_from_json, document_to_json

    rows = _form(
        fund_header=FUND_HEADER,
        fund_rows=FUNDS, indicator_header=NATIONAL_INDICATOR_HEADER)
    data = document_to_json(read_workbook(_save(tmp_path / "x.xlsx", rows)).document, native=False)
    data["signoff"] = {"填报人": "孙伟", "联系电话": "0531-66661234", "填表日期": "2024年3月20日"}
    doc = document_from_json(data)
    assert doc.signoff == {"填表人": "孙伟", "填报日期": "2024年3月20日"}
    assert doc.forms[0].tables[EXTRAS] == [{"栏目": "联系电话", "内容": "0531-66661234"}]


def test_a_second_split_row_keeps_every_label_cell(tmp_path):
    """A row of the second split with two label cells (人员类 | 基本支出) keeps both in its 栏目."""
    rows = [["部门整体支出绩效自评表"], ["（2023年度）"], ["部门（单位）名称", "兰州市统计局"],
            ["年度预算数（万元）", None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            [None, "年度资金总额", None, 1560, 1620, 1590.3, 10, "98.17%", 9.82],
            [None, "按收入性质分："],
            [None, "财政拨款", None, 1500, 1560, 1530.3],
            [None, "其他资金", None, 60, 60, 60],
            [None, "按支出性质分："],
            ["人员类", "基本支出", None, 1200, 1220, 1218.6],
            [None, "项目支出", "公用类", 360, 400, 371.7],
            ["年度总体目标", "预期目标", None, None, None, "实际完成情况"],
            [None, "完成年度统计调查任务", None, None, None, "按时完成"],
            ["绩效指标", *NATIONAL_INDICATOR_HEADER],
            [None, "产出指标", "数量指标", "完成统计调查项目数", "≥25项", "26项", 90, 90],
            ["总分", None, None, None, None, None, 100, 99.82]]
    doc = read_workbook(_save(tmp_path / "gs2.xlsx", rows)).document
    kept = {r["栏目"]: r["内容"] for r in doc.forms[0].tables[EXTRAS]}
    assert kept["按支出性质分·人员类·基本支出·全年执行数"] == "1218.6"
    assert kept["按支出性质分·项目支出·公用类·全年预算数"] == "400"


def test_a_fund_label_ending_in_a_colon_is_not_a_heading(tmp_path):
    """Only 按…分 and a lone 其中 head the rows below: any other label ending in a colon is kept."""
    funds = [*FUNDS[:3], [None, "其中：中央补助资金："], FUNDS[3]]
    res = read_workbook(_save(tmp_path / "colon.xlsx", _form(
        fund_header=FUND_HEADER, fund_rows=funds, indicator_header=NATIONAL_INDICATOR_HEADER)))
    kept = " ".join(f"{r.get('栏目', '')}{r.get('内容', '')}" for r in res.document.forms[0].tables[EXTRAS])
    assert "中央补助资金" in kept
    assert any("附加内容" in str(p) and "其中" in str(p) for p in res.problems)  # and said
