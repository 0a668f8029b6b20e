"""Detect a document already open in another jixiao window.

Opening ``报表.jxzp`` creates ``.~报表.jxzp.lock`` beside it with the owner's
pid, host, user and a token naming the window. The lock file is created
exclusively (``O_CREAT | O_EXCL``): of two windows opening the document at the
same instant exactly one gets it, the other is told who has it. A lock whose
process is gone (same host) is stale and is taken over; locks of this very
process are tracked in memory, so a second window of the same process is
detected too. No Qt here: the command line refuses files open in a window.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from jixiao.core.fileio import sibling_name
from jixiao.core.processes import hostname, process_alive

_HELD: dict[str, str] = {}  # lock file → token of the window of this process holding it
_hostname = hostname  # the name earlier versions (and tests) use


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


def lock_path(doc_path: str | os.PathLike[str]) -> Path:
    p = Path(doc_path).resolve()
    return p.with_name(sibling_name(p, ".lock", hidden_prefix=".~"))


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user database
        return ""


def _read(lp: Path) -> dict[str, object] | None:
    try:
        data = json.loads(lp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


UNWRITTEN_SECONDS = 10  # a lock file with no owner written yet is being created – unless it is older


def _owner(lp: Path, data: dict[str, object] | None) -> LockInfo | None:
    """Who holds the lock file ``lp`` (its content ``data``), or None when it is stale."""
    if data is None:
        try:
            age = time.time() - lp.stat().st_mtime
        except OSError:
            return None  # gone meanwhile
        if age < UNWRITTEN_SECONDS:  # another window created it an instant ago and is writing it
            return LockInfo(-1, "?", "", "")
        return None  # empty or damaged and old: left by a crash
    pid = data.get("pid")
    host = str(data.get("host", ""))
    info = LockInfo(pid if isinstance(pid, int) else -1, host, str(data.get("user", "")), str(data.get("since", "")))
    if host == hostname():
        if info.pid == os.getpid():
            held = _HELD.get(str(lp))
            if held is not None and held == data.get("token"):
                return LockInfo(info.pid, host, info.user, info.since, same_process=True)
            return None  # left by ourselves earlier (a window that closed without releasing)
        if not process_alive(info.pid):
            return None  # stale: left by a crashed process
    return info


def current_owner(doc_path: str | os.PathLike[str]) -> LockInfo | None:
    """Who else has the document open, or None (no lock, or a stale one)."""
    lp = lock_path(doc_path)
    if str(lp) in _HELD:
        return LockInfo(os.getpid(), hostname(), _user(), "", same_process=True)
    return _owner(lp, _read(lp))


class DocumentLock:
    """The lock one window holds on one document."""

    def __init__(self, doc_path: str | os.PathLike[str]):
        self.path = lock_path(doc_path)
        self.token = os.urandom(8).hex()
        self.held = False
        self.owner: LockInfo | None = None  # who had it when acquire() failed

    def acquire(self, *, force: bool = False) -> bool:
        """Take the lock. True when this window may edit the document: the lock is
        ours (``held``), or the folder allows no lock file at all (a read-only
        share: nothing to lock with). False when another live window has it
        (``owner`` says who); ``force`` takes it over anyway (the officer chose
        to edit regardless)."""
        data = {
            "pid": os.getpid(),
            "host": hostname(),
            "user": _user(),
            "since": _dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "token": self.token,
        }
        payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
        for _attempt in range(3):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
            except FileExistsError:
                existing = _read(self.path)
                owner = None if force else (
                    LockInfo(os.getpid(), hostname(), _user(), "", same_process=True)
                    if str(self.path) in _HELD else _owner(self.path, existing))
                if owner is not None:
                    self.owner = owner
                    return False
                if not self._remove_if_unchanged(existing):
                    continue  # it changed under us: look again
                continue
            except OSError:
                return True  # read-only folder: nothing to lock with, but the document can still be edited
            try:
                os.write(fd, payload)
            finally:
                os.close(fd)
            break
        else:
            self.owner = _owner(self.path, _read(self.path))
            return False
        if os.name == "nt":  # pragma: no cover - hide the lock file like Office does
            try:
                import ctypes

                ctypes.windll.kernel32.SetFileAttributesW(str(self.path), 0x02)
            except Exception:
                pass
        _HELD[str(self.path)] = self.token
        self.held = True
        self.owner = None
        return True

    def _remove_if_unchanged(self, seen: dict[str, object] | None) -> bool:
        """Remove the lock file judged stale (or taken over), atomically: it is first
        moved aside (one window only can move it), then checked. If another window
        took the lock meanwhile, what was moved is its fresh lock: it is put back."""
        aside = self.path.with_name(f".~jx-{self.token}.lock-aside")
        try:
            os.replace(self.path, aside)
        except FileNotFoundError:
            return True  # already gone: try to create ours
        except OSError:
            return False
        try:
            if _read(aside) == seen:
                return True
            try:
                os.link(aside, self.path)  # give the fresh lock back (fails if yet another appeared)
            except FileExistsError:
                pass
            except OSError:
                try:
                    if not self.path.exists():
                        os.rename(aside, self.path)
                except OSError:
                    pass
            return False
        finally:
            try:
                aside.unlink()
            except OSError:
                pass

    def release(self) -> None:
        if not self.held:
            return
        if _HELD.get(str(self.path)) == self.token:
            del _HELD[str(self.path)]
        self.held = False
        data = _read(self.path)
        if data is not None and data.get("token") == self.token:
            try:
                self.path.unlink()
            except OSError:
                pass
