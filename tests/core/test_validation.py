"""Every finding code, triggered on a form built the way an officer fills it."""

from jixiao.core.model import Indicator, new_document
from jixiao.core.validation import CODES, validate_document


def project_doc(template="national"):
    doc = new_document(template, "测试单位", 2024)
    form = doc.projects[0]
    doc.forms = [form]
    form.header.update({"项目名称": "测试项目", "主管部门": "测试局", "实施单位": "测试单位"})
    form.funds["年度资金总额"].update({"年初预算数": "100", "全年预算数": "100", "全年执行数": "90"})
    form.funds["当年财政拨款"] = {"年初预算数": "100", "全年预算数": "100", "全年执行数": "90"}
    form.texts["goals"] = {"预期目标": "目标", "实际完成情况": "完成"}
    form.indicators = [
        Indicator({"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "培训人数", "年度指标值": "≥100人",
                   "实际完成值": "=100人", "分值": "50"}),
        Indicator({"一级指标": "效益指标", "二级指标": "社会效益指标", "三级指标": "带动作用", "年度指标值": "有效提升",
                   "实际完成值": "完全达到预期", "分值": "30"}),
        Indicator({"一级指标": "满意度指标", "二级指标": "服务对象满意度指标", "三级指标": "服务对象满意度",
                   "年度指标值": "≥90%", "实际完成值": "=95%", "分值": "10"}),
    ]
    return doc, form


def codes(doc, field=None):
    return {f.code for f in validate_document(doc) if field is None or f.field == field}


def test_a_correct_form_has_no_errors():
    doc, form = project_doc()
    form.total = "99.00"
    assert {f.severity for f in validate_document(doc)} <= {"info"}


def test_fund_total_mismatch_per_column():
    doc, form = project_doc()
    form.funds["其他资金"] = {"全年预算数": "5"}
    fs = [f for f in validate_document(doc) if f.code == "fund-total-mismatch"]
    assert [f.field for f in fs] == ["funds.年度资金总额.全年预算数"]
    assert "105.00" in fs[0].message


def test_execution_rate_mismatch_and_missing_percent():
    doc, form = project_doc()
    form.funds["年度资金总额"]["执行率"] = "95%"
    assert "execution-rate-mismatch" in codes(doc, "funds.年度资金总额.执行率")
    form.funds["年度资金总额"]["执行率"] = "90.00"
    assert codes(doc, "funds.年度资金总额.执行率") == {"rate-missing-percent"}
    form.funds["年度资金总额"]["执行率"] = "90%"
    assert codes(doc, "funds.年度资金总额.执行率") == set()


def test_execution_over_100_is_warned():
    doc, form = project_doc()
    form.funds["年度资金总额"]["全年执行数"] = "300"
    form.funds["当年财政拨款"]["全年执行数"] = "300"
    assert "execution-over-100" in codes(doc)


def test_score_exceeds_weight_and_mismatch():
    doc, form = project_doc()
    form.indicators[0].set("得分", "60")
    assert "score-exceeds-weight" in codes(doc, "indicators[0].得分")
    form.indicators[0].set("实际完成值", "=90人")
    form.indicators[0].set("得分", "50")
    assert "score-mismatch" in codes(doc, "indicators[0].得分")
    form.indicators[0].set("得分", "45")
    assert "score-mismatch" not in codes(doc, "indicators[0].得分")


def test_weight_sum():
    doc, form = project_doc()
    assert "weight-sum" not in codes(doc)
    form.indicators[0].set("分值", "40")
    f = [f for f in validate_document(doc) if f.code == "weight-sum"][0]
    assert "90" in f.message and "100" in f.message


def test_total_mismatch():
    doc, form = project_doc()
    form.total = "100"
    assert "total-mismatch" in codes(doc, "总分")
    form.total = "99.00分"
    assert "total-mismatch" not in codes(doc, "总分")


def test_deviation_reason_missing_when_points_lost_or_deviation_large():
    doc, form = project_doc()
    form.indicators[0].set("实际完成值", "=80人")
    assert "deviation-reason-missing" in codes(doc, "indicators[0].偏差原因分析及改进措施")
    form.indicators[0].set("偏差原因分析及改进措施", "报名人数不足")
    assert "deviation-reason-missing" not in codes(doc)
    form.indicators[0].set("实际完成值", "=130人")  # full score, but 30% over target
    form.indicators[0].set("偏差原因分析及改进措施", "")
    assert "deviation-reason-missing" in codes(doc, "indicators[0].偏差原因分析及改进措施")


def test_unit_mismatch_and_direction_suspect():
    doc, form = project_doc()
    form.indicators[0].set("实际完成值", "=100%")
    assert "unit-mismatch" in codes(doc, "indicators[0].实际完成值")
    form.indicators[2].set("年度指标值", "<=90%")
    assert "direction-suspect" in codes(doc, "indicators[2].年度指标值")
    form.indicators[2].set("三级指标", "服务对象投诉率")
    assert "direction-suspect" not in codes(doc)


def row_findings(doc, i):
    return sorted((f.field.split(".", 1)[1], f.code) for f in validate_document(doc)
                  if f.field.startswith(f"indicators[{i}]."))


def test_a_suspect_direction_is_scored_as_ge_and_reported_once():
    doc, form = project_doc()
    ind = form.indicators[2]  # 服务对象满意度, 分值 10
    ind.set("年度指标值", "<=90%")
    ind.set("实际完成值", "=95%")
    ind.set("得分", "10")
    assert row_findings(doc, 2) == [("年度指标值", "direction-suspect")]
    # read as ≥90%: a shortfall loses points by the positive rule, and that needs its reason
    ind.set("实际完成值", "=80%")
    ind.set("得分", "")
    assert row_findings(doc, 2) == [("偏差原因分析及改进措施", "deviation-reason-missing"),
                                    ("年度指标值", "direction-suspect")]
    ind.set("得分", "10")  # a typed score the ≥ reading does not give
    assert ("得分", "score-mismatch") in row_findings(doc, 2)
    ind.set("三级指标", "服务对象投诉率")  # lower is better: "<=90%" is meant, scored as a ceiling
    ind.set("得分", "")
    assert row_findings(doc, 2) == []


def test_a_rate_at_100_percent_against_a_lower_target_needs_no_reason():
    doc, form = project_doc()
    ind = form.indicators[2]  # ≥90%, 分值 10
    ind.set("实际完成值", "=100%")  # +11% over the target, but a rate cannot do better
    assert "deviation-reason-missing" not in codes(doc)
    ind.set("年度指标值", "≥50%")  # whatever the target: 100% is the ceiling of a rate
    assert "deviation-reason-missing" not in codes(doc)
    ind.set("实际完成值", "=120%")  # beyond 100%: not a ceiling, a real overshoot
    assert "deviation-reason-missing" in codes(doc, "indicators[2].偏差原因分析及改进措施")
    ind.set("年度指标值", "≥90")  # no percent on either side: not a rate
    ind.set("实际完成值", "100")
    assert "deviation-reason-missing" in codes(doc, "indicators[2].偏差原因分析及改进措施")


def test_a_label_typed_as_its_own_value_is_a_warning():
    doc, form = project_doc()
    form.header["主管部门"] = "主管部门"
    form.header["实施单位"] = "实施单位："
    form.texts["goals"]["预期目标"] = "预期目标"
    form.indicators[0].set("三级指标", "三级指标")
    form.indicators[1].set("年度指标值", " 年度指标值 ")
    found = [(f.field, f.severity) for f in validate_document(doc) if f.code == "label-as-value"]
    assert found == [("header.主管部门", "warning"), ("header.实施单位", "warning"), ("goals.预期目标", "warning"),
                     ("indicators[0].三级指标", "warning"), ("indicators[1].年度指标值", "warning")]
    messages = {f.field: f.message for f in validate_document(doc) if f.code == "label-as-value"}
    assert "主管部门一栏填写的是栏目名称“主管部门”" in messages["header.主管部门"]
    # a value that merely contains the label, or a real value, is no echo
    form.header["主管部门"] = "主管部门：测试局"
    form.header["实施单位"] = "测试单位"
    assert "label-as-value" not in codes(doc, "header.主管部门") | codes(doc, "header.实施单位")


def test_a_synonym_of_the_label_typed_as_the_value_is_a_warning():
    """Labels compare as the importer compares them: another province's name for the field is a label too."""
    doc, form = project_doc()
    form.header["主管部门"] = "主管单位"
    form.header["实施单位"] = "项目实施单位："
    form.texts["goals"]["实际完成情况"] = "年度总体目标完成情况综述"
    form.indicators[0].set("三级指标", "指标名称")
    form.indicators[1].set("实际完成值", "全年完成值")
    found = {f.field for f in validate_document(doc) if f.code == "label-as-value"}
    assert found == {"header.主管部门", "header.实施单位", "goals.实际完成情况", "indicators[0].三级指标",
                     "indicators[1].实际完成值"}
    form.header["主管部门"] = "某某县主管单位"  # a real name that contains a label word
    assert "label-as-value" not in codes(doc, "header.主管部门")


def test_a_label_echo_in_the_forms_own_wording_is_caught():
    doc = new_document("henan", "三门峡市科学技术局", 2024)
    dept = doc.department
    dept.header["部门名称"] = "部门（单位）名称"  # the 河南 label, with its bracket
    dept.tables["年度主要任务"] = [{"任务名称": "任务名称", "主要内容": "开展培训"}]
    assert "label-as-value" in codes(doc, "header.部门名称")
    assert "label-as-value" in codes(doc, "年度主要任务[0].任务名称")
    assert "label-as-value" not in codes(doc, "年度主要任务[0].主要内容")
    dept.indicators[0].set("三级指标", "绩效指标合理性")
    dept.indicators[0].set("一级指标", "一级指标")  # not also an unknown 一级: one mistake, one finding
    assert codes(doc, "indicators[0].一级指标") == {"label-as-value"}


def test_unparsable_values_are_reported_and_kept():
    doc, form = project_doc()
    form.indicators[0].set("实际完成值", "=1周1次x")
    form.funds["年度资金总额"]["全年预算数"] = "一百万"
    fs = codes(doc)
    assert "unparsable-value" in codes(doc, "indicators[0].实际完成值")
    assert "unparsable-value" in codes(doc, "funds.年度资金总额.全年预算数")
    assert form.indicators[0].get("实际完成值") == "=1周1次x" and "unparsable-value" in fs


def test_qualitative_score_out_of_band_and_required_score():
    doc, form = project_doc()
    form.indicators[1].set("实际完成值", "部分达成年度指标并具有一定效果")
    assert "required-missing" in codes(doc, "indicators[1].得分")
    form.indicators[1].set("得分", "27")
    assert "qualitative-score-out-of-band" in codes(doc, "indicators[1].得分")
    form.indicators[1].set("得分", "21")
    assert codes(doc, "indicators[1].得分") == set()


def test_a_qualitative_row_without_weight_asks_for_the_weight_not_a_band():
    """Without 分值 there is no range of scores to ask for: the finding is the missing 分值
    (the template's band fractions, 0.8–1, are not scores)."""
    doc, form = project_doc()
    form.indicators[1].set("分值", "")
    assert "required-missing" in codes(doc, "indicators[1].分值")
    assert codes(doc, "indicators[1].得分") == set()
    form.indicators[1].set("得分", "25")
    assert codes(doc, "indicators[1].得分") == set()
    assert not [f for f in validate_document(doc) if "0.8" in f.message]


def test_required_missing():
    doc, form = project_doc()
    form.header.pop("项目名称")
    form.indicators[0].set("年度指标值", "")
    assert "required-missing" in codes(doc, "header.项目名称")
    assert "required-missing" in codes(doc, "indicators[0].年度指标值")


def test_unknown_level_and_duplicate_names():
    doc, form = project_doc()
    form.indicators[0].set("一级指标", "产出")
    assert "unknown-level" in codes(doc, "indicators[0].一级指标")
    doc.duplicate(form.id).header["项目名称"] = "测试项目"
    assert "duplicate-name" in codes(doc)


def test_findings_are_anchored_and_in_chinese():
    doc, form = project_doc()
    form.indicators[0].set("得分", "60")
    for f in validate_document(doc):
        assert f.form_id in {x.id for x in doc.forms}
        assert f.severity in ("error", "warning", "info")
        assert f.code in CODES
        assert any("\u4e00" <= ch <= "\u9fff" for ch in f.message)


def test_henan_item_block_is_scored_and_checked():
    doc = new_document("henan", "三门峡市科学技术局", 2024)
    form = doc.projects[0]
    form.items["资金管理情况"]["安排科学性"]["得分"] = "6"
    assert "score-exceeds-weight" in codes(doc, "资金管理情况.安排科学性.得分")
    assert "required-missing" in codes(doc, "资金管理情况.拨付合规性.得分")


def test_a_deadline_is_a_time_value_not_an_unparsable_number():
    """A realistic 时效 target (2023年12月, 12月底前, 2024年6月30日前) gives no unparsable-value warning."""
    doc, form = project_doc()
    ind = form.indicators[0]
    ind.cells.update({"二级指标": "时效指标", "三级指标": "项目完成时间", "年度指标值": "2023年12月",
                      "实际完成值": "2023年11月"})
    assert codes(doc, "indicators[0].年度指标值") == set() and codes(doc, "indicators[0].实际完成值") == set()
    assert "score-mismatch" not in codes(doc) and "required-missing" not in codes(doc, "indicators[0].得分")
    ind.cells.update({"年度指标值": "2024年6月30日前", "实际完成值": "2024年7月2日"})  # missed
    found = {f.code: f.message for f in validate_document(doc) if f.field.startswith("indicators[0].")}
    assert "unparsable-value" not in found
    assert "实际完成时间“2024年7月2日”晚于指标值“2024年6月30日前”，请填写得分" in found["required-missing"]
    assert "晚于指标值" in found["deviation-reason-missing"]
    ind.cells.update({"年度指标值": "12月底前", "实际完成值": "按时完成"})  # a date against words: text
    assert codes(doc, "indicators[0].年度指标值") == set()
    assert "required-missing" not in codes(doc, "indicators[0].得分")
