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


def _format_class(c) -> tuple[str, bool, int | str] | None:
    """How a printed figure looks: its kind, a % sign, its decimals (a 分值 prints as Excel's General)."""
    import re

    m = re.fullmatch(r"-?[\d,]+(?:\.(\d+))?(%?)", c.text.strip())
    if c.kind not in ("money", "score", "rate", "weight") or not m:
        return None
    decimals = len(m.group(1) or "")
    if c.kind == "weight":
        assert not (m.group(1) or "").endswith("0"), c.text  # General: 10, 2.5, 0.5, never 0.50
        return ("weight", False, "General")
    return (c.kind, bool(m.group(2)), decimals)


def _mixed_columns(grid) -> dict:
    """(section, column) → the formats its figures print in, where there is more than one."""
    from collections import defaultdict

    from jixiao.excel.writer import cell_output

    seen: dict = defaultdict(set)
    written: dict = defaultdict(set)
    for c in grid.cells:
        cls = _format_class(c)
        if cls is not None:
            seen[(c.section, c.col)].add(cls)
            written[(c.section, c.col)].add(cell_output(c)[1])
    return {k: (seen[k], written[k]) for k in seen if len(seen[k]) > 1 or len(written[k]) > 1}


def test_one_number_format_per_column_when_a_sub_row_repeats_its_weight_and_score(tmp_path):
    """云南 临翔 prints 分值 10 / 执行率 97.8% / 得分 9 on the 其中：当年财政拨款 row too: imported,
    they print in the total row's formats (10, 97.80%, 9.00), on paper and in the workbook."""
    from jixiao.excel.reader import read_workbook
    from tests.excel.test_reader_layouts import project_rows, write_rows

    rows = project_rows("马鹿坑国有林场新建野生动物收容所建设项目", fund_total=(None, "32.4", "31.69"))
    rows[5][7:10] = ["10", "97.8%", "9"]  # 年度资金总额: 分值, 执行率, 得分 as typed
    for other, typed in ((rows[6], ["10", "97.8%", "9"]), (rows[7], [10, 0.978, 9])):  # as text and as numbers
        other[7:10] = typed
    path = write_rows(tmp_path / "临翔.xlsx", {"项目": rows})
    wb = openpyxl.load_workbook(path)
    wb.active.cell(row=8, column=9).number_format = "0.0%"  # 0.978 shown as 97.8%, as Excel keeps a typed rate
    wb.save(path)
    res = read_workbook(path, template_id="national")
    doc = res.document
    form = doc.forms[0]
    assert form.funds["当年财政拨款"]["得分"] == "9" and form.funds["上年结转资金"]["分值"] == "10"
    cells = _cells(doc, form)
    for row in ("年度资金总额", "当年财政拨款", "上年结转资金"):
        assert [cells[f"funds.{row}.{k}"].text for k in ("分值", "执行率", "得分")] == ["10", "97.80%", "9.00"], row
    grid = form_grid(doc, form)
    assert not _mixed_columns(grid)
    out = tmp_path / "out.xlsx"
    write_workbook(doc, out)
    ws = openpyxl.load_workbook(out).worksheets[0]
    head = next(c for r in ws.iter_rows() for c in r if c.value == "年度资金总额")
    figures = {(c.row, c.column): c.number_format for r in ws.iter_rows(min_row=head.row, max_row=head.row + 2)
               for c in r if isinstance(c.value, (int, float))}
    by_column: dict = {}
    for (_r, col), fmt in figures.items():
        by_column.setdefault(col, set()).add(fmt)
    assert len(by_column) >= 6 and all(len(f) == 1 for f in by_column.values()), by_column


def test_one_number_format_per_column_in_every_bundled_form():
    from pathlib import Path

    from jixiao.core.fileio import load_document

    examples = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.jxzp"))
    assert len(examples) == 2
    for path in examples:
        doc = load_document(path)
        for grid in document_grids(doc, include_summary=False):  # (the 汇总表 prints as the template says)
            assert not _mixed_columns(grid), (path.stem, grid.title, _mixed_columns(grid))
