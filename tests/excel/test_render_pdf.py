"""The exported workbook printed by LibreOffice: A4 landscape pages holding the form
(and never the hidden helper sheet). Skipped where LibreOffice is not installed;
scripts/render_xlsx.py renders the seed bundles to PNG for a person to look at."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from jixiao.excel.writer import write_workbook
from tests.excel.helpers import bundle

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(not (SOFFICE and shutil.which("pdfinfo") and shutil.which("pdftotext")),
                                reason="需要 LibreOffice（libreoffice-calc）与 poppler-utils")


def test_printout_is_a4_landscape_and_shows_the_form(tmp_path):
    doc = bundle("s002_p03.json")
    xlsx = tmp_path / "p03.xlsx"
    write_workbook(doc, xlsx)
    profile = tmp_path / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(xlsx)], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "p03.pdf"
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "20", str(pdf)], capture_output=True, text=True, check=True).stdout
    sizes = [line for line in info.splitlines() if line.startswith("Page") and "size" in line]
    assert sizes
    for s in sizes:
        w, h = (float(v) for v in s.split(":", 1)[1].split("pts")[0].split(" x "))
        assert abs(w - 841.89) < 1 and abs(h - 595.28) < 1, s  # A4 landscape
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert 1 <= pages <= 6
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "项目支出绩效自评表" in text
    assert re.search(r"第\s*1\s*页\s*共\s*\d+\s*页", text)
    assert "单位负责人" in text
    assert "jixiao-xlsx" not in text and "template_snapshot" not in text  # the helper sheet is not printed
