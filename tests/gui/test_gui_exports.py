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
