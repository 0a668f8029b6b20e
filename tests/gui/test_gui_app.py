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
    assert r.returncode == 3
    assert "没有可用的图形显示" in r.stdout
    assert "no display available" in r.stdout
    assert "xvfb-run -a jixiao" in r.stdout and "--screenshot" in r.stdout


def test_no_arguments_is_gui_without_display():
    r = subprocess.run([sys.executable, "-m", "jixiao"], env=_env(), capture_output=True, text=True, timeout=60)
    assert r.returncode == 3 and "xvfb-run" in r.stdout


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
    line = next(x for x in r.stdout.splitlines() if x.startswith("first-paint "))
    assert 0 < float(line.split()[1]) < 60
    assert not (SEEDS / ".~s002_p01.json.lock").exists()
