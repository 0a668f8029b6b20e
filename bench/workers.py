"""Benchmark workers, each run in its own process by ``run_all.py``.

``python bench/workers.py TASK --doc FILE --runs N`` prints one JSON object
per measurement on stdout: ``{"name": ..., "times": [seconds, ...], ...}``.
Tasks: engine, excel, pdf, report, gui-edit.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def emit(name: str, times: list[float], **extra) -> None:
    print(json.dumps({"name": name, "times": times, **extra}, ensure_ascii=False), flush=True)


def _timed(fn, runs: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


# ---------------------------------------------------------------- engine


def task_engine(doc_path: str, runs: int) -> None:
    from jixiao.core.fileio import load_document, save_document
    from jixiao.core.scoring import score_form, score_indicator
    from jixiao.core.validation import validate_form
    from jixiao.core.values import parse_value

    doc = load_document(doc_path)
    template = doc.template

    def full():
        # what the app does after opening or on a structural change: score and validate every form
        for form in doc.forms:
            fd = template.form(form.kind)
            validate_form(template, fd, form, score_form(template, fd, form))

    emit("engine.validate+score (warm)", _timed(full, runs * 5))

    def cold():
        score_indicator.cache_clear()
        parse_value.cache_clear()
        full()

    emit("engine.validate+score (cold caches)", _timed(cold, runs * 2))

    # a single edit: a new value typed into one indicator (a cache miss), then revalidation
    form = doc.projects[len(doc.projects) // 2]
    fd = template.form(form.kind)
    counter = iter(range(10**9))

    def edit_form():
        n = next(counter)
        form.set("indicators[3].实际完成值", f"{40 + n % 997}家")
        validate_form(template, fd, form, score_form(template, fd, form))

    emit("engine.edit → revalidate form", _timed(edit_form, runs * 10))

    def edit_doc():
        n = next(counter)
        form.set("indicators[3].实际完成值", f"{40 + n % 997}家")
        full()

    emit("engine.edit → revalidate document", _timed(edit_doc, runs * 5))

    emit("io.open", _timed(lambda: load_document(doc_path), runs))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.jxzp"
        emit("io.save", _timed(lambda: save_document(doc, out), runs),
             bytes=out.stat().st_size if out.exists() else None)


# ---------------------------------------------------------------- exports


def task_excel(doc_path: str, runs: int, out_dir: str | None) -> None:
    from jixiao.core.fileio import load_document
    from jixiao.excel.writer import write_workbook

    doc = load_document(doc_path)
    folder = Path(out_dir or tempfile.mkdtemp())
    out = folder / "bench.xlsx"
    t0 = time.perf_counter()
    write_workbook(doc, out)  # the first export also pays for imports and caches
    first = time.perf_counter() - t0
    emit("export.excel", _timed(lambda: write_workbook(doc, out), runs, warmup=0), first=first,
         bytes=out.stat().st_size, file=str(out))


def task_pdf(doc_path: str, runs: int, out_dir: str | None) -> None:
    from jixiao.core.fileio import load_document
    from jixiao.pdf.writer import write_pdf

    doc = load_document(doc_path)
    folder = Path(out_dir or tempfile.mkdtemp())
    out = folder / "bench.pdf"
    t0 = time.perf_counter()
    write_pdf(doc, out)
    first = time.perf_counter() - t0
    pages = None
    try:
        from pypdf import PdfReader

        pages = len(PdfReader(str(out)).pages)
    except Exception:  # pypdf is a test dependency only  # noqa: BLE001
        pass
    emit("export.pdf", _timed(lambda: write_pdf(doc, out), runs, warmup=0), first=first,
         bytes=out.stat().st_size, pages=pages)


def task_report(doc_path: str, runs: int, out_dir: str | None) -> None:
    """The 部门整体支出绩效自评报告 (issue 16): content from the engine, then Word, then PDF."""
    from jixiao.core.fileio import load_document
    from jixiao.core.selfreport import build_report
    from jixiao.pdf.selfreport import write_report_pdf
    from jixiao.word.writer import write_docx

    doc = load_document(doc_path)
    folder = Path(out_dir or tempfile.mkdtemp())
    docx_path, pdf_path = folder / "bench-report.docx", folder / "bench-report.pdf"

    def word() -> None:
        write_docx(build_report(doc, "department"), docx_path)

    def pdf() -> None:
        write_report_pdf(build_report(doc, "department"), pdf_path)

    t0 = time.perf_counter()
    word()
    first = time.perf_counter() - t0
    emit("report.department → docx", _timed(word, runs, warmup=0), first=first, bytes=docx_path.stat().st_size)
    t0 = time.perf_counter()
    pdf()
    first = time.perf_counter() - t0
    emit("report.department → pdf", _timed(pdf, runs, warmup=0), first=first, bytes=pdf_path.stat().st_size)


# ---------------------------------------------------------------- GUI


def task_gui_edit(doc_path: str, runs: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject

    from jixiao.gui.app import create_app
    from jixiao.gui.main_window import MainWindow

    app = create_app()
    w = MainWindow(persist=False)
    assert w.open_file(doc_path, ask_save=False)
    w.resize(1400, 900)
    w.show()
    for _ in range(5):
        app.processEvents()

    class PaintCounter(QObject):
        n = 0

        def eventFilter(self, obj, ev):  # noqa: N802 - Qt name
            if ev.type() == QEvent.Type.Paint:
                self.n += 1
            return False

    counter = PaintCounter()
    w.findings.viewport().installEventFilter(counter)
    grid_counter = PaintCounter()
    w.view.viewport().installEventFilter(grid_counter)

    doc = w.session.doc
    project = doc.projects[len(doc.projects) // 2]
    w.show_form(project.id)
    for _ in range(3):
        app.processEvents()
    seq = iter(range(10**9))

    def measure(path_fn, label):
        counter.n = grid_counter.n = 0
        times = []
        for _ in range(runs):
            path, text = path_fn(next(seq))
            t0 = time.perf_counter()
            w.edit_cell(path, text)
            app.processEvents()  # delivers the findings refresh and the pending paints
            times.append(time.perf_counter() - t0)
        emit(label, times, findings_paints=counter.n, grid_paints=grid_counter.n)

    # alternate a fund amount between two values (typing and correcting)
    measure(lambda n: ("funds.年度资金总额.全年执行数", f"{100 + n % 50}.00"), "gui.edit fund → repainted findings")
    measure(lambda n: ("indicators[2].实际完成值", f"{40 + n % 997}家"), "gui.edit indicator → repainted findings")
    w.shutdown()  # no close(): it would ask whether to save the edits


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("task", choices=["engine", "excel", "pdf", "report", "gui-edit"])
    p.add_argument("--doc", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--out-dir")
    a = p.parse_args(argv)
    if a.task == "engine":
        task_engine(a.doc, a.runs)
    elif a.task == "excel":
        task_excel(a.doc, a.runs, a.out_dir)
    elif a.task == "pdf":
        task_pdf(a.doc, a.runs, a.out_dir)
    elif a.task == "report":
        task_report(a.doc, a.runs, a.out_dir)
    else:
        task_gui_edit(a.doc, a.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
