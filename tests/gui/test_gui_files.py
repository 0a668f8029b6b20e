"""Files: save/reopen, unsaved marker, close prompt, locks, autosave and recovery, settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from jixiao.core.fileio import load_document
from jixiao.core.interchange import document_to_json
from jixiao.core.recovery import RecoveryStore
from jixiao.gui import dialogs, locking
from jixiao.gui.main_window import MainWindow


def _body(doc):
    return json.dumps(document_to_json(doc, native=True), ensure_ascii=False, sort_keys=True)


def test_save_reopen_compare(window, qtbot, tmp_path):
    w = window
    w.edit_cell("funds.年度资金总额.全年执行数", "28.5")
    w.edit_cell("indicators[2].实际完成值", "=480人次")
    assert "*" in w.windowTitle()
    target = tmp_path / "out.jxzp"
    assert w.files.save_as(target)
    assert "*" not in w.windowTitle()
    assert w.session.path == target
    saved = _body(w.session.doc)
    w2 = MainWindow()
    qtbot.addWidget(w2)
    w.shutdown()  # release the lock so the second window opens it for editing
    assert w2.open_file(target, ask_save=False)
    assert _body(w2.session.doc) == saved
    assert w2.session.doc.forms[0].get("funds.年度资金总额.全年执行数") == "28.5"
    assert not w2.session.read_only
    w2.shutdown()
    # a second save writes a .bak of the previous version
    w.open_file(target, ask_save=False)
    w.edit_cell("funds.年度资金总额.全年执行数", "29")
    assert w.files.save()
    assert (tmp_path / "out.jxzp.bak").exists()
    assert load_document(target).forms[0].get("funds.年度资金总额.全年执行数") == "29"


def test_title_marker_follows_undo(window):
    w = window
    assert w.windowTitle() == "乌鲁木齐市科学技术局 2024 - 绩效自评表填报工具"
    w.edit_cell("funds.年度资金总额.年初预算数", "31")
    assert w.windowTitle().startswith("乌鲁木齐市科学技术局 2024*")
    w.session.undo_stack.undo()
    assert "*" not in w.windowTitle()


def test_close_prompt(window, monkeypatch, tmp_path):
    w = window
    w.edit_cell("funds.年度资金总额.年初预算数", "31")
    asked = []
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: asked.append(name) or "cancel")
    assert not w.close()
    assert asked and w.isVisible()
    # 保存: an interchange .json is saved as a new .jxzp (save-as dialog)
    target = tmp_path / "closed.jxzp"
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "save")
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    assert w.close()
    assert load_document(target).forms[0].get("funds.年度资金总额.年初预算数") == "31"


def test_close_discard(window, monkeypatch):
    w = window
    w.edit_cell("funds.年度资金总额.年初预算数", "31")
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    assert w.close()


def test_lock_detected_in_second_window(app, qtbot, seed_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    path = tmp_path / "doc.jxzp"
    from jixiao.core.fileio import save_document

    save_document(load_document(seed_copy()), path)
    w1 = MainWindow()
    qtbot.addWidget(w1)
    assert w1.open_file(path, ask_save=False)
    assert locking.lock_path(path).exists()
    w2 = MainWindow()
    qtbot.addWidget(w2)
    asked = []
    w2.lock_prompt = lambda parent, name, info: asked.append(info) or "readonly"
    assert w2.open_file(path, ask_save=False)
    assert asked and asked[0].same_process
    assert w2.session.read_only and "只读" in w2.windowTitle()
    assert not w2.edit_cell("funds.年度资金总额.年初预算数", "1")
    w3 = MainWindow()
    qtbot.addWidget(w3)
    w3.lock_prompt = lambda parent, name, info: "cancel"
    assert not w3.open_file(path, ask_save=False)
    w1.shutdown()
    w2.shutdown()
    assert not locking.lock_path(path).exists()


def test_lock_of_other_process_and_stale_lock(tmp_path):
    doc = tmp_path / "x.jxzp"
    doc.write_text("{}")
    lp = locking.lock_path(doc)
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lp.write_text(json.dumps({"pid": proc.pid, "host": locking._hostname(), "user": "u", "since": "t"}))
        info = locking.current_owner(doc)
        assert info is not None and info.pid == proc.pid and not info.same_process
    finally:
        proc.kill()
        proc.wait()
    assert locking.current_owner(doc) is None  # the owner is gone: stale
    lp.write_text(json.dumps({"pid": 1, "host": "another-pc", "user": "u", "since": "t"}))
    assert locking.current_owner(doc) is not None  # another machine: cannot tell, so respected


def test_autosave_and_recover_in_process(window, qtbot):
    w = window
    w.edit_cell("funds.年度资金总额.全年执行数", "20")
    assert w.autosave_now()
    assert not w.autosave_now()  # nothing new since
    store = RecoveryStore()
    files = list(store.folder.glob("*.recovery.jxzp"))
    assert len(files) == 1
    w.session.undo_stack.undo()
    w.shutdown()  # a clean close discards the autosave
    assert not list(store.folder.glob("*.recovery.jxzp"))


CHILD = textwrap.dedent("""
    import sys, time
    from jixiao.gui.app import create_app
    app = create_app()
    from jixiao.gui.main_window import MainWindow
    w = MainWindow()
    w.open_file(sys.argv[1], ask_save=False)
    w.show()
    app.processEvents()
    w.edit_cell("funds.年度资金总额.全年执行数", "12.34")
    w.edit_cell("indicators[0].实际完成值", "=49家")
    w.autosave_now()
    print("ready", flush=True)
    time.sleep(60)
""")


def test_kill_and_recover(app, qtbot, seed_copy, monkeypatch):
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    src = seed_copy()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(src)], stdout=subprocess.PIPE, env=env, text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "ready"
    finally:
        proc.kill()  # SIGKILL: no clean shutdown, the recovery file stays
        proc.wait()
        proc.stdout.close()
    assert locking.lock_path(src).exists()  # left behind by the killed process
    w = MainWindow()
    qtbot.addWidget(w)
    offered = []
    w.recovery_prompt = lambda parent, entries: offered.append(entries) or entries[0]
    assert w.offer_recovery()
    assert offered and offered[0][0].source == str(src.resolve())
    form = w.session.doc.forms[0]
    assert form.get("funds.年度资金总额.全年执行数") == "12.34"
    assert form.get("indicators[0].实际完成值") == "=49家"
    assert w.session.is_modified and "*" in w.windowTitle()
    assert w.session.path == src.resolve()
    assert not w.session.read_only  # the stale lock was taken over
    # declined or restored entries are not offered again
    w.shutdown()
    assert RecoveryStore().pending() == []


def test_recovery_declined(app, qtbot, monkeypatch):
    store = RecoveryStore()
    from jixiao.core.model import new_document

    store.write(new_document("national", "测试单位", 2024), None, "old-session")
    assert store.pending()  # written by this very process: listed
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    w = MainWindow()
    qtbot.addWidget(w)
    w.recovery_prompt = lambda parent, entries: None
    assert not w.offer_recovery()
    assert not list(store.folder.glob("*.recovery.jxzp"))


def test_each_autosave_is_offered_and_only_the_answered_one_discarded(app, qtbot, monkeypatch):
    # two documents were open at a power cut: declining one must not delete the other
    store = RecoveryStore()
    from jixiao.core.model import new_document

    store.write(new_document("national", "甲单位", 2024), None, "session-a")
    store.write(new_document("national", "乙单位", 2024), None, "session-b")
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    w = MainWindow()
    qtbot.addWidget(w)
    offered: list[str] = []

    def prompt(parent, entries):
        offered.append(entries[0].unit)
        return None if len(offered) == 1 else entries[0]

    w.recovery_prompt = prompt
    assert w.offer_recovery()
    assert sorted(offered) == ["乙单位", "甲单位"]
    assert w.session is not None and w.session.doc.unit == offered[1]
    # the declined one is gone; the restored one is now this window's own live autosave
    assert [e.unit for e in store.pending() if e.unit in ("甲单位", "乙单位")] == [offered[1]]
    w.session.set_dirty(False)


def _run_gui(app_mod, app, qtbot, monkeypatch, file=None, loop=None):
    """run_gui() with its event loop replaced by ``loop(window)``; by default, one
    that runs until the start-up document is open. Returns (window, what the
    window looked like when the loop began); ``window.recovery_offered`` says
    whether autosaves were offered."""
    created = []

    class Probe(MainWindow):
        recovery_offered = False

        def __init__(self, **kw):
            super().__init__(**kw)
            created.append(self)
            qtbot.addWidget(self)

        def offer_recovery(self):
            self.recovery_offered = True
            return False

    def until_open(w):
        qtbot.waitUntil(lambda: w.session is not None, timeout=5000)

    seen = {}

    def fake_exec(self):
        w = created[-1]
        seen.update(visible=w.isVisible(), session=w.session, message=w.statusBar().currentMessage())
        (loop or until_open)(w)
        return 0

    monkeypatch.setattr("jixiao.gui.main_window.MainWindow", Probe)
    monkeypatch.setattr(type(app), "exec", fake_exec)
    assert app_mod.run_gui(file) == 0
    return created[-1], seen


def test_first_launch_example_then_last_document(app, qtbot, seed_copy, monkeypatch):
    from jixiao.gui import app as app_mod
    from jixiao.gui.settings import AppSettings

    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    w, _ = _run_gui(app_mod, app, qtbot, monkeypatch)
    assert w.session.path is None and "示例" in w.display_name()
    assert w.session.doc.unit == "乌鲁木齐市科学技术局" and len(w.session.doc.forms) > 1
    w.shutdown()
    # open a file: it becomes the last document and a recent file
    src = seed_copy("s002_p02.json")
    assert w.open_file(src, ask_save=False)
    w.shutdown()
    st = AppSettings()
    assert st.recent_files()[0] == str(src.resolve())
    w2, _ = _run_gui(app_mod, app, qtbot, monkeypatch)
    assert w2.session.path == src
    w2.shutdown()


def test_window_shown_before_the_document_is_opened(app, qtbot, seed_copy, monkeypatch):
    """The officer sees the window at once; the document is opened right after its first paint."""
    from jixiao.gui import app as app_mod

    src = seed_copy("s002_p03.json")
    w, seen = _run_gui(app_mod, app, qtbot, monkeypatch, str(src))
    assert seen["visible"] and seen["session"] is None
    assert seen["message"] == f"正在打开 {src.name}…"
    assert w.session.path == src
    assert w.statusBar().currentMessage() == f"已打开 {src}"
    assert w.model.rowCount() > 10
    w.shutdown()


def test_empty_window_offers_nothing_to_save_or_edit(app, qtbot, seed_copy):
    """The window shown before the document is open has no document actions enabled."""
    w = MainWindow(persist=False)
    qtbot.addWidget(w)
    document_actions = [w.a_save, w.a_save_as, w.a_export_xlsx, w.a_export_pdf, w.a_preview, w.a_print,
                        w.a_cut, w.a_paste, w.a_clear, w.a_add_form, w.a_del_form, w.a_ins_below, w.a_del_row]
    assert not any(a.isEnabled() for a in document_actions)
    assert w.a_new.isEnabled() and w.a_open.isEnabled() and w.a_quit.isEnabled()
    assert w.open_file(seed_copy("s002_p03.json"), ask_save=False)
    assert all(a.isEnabled() for a in (w.a_save, w.a_save_as, w.a_export_xlsx, w.a_export_pdf, w.a_print,
                                       w.a_add_form))


def test_window_closed_before_its_first_paint_opens_nothing(app, qtbot, seed_copy, monkeypatch):
    from jixiao.gui import app as app_mod
    from jixiao.gui import locking

    src = seed_copy("s002_p03.json")

    def close_at_once(w):
        w.close()  # before the event loop paints it
        qtbot.wait(1300)  # past the 1 s fallback of when_first_painted

    w, _ = _run_gui(app_mod, app, qtbot, monkeypatch, str(src), loop=close_at_once)
    assert w.session is None and not w.recovery_offered
    assert locking.current_owner(src) is None  # and the file was not locked behind its back


def test_bench_hook_when_the_document_came_before_the_first_paint(app, qtbot, monkeypatch, capsys):
    """The fallback timer can open the document before the window is painted: the
    benchmark hook must still report the document (and not wait forever)."""
    from PySide6.QtWidgets import QApplication

    from jixiao.gui import app as app_mod

    monkeypatch.setattr(QApplication, "quit", lambda *a: None)
    w = MainWindow(persist=False)
    qtbot.addWidget(w)
    app_mod._bench_hook(w)
    w.open_example()  # before show(): as when the fallback fires first
    w.show()
    out = []
    qtbot.waitUntil(lambda: out.append(capsys.readouterr().out) or "document-shown" in "".join(out), timeout=5000)
    text = "".join(out)
    assert text.index("first-paint") < text.index("document-shown")


def test_window_opens_the_document_even_without_a_paint(app, qtbot, monkeypatch):
    """A window that is never painted (started minimised) still gets its document."""
    from jixiao.gui.app import when_first_painted

    w = MainWindow(persist=False)
    qtbot.addWidget(w)
    calls = []
    when_first_painted(w, lambda: calls.append(1), fallback_ms=50)  # never shown
    qtbot.waitUntil(lambda: calls == [1], timeout=2000)
    w.show()
    qtbot.wait(100)
    assert calls == [1]  # once only


def test_geometry_and_splitters_remembered(app, qtbot, monkeypatch):
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    w = MainWindow()
    qtbot.addWidget(w)
    w.open_example()
    w.resize(700, 500)  # the offscreen screen is small; geometry is clamped to it
    w.show()
    w.main_split.setSizes([233, 400])
    sizes = w.main_split.sizes()
    w.close()
    w2 = MainWindow()
    qtbot.addWidget(w2)
    w2.show()
    assert w2.size().width() == 700
    assert w2.main_split.sizes()[0] == sizes[0]
    w2.shutdown()
