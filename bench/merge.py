"""Benchmark: a 主管部门 merges 30 unit files of one project each (target < 1 s).

    python bench/merge.py [--units 30] [--runs 7] [--format jxzp,json,xlsx] [--json]

Generates the benchmark document (``bench/generate.py``: projects of 20
indicators), writes each project as its own unit's file (a unit name per
file) and times what ``jixiao merge UNIT… -o DEPT.jxzp`` does, in process:
read every file (lock check included), check and merge them, write the result
atomically. Prints the median and the split (read / merge / write) per input
format; ``--json`` prints one JSON line per format instead (bench/run_all.py).
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

TARGET = 1.0  # seconds, issue 17


def write_units(folder: Path, units: int, fmt: str) -> list[Path]:
    from generate import INDICATORS, generate_document

    from jixiao.core.fileio import save_document, save_interchange

    doc = generate_document("xinjiang", units, INDICATORS)
    paths = []
    for i, form in enumerate(doc.projects):
        part = copy.deepcopy(doc)
        part.unit = f"下属单位{i + 1:02d}"
        form = copy.deepcopy(form)
        form.header["实施单位"] = part.unit
        part.forms = [form]
        p = folder / f"unit{i + 1:02d}.{fmt}"
        if fmt == "jxzp":
            save_document(part, p, backup=False)
        elif fmt == "json":
            save_interchange(part, p)
        else:
            from jixiao.excel.writer import write_workbook

            write_workbook(part, p)
        paths.append(p)
    return paths


def merge_once(paths: list[Path], out: Path) -> tuple[float, float, float, int]:
    """(read, merge, write) seconds and the number of forms merged."""
    from jixiao.core.fileio import save_document
    from jixiao.core.merge import UnitFile, merge_units
    from jixiao.inputs import read_inputs

    t0 = time.perf_counter()
    inputs = read_inputs(paths, refuse_open_elsewhere=True)
    t1 = time.perf_counter()
    result = merge_units([UnitFile(i.name, i.doc) for i in inputs])
    t2 = time.perf_counter()
    save_document(result.doc, out)
    t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2, len(result.doc.forms)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--units", type=int, default=30)
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--format", default="jxzp,json", help="input formats to time, comma-separated: jxzp,json,xlsx")
    p.add_argument("--json", action="store_true", help="one JSON line per format (for bench/run_all.py)")
    a = p.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-merge-") as tmp_s:
        tmp = Path(tmp_s)
        for fmt in a.format.split(","):
            folder = tmp / fmt
            folder.mkdir()
            paths = write_units(folder, a.units, fmt)
            merge_once(paths, tmp / "warm.jxzp")  # imports and caches, as in a running app
            runs = [merge_once(paths, tmp / f"dept-{fmt}.jxzp") for _ in range(a.runs)]
            totals = [sum(r[:3]) for r in runs]
            med = statistics.median(totals)
            forms = runs[0][3]
            split = [statistics.median(r[i] for r in runs) for i in range(3)]
            ok = med < TARGET or fmt == "xlsx"  # the target is for the app's own files
            failed |= not ok
            name = f"merge.{a.units} unit files ({fmt})"
            if a.json:
                print(json.dumps({"name": name, "times": totals, "forms": forms, "read": split[0], "merge": split[1],
                                  "write": split[2]}, ensure_ascii=False))
            else:
                verdict = ("PASS" if ok else "FAIL") if fmt != "xlsx" else "—"
                print(f"{name}: {forms} forms, median {med:.3f} s of {a.runs} runs "
                      f"(read {split[0]:.3f} + merge {split[1]:.3f} + write {split[2]:.3f}); "
                      f"target < {TARGET:.0f} s: {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
