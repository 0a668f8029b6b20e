"""Reading and writing documents: the native ``.jxzp`` file and the plain JSON
interchange file, told apart by content.

Saving is atomic: the new content goes to a temporary file in the same
folder, is flushed and fsynced, and replaces the document with ``os.replace``;
the previous version is kept beside it (:func:`backup_path`, ``<name>.bak``).
A crash or power cut at any moment leaves either the old or the new file,
complete; temporary files a killed save left are removed by the next save or
open of that document. Saving through a symbolic link writes the file it
points to (the link stays); the file keeps its permissions and, where the OS
allows, its owner. Only regular files are read or replaced: a pipe or a
device where a document was expected is refused, never waited on.

Opening a damaged, truncated, foreign or newer-version file raises
:class:`DocumentError` with a Chinese message and writes nothing; a file cut
short at any byte says so and names its backup (:attr:`DocumentError.backup`).
"""

from __future__ import annotations

import datetime as _dt
import errno
import hashlib
import json
import os
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from jixiao import __version__
from jixiao.core import jsontext
from jixiao.core.interchange import InterchangeError, document_from_json, document_to_json, is_interchange
from jixiao.core.model import Document
from jixiao.core.processes import host_tag, process_alive
from jixiao.core.templates import TemplateError
from jixiao.core.text import encode_utf8, replaced_note, scrub

FORMAT_MARKER = "jixiao-document"
FORMAT_VERSION = 1
EXTENSION = ".jxzp"
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
NAME_MAX = 255  # bytes of one file name (ext4, XFS; NTFS allows 255 UTF-16 units, never fewer)


class DocumentError(Exception):
    """A document cannot be opened or saved. ``str()`` is a Chinese message fit for the user.
    ``backup``: for a file cut short, its backup when there is one."""

    def __init__(self, message: str, backup: Path | None = None) -> None:
        super().__init__(message)
        self.backup = backup


# ---------------------------------------------------------------- names beside the document
def _name_bytes(name: str) -> int:
    return len(name.encode("utf-8", "surrogateescape"))


def _tag(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8", "surrogateescape")).hexdigest()[:10]


def sibling_name(path: Path, suffix: str, *, hidden_prefix: str = "") -> str:
    """``hidden_prefix + path.name + suffix``, shortened when that would exceed
    :data:`NAME_MAX` bytes: the name is cut and a digest of the full name added,
    so the result is the same every time and differs between documents."""
    name = hidden_prefix + path.name + suffix
    if _name_bytes(name) <= NAME_MAX:
        return name
    tail = f"~{_tag(path.name)}{suffix}"
    room = NAME_MAX - _name_bytes(hidden_prefix) - _name_bytes(tail)
    stem = path.name
    while _name_bytes(stem) > room:
        stem = stem[:-1]
    return hidden_prefix + stem + tail


def backup_path(path: str | os.PathLike[str]) -> Path:
    """Where the previous version of ``path`` is kept: ``<name>.bak`` (shortened for very long names)."""
    p = Path(path)
    return p.with_name(sibling_name(p, ".bak"))


_TEMP_PREFIX = ".~jx-"


def temp_name(path: Path, pid: int | None = None) -> str:
    """A name for a temporary file of a save of ``path`` (what :func:`tempfile.mkstemp`
    makes of :func:`_temp_prefix`): short whatever the document's name, and saying
    which document, machine and process it belongs to."""
    return f"{_temp_prefix(path, pid)}{os.urandom(4).hex()}.tmp"


def _temp_prefix(path: Path, pid: int | None = None) -> str:
    return f"{_TEMP_PREFIX}{_tag(path.name)}-{host_tag()}-{os.getpid() if pid is None else pid}-"


# ---------------------------------------------------------------- reading
def _open_regular(path: Path, action: str = "打开") -> IO[bytes]:
    """``path`` opened for reading, if it is a regular file (a FIFO is not waited on:
    it is opened non-blocking, then refused)."""
    if path.is_dir():
        raise DocumentError(f"无法{action}“{path.name}”：这是文件夹，不是文件")
    try:
        fh = open(path, "rb", opener=_nonblocking)  # noqa: SIM115 - returned to the caller
    except OSError as exc:
        raise DocumentError(os_message(action, path, exc)) from exc
    try:
        mode = os.fstat(fh.fileno()).st_mode
    except OSError as exc:  # pragma: no cover
        fh.close()
        raise DocumentError(os_message(action, path, exc)) from exc
    if not stat.S_ISREG(mode):
        fh.close()
        raise DocumentError(f"无法{action}“{path.name}”：它不是普通文件（可能是管道、设备或套接字）")
    return fh


def _nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _kind(head: bytes) -> str:
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # legacy .xls or an encrypted workbook
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"{"):
        return "native" if FORMAT_MARKER.encode() in head else "interchange"
    if not text:
        return "empty"
    return "unknown"


def sniff(path: Path) -> str:
    """``"xlsx"``, ``"native"``, ``"interchange"``, ``"ole"``, ``"empty"`` or ``"unknown"``, by content."""
    try:
        with _open_regular(Path(path)) as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise DocumentError(os_message("打开", Path(path), exc)) from exc
    return _kind(head)


def load_document(path: str | os.PathLike[str], notes: list[str] | None = None) -> Document:
    """Open a native document or an interchange file. Notes for the officer
    (characters that had to be replaced) are appended to ``notes``."""
    p = Path(path)
    try:
        with _open_regular(p) as fh:
            head = fh.read(4096)
            kind = _kind(head)
            if kind == "xlsx":
                raise DocumentError(f"{p.name} 是 Excel 工作簿，请使用“从Excel导入”（jixiao import）")
            if kind == "ole":
                raise DocumentError(f"{p.name} 是旧版 .xls 或加密的工作簿，无法作为自评文件打开")
            if kind == "unknown":
                raise DocumentError(f"{p.name} 不是绩效自评文件（.jxzp）或 JSON 交换文件")
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_DOCUMENT_BYTES:
                raise DocumentError(f"{p.name} 过大（{size / 1024 / 1024:.1f} MB），超过自评文件的上限 "
                                    f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB，不像是自评文件")
            raw = head + fh.read(MAX_DOCUMENT_BYTES + 1 - len(head))
    except OSError as exc:
        raise DocumentError(os_message("打开", p, exc)) from exc
    if kind == "empty":
        raise _cut_short(p, "文件是空的，可能在保存或复制时被中断")
    cut = jsontext.utf8_cut(raw)
    try:
        text = raw[: len(raw) - cut].decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError(f"{p.name} 不是 UTF-8 编码的文本，文件可能已损坏") from None
    try:
        data = jsontext.loads(text)
    except json.JSONDecodeError as exc:
        if jsontext.cut_short(text, exc):
            raise _cut_short(p, "可能在保存或复制时被中断") from None
        raise DocumentError(f"{p.name} 已损坏：第 {exc.lineno} 行第 {exc.colno} 列格式错误") from None
    except jsontext.JsonRefused as exc:
        raise DocumentError(f"{p.name} 无法读取：{exc}") from None
    except (RecursionError, ValueError):  # absurdly deep nesting or a number with thousands of digits
        raise DocumentError(f"{p.name} 已损坏：内容结构异常，不是有效的自评文件") from None
    if cut:  # complete JSON followed by half a character: not something we write
        raise DocumentError(f"{p.name} 已损坏：末尾有不完整的字符")
    doc = document_from_data(data, p.name, notes)
    remove_stale_temps(p)
    return doc


def _cut_short(p: Path, why: str) -> DocumentError:
    bak = backup_path(p)
    try:
        st = bak.stat()
        has_backup = stat.S_ISREG(st.st_mode) and st.st_size > 0
    except OSError:
        has_backup = False
    if has_backup:
        when = _dt.datetime.fromtimestamp(st.st_mtime).strftime("%Y-%m-%d %H:%M")
        return DocumentError(f"{p.name} 内容不完整（{why}）。同目录下有备份 {bak.name}（{when} 保存），"
                             "可以打开它恢复上次保存的内容", backup=bak)
    return DocumentError(f"{p.name} 内容不完整（{why}），同目录下没有找到备份 {bak.name}")


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
    elif not is_interchange(data):
        raise DocumentError(f"{name} 不是绩效自评文件：缺少 template 和 forms")
    try:
        doc = document_from_json(data, native=native)
    except (InterchangeError, TemplateError) as exc:
        raise DocumentError(f"{name}：{exc}") from exc
    if doc.year <= 0:  # an interchange file without its year: as the Excel import does, said, never "0年度"
        doc.year = _dt.date.today().year - 1
        if notes is not None:
            notes.append(f"{name}：没有找到年度（year），已按 {doc.year} 年度读入，可在“文件 › 文档属性”中修改")
    return doc


def document_to_data(doc: Document) -> dict[str, Any]:
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


def save_interchange(doc: Document, path: str | os.PathLike[str], *, backup: bool = False) -> None:
    data = document_to_json(doc, native=False)
    payload = encode_utf8(json.dumps(data, ensure_ascii=False, indent=2))
    check_openable(payload, Path(path))
    atomic_write(Path(path), payload, backup=backup)


def save_document(doc: Document, path: str | os.PathLike[str], *, backup: bool = True) -> None:
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
    content, never a mix; keep the old content as :func:`backup_path`. A
    symbolic link is followed (the file it points to is written, the link
    stays); the file's mode and owner are kept where the OS allows."""
    path = _write_target(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DocumentError(f"无法{action}：文件夹“{folder}”不存在（可能已被移动或删除）")
    existing = _existing(path, action)
    if existing is not None and (not os.access(path, os.W_OK) or not existing.st_mode & 0o222):
        # the mode check also honours the read-only flag for root (os.access says yes to root)
        raise DocumentError(f"无法{action}：{path.name} 是只读文件，请另存为其他文件名")
    remove_stale_temps(path)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=folder)
        _keep_owner_and_mode(existing, tmp_name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if backup and existing is not None:
            _write_backup(path, existing)
        os.replace(tmp_name, path)
        tmp_name = None
        _fsync_dir(folder)
    except DocumentError:
        raise
    except OSError as exc:
        raise DocumentError(os_message(action, path, exc)) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def _write_target(path: Path) -> Path:
    """The file a save of ``path`` writes: the end of its chain of symbolic links."""
    if not path.is_symlink():
        return path
    return Path(os.path.realpath(path))


def _existing(path: Path, action: str) -> os.stat_result | None:
    """The file about to be replaced (None if there is none); only a regular file may be."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DocumentError(os_message(action, path, exc)) from exc
    if not stat.S_ISREG(st.st_mode):
        kind = "文件夹" if stat.S_ISDIR(st.st_mode) else "管道、设备或套接字"
        raise DocumentError(f"无法{action}“{path.name}”：它不是普通文件（是{kind}），请另选文件名")
    return st


STALE_TEMP_SECONDS = 600


def remove_stale_temps(path: Path) -> None:
    """Remove the temporary files that saves of ``path`` (and of its backup) left
    when they were killed: those of a process of this machine that no longer
    runs, and any older than ten minutes (a save takes well under a second; a
    live save on another machine sharing the folder is left alone until then).
    Errors are ignored: this is housekeeping."""
    now = time.time()
    me, host = os.getpid(), host_tag()
    for target in (path, backup_path(path)):
        prefix = f"{_TEMP_PREFIX}{_tag(target.name)}-"
        old_style = (f".{target.name}.*.tmp",)  # names of versions before 0.3 (grew with the name)
        try:
            candidates = list(path.parent.glob(f"{prefix}*.tmp"))
            for pattern in old_style:
                candidates += [c for c in path.parent.glob(pattern) if not c.name.startswith(_TEMP_PREFIX)]
        except (OSError, ValueError):
            return
        for stale in candidates:
            try:
                dead = False
                parts = stale.name[len(prefix):].split("-") if stale.name.startswith(prefix) else []
                if len(parts) >= 3 and parts[0] == host and parts[1].isdigit():
                    pid = int(parts[1])
                    dead = pid != me and not process_alive(pid)
                if dead or now - stale.stat().st_mtime > STALE_TEMP_SECONDS:
                    stale.unlink()
            except (OSError, ValueError):
                pass


def _keep_owner_and_mode(existing: os.stat_result | None, tmp_name: str) -> None:
    """mkstemp creates 0600 files owned by us; give the new file the old one's mode
    and (where allowed: root, or a group we belong to) owner, or the usual mode for a new file."""
    try:
        os.chmod(tmp_name, stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask())
    except OSError:
        pass
    chown = getattr(os, "chown", None)
    if existing is None or chown is None:
        return
    try:
        mine = os.stat(tmp_name)
        if (mine.st_uid, mine.st_gid) != (existing.st_uid, existing.st_gid):
            chown(tmp_name, existing.st_uid, existing.st_gid)
    except OSError:  # not allowed for this user: the file becomes ours, as with any editor
        try:
            chown(tmp_name, -1, existing.st_gid)
        except OSError:
            pass


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Read once, when this module is imported (before any save, autosave or lock file): reading it sets the
# process umask to 0 for an instant, which another thread creating a file at that moment would inherit.
_UMASK = _read_umask()


def _umask() -> int:
    return _UMASK


def _write_backup(path: Path, existing: os.stat_result) -> None:
    bak = backup_path(path)
    with _open_regular(path, "备份") as src:
        data = src.read()
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(bak), suffix=".tmp", dir=path.parent)
    _keep_owner_and_mode(existing, tmp)
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


# ---------------------------------------------------------------- changed by someone else?
@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What a file on disk was when it was opened or saved."""

    mtime_ns: int
    size: int
    sha256: str


def fingerprint(path: str | os.PathLike[str]) -> Fingerprint | None:
    """The file's modification time, size and content digest; None when it cannot be read."""
    p = Path(path)
    try:
        with _open_regular(p) as fh:
            st = os.fstat(fh.fileno())
            digest = hashlib.sha256()
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    except (DocumentError, OSError):
        return None
    return Fingerprint(st.st_mtime_ns, st.st_size, digest.hexdigest())


def changed_on_disk(path: str | os.PathLike[str], before: Fingerprint | None) -> bool:
    """Whether the file is no longer what ``before`` recorded (someone else saved it,
    or it was deleted). Same time and size count as unchanged; otherwise the
    content decides (a file merely touched is not changed)."""
    if before is None:
        return False
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        return True
    if st.st_mtime_ns == before.mtime_ns and st.st_size == before.size:
        return False
    now = fingerprint(p)
    return now is None or now.sha256 != before.sha256


def os_message(action: str, path: Path, exc: OSError) -> str:
    """An OS error in Chinese, naming the file (``无法保存“a.jxzp”：磁盘空间已满…``)."""
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
    if exc.errno == errno.EISDIR:
        return f"无法{action}“{path.name}”：这是文件夹，不是文件"
    if exc.errno == errno.ENAMETOOLONG:
        return f"无法{action}“{path.name}”：文件名或路径太长，请改用较短的文件名或文件夹"
    if exc.errno == errno.ENOTDIR:
        return f"无法{action}“{path.name}”：路径中的某一部分不是文件夹"
    if exc.errno == errno.ELOOP:
        return f"无法{action}“{path.name}”：快捷方式（符号链接）循环指向自身"
    return f"无法{action}“{path.name}”：{exc.strerror or exc}"
