"""The exported workbook printed by LibreOffice: every form on as many A4 pages as
the PDF prints it on (both bundled examples and a generated 30-project document),
the form on the page, never the hidden helper sheet.

LibreOffice is a test dependency (scripts/setup-test.sh installs it): on a machine
that script set up these tests fail without it, elsewhere they are skipped.
scripts/render_xlsx.py renders workbooks to PNG for a person to look at."""

from __future__ import annotations

import re
import subprocess

import pytest

from jixiao.excel.writer import sheet_names_for, write_workbook
from jixiao.pdf.plan import document_layouts
from tests.excel.libreoffice import pages_per_sheet, print_workbooks, require_libreoffice
from tests.pdf.test_pages import NAMES, documents


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    require_libreoffice()
    folder = tmp_path_factory.mktemp("lo")
    docs = dict(documents())
    xlsx = []
    for k, name in enumerate(NAMES):
        path = folder / f"doc{k}.xlsx"
        write_workbook(docs[name], path)
        xlsx.append(path)
    pdfs = print_workbooks(xlsx, folder / "pdf")
    return {name: (docs[name], pdf) for name, pdf in zip(NAMES, pdfs, strict=True)}


@pytest.mark.parametrize("name", NAMES)
def test_libreoffice_prints_every_form_on_the_pdfs_pages(printed, name):
    from jixiao.core.layout import document_grids

    doc, pdf = printed[name]
    lays = document_layouts(doc)
    names = sheet_names_for(doc, document_grids(doc))
    lo = pages_per_sheet(pdf)
    assert len(lo) == len(lays)  # every visible sheet, and not the hidden helper sheet
    wrong = [(sheet, lo.get(sheet), len(lay.pages)) for sheet, lay in zip(names, lays, strict=True)
             if lo.get(sheet) != len(lay.pages)]
    assert not wrong, wrong


def test_printout_is_a4_and_shows_the_form(printed):
    doc, pdf = printed[next(n for n in NAMES if "乌鲁木齐" in n)]
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    sizes = [line for line in info.splitlines() if line.startswith("Page") and "size" in line]
    forms = sum(len(lay.pages) for lay in document_layouts(doc)[:-1])
    assert len(sizes) > forms
    for k, s in enumerate(sizes):  # the forms on A4 portrait, as the official forms are printed; the 汇总表 landscape
        w, h = (float(v) for v in s.split(":", 1)[1].split("pts")[0].split(" x "))
        assert max(abs(w - 595.28), abs(h - 841.89)) < 1 if k < forms else max(abs(w - 841.89), abs(h - 595.28)) < 1, s
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "部门整体支出绩效自评表" in text and "项目支出绩效自评表" in text
    assert re.search(r"第\s*1\s*页\s*共\s*\d+\s*页", text)
    assert "单位负责人" in text and doc.unit in text.replace(" ", "")
    assert "jixiao-xlsx" not in text and "template_snapshot" not in text  # the helper sheet is not printed
