"""Autosave every minute to the recovery store, and the offer to restore an
autosave left behind by a crash (``window.autosave``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from jixiao.core.recovery import RecoveryStore
    from jixiao.gui.main_window import MainWindow

AUTOSAVE_MS = 60_000


class Autosave(QObject):
    def __init__(self, window: MainWindow, store: RecoveryStore | None = None):
        super().__init__(window)
        self.w = window
        self._store = store
        self._saved_count = 0  # the session's change_count at the last autosave or save
        self._source: str | None = None  # the autosave on disk: its source ("" for an untitled document)
        self.timer = QTimer(self)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.autosave_now)

    @property
    def store(self) -> RecoveryStore:
        """Where autosaves go (created on first use: not needed for the first window)."""
        if self._store is None:
            from jixiao.core.recovery import RecoveryStore

            self._store = RecoveryStore()
        return self._store

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    # ------------------------------------------------------------ the session's life
    def new_session(self) -> None:
        """A new document is shown (the old one's autosave is gone already)."""
        self._saved_count = 0
        self._source = None

    def saved(self) -> None:
        """The document was saved: its autosave is no longer needed."""
        self.discard()
        s = self.w.session
        if s is not None:
            self._saved_count = s.change_count

    # ------------------------------------------------------------ autosave
    def autosave_now(self) -> bool:
        from jixiao.core.fileio import DocumentError

        s = self.w.session
        if s is None or not s.is_modified or s.change_count == self._saved_count and not s._dirty:
            return False
        source = str(s.path) if s.path is not None else None
        if self._source is not None and self._source != (source or ""):
            self.discard()
        try:
            self.store.write(s.doc, source, s.session_id)
        except DocumentError as exc:
            self.w.statusBar().showMessage(f"自动保存失败：{exc}", 10000)
            return False
        self._source = source or ""
        self._saved_count = s.change_count
        self.w.statusBar().showMessage("已自动保存", 3000)
        return True

    def discard(self) -> None:
        s = self.w.session
        if s is None or self._source is None:
            return
        self.store.discard(self._source or None, s.session_id)
        self._source = None

    # ------------------------------------------------------------ recovery
    def offer_recovery(self) -> bool:
        """After a crash: offer each autosave left behind, newest first. True if
        one was restored. Only the autosave the officer answered about is
        discarded: the others (another document open at the power cut) stay
        and are offered next."""
        from jixiao.core.fileio import DocumentError
        from jixiao.gui import dialogs, locking

        w = self.w
        remaining = self.store.pending()
        while remaining:
            entry = w.recovery_prompt(w, remaining)
            if entry is None:
                self.store.discard_entry(remaining[0])  # the one the prompt offered
                remaining = remaining[1:]
                continue
            try:
                doc = self.store.restore(entry)
            except DocumentError as exc:
                dialogs.show_error(w, "无法恢复", str(exc))
                return False
            source = Path(entry.source) if entry.source else None
            lock = None
            read_only = False
            if source is not None and w.persist:
                info = locking.current_owner(source)
                if info is None:
                    lock = locking.DocumentLock(source)
                    lock.acquire()
                else:  # the file is open in another jixiao: restore, but do not overwrite it
                    read_only = True
            w.set_document(doc, source, read_only=read_only, lock=lock,
                           untitled_name=f"{doc.unit}-{doc.year}（已恢复）")
            assert w.session is not None
            w.session.set_dirty(True)
            self.store.discard_entry(entry)
            self.autosave_now()
            w.statusBar().showMessage("已恢复自动保存的内容，请检查后保存", 10000)
            return True
        return False
