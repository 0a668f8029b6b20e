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
