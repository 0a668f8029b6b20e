"""Reading and writing documents: the native ``.jxzp`` file and the plain JSON
interchange file, told apart by content.

Saving is atomic: the new content goes to a temporary file in the same
folder, is flushed and fsynced, and replaces the document with ``os.replace``;
the previous version is kept beside it as ``<name>.bak``. A crash or power
cut at any moment leaves either the old or the new file, complete.
Opening a damaged, truncated, foreign or newer-version file raises
:class:`DocumentError` with a Chinese message and writes nothing.
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from jixiao import __version__
from jixiao.core.interchange import InterchangeError, document_from_json, document_to_json
from jixiao.core.model import Document
from jixiao.core.templates import TemplateError
from jixiao.core.text import encode_utf8, replaced_note, scrub

FORMAT_MARKER = "jixiao-document"
FORMAT_VERSION = 1
EXTENSION = ".jxzp"
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"


class DocumentError(Exception):
    """A document cannot be opened or saved. ``str()`` is a Chinese message fit for the user."""


def sniff(path: Path) -> str:
    """``"xlsx"``, ``"native"``, ``"interchange"`` or ``"unknown"``, by content."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise DocumentError(_os_message("打开", path, exc)) from exc
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # legacy .xls or an encrypted workbook
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"{"):
        return "native" if FORMAT_MARKER.encode() in head else "interchange"
    return "unknown"


def load_document(path: str | os.PathLike, notes: list[str] | None = None) -> Document:
    """Open a native document or an interchange file. Notes for the officer
    (characters that had to be replaced) are appended to ``notes``."""
    p = Path(path)
    kind = sniff(p)
    if kind == "xlsx":
        raise DocumentError(f"{p.name} 是 Excel 工作簿，请使用“从Excel导入”（jixiao import）")
    if kind == "ole":
        raise DocumentError(f"{p.name} 是旧版 .xls 或加密的工作簿，无法作为自评文件打开")
    if kind == "unknown":
        raise DocumentError(f"{p.name} 不是绩效自评文件（.jxzp）或 JSON 交换文件")
    try:
        size = p.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise DocumentError(f"{p.name} 过大（{size / 1024 / 1024:.1f} MB），超过自评文件的上限 "
                                f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB，不像是自评文件")
        raw = p.read_bytes()
    except OSError as exc:
        raise DocumentError(_os_message("打开", p, exc)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError(f"{p.name} 不是 UTF-8 编码的文本，文件可能已损坏") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1:
            raise DocumentError(
                f"{p.name} 内容不完整（可能在保存时被中断）。可尝试打开同目录下的备份 {p.name}.bak") from None
        raise DocumentError(f"{p.name} 已损坏：第 {exc.lineno} 行第 {exc.colno} 列格式错误") from None
    except (RecursionError, ValueError):  # absurdly deep nesting or a number with thousands of digits
        raise DocumentError(f"{p.name} 已损坏：内容结构异常，不是有效的自评文件") from None
    return document_from_data(data, p.name, notes)


def document_from_data(data: Any, name: str = "文件", notes: list[str] | None = None) -> Document:
    data, replaced = scrub(data)
    if replaced and notes is not None:
        notes.append(f"{name}：{replaced_note(replaced)}")
    native = isinstance(data, dict) and data.get("format") == FORMAT_MARKER
    if native:
        version = data.get("format_version")
        if not isinstance(version, int):
            raise DocumentError(f"{name} 缺少格式版本号，文件可能已损坏")
        if version > FORMAT_VERSION:
            raise DocumentError(
                f"{name} 由更新版本的 jixiao 保存（文件格式版本 {version}，"
                f"本程序支持到 {FORMAT_VERSION}），请升级后再打开"
            )
    elif not (isinstance(data, dict) and "forms" in data and "template" in data):
        raise DocumentError(f"{name} 不是绩效自评文件：缺少 template 和 forms")
    try:
        return document_from_json(data, native=native)
    except (InterchangeError, TemplateError) as exc:
        raise DocumentError(f"{name}：{exc}") from exc


def document_to_data(doc: Document) -> dict:
    body = document_to_json(doc, native=True)
    return {
        "format": FORMAT_MARKER,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "saved_at": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        **body,
        "template_snapshot": doc.embedded_template or dict(doc.template.source),
    }


def serialize(doc: Document) -> bytes:
    return encode_utf8(json.dumps(document_to_data(doc), ensure_ascii=False, indent=1))


def save_interchange(doc: Document, path: str | os.PathLike) -> None:
    data = document_to_json(doc, native=False)
    payload = encode_utf8(json.dumps(data, ensure_ascii=False, indent=2))
    check_openable(payload, Path(path))
    atomic_write(Path(path), payload, backup=False)


def save_document(doc: Document, path: str | os.PathLike, *, backup: bool = True) -> None:
    payload = serialize(doc)
    check_openable(payload, Path(path))
    atomic_write(Path(path), payload, backup=backup)


def check_openable(payload: bytes, path: Path) -> None:
    """Refuse, before writing, a file :func:`load_document` would refuse to open."""
    if len(payload) > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            f"“{path.name}”未保存：文档过大（{len(payload) / 1024 / 1024:.1f} MB），超过本程序能打开的上限 "
            f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB，保存后将无法再打开。文档仍在内存中；"
            "请删去过长的文字，或把项目拆分为几个文件（jixiao merge 可以再合并）")


def atomic_write(path: Path, payload: bytes, *, backup: bool = True, action: str = "保存") -> None:
    """Write ``payload`` to ``path`` so that a crash leaves the old or the new
    content, never a mix; keep the old content as ``path.bak``."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DocumentError(f"无法{action}：文件夹“{folder}”不存在（可能已被移动或删除）")
    if path.exists() and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222):
        # the mode check also honours the read-only flag for root (os.access says yes to root)
        raise DocumentError(f"无法{action}：{path.name} 是只读文件，请另存为其他文件名")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        _copy_mode(path, tmp_name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if backup and path.exists():
            _write_backup(path)
        os.replace(tmp_name, path)
        tmp_name = None
        _fsync_dir(folder)
        _remove_stale_temps(path)
    except DocumentError:
        raise
    except OSError as exc:
        raise DocumentError(_os_message(action, path, exc)) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


STALE_TEMP_SECONDS = 600


def _remove_stale_temps(path: Path) -> None:
    """Temporary files of saves that were killed midway (power cut, crash) are
    hidden and harmless, but would pile up: remove the ones older than ten
    minutes (a save takes milliseconds, so no live save owns them)."""
    now = time.time()
    for pattern in (f".{path.name}.*.tmp", f".{path.name}.bak.*.tmp"):
        for stale in path.parent.glob(pattern):
            try:
                if now - stale.stat().st_mtime > STALE_TEMP_SECONDS:
                    stale.unlink()
            except OSError:
                pass


def _copy_mode(existing: Path, tmp_name: str) -> None:
    """mkstemp creates 0600 files; give the new file the old one's mode, or the
    usual mode for a new file."""
    try:
        mode = existing.stat().st_mode & 0o7777 if existing.exists() else 0o666 & ~_umask()
        os.chmod(tmp_name, mode)
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_backup(path: Path) -> None:
    bak = path.with_name(path.name + ".bak")
    data = path.read_bytes()
    fd, tmp = tempfile.mkstemp(prefix=f".{bak.name}.", suffix=".tmp", dir=path.parent)
    _copy_mode(path, tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, bak)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _fsync_dir(folder: Path) -> None:
    flags = getattr(os, "O_DIRECTORY", None)
    if flags is None:  # Windows: directory entries are durable after MoveFileEx
        return
    try:
        dfd = os.open(folder, os.O_RDONLY | flags)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def _os_message(action: str, path: Path, exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return f"无法{action}“{path.name}”：磁盘空间已满。文档仍在内存中，请清理磁盘或另存到其他位置"
    if getattr(exc, "winerror", None) == 32:  # ERROR_SHARING_VIOLATION
        return f"无法{action}“{path.name}”：文件正被其他程序（如 Excel/WPS）打开，请关闭后重试"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"无法{action}“{path.name}”：没有写入权限、文件为只读，或正被其他程序（如 Excel/WPS）打开"
    if exc.errno == errno.EFBIG:
        return f"无法{action}“{path.name}”：文件超过了系统允许的大小。文档仍在内存中，请另存到其他位置"
    if exc.errno == errno.ENOENT:
        return f"无法{action}“{path.name}”：文件或文件夹不存在"
    return f"无法{action}“{path.name}”：{exc.strerror or exc}"
