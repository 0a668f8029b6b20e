"""Officers' own spreadsheets, laid out like the official grids but not by us."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from jixiao.core.scoring import score_form
from jixiao.excel.reader import ExcelImportError, read_workbook


def project_rows(name: str, *, col0: int = 0, fund_total=("100", "100", "95"), with_carry=True) -> list[list]:
    """A national 项目支出绩效自评表 as rows of values (None = empty)."""
    pad = [None] * col0
    rows = [
        pad + ["项目支出绩效自评表"],
        pad + ["（2024年度）"],
        pad + ["项目名称", name],
        pad + ["主管部门", "某某局", None, "实施单位", "某某中心"],
        pad + ["项目资金（万元）", None, None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
               "得分"],
        pad + [None, "年度资金总额", None, None, *fund_total, "10", "95%", "9.5分"],
        pad + [None, "其中：当年财政拨款", None, None, "80", "80", "75", "—", "—", "—"],
    ]
    if with_carry:
        rows.append(pad + [None, "上年结转资金", None, None, "20", "20", "20", "—", "—", "—"])
    rows += [
        pad + [None, "其他资金", None, None, "0", "0", "0", "—", "—", "—"],
        pad + ["年度总体目标", "预期目标", None, None, "实际完成情况"],
        pad + [None, "完成100家企业服务", None, None, "服务企业120家"],
        pad + ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
               "偏差原因分析及改进措施"],
        pad + [None, "产出指标", "数量指标", "服务企业数量", ">=100家", "120家", "20", "20", None],
        pad + [None, None, None, "培训人次", "≥500人次", "450人次", "20分", "18", "=疫情影响，部分培训取消"],
        pad + [None, None, "质量指标", "验收合格率", "≥95%", "100%", 10, 10, None],
        pad + [None, "效益指标", "社会效益指标", "带动就业", "≥50人", "60人", "30", "30", None],
        pad + [None, "满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "95%", "10", "10", None],
        pad + ["总分", None, None, None, None, None, "100", "97.5分", None],
        pad + ["单位负责人：李四", None, None, "财务负责人：", None, "填表人：王五", None, "填报日期：2025-03-01"],
    ]
    return rows


def write_rows(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    ws.cell(row=r, column=c, value=v).data_type = "s" if isinstance(v, str) else "n"
        for rng in (merges or {}).get(title, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


def test_shifted_columns_extra_titles_text_numbers(tmp_path):
    rows = [["附件2"], [], *project_rows("企业服务项目", col0=1)]
    rows.append([None, "备注：本表由项目单位填写"])
    path = write_rows(tmp_path / "in.xlsx", {"Sheet1": rows})
    res = read_workbook(path)
    assert res.template_id == "national"
    doc = res.document
    assert doc.year == 2024
    assert doc.signoff == {"单位负责人": "李四", "填表人": "王五", "填报日期": "2025-03-01"}
    form = doc.forms[0]
    assert form.kind == "project" and form.name == "企业服务项目"
    assert form.header == {"项目名称": "企业服务项目", "主管部门": "某某局", "实施单位": "某某中心"}
    assert form.funds["年度资金总额"]["全年执行数"] == "95"
    assert form.funds["上年结转资金"]["全年预算数"] == "20"
    assert "执行率" not in form.funds["其他资金"]
    assert form.texts["goals"] == {"预期目标": "完成100家企业服务", "实际完成情况": "服务企业120家"}
    inds = form.indicators
    assert [i.get("三级指标") for i in inds] == ["服务企业数量", "培训人次", "验收合格率", "带动就业", "服务对象满意度"]
    # 一级/二级 carried down blank cells
    assert inds[1].level1 == "产出指标" and inds[1].level2 == "数量指标"
    assert inds[2].level1 == "产出指标" and inds[2].level2 == "质量指标"
    assert inds[1].get("分值") == "20分" and inds[1].get("年度指标值") == "≥500人次"
    assert inds[1].get("偏差原因分析及改进措施") == "=疫情影响，部分培训取消"
    assert inds[2].get("分值") == "10"
    result = score_form(doc.template, doc.template.form("project"), form)
    assert result.total == 97.5
    # "附件2" is a caption like the title; the note below the form is kept in its 附加内容, and reported
    assert not any("附件2" in p for p in res.problems)
    assert form.tables["附加内容"] == [{"栏目": "备注", "内容": "本表由项目单位填写"}]
    assert any(p.startswith("Sheet1!B22：") and "附加内容" in p for p in res.problems), res.problems


def test_merged_label_cells(tmp_path):
    rows = project_rows("合并单元格项目")
    merges = {"表": ["B3:I3", "A5:A9", "B6:D6", "B10:D10", "E10:I10", "B11:D11", "E11:I11",
                     "A12:A17", "B13:B15", "C13:C14", "A18:F18"]}
    path = write_rows(tmp_path / "in.xlsx", {"表": rows}, merges)
    res = read_workbook(path)
    form = res.document.forms[0]
    assert len(form.indicators) == 5
    assert form.indicators[1].level2 == "数量指标"
    assert form.total == ""  # 97.5 is the engine's own total: not kept as an override
    assert res.problems == []


def test_several_forms_on_one_sheet_and_one_per_sheet(tmp_path):
    sheet = project_rows("项目甲") + [[]] + project_rows("项目乙")
    path = write_rows(tmp_path / "in.xlsx", {"项目": sheet, "另一个": project_rows("项目丙")})
    res = read_workbook(path)
    names = [f.name for f in res.document.forms]
    assert names == ["项目甲", "项目乙", "项目丙"]
    assert all(len(f.indicators) == 5 for f in res.document.forms)
    assert res.problems == []


def test_xinjiang_project_detected_without_carry_over_row(tmp_path):
    rows = project_rows("新疆项目", with_carry=False)
    header = next(r for r in rows if "一级指标" in r)
    header[0] = "年度绩效指标完成情况"
    path = write_rows(tmp_path / "in.xlsx", {"项目": rows})
    res = read_workbook(path)
    assert res.template_id == "xinjiang"
    assert res.problems == []


def test_unknown_fund_row_and_level_reported(tmp_path):
    rows = project_rows("有问题的项目")
    rows[8][1] = "自筹资金"
    rows[15][1] = "奇怪指标"
    path = write_rows(tmp_path / "in.xlsx", {"S": rows})
    res = read_workbook(path, template_id="national")
    assert any(p.startswith("S!B9：") and "自筹资金" in p for p in res.problems), res.problems
    assert any(p.startswith("S!B16：") and "奇怪指标" in p for p in res.problems), res.problems


def department_rows_xinjiang() -> list[list]:
    return [
        ["部门整体支出绩效自评表"],
        ["（2023年度）"],
        ["部门名称", "某某科技局"],
        ["部门资金（万元）", "资金来源", "年初预算数", "全年预算数", "全年执行数", "分值权重", "执行率", "得分"],
        [None, "年度总资金", 100, 100, 90, 10, 0.9, 9],
        [None, "上级资金(万元)", 0, 0, 0, "—", "—", "—"],
        [None, "本级资金(万元)", 100, 100, 90, "—", "—", "—"],
        ["年度总体目标", "预期目标", None, None, "实际完成目标"],
        [None, "目标", None, None, "完成"],
        ["一级指标", "二级指标", "三级指标", "预期指标值", "指标值设定依据", "实际完成指标值", "分值权重", "得分"],
        ["履职效能", "数量指标", "新增平台", ">=5家", "行动方案", "6家", 90, 90],
        ["总分", None, None, None, None, None, 100, 99],
    ]


def test_xinjiang_department_by_its_labels(tmp_path):
    path = write_rows(tmp_path / "in.xlsx", {"部门": department_rows_xinjiang()})
    wb = openpyxl.load_workbook(path)
    wb["部门"]["G5"].number_format = "0.00%"
    wb.save(path)
    res = read_workbook(path)
    assert res.template_id == "xinjiang"
    doc = res.document
    assert doc.year == 2023 and doc.unit == "某某科技局"
    dep = doc.department
    assert dep.funds["年度总资金"]["全年执行数"] == "90"
    assert "执行率" not in dep.funds["年度总资金"]  # 90% is the engine's own figure
    ind = dep.indicators[0]
    assert ind.get("指标值设定依据") == "行动方案" and ind.get("年度指标值") == ">=5家"
    assert dep.total == ""  # 99 = 90 + 9: the engine's figure
    assert res.problems == []


def test_henan_detected_from_its_blocks(tmp_path):
    rows = [
        ["项目自评表"],
        ["（2024年度）"],
        ["项目名称", None, "科普活动"],
        ["主管部门", None, "市科技局", None, "实施单位", None, "市科技局"],
        ["项目资金（万元）", None, None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率 %", "得分"],
        [None, "年度资金总额（万元）：", None, None, 16, 16, 4.52, 10, 28.25, 2.83],
        [None, "政府性预算资金", None, None, 16, 16, 4.52, "—", 28.25, "—"],
        ["资金管理情况", None, "情况说明", None, None, None, "分值", "得分", "存在问题和改进措施"],
        [None, "安排科学性", "合理", None, None, None, 5, 5],
        [None, "拨付合规性", "合规", None, None, None, 5, 4, "拨付偏慢"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差度 %",
         "偏差原因分析及改进措施"],
        [None, "产出指标", "数量指标", "活动次数", "≥1次", "2次", 30, 30, None, None],
    ]
    path = write_rows(tmp_path / "in.xlsx", {"科普": rows})
    res = read_workbook(path)
    assert res.template_id == "henan"
    form = res.document.forms[0]
    assert form.items["资金管理情况"]["拨付合规性"] == {"情况说明": "合规", "分值": "5", "得分": "4",
                                               "存在问题和改进措施": "拨付偏慢"}
    assert form.items["资金管理情况"]["使用规范性"] == {"分值": "5"}  # default weight kept
    assert form.funds["政府性预算资金"]["全年执行数"] == "4.52"
    assert res.problems == []


def test_summary_sheets_are_not_imported_cell_by_cell(tmp_path):
    """The 汇总表's figures come from the forms; a field the form prints too is the form's."""
    summary = [["项目单位自评汇总表"], ["序号", "项目名称", "实施单位", "全年预算数", "自评得分"],
               [1, "甲", "乙", 10, 90]]
    path = write_rows(tmp_path / "in.xlsx", {"项目": project_rows("甲"), "汇总": summary})
    res = read_workbook(path)
    assert len(res.document.forms) == 1
    assert res.document.forms[0].header["实施单位"] == "某某中心"
    assert res.problems == ["'汇总'!C3：项目“甲”的实施单位在汇总表中为“乙”，项目表中为“某某中心”，按项目表导入",
                            "工作表“汇总”：是项目单位自评汇总表，其中的数字由各项目表计算得出，未逐格导入"]


def test_fields_only_the_summary_prints_are_read_from_it(tmp_path):
    """河南's 汇总表 prints 单位编码, 项目类型 … that no project form shows: in a workbook they live on
    the 汇总表 sheet alone, and are read into the projects; a row without its form is reported."""
    summary = [["项目单位自评汇总表"], ["单位编码", "单位名称", "项目名称", "项目类型", "资金归口处室", "自评得分"],
               ["310001", "某某中心", "甲", "可执行项目", "科技文化事业科", 90],
               ["310002", "某某中心", "丙", "专项", "", 80]]
    path = write_rows(tmp_path / "in.xlsx", {"项目": project_rows("甲"), "汇总": summary})
    res = read_workbook(path, template_id="henan")
    (form,) = res.document.projects
    assert {k: form.header.get(k) for k in ("单位编码", "项目类型", "资金归口处室")} == \
        {"单位编码": "310001", "项目类型": "可执行项目", "资金归口处室": "科技文化事业科"}
    assert any("项目“丙”没有对应的项目表" in p and "单位编码：310002" in p and "项目类型：专项" in p
               for p in res.problems)


def test_a_sheet_without_forms_stops_the_import_listing_its_cells(tmp_path):
    path = write_rows(tmp_path / "in.xlsx", {"项目": project_rows("甲"), "说明": [["这里是说明文字"], [None, 12.5]]})
    with pytest.raises(ExcelImportError) as info:
        read_workbook(path)
    message = str(info.value)
    assert "2 个单元格不属于任何一张自评表" in message and "已停止导入" in message
    assert "'说明'!A1：这里是说明文字" in message and "'说明'!B2：12.5" in message
