"""Turns user gestures (typing, paste, clear, row operations, adding,
copying, deleting and moving project forms) into undo commands on the
current form. The window listens to :attr:`FormEditor.formCreated`."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from jixiao.core.fields import indicator_path, parse_path
from jixiao.core.grid import Cell
from jixiao.core.model import Form, Indicator, new_form
from jixiao.gui.commands import (
    AddFormCommand,
    InsertIndicatorCommand,
    MoveFormCommand,
    MoveIndicatorCommand,
    RemoveFormCommand,
    RemoveIndicatorCommand,
    RenameFormCommand,
    SetCellsCommand,
)
from jixiao.gui.grid_model import GridModel
from jixiao.gui.session import SUMMARY_ID, DocumentSession

_LEVEL_KEYS = ("一级指标", "二级指标")


class FormEditor(QObject):
    formCreated = Signal(str)  # a project form was added or copied: its id (the window shows it)

    def __init__(self, session: DocumentSession, model: GridModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.model = model
        self.dialog_parent = parent
        model.editRequested.connect(self._typed)

    def detach(self) -> None:
        """Stop listening to the model (the document is being replaced)."""
        self.model.editRequested.disconnect(self._typed)

    def _typed(self, form_id: str, cell: Cell, text: str) -> None:
        self.edit_cells(form_id, [(cell, text)], "编辑")

    # ------------------------------------------------------------ values
    def paths_of(self, cell: Cell) -> list[str]:
        """A merged 一级/二级 cell stands for every indicator row it spans."""
        assert cell.path is not None
        fp = parse_path(cell.path)
        if fp.kind != "indicator" or fp.column not in _LEVEL_KEYS or cell.rowspan == 1:
            return [cell.path]
        out = []
        for r in range(cell.row, cell.row + cell.rowspan):
            idx = self.model.row_indicator.get(r)
            if idx is not None:
                p = indicator_path(idx, fp.column)
                if p not in out:
                    out.append(p)
        return out or [cell.path]

    def edit_cells(self, form_id: str | None, pairs: list[tuple[Cell, str]], text: str) -> bool:
        if not form_id or form_id == SUMMARY_ID or self.session.read_only:
            return False
        form = self.session.form(form_id)
        changes: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for cell, value in pairs:
            if not cell.editable:
                continue
            for path in self.paths_of(cell):
                if path in seen:
                    continue
                seen.add(path)
                old = form.get(path)
                if old != value:
                    changes.append((path, old, value))
        if not changes:
            return True
        self.session.undo_stack.push(SetCellsCommand(self.session, form_id, changes, text))
        return True

    def set_path(self, path: str, value: str) -> bool:
        cell = self.model.cell_by_path(path)
        if cell is None:
            raise KeyError(f"当前表中没有字段 {path}")
        return self.edit_cells(self.model.form_id, [(cell, value)], "编辑")

    def clear(self, cells: list[Cell]) -> bool:
        return self.edit_cells(self.model.form_id, [(c, "") for c in cells if c.editable], "清除内容")

    def paste(self, top: int, left: int, block: list[list[str]], fill: list[Cell] | None = None) -> tuple[int, int]:
        """Paste ``block`` with its top-left at (top, left); returns the size pasted.
        A single value pasted onto a multi-cell selection fills every selected cell."""
        if fill and len(block) == 1 and len(block[0]) == 1:
            self.edit_cells(self.model.form_id, [(c, block[0][0]) for c in fill if c.editable], "粘贴")
            return 1, 1
        pairs: list[tuple[Cell, str]] = []
        seen: set[tuple[int, int]] = set()
        n_rows, n_cols = self.model.rowCount(), self.model.columnCount()
        for i, row in enumerate(block):
            for j, value in enumerate(row):
                r, c = top + i, left + j
                if r >= n_rows or c >= n_cols:
                    continue
                cell = self.model.cell(r, c)
                if cell is None or not cell.editable or (cell.row, cell.col) in seen:
                    continue
                seen.add((cell.row, cell.col))
                pairs.append((cell, value))
        self.edit_cells(self.model.form_id, pairs, "粘贴")
        return len(block), max((len(r) for r in block), default=0)

    # ------------------------------------------------------------ indicator rows
    def _form_id(self) -> str | None:
        fid = self.model.form_id
        return None if fid in (None, SUMMARY_ID) or self.session.read_only else fid

    def insert_row(self, row: int, below: bool) -> int | None:
        """Insert an empty indicator in the 二级 group of grid row ``row``; returns its index."""
        fid = self._form_id()
        info = self.model.indicator_row(row)
        if fid is None or info is None:
            return None
        idx, l1, l2 = info
        form = self.session.form(fid)
        if idx is not None:
            at = idx + 1 if below else idx
        else:
            same = [i for i, ind in enumerate(form.indicators) if ind.level1 == l1]
            at = same[-1] + 1 if same else len(form.indicators)
        cells = {k: v for k, v in (("一级指标", l1), ("二级指标", l2)) if v}
        self.session.undo_stack.push(InsertIndicatorCommand(self.session, fid, at, Indicator(cells)))
        return at

    def delete_row(self, row: int) -> bool:
        fid = self._form_id()
        info = self.model.indicator_row(row)
        if fid is None or info is None or info[0] is None:
            return False
        self.session.undo_stack.push(RemoveIndicatorCommand(self.session, fid, info[0]))
        return True

    def move_row(self, row: int, up: bool) -> int | None:
        """Swap the indicator of grid row ``row`` with its neighbour in the same
        二级 group; returns the grid row it lands on."""
        fid = self._form_id()
        info = self.model.indicator_row(row)
        if fid is None or info is None or info[0] is None:
            return None
        group = [r for r in self.model.indicator_rows()
                 if (lambda x: x is not None and x[0] is not None and x[1:] == info[1:])(self.model.indicator_row(r))]
        pos = group.index(row)
        npos = pos - 1 if up else pos + 1
        if not 0 <= npos < len(group):
            return None
        other = self.model.row_indicator[group[npos]]
        self.session.undo_stack.push(
            MoveIndicatorCommand(self.session, fid, info[0], other, "上移指标行" if up else "下移指标行"))
        return group[npos]

    # ------------------------------------------------------------ project forms
    def current_form(self) -> Form | None:
        return self.session.doc.form_by_id(self.model.form_id or "")

    def current_project(self) -> Form | None:
        f = self.current_form()
        return f if f is not None and f.kind == "project" else None

    def add_project(self) -> str | None:
        s = self.session
        if s.read_only or "project" not in s.template.forms:
            return None
        form = new_form(s.template, "project", unit=s.doc.unit)
        cur = self.current_project()
        index = s.doc.forms.index(cur) + 1 if cur is not None else len(s.doc.forms)
        s.undo_stack.push(AddFormCommand(s, form, index, "新增项目"))
        self.formCreated.emit(form.id)
        return form.id

    def duplicate_project(self) -> str | None:
        s, cur = self.session, self.current_project()
        if cur is None or s.read_only:
            return None
        copy_ = cur.clone()
        copy_.header["项目名称"] = (cur.name or "项目") + "（副本）"
        s.undo_stack.push(AddFormCommand(s, copy_, s.doc.forms.index(cur) + 1, "复制项目"))
        self.formCreated.emit(copy_.id)
        return copy_.id

    def delete_project(self) -> bool:
        from jixiao.gui import dialogs

        s, cur = self.session, self.current_project()
        if cur is None or s.read_only:
            return False
        if not dialogs.confirm(self.dialog_parent, "删除项目",
                               f"确定删除项目表“{cur.display_name()}”吗？\n（可用“撤销”恢复）", "删除"):
            return False
        s.undo_stack.push(RemoveFormCommand(s, cur.id))
        return True

    def rename_form(self, name: str) -> bool:
        s, cur = self.session, self.current_form()
        if cur is None or s.read_only:
            return False
        old = cur.header.get(s.template.form(cur.kind).name_key, "")
        name = name.strip()
        if name == old:
            return False
        s.undo_stack.push(RenameFormCommand(s, cur.id, old, name))
        return True

    def name_key(self) -> tuple[str, str] | None:
        """(label, current name) of the current form's name field, for the rename prompt."""
        cur = self.current_form()
        if cur is None:
            return None
        key = self.session.template.form(cur.kind).name_key
        return key, cur.header.get(key, "")

    def move_form(self, up: bool) -> bool:
        s, cur = self.session, self.current_project()
        if cur is None or s.read_only:
            return False
        forms = s.doc.forms
        i = forms.index(cur)
        j = i - 1 if up else i + 1
        if not 0 <= j < len(forms) or forms[j].kind != "project":
            return False
        s.undo_stack.push(MoveFormCommand(s, cur.id, i, j, "上移项目" if up else "下移项目"))
        return True
