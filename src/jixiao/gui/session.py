"""The open document: the data, its undo stack, and cached scores/findings.

Every change goes through a QUndoCommand (``commands.py``) which calls one of
the mutators below; they update the caches for the touched form only and emit
signals the widgets listen to. Re-scoring and re-validating one form takes a
fraction of a millisecond; the document-wide checks (duplicate project names)
are recomputed from the cached per-form findings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from jixiao.core.model import Document, Form, Indicator, new_id
from jixiao.core.previous import PreviousLink
from jixiao.core.scoring import FormResult, score_form
from jixiao.core.validation import Finding, assemble_findings, validate_form
from jixiao.gui.ids import SUMMARY_ID

__all__ = ["SUMMARY_ID", "DocumentSession"]


class DocumentSession(QObject):
    formEdited = Signal(str)  # form id: values or indicator rows changed
    formsChanged = Signal()  # forms added, removed or reordered
    findingsChanged = Signal()
    modifiedChanged = Signal(bool)

    def __init__(self, doc: Document, path: str | Path | None = None, *, read_only: bool = False,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.doc = doc
        self.path: Path | None = Path(path) if path else None
        self.read_only = read_only
        self.session_id = new_id()
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self._dirty = False  # changes not on the undo stack (restored from recovery)
        self.change_count = 0
        self.template = doc.template
        self.results: dict[str, FormResult] = {}
        self.form_findings: dict[str, list[Finding]] = {}
        self.findings: list[Finding] = []
        self.by_form_path: dict[str, dict[str, list[Finding]]] = {}
        for f in doc.forms:
            self._rescore(f)
        self._collect()

    # ------------------------------------------------------------ state
    def _clean_changed(self, _clean: bool) -> None:
        try:
            self.modifiedChanged.emit(self.is_modified)
        except RuntimeError:  # the stack is being destroyed with the session
            pass

    @property
    def is_modified(self) -> bool:
        return self._dirty or not self.undo_stack.isClean()

    def set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.modifiedChanged.emit(self.is_modified)

    def mark_saved(self, path: str | Path) -> None:
        self.path = Path(path)
        self._dirty = False
        self.undo_stack.setClean()
        self.modifiedChanged.emit(False)

    def form(self, form_id: str) -> Form:
        f = self.doc.form_by_id(form_id)
        if f is None:
            raise KeyError(form_id)
        return f

    # ------------------------------------------------------------ caches
    def _rescore(self, form: Form) -> None:
        fd = self.template.form(form.kind)
        res = score_form(self.template, fd, form)
        self.results[form.id] = res
        self.form_findings[form.id] = validate_form(self.template, fd, form, res)

    def _collect(self) -> None:
        """The document's findings, as :func:`validate_document` orders them."""
        out = assemble_findings(self.doc, self.form_findings, self.results)
        self.findings = out
        by: dict[str, dict[str, list[Finding]]] = {}
        for f in out:
            by.setdefault(f.form_id or "", {}).setdefault(f.field, []).append(f)
        self.by_form_path = by

    def counts(self, form_id: str) -> tuple[int, int]:
        e = w = 0
        for items in self.by_form_path.get(form_id, {}).values():
            for f in items:
                if f.severity == "error":
                    e += 1
                elif f.severity == "warning":
                    w += 1
        return e, w

    def _changed(self, form: Form) -> None:
        self.change_count += 1
        self._rescore(form)
        self._collect()
        self.formEdited.emit(form.id)
        self.findingsChanged.emit()

    def _forms_changed(self) -> None:
        self.change_count += 1
        ids = {f.id for f in self.doc.forms}
        for f in self.doc.forms:
            if f.id not in self.results:
                self._rescore(f)
        for k in list(self.results):
            if k not in ids:
                self.results.pop(k, None)
                self.form_findings.pop(k, None)
        self._collect()
        self.formsChanged.emit()
        self.findingsChanged.emit()

    # ------------------------------------------------------------ mutators (called by commands)
    def set_values(self, form_id: str, pairs: list[tuple[str, str]]) -> None:
        form = self.form(form_id)
        for path, value in pairs:
            form.set(path, value)
        self._changed(form)

    def insert_indicator(self, form_id: str, index: int, ind: Indicator) -> None:
        form = self.form(form_id)
        form.indicators.insert(index, ind)
        self._changed(form)

    def remove_indicator(self, form_id: str, index: int) -> Indicator:
        form = self.form(form_id)
        ind = form.indicators.pop(index)
        self._changed(form)
        return ind

    def move_indicator(self, form_id: str, src: int, dst: int) -> None:
        form = self.form(form_id)
        ind = form.indicators.pop(src)
        form.indicators.insert(dst, ind)
        self._changed(form)

    def insert_form(self, form: Form, index: int) -> None:
        self.doc.forms.insert(index, form)
        self._forms_changed()

    def remove_form(self, form_id: str) -> tuple[Form, int]:
        form = self.form(form_id)
        index = self.doc.forms.index(form)
        self.doc.forms.pop(index)
        self._forms_changed()
        return form, index

    def move_form(self, form_id: str, index: int) -> None:
        self.doc.move(form_id, index)
        self._forms_changed()

    def replace_forms(self, forms: list[Form]) -> None:
        """Swap the whole list of forms (merging units' files, and its undo): every form rescored."""
        self.doc.forms[:] = forms
        self.results.clear()
        self.form_findings.clear()
        self._forms_changed()

    def set_previous(self, link: PreviousLink | None) -> None:
        """Link last year's document (or unlink it): the 汇总表 and the comparison findings change."""
        self.doc.previous = link
        self.change_count += 1
        self._collect()
        self.formsChanged.emit()
        self.findingsChanged.emit()

    def rename_form(self, form_id: str, name: str) -> None:
        form = self.form(form_id)
        form.header[self.template.form(form.kind).name_key] = name
        self._changed(form)
        self.formsChanged.emit()
