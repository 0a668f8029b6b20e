"""Files and paths as offices have them: names as long as the file system
allows, shortcuts (symlinks), files owned by a colleague, pipes and devices
where a file was expected, temporary files of saves that were killed, two
windows opening one document at the same moment, and a file changed on disk
by someone else while it was open."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from jixiao.core import fileio
from jixiao.core.fileio import DocumentError, backup_path, load_document, save_document

from .support import ROOT, child_env, generate_document, leftovers, mp_context, report, snapshot

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and signals")


def _name_of(nbytes: int) -> str:
    """A .jxzp name of exactly ``nbytes`` UTF-8 bytes, mostly Chinese (3 bytes a character)."""
    stem_bytes = nbytes - len(".jxzp")
    chinese, rest = divmod(stem_bytes, 3)
    return "绩" * chinese + "x" * rest + ".jxzp"


@pytest.mark.parametrize("nbytes", [238, 241, 242, 246, 250, 251, 252, 255])
def test_long_names_save_twice_and_keep_a_backup(tmp_path, nbytes):
    name = _name_of(nbytes)
    assert len(name.encode()) == nbytes
    path = tmp_path / name
    first, second = generate_document(projects=1, indicators=3), generate_document(projects=2, indicators=3)
    save_document(first, path)
    save_document(second, path)  # the second save makes the backup
    assert snapshot(load_document(path)) == snapshot(second)
    bak = backup_path(path)
    assert len(bak.name.encode()) <= 255
    assert snapshot(load_document(bak)) == snapshot(first)
    assert leftovers(tmp_path) == []
    from jixiao.gui.locking import DocumentLock, current_owner, lock_path

    assert len(lock_path(path).name.encode()) <= 255
    lock = DocumentLock(path)
    assert lock.acquire() and lock.held
    lock.release()
    assert current_owner(path) is None


def test_backup_names_are_stable_and_distinct(tmp_path):
    long_a, long_b = tmp_path / _name_of(255), tmp_path / (_name_of(254) + "x")
    assert backup_path(long_a) == backup_path(long_a)
    assert backup_path(long_a) != backup_path(long_b)
    assert backup_path(tmp_path / "a.jxzp").name == "a.jxzp.bak"  # short names as before


@posix_only
def test_save_through_a_symlink_writes_the_real_file(tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "2024.jxzp"
    link = tmp_path / "快捷方式.jxzp"
    save_document(generate_document(projects=1, indicators=3), real)
    link.symlink_to(real)
    new = generate_document(projects=2, indicators=3)
    save_document(new, link)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert snapshot(load_document(real)) == snapshot(new)
    assert backup_path(real).exists() and not backup_path(link).exists()  # the backup sits by the real file
    assert leftovers(tmp_path) == [] and leftovers(real_dir) == []


@posix_only
def test_owner_and_mode_are_kept(tmp_path):
    path = tmp_path / "共享.jxzp"
    save_document(generate_document(projects=1, indicators=3), path)
    os.chmod(path, 0o640)
    owner = None
    if os.geteuid() == 0:  # only root can give a file to someone else (as an office share's files are)
        os.chown(path, 1234, 2345)
        owner = (1234, 2345)
    save_document(generate_document(projects=2, indicators=3), path)
    st = path.stat()
    assert stat.S_IMODE(st.st_mode) == 0o640
    bak = backup_path(path)
    save_document(generate_document(projects=3, indicators=3), path)
    assert stat.S_IMODE(bak.stat().st_mode) == 0o640
    if owner is not None:
        assert (st.st_uid, st.st_gid) == owner
        assert (bak.stat().st_uid, bak.stat().st_gid) == owner


def _finishes(func, seconds: float = 10):
    box = {}

    def run():
        try:
            box["result"] = func()
        except BaseException as exc:  # noqa: BLE001
            box["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"{func} hangs"
    return box


@posix_only
def test_a_fifo_never_hangs(tmp_path):
    fifo = tmp_path / "管道.jxzp"
    os.mkfifo(fifo)
    xfifo = tmp_path / "管道.xlsx"
    os.mkfifo(xfifo)
    box = _finishes(lambda: load_document(fifo))
    assert isinstance(box.get("error"), DocumentError) and "普通文件" in str(box["error"])
    box = _finishes(lambda: save_document(generate_document(projects=1, indicators=2), fifo))
    assert isinstance(box.get("error"), DocumentError) and "普通文件" in str(box["error"])
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # left as it was
    from jixiao.excel.reader import ExcelImportError, read_workbook

    box = _finishes(lambda: read_workbook(xfifo))
    assert isinstance(box.get("error"), ExcelImportError)
    for args in (["validate", fifo], ["score", fifo], ["import", xfifo, "-o", tmp_path / "o.jxzp"],
                 ["validate", xfifo], ["gui", fifo, "--screenshot", tmp_path / "s.png"]):
        r = subprocess.run([sys.executable, "-m", "jixiao", *map(str, args)], capture_output=True, text=True,
                           timeout=60, env=child_env(), cwd=ROOT)
        assert r.returncode == 2 and "普通文件" in r.stderr, (args, r.returncode, r.stderr)


@posix_only
@pytest.mark.slow
def test_temporary_files_of_killed_saves_are_cleaned_on_the_next_open(tmp_path):
    from .support import save_loop

    a, b = generate_document(projects=20), generate_document(projects=20, seed=5)
    data_a, data_b = (fileio.document_to_data(d) for d in (a, b))
    path = tmp_path / "2024.jxzp"
    save_document(a, path)
    ctx = mp_context()
    left = 0
    for i in range(40):
        started, completed = ctx.Event(), ctx.Value("i", 0, lock=False)
        proc = ctx.Process(target=save_loop, args=(str(path), data_a, data_b, started, completed), daemon=True)
        proc.start()
        assert started.wait(30)
        time.sleep(0.002 * (i % 10))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(30)
        proc.close()
        left += len(leftovers(tmp_path))
        load_document(path)  # the next open cleans what the killed save left
        assert leftovers(tmp_path) == [], i
    report(f"killed saves: 40 SIGKILLs during saves left {left} hidden temporary files in all; "
           "each time the next open removed them")


def test_stale_temporary_files_of_a_dead_process_are_removed_on_save(tmp_path):
    path = tmp_path / "a.jxzp"
    save_document(generate_document(projects=1, indicators=2), path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    stale = tmp_path / fileio.temp_name(path, pid=pid)
    stale.write_bytes(b"half a save")
    live = tmp_path / fileio.temp_name(path)  # ours, as if a save were under way in this process
    live.write_bytes(b"being written")
    other = tmp_path / fileio.temp_name(tmp_path / "b.jxzp", pid=pid)  # another document's: not ours to judge
    other.write_bytes(b"x")
    save_document(generate_document(projects=1, indicators=2), path)
    assert not stale.exists() and live.exists()
    assert other.exists()
    assert len(fileio.temp_name(tmp_path / _name_of(255)).encode()) < 60  # bounded, whatever the name


def _lock_racer(path: str, barrier, results) -> None:  # pragma: no cover - child
    from jixiao.gui.locking import DocumentLock

    lock = DocumentLock(path)
    barrier.wait()
    results.put(bool(lock.acquire()))
    time.sleep(0.5)  # hold it while the others try


def test_two_windows_opening_at_once_only_one_may_edit(tmp_path):
    path = tmp_path / "同时打开.jxzp"
    save_document(generate_document(projects=1, indicators=2), path)
    ctx = mp_context()
    wins = []
    for _trial in range(5):
        barrier, results = ctx.Barrier(6), ctx.Queue()
        procs = [ctx.Process(target=_lock_racer, args=(str(path), barrier, results)) for _ in range(6)]
        for p in procs:
            p.start()
        got = [results.get(timeout=30) for _ in procs]
        for p in procs:
            p.join(30)
        wins.append(sum(got))
    assert wins == [1] * 5, wins
    report(f"document lock: 5 trials of 6 processes taking the lock at the same instant: winners per trial {wins}")


def test_lock_taken_over_from_a_dead_process_and_by_choice(tmp_path):
    from jixiao.gui.locking import DocumentLock, current_owner, lock_path

    path = tmp_path / "a.jxzp"
    save_document(generate_document(projects=1, indicators=2), path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    import json
    import socket

    lock_path(path).write_text(json.dumps({"pid": int(dead.stdout), "host": socket.gethostname(), "user": "x",
                                           "since": "2024-01-01 08:00"}), encoding="utf-8")
    mine = DocumentLock(path)
    assert mine.acquire()  # stale: taken over
    other = DocumentLock(path)
    assert not other.acquire() and not other.held
    assert current_owner(path) is not None and current_owner(path).same_process
    assert other.acquire(force=True) and other.held  # 仍然编辑: the officer's choice
    mine.release()
    assert lock_path(path).exists()  # releasing a lock taken over by another does not remove theirs
    other.release()
    assert not lock_path(path).exists()


def test_save_warns_before_overwriting_a_change_made_on_disk(gui_window, tmp_path, monkeypatch):
    from jixiao.gui import dialogs

    path = tmp_path / "共享.jxzp"
    save_document(generate_document(projects=1, indicators=3), path)
    w = gui_window
    assert w.files.open_file(path, ask_save=False)
    w.show_form(w.session.doc.projects[0].id)
    asked = []
    answer = {"value": "cancel"}
    monkeypatch.setattr(dialogs, "ask_overwrite_changed", lambda parent, name: asked.append(name) or answer["value"])

    w.edit_cell("goals.预期目标", "我的修改")
    os.utime(path, (time.time() + 5, time.time() + 5))  # touched, same content: nothing to warn about
    assert w.files.save() and asked == []

    colleague = generate_document(projects=2, indicators=3)
    time.sleep(0.01)
    save_document(colleague, path)  # someone else saves the file meanwhile
    w.edit_cell("goals.预期目标", "我的第二次修改")
    assert w.files.save() is False and asked == [path.name]
    assert snapshot(load_document(path)) == snapshot(colleague)  # theirs kept
    assert w.session.is_modified
    answer["value"] = "overwrite"
    assert w.files.save() and len(asked) == 2
    assert load_document(path).projects[0].get("goals.预期目标") == "我的第二次修改"
    assert w.files.save() is True and len(asked) == 2  # our own save is not someone else's change


def test_the_changed_file_check_is_a_fingerprint(tmp_path):
    path = tmp_path / "x.jxzp"
    save_document(generate_document(projects=1, indicators=2), path)
    fp = fileio.fingerprint(path)
    assert not fileio.changed_on_disk(path, fp)
    os.utime(path, (1, 1))
    assert not fileio.changed_on_disk(path, fp)  # same bytes
    path.write_bytes(path.read_bytes() + b" ")
    assert fileio.changed_on_disk(path, fp)
    path.unlink()
    assert fileio.changed_on_disk(path, fp)
    assert not fileio.changed_on_disk(path, None)
    assert isinstance(Path(path), Path)
