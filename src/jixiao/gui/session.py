"""The open document: the data, its undo stack, and cached scores/findings.

Every change goes through a QUndoCommand (``commands.py``) which calls one of
the mutators below; they update the caches for the touched form only and emit
signals the widgets listen to. Re-scoring and re-validating one form takes a
fraction of a millisecond; the document-wide checks (duplicate project names)
are recomputed from the cached per-form findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from jixiao.core.model import Document, Form, Indicator, new_id
from jixiao.core.previous import PreviousLink
from jixiao.core.scoring import FormResult, score_form
from jixiao.core.text import clean_text
from jixiao.core.validation import Finding, assemble_findings, validate_form
from jixiao.gui.ids import SUMMARY_ID

if TYPE_CHECKING:
    from jixiao.core.fileio import Fingerprint

__all__ = ["SUMMARY_ID", "DocumentSession"]


class DocumentSession(QObject):
    formEdited = Signal(str)  # form id: values or indicator rows changed
    formsChanged = Signal()  # forms added, removed or reordered
    findingsChanged = Signal()
    modifiedChanged = Signal(bool)
    cellsRevisited = Signal(str, list)  # form id, field paths an undo or redo changed back: shown, as Excel

    def __init__(self, doc: Document, path: str | Path | None = None, *, read_only: bool = False,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.doc = doc
        self.path: Path | None = Path(path) if path else None
        self.read_only = read_only
        self.is_example = False  # the bundled example: marked 示例, saved only under a new name
        self.disk: Fingerprint | None = None  # the file as opened or last saved (someone else may change it)
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
        # findings of the checks across forms (duplicate names, across units too, the comparison with last
        # year): an edit of one form may change them on another form, whose badge must then be redrawn
        self.cross_marks: frozenset[tuple[str, str, str, str]] = frozenset()
        # Before the first export/print, what is still empty is 待填 (neutral); from then on it is an error.
        self.strict = False
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
        own = {id(f) for fs in self.form_findings.values() for f in fs}
        self.cross_marks = frozenset((f.form_id or "", f.code, f.severity, f.message) for f in out if id(f) not in own)
        by: dict[str, dict[str, list[Finding]]] = {}
        for f in out:
            by.setdefault(f.form_id or "", {}).setdefault(f.field, []).append(f)
        self.by_form_path = by

    def shown_severity(self, f: Finding) -> str:
        """The level the window shows: ``pending`` (待填) for what is still empty, until the
        officer has exported or printed (:attr:`strict`); otherwise the finding's severity."""
        return "pending" if f.pending and not self.strict else f.severity

    def set_strict(self, strict: bool) -> None:
        if strict != self.strict:
            self.strict = strict
            self.findingsChanged.emit()

    def tally(self, form_id: str | None = None) -> dict[str, int]:
        """Findings by shown level, of one form or (``None``) of the whole document."""
        out = {"error": 0, "warning": 0, "info": 0, "pending": 0}
        items = self.findings if form_id is None else [
            f for fs in self.by_form_path.get(form_id, {}).values() for f in fs]
        for f in items:
            k = self.shown_severity(f)
            out[k] = out.get(k, 0) + 1
        return out

    def unfinished(self, form_id: str) -> bool:
        """No indicator has a 分值 yet (a new form): its 总分 and 等级 mean nothing so far.
        The default weights of fixed blocks (河南 资金管理情况) do not make a form begun."""
        res = self.results.get(form_id)
        return res is not None and not any(sc.weight for sc in res.indicators) and any(
            f.code == "weight-sum" and f.pending for f in self.by_form_path.get(form_id, {}).get("总分", []))

    def counts(self, form_id: str) -> tuple[int, int]:
        """(errors, warnings) of one form as shown (待填 apart)."""
        t = self.tally(form_id)
        return t["error"], t["warning"]

    def _changed(self, form: Form) -> None:
        self.change_count += 1
        self._rescore(form)
        self._collect()
        self.formEdited.emit(form.id)
        self.findingsChanged.emit()

    def _forms_changed(self) -> None:
        self.change_count += 1
        self.template = self.doc.template
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

    def set_document_values(self, pairs: list[tuple[str, str]]) -> None:
        """Document-level fields (``@signoff.…``, ``@unit``, ``@year``): shown on every form."""
        from jixiao.core.fields import parse_path

        for path, value in pairs:
            fp = parse_path(path)
            value = clean_text(value)
            if fp.kind != "document":
                raise KeyError(path)
            if fp.section == "signoff":
                if value:
                    self.doc.signoff[fp.column] = value
                else:
                    self.doc.signoff.pop(fp.column, None)
            elif fp.section == "unit":
                self.doc.unit = value
            elif fp.section == "year":
                self.doc.year = int(value)
            else:
                raise KeyError(path)
        self.change_count += 1
        self.formsChanged.emit()

    def replace_content(self, doc: Document) -> Document:
        """Put ``doc``'s template, unit, year, sign-off and forms in place of the open
        document's (文档属性); returns the previous content, for undo."""
        import copy

        old = copy.copy(self.doc)
        old.forms = list(self.doc.forms)
        old.signoff = dict(self.doc.signoff)
        for name in ("template_id", "unit", "year", "signoff", "embedded_template"):
            setattr(self.doc, name, getattr(doc, name))
        self.doc.forms = list(doc.forms)
        self.doc._embedded_built = None
        self.template = self.doc.template
        self.results.clear()
        self.form_findings.clear()
        self._forms_changed()
        return old

    def insert_table_rows(self, form_id: str, section: str, index: int, new: list[dict[str, str]]) -> None:
        """Rows of a repeatable block (河南 年度主要任务)."""
        form = self.form(form_id)
        rows = form.tables.setdefault(section, [])
        index = min(index, len(rows))
        rows[index:index] = [dict(r) for r in new]
        self._changed(form)

    def remove_table_rows(self, form_id: str, section: str, index: int, count: int) -> list[dict[str, str]]:
        form = self.form(form_id)
        rows = form.tables.setdefault(section, [])
        gone = rows[index:index + count]
        del rows[index:index + count]
        if not rows:
            form.tables.pop(section, None)
        self._changed(form)
        return gone

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
        form.header[self.template.form(form.kind).name_key] = clean_text(name)
        self._changed(form)
        self.formsChanged.emit()
