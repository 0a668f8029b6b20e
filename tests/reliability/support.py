"""Shared helpers of the reliability suite."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

from jixiao.core.interchange import document_to_json
from jixiao.core.model import Document

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"


def _load_generator():
    name = "jixiao_bench_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / "generate.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


generate = _load_generator()


def generate_document(template: str = "xinjiang", projects: int = 30, indicators: int = 20,
                      seed: int = 2024) -> Document:
    return generate.generate_document(template, projects, indicators, seed)


def snapshot(doc: Document) -> str:
    """Everything the officer typed, ids included, as canonical JSON (for equality checks)."""
    return json.dumps(document_to_json(doc, native=True), ensure_ascii=False, sort_keys=True)


def leftovers(folder: Path) -> list[str]:
    """Temporary files a save left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


FIGURES: list[str] = []


def report(line: str) -> None:
    """Record a figure line (cases tried and their outcome); the suite's conftest
    prints them in the terminal summary, so they show even when every test passes."""
    FIGURES.append(line)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


# ---------------------------------------------------------------- child processes
# These run in a multiprocessing child (forkserver on POSIX: forked from a
# single-threaded server with jixiao preloaded, so a child starts in a few ms).


def mp_context():
    import multiprocessing as mp

    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["jixiao.core.fileio", "jixiao.core.recovery", "tests.reliability.support"])
        return ctx
    return mp.get_context("spawn")


def save_loop(path: str, data_a: dict, data_b: dict, started, completed) -> None:  # pragma: no cover - child
    """Save B, A, B, A … onto ``path`` until killed; ``completed`` counts finished saves."""
    from jixiao.core.fileio import document_from_data, save_document

    docs = [document_from_data(data_b), document_from_data(data_a)]
    started.set()
    i = 0
    while True:
        save_document(docs[i % 2], path)
        i += 1
        completed.value = i


def edit_loop(folder: str, source: str, data: dict, interval: float, started, log) -> None:  # pragma: no cover - child
    """An officer typing: one edit every millisecond or so, an autosave every
    ``interval`` seconds (the app's one-minute timer, scaled down). After each
    autosave, report ``(edits included, monotonic time of the autosave's snapshot)``."""
    import time

    from jixiao.core.fileio import document_from_data
    from jixiao.core.recovery import RecoveryStore

    store = RecoveryStore(Path(folder))
    doc = document_from_data(data)
    form = doc.projects[0]
    started.set()
    edits = 0
    last = time.monotonic()
    while True:
        edits += 1
        form.set("goals.实际完成情况", f"第{edits}次修改")
        form.set(f"indicators[{edits % len(form.indicators)}].偏差原因分析及改进措施", f"原因{edits}")
        now = time.monotonic()
        if now - last >= interval:
            store.write(doc, source, "session-1")
            log.send((edits, now))
            last = now
        time.sleep(0.001)


# ---------------------------------------------------------------- measured imports
_IMPORT_CHILD = """
import json, resource, sys, time
if sys.platform == "linux":  # a runaway import must not take the machine down with it
    resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]) << 30, int(sys.argv[2]) << 30))
base_mb = next((int(x.split()[1]) / 1024 for x in open("/proc/self/status") if x.startswith("VmHWM:")), 0.0) \
    if sys.platform == "linux" else 0.0
from jixiao.excel.reader import ExcelImportError, read_workbook
t0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
try:
    r = read_workbook(sys.argv[1])
    out = {"outcome": "imported", "forms": len(r.document.forms), "problems": len(r.problems)}
except ExcelImportError as exc:
    out = {"outcome": "ExcelImportError", "message": str(exc)}
except BaseException as exc:
    out = {"outcome": type(exc).__name__, "message": str(exc)[:300]}
r1 = resource.getrusage(resource.RUSAGE_SELF)
out["seconds"] = time.perf_counter() - t0
out["cpu"] = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def hwm():
    # VmHWM starts afresh with this program (ru_maxrss on Linux keeps the parent's peak across exec)
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform != "darwin" else 1 << 20)


out["peak_mb"] = hwm()
out["base_mb"] = base_mb
print(json.dumps(out, ensure_ascii=False))
"""


def import_in_child(path, timeout: float = 120, memory_cap_gib: int = 4) -> dict:
    """Import ``path`` in a fresh interpreter whose address space is capped (Linux); the outcome,
    wall (``wall``: the whole child) and CPU seconds and peak memory (MB)."""
    import subprocess
    import time

    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", _IMPORT_CHILD, str(path), str(memory_cap_gib)], capture_output=True,
                       text=True, timeout=timeout, env=child_env(), cwd=ROOT)
    wall = time.perf_counter() - t0
    lines = [x for x in r.stdout.splitlines() if x.startswith("{")]
    assert lines, f"child died: rc={r.returncode} {r.stderr[-800:]}"
    out = json.loads(lines[-1])
    out["wall"] = wall
    return out
