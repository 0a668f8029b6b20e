"""Who else is running: processes of this machine, by id (autosaves, document
locks and temporary files of saves record the process that wrote them)."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if handle:
            kernel32.CloseHandle(handle)
            return True
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


@lru_cache(maxsize=1)
def hostname() -> str:
    import socket  # here: only writing a lock or a temporary file needs it

    try:
        return socket.gethostname()
    except OSError:  # pragma: no cover
        return ""


def host_tag() -> str:
    """Four hex digits naming this machine in file names (a shared folder sees several)."""
    return hashlib.sha1(hostname().encode("utf-8", "surrogateescape")).hexdigest()[:4]
