"""Run every benchmark and compare with the targets of the issues.

    python bench/run_all.py [--quick] [--json OUT] [--update-docs]

Generates the benchmark document (30 projects × 20 indicators plus the
department form, ``bench/generate.py``), runs each benchmark in its own
process, prints a table (name, median, runs, target, ratio, verdict) and
writes ``bench/results/latest.json``. ``--update-docs`` rewrites the section
of ``docs/performance.md`` between ``<!-- bench:start -->`` and
``<!-- bench:end -->``. Every figure is a median of several runs; reference
measurements (a bare PySide6 window, LibreOffice) are taken in the same run,
alternating with ours.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
DOC_MD = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
sys.path.insert(0, str(HERE))


# ---------------------------------------------------------------- processes


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = env.get("JIXIAO_BENCH_QPA", "offscreen")
    env["JIXIAO_CONFIG_DIR"] = str(tmp / "config")  # never the user's settings or recovery files
    env["JIXIAO_RECOVERY_DIR"] = str(tmp / "recovery")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p)
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    return env


def run_worker(task: str, doc: Path, runs: int, tmp: Path, timeout: float = 300) -> list[dict]:
    cmd = [sys.executable, str(HERE / "workers.py"), task, "--doc", str(doc), "--runs", str(runs),
           "--out-dir", str(tmp)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=_env(tmp), cwd=tmp)
    out = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    if r.returncode != 0:
        err = (r.stderr.strip().splitlines() or ["?"])[-1]
        return out + [{"name": task, "error": f"exit {r.returncode}: {err}"}]
    return out


def timed_launch(cmd: list[str], env: dict[str, str], timeout: float = 120) -> dict:
    """Start ``cmd``, read its ``first-paint <s>`` line (and jixiao's ``document-shown
    <s>``) until it exits. Returns wall seconds from spawn to each line, the process's
    own first-paint figure and its peak RSS (POSIX)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    wall = own = document = None
    assert p.stdout is not None
    watchdog = threading.Timer(timeout, p.kill)  # a window that never paints must not hang the run
    watchdog.start()
    try:
        for line in p.stdout:
            if line.startswith("first-paint "):
                wall = time.perf_counter() - t0
                own = float(line.split()[1])
            elif line.startswith("document-shown "):
                document = time.perf_counter() - t0
        p.stdout.close()
    finally:
        watchdog.cancel()
    rss_kib = None
    if hasattr(os, "wait4"):  # per-child rusage (getrusage(RUSAGE_CHILDREN) would mix the runs)
        try:
            _, status, usage = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
            rss_kib = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)
        except ChildProcessError:
            p.wait()
    else:  # pragma: no cover - Windows: no peak RSS without extra packages
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    return {"wall": wall, "own": own, "document": document, "rss_kib": rss_kib, "rc": p.returncode}


# ---------------------------------------------------------------- results


def med(xs: list[float]) -> float:
    return statistics.median(xs)


class Table:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, name: str, times: list[float] | None, *, unit: str = "s", target: str = "—",
            limit: float | None = None, ratio: float | None = None, ratio_of: str = "", note: str = "",
            value: float | None = None, max_ratio: float | None = None, extra: dict | None = None) -> dict:
        """A result row. Its verdict: the median against an absolute ``limit``, or
        a ``ratio`` to a reference against ``max_ratio``; no target, no verdict."""
        median = value if value is not None else (med(times) if times else None)
        if ratio is None and limit is not None and median is not None:
            ratio = median / limit
        if limit is not None:
            max_ratio = 1.0
        verdict = "—"
        if ratio is not None and max_ratio is not None:
            verdict = "pass" if ratio <= max_ratio else "FAIL"
        row = {"name": name, "median": median, "unit": unit, "runs": len(times) if times else 0, "target": target,
               "ratio": ratio, "ratio_of": ratio_of, "verdict": verdict, "note": note, "times": times or []}
        if extra:
            row.update(extra)
        self.rows.append(row)
        return row

    def skip(self, name: str, why: str, target: str = "—") -> None:
        self.rows.append({"name": name, "median": None, "unit": "", "runs": 0, "target": target, "ratio": None,
                          "ratio_of": "", "verdict": "skipped", "note": why, "times": []})


def fmt_value(row: dict) -> str:
    v = row["median"]
    if v is None:
        return "—"
    if row["unit"] == "s":
        return f"{v * 1000:.2f} ms" if v < 1 else f"{v:.2f} s"
    if row["unit"] == "MiB":
        return f"{v:.0f} MiB"
    if row["unit"] == "×":
        return f"{v:.2f}×"
    return f"{v:.3g} {row['unit']}"


def fmt_ratio(row: dict) -> str:
    r = row["ratio"]
    if r is None:
        return "—"
    return f"{r:.2f}× {row['ratio_of']}".strip()


def render_text(rows: list[dict]) -> str:
    head = ["benchmark", "median", "runs", "target", "ratio", "verdict"]
    body = [[r["name"], fmt_value(r), str(r["runs"] or "—"), r["target"], fmt_ratio(r), r["verdict"]] for r in rows]

    def w(s: str) -> int:  # CJK takes two columns in a terminal
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    widths = [max(w(x[i]) for x in [head] + body) for i in range(len(head))]
    lines = []
    for i, rr in enumerate([head] + body):
        lines.append("  ".join(c + " " * (widths[k] - w(c)) for k, c in enumerate(rr)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * x for x in widths))
    notes = [f"  {r['name']}: {r['note']}" for r in rows if r.get("note")]
    return "\n".join(lines + (["", "notes:"] + notes if notes else []))


def render_markdown(rows: list[dict], meta: dict) -> str:
    out = [
        f"Last run: {meta['date']} · `python bench/run_all.py{' --quick' if meta['quick'] else ''}` · "
        f"{meta['machine']} · Python {meta['python']} · PySide6 {meta['pyside6']} · Qt platform `{meta['qpa']}` · "
        f"document: {meta['document']} · load average before/after: {meta['load']}",
        "",
        "| benchmark | median | runs | target | ratio | verdict |",
        "|---|---:|---:|---|---:|---|",
    ]
    for r in rows:
        out.append(f"| {r['name']} | {fmt_value(r)} | {r['runs'] or '—'} | {r['target']} | {fmt_ratio(r)} "
                   f"| {r['verdict']} |")
    notes = [r for r in rows if r.get("note")]
    if notes:
        out.append("")
        out.extend(f"- **{r['name']}**: {r['note']}" for r in notes)
    out.append("")
    out.append("How it is measured (each benchmark in its own process; medians, never a single timing):")
    out.extend([
        "- *engine*: `score_form` + `validate_form` over all 31 forms, as the app does after opening a file; "
        "*warm* keeps the memo caches of `parse_value`/`score_indicator` (every keystroke after the first), "
        "*cold caches* clears them first. *edit →*: a new value typed into one indicator (a cache miss), then "
        "revalidation of that form or of the whole document.",
        "- *gui.edit*: in-process, offscreen: `MainWindow.edit_cell()` on a fund cell / an indicator cell of the "
        "open project (undo stack, rescoring, findings refresh), then `processEvents()` until the findings list "
        "and the grid are repainted; the paint events are counted to prove the repaint happened.",
        "- *gui.launch*: wall time from spawning `python -m jixiao gui FILE` (with `JIXIAO_BENCH_FIRST_PAINT=1`) "
        "to its `first-paint` line (the main window's first paint has finished; the app opens the document right "
        "after it) and to its `document-shown` line (the grid painted with the document), alternated with "
        "`bench/bare_window.py` (QApplication + QMainWindow + QTableView, same hook); peak RSS of each child "
        "from `wait4()`.",
        "- *export*: `write_workbook` / `write_pdf` of the whole document in a warm process (the first, cold "
        "export is in the notes); LibreOffice converts our Excel export with a warm profile. *whole process*: "
        "`jixiao export --pdf` as an officer runs it, alternated with `bench/bare_reportlab.py` drawing the same "
        "pages; the bundled examples likewise, with the page count of each.",
        "- *report*: the 部门整体支出绩效自评报告 of the document (`build_report` + `write_docx` / "
        "`write_report_pdf`, file written), in a warm process; the first, cold one is in the notes.",
        "- Timings on this shared 2-core machine vary by up to 2× with the load of other jobs: compare ratios "
        "taken in the same run, and rerun before concluding.",
    ])
    out.append("")
    out.append("Ratios are to the target (for absolute limits) or to the reference measured in the same run "
               "(bare PySide6 window, LibreOffice). Raw timings: `bench/results/latest.json`. "
               "The command exits with status 1 when any verdict is FAIL.")
    return "\n".join(out)


def update_docs(markdown: str, path: Path = DOC_MD) -> None:
    text = path.read_text(encoding="utf-8")
    a, b = text.index(START) + len(START), text.index(END)
    path.write_text(text[:a] + "\n" + markdown + "\n" + text[b:], encoding="utf-8")


# ---------------------------------------------------------------- benchmarks


def bench_engine(t: Table, doc: Path, runs: int, tmp: Path) -> None:
    res = {r["name"]: r for r in run_worker("engine", doc, runs, tmp)}
    if "engine" in res:
        t.skip("engine", res["engine"]["error"])
        return
    for name, target, limit in (
        ("engine.validate+score (warm)", "< 5 ms", 0.005),
        ("engine.validate+score (cold caches)", "< 5 ms", 0.005),
        ("engine.edit → revalidate form", "< 5 ms", 0.005),
        ("engine.edit → revalidate document", "< 5 ms", 0.005),
    ):
        r = res.get(name)
        if r:
            t.add(name, r["times"], target=target, limit=limit)
    if "io.open" in res:
        t.add("io.open", res["io.open"]["times"], note=f"{res['io.save'].get('bytes', 0) // 1024} KiB .jxzp")
    if "io.save" in res:
        t.add("io.save", res["io.save"]["times"], note="atomic: temp file + fsync + .bak + replace")


def bench_merge(t: Table, runs: int, tmp: Path) -> None:
    """bench/merge.py: 30 unit files of one project each merged into one document."""
    cmd = [sys.executable, str(HERE / "merge.py"), "--json", "--runs", str(runs), "--format", "jxzp,json"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=_env(tmp), cwd=tmp)
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    if not rows:
        t.skip("merge", f"error: exit {r.returncode}: {(r.stderr.strip().splitlines() or ['?'])[-1]}")
    for row in rows:
        t.add(row["name"], row["times"], target="< 1 s", limit=1.0,
              note=f"read {row['read']:.3f} + merge {row['merge']:.3f} + write {row['write']:.3f} s")


def bench_exports(t: Table, doc: Path, runs: int, tmp: Path) -> Path | None:
    xlsx = None
    for task, name, target, limit in (("excel", "export.excel", "< 1 s", 1.0), ("pdf", "export.pdf", "< 2 s", 2.0)):
        rs = run_worker(task, doc, runs, tmp)
        r = next((x for x in rs if x.get("name") == name), None)
        if r is None:
            err = next((x.get("error") for x in rs if "error" in x), "no result")
            t.skip(name, err, target)
            continue
        note = f"first export in a fresh process {r['first']:.2f} s; {r['bytes'] // 1024} KiB"
        if r.get("pages"):
            note += f", {r['pages']} pages"
        t.add(name, r["times"], target=target, limit=limit, note=note)
        if task == "excel":
            xlsx = Path(r["file"])
    return xlsx


def bench_report(t: Table, doc: Path, runs: int, tmp: Path) -> None:
    """The 自评报告 of the 30-project document (issue 16: the department report in under 1 s)."""
    rs = run_worker("report", doc, runs, tmp)
    for name in ("report.department → docx", "report.department → pdf"):
        r = next((x for x in rs if x.get("name") == name), None)
        if r is None:
            t.skip(name, next((x.get("error") for x in rs if "error" in x), "no result"), "< 1 s")
            continue
        t.add(name, r["times"], target="< 1 s", limit=1.0,
              note=f"content + file; first in a fresh process {r['first']:.2f} s; {r['bytes'] // 1024} KiB")


def bench_libreoffice(t: Table, xlsx: Path | None, runs: int, tmp: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    name = "reference: LibreOffice xlsx → pdf"
    if soffice is None:
        t.skip(name, "skipped: LibreOffice not installed (apt-get install libreoffice-calc)")
        return
    if xlsx is None or not xlsx.exists():
        t.skip(name, "skipped: no Excel export to convert")
        return
    profile = tmp / "lo-profile"
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--convert-to", "pdf",
           "--outdir", str(tmp / "lo"), str(xlsx)]
    times = []
    try:
        subprocess.run(cmd, capture_output=True, timeout=300)  # first start creates the profile: not timed
        for _ in range(runs):
            t0 = time.perf_counter()
            r = subprocess.run(cmd, capture_output=True, timeout=300)
            times.append(time.perf_counter() - t0)
            if r.returncode != 0 or not (tmp / "lo" / (xlsx.stem + ".pdf")).exists():
                t.skip(name, f"LibreOffice failed: {r.stderr.decode(errors='replace')[-200:]}")
                return
    except subprocess.TimeoutExpired:
        t.skip(name, "LibreOffice timed out (300 s)")
        return
    t.add(name, times, note="soffice --headless --convert-to pdf of our Excel export, warm profile")
    ours = next((r for r in t.rows if r["name"] == "export.pdf" and r["median"] is not None), None)
    if ours:
        t.add("export.pdf vs LibreOffice", None, value=ours["median"] / med(times), unit="×",
              ratio=ours["median"] / med(times), ratio_of="of LibreOffice",
              note="jixiao's PDF export time divided by LibreOffice converting the same forms")


def _timed_process(cmd: list[str], env: dict[str, str], cpu: list[float] | None = None) -> float:
    """Wall time of a whole process; its CPU time (user + system) is appended to ``cpu`` (where the OS tells)."""
    before = _children_cpu()
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env, timeout=300)
    wall = time.perf_counter() - t0
    after = _children_cpu()
    if cpu is not None and before is not None and after is not None:
        cpu.append(after - before)
    return wall


def _children_cpu() -> float | None:
    try:
        import resource
    except ImportError:  # Windows: no CPU figure, the wall times stand alone
        return None
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def bench_pdf_process(t: Table, doc: Path, runs: int, tmp: Path) -> None:
    """The PDF export as an officer runs it (a whole ``jixiao export --pdf`` process), against a
    bare reportlab script drawing the same pages; and each bundled example with its page count."""
    from pypdf import PdfReader

    from jixiao.core.fileio import load_document
    from jixiao.pdf.plan import plan_document

    env = _env(tmp)
    # Installed and frozen apps run from bytecode; this machine sets PYTHONDONTWRITEBYTECODE, which
    # would make every export recompile jixiao from source (as bench_launch explains): compile both first.
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "jixiao"), quiet=1)
    compileall.compile_file(str(HERE / "bare_reportlab.py"), quiet=1)
    pages = plan_document(load_document(doc))
    dump = tmp / "pages.json"
    dump.write_text(json.dumps([{"width": p.width, "height": p.height,
                                 "rules": [[r.x1, r.y1, r.x2, r.y2, r.width] for r in p.rules],
                                 "texts": [[x.x, x.y, x.text, x.size] for x in p.texts if x.text]} for p in pages],
                               ensure_ascii=False), encoding="utf-8")
    ours_cmd = [sys.executable, "-m", "jixiao", "export", str(doc), "--pdf", str(tmp / "proc.pdf")]
    bare_cmd = [sys.executable, str(HERE / "bare_reportlab.py"), str(dump), str(tmp / "bare.pdf")]
    _timed_process(ours_cmd, env)
    _timed_process(bare_cmd, env)
    ours, bare, ours_cpu, bare_cpu = [], [], [], []
    for _ in range(runs):  # alternate, so load on the machine hits both alike
        ours.append(_timed_process(ours_cmd, env, ours_cpu))
        bare.append(_timed_process(bare_cmd, env, bare_cpu))
    n = len(PdfReader(str(tmp / "proc.pdf")).pages)
    cpu_note = (f"; CPU time (user + system) median {med(ours_cpu):.2f} s against {med(bare_cpu):.2f} s, "
                f"{med(ours_cpu) / med(bare_cpu):.2f}× of bare" if ours_cpu and bare_cpu else "")
    # the machine's speed drifts over seconds: each run against the bare run right after it is steadier
    paired = med([o / b for o, b in zip(ours, bare, strict=True)])
    cpu_note += f"; run by run {paired:.2f}× of the bare run after it (median)"
    t.add("reference: bare reportlab script, same pages", bare, note="canvas.line / drawString of the page plan, "
          "font registration included (bench/bare_reportlab.py)",
          extra={"cpu": bare_cpu} if bare_cpu else None)
    t.add("export.pdf whole process (30 projects)", ours, ratio=med(ours) / med(bare), ratio_of="of bare",
          note=f"`jixiao export --pdf`, {n} pages; the target is below the bare reportlab script drawing the "
               f"same pages (docs/performance.md){cpu_note}",
          extra={"cpu": ours_cpu} if ours_cpu else None)
    for ex in sorted((ROOT / "resources" / "examples").glob("*.jxzp")):
        out = tmp / f"{ex.stem}.pdf"
        cmd = [sys.executable, "-m", "jixiao", "export", str(ex), "--pdf", str(out)]
        times = [_timed_process(cmd, env) for _ in range(max(3, runs // 2))]
        forms = len(load_document(ex).forms)
        t.add(f"export.pdf example {ex.stem}", times,
              note=f"{len(PdfReader(str(out)).pages)} pages for {forms} forms and the 汇总表 (whole process)")


def bench_gui_edit(t: Table, doc: Path, runs: int, tmp: Path) -> None:
    rs = run_worker("gui-edit", doc, runs, tmp)
    ok = [r for r in rs if "times" in r]
    if not ok:
        t.skip("gui.edit → repainted findings", next((x.get("error") for x in rs if "error" in x), "no result"),
               "< 16 ms")
        return
    for r in ok:
        t.add(r["name"], r["times"], target="< 16 ms", limit=0.016,
              note=f"paint events during the runs: findings {r['findings_paints']}, grid {r['grid_paints']}")


def bench_launch(t: Table, doc: Path, runs: int, tmp: Path) -> None:
    env = _env(tmp)
    # Installed and frozen apps start from bytecode; this machine sets PYTHONDONTWRITEBYTECODE,
    # which would make every launch recompile jixiao from source (~50 ms) but not the one-file
    # reference. Compile both first so that the comparison is like for like.
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "jixiao"), quiet=1)
    compileall.compile_file(str(HERE / "bare_window.py"), quiet=1)
    ours_cmd = [sys.executable, "-m", "jixiao", "gui", str(doc)]
    bare_cmd = [sys.executable, str(HERE / "bare_window.py")]
    env_ours = dict(env, JIXIAO_BENCH_FIRST_PAINT="1")
    ours, bare = [], []
    timed_launch(bare_cmd, env)  # warm the OS file cache for both, not timed
    timed_launch(ours_cmd, env_ours)
    for _ in range(runs):  # alternate, so load on the machine hits both alike
        bare.append(timed_launch(bare_cmd, env))
        ours.append(timed_launch(ours_cmd, env_ours))
    if any(x["wall"] is None for x in ours):
        t.skip("gui.launch → first window", "jixiao gui did not print first-paint (JIXIAO_BENCH_FIRST_PAINT)",
               "≤ 1.5× bare")
        return
    if any(x["wall"] is None for x in bare):
        t.skip("gui.launch → first window", "the bare PySide6 window did not paint", "≤ 1.5× bare")
        return
    ow, bw = [x["wall"] for x in ours], [x["wall"] for x in bare]
    t.add("reference: bare PySide6 window launch", bw,
          note=f"own figure (from its first line of Python) {med([x['own'] for x in bare]) * 1000:.0f} ms")
    t.add("gui.launch → first window", ow, target="≤ 1.5× bare", ratio=med(ow) / med(bw), max_ratio=1.5,
          ratio_of="of bare", note=f"spawn → main window painted (the document opens right after); own figure "
                                   f"(from app import) {med([x['own'] for x in ours]) * 1000:.0f} ms")
    if all(x["document"] for x in ours):
        dw = [x["document"] for x in ours]
        t.add("gui.launch → document shown", dw, ratio=med(dw) / med(bw), ratio_of="of bare",
              note="spawn → grid painted with the 31-form document")
    if all(x["rss_kib"] for x in ours + bare):
        om = [x["rss_kib"] / 1024 for x in ours]
        bm = [x["rss_kib"] / 1024 for x in bare]
        t.add("reference: bare PySide6 window peak RSS", None, value=med(bm), unit="MiB", extra={"runs": len(bm)})
        t.add("gui.peak memory (RSS)", None, value=med(om), unit="MiB", target="≤ 2× bare", ratio=med(om) / med(bm),
              max_ratio=2.0, ratio_of="of bare", extra={"runs": len(om)},
              note="peak resident set of the whole process, until the document is shown (wait4 ru_maxrss)")
    else:
        t.skip("gui.peak memory (RSS)", "peak RSS needs os.wait4 (POSIX)", "≤ 2× bare")


# ---------------------------------------------------------------- main


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except (AttributeError, OSError):  # Windows
        return "n/a"


def _pyside_version() -> str:
    try:
        import PySide6

        return PySide6.__version__
    except ImportError:
        return "not installed"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer runs (a smoke test of the benchmarks)")
    p.add_argument("--json", type=Path, default=RESULTS / "latest.json", help="where to write the results")
    p.add_argument("--update-docs", action="store_true", help="rewrite the bench section of docs/performance.md")
    p.add_argument("--only", help="comma-separated subset: engine,merge,exports,report,libreoffice,pdf-process,"
                                  "gui-edit,launch")
    a = p.parse_args(argv)
    runs = 3 if a.quick else 7
    only = (set(a.only.split(",")) if a.only
            else {"engine", "merge", "exports", "report", "libreoffice", "pdf-process", "gui-edit", "launch"})

    from generate import INDICATORS, PROJECTS, generate_document

    from jixiao.core.fileio import save_document

    load_before = _load()
    t = Table()
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp_s:
        tmp = Path(tmp_s)
        doc_path = tmp / "bench.jxzp"
        doc = generate_document("xinjiang", PROJECTS, INDICATORS)
        save_document(doc, doc_path, backup=False)
        described = f"{PROJECTS} projects × {INDICATORS} indicators + department form (xinjiang, bench/generate.py)"
        xlsx_holder: list[Path | None] = [None]  # the Excel export LibreOffice converts (None if not run)

        def exports():
            xlsx_holder[0] = bench_exports(t, doc_path, runs, tmp)

        steps = [
            ("engine", lambda: bench_engine(t, doc_path, runs, tmp)),
            ("merge", lambda: bench_merge(t, runs, tmp)),
            ("exports", exports),
            ("report", lambda: bench_report(t, doc_path, runs, tmp)),
            ("libreoffice", lambda: bench_libreoffice(t, xlsx_holder[0], 3, tmp)),
            ("pdf-process", lambda: bench_pdf_process(t, doc_path, runs, tmp)),
            ("gui-edit", lambda: bench_gui_edit(t, doc_path, 20 if a.quick else 50, tmp)),
            ("launch", lambda: bench_launch(t, doc_path, runs, tmp)),
        ]
        for key, fn in steps:
            if key not in only:
                continue
            print(f"… {key}", file=sys.stderr, flush=True)
            try:
                fn()
            except Exception as exc:  # noqa: BLE001 - report and continue with the others
                t.skip(key, f"error: {type(exc).__name__}: {exc}")

    meta = {
        "date": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "quick": a.quick,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "pyside6": _pyside_version(),
        "qpa": os.environ.get("JIXIAO_BENCH_QPA", "offscreen"),
        "document": described,
        "load": f"{load_before} / {_load()}",
    }
    print(render_text(t.rows))
    a.json.parent.mkdir(parents=True, exist_ok=True)
    a.json.write_text(json.dumps({"meta": meta, "results": t.rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nresults: {a.json}")
    if a.update_docs:
        update_docs(render_markdown(t.rows, meta))
        print(f"updated: {DOC_MD.relative_to(ROOT)}")
    return 1 if any(r["verdict"] == "FAIL" for r in t.rows) else 0


if __name__ == "__main__":
    sys.exit(main())
