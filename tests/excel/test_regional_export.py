"""The 四川 and 重庆 templates exported to Excel: every typed value is on the sheet, and the workbook
reads back as the same document."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from jixiao.core.figures import parse_decimal
from jixiao.core.interchange import document_to_json
from jixiao.core.model import Document, iter_paths, new_document
from jixiao.excel.reader import read_workbook
from jixiao.excel.writer import write_workbook
from tests.core.regional import ODD, chongqing_document, fill_with_odd_values, sichuan_document


def sheet_values(path: Path) -> tuple[set[str], set[Decimal]]:
    texts: set[str] = set()
    numbers: set[Decimal] = set()
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    texts.add(c.value)
                elif isinstance(c.value, (int, float, Decimal)) and not isinstance(c.value, bool):
                    numbers.add(Decimal(str(c.value)).normalize())
    return texts, numbers


def typed_values(doc: Document) -> list[tuple[str, str]]:
    out = []
    for form in doc.forms:
        fd = doc.template.form(form.kind)
        for path in iter_paths(form, fd):
            v = form.get(path)
            if v:
                out.append((path, v))
    return out


@pytest.mark.parametrize("make", [sichuan_document, chongqing_document], ids=["sichuan", "chongqing"])
def test_every_typed_value_is_in_the_workbook(make, tmp_path):
    doc = make()
    out = tmp_path / "a.xlsx"
    write_workbook(doc, out)
    texts, numbers = sheet_values(out)
    typed = typed_values(doc)
    assert len(typed) > 30
    for path, v in typed:
        if v in texts:
            continue
        d = parse_decimal(v, allow_percent=True)
        assert d is not None, (path, v)
        assert d.normalize() in numbers or (d / 100).normalize() in numbers, (path, v)
    for label, name in doc.signoff.items():
        assert f"{label}：{name}" in texts


@pytest.mark.parametrize("make", [sichuan_document, chongqing_document, lambda: new_document("sichuan", "u", 2024),
                                  lambda: new_document("chongqing", "u", 2024)],
                         ids=["sichuan", "chongqing", "sichuan-new", "chongqing-new"])
def test_workbook_reads_back_as_the_same_document(make, tmp_path):
    doc = make()
    a = tmp_path / "a.xlsx"
    write_workbook(doc, a)
    res = read_workbook(a)
    assert res.problems == [] and res.used_metadata and res.template_id == doc.template_id
    assert document_to_json(res.document, native=True) == document_to_json(doc, native=True)


def test_sichuan_sheet_looks_like_the_form(tmp_path):
    doc = sichuan_document()
    out = tmp_path / "sc.xlsx"
    write_workbook(doc, out)
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    merged = {str(r): r for r in ws.merged_cells.ranges}
    reason = next(c for row in ws.iter_rows() for c in row if c.value == "年中追加预算3.36万元用于购买安可设备。")
    rng = next(r for r in merged.values() if reason.coordinate in r)
    assert rng.max_row - rng.min_row == 4  # one cell over 总额 … 其他资金
    labels = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"预算执行情况(10分)", "年度预算数(万元)", "调整后预算数", "绩效指标(90分)", "未完成原因分析", "合计",
            "评价结论", "存在问题", "改进措施", "报表编号：510000_0013zp"} <= labels


@pytest.mark.parametrize("make", [sichuan_document, chongqing_document], ids=["sichuan", "chongqing"])
def test_odd_values_export_and_read_back(make, tmp_path):
    from jixiao.pdf.writer import write_pdf

    # (a cell holding only spaces or a line break reads back empty, as in every template)
    doc = fill_with_odd_values(make(), [v for v in ODD if v.strip()])
    a = tmp_path / "odd.xlsx"
    write_workbook(doc, a)
    res = read_workbook(a)
    assert document_to_json(res.document, native=True) == document_to_json(doc, native=True)
    write_pdf(doc, tmp_path / "odd.pdf")
    assert (tmp_path / "odd.pdf").read_bytes().startswith(b"%PDF")
