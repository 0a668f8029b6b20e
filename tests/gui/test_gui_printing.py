"""打印预览 / 打印 draw the PDF writer's page plan."""

from __future__ import annotations

import pytest
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget

from jixiao.core.fileio import load_document

from .conftest import SEEDS

plan = pytest.importorskip("jixiao.pdf.plan")


def _doc():
    doc = load_document(SEEDS / "s002_department.json")
    doc.forms.extend(load_document(SEEDS / "s002_p01.json").forms)
    return doc


def test_render_pages_matches_plan(app, tmp_path):
    from pypdf import PdfReader

    from jixiao.gui.printing import plan_pages, render_pages

    doc = _doc()
    pages = plan_pages(doc)
    out = tmp_path / "qt.pdf"
    pr = QPrinter(QPrinter.PrinterMode.HighResolution)
    pr.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    pr.setOutputFileName(str(out))
    render_pages(pr, pages)
    reader = PdfReader(str(out))
    assert len(reader.pages) == len(pages)
    for page, pdf_page in zip(pages, reader.pages, strict=True):
        w_mm = float(pdf_page.mediabox.width) * 25.4 / 72
        h_mm = float(pdf_page.mediabox.height) * 25.4 / 72
        assert abs(w_mm - page.width) < 1.5 and abs(h_mm - page.height) < 1.5
    assert len(reader.pages[0].get_contents().get_data()) > 10_000  # glyph outlines and rules were drawn


def test_preview_dialog_shows_every_page(window, monkeypatch):
    from jixiao.gui.printing import plan_pages

    n = len(plan_pages(window.session.doc))
    seen = []

    def fake_exec(self):
        wid = self.findChild(QPrintPreviewWidget)
        wid.updatePreview()
        seen.append(wid.pageCount())
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    window.transfer.print_preview()
    assert seen == [n]


def test_em_size_memo_follows_the_font_not_its_id(app):
    """Issue 13 point 11: fonts created and dropped one after another reuse the same id();
    the em size must follow each font's size, or the preview scales text wrongly."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QFont, QPainterPath

    from jixiao.gui import printing, style

    family = style.load_bundled_font()
    widths = []
    for size in (9.0, 16.0, 11.0, 7.2, 9.0):
        font = QFont(family)
        font.setPointSizeF(size)
        path = QPainterPath()
        path.addText(QPointF(0, 0), font, "中" * 10)
        widths.append(path.boundingRect().width() / printing._em_units(font))  # in ems: the same at every size
        del font, path
    assert 9.5 < widths[0] <= 10 and max(widths) - min(widths) < 0.01, widths


def _example():
    from jixiao.core.fileio import load_document
    from jixiao.resources import resource_path

    return load_document(next(resource_path("examples").glob("乌鲁木齐*.jxzp")))


def test_fit_to_page_is_the_default_and_actual_size_is_a_choice():
    from jixiao.gui.printing import plan_pages

    doc = _example()
    fit, actual = plan_pages(doc), plan_pages(doc, fit=False)
    assert len(fit) < len(actual)
    assert min(p.scale for p in fit) < 1.0 and all(p.scale == 1.0 for p in actual)


def test_preview_switches_to_actual_size(app, monkeypatch):
    from PySide6.QtWidgets import QComboBox

    from jixiao.gui.printing import plan_pages, preview_document

    doc = _example()
    counts = []

    def fake_exec(self):
        wid = self.findChild(QPrintPreviewWidget)
        wid.updatePreview()
        counts.append(wid.pageCount())
        box = self.findChild(QComboBox, "printScale")
        box.setCurrentIndex(box.findText("实际大小"))
        counts.append(wid.pageCount())
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    preview_document(None, doc)
    assert counts == [len(plan_pages(doc)), len(plan_pages(doc, fit=False))]


def test_print_dialog_offers_actual_size(app, monkeypatch):
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QRadioButton

    from jixiao.gui import printing

    doc = _example()
    printed = []

    def fake_exec(self):
        tab = self.optionTabs()[0] if hasattr(self, "optionTabs") else None
        buttons = (tab or self).findChildren(QRadioButton)
        next(b for b in buttons if b.text().startswith("实际大小")).setChecked(True)
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    monkeypatch.setattr(QPrintDialog, "setOptionTabs", lambda self, tabs: setattr(self, "_tabs", tabs))
    monkeypatch.setattr(QPrintDialog, "optionTabs", lambda self: self._tabs, raising=False)
    monkeypatch.setattr(printing, "render_pages", lambda printer, pages: printed.append(pages))
    printing.print_document(None, doc)
    assert printed and all(p.scale == 1.0 for p in printed[0])
