"""The seed forms, entered in full: the published figure where it is right,
the finding where it is wrong (DOMAIN.md, "Errors found in the seeds")."""

from __future__ import annotations

import pytest

from jixiao.core.figures import q2

from .helpers import D, codes_at, findings, indicator_index, only_form, result, seed

# 002 (新疆): (file, 执行率得分, 总分) as printed, for the forms whose figures are right.
PUBLISHED_002 = [
    ("s002_p01", "10.00", "95.00"),
    ("s002_p03", "10.00", "96.50"),
    ("s002_p05", "10.00", "100.00"),
    ("s002_p11", "9.07", "97.67"),
    ("s002_p12", "9.54", "99.54"),
    ("s002_p15", "10.00", "95.83"),
    ("s002_p16", "10.00", "93.00"),
    ("s002_p17", "10.00", "93.53"),
]


@pytest.mark.parametrize("name,exec_score,total", PUBLISHED_002)
def test_002_published_figures_are_reproduced(name, exec_score, total):
    doc = seed(name)
    r = result(doc)
    assert q2(r.execution_score) == D(exec_score)
    assert q2(r.total) == D(total)
    assert r.weight_total == 100
    assert r.grade == "优"
    assert not [f for f in findings(doc) if f.severity == "error"]


def test_002_department_rate_and_score():
    doc = seed("s002_department")
    r = result(doc)
    assert q2(r.execution_rate * 100) == D("97.99")
    assert r.execution_score == D("9.80")  # printed "9.8"
    assert r.total == D("99.80")
    assert not findings(doc, "fund-total-mismatch")


def test_002_execution_rates_round_half_up():
    assert q2(result(seed("s002_p11")).execution_rate * 100) == D("90.68")
    assert q2(result(seed("s002_p12")).execution_rate * 100) == D("95.37")


def test_002_ratio_target_scores_6_5():
    doc = seed("s002_p03")
    form = only_form(doc)
    i = indicator_index(form, "带动社会投入")
    sc = result(doc).indicators[i]
    assert sc.suggested == D("6.50")
    assert "score-mismatch" not in codes_at(doc, f"indicators[{i}].得分")


def test_002_shortfall_scores_4_4_and_2_93():
    doc = seed("s002_p17")
    form = only_form(doc)
    r = result(doc)
    assert r.indicators[indicator_index(form, "参赛企业数量")].suggested == D("4.40")
    assert r.indicators[indicator_index(form, "地区行业赛")].suggested == D("2.93")
    assert r.indicators[indicator_index(form, "向自治区推荐")].suggested == D("4.20")


def test_002_cost_indicator_8_6():
    doc = seed("s002_p11")
    form = only_form(doc)
    assert result(doc).indicators[indicator_index(form, "平台机房电费")].suggested == D("8.60")


def test_002_4_65_is_caught_formula_gives_4_67():
    doc = seed("s002_p14")
    form = only_form(doc)
    i = indicator_index(form, "考察国外单位数")
    assert result(doc).indicators[i].suggested == D("4.67")
    fs = [f for f in findings(doc, "score-mismatch") if f.field == f"indicators[{i}].得分"]
    assert fs and "4.67" in fs[0].message and fs[0].severity == "error"


def test_002_satisfaction_with_le_is_direction_suspect():
    doc = seed("s002_p04")
    form = only_form(doc)
    i = indicator_index(form, "红山科创专家服务团服务对象满意率")
    assert "direction-suspect" in codes_at(doc, f"indicators[{i}].年度指标值")


def test_002_times_against_percent_is_unit_mismatch():
    doc = seed("s002_p10")
    form = only_form(doc)
    i = indicator_index(form, "组织专题培训班次数")
    fs = [f for f in findings(doc, "unit-mismatch") if f.field == f"indicators[{i}].实际完成值"]
    assert fs and fs[0].severity == "error"


def test_002_execution_score_zeroed_below_threshold_is_caught():
    # 14.20% printed with 得分 0.00; the printed 总分 90.07 counts 1.42, as the default rule does.
    doc = seed("s002_p19")
    r = result(doc)
    assert r.execution_score == D("1.42")
    assert "score-mismatch" in codes_at(doc, "funds.年度资金总额.得分")
    i = indicator_index(only_form(doc), "资金拨付率")
    assert r.indicators[i].suggested == D("3.67")  # printed 3.65
    assert "score-mismatch" in codes_at(doc, f"indicators[{i}].得分")


def test_002_reverse_indicator_over_target_loses_points():
    doc = seed("s002_p02")
    i = indicator_index(only_form(doc), "课程培训所需时长")
    assert result(doc).indicators[i].suggested == D("3.33")
    assert "score-mismatch" in codes_at(doc, f"indicators[{i}].得分")


def test_003_annex_errors_are_all_caught():
    doc = seed("s003_department")
    form = only_form(doc)
    r = result(doc)
    assert r.execution_score == D("9.96")
    assert r.weight_total == 100  # 90 + 10
    assert r.total == D("99.96")
    i_site = indicator_index(form, "为克拉玛依区科技创新中心发展提供场地")
    i_bid = indicator_index(form, "招标克拉玛依区科技创新中心运营单位")
    assert "score-exceeds-weight" in codes_at(doc, f"indicators[{i_site}].得分")  # 分值 10, 得分 20
    assert "score-mismatch" in codes_at(doc, f"indicators[{i_bid}].得分")  # 分值 20, 得分 10
    total = [f for f in findings(doc, "total-mismatch")]
    assert total and "99.96" in total[0].message  # printed 100
    assert "rate-missing-percent" in codes_at(doc, "funds.年度总资金.执行率")  # "99.63"


def test_003_lists_every_level1_like_the_annex():
    from jixiao.core.layout import form_grid

    doc = seed("s003_department")
    g = form_grid(doc, only_form(doc))
    level1_texts = [c.text for c in g.cells if c.section == "indicators" and c.col == 0 and c.text]
    assert level1_texts[:7] == ["一级指标", "运行成本", "管理效率", "履职效能", "社会效益", "可持续发展能力", "服务对象满意度"]


def test_004_overshoot_rule_reproduces_published_scores():
    doc = seed("s004_p_baowu_yanfa_zhongxin")
    form = only_form(doc)
    r = result(doc)
    expected = {"研发项目总数": "2.83", "新产品开发数": "1.80", "论文数量": "2.37", "专利数量": "1.80",
                "新产品试制量": "2.66", "产品成材率": "2.86", "产品销售收入": "7.54"}
    for name, score in expected.items():
        assert r.indicators[indicator_index(form, name)].suggested == D(score), name


def test_004_deviation_column_inconsistent_with_definition_is_caught():
    doc = seed("s004_p_baowu_yanfa_zhongxin")
    i = indicator_index(only_form(doc), "研发项目总数")  # 21 vs ≥15 printed as 10%
    fs = [f for f in findings(doc, "deviation-mismatch") if f.field == f"indicators[{i}].偏差度"]
    assert fs and "40.00%" in fs[0].message and "30.00%" in fs[0].message


def test_004_range_exceeded_scored_zero_is_caught():
    for name, prefix in (("s004_p_kepu_huodong", "积极组织申报"), ("s004_p_keji_jiaoliu_zhaoshang", "力争申报省级以上人才项目")):
        doc = seed(name)
        i = indicator_index(only_form(doc), prefix)
        sc = result(doc).indicators[i]
        assert sc.rule == "range" and sc.suggested == D("1.50")  # 2.5 × 60% under the 河南 overshoot rule
        assert "score-mismatch" in codes_at(doc, f"indicators[{i}].得分")


def test_004_project_totals_match_where_right():
    for name, total, exec_score in (("s004_p_kepu_huodong", "87.83", "2.83"), ("s004_p_rencai_anjiafei", "100.00", "10.00"),
                                    ("s004_p_qiye_chuangxin_yindao", "94.86", "10.00"),
                                    ("s004_p_keji_tiaojian_fuwu", "96.43", "6.43"), ("s004_p_dangjian_dangwu", "90.00", "0.00")):
        doc = seed(name)
        r = result(doc)
        assert r.execution_score == D(exec_score), name
        assert r.total == D(total), name
        assert r.weight_total == 100, name
        assert not findings(doc, "total-mismatch"), name


def test_004_department_execution_score_6_32_is_wrong():
    doc = seed("s004_department")
    r = result(doc)
    assert q2(r.execution_rate * 100) == D("56.89")
    assert r.execution_score == D("5.69")
    fs = [f for f in findings(doc, "score-mismatch") if f.field == "funds.部门预算总额.得分"]
    assert fs and "5.69" in fs[0].message
    l1 = {lv.name: lv for lv in r.levels}
    assert l1["投入管理指标"].weight == 30 and l1["投入管理指标"].score == 28
    assert l1["产出指标"].weight == 25 and l1["产出指标"].score == D("24.66")
    # the extraction lost the 履职效益 rows: the weights no longer add up, and that is reported
    assert findings(doc, "weight-sum")


def test_004_department_reverse_indicators_score_zero():
    doc = seed("s004_department")
    form = only_form(doc)
    r = result(doc)
    for prefix in ("结转结余率", "预算调整率"):
        sc = r.indicators[indicator_index(form, prefix)]
        assert sc.rule == "reverse" and sc.suggested == 0
    assert r.indicators[indicator_index(form, "结转结余率")].deviation == D("7.6")  # printed 760.00%


def test_004_summary_row_matches_the_published_summary():
    from jixiao.core.model import Document
    from jixiao.core.summary import summary_rows

    docs = [seed(n) for n in ("s004_p_kepu_huodong", "s004_p_qiye_chuangxin_yindao")]
    doc = Document(template_id="henan", unit="三门峡市科学技术局", year=2024, forms=[d.forms[0] for d in docs])
    rows = {r.项目名称: r for r in summary_rows(doc)}
    kepu = rows["科普活动"]
    assert q2(kepu.预算执行率 * 100) == D("28.25")
    assert q2(kepu.得分率["产出指标"] * 100) == D("83.33")
    assert kepu.自评得分 == D("87.83") and kepu.是否有偏差项目
    qiye = rows["第三批省企业创新引导专项"]
    assert q2(qiye.得分率["产出指标"] * 100) == D("87.15")
    assert qiye.得分率["成本指标"] is None  # printed "-%"
    assert qiye.得分率["资金管理情况"] == 1
    assert qiye.自评得分 == D("94.86")


def test_every_seed_form_lays_out_without_holes_or_overlaps():
    from jixiao.core.layout import document_grids

    for path in sorted((__import__("pathlib").Path(__file__).parents[1] / "data" / "seeds").glob("s0*.json")):
        if "summary" in path.name:
            continue
        doc = seed(path.stem)
        for g in document_grids(doc):
            g.check()
