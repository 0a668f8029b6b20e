from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
