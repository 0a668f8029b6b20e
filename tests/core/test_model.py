from jixiao.core.fileio import document_from_data
from jixiao.core.model import new_document
from jixiao.core.summary import summary_rows
from jixiao.core.validation import validate_document


def test_projects_can_be_added_removed_duplicated_and_reordered():
    doc = new_document("national", "单位", 2024, projects=2)
    a, b = doc.projects
    a.header["项目名称"], b.header["项目名称"] = "甲", "乙"
    a.indicators[0].set("三级指标", "培训人数")
    c = doc.duplicate(a.id)
    assert c.name == "甲（副本）" and c.id != a.id and c.indicators[0].id != a.indicators[0].id
    assert [f.name for f in doc.projects] == ["甲", "甲（副本）", "乙"]
    c.indicators[0].set("三级指标", "改过")
    assert a.indicators[0].get("三级指标") == "培训人数"  # a deep copy
    doc.move(b.id, 1)
    assert [f.display_name() for f in doc.forms] == ["单位", "乙", "甲", "甲（副本）"]
    doc.remove(c.id)
    assert [f.name for f in doc.projects] == ["乙", "甲"]
    doc.add_project()
    assert len(doc.projects) == 3 and doc.projects[-1].display_name() == "（未命名项目）"


def test_new_forms_follow_the_template():
    doc = new_document("henan", "三门峡市科学技术局", 2024)
    dept, proj = doc.forms
    assert dept.header["部门名称"] == "三门峡市科学技术局"
    assert proj.funds["年度资金总额"]["分值"] == "10"
    assert proj.items["资金管理情况"]["安排科学性"]["分值"] == "5"
    assert [(i.level1, i.level2) for i in proj.indicators][:3] == [
        ("成本指标", "经济成本指标"), ("成本指标", "社会成本指标"), ("成本指标", "生态环境成本指标")]


def test_form_paths_get_and_set():
    doc = new_document("henan", "u", 2024)
    dept, proj = doc.forms
    for path, value in (("header.项目名称", "x"), ("funds.年度资金总额.全年预算数", "48"), ("goals.预期目标", "目标"),
                        ("资金管理情况.安排科学性.得分", "5"), ("indicators[2].三级指标", "y"), ("总分", "90")):
        proj.set(path, value)
        assert proj.get(path) == value
    dept.set("年度主要任务[1].任务名称", "研发投入")
    assert dept.get("年度主要任务[1].任务名称") == "研发投入" and dept.tables["年度主要任务"][0] == {}
    proj.set("goals.预期目标", "")
    assert proj.get("goals.预期目标") == "" and "预期目标" not in proj.texts["goals"]


def test_000_rates_without_percent_and_300_percent_are_caught():
    # seed 000: "预算3万元，实际使用0.38万，…实际预算执行率为12.6" and a 300% rate with no explanation
    data = {"template": "national", "unit": "兰州新区科技发展局", "year": 2024, "forms": [
        {"kind": "project", "header": {"项目名称": "科普活动经费"},
         "funds": [{"row": "年度资金总额", "全年预算数": "3", "全年执行数": "0.38", "执行率": "12.6"}]},
        {"kind": "project", "header": {"项目名称": "兰州新区政务云资源购买服务项目"},
         "funds": [{"row": "年度资金总额", "全年预算数": "1000", "全年执行数": "3000", "执行率": "300%"}]}]}
    doc = document_from_data(data)
    fs = validate_document(doc)
    first = {f.code for f in fs if f.form_id == doc.forms[0].id and f.field.endswith("执行率")}
    assert {"rate-missing-percent", "execution-rate-mismatch"} <= first
    second = {f.code for f in fs if f.form_id == doc.forms[1].id and f.field.endswith("执行率")}
    assert second == {"execution-over-100"}


def test_004_project_with_empty_scores_is_reported_and_left_unscored_in_the_summary():
    # 004: "2024年4月-2024年9月市派驻村干部生活补助" has targets but no actuals and no scores
    data = {"template": "henan", "unit": "三门峡市科学技术局", "year": 2024, "forms": [
        {"kind": "project",
         "header": {"项目名称": "2024年4月-2024年9月市派驻村干部生活补助", "主管部门": "市科学技术局",
                    "实施单位": "三门峡市科学技术局"},
         "funds": [{"row": "年度资金总额", "年初预算数": "0", "全年预算数": "1.81", "全年执行数": "0"}],
         "indicators": [
             {"一级指标": "成本指标", "二级指标": "经济成本指标", "三级指标": "驻村工作队员工作经费人均成本",
              "年度指标值": "≤9030元/人"},
             {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "享受补贴的驻村工作队人数",
              "年度指标值": "≤2人"},
             {"一级指标": "满意度指标", "二级指标": "服务对象满意度指标", "三级指标": "群众认可度",
              "年度指标值": "≥95%"}]}]}
    doc = document_from_data(data)
    fs = validate_document(doc)
    missing = {f.field for f in fs if f.code == "required-missing"}
    assert {"indicators[0].实际完成值", "indicators[0].分值", "资金管理情况.安排科学性.得分"} <= missing
    row = summary_rows(doc)[0]
    assert row.自评得分 is not None and row.自评得分 == 0 and row.预算执行率 == 0
