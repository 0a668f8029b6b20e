"""Undoable edits. Each command records what it needs to restore the
previous state exactly (indicator ids are kept)."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from jixiao.core.model import Document, Form, Indicator
from jixiao.gui.session import DocumentSession


class SetCellsCommand(QUndoCommand):
    """Set one or many fields of one form (typing, paste, clear, rename)."""

    def __init__(self, session: DocumentSession, form_id: str, changes: list[tuple[str, str, str]], text: str):
        super().__init__(text)
        self.session = session
        self.form_id = form_id
        self.changes = changes  # (path, old, new)
        self._done = False  # the first redo is the edit itself: the officer is looking at it

    def redo(self) -> None:
        self.session.set_values(self.form_id, [(p, new) for p, _old, new in self.changes])
        if self._done:
            self._revisit()
        self._done = True

    def undo(self) -> None:
        self.session.set_values(self.form_id, [(p, old) for p, old, _new in reversed(self.changes)])
        self._revisit()

    def _revisit(self) -> None:
        self.session.cellsRevisited.emit(self.form_id, [p for p, _old, _new in self.changes])


class InsertIndicatorCommand(QUndoCommand):
    def __init__(self, session: DocumentSession, form_id: str, index: int, indicator: Indicator):
        super().__init__("插入指标行")
        self.session, self.form_id, self.index, self.indicator = session, form_id, index, indicator

    def redo(self) -> None:
        self.session.insert_indicator(self.form_id, self.index, self.indicator)

    def undo(self) -> None:
        self.session.remove_indicator(self.form_id, self.index)


class RemoveIndicatorCommand(QUndoCommand):
    def __init__(self, session: DocumentSession, form_id: str, index: int):
        super().__init__("删除指标行")
        self.session, self.form_id, self.index = session, form_id, index
        self.indicator: Indicator | None = None

    def redo(self) -> None:
        self.indicator = self.session.remove_indicator(self.form_id, self.index)

    def undo(self) -> None:
        assert self.indicator is not None
        self.session.insert_indicator(self.form_id, self.index, self.indicator)


class MoveIndicatorCommand(QUndoCommand):
    def __init__(self, session: DocumentSession, form_id: str, src: int, dst: int, text: str):
        super().__init__(text)
        self.session, self.form_id, self.src, self.dst = session, form_id, src, dst

    def redo(self) -> None:
        self.session.move_indicator(self.form_id, self.src, self.dst)

    def undo(self) -> None:
        self.session.move_indicator(self.form_id, self.dst, self.src)


class InsertTableRowsCommand(QUndoCommand):
    """Rows of a repeatable block (年度主要任务) inserted at ``index``."""

    def __init__(self, session: DocumentSession, form_id: str, section: str, index: int,
                 rows: list[dict[str, str]], text: str = "插入行"):
        super().__init__(text)
        self.session, self.form_id, self.section, self.index, self.rows = session, form_id, section, index, rows

    def redo(self) -> None:
        self.session.insert_table_rows(self.form_id, self.section, self.index, self.rows)

    def undo(self) -> None:
        self.session.remove_table_rows(self.form_id, self.section, self.index, len(self.rows))


class RemoveTableRowCommand(QUndoCommand):
    def __init__(self, session: DocumentSession, form_id: str, section: str, index: int):
        super().__init__("删除行")
        self.session, self.form_id, self.section, self.index = session, form_id, section, index
        self.rows: list[dict[str, str]] = []

    def redo(self) -> None:
        self.rows = self.session.remove_table_rows(self.form_id, self.section, self.index, 1)

    def undo(self) -> None:
        self.session.insert_table_rows(self.form_id, self.section, self.index, self.rows)


class SetDocumentValuesCommand(QUndoCommand):
    """Document-level fields: the sign-off line (and unit/year through 文档属性)."""

    def __init__(self, session: DocumentSession, changes: list[tuple[str, str, str]], text: str):
        super().__init__(text)
        self.session, self.changes = session, changes

    def redo(self) -> None:
        self.session.set_document_values([(p, new) for p, _old, new in self.changes])

    def undo(self) -> None:
        self.session.set_document_values([(p, old) for p, old, _new in reversed(self.changes)])


class ReplaceDocumentCommand(QUndoCommand):
    """文档属性: unit, year and region (template) as one undo step."""

    def __init__(self, session: DocumentSession, doc: Document, text: str = "文档属性"):
        super().__init__(text)
        self.session, self.doc = session, doc
        self.old: Document | None = None

    def redo(self) -> None:
        self.old = self.session.replace_content(self.doc)

    def undo(self) -> None:
        assert self.old is not None
        self.doc = self.session.replace_content(self.old)


class AddFormCommand(QUndoCommand):
    def __init__(self, session: DocumentSession, form: Form, index: int, text: str = "新增项目"):
        super().__init__(text)
        self.session, self.form, self.index = session, form, index

    def redo(self) -> None:
        self.session.insert_form(self.form, self.index)

    def undo(self) -> None:
        self.session.remove_form(self.form.id)


class RemoveFormCommand(QUndoCommand):
    def __init__(self, session: DocumentSession, form_id: str):
        super().__init__("删除项目")
        self.session, self.form_id = session, form_id
        self.form: Form | None = None
        self.index = 0

    def redo(self) -> None:
        self.form, self.index = self.session.remove_form(self.form_id)

    def undo(self) -> None:
        assert self.form is not None
        self.session.insert_form(self.form, self.index)


class MoveFormCommand(QUndoCommand):
    def __init__(self, session: DocumentSession, form_id: str, src: int, dst: int, text: str):
        super().__init__(text)
        self.session, self.form_id, self.src, self.dst = session, form_id, src, dst

    def redo(self) -> None:
        self.session.move_form(self.form_id, self.dst)

    def undo(self) -> None:
        self.session.move_form(self.form_id, self.src)


class RenameFormCommand(QUndoCommand):
    def __init__(self, session: DocumentSession, form_id: str, old: str, new: str):
        super().__init__("重命名")
        self.session, self.form_id, self.old, self.new = session, form_id, old, new

    def redo(self) -> None:
        self.session.rename_form(self.form_id, self.new)

    def undo(self) -> None:
        self.session.rename_form(self.form_id, self.old)
