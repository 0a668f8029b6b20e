"""The main window: form list | grid over findings, status bar, and what
ties them to the open document.

Its parts live beside it: the actions, menus and toolbar as one table
(:mod:`~jixiao.gui.actions`), files and locks (:mod:`~jixiao.gui.files`,
``window.files``), autosave and recovery (:mod:`~jixiao.gui.autosave`,
``window.autosave``), import / export / print (:mod:`~jixiao.gui.transfer`,
``window.transfer``) and the edits of the current form, project forms
included (:mod:`~jixiao.gui.editing`, ``window.editor``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QUndoGroup
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from jixiao.gui import actions
from jixiao.gui.autosave import Autosave
from jixiao.gui.files import DocumentFiles
from jixiao.gui.findings_panel import FindingsBox, FindingsPanel
from jixiao.gui.form_list import FormList
from jixiao.gui.formula_bar import FormulaBar
from jixiao.gui.grid_model import GridModel
from jixiao.gui.grid_view import GridView
from jixiao.gui.ids import SUMMARY_ID
from jixiao.gui.settings import AppSettings
from jixiao.gui.transfer import Transfer

if TYPE_CHECKING:
    from jixiao.core.model import Document, Form
    from jixiao.core.recovery import RecoveryStore
    from jixiao.gui import locking
    from jixiao.gui.editing import FormEditor
    from jixiao.gui.session import DocumentSession

# The window is shown before any document is opened (docs/performance.md, time
# to first window), so the engine, the file and lock handling, the undo
# commands and the dialogs are imported where they are first used, not here.
# tests/gui/test_gui_app.py checks that building the window imports none of them.

APP_TITLE = "绩效自评表填报工具"


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

    @staticmethod
    def export_prompt(parent, verb, errors, pending):
        from jixiao.gui import dialogs

        return dialogs.ask_export_anyway(parent, verb, errors, pending)

    def __init__(self, *, persist: bool = True, settings: AppSettings | None = None,
                 recovery: RecoveryStore | None = None):
        super().__init__()
        self.persist = persist
        self.settings = settings or AppSettings()
        self.session: DocumentSession | None = None
        self.editor: FormEditor | None = None
        self.lock: locking.DocumentLock | None = None
        self.untitled_name = ""
        self._cross: frozenset = frozenset()  # the session's cross_marks the side list shows
        self._fitted = False  # brought inside the screen on the first show (frame included)
        self.setObjectName("MainWindow")
        self.setWindowTitle(APP_TITLE)

        self.files = DocumentFiles(self)
        self.autosave = Autosave(self, recovery)
        self.transfer = Transfer(self)

        self.model = GridModel(parent=self)
        self.view = GridView(self)
        self.view.setModel(self.model)
        self.form_list = FormList(self)
        self.findings = FindingsPanel(self)
        self.findings_box = FindingsBox(self.findings, self)
        self.formula_bar = FormulaBar(self)
        grid_box = QWidget(self)
        lay = QVBoxLayout(grid_box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.formula_bar)
        lay.addWidget(self.view, 1)
        self.right = QSplitter(Qt.Orientation.Vertical, self)
        self.right.setObjectName("rightSplitter")
        self.right.addWidget(grid_box)
        self.right.addWidget(self.findings_box)
        self.right.setStretchFactor(0, 4)
        self.right.setStretchFactor(1, 1)
        self.main_split = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_split.setObjectName("mainSplitter")
        self.main_split.addWidget(self.form_list)
        self.main_split.addWidget(self.right)
        self.main_split.setChildrenCollapsible(False)  # narrow, never gone
        self.right.setChildrenCollapsible(False)
        self.main_split.setStretchFactor(0, 0)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setSizes([270, 1100])
        self.right.setSizes([640, 160])
        self.setCentralWidget(self.main_split)

        self.status_cell = QLabel(self)  # the current cell's finding
        self.status_cell.setObjectName("statusCell")
        self.statusBar().addWidget(self.status_cell, 1)
        # a passing message (已保存 …) takes the place of the cell's finding for its seconds
        self.statusBar().messageChanged.connect(lambda m: self.status_cell.setVisible(not m))
        self.status_score = QLabel(self)
        self.status_counts = QLabel(self)
        self.status_mode = QLabel(self)
        for w in (self.status_mode, self.status_score, self.status_counts):
            self.statusBar().addPermanentWidget(w)

        self.undo_group = QUndoGroup(self)
        self.a_undo = self.undo_group.createUndoAction(self, "撤销")
        self.a_undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.a_redo = self.undo_group.createRedoAction(self, "重做")
        self.a_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.actions_by_name = actions.build_actions(self)
        actions.build_menus(self)
        self.update_actions()  # no document yet: nothing to edit

        self.form_list.formSelected.connect(self.show_form)
        self.form_list.itemClicked.connect(lambda *_: self.view.setFocus())  # typing goes to the grid
        self.findings.findingActivated.connect(self.go_to_finding)
        self.view.copyRequested.connect(self.copy)
        self.view.pasteRequested.connect(self.paste)
        self.view.clearRequested.connect(self.clear_cells)
        self.view.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self.show_grid_menu)
        self.grid_menu = None
        self.view.selectionModel().currentChanged.connect(self._current_cell_changed)
        self.model.modelReset.connect(self.update_actions)
        self._bar_pending = False
        self.model.dataChanged.connect(self._formula_bar_later)
        self.model.modelReset.connect(self._formula_bar_later)
        self.formula_bar.editor.committed.connect(self._formula_committed)
        self.formula_bar.editor.cancelled.connect(self._formula_cancelled)

        from jixiao.gui import window_state

        if persist:
            self.autosave.start()
            window_state.restore(self)
        else:  # tests, screenshots, benchmarks: a fixed size, whatever the screen
            self.resize(*window_state.PREFERRED)
            self._fitted = True

    # ================================================================ document lifecycle
    def set_document(self, doc: Document, path: str | Path | None = None, *, read_only: bool = False,
                     lock: locking.DocumentLock | None = None, untitled_name: str = "") -> None:
        from jixiao.gui.editing import FormEditor
        from jixiao.gui.session import DocumentSession

        old = self.session
        if old is not None:
            self.autosave.discard()
            self.undo_group.removeStack(old.undo_stack)
            old.formEdited.disconnect(self._on_form_edited)
            old.formsChanged.disconnect(self._on_forms_changed)
            old.findingsChanged.disconnect(self._on_findings_changed)
            old.modifiedChanged.disconnect(self.update_title)
            old.cellsRevisited.disconnect(self._show_revisited)
        if self.editor is not None:
            self.editor.detach()
            self.editor.deleteLater()
        if self.lock is not None:
            self.lock.release()
        self.lock = lock
        s = DocumentSession(doc, path, read_only=read_only, parent=self)
        self.session = s
        self.untitled_name = untitled_name
        self.autosave.new_session()
        self._cross = s.cross_marks
        self.undo_group.addStack(s.undo_stack)
        self.undo_group.setActiveStack(s.undo_stack)
        s.formEdited.connect(self._on_form_edited)
        s.formsChanged.connect(self._on_forms_changed)
        s.findingsChanged.connect(self._on_findings_changed)
        s.modifiedChanged.connect(self.update_title)
        s.cellsRevisited.connect(self._show_revisited)
        self.editor = FormEditor(s, self.model, self)
        self.editor.formCreated.connect(self.show_form)
        first = doc.forms[0].id if doc.forms else SUMMARY_ID
        self.model.set_session(s, first)
        self.form_list.set_session(s)
        self.findings.set_session(s)
        self.findings.set_current_form(first)
        self.form_list.select_form(first)
        self.update_title()
        self._update_status()
        self.update_actions()
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

    # The file and recovery commands the app's start-up (app.py) and the benchmark call.
    def open_file(self, path: str | Path, *, ask_save: bool = True) -> bool:
        return self.files.open_file(path, ask_save=ask_save)

    def open_example(self) -> None:
        self.files.open_example()

    def offer_recovery(self) -> bool:
        return self.autosave.offer_recovery()

    def autosave_now(self) -> bool:
        return self.autosave.autosave_now()

    def show_opening(self, file: str | None = None) -> None:
        """Before the first document is opened: say what is coming (the window is
        shown first and the document opened right after its first paint)."""
        name = Path(file).name if file else ""
        self.statusBar().showMessage(f"正在打开 {name}…" if name else "正在打开…")

    def display_name(self) -> str:
        s = self.session
        if s is None:
            return ""
        if s.path is not None:
            return s.path.name
        return self.untitled_name or "未命名"

    def update_title(self, *_args) -> None:
        s = self.session
        if s is None:
            self.setWindowTitle(APP_TITLE)
            return
        unit = s.doc.unit or "未命名单位"
        mark = "*" if s.is_modified else ""
        ro = "（只读）" if s.read_only else ""
        example = "【示例】" if s.is_example else ""
        self.setWindowTitle(f"{example}{unit} {s.doc.year}{mark}{ro} - {APP_TITLE}")
        self.status_mode.setText("只读" if s.read_only else "")

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if not self._fitted:  # the frame is known now: keep all of it on the screen
            self._fitted = True
            from jixiao.gui import screen_fit

            screen_fit.fit_into(self, screen_fit.available_rect(self))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        if not self.files.maybe_save():
            event.ignore()
            return
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Clean close: remember the layout, drop the autosave and the lock."""
        self.autosave.stop()
        if self.persist:
            from jixiao.gui import window_state

            window_state.save(self)
        self.autosave.discard()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    # ================================================================ reacting to edits
    def _show_revisited(self, form_id: str, paths: list[str]) -> None:
        """Undo/redo selects the cells it changed back, scrolled into view (Excel), so the
        officer sees what Ctrl+Z did even when it was off screen. The view moves to the form
        only when that form prints one of the cells: fields only the 汇总表 shows (表格 ›
        汇总表信息) are undone where the officer is, as :meth:`_on_form_edited` does on the 汇总表."""
        if form_id != self.model.form_id:
            if self.model.is_summary or not self._prints_any(form_id, paths):
                return
            self.show_form(form_id)
        if form_id != self.model.form_id or self.view.state() == self.view.State.EditingState:
            return
        idxs = [i for i in (self.model.index_of_path(p) for p in paths) if i.isValid()]
        if not idxs:
            return
        sm = self.view.selectionModel()
        sel = QItemSelection()
        for i in idxs:
            sel.select(i, i)
        sm.select(sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        sm.setCurrentIndex(idxs[0], QItemSelectionModel.SelectionFlag.NoUpdate)
        self.view.scrollTo(idxs[0])

    def _prints_any(self, form_id: str, paths: list[str]) -> bool:
        from jixiao.core.layout import form_grid

        s = self.session
        form = s.doc.form_by_id(form_id) if s is not None else None
        if s is None or form is None:
            return False
        printed = form_grid(s.doc, form, s.results.get(form_id)).by_path()
        return any(p in printed for p in paths)

    def _on_form_edited(self, form_id: str) -> None:
        if self.model.form_id == form_id or self.model.is_summary:
            self.model.refresh()
        else:
            # undo/redo of an edit in another form: show it, as Excel does
            self.form_list.select_form(form_id)
        # the checks across forms (duplicate names, within a unit or across merged units) may have changed
        # another form's findings: redraw those forms' entries too
        cross = self.session.cross_marks if self.session else frozenset()
        touched = {form_id} | {mark[0] for mark in cross ^ self._cross}
        self._cross = cross
        for fid in touched:
            self.form_list.update_form(fid)
        self._update_status()

    def _on_forms_changed(self) -> None:
        s = self.session
        assert s is not None
        cur = self.model.form_id
        if cur != SUMMARY_ID and s.doc.form_by_id(cur or "") is None:
            cur = None
        self.update_title()
        self._cross = s.cross_marks
        self.form_list.rebuild(keep=cur)
        fid = self.form_list.current_form_id()
        if fid and fid != self.model.form_id:
            self.model.set_form(fid)
        else:
            self.model.refresh()
        self._update_status()
        self.update_actions()

    def set_strict(self, on: bool = True) -> None:
        """From the first export or print on, what is still empty shows as an error (not 待填)."""
        s = self.session
        if s is None or s.strict == on:
            return
        s.set_strict(on)
        self.model.repaint_all()
        self.form_list.update_all()
        self._update_status()

    def _on_findings_changed(self) -> None:
        self.findings.refresh()
        self._update_cell_status()

    def _current_cell_changed(self, *_args) -> None:
        self._update_row_actions()
        self._update_cell_status()
        self._update_formula_bar()

    # ---------------------------------------------------------------- 编辑栏
    def _formula_bar_later(self, *_args) -> None:
        if not self._bar_pending:  # several dataChanged per edit: once
            self._bar_pending = True
            QTimer.singleShot(0, self._update_formula_bar)

    def _update_formula_bar(self) -> None:
        self._bar_pending = False
        s = self.session
        cell = self.view.current_cell()
        if s is None or cell is None:
            self.formula_bar.show_cell("", "", False)
            return
        from jixiao.gui.findings_panel import field_label

        place = field_label(s, self.model.form_id, cell.path) if cell.path and not self.model.is_summary else ""
        editable = self.model.is_editable(cell)
        text = cell.raw if editable else cell.text
        self.formula_bar.show_cell(place, text, editable)

    def _formula_committed(self, text: str) -> None:
        cell = self.view.current_cell()
        if self.editor is not None and self.model.is_editable(cell):
            idx = self.model.index(cell.row, cell.col)
            before = self.model.data(idx, Qt.ItemDataRole.EditRole) or ""
            self.editor.edit_cells(self.model.form_id, [(cell, text)], "编辑")
            if text != before:
                self.view.itemDelegate().warn_outside(idx, text)
        self.view.setFocus()
        self.view.move("down")

    def _formula_cancelled(self) -> None:
        self.formula_bar.revert()
        self.view.setFocus()

    def _update_cell_status(self) -> None:
        """The status bar names the current cell's finding (all of them, most serious first)."""
        cell = self.view.current_cell()
        fs = self.model.findings_for(cell)
        if not fs or self.session is None:
            self.status_cell.setText("")
            self.status_cell.setToolTip("")
            return
        s = self.session
        from jixiao.gui import style

        fs = sorted(fs, key=lambda f: -style.SEVERITY_RANK.get(s.shown_severity(f), 0))
        texts = [self.model.finding_text(f) for f in fs]
        self.status_cell.setText("　".join(texts))
        self.status_cell.setToolTip("\n".join(texts))

    def _update_status(self) -> None:
        s = self.session
        if s is None:
            return
        fid = self.model.form_id
        if fid == SUMMARY_ID:
            n = len(s.doc.projects)
            self.status_score.setText(f"项目单位自评汇总表：{n} 个项目")
            self.status_counts.setText("全部表格：" + _counts_text(s.tally()))
            self._update_findings_title()
            return
        res = s.results.get(fid or "")
        if res is not None and s.unfinished(fid or ""):
            self.status_score.setText("总分 —　等级 —（分值未填完）")
        elif res is not None:
            from jixiao.gui.form_list import score_figures

            # the 总分 the form prints (as the side list and the 汇总表), the engine's beside it if different
            printed, grade, engine = score_figures(s.template, res)
            computed = f"（按规则计算为 {engine}）" if engine else ""
            self.status_score.setText(f"总分 {printed}{computed}　等级 {grade or '—'}")
        self.status_counts.setText(_counts_text(s.tally(fid)))
        self._update_findings_title()

    def _update_findings_title(self) -> None:
        s = self.session
        if s is not None:
            self.findings_box.title.setText("校验结果（全部表格）：" + _counts_text(s.tally()))

    # ================================================================ enabled actions
    def _conditions(self) -> dict[str, bool]:
        s = self.session
        editable = s is not None and not s.read_only
        form = self.current_form()
        info = None
        row_kind = None
        row_filled = False
        if editable and not self.model.is_summary and self.editor is not None:
            row = self.view.current_row()
            info = self.model.indicator_row(row)
            row_kind = self.editor.row_kind(row)
            row_filled = row_kind is not None and self.editor.can_delete_row(row)
        return {
            "always": True,
            "document": s is not None,
            "writable": editable,
            "editable": editable and not self.model.is_summary,
            "can-add-project": editable and s is not None and "project" in s.template.forms,
            "project": editable and form is not None and form.kind == "project",
            "form": editable and form is not None,
            "indicator-row": info is not None,
            "indicator": info is not None and info[0] is not None,
            "row": row_kind is not None,
            "row-filled": row_filled,
        }

    def update_actions(self) -> None:
        cond = self._conditions()
        for spec in actions.ACTIONS:
            if not spec.submenu:
                self.actions_by_name[spec.name].setEnabled(cond.get(spec.enabled, True))

    def _update_row_actions(self) -> None:
        cond = self._conditions()
        for spec in actions.ACTIONS:
            if spec.enabled in ("indicator-row", "indicator", "row", "row-filled"):
                self.actions_by_name[spec.name].setEnabled(cond[spec.enabled])

    # ================================================================ navigation
    def show_form(self, form_id: str) -> None:
        """Show a form with its first input cell selected, so typing starts at once."""
        if form_id and form_id != self.model.form_id:
            if self.view.state() == self.view.State.EditingState:
                self.view.setFocus()  # commit an open editor first
            self.model.set_form(form_id)
            self.form_list.select_form(form_id)
            self.findings.set_current_form(form_id)
            self._select_first_input()
            self._update_status()
            self.update_actions()

    def step_form(self, step: int) -> None:
        n = self.form_list.count()
        if n:
            self.form_list.setCurrentRow((self.form_list.currentRow() + step) % n)
            self.view.setFocus()

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

    def show_first_problem(self) -> None:
        """查看 before export/print: the findings list sorted by level, and the most serious one shown."""
        self.findings_box.only_current.setChecked(False)
        self.findings.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.findings.header().setSortIndicatorShown(True)
        self.findings.setCurrentIndex(self.findings.fmodel.index(-1, 0))
        self.findings.clearSelection()
        self.findings.anchor_row = None
        self.step_finding(1)

    def step_finding(self, step: int) -> None:
        row = self.findings.step_row(step)
        if row < 0:
            return
        idx = self.findings.fmodel.index(row, 0)
        self.findings.setCurrentIndex(idx)
        self.go_to_finding(self.findings.fmodel.items[row])

    # ================================================================ editing
    def current_form(self) -> Form | None:
        s = self.session
        return s.doc.form_by_id(self.model.form_id or "") if s else None

    # project forms (表格 menu and the side list's menu; nothing without a document)
    def add_project(self) -> None:
        if self.editor is not None:
            self.editor.add_project()

    def duplicate_project(self) -> None:
        if self.editor is not None:
            self.editor.duplicate_project()

    def delete_project(self) -> None:
        if self.editor is not None:
            self.editor.delete_project()

    def move_form(self, up: bool) -> None:
        if self.editor is not None:
            self.editor.move_form(up)

    def edit_cell(self, path: str, text: str) -> bool:
        """Set one field of the current form through the undo stack, as typing does
        (used by the benchmark and tests)."""
        assert self.editor is not None
        return self.editor.set_path(path, text)

    def properties(self) -> bool:
        """文件 › 文档属性: unit, year, region, as one undo step."""
        s = self.session
        if s is None or s.read_only:
            return False
        from jixiao.gui import dialogs

        dlg = dialogs.DocumentPropertiesDialog(self, s.doc)
        if dlg.exec() != dlg.DialogCode.Accepted:
            return False
        tid, unit, year = dlg.values()
        if (tid, unit, year) == (s.doc.template_id, s.doc.unit, s.doc.year):
            return False
        import copy

        from jixiao.gui.commands import ReplaceDocumentCommand

        new = dlg.change.doc if dlg.change is not None and tid != s.doc.template_id else copy.deepcopy(s.doc)
        if unit != s.doc.unit:
            for f in new.forms:  # the unit typed on the forms follows when it was the same name
                for key in ("部门名称", "实施单位"):
                    if f.header.get(key) == s.doc.unit and s.doc.unit:
                        f.header[key] = unit
            if self.persist:
                self.settings.last_unit = unit
        new.unit, new.year = unit, year
        s.undo_stack.push(ReplaceDocumentCommand(s, new))
        return True

    def rename_form(self, name: str | None = None) -> None:
        if self.editor is None:
            return
        got = self.editor.name_key()
        if got is None:
            return
        if name is None:
            from PySide6.QtWidgets import QInputDialog

            key, old = got
            name, ok = QInputDialog.getText(self, "重命名", f"{key}：", text=old)
            if not ok:
                return
        self.editor.rename_form(name)

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
        done = self.editor.paste(top, left, block, fill=many)
        if not many:
            rows = self._rows_of_indicators(done.indicator_ids)
            if rows:  # the pasted indicator rows, where their 一级/二级 put them
                self.view.select_rows(rows, left, left + done.cols - 1)
            else:
                self.view.select_rect(top, left, top + done.rows - 1, left + done.cols - 1)
        notes = []
        if done.added:
            notes.append(f"已插入 {done.added} 行")
        if done.clipped:
            notes.append(f"粘贴的内容比表格宽，最右边 {done.clipped} 列没有粘贴")
        if done.skipped:
            notes.append(f"{done.skipped} 个值落在栏目名称或自动计算的格上，没有粘贴")
        if notes:
            self.statusBar().showMessage("；".join(notes), 10000)

    def _rows_of_indicators(self, ids: tuple[str, ...]) -> list[int]:
        form = self.current_form()
        if not ids or form is None:
            return []
        where = {ind.id: i for i, ind in enumerate(form.indicators)}
        rows = (self.model.row_of_indicator(where[i]) for i in ids if i in where)
        return sorted({r for r in rows if r is not None})

    def show_grid_menu(self, pos) -> None:
        """Right-click in the grid: 插入行, 删除行, 剪切/复制/粘贴, 清除内容, 向下填充."""
        idx = self.view.indexAt(pos)
        if idx.isValid() and not self.view.selectionModel().isSelected(idx):
            self.view.set_current(idx)
        self._update_row_actions()
        if self.grid_menu is None:
            self.grid_menu = actions.grid_menu(self)
        self.grid_menu.popup(self.view.viewport().mapToGlobal(pos))

    def fill_down(self) -> None:
        """Ctrl+D: fill the selection down from its first row (one row: from the row above)."""
        rect = self.view.selection_rect()
        if self.editor is None or rect is None:
            return
        self.editor.fill_down(*rect)

    def clear_cells(self) -> None:
        if self.editor is not None:
            self.editor.clear(self.view.selected_cells())

    def insert_row(self, below: bool) -> None:
        if self.editor is None:
            return
        row = self.view.current_row()
        col = self.view.currentIndex().column()
        r = self.editor.insert_row(row, below)
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


def _counts_text(t: dict[str, int]) -> str:
    parts = [f"错误 {t['error']}", f"警告 {t['warning']}"]
    if t.get("pending"):
        parts.append(f"待填 {t['pending']}")
    return "　".join(parts)
