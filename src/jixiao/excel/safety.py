"""Checks run on an untrusted .xlsx before any parser sees it.

A workbook is a zip file. Its central directory declares every entry's
compressed and uncompressed size; Python's zipfile never returns more bytes
than declared (and fails the CRC check if an entry lies), so capping the
declared sizes bounds the memory and time openpyxl can spend. Encrypted
(password-protected) workbooks and legacy .xls files are OLE2 containers, not
zips, and are recognised by their magic number.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TOTAL_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ENTRY_UNCOMPRESSED = 40 * 1024 * 1024
# openpyxl scans a whole worksheet once to size it; a form sheet is ~100 KB
MAX_SHEET_UNCOMPRESSED = 20 * 1024 * 1024
MAX_ENTRIES = 5000
MAX_RATIO = 150  # uncompressed / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 2 * 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class UnsafeWorkbook(Exception):
    """Raised with a Chinese message; the reader turns it into ExcelImportError."""


def check_workbook_file(path: str | os.PathLike) -> None:
    p = Path(path)
    name = p.name
    try:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            head = fh.read(8)
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
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnsafeWorkbook(f"“{name}”已损坏，无法作为 .xlsx 读取（{exc}）") from None
    if len(infos) > MAX_ENTRIES:
        raise UnsafeWorkbook(f"“{name}”包含的部件过多（{len(infos)} 个），已拒绝导入")
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
                "超出绩效自评表的合理大小，已拒绝导入（可能是恶意构造的压缩文件）"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise UnsafeWorkbook(
                f"“{name}”中的部件 {info.filename} 压缩比异常（{info.file_size // max(1, info.compress_size)}:1），"
                "可能是恶意构造的压缩文件（“压缩炸弹”），已拒绝导入"
            )
        total += info.file_size
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise UnsafeWorkbook(
                f"“{name}”解压后超过 {MAX_TOTAL_UNCOMPRESSED // 1024 // 1024} MB，超出绩效自评表的合理大小，已拒绝导入"
            )
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        if "EncryptedPackage" in names:
            raise UnsafeWorkbook(f"“{name}”是加密的工作簿，无法导入")
        raise UnsafeWorkbook(f"“{name}”是压缩文件，但不是 Excel 工作簿（缺少 workbook.xml）")
