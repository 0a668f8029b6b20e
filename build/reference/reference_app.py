"""The bare PySide6 floor: one empty QMainWindow, frozen like jixiao.

build/build.py freezes this with build/reference/reference.spec (PyInstaller's
default PySide6 collection, onedir, same PyInstaller options as installer.spec)
and compares its size and time to first window with the real app.

With JIXIAO_BENCH_FIRST_PAINT=1 it prints ``first-paint <seconds>`` (seconds
since the interpreter started running this script) once the window's first
paint has finished, and quits: the same marker, timed the same way, as the
real app prints.
"""

import os
import sys
import time

T0 = time.perf_counter()

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow  # noqa: E402


class _FirstPaint(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self._app = app
        self._done = False

    def eventFilter(self, obj, event):  # noqa: N802 (Qt naming)
        if not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            QTimer.singleShot(0, self._report)  # once this paint has finished, as jixiao reports
        return False

    def _report(self) -> None:
        print(f"first-paint {time.perf_counter() - T0:.4f}", flush=True)
        self._app.quit()


def main() -> int:
    app = QApplication(sys.argv)
    win = QMainWindow()
    win.setWindowTitle("reference")
    win.setCentralWidget(QLabel("PySide6"))
    win.resize(1400, 900)  # jixiao's default window size (and bench/bare_window.py's): the same pixels to paint
    if os.environ.get("JIXIAO_BENCH_FIRST_PAINT") == "1":
        watcher = _FirstPaint(app)
        win.installEventFilter(watcher)
    win.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
