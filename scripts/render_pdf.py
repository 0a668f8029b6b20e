"""Render the bundled examples (or the seed documents) to PDF and PNG pages, for looking.

    python scripts/render_pdf.py [-o OUTDIR] [--dpi 70] [--report] [FILE ...]

Without FILE it renders every ``resources/examples/*.jxzp`` and, for seeds 002
(新疆) and 004 (河南), one document merged from ``tests/data/seeds``. For each
document it writes ``NAME.pdf`` and ``NAME-N.png`` pages (with poppler's
``pdftoppm``, when installed) into OUTDIR (default: ``jixiao-pdf-pages`` in the
system's temporary folder, so the images are never committed). Compare the pages
with the grids in the seed texts (``tests/data/seeds/text``) or the published
reports: merges, header rows repeated on continuation pages, page numbers, the
sign-off block.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jixiao.core.fileio import document_from_data, load_document  # noqa: E402
from jixiao.pdf.writer import write_findings_pdf, write_pdf  # noqa: E402

SEEDS = ROOT / "tests" / "data" / "seeds"
SEED_SETS = {
    "seed002-新疆": ["s002_department.json"] + [f"s002_p{i:02d}.json" for i in range(1, 20)],
    "seed004-河南": ["s004_department.json"] + sorted(p.name for p in SEEDS.glob("s004_p_*.json")),
}


def merged_seed(files: list[str]):
    from jixiao.core.interchange import merge_interchange

    parts = [json.loads((SEEDS / f).read_text(encoding="utf-8")) for f in files]
    return document_from_data(merge_interchange(parts), "seed")


def render(name: str, doc, out: Path, dpi: int, report: bool) -> None:
    pdf = out / f"{name}.pdf"
    t = time.perf_counter()
    write_pdf(doc, pdf)
    took = time.perf_counter() - t
    print(f"{pdf}  {pdf.stat().st_size // 1024} KB  {len(doc.forms)} forms  {took:.2f} s")
    if report:
        rep = out / f"{name}-校验报告.pdf"
        write_findings_pdf(doc, rep)
        print(f"{rep}")
    if shutil.which("pdftoppm"):
        for old in out.glob(f"{name}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out / name)], check=True)
        if report:
            subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(rep), str(out / f"{name}-校验报告")], check=True)
        print(f"  pages: {len(list(out.glob(f'{name}-*.png')))} PNG at {dpi} dpi")
    else:
        print("  (pdftoppm not found: install poppler-utils to get PNG pages)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", help=".jxzp / JSON documents (default: the examples and seeds)")
    ap.add_argument("-o", "--out", default=str(Path(tempfile.gettempdir()) / "jixiao-pdf-pages"))
    ap.add_argument("--dpi", type=int, default=70)
    ap.add_argument("--report", action="store_true", help="also render the 校验报告")
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    if a.files:
        for f in a.files:
            render(Path(f).stem, load_document(f), out, a.dpi, a.report)
        return 0
    for ex in sorted((ROOT / "resources" / "examples").glob("*.jxzp")):
        render(ex.stem, load_document(ex), out, a.dpi, a.report)
    for name, files in SEED_SETS.items():
        render(name, merged_seed(files), out, a.dpi, a.report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
