"""The grid model alone: Qt's model tester, spans, roles, clipboard format."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from jixiao.core.fileio import load_document
from jixiao.core.validation import validate_document
from jixiao.gui.clipboard import parse_tsv, to_tsv
from jixiao.gui.grid_model import CellRole, GridModel
from jixiao.gui.session import SUMMARY_ID, DocumentSession

from .conftest import SEEDS


def _doc():
    doc = load_document(SEEDS / "s002_department.json")
    for name in ("s002_p01.json", "s002_p02.json", "s002_p03.json"):
        doc.forms.extend(load_document(SEEDS / name).forms)
    return doc


def _forms():
    return ["dept", "p1", "p2", "summary", "henan-dept", "henan-project"]


@pytest.mark.parametrize("which", _forms())
def test_qtmodeltester(app, qtmodeltester, which):
    if which.startswith("henan"):
        doc = load_document(SEEDS / "s004_department.json")
        doc.forms.extend(load_document(SEEDS / "s004_p_dangjian_dangwu.json").forms)
        fid = doc.forms[0 if which == "henan-dept" else 1].id
    else:
        doc = _doc()
        fid = {"dept": doc.forms[0].id, "p1": doc.forms[1].id, "p2": doc.forms[2].id, "summary": SUMMARY_ID}[which]
    session = DocumentSession(doc)
    model = GridModel(session, )
    model.set_form(fid)
    assert model.rowCount() > 5
    qtmodeltester.check(model, force_py=True)
    # edits keep the model consistent while the tester watches
    if fid != SUMMARY_ID:
        session.set_values(fid, [("funds.年度资金总额.全年执行数" if which != "henan-dept" else "总分", "12")])
        model.refresh()


def test_roles_and_flags(app):
    session = DocumentSession(load_document(SEEDS / "s002_p01.json"))
    model = GridModel(session)
    title = model.index(0, 0)
    assert model.data(title) == "项目支出绩效自评表"
    assert not model.flags(title) & Qt.ItemFlag.ItemIsEditable
    c = model.cell_by_path("funds.年度资金总额.全年预算数")
    idx = model.index(c.row, c.col)
    assert model.flags(idx) & Qt.ItemFlag.ItemIsEditable
    assert model.data(idx) == "30.00"
    assert model.data(idx, CellRole) is c
    # a covered position of a merged cell maps to the merged cell
    merged = next(x for x in model.grid.cells if x.rowspan > 1 and x.path)
    assert model.data(model.index(merged.row + 1, merged.col)) == merged.text
    # a summary grid is read-only
    model.set_form(SUMMARY_ID)
    assert all(not model.flags(model.index(r, k)) & Qt.ItemFlag.ItemIsEditable
               for r in range(model.rowCount()) for k in range(model.columnCount()))


def test_cached_findings_equal_validate_document(app):
    doc = _doc()
    dup = doc.forms[1].clone()
    doc.forms.append(dup)  # same project name twice → duplicate-name
    session = DocumentSession(doc)
    assert session.findings == validate_document(doc)
    session.set_values(doc.forms[1].id, [("funds.年度资金总额.全年执行数", "1")])
    assert session.findings == validate_document(doc)


def test_clipboard_roundtrip():
    rows = [["a", "b\tc", 'say "hi"'], ["多行\n文本", "", "3,628.92"]]
    assert parse_tsv(to_tsv(rows)) == rows
    assert parse_tsv("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]
    assert parse_tsv('"x\r\ny"\tz') == [["x\ny", "z"]]
    assert parse_tsv("") == []


def test_one_line_shortcut_gives_the_delegates_row_heights(app, qtbot, monkeypatch):
    """Row heights skip the delegate's text layout for text that plainly fits on one
    line; every row of both bundled examples must come out as the full layout makes it."""
    from jixiao.gui import grid_view
    from jixiao.gui.main_window import MainWindow
    from jixiao.resources import resource_dir

    def heights(slack: int) -> list[list[int]]:
        monkeypatch.setattr(grid_view, "_FITS_SLACK", slack)
        out = []
        for path in sorted((resource_dir() / "examples").glob("*.jxzp")):
            w = MainWindow(persist=False)
            qtbot.addWidget(w)
            w.resize(1400, 900)
            w.show()
            w.set_document(load_document(path), None)
            for fid in [f.id for f in w.session.doc.forms] + [SUMMARY_ID]:
                w.show_form(fid)
                app.processEvents()
                out.append([w.view.rowHeight(r) for r in range(w.model.rowCount())])
            w.close()
        return out

    fast, full = heights(grid_view._FITS_SLACK), heights(10**9)  # 10**9: the delegate for every cell
    assert sum(len(rows) for rows in full) > 800
    assert fast == full
    assert any(h > min(rows) for rows in full for h in rows)  # some rows do wrap


def test_one_line_shortcut_refuses_line_breaks_and_borrowed_glyphs(app):
    from PySide6.QtGui import QRawFont

    from jixiao.gui import style
    from jixiao.gui.grid_view import GridView

    raw = QRawFont.fromFont(style.app_font())
    assert GridView._plain_line("项目支出绩效自评表 2024", raw)
    for text in ("第一行\n第二行", "第一行\u2028第二行", "a\rb", "满意度😀"):  # no emoji in AR PL UMing
        assert not GridView._plain_line(text, raw), repr(text)
