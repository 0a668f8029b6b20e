"""Starting the app: no display, --screenshot, the first-paint hook."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtGui import QImage

from .conftest import SEEDS


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(extra)
    return env


def test_no_display_message():
    r = subprocess.run([sys.executable, "-m", "jixiao", "gui"], env=_env(), capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 3 and r.stdout == ""  # the message is an error: standard error
    assert "没有可用的图形显示" in r.stderr
    assert "no display available" in r.stderr
    assert "xvfb-run -a jixiao" in r.stderr and "--screenshot" in r.stderr


def test_no_arguments_is_gui_without_display():
    r = subprocess.run([sys.executable, "-m", "jixiao"], env=_env(), capture_output=True, text=True, timeout=60)
    assert r.returncode == 3 and "xvfb-run" in r.stderr


def test_screenshot(tmp_path):
    out = tmp_path / "shot.png"
    src = tmp_path / "p.json"
    src.write_bytes((SEEDS / "s002_p03.json").read_bytes())
    r = subprocess.run([sys.executable, "-m", "jixiao", "gui", str(src), "--screenshot", str(out)], env=_env(),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    img = QImage(str(out))
    assert img.width() >= 1200 and img.height() >= 800
    assert out.stat().st_size > 30_000  # a real rendering, not an empty frame
    assert not list(tmp_path.glob(".~*.lock"))  # screenshots never lock the document


def test_screenshot_of_example(tmp_path):
    out = tmp_path / "example.png"
    r = subprocess.run([sys.executable, "-m", "jixiao", "gui", "--screenshot", str(out)], env=_env(),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert QImage(str(out)).width() >= 1200


def test_first_paint_hook(tmp_path):
    env = _env(QT_QPA_PLATFORM="offscreen", JIXIAO_BENCH_FIRST_PAINT="1")
    r = subprocess.run([sys.executable, "-m", "jixiao", "gui", str(SEEDS / "s002_p01.json")], env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    window = next(x for x in lines if x.startswith("first-paint "))
    document = next(x for x in lines if x.startswith("document-shown "))
    assert lines.index(window) < lines.index(document)
    assert 0 < float(window.split()[1]) <= float(document.split()[1]) < 60
    assert not (SEEDS / ".~s002_p01.json.lock").exists()


def test_startup_trace_order(tmp_path):
    """JIXIAO_STARTUP_TRACE=1 names the start-up steps; the first window is reported
    painted before the document is opened, and the document shown after."""
    env = _env(QT_QPA_PLATFORM="offscreen", JIXIAO_BENCH_FIRST_PAINT="1", JIXIAO_STARTUP_TRACE="1")
    r = subprocess.run([sys.executable, "-m", "jixiao", "gui", str(SEEDS / "s002_p01.json")], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    assert r.returncode == 0, r.stdout
    lines = r.stdout.splitlines()

    def at(text: str) -> int:
        return next(i for i, x in enumerate(lines) if text in x)

    steps = ["QApplication, font, translations", "window modules imported", "window built", "window shown"]
    assert [at(x) for x in steps] == sorted(at(x) for x in steps)
    assert at("window shown") < at("first-paint ") < at("first paint done") < at("engine imported")
    assert at("engine imported") < at("document opened") < at("document-shown ")
    ms = [float(x.split()[1]) for x in lines if x.startswith("startup ")]
    assert ms == sorted(ms) and ms[-1] < 60_000


# What the first window may import: Qt, the widgets and the generic grid; the
# engine, file handling and dialogs come with the document, after the first paint.
ENGINE_MODULES = {"jixiao.core.model", "jixiao.core.templates", "jixiao.core.scoring", "jixiao.core.validation",
                  "jixiao.core.layout", "jixiao.core.fileio", "jixiao.core.recovery", "jixiao.gui.session",
                  "jixiao.gui.dialogs", "jixiao.gui.locking", "jixiao.gui.commands", "jixiao.gui.editing"}

FIRST_WINDOW = """
import sys
from jixiao.cli import build_parser
build_parser().parse_args(["gui"])
from jixiao.gui.app import create_app
app = create_app()
from jixiao.gui.main_window import MainWindow
w = MainWindow(persist=False)
w.show_opening("x.jxzp")
w.show()
app.processEvents()
print(" ".join(sorted(m for m in sys.modules if m.startswith("jixiao"))))
"""


def test_first_window_needs_no_engine():
    """The window is drawn before the engine is imported (start-up time target, issue 6)."""
    r = subprocess.run([sys.executable, "-c", FIRST_WINDOW], env=_env(QT_QPA_PLATFORM="offscreen"),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    loaded = set(r.stdout.split())
    assert "jixiao.gui.main_window" in loaded and "jixiao.core.grid" in loaded
    assert not loaded & ENGINE_MODULES, sorted(loaded & ENGINE_MODULES)


def test_trace_without_stderr(monkeypatch):
    """The windowed Windows build has no stderr: tracing must not break the start."""
    from jixiao.gui import app as app_mod

    monkeypatch.setattr(app_mod, "_TRACE", True)
    monkeypatch.setattr(sys, "stderr", None)
    app_mod.trace("window shown")  # no AttributeError
