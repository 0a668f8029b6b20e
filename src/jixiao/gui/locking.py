"""Detect a document already open in another jixiao window.

Opening ``报表.jxzp`` writes ``.~报表.jxzp.lock`` beside it with the owner's
pid, host and user. A lock whose process is gone (same host) is stale and is
taken over silently; locks of this very process are tracked in memory, so a
second window of the same process is detected too.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from jixiao.core.recovery import process_alive

_HELD: set[str] = set()  # lock files held by windows of this process


@dataclass(frozen=True, slots=True)
class LockInfo:
    pid: int
    host: str
    user: str
    since: str
    same_process: bool = False

    def describe(self) -> str:
        who = f"{self.user}@{self.host}" if self.user else self.host
        where = "本程序的另一个窗口" if self.same_process else f"另一个 jixiao 窗口（{who}，进程 {self.pid}）"
        return f"{where}，自 {self.since} 起" if self.since else where


def lock_path(doc_path: str | os.PathLike) -> Path:
    p = Path(doc_path).resolve()
    return p.with_name(f".~{p.name}.lock")


def _hostname() -> str:
    import socket  # here: only a lock being written needs it

    try:
        return socket.gethostname()
    except OSError:  # pragma: no cover
        return ""


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user database
        return ""


def current_owner(doc_path: str | os.PathLike) -> LockInfo | None:
    """Who else has the document open, or None (no lock, or a stale one)."""
    lp = lock_path(doc_path)
    if str(lp) in _HELD:
        return LockInfo(os.getpid(), _hostname(), _user(), "", same_process=True)
    try:
        data = json.loads(lp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    pid = data.get("pid")
    host = str(data.get("host", ""))
    info = LockInfo(pid if isinstance(pid, int) else -1, host, str(data.get("user", "")), str(data.get("since", "")))
    if host == _hostname():
        if info.pid == os.getpid() or not process_alive(info.pid):
            return None  # stale: left by a crashed process (or by ourselves earlier)
    return info


class DocumentLock:
    """The lock one window holds on one document."""

    def __init__(self, doc_path: str | os.PathLike):
        self.path = lock_path(doc_path)
        self.held = False

    def acquire(self) -> None:
        data = {
            "pid": os.getpid(),
            "host": _hostname(),
            "user": _user(),
            "since": _dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        }
        try:
            # A stale lock left by a crash may be hidden (Windows refuses to open a hidden
            # file for overwriting): remove it first, then write ours.
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass
            self.path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        except OSError:
            # read-only folder: nothing to lock with, but the document can still be edited
            return
        if os.name == "nt":  # pragma: no cover - hide the lock file like Office does
            try:
                import ctypes

                ctypes.windll.kernel32.SetFileAttributesW(str(self.path), 0x02)
            except Exception:
                pass
        _HELD.add(str(self.path))
        self.held = True

    def release(self) -> None:
        if not self.held:
            return
        _HELD.discard(str(self.path))
        self.held = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("pid") == os.getpid():
                self.path.unlink()
        except (OSError, ValueError, AttributeError):
            pass
