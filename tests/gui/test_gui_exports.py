"""导出Excel, 导出PDF, 从Excel导入 and 关于 from the window's menus, as an officer uses them."""

from __future__ import annotations

import openpyxl
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog

from jixiao import __version__
from jixiao.gui import dialogs


def test_export_excel_and_pdf_from_the_menu(window, tmp_path, monkeypatch):
    w = window
    xlsx, pdf = tmp_path / "出口.xlsx", tmp_path / "出口.pdf"
    answers = iter([(str(xlsx), ""), (str(pdf), "")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: next(answers))
    w.a_export_xlsx.trigger()
    w.a_export_pdf.trigger()
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames[0].startswith("2023年乌鲁木齐国家农业科技园区")
    assert "汇总表" in wb.sheetnames
    reader = PdfReader(str(pdf))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "项目支出绩效自评表" in text and "95.00" in text
    assert "已导出" in w.statusBar().currentMessage()


def test_a_failed_export_says_why_and_keeps_the_document(window, tmp_path, monkeypatch):
    w = window
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text, *a, **k: shown.append((title, text)))
    before = w.session.doc.forms[0].name
    assert not w.transfer.export_pdf(str(tmp_path / "no-such-folder" / "x.pdf"))
    assert shown and shown[0][0] == "导出PDF失败" and "不存在" in shown[0][1]
    assert w.session.doc.forms[0].name == before


def test_import_excel_from_the_menu_opens_the_workbook(window, tmp_path, monkeypatch):
    w = window
    xlsx = tmp_path / "旧表.xlsx"
    assert w.transfer.export_excel(str(xlsx))
    original = [f.name for f in w.session.doc.forms]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(xlsx), ""))
    monkeypatch.setattr(dialogs, "show_info", lambda *a, **k: None)
    assert w.transfer.import_excel()
    assert [f.name for f in w.session.doc.forms] == original
    assert w.session.is_modified  # an import is unsaved until saved as .jxzp
    assert "*" in w.windowTitle()


def test_importing_a_bad_file_shows_a_chinese_error(window, tmp_path, monkeypatch):
    w = window
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text, *a, **k: shown.append((title, text)))
    doc_before = w.session.doc
    assert not w.transfer.import_excel(str(bad))
    assert shown and shown[0][0] == "导入失败" and "坏.xlsx" in shown[0][1]
    assert w.session.doc is doc_before


def test_about_shows_the_version(window, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text, *a, **k: shown.append(text))
    window.a_about.trigger()
    assert shown and __version__ in shown[0]


def test_export_with_problems_offers_view_or_export_anyway(new_window, tmp_path, monkeypatch):
    """Before export/print: a summary (N 错误, N 待填) with 查看 / 仍然导出; from then on what is
    still empty shows as an error."""
    w = new_window
    w.edit_cell("funds.年度资金总额.全年预算数", "100")
    w.edit_cell("funds.当年财政拨款.全年预算数", "80")  # 100 ≠ 80: one contradiction
    asked: list[tuple] = []
    answer = {"v": "view"}

    def prompt(parent, verb, errors, pending):
        asked.append((verb, errors, pending))
        return answer["v"]

    monkeypatch.setattr(w, "export_prompt", prompt)
    out = tmp_path / "a.xlsx"
    assert not w.transfer.export_excel(str(out))
    assert not out.exists()
    verb, errors, pending = asked[0]
    assert verb == "导出" and errors == 1 and pending > 0
    # 查看: the most serious finding is shown, and the still-empty cells are errors now
    assert w.view.current_cell().path == "funds.年度资金总额.全年预算数"
    assert w.session.strict and w.session.tally()["pending"] == 0
    answer["v"] = "go"
    assert w.transfer.export_excel(str(out)) and out.exists()
    answer["v"] = "cancel"
    assert not w.transfer.export_pdf(str(tmp_path / "a.pdf"))
    assert not (tmp_path / "a.pdf").exists()


def test_warnings_alone_export_without_asking(window, tmp_path, monkeypatch):
    w = window
    assert w.edit_cell("header.主管部门", "主管部门")  # a heading typed as the value: a warning
    assert {f.severity for f in w.session.findings} == {"warning"}  # s002_p01 has no other finding
    asked: list = []
    monkeypatch.setattr(w, "export_prompt", lambda *a: asked.append(a) or "cancel")
    assert w.transfer.export_pdf(str(tmp_path / "b.pdf"))
    assert not asked and (tmp_path / "b.pdf").exists()


def test_an_officers_workbook_imports_with_its_template_named_and_extras_on_screen(window, tmp_path, monkeypatch):
    from tests.excel import officer_forms
    from tests.excel.test_reader_layouts import write_rows

    w = window
    book = write_rows(tmp_path / "云南.xlsx", {"慰问": officer_forms.yunnan_rows()})
    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text, detail="":
                        shown.append((title, text, detail)))
    assert w.transfer.import_excel(str(book))
    title, text, detail = shown[0]
    assert title == "导入完成" and "按表格中的标签判断为“全国通用”模板（national）" in text
    assert "“项目类别”" in detail and "附加内容" in detail
    texts = {c.text for c in w.model.grid.cells}
    assert {"附加内容", "项目类别", "自评等级", "优", "备注"} <= texts
    assert w.session.doc.forms[0].funds["年度资金总额"]["分值"] == "20"
