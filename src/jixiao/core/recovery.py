"""Autosave and crash recovery, without Qt (the GUI drives it with a timer).

Every minute the app writes the open document to a recovery file in the
user's recovery folder, atomically. On a clean close the file is discarded;
after a crash it is still there, and the next launch offers to restore it.
Each entry records the document's own path (if any) and when it was written.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from jixiao.core import jsontext
from jixiao.core.fileio import DocumentError, atomic_write, document_from_data, document_to_data
from jixiao.core.model import Document
from jixiao.core.processes import process_alive
from jixiao.core.text import encode_utf8

RECOVERY_SUFFIX = ".recovery.jxzp"
# A running jixiao rewrites its recovery file every minute. One untouched for
# longer belongs to a dead session even if its pid was reused after a reboot.
LIVE_OWNER_SECONDS = 180


def default_recovery_dir() -> Path:
    env = os.environ.get("JIXIAO_RECOVERY_DIR")
    if env:
        return Path(env)
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "jixiao" / "recovery"


@dataclass(frozen=True, slots=True)
class RecoveryEntry:
    path: Path  # the recovery file
    source: str | None  # the document it belongs to, or None for an unsaved one
    saved_at: str  # ISO time of the autosave
    unit: str
    year: int
    forms: int


class RecoveryStore:
    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder else default_recovery_dir()

    def _file_for(self, key: str) -> Path:
        import hashlib  # here: the app opens a file (and locks it) without writing an autosave

        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        return self.folder / f"{digest}{RECOVERY_SUFFIX}"

    def key(self, source: str | os.PathLike[str] | None, session: str) -> str:
        return str(Path(source).resolve()) if source else f"unsaved:{session}"

    def write(self, doc: Document, source: str | os.PathLike[str] | None, session: str) -> Path:
        """Autosave ``doc``; returns the recovery file. Raises DocumentError on disk errors."""
        self.folder.mkdir(parents=True, exist_ok=True)
        data = document_to_data(doc)
        data["recovery"] = {
            "source": str(Path(source).resolve()) if source else None,
            "saved_at": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "pid": os.getpid(),
        }
        path = self._file_for(self.key(source, session))
        atomic_write(path, encode_utf8(json.dumps(data, ensure_ascii=False)), backup=False)
        return path

    def discard(self, source: str | os.PathLike[str] | None, session: str) -> None:
        try:
            self._file_for(self.key(source, session)).unlink()
        except FileNotFoundError:
            pass

    def discard_entry(self, entry: RecoveryEntry) -> None:
        try:
            entry.path.unlink()
        except FileNotFoundError:
            pass

    def pending(self) -> list[RecoveryEntry]:
        """Recovery files left by sessions that did not close cleanly, newest first."""
        if not self.folder.is_dir():
            return []
        out = []
        now = _dt.datetime.now().timestamp()
        for p in self.folder.glob(f"*{RECOVERY_SUFFIX}"):
            try:
                data = json.loads(p.read_text(encoding="utf-8"))
                if not isinstance(data, dict):
                    continue
                meta = data.get("recovery")
                meta = meta if isinstance(meta, dict) else {}
                pid = meta.get("pid")
                fresh = now - p.stat().st_mtime < LIVE_OWNER_SECONDS
                if isinstance(pid, int) and pid != os.getpid() and fresh and process_alive(pid):
                    continue  # another running jixiao owns it (and keeps rewriting it)
                out.append(RecoveryEntry(p, meta.get("source"), str(meta.get("saved_at", "")),
                                         str(data.get("unit", "")), int(data.get("year", 0) or 0),
                                         len(data.get("forms") or [])))
            except (OSError, ValueError, TypeError, AttributeError):
                continue
        return sorted(out, key=lambda e: e.saved_at, reverse=True)

    def restore(self, entry: RecoveryEntry) -> Document:
        try:
            data = jsontext.loads(entry.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as exc:
            raise DocumentError(f"恢复文件已损坏：{exc}") from exc
        data.pop("recovery", None)
        return document_from_data(data, "恢复文件")
