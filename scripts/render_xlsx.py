#!/usr/bin/env python3
"""Export seed documents to .xlsx, print them to PDF with LibreOffice and
rasterise the pages, so a person can compare the printout with the official
forms on A4.

    python scripts/render_xlsx.py [OUT_DIR]

OUT_DIR defaults to ``jixiao-render`` in the system's temporary folder (tempfile),
so it works on Windows too and the images are never committed.

Needs ``soffice`` (Debian: libreoffice-calc) and ``pdftoppm`` (poppler-utils).
Writes OUT_DIR/<name>.xlsx, <name>.pdf and <name>-<page>.png; prints the page
sizes of every PDF. Images are for looking at, never for committing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jixiao.core.fileio import load_document  # noqa: E402
from jixiao.core.model import Document  # noqa: E402
from jixiao.excel.writer import write_workbook  # noqa: E402

SEEDS = ROOT / "tests" / "data" / "seeds"
BUNDLES = {
    "xinjiang-002": ["s002_department.json", "s002_p01.json", "s002_p03.json"],
    "karamay-003": ["s003_department.json"],
    "henan-004": ["s004_department.json", "s004_p_kepu_huodong.json", "s004_p_keji_jiaoliu_zhaoshang.json"],
}


def bundle(files: list[str]) -> Document:
    docs = [load_document(SEEDS / f) for f in files]
    doc = docs[0]
    for d in docs[1:]:
        doc.forms.extend(d.forms)
    return doc


DEFAULT_OUT = Path(tempfile.gettempdir()) / "jixiao-render"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        print("需要 soffice（apt-get install libreoffice-calc）和 pdftoppm（poppler-utils）", file=sys.stderr)
        return 2
    docs = {name: bundle(files) for name, files in BUNDLES.items()}
    for p in sorted((ROOT / "resources" / "examples").glob("*.jxzp")):
        docs[p.stem] = load_document(p)
    with tempfile.TemporaryDirectory() as profile:
        for name, doc in docs.items():
            xlsx = out / f"{name}.xlsx"
            write_workbook(doc, xlsx)
            subprocess.run(
                [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--convert-to", "pdf",
                 "--outdir", str(out), str(xlsx)],
                check=True, stdout=subprocess.DEVNULL, timeout=300,
            )
            pdf = out / f"{name}.pdf"
            for old in out.glob(f"{name}-*.png"):
                old.unlink()
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / name)], check=True, timeout=300)
            info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True)
            sizes = sorted({line.split(":", 1)[1].strip() for line in info.stdout.splitlines()
                            if line.startswith("Page") and "size" in line})
            pages = len(list(out.glob(f"{name}-*.png")))
            print(f"{pdf}: {pages} 页，{'; '.join(sizes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
