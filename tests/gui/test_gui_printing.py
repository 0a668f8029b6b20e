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


def _footer(page) -> str:
    import re

    return next(t.text for t in page.texts if re.fullmatch(r"第 \d+ 页 共 \d+ 页", t.text))


def test_preview_names_each_pages_form_and_its_own_numbering(app, monkeypatch):
    """The footers number each form on its own (as the official forms print); the tool bar counts
    every page of the job. The caption below the pages says which form the current page belongs
    to and repeats its footer's number, so the preview never contradicts itself."""
    from PySide6.QtWidgets import QLabel, QLineEdit, QToolBar

    from jixiao.gui.printing import plan_pages, preview_document

    doc = load_document(next(p for p in _examples() if "三门峡" in p.name))
    pages = plan_pages(doc)
    assert len({p.form_id for p in pages}) < len(pages)  # some form takes several pages
    seen = []

    def fake_exec(self):
        bar = self.findChild(QToolBar)
        wid = self.findChild(QPrintPreviewWidget)
        wid.updatePreview()
        caption = self.findChild(QLabel, "previewPageCaption")
        total = next(lb.text() for lb in bar.findChildren(QLabel) if lb.text().startswith("/"))
        nxt = next(a for a in bar.actions() if a.text() in ("下一页", "Next page"))
        number = next(e for e in bar.findChildren(QLineEdit) if e.text().isdigit())
        for i in range(len(pages)):
            if i:
                nxt.trigger()
                app.processEvents()
            seen.append((wid.currentPage(), number.text(), caption.text(), total, self.windowTitle()))
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    preview_document(None, doc)
    assert len(seen) == len(pages)
    names = {f.id: f.display_name() for f in doc.forms}
    for i, (current, number, caption, total, title) in enumerate(seen):
        assert current == i + 1 and number == str(i + 1) and total.replace(" ", "") == f"/{len(pages)}"
        assert caption.startswith(f"第 {i + 1} / {len(pages)} 页") and _footer(pages[i]) in caption, caption
        name = names.get(pages[i].form_id, "项目单位自评汇总表")
        assert name[:10] in caption, (caption, name)
        assert f"共 {len(pages)} 页" in title and "各表分别编页" in title


def test_form_pages_follow_the_footers():
    from jixiao.gui.printing import form_pages, plan_pages

    for path in _examples():
        pages = plan_pages(load_document(path))
        numbers = form_pages(pages)
        assert [f"第 {n} 页 共 {m} 页" for _f, n, m in numbers] == [_footer(p) for p in pages]
        assert [f for f, _n, _m in numbers] == [p.form_id for p in pages]


def _examples():
    from jixiao.resources import resource_path

    return sorted(resource_path("examples").glob("*.jxzp"))
