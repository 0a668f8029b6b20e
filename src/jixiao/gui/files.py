"""Files: open (with lock detection), new, the example, save / save as, the
save-changes prompt and the recent-files menu. Errors are shown, never raised."""

from __future__ import annotations

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
        """Open a document (with lock detection); errors are shown, never raised."""
        from jixiao.core.fileio import DocumentError, load_document
        from jixiao.gui import locking

        w = self.w
        if ask_save and not self.maybe_save():
            return False
        p = Path(path)
        try:
            doc = load_document(p)
        except DocumentError as exc:
            from jixiao.gui import dialogs

            dialogs.show_error(w, "无法打开文件", str(exc))
            return False
        read_only = False
        lock = None
        if w.persist:
            info = locking.current_owner(p)
            if info is not None:
                answer = w.lock_prompt(w, p.name, info)
                if answer == "cancel":
                    return False
                read_only = answer == "readonly"
            if not read_only:
                lock = locking.DocumentLock(p)
                lock.acquire()
            w.settings.add_recent(p)
            w.settings.last_document = str(p.resolve())
        w.set_document(doc, p, read_only=read_only, lock=lock)
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
    def save(self) -> bool:
        from jixiao.core.fileio import EXTENSION

        s = self.w.session
        if s is None:
            return False
        if s.path is None or s.read_only or s.is_example or s.path.suffix.lower() != EXTENSION:
            return self.save_as()
        return self._save_to(s.path)

    def save_as(self, path: str | Path | None = None) -> bool:
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
            info = locking.current_owner(p)
            if info is not None:
                dialogs.show_error(w, "无法保存", f"“{p.name}”已在{info.describe()}中打开，请换一个文件名。")
                return False
            new_lock = locking.DocumentLock(p)
        if not self._save_to(p):
            return False
        if new_lock is not None:
            if w.lock is not None:
                w.lock.release()
            new_lock.acquire()
            w.lock = new_lock
        s.read_only = False
        s.is_example = False
        w.update_title()
        w.update_actions()
        return True

    def _save_to(self, p: Path) -> bool:
        from jixiao.core.fileio import DocumentError, save_document
        from jixiao.gui import dialogs

        w = self.w
        s = w.session
        assert s is not None
        try:
            save_document(s.doc, p)
        except DocumentError as exc:
            dialogs.show_error(w, "保存失败", str(exc))
            return False
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
