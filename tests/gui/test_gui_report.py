"""文件 › 生成自评报告: the dialog previews the report's pages and writes the Word and PDF files."""

from __future__ import annotations

import shutil

import docx
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMenu

from jixiao.gui import dialogs
from jixiao.gui.report_dialog import ReportDialog

from ..core.selfreport_support import URUMQI


def _open_example(window, tmp_path):
    path = tmp_path / URUMQI.name
    shutil.copy(URUMQI, path)
    assert window.open_file(path, ask_save=False)
    return path


def test_the_file_menu_offers_the_report(window):
    file_menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "文件(&F)")
    assert window.a_report in file_menu.actions()
    assert window.a_report.isEnabled() and window.a_report.text().startswith("生成自评报告")


def test_preview_shows_and_files_are_written(window, tmp_path, monkeypatch, qtbot):
    _open_example(window, tmp_path)
    seen: dict[str, object] = {}
    answers = iter([(str(tmp_path / "部门报告.docx"), ""), (str(tmp_path / "部门报告.pdf"), "")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: next(answers))

    def fake_exec(self: ReportDialog) -> int:
        self.show()
        qtbot.waitExposed(self)
        qtbot.waitUntil(lambda: self.preview.rendered > 0)  # the first page painted on screen
        seen["image"] = self.preview.render(0, self.preview.sheet_size(0))
        seen["kind"] = self.kind
        seen["pages"] = self.page_count()
        seen["info"] = self.info.text()
        assert self.save_word() and self.save_pdf()
        # a project report of one project: fewer pages, still previewed
        self.kind_buttons["project"].setChecked(True)
        self.projects.item(0).setCheckState(Qt.CheckState.Unchecked)
        self.refresh()
        seen["one-less"] = self.page_count()
        self._check_all(Qt.CheckState.Unchecked)
        seen["none"] = (self.report, self.save_word_button.isEnabled(), self.info.text())
        return 0

    monkeypatch.setattr(ReportDialog, "exec", fake_exec)
    window.a_report.trigger()
    assert seen["kind"] == "department" and seen["pages"] > 5
    assert "【请补充：…】处" in seen["info"]
    image = seen["image"]
    dark = sum(1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
               if image.pixelColor(x, y).lightness() < 128)
    assert dark > 200  # the title and the text were drawn
    d = docx.Document(str(tmp_path / "部门报告.docx"))
    assert d.paragraphs[0].text == "乌鲁木齐市科学技术局"
    assert any(t.cell(1, 0).text == "年度总资金" for t in d.tables)
    assert len(PdfReader(str(tmp_path / "部门报告.pdf")).pages) == seen["pages"]
    assert seen["one-less"] > 0
    report, enabled, info = seen["none"]
    assert report is None and not enabled and "没有选中任何项目" in info
    assert "已保存" in window.statusBar().currentMessage()


def test_a_failed_save_is_explained_and_nothing_is_lost(window, tmp_path, monkeypatch):
    _open_example(window, tmp_path)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text, *a, **k: shown.append((title, text)))
    result = {}

    def fake_exec(self: ReportDialog) -> int:
        result["ok"] = self.save_word(str(tmp_path / "不存在的文件夹" / "r.docx"))
        return 0

    monkeypatch.setattr(ReportDialog, "exec", fake_exec)
    before = window.session.doc.department.texts["goals"]["预期目标"]
    window.a_report.trigger()
    assert result["ok"] is False and shown and shown[0][0] == "保存失败" and "不存在" in shown[0][1]
    assert window.session.doc.department.texts["goals"]["预期目标"] == before
    assert not window.session.is_modified
