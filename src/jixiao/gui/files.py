"""Files: open (with lock detection), new, the example, save / save as, the
save-changes prompt and the recent-files menu. Errors are shown, never raised."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from jixiao.gui.main_window import MainWindow

FILE_FILTER = "绩效自评文件 (*.jxzp);;JSON 交换文件 (*.json);;所有文件 (*)"


class DocumentFiles(QObject):
    """The main window's file commands (``window.files``)."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.w = window

    # ------------------------------------------------------------ where
    def default_dir(self) -> str:
        recent = self.w.settings.recent_files()
        if recent:
            return str(Path(recent[0]).parent)
        docs = Path.home() / "Documents"
        return str(docs if docs.is_dir() else Path.home())

    def fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        files = self.w.settings.recent_files()
        if not files:
            a = menu.addAction("（无）")
            a.setEnabled(False)
            return
        for i, p in enumerate(files):
            a = menu.addAction(f"&{i + 1} {p}" if i < 9 else p)
            a.triggered.connect(lambda checked=False, path=p: self.open_file(path))
        menu.addSeparator()
        menu.addAction("清除列表", self.w.settings.clear_recent)

    # ------------------------------------------------------------ open
    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        s = self.w.session
        start = str(s.path.parent) if s and s.path else self.default_dir()
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self.w, "打开自评文件", start, FILE_FILTER)
        if path:
            self.open_file(path, ask_save=False)

    def open_file(self, path: str | Path, *, ask_save: bool = True) -> bool:
        """Open a document (with lock detection); errors are shown, never raised.
        A file cut short offers its backup (saved back to the file itself)."""
        from jixiao.core.fileio import DocumentError, fingerprint, load_document
        from jixiao.gui import dialogs, locking

        w = self.w
        if ask_save and not self.maybe_save():
            return False
        p = Path(path)
        notes: list[str] = []
        from_backup: Path | None = None
        try:
            doc = load_document(p, notes=notes)
        except DocumentError as exc:
            if exc.backup is None:
                dialogs.show_error(w, "无法打开文件", str(exc))
                return False
            if dialogs.ask_open_backup(w, str(exc), exc.backup.name) != "open":
                return False
            try:
                doc = load_document(exc.backup, notes=notes)
            except DocumentError as exc2:
                dialogs.show_error(w, "无法打开备份", str(exc2))
                return False
            from_backup = exc.backup
        disk = fingerprint(p)
        read_only = False
        lock = None
        if w.persist:
            lock = locking.DocumentLock(p)
            if not lock.acquire():
                owner = lock.owner or locking.LockInfo(-1, "?", "", "")
                answer = w.lock_prompt(w, p.name, owner)
                if answer == "cancel":
                    return False
                if answer == "readonly":
                    read_only, lock = True, None
                else:  # 仍然编辑: the officer's choice
                    lock.acquire(force=True)
            w.settings.add_recent(p)
            w.settings.last_document = str(p.resolve())
        w.set_document(doc, p, read_only=read_only, lock=lock)
        assert w.session is not None
        w.session.disk = disk
        if from_backup is not None:
            w.session.set_dirty(True)
            w.statusBar().showMessage(f"已打开备份 {from_backup.name} 的内容；保存后写回 {p.name}", 15000)
        elif notes:
            w.statusBar().showMessage("；".join(notes), 15000)
        else:
            w.statusBar().showMessage(f"已打开 {p}", 5000)
        return True

    def open_example(self) -> None:
        from jixiao.gui.example import load_example

        doc = load_example()
        self.w.set_document(doc, None, untitled_name=f"{doc.unit}-{doc.year}（示例）")
        assert self.w.session is not None
        self.w.session.is_example = True  # marked in the title; 保存 asks for a new name
        self.w.update_title()

    def new_document(self) -> None:
        from jixiao.core.model import new_document
        from jixiao.gui import dialogs

        if not self.maybe_save():
            return
        st = self.w.settings
        dlg = dialogs.NewDocumentDialog(self.w, unit=st.last_unit, template_id=st.last_template)
        if dlg.exec() != dlg.DialogCode.Accepted:
            return
        tid, unit, year, n = dlg.values()
        st.last_unit, st.last_template = unit, tid
        self.w.set_document(new_document(tid, unit, year, projects=n), None, untitled_name=f"{unit}-{year}")

    # ------------------------------------------------------------ save
    def _guarded(self, func: Callable[[], bool]) -> bool:
        """Run a save command; anything unexpected is shown, never raised into Qt's event loop."""
        try:
            return func()
        except Exception as exc:
            from jixiao.gui import dialogs

            dialogs.show_error(self.w, "保存失败", f"保存时出现内部错误，文档仍在窗口中，请另存为其他文件：\n{exc!r}")
            return False

    def save(self) -> bool:
        return self._guarded(self._save)

    def save_as(self, path: str | Path | None = None) -> bool:
        return self._guarded(lambda: self._save_as(path))

    def _save(self) -> bool:
        from jixiao.core.fileio import EXTENSION

        s = self.w.session
        if s is None:
            return False
        if s.path is None or s.read_only or s.is_example or s.path.suffix.lower() != EXTENSION:
            return self._save_as(None)
        return self._save_to(s.path)

    def _save_as(self, path: str | Path | None) -> bool:
        from jixiao.core.fileio import EXTENSION
        from jixiao.gui import dialogs, locking

        w = self.w
        s = w.session
        if s is None:
            return False
        if path is None:
            if s.path is not None and not s.is_example:
                suggest = s.path.with_suffix(EXTENSION)
            elif s.is_example:
                suggest = Path(self.default_dir()) / f"我的自评-{s.doc.year}{EXTENSION}"
            else:
                suggest = Path(self.default_dir()) / f"{s.doc.unit or '自评'}-{s.doc.year}{EXTENSION}"
            from PySide6.QtWidgets import QFileDialog

            chosen, _ = QFileDialog.getSaveFileName(w, "另存为", str(suggest), "绩效自评文件 (*.jxzp)")
            if not chosen:
                return False
            path = chosen
        p = Path(path)
        if p.suffix.lower() != EXTENSION:
            p = p.with_name(p.name + EXTENSION)
        new_lock = None
        if w.persist and (s.path is None or p.resolve() != s.path.resolve() or s.read_only):
            new_lock = locking.DocumentLock(p)  # taken before writing: no other window may slip in between
            if not new_lock.acquire():
                who = new_lock.owner.describe() if new_lock.owner else "另一个窗口"
                dialogs.show_error(w, "无法保存", f"“{p.name}”已在{who}中打开，请换一个文件名。")
                return False
        if not self._save_to(p):
            if new_lock is not None:
                new_lock.release()
            return False
        if new_lock is not None and new_lock.held:
            if w.lock is not None:
                w.lock.release()
            w.lock = new_lock
        s.read_only = False
        s.is_example = False
        w.update_title()
        w.update_actions()
        return True

    def _save_to(self, p: Path) -> bool:
        from jixiao.core.fileio import DocumentError, changed_on_disk, fingerprint, save_document
        from jixiao.gui import dialogs

        w = self.w
        s = w.session
        assert s is not None
        if s.path is not None and _same_file(p, s.path) and changed_on_disk(p, s.disk):
            answer = dialogs.ask_overwrite_changed(w, p.name)  # someone else saved it since we opened it
            if answer == "save_as":
                return self._save_as(None)
            if answer != "overwrite":
                return False
        link = s.doc.previous
        if link is not None:
            from jixiao.core.compare import rebase_link

            # last year's file named from where this document now lives, as the CLI does (core.compare.link_path)
            s.doc.previous = rebase_link(link, s.path, p)
        try:
            save_document(s.doc, p)
        except DocumentError as exc:
            s.doc.previous = link
            dialogs.show_error(w, "保存失败", str(exc))
            return False
        except Exception as exc:  # a bug must not lose the document silently: say so, keep it open
            s.doc.previous = link
            dialogs.show_error(w, "保存失败", f"保存“{p.name}”时出现内部错误，文件未改动，文档仍在窗口中：\n{exc!r}")
            return False
        s.disk = fingerprint(p)
        w.autosave.saved()
        s.mark_saved(p)
        if w.persist:
            w.settings.add_recent(p)
            w.settings.last_document = str(p.resolve())
        w.statusBar().showMessage(f"已保存到 {p}", 5000)
        w.update_title()
        return True

    def maybe_save(self) -> bool:
        """Ask before dropping unsaved changes; False means the user cancelled."""
        s = self.w.session
        if s is None or not s.is_modified:
            return True
        from jixiao.gui import dialogs

        answer = dialogs.ask_save_changes(self.w, self.w.display_name())
        if answer == "save":
            return self.save()
        return answer == "discard"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b
