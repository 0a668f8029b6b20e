from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"


@pytest.fixture
def app(qapp):
    from jixiao.gui.app import create_app

    return create_app()


@pytest.fixture
def seed_copy(tmp_path):
    """Copy a seed into a temp folder (opening a file writes a lock file beside it)."""

    def make(name: str = "s002_p01.json") -> Path:
        dst = tmp_path / name
        shutil.copy(SEEDS / name, dst)
        return dst

    return make


@pytest.fixture
def window(app, qtbot, seed_copy, monkeypatch):
    from jixiao.gui import dialogs
    from jixiao.gui.main_window import MainWindow

    # pytest-qt closes the window before fixtures are torn down: never block on the save prompt
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    # the seeds have findings: export and print go ahead (tests of the prompt replace it)
    monkeypatch.setattr(MainWindow, "export_prompt", staticmethod(lambda *a: "go"))

    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_file(seed_copy("s002_p01.json"), ask_save=False)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.shutdown()


def cell_index(w, path: str):
    c = w.model.cell_by_path(path)
    assert c is not None, path
    return w.model.index(c.row, c.col)


def open_editor(qtbot, w, path: str):
    """Select the cell at ``path`` and press F2, as an officer opens its editor; the editor."""
    w.view.setFocus()
    w.view.set_current(cell_index(w, path))
    qtbot.keyClick(w.view, Qt.Key.Key_F2)
    return w.view.focusWidget()


def _unsaved_window(qtbot, monkeypatch, doc, name: str, *, size: tuple[int, int] | None = (1400, 900),
                    activate: bool = True):
    """A window on ``doc`` as a new, unsaved document; closing it never asks to save."""
    from jixiao.gui import dialogs
    from jixiao.gui.main_window import MainWindow

    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    w = MainWindow(persist=False)
    qtbot.addWidget(w)
    w.set_document(doc, None, untitled_name=name)
    if size is not None:
        w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    if activate:
        w.activateWindow()  # shortcuts need the active window
        qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    return w


@pytest.fixture
def new_window(app, qtbot, monkeypatch):
    """A window on a brand-new document (xinjiang: 部门整体 + 2 projects), nothing typed yet."""
    from jixiao.core.model import new_document

    w = _unsaved_window(qtbot, monkeypatch, new_document("xinjiang", "某某县财政局", 2024, projects=2), "新文件",
                        activate=False)
    w.show_form(w.session.doc.projects[0].id)
    w.activateWindow()  # shortcuts need the active window
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    yield w
    w.shutdown()


def project_window(app, qtbot, doc_names: list[str], monkeypatch):
    """A window on several seed forms merged into one document."""
    from jixiao.core.fileio import load_document

    doc = load_document(SEEDS / doc_names[0])
    for n in doc_names[1:]:
        doc.forms.extend(load_document(SEEDS / n).forms)
    return _unsaved_window(qtbot, monkeypatch, doc, "合并")


@pytest.fixture
def open_doc(app, qtbot, tmp_path, monkeypatch):
    """``open_doc(doc)``: a window on ``doc`` saved to a file and opened as 打开 does;
    ``open_doc(doc, saved=False)``: on ``doc`` as a new document (named 测试), at the window's
    own size. The windows are shut down after the test."""
    from jixiao.core.fileio import save_document
    from jixiao.gui import dialogs
    from jixiao.gui.main_window import MainWindow

    windows = []

    def make(doc, *, saved: bool = True):
        if not saved:
            w = _unsaved_window(qtbot, monkeypatch, doc, "测试", size=None, activate=False)
        else:
            monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
            p = tmp_path / f"{doc.template_id}.jxzp"
            save_document(doc, p)
            w = MainWindow(persist=False)
            qtbot.addWidget(w)
            assert w.open_file(p, ask_save=False)
            w.resize(1400, 900)
            w.show()
            qtbot.waitExposed(w)
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.shutdown()
