"""Checks run on an untrusted .xlsx before any parser sees it.

A workbook is a zip file. Its central directory declares every entry's
compressed and uncompressed size; Python's zipfile never returns more bytes
than declared (and fails the CRC check if an entry lies), so capping the
declared sizes bounds the bytes openpyxl can read. Encrypted
(password-protected) workbooks and legacy .xls files are OLE2 containers, not
zips, and are recognised by their magic number.

Bytes are not the whole cost: openpyxl spends microseconds on every XML
element whatever its size (an empty ``<c/>`` costs as much as a filled cell),
and a worksheet part listed under many sheet names would be parsed once per
name. So the XML parts are also scanned (a fast count of ``<``, C speed) and
their elements capped at :data:`MAX_XML_TAGS`, worksheets counted once per
sheet that lists them; a part listed under two sheet names is refused (Excel
never writes that). :mod:`jixiao.excel.sheets` bounds what the elements
expand to (cells, characters of shared strings).

The same checks run on every workbook we export (:func:`check_workbook_bytes`),
so an export is never one the importer would refuse.
"""

from __future__ import annotations

import io
import os
import posixpath
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TOTAL_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ENTRY_UNCOMPRESSED = 40 * 1024 * 1024
# A form sheet is ~100 KB; our hidden data sheet ~45 KB per project form (its cost is
# bounded by characters, jixiao.excel.sheets.MAX_CHARS, not by bytes)
MAX_SHEET_UNCOMPRESSED = 40 * 1024 * 1024
MAX_ENTRIES = 5000
MAX_RATIO = 150  # uncompressed / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 2 * 1024 * 1024
# XML elements openpyxl may parse: ~2–9 µs each, so at most a few seconds. Our
# export of a project form of 20 indicators has ~1,400 (docs/file-format.md, "Limits").
MAX_XML_TAGS = 640_000
MAX_LISTED_SHEETS = 1000  # sheet entries in workbook.xml (jixiao.excel.sheets.MAX_SHEETS caps the ones read)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_SCAN_CHUNK = 1 << 20

Cancel = Callable[[], bool]


class UnsafeWorkbook(Exception):
    """Raised with a Chinese message; the reader turns it into ExcelImportError.
    ``what`` names the limit passed, for the export's own message (jixiao.excel.limits)."""

    def __init__(self, message: str, what: str = "") -> None:
        super().__init__(message)
        self.what = what


class ScanCancelled(UnsafeWorkbook):
    """The officer cancelled the import while the file was being checked."""


def check_workbook_file(path: str | os.PathLike[str], cancel: Cancel | None = None) -> None:
    p = Path(path)
    name = p.name
    try:
        if not p.is_file():  # a folder, a FIFO, a device: never opened (reading a FIFO would block)
            if not p.exists():
                raise UnsafeWorkbook(f"文件不存在：{p}")
            if p.is_dir():
                raise UnsafeWorkbook(f"“{name}”是文件夹，不是 Excel 文件")
            raise UnsafeWorkbook(f"“{name}”不是普通文件（可能是管道或设备），无法导入")
        size = p.stat().st_size
        with open(p, "rb") as fh:
            head = fh.read(8)
    except UnsafeWorkbook:
        raise
    except FileNotFoundError:
        raise UnsafeWorkbook(f"文件不存在：{p}") from None
    except IsADirectoryError:
        raise UnsafeWorkbook(f"“{name}”是文件夹，不是 Excel 文件") from None
    except OSError as exc:
        raise UnsafeWorkbook(f"无法打开“{name}”：{exc.strerror or exc}") from None
    if size == 0:
        raise UnsafeWorkbook(f"“{name}”是空文件")
    if head.startswith(OLE_MAGIC):
        raise UnsafeWorkbook(
            f"“{name}”是加密（设置了打开密码）的工作簿或旧版 .xls 文件，无法导入。"
            "请在 Excel/WPS 中取消密码，或另存为“Excel 工作簿（*.xlsx）”后再导入"
        )
    if not head.startswith(ZIP_MAGIC):
        raise UnsafeWorkbook(f"“{name}”不是 Excel 工作簿（.xlsx）。如是 .xls、.et 或 .csv，请先另存为 .xlsx")
    if size > MAX_FILE_BYTES:
        raise UnsafeWorkbook(f"“{name}”过大（{size / 1024 / 1024:.0f} MB），不像是绩效自评表，已拒绝导入")
    try:
        with open(p, "rb") as fh:
            _check_zip(fh, name, cancel)
    except OSError as exc:
        raise UnsafeWorkbook(f"无法读取“{name}”：{exc.strerror or exc}") from None


def check_workbook_bytes(data: bytes, name: str) -> None:
    """The import's checks on a workbook held in memory (an export about to be written)."""
    if len(data) > MAX_FILE_BYTES:
        raise UnsafeWorkbook(f"“{name}”过大（{len(data) / 1024 / 1024:.0f} MB），超过导入上限 "
                             f"{MAX_FILE_BYTES // 1024 // 1024} MB",
                             f"文件 {len(data) / 1024 / 1024:.0f} MB（上限 {MAX_FILE_BYTES // 1024 // 1024} MB）")
    _check_zip(io.BytesIO(data), name, None)


def _check_zip(fh: IO[bytes], name: str, cancel: Cancel | None) -> None:
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnsafeWorkbook(f"“{name}”已损坏，无法作为 .xlsx 读取（{exc}）") from None
    with zf:
        infos = zf.infolist()
        _check_entries(infos, name)
        try:
            _check_elements(zf, name, cancel)
        except UnsafeWorkbook:
            raise
        except Exception as exc:  # zlib.error, BadZipFile, CRC mismatch …: a damaged part
            raise UnsafeWorkbook(f"“{name}”已损坏，无法作为 .xlsx 读取（{exc}）") from None


def _check_entries(infos: list[zipfile.ZipInfo], name: str) -> None:
    if len(infos) > MAX_ENTRIES:
        raise UnsafeWorkbook(f"“{name}”包含的部件过多（{len(infos)} 个），已拒绝导入",
                             f"部件 {len(infos)} 个（上限 {MAX_ENTRIES} 个）")
    total = 0
    names = set()
    for info in infos:
        names.add(info.filename)
        if info.flag_bits & 0x1:
            raise UnsafeWorkbook(f"“{name}”中的内容已加密，无法导入")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnsafeWorkbook(f"“{name}”使用了不支持的压缩方式，可能不是 Excel 保存的文件")
        cap = MAX_SHEET_UNCOMPRESSED if info.filename.startswith("xl/worksheets/") else MAX_ENTRY_UNCOMPRESSED
        if info.file_size > cap:
            raise UnsafeWorkbook(
                f"“{name}”中的部件 {info.filename} 解压后达 {info.file_size / 1024 / 1024:.0f} MB，"
                f"超过导入上限 {cap // 1024 // 1024} MB，已拒绝导入（可能是恶意构造的压缩文件）",
                f"部件 {info.filename} 有 {info.file_size / 1024 / 1024:.0f} MB（上限 {cap // 1024 // 1024} MB）")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise UnsafeWorkbook(
                f"“{name}”中的部件 {info.filename} 压缩比异常（{info.file_size // max(1, info.compress_size)}:1），"
                "可能是恶意构造的压缩文件（“压缩炸弹”），已拒绝导入",
                f"部件 {info.filename} 的压缩比 {info.file_size // max(1, info.compress_size)}:1（上限 {MAX_RATIO}:1）")
        total += info.file_size
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise UnsafeWorkbook(
                f"“{name}”解压后超过 {MAX_TOTAL_UNCOMPRESSED // 1024 // 1024} MB，超出绩效自评表的合理大小，已拒绝导入",
                f"解压后超过 {MAX_TOTAL_UNCOMPRESSED // 1024 // 1024} MB")
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        if "EncryptedPackage" in names:
            raise UnsafeWorkbook(f"“{name}”是加密的工作簿，无法导入")
        raise UnsafeWorkbook(f"“{name}”是压缩文件，但不是 Excel 工作簿（缺少 workbook.xml）")


def _count_tags(zf: zipfile.ZipFile, entry: str, cancel: Cancel | None) -> int:
    n = 0
    with zf.open(entry) as src:
        while chunk := src.read(_SCAN_CHUNK):
            n += chunk.count(b"<")
            if cancel is not None and cancel():
                raise ScanCancelled("已取消导入")
    return n


def _check_elements(zf: zipfile.ZipFile, name: str, cancel: Cancel | None) -> None:
    entries = {i.filename for i in zf.infolist() if not i.is_dir()}
    xml_parts = [e for e in sorted(entries) if e.lower().endswith(_XML_SUFFIXES)]
    listed = _listed_sheet_parts(zf, entries, name)
    sheet_parts = {part for _, part in listed}
    tags = 0

    def add(n: int, what: str) -> None:
        nonlocal tags
        tags += n
        if tags > MAX_XML_TAGS:
            raise UnsafeWorkbook(
                f"“{name}”的 XML 元素超过 {MAX_XML_TAGS:,} 个（到 {what} 为止），超出绩效自评表的合理规模，"
                "已拒绝导入（可能是恶意构造的文件：很小的文件展开后要处理大量单元格）",
                f"XML 元素超过 {MAX_XML_TAGS:,} 个（约相当于 {MAX_XML_TAGS // 1400} 张各有 20 条指标的项目表）")

    for part in xml_parts:  # every part once, worksheets below once per sheet that lists them
        if part not in sheet_parts:
            add(_count_tags(zf, part, cancel), part)
    for sheet, part in listed:
        add(_count_tags(zf, part, cancel), f"工作表“{sheet}”")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _listed_sheet_parts(zf: zipfile.ZipFile, entries: set[str], name: str) -> list[tuple[str, str]]:
    """(sheet name, part) for every sheet workbook.xml lists whose part exists. A part
    listed under two names is refused; a workbook.xml we cannot read lists nothing here
    (openpyxl then fails on it with its own message)."""
    wb_part = _workbook_part(zf, entries)
    if wb_part is None:
        return []
    rels_part = posixpath.join(posixpath.dirname(wb_part), "_rels", posixpath.basename(wb_part) + ".rels")
    for part in (wb_part, rels_part):  # small parts, but count their elements before parsing them
        if part in entries and _count_tags(zf, part, None) > MAX_XML_TAGS:
            raise UnsafeWorkbook(f"“{name}”的 {part} 超出合理规模，已拒绝导入")
    try:
        root = ElementTree.fromstring(zf.read(wb_part))
        rels = ElementTree.fromstring(zf.read(rels_part)) if rels_part in entries else None
    except ElementTree.ParseError:
        return []
    targets: dict[str, str] = {}
    base = posixpath.dirname(wb_part)
    for rel in rels.iter() if rels is not None else ():
        if _local(rel.tag) == "Relationship" and rel.get("TargetMode") != "External":
            target = rel.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            targets[rel.get("Id") or ""] = posixpath.normpath(path)
    out: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for el in root.iter():
        if _local(el.tag) != "sheet":
            continue
        if len(out) >= MAX_LISTED_SHEETS:
            raise UnsafeWorkbook(f"“{name}”列出的工作表超过 {MAX_LISTED_SHEETS} 个，已拒绝导入")
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
        part = targets.get(rid)
        if part is None or part not in entries:
            continue
        sheet = el.get("name") or "?"
        if part in seen:
            raise UnsafeWorkbook(
                f"“{name}”中的工作表“{seen[part]}”和“{sheet}”指向同一部件 {part}。Excel 不会这样保存，"
                "这可能是恶意构造的文件（同一内容会被重复展开），已拒绝导入")
        seen[part] = sheet
        out.append((sheet, part))
    return out


def _workbook_part(zf: zipfile.ZipFile, entries: set[str]) -> str | None:
    """The workbook part the package's root relationships name (xl/workbook.xml as a rule)."""
    if "_rels/.rels" in entries:
        try:
            if _count_tags(zf, "_rels/.rels", None) <= 10_000:
                for rel in ElementTree.fromstring(zf.read("_rels/.rels")).iter():
                    if _local(rel.tag) == "Relationship" and (rel.get("Type") or "").endswith("/officeDocument"):
                        part = posixpath.normpath((rel.get("Target") or "").lstrip("/"))
                        if part in entries:
                            return part
        except ElementTree.ParseError:
            pass
    return "xl/workbook.xml" if "xl/workbook.xml" in entries else None
