"""Starting the desktop app: ``jixiao``, ``jixiao gui [FILE] [--screenshot OUT.png]``
and the ``jixiao-gui`` launcher."""

from __future__ import annotations

import time

_T0 = time.perf_counter()  # as early as possible: the first-paint benchmark counts from here

import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

EXIT_NO_DISPLAY = 3
_TRACE = os.environ.get("JIXIAO_STARTUP_TRACE") == "1"


def trace(label: str) -> None:
    """JIXIAO_STARTUP_TRACE=1: print the time since start-up at a named point, to
    stderr (how the start-up breakdown in docs/building.md is measured, frozen too)."""
    if _TRACE and sys.stderr is not None:  # no stderr in the windowed jixiao-gui.exe
        sys.stderr.write(f"startup {1000 * (time.perf_counter() - _T0):7.1f} ms  {label}\n")
        sys.stderr.flush()


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
    from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    app.setApplicationName("jixiao")
    app.setApplicationDisplayName("绩效自评表填报工具")
    app.setOrganizationName("jixiao")
    QLocale.setDefault(QLocale("zh_CN"))
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


def _bench_hook(window) -> None:
    """JIXIAO_BENCH_FIRST_PAINT=1: print ``first-paint <s>`` once the window has
    first been painted and ``document-shown <s>`` once the grid has been painted
    with the opened document (seconds since this module was imported), then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class _Hook(QObject):
        window_done = False
        document_done = False

        def window_painted(self) -> None:
            print(f"first-paint {time.perf_counter() - _T0:.4f}", flush=True)
            # the grid's viewport is watched from now on (asking for it earlier
            # would make PySide6 set up every widget type before the first paint)
            window.view.viewport().installEventFilter(self)
            if window.session is not None:  # opened before this paint (the fallback timer)
                window.view.viewport().update()

        def document_painted(self) -> None:
            print(f"document-shown {time.perf_counter() - _T0:.4f}", flush=True)
            window.shutdown()
            QApplication.instance().quit()

        def eventFilter(self, obj, ev):  # noqa: N802 - Qt name
            if ev.type() != QEvent.Type.Paint:
                return False
            # each report waits for the paint under way to finish (a zero timer)
            if obj is window and not self.window_done:
                self.window_done = True
                QTimer.singleShot(0, self.window_painted)
            elif obj is not window and window.session is not None and not self.document_done:
                self.document_done = True
                QTimer.singleShot(0, self.document_painted)
            return False

    hook = _Hook(window)
    window.installEventFilter(hook)
    window._bench_hook = hook


def when_first_painted(window, callback, fallback_ms: int = 1000) -> None:
    """Call ``callback`` once, right after ``window`` has first been painted (or
    after ``fallback_ms`` if no paint comes, e.g. the window starts minimised).

    The app shows its window before opening the document: the officer sees the
    program start at once, and the document appears a moment later."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _Once(QObject):
        fired = False

        def fire(self) -> None:
            if not self.fired:
                self.fired = True
                window.removeEventFilter(self)
                callback()

        def eventFilter(self, obj, ev):  # noqa: N802 - Qt name
            if ev.type() == QEvent.Type.Paint and not self.fired:
                QTimer.singleShot(0, self.fire)  # after this paint has reached the screen
            return False

    once = _Once(window)
    window.installEventFilter(once)
    QTimer.singleShot(fallback_ms, once.fire)
    window._first_painted = once


def take_screenshot(file: str | None, out: str, size: tuple[int, int] = (1400, 900)) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = create_app()
    from jixiao.gui.main_window import MainWindow

    w = MainWindow(persist=False)
    if file:
        # read here, not through the window: offscreen, a dialog would wait for a click that never comes
        from jixiao.core.fileio import DocumentError, load_document

        notes: list[str] = []
        try:
            doc = load_document(Path(file), notes=notes)
        except DocumentError as exc:
            print(f"jixiao：{exc}", file=sys.stderr)
            w.deleteLater()
            return 2
        for note in notes:
            print(f"提示：{note}", file=sys.stderr)
        w.set_document(doc, Path(file))
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


def open_startup_document(window, file: str | None, settings) -> None:
    """The document the app starts with: FILE if given (and readable), else the
    last document of an earlier session, else the bundled example."""
    opened = False
    if file:
        opened = window.open_file(file, ask_save=False)
    elif settings.launched_before and settings.last_document and Path(settings.last_document).is_file():
        opened = window.open_file(settings.last_document, ask_save=False)
    if not opened:
        window.open_example()
    settings.mark_launched()


def run_gui(file: str | None = None, screenshot: str | None = None) -> int:
    if screenshot:
        return take_screenshot(file, screenshot)
    if not display_available():
        sys.stderr.write(NO_DISPLAY_MESSAGE)
        sys.stderr.flush()
        return EXIT_NO_DISPLAY
    trace("run_gui")
    app = create_app()
    trace("QApplication, font, translations")
    from PySide6.QtCore import QTimer

    from jixiao.gui.main_window import MainWindow
    from jixiao.gui.settings import AppSettings

    trace("window modules imported")
    settings = AppSettings()
    w = MainWindow(settings=settings)
    trace("window built")
    bench = os.environ.get("JIXIAO_BENCH_FIRST_PAINT") == "1"
    w.show_opening(file)

    def start() -> None:
        if not w.isVisible():  # closed before its first paint: nothing to open
            return
        trace("first paint done")
        if _TRACE:
            import jixiao.core.fileio  # noqa: F401
            import jixiao.gui.session  # noqa: F401

            trace("engine imported")
        open_startup_document(w, file, settings)
        trace("document opened")
        if not bench:
            QTimer.singleShot(0, lambda: w.isVisible() and w.offer_recovery())  # after the document is drawn

    when_first_painted(w, start)
    if bench:
        # installed last, so Qt asks it first: its report is queued before the
        # document is opened
        _bench_hook(w)
    w.show()
    trace("window shown")
    return app.exec()


def main() -> int:
    """Entry point of the ``jixiao-gui`` launcher (no console on Windows)."""
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    return run_gui(args[0] if args else None)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
