"""Starting the desktop app: ``jixiao``, ``jixiao gui [FILE] [--screenshot OUT.png]``
and the ``jixiao-gui`` launcher."""

from __future__ import annotations

import time

_T0 = time.perf_counter()  # as early as possible: the first-paint benchmark counts from here

import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

EXIT_NO_DISPLAY = 3

NO_DISPLAY_MESSAGE = (
    "jixiao：没有可用的图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开窗口。\n"
    "  在虚拟屏幕上运行：  xvfb-run -a jixiao\n"
    "  或渲染为图片：      jixiao gui --screenshot out.png\n"
    "jixiao: no display available (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
    "  Run it on a virtual screen:  xvfb-run -a jixiao\n"
    "  or render a picture:         jixiao gui --screenshot out.png\n"
)


def display_available() -> bool:
    if sys.platform.startswith("win") or sys.platform == "darwin":
        return True
    return any(os.environ.get(k) for k in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def create_app(argv: list[str] | None = None):
    """The QApplication, set up once: bundled font, Chinese Qt dialogs, high-DPI."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    app.setApplicationName("jixiao")
    app.setApplicationDisplayName("绩效自评表填报工具")
    app.setOrganizationName("jixiao")
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if not getattr(app, "_jixiao_ready", False):
        translator = QTranslator(app)
        tdir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load("qtbase_zh_CN", tdir):
            app.installTranslator(translator)
        from jixiao.gui import style

        style.load_bundled_font()
        app.setFont(style.app_font())
        app._jixiao_ready = True  # type: ignore[attr-defined]
    return app


def _first_paint_hook(window) -> None:
    """JIXIAO_BENCH_FIRST_PAINT=1: print seconds from process start to the first
    painted frame of the grid, then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class _Hook(QObject):
        done = False

        def eventFilter(self, obj, ev):  # noqa: N802 - Qt name
            if ev.type() == QEvent.Type.Paint and not self.done:
                self.done = True

                def report():
                    print(f"first-paint {time.perf_counter() - _T0:.4f}", flush=True)
                    window.shutdown()
                    QApplication.instance().quit()

                QTimer.singleShot(0, report)
            return False

    hook = _Hook(window)
    window.view.viewport().installEventFilter(hook)
    window._first_paint_hook = hook


def take_screenshot(file: str | None, out: str, size: tuple[int, int] = (1400, 900)) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = create_app()
    from jixiao.gui.main_window import MainWindow

    w = MainWindow(persist=False)
    if file:
        if not w.open_file(file, ask_save=False):
            return 2
    else:
        w.open_example()
    w.resize(*size)
    w.show()
    for _ in range(3):
        app.processEvents()
    w.view.fit_columns()
    app.processEvents()
    pm = w.grab()
    ok = pm.save(str(out), "PNG")
    w.shutdown()
    w.close()
    w.deleteLater()
    app.processEvents()
    if not ok:
        print(f"jixiao：无法写入截图 {out}", file=sys.stderr)
        return 2
    print(f"已保存截图 {out}（{pm.width()}×{pm.height()}）")
    return 0


def run_gui(file: str | None = None, screenshot: str | None = None) -> int:
    if screenshot:
        return take_screenshot(file, screenshot)
    if not display_available():
        sys.stdout.write(NO_DISPLAY_MESSAGE)
        sys.stdout.flush()
        return EXIT_NO_DISPLAY
    app = create_app()
    from PySide6.QtCore import QTimer

    from jixiao.gui.main_window import MainWindow
    from jixiao.gui.settings import AppSettings

    settings = AppSettings()
    w = MainWindow(settings=settings)
    bench = os.environ.get("JIXIAO_BENCH_FIRST_PAINT") == "1"
    opened = False
    if file:
        opened = w.open_file(file, ask_save=False)
    elif settings.launched_before and settings.last_document and Path(settings.last_document).is_file():
        opened = w.open_file(settings.last_document, ask_save=False)
    if not opened:
        w.open_example()
    settings.mark_launched()
    if bench:
        _first_paint_hook(w)
    w.show()
    if not bench:
        QTimer.singleShot(0, w.offer_recovery)
    return app.exec()


def main() -> int:
    """Entry point of the ``jixiao-gui`` launcher (no console on Windows)."""
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    return run_gui(args[0] if args else None)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
