"""Untrusted input: clear Chinese errors, bounded time and memory, nothing written."""

from __future__ import annotations

import io
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from jixiao.excel.reader import ExcelImportError, read_workbook
from jixiao.excel.writer import write_workbook
from tests.excel.helpers import ROOT, bundle

CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'  # noqa: E501
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'  # noqa: E501
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'  # noqa: E501
    "</Relationships>"
)
WB = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'  # noqa: E501
    "</Relationships>"
)
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def minimal_xlsx(path: Path, sheet_xml: bytes | None = None, *, write_sheet=None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CT)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("xl/workbook.xml", WB)
        zf.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        if write_sheet is not None:
            with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
                write_sheet(fh)
        else:
            zf.writestr("xl/worksheets/sheet1.xml", sheet_xml or (SHEET_HEAD + SHEET_TAIL).encode())
    return path


def _assert_fails_fast(path: Path, match: str, limit: float = 10.0) -> None:
    t0 = time.monotonic()
    with pytest.raises(ExcelImportError, match=match):
        read_workbook(path)
    assert time.monotonic() - t0 < limit


def test_minimal_valid_workbook_without_forms(tmp_path):
    path = minimal_xlsx(tmp_path / "empty.xlsx")
    _assert_fails_fast(path, "没有找到")


def test_not_a_workbook(tmp_path):
    p = tmp_path / "notes.xlsx"
    p.write_text("项目名称,金额\n甲,1\n", encoding="utf-8")
    _assert_fails_fast(p, "不是 Excel 工作簿")
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    _assert_fails_fast(empty, "空文件")
    _assert_fails_fast(tmp_path / "missing.xlsx", "不存在")
    _assert_fails_fast(tmp_path, "文件夹")


def test_encrypted_or_legacy_xls(tmp_path):
    p = tmp_path / "secret.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    _assert_fails_fast(p, "加密")


def test_corrupt_zip(tmp_path):
    good = tmp_path / "good.xlsx"
    write_workbook(bundle("s002_p01.json"), good)
    data = good.read_bytes()
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(data[: len(data) // 2])
    _assert_fails_fast(truncated, "损坏")
    garbled = tmp_path / "garbled.xlsx"
    mid = len(data) // 3
    garbled.write_bytes(data[:mid] + bytes(b ^ 0x5A for b in data[mid:mid + 2000]) + data[mid + 2000:])
    _assert_fails_fast(garbled, "损坏|无法")
    other_zip = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(other_zip, "w") as zf:
        zf.writestr("a.txt", "hello")
    _assert_fails_fast(other_zip, "不是 Excel 工作簿")


def test_broken_xml_inside(tmp_path):
    path = minimal_xlsx(tmp_path / "bad.xlsx", b"<worksheet><sheetData><row><c><v>1</v></c>")
    _assert_fails_fast(path, "损坏")


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    zeros = b"\0" * (1024 * 1024)

    def write(fh):
        fh.write(SHEET_HEAD.encode())
        for _ in range(150):  # 150 MB of zeros, about 150 KB compressed
            fh.write(zeros)
        fh.write(SHEET_TAIL.encode())

    path = minimal_xlsx(tmp_path / "bomb.xlsx", write_sheet=write)
    assert path.stat().st_size < 2 * 1024 * 1024
    _assert_fails_fast(path, "压缩|过大|MB", limit=5)


def test_lying_central_directory_is_bounded(tmp_path):
    """An entry that declares a small size but inflates to a huge one cannot be read past its declaration."""
    raw = SHEET_HEAD.encode() + b" " * (40 * 1024 * 1024) + SHEET_TAIL.encode()
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = comp.compress(raw) + comp.flush()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CT)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("xl/workbook.xml", WB)
        zf.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, b"x")  # placeholder, patched below
    data = bytearray(buf.getvalue())
    # rebuild with the real deflate stream but a declared size of 1 KB
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item.filename))
    p = tmp_path / "liar.xlsx"
    blob = out.getvalue()
    # append the lying entry by hand: local header + data + central directory
    import struct

    name = b"xl/worksheets/sheet1.xml"
    crc = zlib.crc32(raw[:1024])
    eocd_at = blob.rfind(b"PK\x05\x06")
    cd_size, cd_off = struct.unpack("<II", blob[eocd_at + 12:eocd_at + 20])
    entries = struct.unpack("<H", blob[eocd_at + 10:eocd_at + 12])[0]
    local_off = cd_off
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(body), 1024, len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(body), 1024,
                          len(name), 0, 0, 0, 0, 0, local_off) + name
    old_cd = blob[cd_off:cd_off + cd_size]
    new_cd_off = local_off + len(local) + len(body)
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries + 1, entries + 1, len(old_cd) + len(central), new_cd_off, 0)  # noqa: E501
    p.write_bytes(blob[:cd_off] + local + body + old_cd + central + eocd)
    t0 = time.monotonic()
    with pytest.raises(ExcelImportError):
        read_workbook(p)
    assert time.monotonic() - t0 < 10


def test_million_row_sheet(tmp_path):
    def write(fh):
        fh.write(SHEET_HEAD.encode())
        chunk = []
        for r in range(1, 1_000_001):
            chunk.append(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>')
            if len(chunk) == 50_000:
                fh.write("".join(chunk).encode())
                chunk = []
        fh.write("".join(chunk).encode())
        fh.write(SHEET_TAIL.encode())

    path = minimal_xlsx(tmp_path / "huge.xlsx", write_sheet=write)
    _assert_fails_fast(path, "超过|过大|压缩", limit=15)


def test_too_many_rows_within_the_size_cap(tmp_path):
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 60_001))
    path = minimal_xlsx(tmp_path / "long.xlsx", (SHEET_HEAD + rows + SHEET_TAIL).encode())
    _assert_fails_fast(path, "超过 10000 行", limit=10)


def test_far_away_cell_does_not_blow_up(tmp_path):
    sheet = (SHEET_HEAD + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>' + SHEET_TAIL)
    path = minimal_xlsx(tmp_path / "far.xlsx", sheet.encode())
    _assert_fails_fast(path, "没有找到", limit=10)


def test_cli_import_of_bad_file_writes_nothing(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    out = tmp_path / "out.jxzp"
    proc = subprocess.run([sys.executable, "-m", "jixiao", "import", str(bad), "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode != 0
    assert "加密" in proc.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx"]


def test_a_huge_number_cell_is_read_as_text_not_a_crash(tmp_path):
    import openpyxl

    from jixiao.excel.reader import read_workbook

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "测试项目"])
    ws.append(["账号", 6.222021234567890e18])
    p = tmp_path / "big.xlsx"
    wb.save(p)
    result = read_workbook(p)  # used to raise decimal.InvalidOperation
    assert result.document.forms and result.document.forms[0].name == "测试项目"
