from __future__ import annotations

import pytest

from tests.reliability.support import FIGURES


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001
    if FIGURES:
        terminalreporter.section("reliability figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture
def gui_window(qapp, qtbot, monkeypatch):
    """A window (no settings, no locks) on a new xinjiang document of two projects;
    error and info dialogs are recorded in ``window.shown`` instead of blocking."""
    from jixiao.core.model import new_document
    from jixiao.gui import dialogs
    from jixiao.gui.app import create_app
    from jixiao.gui.main_window import MainWindow

    create_app()
    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: shown.append(("error", title, text)))
    monkeypatch.setattr(dialogs, "show_info",
                        lambda parent, title, text, details="": shown.append(("info", title, text + details)))
    w = MainWindow(persist=False)
    w.shown = shown
    qtbot.addWidget(w)
    w.set_document(new_document("xinjiang", "某某县科技局", 2024, projects=2), None, untitled_name="新文件")
    w.show_form(w.session.doc.projects[0].id)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.shutdown()
