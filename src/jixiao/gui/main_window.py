"""The main window: form list | grid over findings, menus, status bar,
files, autosave and recovery."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QSplitter,
    QToolBar,
    QWidget,
)

from jixiao import __version__
from jixiao.gui.findings_panel import FindingsPanel
from jixiao.gui.form_list import FormList
from jixiao.gui.grid_model import GridModel
from jixiao.gui.grid_view import GridView
from jixiao.gui.ids import SUMMARY_ID
from jixiao.gui.settings import AppSettings

if TYPE_CHECKING:
    from jixiao.core.model import Document
    from jixiao.core.recovery import RecoveryStore
    from jixiao.gui import locking

# The window is shown before any document is opened (docs/performance.md, time
# to first window), so the engine, the file and lock handling, the undo
# commands and the dialogs are imported where they are first used, not here.
# tests/gui/test_gui_app.py checks that building the window imports none of them.

APP_TITLE = "绩效自评表填报工具"
FILE_FILTER = "绩效自评文件 (*.jxzp);;JSON 交换文件 (*.json);;所有文件 (*)"
AUTOSAVE_MS = 60_000


class MainWindow(QMainWindow):
    # Injectable prompts (tests replace them; defaults show dialogs).
    @staticmethod
    def recovery_prompt(parent, entries):
        from jixiao.gui import dialogs

        return dialogs.ask_recovery(parent, entries)

    @staticmethod
    def lock_prompt(parent, name, info):
        from jixiao.gui import dialogs

        return dialogs.ask_locked(parent, name, info)

    def __init__(self, *, persist: bool = True, settings: AppSettings | None = None,
                 recovery: RecoveryStore | None = None):
        super().__init__()
        self.persist = persist
        self.settings = settings or AppSettings()
        self._store = recovery
        self.session: DocumentSession | None = None
        self.editor: FormEditor | None = None
        self.lock: locking.DocumentLock | None = None
        self.untitled_name = ""
        self._autosaved_count = 0
        self._recovery_source: str | None = None
        self._dups: set = set()
        self.setObjectName("MainWindow")
        self.setWindowTitle(APP_TITLE)

        self.model = GridModel(parent=self)
        self.view = GridView(self)
        self.view.setModel(self.model)
        self.form_list = FormList(self)
        self.findings = FindingsPanel(self)
        self.right = QSplitter(Qt.Orientation.Vertical, self)
        self.right.setObjectName("rightSplitter")
        self.right.addWidget(self.view)
        self.right.addWidget(self.findings)
        self.right.setStretchFactor(0, 4)
        self.right.setStretchFactor(1, 1)
        self.main_split = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_split.setObjectName("mainSplitter")
        self.main_split.addWidget(self.form_list)
        self.main_split.addWidget(self.right)
        self.main_split.setStretchFactor(0, 0)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setSizes([270, 1100])
        self.right.setSizes([640, 160])
        self.setCentralWidget(self.main_split)

        self.status_score = QLabel(self)
        self.status_counts = QLabel(self)
        self.status_mode = QLabel(self)
        for w in (self.status_mode, self.status_score, self.status_counts):
            self.statusBar().addPermanentWidget(w)

        self.undo_group = QUndoGroup(self)
        self._build_actions()
        self._build_menus()
        self._update_actions()  # no document yet: nothing to edit

        self.form_list.formSelected.connect(self.show_form)
        self.findings.findingActivated.connect(self.go_to_finding)
        self.view.copyRequested.connect(self.copy)
        self.view.pasteRequested.connect(self.paste)
        self.view.clearRequested.connect(self.clear_cells)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_row_actions())
        self.model.modelReset.connect(self._on_model_reset)

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave_now)
        if persist:
            self.autosave_timer.start()
            self._restore_geometry()
        else:
            self.resize(1400, 900)

    @property
    def store(self) -> RecoveryStore:
        """Where autosaves go (created on first use: not needed for the first window)."""
        if self._store is None:
            from jixiao.core.recovery import RecoveryStore

            self._store = RecoveryStore()
        return self._store

    # ================================================================ actions
    def _act(self, text: str, slot, shortcut=None, tip: str = "", context=None) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                a.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                a.setShortcut(QKeySequence(shortcut))
        if tip:
            a.setStatusTip(tip)
        if context is not None:
            a.setShortcutContext(context)
        a.triggered.connect(lambda checked=False: slot())
        return a

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        W = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.a_new = self._act("新建(&N)…", self.new_document, K.New, "新建自评文件")
        self.a_open = self._act("打开(&O)…", self.open_dialog, K.Open, "打开自评文件")
        self.a_save = self._act("保存(&S)", self.save, K.Save, "保存当前文件")
        self.a_save_as = self._act("另存为(&A)…", self.save_as, "Ctrl+Shift+S", "以新文件名保存")
        self.a_import = self._act("从Excel导入(&I)…", self.import_excel, None, "从 Excel 工作簿导入自评表")
        self.a_export_xlsx = self._act("导出Excel(&E)…", self.export_excel, "Ctrl+E", "导出报送财政局的 Excel 工作簿")
        self.a_export_pdf = self._act("导出PDF(&D)…", self.export_pdf, "Ctrl+Shift+E", "导出可打印、签字盖章的 PDF")
        self.a_report = self._act("生成自评报告(&B)…", self.generate_report, None, "由自评表生成自评报告（Word / PDF）")
        self.a_preview = self._act("打印预览(&V)…", self.print_preview, "Ctrl+F2", "预览打印页面")
        self.a_print = self._act("打印(&P)…", self.print_document, K.Print, "打印")
        self.a_quit = self._act("退出(&X)", self.close, "Ctrl+Q", "退出程序")

        self.a_undo = self.undo_group.createUndoAction(self, "撤销")
        self.a_undo.setShortcut(QKeySequence(K.Undo))
        self.a_redo = self.undo_group.createRedoAction(self, "重做")
        self.a_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.a_cut = self._act("剪切(&T)", self.cut, K.Cut, context=W)
        self.a_copy = self._act("复制(&C)", self.copy, K.Copy, context=W)
        self.a_paste = self._act("粘贴(&P)", self.paste, K.Paste, context=W)
        self.a_clear = self._act("清除内容(&L)", self.clear_cells, K.Delete, context=W)
        for a in (self.a_cut, self.a_copy, self.a_paste, self.a_clear):
            self.view.addAction(a)
        self.a_ins_above = self._act("在上方插入指标行(&B)", lambda: self.insert_row(False), "Ctrl+Alt+=")
        self.a_ins_below = self._act("在下方插入指标行(&I)", lambda: self.insert_row(True), ["Ctrl+Shift+=", "Ctrl++"])
        self.a_del_row = self._act("删除指标行(&D)", self.delete_row, "Ctrl+-")
        self.a_row_up = self._act("上移指标行(&U)", lambda: self.move_row(True), "Alt+Shift+Up")
        self.a_row_down = self._act("下移指标行(&W)", lambda: self.move_row(False), "Alt+Shift+Down")

        self.a_add_form = self._act("新增项目(&A)", self.add_project, "Ctrl+Shift+N", "新增一张项目支出绩效自评表")
        self.a_dup_form = self._act("复制项目(&C)", self.duplicate_project, None, "复制当前项目表")
        self.a_rename_form = self._act("重命名(&R)…", self.rename_form, None, "修改项目名称")
        self.a_del_form = self._act("删除项目(&D)…", self.delete_project, None, "删除当前项目表")
        self.a_form_up = self._act("上移项目(&U)", lambda: self.move_form(True), None)
        self.a_form_down = self._act("下移项目(&W)", lambda: self.move_form(False), None)
        self.a_next_form = self._act("下一张表(&N)", lambda: self.step_form(1), "Ctrl+PgDown")
        self.a_prev_form = self._act("上一张表(&P)", lambda: self.step_form(-1), "Ctrl+PgUp")
        self.a_next_pane = self._act("切换窗格(&F)", self.cycle_focus, "F6")
        self.a_next_finding = self._act("下一个问题(&E)", lambda: self.step_finding(1), "F8")
        self.a_about = self._act("关于(&A)", self.about)
        for a in (self.a_add_form, self.a_dup_form, self.a_rename_form, self.a_del_form, self.a_form_up,
                  self.a_form_down):
            self.form_list.addAction(a)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu("文件(&F)")
        m.addActions([self.a_new, self.a_open])
        self.recent_menu = m.addMenu("最近打开(&R)")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m.addSeparator()
        m.addActions([self.a_save, self.a_save_as])
        m.addSeparator()
        m.addActions([self.a_import, self.a_export_xlsx, self.a_export_pdf, self.a_report])
        m.addSeparator()
        m.addActions([self.a_preview, self.a_print])
        m.addSeparator()
        m.addAction(self.a_quit)
        m = mb.addMenu("编辑(&E)")
        m.addActions([self.a_undo, self.a_redo])
        m.addSeparator()
        m.addActions([self.a_cut, self.a_copy, self.a_paste, self.a_clear])
        m.addSeparator()
        m.addActions([self.a_ins_above, self.a_ins_below, self.a_del_row, self.a_row_up, self.a_row_down])
        m = mb.addMenu("表格(&T)")
        m.addActions([self.a_add_form, self.a_dup_form, self.a_rename_form, self.a_del_form])
        m.addSeparator()
        m.addActions([self.a_form_up, self.a_form_down])
        m.addSeparator()
        m.addActions([self.a_prev_form, self.a_next_form, self.a_next_finding, self.a_next_pane])
        m = mb.addMenu("帮助(&H)")
        m.addAction(self.a_about)

        tb = QToolBar("工具栏", self)
        tb.setObjectName("mainToolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.addActions([self.a_new, self.a_open, self.a_save])
        tb.addSeparator()
        tb.addActions([self.a_undo, self.a_redo])
        tb.addSeparator()
        tb.addActions([self.a_ins_below, self.a_del_row])
        tb.addSeparator()
        tb.addActions([self.a_add_form, self.a_dup_form])
        tb.addSeparator()
        tb.addActions([self.a_export_xlsx, self.a_export_pdf, self.a_print])
        for a in tb.actions():
            a.setIconText(a.text().split("(")[0].rstrip("…"))
        self.addToolBar(tb)
        self.toolbar = tb

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.settings.recent_files()
        if not files:
            a = self.recent_menu.addAction("（无）")
            a.setEnabled(False)
            return
        for i, p in enumerate(files):
            a = self.recent_menu.addAction(f"&{i + 1} {p}" if i < 9 else p)
            a.triggered.connect(lambda checked=False, path=p: self.open_file(path))
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("清除列表", self.settings.clear_recent)

    # ================================================================ document lifecycle
    def set_document(self, doc: Document, path: str | Path | None = None, *, read_only: bool = False,
                     lock: locking.DocumentLock | None = None, untitled_name: str = "") -> None:
        from jixiao.gui.editing import FormEditor
        from jixiao.gui.session import DocumentSession

        old = self.session
        if old is not None:
            self._discard_recovery()
            self.undo_group.removeStack(old.undo_stack)
            old.formEdited.disconnect(self._on_form_edited)
            old.formsChanged.disconnect(self._on_forms_changed)
            old.findingsChanged.disconnect(self._on_findings_changed)
            old.modifiedChanged.disconnect(self._update_title)
        if self.lock is not None:
            self.lock.release()
        self.lock = lock
        s = DocumentSession(doc, path, read_only=read_only, parent=self)
        self.session = s
        self.untitled_name = untitled_name
        self._autosaved_count = 0
        self._recovery_source = None
        self._dups = {f.form_id for f in s.findings if f.code == "duplicate-name"}
        self.undo_group.addStack(s.undo_stack)
        self.undo_group.setActiveStack(s.undo_stack)
        s.formEdited.connect(self._on_form_edited)
        s.formsChanged.connect(self._on_forms_changed)
        s.findingsChanged.connect(self._on_findings_changed)
        s.modifiedChanged.connect(self._update_title)
        self.editor = FormEditor(s, self.model)
        first = doc.forms[0].id if doc.forms else SUMMARY_ID
        self.model.set_session(s, first)
        self.form_list.set_session(s)
        self.findings.set_session(s)
        self.form_list.select_form(first)
        self._update_title()
        self._update_status()
        self._update_actions()
        self.statusBar().clearMessage()  # “正在打开…”
        self.view.setFocus()
        self._select_first_input()
        if old is not None:
            old.deleteLater()

    def _select_first_input(self) -> None:
        c = next((c for c in sorted(self.model.grid.cells, key=lambda c: (c.row, c.col)) if c.editable), None)
        if c is not None:
            self.view.set_current(self.model.index(c.row, c.col))
        self.view.scrollToTop()

    def display_name(self) -> str:
        s = self.session
        if s is None:
            return ""
        if s.path is not None:
            return s.path.name
        return self.untitled_name or "未命名"

    def _update_title(self, *_args) -> None:
        s = self.session
        if s is None:
            self.setWindowTitle(APP_TITLE)
            return
        unit = s.doc.unit or "未命名单位"
        mark = "*" if s.is_modified else ""
        ro = "（只读）" if s.read_only else ""
        self.setWindowTitle(f"{unit} {s.doc.year}{mark}{ro} - {APP_TITLE}")
        self.status_mode.setText("只读" if s.read_only else "")

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        start = str(self.session.path.parent) if self.session and self.session.path else self._default_dir()
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "打开自评文件", start, FILE_FILTER)
        if path:
            self.open_file(path, ask_save=False)

    def _default_dir(self) -> str:
        recent = self.settings.recent_files()
        if recent:
            return str(Path(recent[0]).parent)
        docs = Path.home() / "Documents"
        return str(docs if docs.is_dir() else Path.home())

    def open_file(self, path: str | Path, *, ask_save: bool = True) -> bool:
        """Open a document (with lock detection); errors are shown, never raised."""
        from jixiao.core.fileio import DocumentError, load_document
        from jixiao.gui import locking

        if ask_save and not self.maybe_save():
            return False
        p = Path(path)
        try:
            doc = load_document(p)
        except DocumentError as exc:
            from jixiao.gui import dialogs

            dialogs.show_error(self, "无法打开文件", str(exc))
            return False
        read_only = False
        lock = None
        if self.persist:
            info = locking.current_owner(p)
            if info is not None:
                answer = self.lock_prompt(self, p.name, info)
                if answer == "cancel":
                    return False
                read_only = answer == "readonly"
            if not read_only:
                lock = locking.DocumentLock(p)
                lock.acquire()
            self.settings.add_recent(p)
            self.settings.last_document = str(p.resolve())
        self.set_document(doc, p, read_only=read_only, lock=lock)
        self.statusBar().showMessage(f"已打开 {p}", 5000)
        return True

    def show_opening(self, file: str | None = None) -> None:
        """Before the first document is opened: say what is coming (the window is
        shown first and the document opened right after its first paint)."""
        name = Path(file).name if file else ""
        self.statusBar().showMessage(f"正在打开 {name}…" if name else "正在打开…")

    def open_example(self) -> None:
        from jixiao.gui.example import load_example

        doc = load_example()
        self.set_document(doc, None, untitled_name=f"{doc.unit}-{doc.year}（示例）")

    def new_document(self) -> None:
        from jixiao.core.model import new_document
        from jixiao.gui import dialogs

        if not self.maybe_save():
            return
        s = self.session
        dlg = dialogs.NewDocumentDialog(self, unit=s.doc.unit if s else "", year=s.doc.year if s else 2024)
        if dlg.exec() != dlg.DialogCode.Accepted:
            return
        tid, unit, year, n = dlg.values()
        self.set_document(new_document(tid, unit, year, projects=n), None, untitled_name=f"{unit}-{year}")

    def save(self) -> bool:
        from jixiao.core.fileio import EXTENSION

        s = self.session
        if s is None:
            return False
        if s.path is None or s.read_only or s.path.suffix.lower() != EXTENSION:
            return self.save_as()
        return self._save_to(s.path)

    def save_as(self, path: str | Path | None = None) -> bool:
        from jixiao.core.fileio import EXTENSION
        from jixiao.gui import dialogs, locking

        s = self.session
        if s is None:
            return False
        if path is None:
            if s.path is not None:
                suggest = s.path.with_suffix(EXTENSION)
            else:
                suggest = Path(self._default_dir()) / f"{s.doc.unit or '自评'}-{s.doc.year}{EXTENSION}"
            from PySide6.QtWidgets import QFileDialog

            chosen, _ = QFileDialog.getSaveFileName(self, "另存为", str(suggest), "绩效自评文件 (*.jxzp)")
            if not chosen:
                return False
            path = chosen
        p = Path(path)
        if p.suffix.lower() != EXTENSION:
            p = p.with_name(p.name + EXTENSION)
        new_lock = None
        if self.persist and (s.path is None or p.resolve() != s.path.resolve() or s.read_only):
            info = locking.current_owner(p)
            if info is not None:
                dialogs.show_error(self, "无法保存", f"“{p.name}”已在{info.describe()}中打开，请换一个文件名。")
                return False
            new_lock = locking.DocumentLock(p)
        if not self._save_to(p):
            return False
        if new_lock is not None:
            if self.lock is not None:
                self.lock.release()
            new_lock.acquire()
            self.lock = new_lock
        s.read_only = False
        self._update_title()
        self._update_actions()
        return True

    def _save_to(self, p: Path) -> bool:
        from jixiao.core.fileio import DocumentError, save_document
        from jixiao.gui import dialogs

        s = self.session
        assert s is not None
        try:
            save_document(s.doc, p)
        except DocumentError as exc:
            dialogs.show_error(self, "保存失败", str(exc))
            return False
        self._discard_recovery()
        s.mark_saved(p)
        self._autosaved_count = s.change_count
        if self.persist:
            self.settings.add_recent(p)
            self.settings.last_document = str(p.resolve())
        self.statusBar().showMessage(f"已保存到 {p}", 5000)
        self._update_title()
        return True

    def maybe_save(self) -> bool:
        """Ask before dropping unsaved changes; False means the user cancelled."""
        s = self.session
        if s is None or not s.is_modified:
            return True
        from jixiao.gui import dialogs

        answer = dialogs.ask_save_changes(self, self.display_name())
        if answer == "save":
            return self.save()
        return answer == "discard"

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        if not self.maybe_save():
            event.ignore()
            return
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Clean close: remember the layout, drop the autosave and the lock."""
        self.autosave_timer.stop()
        if self.persist:
            self._save_geometry()
        self._discard_recovery()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    # ================================================================ autosave / recovery
    def _recovery_key_source(self) -> str | None:
        s = self.session
        return str(s.path) if s and s.path is not None else None

    def autosave_now(self) -> bool:
        from jixiao.core.fileio import DocumentError

        s = self.session
        if s is None or not s.is_modified or s.change_count == self._autosaved_count and not s._dirty:
            return False
        source = self._recovery_key_source()
        if self._recovery_source is not None and self._recovery_source != source:
            self._discard_recovery()
        try:
            self.store.write(s.doc, source, s.session_id)
        except DocumentError as exc:
            self.statusBar().showMessage(f"自动保存失败：{exc}", 10000)
            return False
        self._recovery_source = source or ""
        self._autosaved_count = s.change_count
        self.statusBar().showMessage("已自动保存", 3000)
        return True

    def _discard_recovery(self) -> None:
        s = self.session
        if s is None or self._recovery_source is None:
            return
        self.store.discard(self._recovery_source or None, s.session_id)
        self._recovery_source = None

    def offer_recovery(self) -> bool:
        """After a crash: offer each autosave left behind, newest first. True if
        one was restored. Only the autosave the officer answered about is
        discarded: the others (another document open at the power cut) stay
        and are offered next."""
        from jixiao.core.fileio import DocumentError
        from jixiao.gui import dialogs, locking

        remaining = self.store.pending()
        while remaining:
            entry = self.recovery_prompt(self, remaining)
            if entry is None:
                self.store.discard_entry(remaining[0])  # the one the prompt offered
                remaining = remaining[1:]
                continue
            try:
                doc = self.store.restore(entry)
            except DocumentError as exc:
                dialogs.show_error(self, "无法恢复", str(exc))
                return False
            source = Path(entry.source) if entry.source else None
            lock = None
            read_only = False
            if source is not None and self.persist:
                info = locking.current_owner(source)
                if info is None:
                    lock = locking.DocumentLock(source)
                    lock.acquire()
                else:  # the file is open in another jixiao: restore, but do not overwrite it
                    read_only = True
            self.set_document(doc, source, read_only=read_only, lock=lock,
                              untitled_name=f"{doc.unit}-{doc.year}（已恢复）")
            assert self.session is not None
            self.session.set_dirty(True)
            self.store.discard_entry(entry)
            self.autosave_now()
            self.statusBar().showMessage("已恢复自动保存的内容，请检查后保存", 10000)
            return True
        return False

    # ================================================================ geometry
    def _save_geometry(self) -> None:
        st = self.settings
        st.save_bytes("window/geometry", self.saveGeometry())
        st.save_bytes("window/state", self.saveState())
        st.save_bytes("window/mainSplitter", self.main_split.saveState())
        st.save_bytes("window/rightSplitter", self.right.saveState())
        st.sync()

    def _restore_geometry(self) -> None:
        st = self.settings
        g = st.load_bytes("window/geometry")
        if g is None or not self.restoreGeometry(g):
            self.resize(1400, 900)
        s = st.load_bytes("window/state")
        if s is not None:
            self.restoreState(s)
        for key, sp in (("window/mainSplitter", self.main_split), ("window/rightSplitter", self.right)):
            b = st.load_bytes(key)
            if b is not None:
                sp.restoreState(b)

    # ================================================================ reacting to edits
    def _on_form_edited(self, form_id: str) -> None:
        if self.model.form_id == form_id or self.model.is_summary:
            self.model.refresh()
        else:
            # undo/redo of an edit in another form: show it, as Excel does
            self.form_list.select_form(form_id)
        dups = {f.form_id for f in self.session.findings if f.code == "duplicate-name"} if self.session else set()
        if dups != self._dups:
            self._dups = dups
            self.form_list.update_all()
        else:
            self.form_list.update_form(form_id)
        self._update_status()

    def _on_forms_changed(self) -> None:
        s = self.session
        assert s is not None
        cur = self.model.form_id
        if cur != SUMMARY_ID and s.doc.form_by_id(cur or "") is None:
            cur = None
        self.form_list.rebuild(keep=cur)
        fid = self.form_list.current_form_id()
        if fid and fid != self.model.form_id:
            self.model.set_form(fid)
        else:
            self.model.refresh()
        self._update_status()
        self._update_actions()

    def _on_findings_changed(self) -> None:
        self.findings.refresh()

    def _on_model_reset(self) -> None:
        self._update_actions()

    def _update_status(self) -> None:
        s = self.session
        if s is None:
            return
        from jixiao.core.figures import fmt2

        fid = self.model.form_id
        if fid == SUMMARY_ID:
            n = len(s.doc.projects)
            self.status_score.setText(f"项目单位自评汇总表：{n} 个项目")
            e = sum(1 for f in s.findings if f.severity == "error")
            w = sum(1 for f in s.findings if f.severity == "warning")
            self.status_counts.setText(f"全部表格：错误 {e}　警告 {w}")
            return
        res = s.results.get(fid or "")
        if res is not None:
            typed = ""
            if res.typed_total is not None and fmt2(res.typed_total) != fmt2(res.total):
                typed = f"（表上填写 {fmt2(res.typed_total)}）"
            self.status_score.setText(f"总分 {fmt2(res.total)}{typed}　等级 {res.grade or '—'}")
        e, w = s.counts(fid or "")
        self.status_counts.setText(f"错误 {e}　警告 {w}")

    def _update_actions(self) -> None:
        s = self.session
        editable = s is not None and not s.read_only
        cur = self.model.form_id
        form = s.doc.form_by_id(cur or "") if s else None
        is_project = form is not None and form.kind == "project"
        for a in (self.a_save, self.a_save_as, self.a_export_xlsx, self.a_export_pdf, self.a_report, self.a_preview,
                  self.a_print):
            a.setEnabled(s is not None)
        for a in (self.a_cut, self.a_paste, self.a_clear):
            a.setEnabled(editable and not self.model.is_summary)
        self.a_add_form.setEnabled(editable and s is not None and "project" in s.template.forms)
        for a in (self.a_dup_form, self.a_del_form, self.a_form_up, self.a_form_down):
            a.setEnabled(editable and is_project)
        self.a_rename_form.setEnabled(editable and form is not None)
        self._update_row_actions()

    def _update_row_actions(self) -> None:
        s = self.session
        editable = s is not None and not s.read_only and not self.model.is_summary
        info = self.model.indicator_row(self.view.current_row()) if editable else None
        for a in (self.a_ins_above, self.a_ins_below):
            a.setEnabled(info is not None)
        for a in (self.a_del_row, self.a_row_up, self.a_row_down):
            a.setEnabled(info is not None and info[0] is not None)

    # ================================================================ navigation
    def show_form(self, form_id: str) -> None:
        if form_id and form_id != self.model.form_id:
            if self.view.state() == self.view.State.EditingState:
                self.view.setFocus()  # commit an open editor first
            self.model.set_form(form_id)
            self.form_list.select_form(form_id)
            self._update_status()
            self._update_actions()

    def step_form(self, step: int) -> None:
        n = self.form_list.count()
        if n:
            self.form_list.setCurrentRow((self.form_list.currentRow() + step) % n)

    def cycle_focus(self) -> None:
        order: list[QWidget] = [self.form_list, self.view, self.findings]
        cur = QApplication.focusWidget()
        i = next((k for k, w in enumerate(order) if w is cur or (cur is not None and w.isAncestorOf(cur))), -1)
        order[(i + 1) % len(order)].setFocus()

    def go_to_finding(self, finding) -> None:
        if finding.form_id:
            self.show_form(finding.form_id)
        idx = self.model.index_of_path(finding.field)
        if idx.isValid():
            self.view.set_current(idx)
            self.view.scrollTo(idx)
            self.view.setFocus()

    def step_finding(self, step: int) -> None:
        n = self.findings.fmodel.rowCount()
        if not n:
            return
        row = (self.findings.currentIndex().row() + step) % n if self.findings.currentIndex().isValid() else 0
        idx = self.findings.fmodel.index(row, 0)
        self.findings.setCurrentIndex(idx)
        self.go_to_finding(self.findings.fmodel.items[row])

    # ================================================================ editing API
    def current_form(self):
        s = self.session
        return s.doc.form_by_id(self.model.form_id or "") if s else None

    def edit_cell(self, path: str, text: str) -> bool:
        """Set one field of the current form through the undo stack, as typing does
        (used by the benchmark and tests)."""
        assert self.editor is not None
        return self.editor.set_path(path, text)

    def copy(self) -> None:
        self.view.copy_to_clipboard()

    def cut(self) -> None:
        self.copy()
        self.clear_cells()

    def paste(self) -> None:
        if self.editor is None or self.model.is_summary or (self.session and self.session.read_only):
            return
        block = self.view.paste_block()
        if not block:
            return
        rect = self.view.selection_rect()
        if rect is None:
            return
        top, left = rect[0], rect[1]
        many = self.view.selected_cells() if len(self.view.selected_cells()) > 1 else None
        rows, cols = self.editor.paste(top, left, block, fill=many)
        if not many:
            self.view.select_rect(top, left, top + rows - 1, left + cols - 1)

    def clear_cells(self) -> None:
        if self.editor is not None:
            self.editor.clear(self.view.selected_cells())

    def insert_row(self, below: bool) -> None:
        if self.editor is None:
            return
        row = self.view.current_row()
        col = self.view.currentIndex().column()
        at = self.editor.insert_row(row, below)
        if at is not None:
            r = self.model.row_of_indicator(at)
            if r is not None:
                self.view.set_current(self.model.index(r, max(col, 0)))

    def delete_row(self) -> None:
        if self.editor is None:
            return
        row, col = self.view.current_row(), self.view.currentIndex().column()
        if self.editor.delete_row(row):
            r = min(row, self.model.rowCount() - 1)
            self.view.set_current(self.model.index(r, max(col, 0)))

    def move_row(self, up: bool) -> None:
        if self.editor is None:
            return
        col = self.view.currentIndex().column()
        r = self.editor.move_row(self.view.current_row(), up)
        if r is not None:
            self.view.set_current(self.model.index(r, col))

    # ================================================================ forms
    def _current_project(self):
        f = self.current_form()
        return f if f is not None and f.kind == "project" else None

    def add_project(self) -> None:
        from jixiao.core.model import new_form
        from jixiao.gui.commands import AddFormCommand

        s = self.session
        if s is None or s.read_only:
            return
        form = new_form(s.template, "project", unit=s.doc.unit)
        cur = self._current_project()
        index = s.doc.forms.index(cur) + 1 if cur is not None else len(s.doc.forms)
        s.undo_stack.push(AddFormCommand(s, form, index, "新增项目"))
        self.show_form(form.id)

    def duplicate_project(self) -> None:
        from jixiao.gui.commands import AddFormCommand

        s, cur = self.session, self._current_project()
        if s is None or cur is None or s.read_only:
            return
        copy_ = cur.clone()
        copy_.header["项目名称"] = (cur.name or "项目") + "（副本）"
        s.undo_stack.push(AddFormCommand(s, copy_, s.doc.forms.index(cur) + 1, "复制项目"))
        self.show_form(copy_.id)

    def delete_project(self) -> None:
        from jixiao.gui import dialogs
        from jixiao.gui.commands import RemoveFormCommand

        s, cur = self.session, self._current_project()
        if s is None or cur is None or s.read_only:
            return
        if not dialogs.confirm(self, "删除项目", f"确定删除项目表“{cur.display_name()}”吗？\n（可用“撤销”恢复）", "删除"):
            return
        s.undo_stack.push(RemoveFormCommand(s, cur.id))

    def rename_form(self, name: str | None = None) -> None:
        from jixiao.gui.commands import RenameFormCommand

        s, cur = self.session, self.current_form()
        if s is None or cur is None or s.read_only:
            return
        key = s.template.form(cur.kind).name_key
        old = cur.header.get(key, "")
        if name is None:
            from PySide6.QtWidgets import QInputDialog

            name, ok = QInputDialog.getText(self, "重命名", f"{key}：", text=old)
            if not ok:
                return
        name = name.strip()
        if name != old:
            s.undo_stack.push(RenameFormCommand(s, cur.id, old, name))

    def move_form(self, up: bool) -> None:
        from jixiao.gui.commands import MoveFormCommand

        s, cur = self.session, self._current_project()
        if s is None or cur is None or s.read_only:
            return
        forms = s.doc.forms
        i = forms.index(cur)
        j = i - 1 if up else i + 1
        if not 0 <= j < len(forms) or forms[j].kind != "project":
            return
        s.undo_stack.push(MoveFormCommand(s, cur.id, i, j, "上移项目" if up else "下移项目"))

    # ================================================================ import / export / print
    def _snapshot(self) -> Document:
        assert self.session is not None
        import copy

        return copy.deepcopy(self.session.doc)

    def _lazy(self, what: str, importer):
        try:
            return importer()
        except Exception as exc:  # ImportError or a broken module
            from jixiao.gui import dialogs

            dialogs.show_error(self, f"{what}不可用", f"{what}功能加载失败：{exc}\n请重新安装 jixiao。")
            return None

    def export_excel(self, path: str | None = None) -> bool:
        def imp():
            from jixiao.excel.writer import write_workbook

            return write_workbook

        return self._export("导出Excel", "Excel", ".xlsx", "Excel 工作簿 (*.xlsx)", imp, path)

    def export_pdf(self, path: str | None = None) -> bool:
        def imp():
            from jixiao.pdf.writer import write_pdf

            return write_pdf

        return self._export("导出PDF", "PDF", ".pdf", "PDF 文件 (*.pdf)", imp, path)

    def _export(self, action: str, kind: str, suffix: str, file_filter: str, importer, path: str | None) -> bool:
        """导出Excel / 导出PDF: ask for the file, write a snapshot of the document
        with a progress indication, and explain a failure in Chinese."""
        write = self._lazy(action, importer)
        if write is None or self.session is None:
            return False
        if path is None:
            from PySide6.QtWidgets import QFileDialog

            path, _ = QFileDialog.getSaveFileName(self, action, self._export_name(suffix), file_filter)
            if not path:
                return False
        from jixiao.gui import dialogs

        doc = self._snapshot()
        try:
            dialogs.run_task(self, f"正在导出 {kind}…", lambda: write(doc, path))
        except dialogs.TaskFailed as exc:
            dialogs.show_error(self, f"{action}失败", f"无法导出到 {path}：\n{exc}")
            return False
        self.statusBar().showMessage(f"已导出 {path}", 5000)
        return True

    def generate_report(self) -> None:
        """文件 › 生成自评报告 (gui/report_dialog.py)."""
        if self.session is not None:
            from jixiao.gui.report_dialog import open_report_dialog

            open_report_dialog(self)

    def _export_name(self, suffix: str) -> str:
        s = self.session
        assert s is not None
        if s.path is not None:
            return str(s.path.with_suffix(suffix))
        return str(Path(self._default_dir()) / f"{s.doc.unit or '自评'}-{s.doc.year}{suffix}")

    def import_excel(self, path: str | None = None) -> bool:
        def imp():
            from jixiao.excel.reader import ExcelImportError, read_workbook

            return read_workbook, ExcelImportError

        from jixiao.gui import dialogs

        got = self._lazy("从Excel导入", imp)
        if got is None:
            return False
        read_workbook, _err = got
        if not self.maybe_save():
            return False
        if path is None:
            from PySide6.QtWidgets import QFileDialog

            path, _ = QFileDialog.getOpenFileName(self, "从Excel导入", self._default_dir(), "Excel 工作簿 (*.xlsx)")
            if not path:
                return False
        try:
            result = dialogs.run_task(self, "正在读取 Excel…", lambda: read_workbook(path))
        except dialogs.TaskFailed as exc:
            dialogs.show_error(self, "导入失败", f"无法导入 {Path(path).name}：\n{exc}")
            return False
        doc = result.document
        self.set_document(doc, None, untitled_name=f"{Path(path).stem}（导入）")
        assert self.session is not None
        self.session.set_dirty(True)
        problems = list(getattr(result, "problems", []) or [])
        if problems:
            dialogs.show_info(self, "导入完成", f"已导入 {len(doc.forms)} 张表，有 {len(problems)} 条提示，请核对：",
                              "\n".join(problems))
        else:
            self.statusBar().showMessage(f"已导入 {len(doc.forms)} 张表", 5000)
        return True

    def print_preview(self) -> None:
        def imp():
            from jixiao.gui.printing import preview_document

            return preview_document

        preview = self._lazy("打印预览", imp)
        if preview is not None and self.session is not None:
            preview(self, self._snapshot())

    def print_document(self) -> None:
        def imp():
            from jixiao.gui.printing import print_document

            return print_document

        do_print = self._lazy("打印", imp)
        if do_print is not None and self.session is not None:
            do_print(self, self._snapshot())

    def about(self) -> None:
        from jixiao.gui import dialogs

        dialogs.show_info(self, "关于", f"绩效自评表填报工具 jixiao {__version__}\n\n"
                                       "填报、校验并导出预算绩效自评表（项目支出、部门整体支出及项目单位自评汇总表）。\n"
                                       "完全离线运行。")
