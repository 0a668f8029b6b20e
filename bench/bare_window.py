"""Reference for the launch benchmark: a bare PySide6 window (QApplication,
QMainWindow with an empty QTableView), timed exactly like
``JIXIAO_BENCH_FIRST_PAINT=1 jixiao gui FILE``: prints ``first-paint <seconds>``
once the window's first paint has finished, then quits."""

import time

_T0 = time.perf_counter()

import sys  # noqa: E402

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtGui import QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView  # noqa: E402


class _Hook(QObject):
    done = False

    def eventFilter(self, obj, ev):  # noqa: N802 - Qt name
        if ev.type() == QEvent.Type.Paint and not self.done:
            self.done = True

            def report():
                print(f"first-paint {time.perf_counter() - _T0:.4f}", flush=True)
                QApplication.instance().quit()

            QTimer.singleShot(0, report)
        return False


def main() -> int:
    app = QApplication(sys.argv[:1])
    w = QMainWindow()
    view = QTableView(w)
    view.setModel(QStandardItemModel(40, 9, view))
    w.setCentralWidget(view)
    w.resize(1400, 900)
    hook = _Hook(w)
    w.installEventFilter(hook)
    w.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
