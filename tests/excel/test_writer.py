"""The exported workbook, opened with openpyxl: grid, styles, formats, print setup, safety."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from jixiao.core.fileio import DocumentError
from jixiao.core.layout import document_grids
from jixiao.core.model import new_document
from jixiao.excel.common import META_SHEET, clean_sheet_name, unique_sheet_names
from jixiao.excel.reader import read_workbook
from jixiao.excel.writer import EXCEL_CHAR_PT, write_workbook
from jixiao.pdf.columns import PAD_X
from jixiao.pdf.geometry import line_height
from jixiao.pdf.paginate import layout_grid
from jixiao.pdf.wrap import wrap_text
from tests.excel.helpers import bundle
from tests.pdf.pdfhelpers import big_project_doc

INJECTIONS = ["=SUM(1)", "+1", "-1", "@x", "#N/A", '=HYPERLINK("http://x")', "=1+1", "#DIV/0!", "'quoted"]


def stored_borders(path: Path, sheet_no: int) -> dict[tuple[int, int], list]:
    """(row, col) → [left, right, top, bottom] border styles as stored in sheet<sheet_no>.xml."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as zf:
        styles = ET.fromstring(zf.read("xl/styles.xml"))
        sheet = ET.fromstring(zf.read(f"xl/worksheets/sheet{sheet_no}.xml"))
    borders = []
    for b in styles.find("m:borders", ns):
        borders.append([(b.find(f"m:{side}", ns).get("style") if b.find(f"m:{side}", ns) is not None else None)
                        for side in ("left", "right", "top", "bottom")])
    xf_border = [int(xf.get("borderId", 0)) for xf in styles.find("m:cellXfs", ns)]
    out = {}
    for c in sheet.iter(f"{{{ns['m']}}}c"):
        col, row = coordinate_from_string(c.get("r"))
        out[(row, column_index_from_string(col))] = borders[xf_border[int(c.get("s", 0))]]
    return out


def _export(doc, tmp_path: Path, name: str = "out.xlsx"):
    out = tmp_path / name
    write_workbook(doc, out)
    return out, openpyxl.load_workbook(out)


def test_one_sheet_per_form_in_document_order(xinjiang_doc, tmp_path):
    _, wb = _export(xinjiang_doc, tmp_path)
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible[0] == "部门整体"
    assert visible[1:3] == [f.display_name()[:31] for f in xinjiang_doc.projects]
    assert visible[-1] == "汇总表"
    assert wb[META_SHEET].sheet_state == "veryHidden"
    assert wb.active.title == "部门整体"


def test_grid_cell_for_cell_with_merges_and_borders(henan_doc, tmp_path):
    out, wb = _export(henan_doc, tmp_path)
    # openpyxl rebuilds the inner cells of merged ranges when it loads a
    # sheet, so borders are checked in the stored XML itself
    grids = document_grids(henan_doc)
    checked = 0
    for i, (grid, ws) in enumerate(zip(grids, [w for w in wb.worksheets if w.sheet_state == "visible"], strict=True)):
        if len(layout_grid(grid).pages) > 1:
            continue  # cut at page breaks: test_merged_labels_are_cut_and_repeated_at_page_breaks
        checked += 1
        stored = stored_borders(out, i + 1)
        merged = {str(r) for r in ws.merged_cells.ranges}
        expected = set()
        for c in grid.cells:
            top_left = ws.cell(row=c.row + 1, column=c.col + 1)
            if c.rowspan > 1 or c.colspan > 1:
                rng = f"{top_left.coordinate}:{ws.cell(row=c.last_row + 1, column=c.last_col + 1).coordinate}"
                expected.add(rng)
            if c.kind in ("text", "longtext") or c.value is None:
                assert (top_left.value or "") == c.text, (ws.title, top_left.coordinate)
            ruled = c.border and c.role not in ("title", "subtitle", "note")
            for r in range(c.row + 1, c.last_row + 2):
                for k in range(c.col + 1, c.last_col + 2):
                    sides = stored.get((r, k), [None] * 4)
                    if ruled:
                        assert sides == ["thin"] * 4, (ws.title, r, k)
                    else:
                        assert sides == [None] * 4, (ws.title, r, k)
        assert merged == expected, ws.title
    assert checked >= 1
    ws = wb.worksheets[1]  # first project
    assert ws["A1"].value == "项目自评表"
    assert ws["A2"].value == "（2024年度）"
    assert ws["A1"].font.name == "宋体" and ws["A1"].font.b
    assert ws["A4"].font.name == "宋体"
    assert ws["D19"].alignment.wrap_text


def test_level_cells_span_their_rows(xinjiang_doc, tmp_path):
    _, wb = _export(xinjiang_doc, tmp_path)
    ws = wb.worksheets[0]
    ranges = {str(r) for r in ws.merged_cells.ranges}
    # department: 管理效率 spans 5 rows, 数量指标 4 (see the 002 grid)
    assert "A13:A17" in ranges and "B13:B16" in ranges
    assert ws["A13"].value == "管理效率"
    # 年度总体目标 label spans its two rows, the goal texts are merged across
    assert "A10:A11" in ranges and "B11:D11" in ranges and "E11:H11" in ranges


def test_number_formats(henan_doc, xinjiang_doc, tmp_path):
    _, wb = _export(xinjiang_doc, tmp_path)
    ws = wb.worksheets[0]
    assert ws["C6"].value == pytest.approx(3977.09) and ws["C6"].number_format == "#,##0.00"
    assert ws["G6"].value == pytest.approx(0.9799) and ws["G6"].number_format == "0.00%"
    assert ws["H6"].value == pytest.approx(9.8) and ws["H6"].number_format == "0.00"
    # 分值 as the forms print it (General: 20, 2.5), a number in every row
    assert ws["G13"].value == 20 and ws["G13"].number_format == "General" and ws["G13"].data_type == "n"
    total = ws["H18"]
    assert total.data_type == "n" and total.value == pytest.approx(99.8)  # a figure, never a formula
    summary = wb["汇总表"]
    for row in summary.iter_rows():
        for c in row:
            assert c.data_type != "f"
    _, wb = _export(henan_doc, tmp_path, "h.xlsx")
    ws = wb.worksheets[1]  # 河南 project: "执行率 %" header, percentage numbers
    assert ws["I6"].value == "执行率 %"
    assert ws["I7"].value == pytest.approx(28.25) and ws["I7"].number_format == "0.00"
    assert ws["J7"].value == pytest.approx(2.83) and ws["J7"].number_format == "0.00"


def test_print_setup(xinjiang_doc, tmp_path):
    _, wb = _export(xinjiang_doc, tmp_path)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.orientation == ("landscape" if ws.title == "汇总表" else "portrait")
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight in (0, 1)
        assert ws.print_options.horizontalCentered
        assert ws.print_title_rows
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert ws.page_margins.left >= 0.3
    ws = wb.worksheets[0]
    assert ws.print_title_rows == "$12:$12"  # the indicator header row
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for label in ("单位负责人：", "财务负责人：", "填表人：", "填报日期："):
        assert label in texts
    assert any(t.startswith("填报单位（盖章）：乌鲁木齐市科学技术局") for t in texts)


def test_row_heights_show_long_text(xinjiang_doc, tmp_path):
    doc = xinjiang_doc
    long_reason = "由于项目实施过程中受多种因素影响，" * 12
    doc.projects[0].indicators[0].set("偏差原因分析及改进措施", long_reason)
    _, wb = _export(doc, tmp_path)
    ws = wb.worksheets[1]
    cell = next(c for r in ws.iter_rows() for c in r if c.value == long_reason)
    width_mm = ws.column_dimensions[cell.column_letter].width * EXCEL_CHAR_PT * 25.4 / 72
    lines = wrap_text(long_reason, width_mm - 2 * PAD_X, 9)
    assert len(lines) >= 5
    # tall enough for every wrapped line of 9 pt text in the bundled font
    assert ws.row_dimensions[cell.row].height >= len(lines) * line_height(9) * 72 / 25.4 - 0.01


def test_one_page_forms_fit_one_page_and_longer_ones_break_where_the_pdf_does(tmp_path):
    doc = big_project_doc(indicators=60, goal_chars=200)
    short = bundle("s002_p01.json")
    doc.forms.extend(short.forms)
    out, wb = _export(doc, tmp_path)
    grids = document_grids(doc, include_summary=False)
    long_lay, short_lay = layout_grid(grids[0]), layout_grid(grids[1])
    assert len(long_lay.pages) >= 3 and len(short_lay.pages) == 1
    ws_long, ws_short = wb.worksheets[0], wb.worksheets[1]
    assert ws_short.page_setup.fitToHeight == 1 and not ws_short.row_breaks.brk
    assert ws_long.page_setup.fitToHeight == 0 and ws_long.page_setup.fitToWidth == 1
    per_page = [sum(1 for b in d.bands if not b.repeated) for d in long_lay.pages]
    expected = [sum(per_page[:k + 1]) for k in range(len(per_page) - 1)]
    assert [b.id for b in ws_long.row_breaks.brk] == expected
    assert ws_long.print_title_rows  # the indicator header repeats atop every page


def test_merged_labels_are_cut_and_repeated_at_page_breaks(tmp_path):
    doc = big_project_doc(indicators=60, goal_chars=200)
    _, wb = _export(doc, tmp_path)
    ws = wb.worksheets[0]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks
    for rng in ws.merged_cells.ranges:
        assert not any(rng.min_row <= b < rng.max_row for b in breaks), str(rng)
    level1 = column_index_from_string("B")  # 一级指标
    for b in breaks:  # the first indicator row of each continuation page names its 一级 again
        assert ws.cell(row=b + 1, column=level1).value in ("产出指标", "效益指标", "满意度指标")


def test_text_broken_over_pages_is_cut_into_pieces_that_join_back(tmp_path):
    doc = big_project_doc(indicators=3, goal_chars=6000)
    goal = doc.forms[0].texts["goals"]["预期目标"]
    out, wb = _export(doc, tmp_path)
    ws = wb.worksheets[0]
    meta = json.loads("".join(c.value for c in wb[META_SHEET]["A"][1:] if c.value))
    refs = [rec[0] for rec in meta["sheets"][0]["cells"] if rec[1] == "goals.预期目标"]
    assert len(refs) >= 2
    assert "".join(ws[r].value for r in refs) == goal
    assert any(isinstance(c.value, str) and c.value.endswith("（续）") for r in ws.iter_rows() for c in r)
    res = read_workbook(out)
    assert res.used_metadata and res.document.forms[0].texts["goals"]["预期目标"] == goal
    ws[refs[-1]] = ws[refs[-1]].value + "补充说明。"  # the officer adds to the last piece in Excel
    wb.save(out)
    res = read_workbook(out)
    assert res.document.forms[0].texts["goals"]["预期目标"] == goal + "补充说明。"


@pytest.mark.parametrize("text", INJECTIONS)
def test_typed_text_is_never_a_formula(text, tmp_path):
    doc = bundle("s002_p01.json")
    form = doc.projects[0]
    form.indicators[0].set("偏差原因分析及改进措施", text)
    form.indicators[0].set("实际完成值", text)
    form.header["主管部门"] = text
    form.texts.setdefault("goals", {})["预期目标"] = text
    out, wb = _export(doc, tmp_path)
    ws = wb.worksheets[0]
    hits = [c for r in ws.iter_rows() for c in r if c.value == text]
    assert len(hits) == 4
    for c in hits:
        assert c.data_type == "s" and isinstance(c.value, str)
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)
    # the raw XML holds no formula element at all
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name)


def test_untypable_characters_and_long_text(tmp_path):
    doc = bundle("s002_p01.json")
    doc.projects[0].indicators[0].set("偏差原因分析及改进措施", "a\x00b\x07c\x1fd")
    doc.projects[0].texts.setdefault("goals", {})["实际完成情况"] = "长" * 40000
    _, wb = _export(doc, tmp_path)
    values = [c.value for r in wb.worksheets[0].iter_rows() for c in r]
    assert "abcd" in values
    # broken over the printed pages like the PDF: every piece within Excel's limits, nothing lost
    pieces = [v for v in values if isinstance(v, str) and v and set(v) == {"长"}]
    assert "".join(pieces) == "长" * 40000 and all(len(v) <= 32767 for v in pieces)


def test_sheet_names_are_legal_and_unique():
    assert clean_sheet_name("a/b\\c[d]e:f*g?h") == "a_b_c_d_e_f_g_h"
    assert len(clean_sheet_name("项" * 40)) == 31
    assert clean_sheet_name("'x'") == "x"
    assert clean_sheet_name("History") != "History"
    names = unique_sheet_names(["项目" * 20, "项目" * 20, "A", "a", "", "_jixiao_data"])
    assert len(set(n.lower() for n in names)) == 6
    assert all(0 < len(n) <= 31 for n in names)
    assert "_jixiao_data" not in names


def test_duplicate_and_odd_project_names(tmp_path):
    doc = new_document("national", "测试单位", 2024, projects=3)
    doc.projects[0].header["项目名称"] = "科研/经费:[2024]*?"
    doc.projects[1].header["项目名称"] = "科研/经费:[2024]*?"
    doc.projects[2].header["项目名称"] = "非常长的项目名称" * 6
    _, wb = _export(doc, tmp_path)
    titles = [ws.title for ws in wb.worksheets]
    assert titles[1] == "科研_经费__2024___"
    assert titles[2] == "科研_经费__2024___(2)"
    assert len(titles[3]) == 31


def test_empty_new_document_exports(tmp_path):
    for tid in ("national", "xinjiang", "xinjiang-karamay", "henan"):
        doc = new_document(tid, "单位", 2025, projects=1)
        _, wb = _export(doc, tmp_path, f"{tid}.xlsx")
        assert wb.worksheets[0]["A2"].value == "（2025年度）"


def test_failed_export_leaves_no_file(tmp_path, monkeypatch):
    doc = bundle("s002_p01.json")
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"old content")

    def boom(fd):
        raise OSError(28, "No space left on device")  # the disk fills while the export is written

    import jixiao.core.fileio as fileio

    monkeypatch.setattr(fileio.os, "fsync", boom)
    with pytest.raises(DocumentError) as ei:
        write_workbook(doc, out)
    assert "磁盘空间已满" in str(ei.value)
    assert out.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_export_errors_are_chinese(tmp_path):
    doc = bundle("s002_p01.json")
    with pytest.raises(DocumentError, match="不存在"):
        write_workbook(doc, tmp_path / "missing" / "x.xlsx")
    if os.name == "posix" and os.geteuid() != 0:
        ro = tmp_path / "ro.xlsx"
        ro.write_bytes(b"x")
        ro.chmod(0o444)
        with pytest.raises(DocumentError):
            write_workbook(doc, ro)
