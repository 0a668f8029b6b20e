"""LibreOffice as the tests use it: printing exported workbooks to PDF.

On a machine set up by ``scripts/setup-test.sh`` (which exports
``JIXIAO_TEST_SETUP=1``) LibreOffice is a test dependency and its absence fails
the tests; elsewhere they are skipped. The workbook names 宋体 (SimSun), as
Excel and WPS on Windows use it; for LibreOffice to print with the metrics the
layout was measured with, the conversion runs with a fontconfig file that maps
宋体/SimSun to AR PL UMing CN (Debian: fonts-arphic-uming), the face the app
bundles.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <match target="pattern">
    <test qual="any" name="family"><string>宋体</string></test>
    <edit name="family" mode="assign" binding="strong"><string>AR PL UMing CN</string></edit>
  </match>
  <match target="pattern">
    <test qual="any" name="family"><string>SimSun</string></test>
    <edit name="family" mode="assign" binding="strong"><string>AR PL UMing CN</string></edit>
  </match>
</fontconfig>
"""


def require_libreoffice() -> str:
    """The soffice command; fails (set-up machine) or skips (elsewhere) without it."""
    if SOFFICE and shutil.which("pdfinfo") and shutil.which("pdftotext"):
        return SOFFICE
    msg = "需要 LibreOffice（libreoffice-calc-nogui）与 poppler-utils：bash scripts/setup-test.sh 会安装"
    if os.environ.get("JIXIAO_TEST_SETUP"):
        pytest.fail(msg + "（本机由 setup-test.sh 配置，却找不到它们）")
    pytest.skip(msg)


def print_workbooks(xlsx: list[Path], out: Path) -> list[Path]:
    """PDFs of ``xlsx`` printed by LibreOffice (one run), with a bookmark per sheet."""
    soffice = require_libreoffice()
    out.mkdir(parents=True, exist_ok=True)
    conf = out / "fonts.conf"
    conf.write_text(FONTCONFIG, encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    profile = out / "lo-profile"
    flt = 'pdf:calc_pdf_Export:{"ExportBookmarks":{"type":"boolean","value":"true"}}'
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", flt, "--outdir", str(out), *map(str, xlsx)],
                   check=True, capture_output=True, timeout=600, env=env)
    pdfs = [out / (p.stem + ".pdf") for p in xlsx]
    missing = [p.name for p in pdfs if not p.exists()]
    assert not missing, f"LibreOffice printed nothing for {missing}"
    return pdfs


def pages_per_sheet(pdf: Path) -> dict[str, int]:
    """Pages of each sheet in LibreOffice's printout, from its bookmarks (one per sheet)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    marks = [(str(o.title), reader.get_destination_page_number(o)) for o in reader.outline if not isinstance(o, list)]
    out: dict[str, int] = {}
    for k, (title, start) in enumerate(marks):
        end = marks[k + 1][1] if k + 1 < len(marks) else len(reader.pages)
        out[title] = end - start
    return out
