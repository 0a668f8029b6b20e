"""部门整体支出绩效自评表 as provinces without a template of their own lay them out (the 财政部 central form with
年度主要任务 and side-by-side fund splits, …): imported whole, every figure kept, scored as printed, no false
finding."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.extras import EXTRAS
from jixiao.core.scoring import score_form
from jixiao.core.validation import validate_document
from jixiao.core.vocabulary import normalize_label
from jixiao.excel.reader import read_workbook
from tests.excel.test_officer_layouts import dropped_cells
from tests.excel.test_unseen_layouts import _save as save_sheet

INDICATORS = [
    ["产出指标", "数量指标", "科技项目立项数", "≥30项", "32项", "20", "20", None],
    [None, "质量指标", "项目验收合格率", "≥95%", "96%", "15", "15", None],
    [None, "时效指标", "资金拨付及时率", "100%", "100%", "10", "10", None],
    [None, "成本指标", "人均公用经费", "≤2万元", "1.8万元", "5", "5", None],
    ["效益指标", "社会效益指标", "科技成果转化数", "≥10项", "9项", "30", "27", "个别成果转化推迟到次年"],
    ["满意度指标", "服务对象满意度指标", "企业满意度", "≥90%", "95%", "10", "10", None],
]
INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                    "偏差原因分析及改进措施"]


def _save(path, rows, merges=()):
    return save_sheet(path, rows, merges, title="部门整体自评表")


def _dropped(path, res):
    """Cells dropped on import; a row label kept as part of a 附加内容 栏目 (``按支出性质分·基本支出·全年执行数``
    for ``其中：基本支出``) is kept."""
    parts = {normalize_label(p) for f in res.document.forms for r in f.tables.get(EXTRAS, [])
             for p in r.get("栏目", "").split("·")}
    return [c for c in dropped_cells(path, res) if normalize_label(c.partition(":")[2]) not in parts]


def _central(split_header):
    """The central form: 年度主要任务 (任务名称 | 对应项目 | 预算数 | 执行数) above the funds, whose 年度资金总额
    is split 按收入性质分 and 按支出性质分 side by side."""
    return [["2023年度部门整体支出绩效自评表"],
            [None, None, None, None, None, None, None, None, "金额单位：万元"],
            ["部门（单位）名称", None, "某市科学技术局"],
            ["年度主要任务", "任务名称", None, "对应项目", None, None, "预算数", "执行数"],
            [None, "科技项目管理", None, "科技计划项目经费", None, None, "1,200.00", "1,150.00"],
            [None, "人才引进", None, "人才专项资金", None, None, "300.00", "300.00"],
            ["年度部门整体支出预算执行情况（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
             "得分"],
            [None, "年度资金总额", "2,000.00", "2,100.00", "2,016.00", "10", "96.00%", "9.60"],
            split_header,
            [None, "其中：一般公共预算", None, "1,900.00", "其中：基本支出", None, "566.00"],
            [None, "政府性基金预算", None, "100.00", "项目支出", None, "1,450.00"],
            [None, "单位资金", None, "16.00"],
            ["年度总体目标", "预期目标", None, None, None, "实际完成情况"],
            [None, "完成30项科技计划项目立项", None, None, None, "完成32项立项"],
            ["年度绩效指标", *INDICATOR_HEADER],
            *[[None, *r] for r in INDICATORS],
            ["总分", None, None, None, None, None, "100", "96.60"]]


def test_central_department_form_with_side_by_side_splits(tmp_path):
    """The funds header is the row naming the amount columns, not 年度主要任务's 预算数 | 执行数 above it; the left
    split (按收入性质分) is read under the column its heading row names, the right one (按支出性质分) is kept."""
    rows = _central([None, "按收入性质分", None, "全年执行数", "按支出性质分", None, "全年执行数"])
    path = _save(tmp_path / "central.xlsx", rows, merges=["A4:A6", "A7:B7", "A13:A14", "A15:A21"])
    res = read_workbook(path)
    doc = res.document
    assert doc.template.id == "national"  # 数量指标 … is the national system, not 河南's 部门整体 one
    (form,) = doc.forms
    assert form.funds["年度总资金"] == {"年初预算数": "2,000.00", "全年预算数": "2,100.00", "全年执行数": "2,016.00",
                                    "分值": "10"}
    assert form.funds["其中：一般公共预算"] == {"全年执行数": "1,900.00"}
    assert form.funds["单位资金"] == {"全年执行数": "16.00"}
    kept = {r.get("栏目"): r["内容"] for r in form.tables[EXTRAS]}
    assert kept["按支出性质分·基本支出·全年执行数"] == "566.00"
    assert kept["按支出性质分·项目支出·全年执行数"] == "1,450.00"
    tasks = [(r["栏目"], r["内容"]) for r in form.tables[EXTRAS] if r["栏目"].startswith("年度主要任务")]
    assert tasks == [("年度主要任务·任务名称", "科技项目管理"), ("年度主要任务·对应项目", "科技计划项目经费"),
                     ("年度主要任务·预算数", "1,200.00"), ("年度主要任务·执行数", "1,150.00"),
                     ("年度主要任务·任务名称", "人才引进"), ("年度主要任务·对应项目", "人才专项资金"),
                     ("年度主要任务·预算数", "300.00"), ("年度主要任务·执行数", "300.00")]
    assert form.texts["goals"]["实际完成情况"] == "完成32项立项"
    assert [score_form(doc.template, doc.template.form(f.kind), f).total for f in doc.forms] == [Decimal("96.60")]
    assert not [f for f in validate_document(doc) if f.severity == "error"]
    assert _dropped(path, res) == []


def test_side_by_side_splits_without_column_labels_are_read_under_the_block_header(tmp_path):
    rows = _central([None, "按收入性质分：", None, None, None, "按支出性质分："])
    rows[9] = [None, "其中：一般公共预算", None, None, "1,900.00", "其中：基本支出", "566.00"]
    rows[10] = [None, "政府性基金预算", None, None, "100.00", "项目支出", "1,450.00"]
    rows[11] = [None, "单位资金", None, None, "16.00"]
    path = _save(tmp_path / "central2.xlsx", rows)
    res = read_workbook(path)
    (form,) = res.document.forms
    assert form.funds["政府性基金预算"] == {"全年执行数": "100.00"}
    kept = {r.get("栏目"): r["内容"] for r in form.tables[EXTRAS]}
    assert kept["按支出性质分·项目支出"] == "1,450.00"
    assert not [f for f in validate_document(res.document) if f.code == "fund-total-mismatch"]
    assert _dropped(path, res) == []


SIGNOFF = ["填表人：", "张三", "联系电话：", "0931-1234567", "填报日期：", "2024-03-01"]


def test_a_contact_phone_beside_the_signoff_is_kept_without_a_warning(tmp_path):
    """联系电话 next to 填表人: a template that does not print it keeps it in 附加内容 (shown, exported, read
    back) but does not report it as misplaced content on every imported form."""
    from jixiao.excel.writer import write_workbook

    path = _save(tmp_path / "phone.xlsx", [*_central([None, "按收入性质分", None, "全年执行数", "按支出性质分", None,
                                                      "全年执行数"]), SIGNOFF])
    doc = read_workbook(path).document
    assert doc.signoff == {"填表人": "张三", "填报日期": "2024-03-01"}
    assert {"栏目": "联系电话", "内容": "0931-1234567"} in doc.forms[0].tables[EXTRAS]
    phone = [f for f in validate_document(doc) if "联系电话" in f.message]
    assert phone == []
    assert [f for f in validate_document(doc) if f.code == "extra-content"]  # the 按支出性质分 cells still are
    out = tmp_path / "out.xlsx"
    write_workbook(doc, out)
    again = read_workbook(out).document
    assert {"栏目": "联系电话", "内容": "0931-1234567"} in again.forms[0].tables[EXTRAS]


def test_a_template_whose_form_prints_the_phone_signs_it(tmp_path, monkeypatch):
    """A region whose published form prints 填表人 / 联系电话 / 填报日期 lists 联系电话 in its sign-off (data):
    the phone is then a sign-off entry, not 附加内容."""
    import json

    from jixiao.core.templates import reload_templates

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "phone.json").write_text(json.dumps({
        "format": 1, "id": "phone-signoff", "extends": "national", "name": "联系电话样式",
        "department": {"signoff": ["单位负责人", "填表人", "联系电话", "填报日期"]}}, ensure_ascii=False),
        encoding="utf-8")
    monkeypatch.setenv("JIXIAO_TEMPLATES", str(folder))
    reload_templates()
    try:
        path = _save(tmp_path / "phone.xlsx", [*_central([None, "按收入性质分", None, "全年执行数", "按支出性质分",
                                                          None, "全年执行数"]), SIGNOFF])
        doc = read_workbook(path, template_id="phone-signoff").document
        assert doc.signoff == {"填表人": "张三", "联系电话": "0931-1234567", "填报日期": "2024-03-01"}
        assert not [r for r in doc.forms[0].tables.get(EXTRAS, []) if r.get("栏目") == "联系电话"]
    finally:
        monkeypatch.delenv("JIXIAO_TEMPLATES")
        reload_templates()


def test_a_nested_qizhong_row_is_part_of_the_row_above_not_of_the_total(tmp_path):
    """江苏: 资金总额 / 其中：财政资金 / 其中：上年结转 (part of the 财政资金) / 其他资金. The figures show the
    上年结转 belongs to the row above: kept in 附加内容, not summed into the total a second time (no false
    fund-total-mismatch); a zero column says nothing either way."""
    rows = [["2023年度部门整体支出绩效自评表"], ["部门（单位）名称", None, "南京市某区民政局"],
            ["年度预算数（万元）", None, None, "年初预算数", "调整后预算数", "实际执行数", "权重", "执行率(%)", "得分"],
            [None, "资金总额", None, "8,000.00", "8,200.00", "8,118.00", 10, 99, 9.9],
            [None, "其中：财政资金", None, "7,500.00", "7,700.00", "7,618.00"],
            [None, "其中：上年结转", None, "0.00", "200.00", "200.00"],
            [None, "其他资金", None, "500.00", "500.00", "500.00"],
            ["年度总体目标", "年度预期目标", None, None, None, "目标实际完成情况"],
            [None, "保障困难群众基本生活", None, None, None, "全年发放救助金到位"],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "完成值", "权重", "得分",
             "偏差原因分析及整改措施"],
            [None, "产出指标(50分)", "数量指标", "低保对象覆盖人数", "≥5000人", "5120人", 25, 25],
            [None, "产出指标(50分)", "质量指标", "救助资金发放准确率", "100%", "100%", 15, 15],
            [None, "产出指标(50分)", "时效指标", "救助金按月发放率", "100%", "100%", 10, 10],
            [None, "效益指标(30分)", "社会效益指标", "困难群众生活保障水平", "有效提升", "达成年度指标", 30, 28,
             "部分乡镇宣传不足"],
            [None, "满意度指标(10分)", "服务对象满意度指标", "救助对象满意度", "≥90%", "94%", 10, 10],
            ["总分", None, None, None, None, None, 100, 97.9]]
    path = _save(tmp_path / "js.xlsx", rows)
    res = read_workbook(path)
    doc = res.document
    (form,) = doc.forms
    assert "其中：上年结转" not in form.funds
    kept = {r["栏目"]: r["内容"] for r in form.tables[EXTRAS]}
    assert kept == {"财政资金·其中：上年结转·年初预算数": "0.00", "财政资金·其中：上年结转·全年预算数": "200.00",
                    "财政资金·其中：上年结转·全年执行数": "200.00"}
    assert any("组成部分" in p for p in res.problems)
    findings = validate_document(doc)
    assert not [f for f in findings if f.severity == "error"]
    assert [score_form(doc.template, doc.template.form(f.kind), f).total for f in doc.forms] == [Decimal("97.90")]
    assert _dropped(path, res) == []


def test_qizhong_rows_that_add_up_to_the_total_stay_rows_of_the_funds():
    """Every component written 其中 (其中：财政资金 / 其中：自筹资金) and summing to the total: parallel rows."""
    from jixiao.core.interchange import document_from_json

    doc = document_from_json({"template": "national", "unit": "某局", "year": 2023, "forms": [
        {"kind": "department", "header": {"部门名称": "某局"}, "funds": [
            {"row": "年度资金总额", "全年预算数": 100, "全年执行数": 90},
            {"row": "其中：财政资金", "全年预算数": 80, "全年执行数": 70},
            {"row": "其中：自筹资金", "全年预算数": 20, "全年执行数": 20}]}]})
    assert set(doc.forms[0].funds) == {"年度总资金", "其中：财政资金", "其中：自筹资金"}
    assert EXTRAS not in doc.forms[0].tables


def test_interchange_in_the_shapes_other_systems_write():
    """Top-level keys in Chinese (单位名称, 年度, 模板, 表格), a form's kind as 部门整体 / 项目支出, numbers for
    amounts, a row label with （万元）, 一级 with （50分）, 指标性质/度量单位 columns, a nested 其中 row, and keys
    nobody knows: read, or kept in 附加内容, never dropped and never refused."""
    from jixiao.core.interchange import document_from_json

    data = {"模板": "national", "单位名称": "某市科学技术局", "年度": "2023年", "备注": "经局务会审议",
            "表格": [
                {"kind": "部门整体", "header": {"部门（单位）名称": "某市科学技术局"},
                 "funds": [{"row": "年度资金总额（万元）", "年初预算数": 2000, "全年预算数": 2100.00,
                            "全年执行数": "2,016.00", "分值": 10, "得分": 9.6},
                           {"row": "其中：一般公共预算", "全年执行数": 1900},
                           {"row": "单位资金", "全年执行数": 116}],
                 "年度主要任务": [{"任务名称": "科技项目管理", "对应项目": "科技计划项目经费", "预算数": 1200,
                              "执行数": 1150}],
                 "indicators": [
                     {"一级指标": "产出指标（50分）", "二级指标": "数量指标", "三级指标": "立项数", "指标性质": "≥",
                      "指标值": 30, "度量单位": "项", "完成值": "32项", "权重": 50, "得分": 50},
                     {"一级指标": "效益指标（30分）", "二级指标": "社会效益指标", "三级指标": "成果转化数",
                      "年度指标值": "≥10项", "实际完成值": "9项", "分值": 30, "得分": 27,
                      "未完成原因分析": "个别成果转化推迟"},
                     {"一级指标": "满意度指标（10分）", "二级指标": "服务对象满意度指标", "三级指标": "满意度",
                      "年度指标值": "≥90%", "实际完成值": "95%", "分值": 10, "得分": 10}],
                 "总分": 96.6},
                {"kind": "项目支出", "header": {"项目名称：": "老旧小区改造", "主管部门：": "某市住建局"},
                 "funds": {"年度资金总额": {"全年预算数": 3850, "全年执行数": 3712.35, "分值": 10},
                           "其中：财政拨款": {"全年预算数": 3600, "全年执行数": 3462.35},
                           "其中：中央补助": {"全年预算数": 1000, "全年执行数": 980},
                           "上年结转": {"全年预算数": 250, "全年执行数": 250}}}],
            "signoff": {"填报人": "张三", "联系电话": "0931-1234567"}}
    doc = document_from_json(data)
    assert (doc.template_id, doc.unit, doc.year) == ("national", "某市科学技术局", 2023)
    dept, project = doc.forms
    assert (dept.kind, project.kind) == ("department", "project")
    assert dept.funds["年度总资金"]["全年执行数"] == "2,016.00"
    assert dept.indicators[0].get("年度指标值") == "≥30项"
    assert {i.level1 for i in dept.indicators} == {"产出指标", "效益指标", "满意度指标"}
    assert score_form(doc.template, doc.template.form("department"), dept).total == Decimal("96.60")
    kept = [(r["栏目"], r["内容"]) for r in dept.tables[EXTRAS]]
    assert ("年度主要任务·执行数", "1150") in kept and ("备注", "经局务会审议") in kept
    assert ("联系电话", "0931-1234567") in kept
    assert project.header["项目名称"] == "老旧小区改造"
    assert set(project.funds) == {"年度资金总额", "当年财政拨款", "上年结转资金"}
    assert [(r["栏目"], r["内容"]) for r in project.tables[EXTRAS]] == [
        ("当年财政拨款·其中：中央补助·全年预算数", "1000"), ("当年财政拨款·其中：中央补助·全年执行数", "980")]
    errors = [f for f in validate_document(doc) if f.severity == "error"]
    assert [f.code for f in errors] == ["weight-sum"]  # the project lists no indicators: true, and the only one
    assert errors[0].form_id == project.id


def test_an_interchange_file_with_chinese_top_level_keys_opens_as_one(tmp_path):
    """A file other systems write with 模板 / 表格 / 年份 is told apart by content like any interchange file; a
    河南 部门整体 form in it (kind 部门整体支出绩效自评表, rows numbered （1）…, 年度主要任务 rows) reads whole."""
    import json

    from jixiao.core.fileio import load_document

    data = {"模板": "henan", "填报单位": "三门峡市某局", "年份": 2024, "表格": [
        {"kind": "部门整体支出绩效自评表", "header": {"部门（单位）名称：": "三门峡市某局"},
         "funds": [{"row": "部门预算总额（万元）", "全年预算数": 1100, "全年执行数": 1078, "分值": 10, "得分": 9.8},
                   {"row": "（1）政府预算资金", "全年预算数": 1000, "全年执行数": 978},
                   {"row": "（3）单位资金", "全年预算数": 100, "全年执行数": 100}],
         "年度主要任务": [{"任务名称": "科技创新", "主要内容": "组织申报", "实际完成情况": "完成"}]}]}
    path = tmp_path / "henan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    doc = load_document(path)
    (form,) = doc.forms
    assert (doc.template_id, doc.unit, doc.year, form.kind) == ("henan", "三门峡市某局", 2024, "department")
    assert form.funds["政府预算资金"] == {"全年预算数": "1000", "全年执行数": "978"}
    assert form.tables == {"年度主要任务": [{"任务名称": "科技创新", "主要内容": "组织申报", "实际完成情况": "完成"}]}


def test_a_right_split_longer_than_the_left_one_does_not_end_the_funds(tmp_path):
    rows = _central([None, "按收入性质分", None, "全年执行数", "按支出性质分", None, "全年执行数"])
    rows[9] = [None, "其中：一般公共预算", None, "2,000.00", "其中：基本支出", None, "566.00"]
    rows[10] = [None, None, None, None, "项目支出", None, "1,400.00"]
    rows[11] = [None, "单位资金", None, "16.00", "其他支出", None, "50.00"]
    path = _save(tmp_path / "long.xlsx", rows)
    res = read_workbook(path)
    (form,) = res.document.forms
    assert form.funds["单位资金"] == {"全年执行数": "16.00"}
    kept = {r["栏目"]: r["内容"] for r in form.tables[EXTRAS]}
    assert kept["按支出性质分·其他支出·全年执行数"] == "50.00"
    assert not [f for f in validate_document(res.document) if f.severity == "error"]
    assert _dropped(path, res) == []
