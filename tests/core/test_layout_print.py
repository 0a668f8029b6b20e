"""What the grid prints for cells the officer left blank, and one number format per column
(issue 14 point 3): the same grid feeds the screen, the PDF and the workbook."""

from __future__ import annotations

import openpyxl

from jixiao.core.layout import document_grids, form_grid
from jixiao.core.model import Indicator, new_document
from jixiao.excel.writer import write_workbook


def _cells(doc, form):
    return {c.path: c for c in form_grid(doc, form).cells if c.path}


def test_an_empty_form_prints_no_total_and_no_computed_figures():
    doc = new_document("xinjiang", "测试单位", 2024, projects=1)
    form = doc.projects[0]
    cells = _cells(doc, form)
    assert cells["总分"].text == "" and cells["总分"].value is None
    for path, c in cells.items():
        if c.role == "override":
            assert c.text == "" and c.value is None, path
    summary = document_grids(doc)[-1]
    total_row = max(c.row for c in summary.cells)
    assert all(c.text in ("", "—") or "合计" in c.text for c in summary.cells if c.row == total_row)


def test_blank_inputs_leave_their_dependants_blank_and_a_counted_score_prints():
    doc = new_document("henan", "测试单位", 2024, projects=1)
    form = doc.projects[0]
    form.funds["年度资金总额"] = {"全年预算数": "100"}  # no 全年执行数 yet
    form.indicators = [
        Indicator({"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "甲", "年度指标值": "≥10个",
                   "分值": "5"}),
        Indicator({"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "乙", "年度指标值": "≥10个",
                   "实际完成值": "0个", "分值": "5"}),
    ]
    cells = _cells(doc, form)
    assert cells["funds.年度资金总额.执行率"].text == "" and cells["funds.年度资金总额.得分"].text == ""
    assert cells["indicators[0].得分"].text == "" and cells["indicators[0].偏差度"].text == ""
    # the engine counts 0 for the second indicator: the paper shows it, so the form adds up
    assert cells["indicators[1].得分"].text == "0.00" and cells["indicators[1].偏差度"].text == "-100.00%"
    assert cells["总分"].text == "0.00"


def test_weights_print_as_the_form_does_and_typed_rates_in_the_column_format(tmp_path):
    doc = new_document("henan", "测试单位", 2024, projects=1)
    form = doc.projects[0]
    form.funds["年度资金总额"] = {"全年预算数": "100", "全年执行数": "98", "执行率": "98%"}
    form.indicators = [
        Indicator({"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": f"指标{i}", "年度指标值": "≥10个",
                   "实际完成值": "12个", "分值": w, "偏差度": d})
        for i, (w, d) in enumerate([("2", "20%"), ("0.50", "20"), ("2.5", "20.00%")])
    ]
    cells = _cells(doc, form)
    assert [cells[f"indicators[{i}].分值"].text for i in range(3)] == ["2", "0.5", "2.5"]  # never "2" beside "0.50"
    assert cells["funds.年度资金总额.执行率"].text == "98.00"  # the 执行率 % column: numbers without %
    assert [cells[f"indicators[{i}].偏差度"].text for i in range(3)] == ["20.00%", "20.00%", "20.00%"]
    out = tmp_path / "w.xlsx"
    write_workbook(doc, out)
    ws = openpyxl.load_workbook(out).worksheets[1]
    head = next(c for r in ws.iter_rows() for c in r if c.value == "三级指标")
    col = next(c.column for c in ws[head.row] if c.value == "分值")
    weights = [ws.cell(row=r, column=col) for r in range(head.row + 1, ws.max_row + 1)]
    weights = [c for c in weights if isinstance(c.value, (int, float))]
    assert [c.value for c in weights][:3] == [2, 0.5, 2.5] and {c.number_format for c in weights} == {"General"}


def test_a_blank_cell_is_written_blank_in_the_workbook(tmp_path):
    doc = new_document("xinjiang", "测试单位", 2024, projects=1)
    out = tmp_path / "e.xlsx"
    write_workbook(doc, out)
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[1]
    total = next(c for r in ws.iter_rows() for c in r if c.value == "总分")
    row = [c.value for c in ws[total.row]]
    assert row.count(None) >= len(row) - 2  # only 总分 and Σ分值 (10)
    assert 0 not in row
