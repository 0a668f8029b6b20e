import json

import pytest

from jixiao.core.fileio import DocumentError, document_from_data
from jixiao.core.interchange import InterchangeError, document_from_json
from jixiao.core.templates import TemplateError, available_templates, get_template, reload_templates


def test_bundled_templates():
    ids = {t.id for t in available_templates()}
    assert {"national", "xinjiang", "henan", "xinjiang-karamay"} <= ids
    nat = get_template("national").form("project")
    assert [r.key for r in nat.funds.fund_rows] == ["年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"]
    xj = get_template("xinjiang").form("project")
    assert "上年结转资金" not in [r.key for r in xj.funds.fund_rows]
    hn = get_template("henan").form("project")
    assert hn.section("items", "资金管理情况") is not None and hn.indicators.has_column("偏差度")
    assert get_template("henan").scoring.overshoot_tolerance is not None
    assert get_template("xinjiang").form("department").indicators.has_column("指标值设定依据")


def test_adding_a_region_is_adding_a_file(office_templates):
    src = json.loads(json.dumps(get_template("national").source))
    src.update({"id": "gansu", "name": "甘肃"})
    src["scoring"]["grades"] = [["优", "90"], ["良", "80"], ["中", "60"], ["差", "0"]]
    office_templates("gansu.json", src)
    assert get_template("gansu").name == "甘肃"


def test_an_office_template_replaces_the_bundled_one_of_the_same_id(office_templates):
    src = json.loads(json.dumps(get_template("national").source))
    src["name"] = "全国通用（本单位修订）"
    office_templates("national.json", src)
    assert get_template("national").name == "全国通用（本单位修订）"


@pytest.mark.parametrize("content,message", [
    ("{", "模板文件 broken.json 无法读取"),
    (b"\xff\xfe\x00", "模板文件 broken.json 无法读取"),
    ('{"name": "无编号"}', "模板文件 broken.json 缺少 id"),
    ('{"id": ""}', "模板文件 broken.json 缺少 id"),
    ("[]", "模板文件 broken.json 缺少 id"),
])
def test_an_unreadable_template_file_is_reported_in_chinese(office_templates, content, message):
    office_templates("broken.json", content)
    with pytest.raises(TemplateError, match=message):
        available_templates()


@pytest.mark.parametrize("mutate,fragment", [
    (lambda d: d["project"]["sections"][0]["rows"][0].append({"label": "x", "span": 3}), "跨列"),
    (lambda d: d["project"]["sections"].append({"type": "pie"}), "未知的节类型"),
    (lambda d: d["scoring"].update({"range_above": "sometimes"}), "range_above"),
    (lambda d: d["project"]["sections"].insert(3, {"type": "texts", "key": "附加内容", "label": "附加内容",
                                                    "columns": [{"key": "x", "span": 8}]}), "附加内容"),
])
def test_a_malformed_template_is_reported(office_templates, mutate, fragment):
    src = json.loads(json.dumps(get_template("national").source))
    src["id"] = "broken"
    mutate(src)
    office_templates("broken.json", src)
    with pytest.raises(TemplateError, match=fragment):
        get_template("broken")


def test_interchange_accepts_the_forms_own_labels():
    data = {"template": "xinjiang", "unit": "u", "year": "2024年", "forms": [{
        "kind": "department", "header": {"部门名称": "u"},
        "funds": [{"row": "年度总资金", "全年预算数": "10", "全年执行数": "9", "分值权重": "10"},
                  {"row": "上级资金(万元)", "全年预算数": "10"}],
        "goals": {"预期目标": "a", "实际完成目标": "b"},
        "indicators": [{"一级指标": "管理效率", "二级指标": "数量指标", "三级指标": "x", "预期指标值": ">=5家",
                        "实际完成指标值": "6家", "分值权重": "90", "指标设定依据": "文件"}]}]}
    doc = document_from_json(data)
    f = doc.forms[0]
    assert doc.year == 2024
    assert f.funds["年度总资金"]["分值"] == "10" and f.funds["上级资金"]["全年预算数"] == "10"
    assert f.texts["goals"]["实际完成情况"] == "b"
    ind = f.indicators[0]
    assert ind.get("年度指标值") == ">=5家" and ind.get("实际完成值") == "6家" and ind.get("分值") == "90"
    assert ind.get("指标值设定依据") == "文件"


def test_interchange_errors_name_the_problem():
    with pytest.raises(InterchangeError, match="funds 的每一行需要 row"):
        document_from_json({"template": "national", "forms": [{"kind": "project", "funds": [{"全年预算数": "1"}]}]})
    with pytest.raises(InterchangeError, match="字符串"):
        document_from_json({"template": "national", "forms": [{"kind": "project", "header": {"项目名称": ["x"]}}]})
    with pytest.raises(DocumentError, match="year"):
        document_from_data({"template": "national", "year": "明年", "forms": []})


def test_numbers_in_interchange_are_kept_as_typed_strings():
    doc = document_from_json({"template": "national", "forms": [{"kind": "project", "funds": [
        {"row": "年度资金总额", "全年预算数": 950, "全年执行数": 12.5}]}]})
    assert doc.forms[0].funds["年度资金总额"] == {"全年预算数": "950", "全年执行数": "12.5"}


def test_an_explicit_zero_in_a_template_is_a_setting(tmp_path, monkeypatch):
    src = json.loads(json.dumps(get_template("national").source))
    src.update({"id": "zero-exec", "name": "不计执行率"})
    src["scoring"].update({"execution_weight": "0", "deviation_threshold": "0"})
    (tmp_path / "zero-exec.json").write_text(json.dumps(src, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("JIXIAO_TEMPLATES", str(tmp_path))
    reload_templates()
    try:
        sc = get_template("zero-exec").scoring
        assert sc.execution_weight == 0 and sc.deviation_threshold == 0
    finally:
        monkeypatch.delenv("JIXIAO_TEMPLATES")
        reload_templates()


def test_a_fund_row_unknown_to_this_template_survives_save_and_reopen(tmp_path):
    from jixiao.core.fileio import load_document, save_document
    from jixiao.core.model import new_document

    doc = new_document("xinjiang", "u", 2024)
    doc.projects[0].set("funds.上年结转资金.全年预算数", "5")  # xinjiang has no such row
    p = tmp_path / "x.jxzp"
    save_document(doc, p)
    again = load_document(p)
    save_document(again, p)
    assert load_document(p).projects[0].funds["上年结转资金"] == {"全年预算数": "5"}


def test_an_embedded_template_is_built_once():
    from jixiao.core.fileio import document_from_data, document_to_data
    from jixiao.core.model import new_document

    data = document_to_data(new_document("national", "u", 2024))
    data["template"] = "far-away-region"
    data["template_snapshot"] = dict(data["template_snapshot"], id="far-away-region", name="远方")
    doc = document_from_data(data)
    assert doc.template is doc.template and doc.template.name == "远方"


@pytest.mark.parametrize("year", [None, "", 0], ids=["missing", "empty", "zero"])
def test_an_interchange_file_without_its_year_is_read_as_last_year_and_said(year):
    """Like the Excel import: never a "0年度" form, and the officer is told which year was taken."""
    import datetime

    data = {"template": "national", "unit": "某单位", "forms": [{"kind": "project", "header": {"项目名称": "甲"}}]}
    if year is not None:
        data["year"] = year
    notes: list[str] = []
    doc = document_from_data(data, "a.json", notes)
    assert doc.year == datetime.date.today().year - 1
    assert any("没有找到年度" in n and str(doc.year) in n for n in notes)
    # a native document keeps what it holds, and a stated year is never touched
    data["year"] = 2023
    assert document_from_data(data, "a.json", notes).year == 2023


def test_an_interchange_file_without_forms_but_with_content_to_keep_is_refused_naming_it():
    """联系电话 and 备注 are kept with the first form; with no form at all they would vanish."""
    data = {"template": "national", "unit": "某局", "year": 2023, "forms": [],
            "signoff": {"填表人": "张三", "联系电话": "0931-1"}, "备注": "重要说明"}
    with pytest.raises(DocumentError) as info:
        document_from_data(data, "a.json", [])
    assert "联系电话" in str(info.value) and "备注" in str(info.value)
    # without such content an empty file is an empty document
    doc = document_from_data({"template": "national", "unit": "某局", "year": 2023, "forms": []}, "a.json", [])
    assert doc.forms == []
