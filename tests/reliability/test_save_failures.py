"""Saving onto a read-only file, a full disk, a vanished folder: a clear
Chinese message (DocumentError), the in-memory document untouched, nothing on
disk damaged, no temporary file left behind."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap

import pytest

from jixiao.core import fileio
from jixiao.core.fileio import DocumentError, load_document, save_document

from .support import ROOT, child_env, generate_document, leftovers, report, snapshot


@pytest.fixture
def saved(tmp_path):
    """An old version on disk (with its .bak) and an edited document in memory."""
    old = generate_document(projects=3)
    path = tmp_path / "2024.jxzp"
    save_document(old, path)
    save_document(old, path)  # creates 2024.jxzp.bak too
    doc = generate_document(projects=3)
    doc.forms[1].set("goals.实际完成情况", "新内容：" + "完成。" * 50)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    return doc, path, before


def _assert_nothing_damaged(doc, snap, path, before):
    assert snapshot(doc) == snap, "the in-memory document changed"
    after = {p.name: p.read_bytes() for p in path.parent.iterdir()}
    assert after == before, "files on disk changed"
    assert leftovers(path.parent) == []
    load_document(path)  # the old version still opens


def _raise(err):
    def f(*a, **k):
        raise OSError(err, os.strerror(err))
    return f


class _FailingFile:
    """Wraps the file object atomic_write writes to; fails at a chosen step."""

    def __init__(self, fh, step, err):
        self._fh, self._step, self._err = fh, step, err

    def write(self, data):
        if self._step == "write":
            half = len(data) // 2
            self._fh.write(data[:half])  # a partial write, then the disk is full
            raise OSError(self._err, os.strerror(self._err))
        return self._fh.write(data)

    def flush(self):
        if self._step == "flush":
            raise OSError(self._err, os.strerror(self._err))
        return self._fh.flush()

    def fileno(self):
        return self._fh.fileno()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()
        return False


STEPS = ["write", "flush", "fsync", "backup-write", "backup-replace", "replace", "mkstemp"]


@pytest.mark.parametrize("step", STEPS)
def test_full_disk_at_every_step_of_a_save(saved, monkeypatch, step):
    doc, path, before = saved
    snap = snapshot(doc)
    real_fdopen, calls = os.fdopen, []

    def fdopen(fd, *a, **k):
        fh = real_fdopen(fd, *a, **k)
        calls.append(fd)
        if step in ("write", "flush") and len(calls) == 1:
            return _FailingFile(fh, step, errno.ENOSPC)
        if step == "backup-write" and len(calls) == 2:  # the .bak copy is the second file written
            return _FailingFile(fh, "write", errno.ENOSPC)
        return fh

    monkeypatch.setattr(fileio.os, "fdopen", fdopen)
    if step == "fsync":
        monkeypatch.setattr(fileio.os, "fsync", _raise(errno.ENOSPC))
    if step in ("backup-replace", "replace"):
        real_replace, replaced = os.replace, []

        def replace(src, dst):
            replaced.append(dst)
            if step == "backup-replace" or len(replaced) == 2:  # the .bak goes first, the document second
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_replace(src, dst)

        monkeypatch.setattr(fileio.os, "replace", replace)
    if step == "mkstemp":
        monkeypatch.setattr(fileio.tempfile, "mkstemp", _raise(errno.ENOSPC))
    with pytest.raises(DocumentError) as ei:
        save_document(doc, path)
    monkeypatch.undo()
    assert "磁盘空间已满" in str(ei.value) and path.name in str(ei.value)
    if step == "replace":  # the .bak was refreshed from the current file before the failure: same content
        bak = path.with_name(path.name + ".bak")
        assert bak.read_bytes() == before[path.name]
        before = {**before, bak.name: before[path.name]}
    _assert_nothing_damaged(doc, snap, path, before)


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform != "linux", reason="RLIMIT_FSIZE is Linux-specific here")
def test_real_file_size_limit_in_a_child(saved):
    """A real kernel refusal (RLIMIT_FSIZE → EFBIG), not a monkeypatch."""
    doc, path, before = saved
    code = textwrap.dedent(f"""
        import resource, signal, sys
        from jixiao.core.fileio import DocumentError, save_document, load_document
        doc = load_document({str(path)!r})
        doc.forms[1].set("goals.实际完成情况", "新" * 200000)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        try:
            save_document(doc, {str(path)!r})
        except DocumentError as exc:
            print("DocumentError", exc)
            sys.exit(0)
        sys.exit(3)
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=child_env(),
                       cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("DocumentError 无法保存“2024.jxzp”"), r.stdout
    after = {p.name: p.read_bytes() for p in path.parent.iterdir()}
    assert after == before and leftovers(path.parent) == []


def test_read_only_file(saved):
    doc, path, before = saved
    snap = snapshot(doc)
    os.chmod(path, stat.S_IREAD)
    try:
        with pytest.raises(DocumentError) as ei:
            save_document(doc, path)
        assert "只读" in str(ei.value)
        _assert_nothing_damaged(doc, snap, path, before)
    finally:
        os.chmod(path, stat.S_IREAD | stat.S_IWRITE)


@pytest.mark.parametrize("err, message", [
    # the folder refuses new files (simulated: the suite may run as root, who is never refused)
    (errno.EACCES, "没有写入权限"),
    # the folder vanishes between the checks and creating the temporary file (USB stick pulled)
    (errno.ENOENT, "不存在"),
], ids=["folder-without-write-permission", "folder-vanishes-during-the-save"])
def test_creating_the_temporary_file_fails(saved, monkeypatch, err, message):
    doc, path, before = saved
    snap = snapshot(doc)
    monkeypatch.setattr(fileio.tempfile, "mkstemp", _raise(err))
    with pytest.raises(DocumentError) as ei:
        save_document(doc, path)
    monkeypatch.undo()
    assert message in str(ei.value)
    _assert_nothing_damaged(doc, snap, path, before)


def test_vanished_folder(tmp_path):
    doc = generate_document(projects=2)
    snap = snapshot(doc)
    folder = tmp_path / "U盘" / "2024"
    folder.mkdir(parents=True)
    save_document(doc, folder / "a.jxzp")
    shutil.rmtree(tmp_path / "U盘")  # the USB stick was pulled out
    with pytest.raises(DocumentError) as ei:
        save_document(doc, folder / "a.jxzp")
    assert "不存在" in str(ei.value)
    assert snapshot(doc) == snap
    assert not (tmp_path / "U盘").exists()


def test_failure_counts_reported():
    assert len(STEPS) >= 7  # every step of a save is a failure point tested above
    report(f"save failures: {len(STEPS)} full-disk points (write, flush, fsync, .bak write, .bak replace, replace, temp file) + "  # noqa: E501
           "a real RLIMIT_FSIZE refusal + read-only file + folder without permission + vanished folder "
           "(before and during the save): each a Chinese DocumentError, document in memory and files on disk unchanged")


def test_tempfile_module_is_the_one_atomic_write_uses():
    # guards the monkeypatches above: atomic_write must go through these names
    assert fileio.tempfile is tempfile and fileio.os is os
