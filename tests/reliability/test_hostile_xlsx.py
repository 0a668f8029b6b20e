"""Malformed and oversized .xlsx files: a zip bomb, a million rows, a wrong file
renamed .xlsx, an encrypted (OLE) workbook, truncated zips. Each import ends
quickly with ExcelImportError (a Chinese message) – no other exception, no hang,
no memory blow-up. Each case runs in a child process with a time limit (and a
2 GiB address-space cap on Linux)."""

from __future__ import annotations

import io
import zipfile

import pytest

from .support import generate_document, import_in_child, report

TIME_LIMIT = 60  # seconds per file, generous for a busy 2-core CI machine
SECOND_LIMIT = 15  # what we expect in practice

def _import_in_child(path):
    return import_in_child(path, timeout=TIME_LIMIT, memory_cap_gib=2)


_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'  # noqa: E501
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'  # noqa: E501
       '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'  # noqa: E501
         '</Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '  # noqa: E501
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
       '<sheet name="项目支出绩效自评表" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'  # noqa: E501
            '</Relationships>')
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<sheetData>')
_SHEET_TAIL = "</sheetData></worksheet>"


def _workbook(path, write_sheet):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(_SHEET_HEAD.encode())
            write_sheet(fh)
            fh.write(_SHEET_TAIL.encode())


def make_zip_bomb(path):
    """~1 GiB of sheet XML (one cell of a huge string, then whitespace) in a file of about 1 MB."""
    def body(fh):
        fh.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
        chunk = b"A" * (1 << 20)
        for _ in range(1024):
            fh.write(chunk)
        fh.write(b"</t></is></c></row>")
    _workbook(path, body)


def make_million_rows(path):
    def body(fh):
        buf = io.BytesIO()
        for i in range(1, 1_000_001):
            buf.write(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%d</t></is></c></row>' % (i, i, i))
            if i % 50_000 == 0:
                fh.write(buf.getvalue())
                buf = io.BytesIO()
        fh.write(buf.getvalue())
    _workbook(path, body)


def make_million_empty_rows(path):
    """A million rows that fit the size limits: the reader must bound the rows it walks, not only the bytes."""
    def body(fh):
        fh.write('<row r="1"><c r="A1" t="inlineStr"><is><t>项目支出绩效自评表</t></is></c></row>'.encode())
        buf = io.BytesIO()
        for i in range(2, 1_000_001):
            buf.write(b'<row r="%d"/>' % i)
            if i % 100_000 == 0:
                fh.write(buf.getvalue())
                buf = io.BytesIO()
        fh.write(buf.getvalue())
        fh.write(b'<row r="1000001"><c r="A1000001" t="inlineStr"><is><t>x</t></is></c></row>')
    _workbook(path, body)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("xlsx")
    out = {}
    make_zip_bomb(d / "bomb.xlsx")
    out["zip bomb (1 GiB sheet in ~1 MB)"] = d / "bomb.xlsx"
    make_million_rows(d / "rows.xlsx")
    out["1,000,000 rows"] = d / "rows.xlsx"
    make_million_empty_rows(d / "rows2.xlsx")
    out["1,000,000 empty rows within the size limits"] = d / "rows2.xlsx"
    (d / "png.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    out["PNG renamed .xlsx"] = d / "png.xlsx"
    (d / "pdf.xlsx").write_bytes(b"%PDF-1.7\n" + b"0" * 5000)
    out["PDF renamed .xlsx"] = d / "pdf.xlsx"
    (d / "text.xlsx").write_text("项目名称,分值\n科普,10\n", encoding="utf-8")
    out["CSV renamed .xlsx"] = d / "text.xlsx"
    (d / "empty.xlsx").write_bytes(b"")
    out["empty file"] = d / "empty.xlsx"
    with zipfile.ZipFile(d / "plainzip.xlsx", "w") as z:
        z.writestr("readme.txt", "不是工作簿")
    out["plain zip renamed .xlsx"] = d / "plainzip.xlsx"
    with zipfile.ZipFile(d / "docx.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    out[".docx renamed .xlsx"] = d / "docx.xlsx"
    # an encrypted workbook is an OLE compound file (EncryptionInfo + EncryptedPackage streams)
    (d / "password.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
                                      + b"\x00" * 4000)
    out["password-protected (OLE)"] = d / "password.xlsx"
    from jixiao.excel.writer import write_workbook

    good = d / "good.xlsx"
    write_workbook(generate_document(projects=2), good)
    data = good.read_bytes()
    for frac in (0.1, 0.5, 0.9, 0.99):
        p = d / f"trunc{int(frac * 100)}.xlsx"
        p.write_bytes(data[: int(len(data) * frac)])
        out[f"our export truncated at {int(frac * 100)}%"] = p
    garbled = bytearray(data)
    for k in range(200, len(garbled), 997):
        garbled[k] ^= 0x5A
    (d / "garbled.xlsx").write_bytes(bytes(garbled))
    out["our export with garbled bytes"] = d / "garbled.xlsx"
    return out


CASES = ["zip bomb (1 GiB sheet in ~1 MB)", "1,000,000 rows", "1,000,000 empty rows within the size limits", "PNG renamed .xlsx", "PDF renamed .xlsx",  # noqa: E501
         "CSV renamed .xlsx", "empty file", "plain zip renamed .xlsx", ".docx renamed .xlsx", "password-protected (OLE)",  # noqa: E501
         "our export truncated at 10%", "our export truncated at 50%", "our export truncated at 90%",
         "our export truncated at 99%", "our export with garbled bytes"]
RESULTS: dict[str, dict] = {}


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_hostile_workbook_is_refused_quickly(files, case):
    pytest.importorskip("jixiao.excel.reader")
    out = _import_in_child(files[case])
    RESULTS[case] = out
    assert out["outcome"] == "ExcelImportError", out
    assert any("\u4e00" <= ch <= "\u9fff" for ch in out["message"]), out
    assert out["seconds"] < SECOND_LIMIT, out


def test_hostile_workbooks_reported():
    if not RESULTS:
        pytest.skip("run together with test_hostile_workbook_is_refused_quickly")
    assert all(r["outcome"] == "ExcelImportError" for r in RESULTS.values())
    assert max(r["seconds"] for r in RESULTS.values()) < SECOND_LIMIT
    if RESULTS:
        refused = sum(1 for r in RESULTS.values() if r["outcome"] == "ExcelImportError")
        slowest = max(RESULTS.items(), key=lambda kv: kv[1]["seconds"])
        report(f"hostile .xlsx: {len(RESULTS)} files (zip bomb, 1,000,000 rows, renamed PNG/PDF/CSV/zip/docx, "
               f"encrypted OLE, truncated and garbled exports): ExcelImportError {refused}/{len(RESULTS)}; "
               f"slowest {slowest[0]} {slowest[1]['seconds']:.2f} s; memory capped at 2 GiB")
