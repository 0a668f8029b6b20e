"""Turns user gestures (typing, paste, clear, row operations, adding,
copying, deleting and moving project forms) into undo commands on the
current form. The window listens to :attr:`FormEditor.formCreated`."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from jixiao.core.fields import indicator_path, parse_path, table_path
from jixiao.core.grid import Cell
from jixiao.core.model import Form, Indicator, new_form
from jixiao.core.text import clean_text
from jixiao.gui.commands import (
    AddFormCommand,
    InsertIndicatorCommand,
    InsertTableRowsCommand,
    MoveFormCommand,
    MoveIndicatorCommand,
    RemoveFormCommand,
    RemoveIndicatorCommand,
    RemoveTableRowCommand,
    RenameFormCommand,
    SetCellsCommand,
    SetDocumentValuesCommand,
)
from jixiao.gui.grid_model import GridModel, is_document_field
from jixiao.gui.session import SUMMARY_ID, DocumentSession

_LEVEL_KEYS = ("一级指标", "二级指标")


class PasteResult:
    """What a paste did: the block's size, columns cut off at the right edge, rows added,
    and the ids of the indicator rows it wrote (which a regrouping paste may have moved
    away from where it was dropped: the window selects them where they are now)."""

    __slots__ = ("rows", "cols", "clipped", "added", "indicator_ids", "skipped")

    def __init__(self, rows: int, cols: int, clipped: int = 0, added: int = 0,
                 indicator_ids: tuple[str, ...] = (), skipped: int = 0) -> None:
        self.rows, self.cols, self.clipped, self.added = rows, cols, clipped, added
        self.indicator_ids = indicator_ids
        self.skipped = skipped  # non-empty values that fell on a label or a computed cell


def _blank_mark(text: str) -> bool:
    """A cell the form leaves empty or marks “—” (分值 of a 其中 row)."""
    return not text.strip(" —-－/／")


def trim_text(value: str) -> str:
    """What a cell stores of typed text: Windows line breaks as ``\n``, no
    trailing blank lines (an Alt+Enter too many would be saved and printed) and
    no character a file cannot hold (a lone surrogate from the clipboard or an
    input method becomes U+FFFD, see :mod:`jixiao.core.text`)."""
    lines = clean_text(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


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
        doc_changes: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for cell, value in pairs:
            if is_document_field(cell):
                assert cell.path is not None
                key = parse_path(cell.path).column
                old = self.session.doc.signoff.get(key, "")
                value = trim_text(value)
                if old != value and cell.path not in seen:
                    seen.add(cell.path)
                    doc_changes.append((cell.path, old, value))
                continue
            if not cell.editable:
                continue
            value = trim_text(value)
            for path in self.paths_of(cell):
                if path in seen:
                    continue
                seen.add(path)
                old = form.get(path)
                if old != value:
                    changes.append((path, old, value))
        stack = self.session.undo_stack
        if changes and doc_changes:
            stack.beginMacro(text)
        if doc_changes:
            stack.push(SetDocumentValuesCommand(self.session, doc_changes, text))
        if changes:
            stack.push(SetCellsCommand(self.session, form_id, changes, text))
        if changes and doc_changes:
            stack.endMacro()
        return True

    def set_path(self, path: str, value: str) -> bool:
        cell = self.model.cell_by_path(path)
        if cell is None:
            raise KeyError(f"当前表中没有字段 {path}")
        return self.edit_cells(self.model.form_id, [(cell, value)], "编辑")

    def clear(self, cells: list[Cell]) -> bool:
        return self.edit_cells(self.model.form_id, [(c, "") for c in cells if c.editable], "清除内容")

    def paste(self, top: int, left: int, block: list[list[str]], fill: list[Cell] | None = None) -> PasteResult:
        """Paste ``block`` with its top-left at (top, left), as one undo step.

        A single value pasted onto a multi-cell selection fills every selected cell.
        Into the indicator grid or a repeatable block, rows past its end are new rows;
        in the indicator grid a blank 一级/二级 means "same as above" (how Excel copies
        merged cells). Columns past the right edge are counted in ``clipped``."""
        if fill and len(block) == 1 and len(block[0]) == 1:
            self.edit_cells(self.model.form_id, [(c, block[0][0]) for c in fill if c.editable], "粘贴")
            return PasteResult(1, 1)
        width = max((len(r) for r in block), default=0)
        clipped = max(0, left + width - self.model.columnCount())
        kind = self.model.grid.row_kinds[top] if 0 <= top < self.model.grid.n_rows else ""
        stack = self.session.undo_stack
        stack.beginMacro("粘贴")
        ids: list[str] = []
        skipped = 0
        try:
            if kind == "indicator" and self._form_id():
                added = self._paste_indicators(top, left, block, ids)
            elif kind == "table" and self._form_id():
                added = self._paste_table(top, left, block)
            else:
                added = 0
                skipped = self._paste_cells(top, left, block)
        finally:
            stack.endMacro()
        return PasteResult(len(block), width, clipped, added, tuple(ids), skipped)

    def _paste_cells(self, top: int, left: int, block: list[list[str]]) -> int:
        """Paste cell by cell; the number of non-empty values that found no cell to take them
        (a label, a computed cell, past the edge), which the window reports."""
        pairs: list[tuple[Cell, str]] = []
        seen: set[tuple[int, int]] = set()
        skipped = 0
        for i, row in enumerate(block):
            for cell, value in self._row_targets(top + i, left, row):
                if cell is None:
                    skipped += bool(value.strip())
                    continue
                if not cell.editable:
                    skipped += bool(value.strip()) and value.strip() != cell.text.strip() and not _blank_mark(cell.text)
                    continue
                if (cell.row, cell.col) in seen:
                    continue
                seen.add((cell.row, cell.col))
                pairs.append((cell, value))
        self.edit_cells(self.model.form_id, pairs, "粘贴")
        return skipped

    def _row_targets(self, r: int, left: int, row: list[str]) -> list[tuple[Cell | None, str]]:
        """Where each value of one pasted row goes. Excel copies a box merged over several
        columns as its value then blanks, one clipboard column per grid column; a value on
        the second column of a merged box shows the list has one value per box instead
        (copied from another workbook, where 年度资金总额 is one column): then it is taken box
        by box, never shifted into the neighbouring column."""
        m = self.model
        n_rows, n_cols = m.rowCount(), m.columnCount()
        if r >= n_rows:
            return [(None, v) for v in row]
        by_column = [(m.cell(r, left + j) if left + j < n_cols else None, v) for j, v in enumerate(row)]
        if not any(c is not None and c.col < left + j and c.col >= left and v.strip()
                   for j, (c, v) in enumerate(by_column)):
            return by_column
        boxes: list[Cell] = []
        for k in range(left, n_cols):
            c = m.cell(r, k)
            if c is not None and (not boxes or boxes[-1] is not c):
                boxes.append(c)
        return [(boxes[j] if j < len(boxes) else None, v) for j, v in enumerate(row)]

    def _region(self, top: int, kind: str) -> list[int]:
        """Grid rows of one block (indicators, or one repeatable block) from ``top`` down."""
        g = self.model.grid
        section = self._row_section(top)
        rows = []
        r = top
        while r < g.n_rows and g.row_kinds[r] == kind and (kind != "table" or self._row_section(r) == section):
            rows.append(r)
            r += 1
        return rows

    def _row_section(self, row: int) -> str:
        for k in range(self.model.columnCount()):
            c = self.model.cell(row, k)
            if c is not None and c.path and c.row <= row <= c.last_row:
                fp = parse_path(c.path)
                if fp.kind in ("table", "indicator"):
                    return fp.section
        return ""

    def _column_keys(self, rows: list[int]) -> dict[int, str]:
        """Grid column → field column key, from the input cells of ``rows``."""
        out: dict[int, str] = {}
        for r in rows:
            for k in range(self.model.columnCount()):
                c = self.model.cell(r, k)
                if c is not None and c.editable and c.path and k not in out:
                    out[k] = parse_path(c.path).column
        return out

    def _block_values(self, row: list[str], left: int, keys: dict[int, str], width: int) -> dict[str, str]:
        """One pasted row as {column key: text}. A block copied from our own Excel
        export has a column per grid column (a merged field: its first column counts);
        a narrower list (one value per field, e.g. 任务名称 | 主要内容 | 实际完成情况
        typed in three columns) is taken field by field."""
        fields: list[str] = []
        for k in sorted(c for c in keys if c >= left):
            if keys[k] not in fields:
                fields.append(keys[k])
        spans = len(fields) < len([c for c in keys if c >= left])
        out: dict[str, str] = {}
        for j, value in enumerate(row):
            key = (fields[j] if j < len(fields) else None) if spans and width <= len(fields) else keys.get(left + j)
            if key and key not in out:
                out[key] = trim_text(value)
        return out

    def _paste_indicators(self, top: int, left: int, block: list[list[str]], ids: list[str]) -> int:
        """Returns the rows added; ``ids`` receives the id of every indicator written, in block order."""
        fid = self._form_id()
        assert fid is not None
        form = self.session.form(fid)
        rows = self._region(top, "indicator")
        keys = self._column_keys(self.model.indicator_rows())
        width = max((len(r) for r in block), default=0)
        targets = [self.model.indicator_row(r) for r in rows]
        levels: dict[str, str | None] = {k: None for k in _LEVEL_KEYS}
        changes: list[tuple[str, str, str]] = []
        new: list[tuple[int | None, Indicator]] = []  # (after which existing index, indicator)
        last_idx: int | None = None
        for i, brow in enumerate(block):
            values = self._block_values(brow, left, keys, width)
            target = targets[i] if i < len(targets) else None
            for k in _LEVEL_KEYS:
                v = values.get(k, "")
                if v.strip():
                    levels[k] = v
                elif levels[k] is not None:
                    values[k] = levels[k]  # a blank 一级/二级 under a pasted one: same as above
                else:
                    values.pop(k, None)
                    here = target[1 if k == "一级指标" else 2] if target is not None else ""
                    levels[k] = here or None
            if target is not None and target[0] is not None:
                idx = target[0]
                last_idx = idx
                ids.append(form.indicators[idx].id)
                for k, v in values.items():
                    path = indicator_path(idx, k)
                    old = form.get(path)
                    if old != v:
                        changes.append((path, old, v))
            else:
                cells = {k: v for k, v in values.items() if v}
                if target is not None:  # a listed empty 二级 row
                    cells.setdefault("一级指标", target[1])
                    cells.setdefault("二级指标", target[2])
                else:
                    for k in _LEVEL_KEYS:
                        if levels[k] and k not in cells:
                            cells[k] = levels[k] or ""
                new.append((last_idx, Indicator({k: v for k, v in cells.items() if v})))
                ids.append(new[-1][1].id)
        if changes:
            self.session.undo_stack.push(SetCellsCommand(self.session, fid, changes, "粘贴"))
        shift = 0
        for after, ind in new:
            if after is not None:
                at = after + 1 + shift
            else:
                same = [i for i, x in enumerate(form.indicators) if x.level1 == ind.level1]
                at = same[-1] + 1 if same else len(form.indicators)
            self.session.undo_stack.push(InsertIndicatorCommand(self.session, fid, at, ind))
            if after is not None:
                shift += 1
        return sum(1 for i in range(len(block)) if i >= len(targets))

    def _paste_table(self, top: int, left: int, block: list[list[str]]) -> int:
        fid = self._form_id()
        assert fid is not None
        form = self.session.form(fid)
        rows = self._region(top, "table")
        section = self._row_section(top)
        keys = self._column_keys(rows)
        width = max((len(r) for r in block), default=0)
        first = self._table_index(top)
        stored = form.tables.get(section, [])
        changes: list[tuple[str, str, str]] = []
        extra: list[dict[str, str]] = []
        for i, brow in enumerate(block):
            values = self._block_values(brow, left, keys, width)
            n = first + i
            if i < len(rows):
                for k, v in values.items():
                    path = table_path(section, n, k)
                    old = form.get(path)
                    if old != v:
                        changes.append((path, old, v))
            else:
                extra.append({k: v for k, v in values.items() if v})
        if changes:
            self.session.undo_stack.push(SetCellsCommand(self.session, fid, changes, "粘贴"))
        if extra:
            at = max(len(stored), first + len(rows))
            pad = [{} for _ in range(at - len(form.tables.get(section, [])))]
            self.session.undo_stack.push(
                InsertTableRowsCommand(self.session, fid, section, at - len(pad), pad + extra, "粘贴"))
        return len(extra)

    def _table_index(self, row: int) -> int:
        for k in range(self.model.columnCount()):
            c = self.model.cell(row, k)
            if c is not None and c.path:
                fp = parse_path(c.path)
                if fp.kind == "table" and fp.index is not None:
                    return fp.index
        return 0

    # ------------------------------------------------------------ fill down (Ctrl+D)
    def fill_down(self, top: int, left: int, bottom: int, right: int) -> bool:
        """Excel's Ctrl+D: each column of the range takes the value of its top cell
        (of the cell above, for a one-row range), as one undo step."""
        if top == bottom:
            top -= 1
        if top < 0:
            return False
        pairs: list[tuple[Cell, str]] = []
        seen: set[int] = set()
        for k in range(left, right + 1):
            src = self.model.cell(top, k)
            if src is None or not src.editable:
                continue
            value = src.raw
            for r in range(top + 1, bottom + 1):
                c = self.model.cell(r, k)
                if c is None or c is src or not c.editable or id(c) in seen:
                    continue
                seen.add(id(c))
                pairs.append((c, value))
        if not pairs:
            return False
        return self.edit_cells(self.model.form_id, pairs, "向下填充")

    # ------------------------------------------------------------ indicator rows
    def _form_id(self) -> str | None:
        fid = self.model.form_id
        return None if fid in (None, SUMMARY_ID) or self.session.read_only else fid

    def row_kind(self, row: int) -> str | None:
        """``indicator`` or ``table`` for a grid row that rows can be inserted at, else None."""
        if self._form_id() is None or not 0 <= row < self.model.grid.n_rows:
            return None
        kind = self.model.grid.row_kinds[row]
        if kind == "indicator" and self.model.indicator_row(row) is not None:
            return "indicator"
        if kind == "table" and self._row_section(row):
            return "table"
        return None

    def can_delete_row(self, row: int) -> bool:
        kind = self.row_kind(row)
        if kind == "indicator":
            info = self.model.indicator_row(row)
            return info is not None and info[0] is not None
        if kind == "table":
            fid = self._form_id()
            assert fid is not None
            return self._table_index(row) < len(self.session.form(fid).tables.get(self._row_section(row), []))
        return False

    def insert_row(self, row: int, below: bool) -> int | None:
        """Insert an empty row at grid row ``row``: an indicator in its 二级 group, or a
        row of a repeatable block. Returns the grid row of the new row."""
        kind = self.row_kind(row)
        fid = self._form_id()
        if kind is None or fid is None:
            return None
        form = self.session.form(fid)
        if kind == "table":
            section = self._row_section(row)
            n = self._table_index(row)
            stored = len(form.tables.get(section, []))
            at = n + 1 if below else n
            # an empty block shows one blank row: it becomes a real row beside the new one
            rows: list[dict[str, str]] = [{}, {}] if stored == 0 else [{}]
            self.session.undo_stack.push(
                InsertTableRowsCommand(self.session, fid, section, 0 if stored == 0 else at, rows))
            c = self.model.cell_by_path(table_path(section, at, self._first_table_key(section)))
            return c.row if c is not None else None
        info = self.model.indicator_row(row)
        assert info is not None
        idx, l1, l2 = info
        if idx is not None:
            at = idx + 1 if below else idx
        else:
            same = [i for i, ind in enumerate(form.indicators) if ind.level1 == l1]
            at = same[-1] + 1 if same else len(form.indicators)
        cells = {k: v for k, v in (("一级指标", l1), ("二级指标", l2)) if v}
        self.session.undo_stack.push(InsertIndicatorCommand(self.session, fid, at, Indicator(cells)))
        return self.model.row_of_indicator(at)

    def _first_table_key(self, section: str) -> str:
        sec = self.session.template.form(self.session.form(self.model.form_id or "").kind).section("table", section)
        return sec.columns[0].key if sec is not None and sec.columns else ""

    def delete_row(self, row: int) -> bool:
        fid = self._form_id()
        if fid is None or not self.can_delete_row(row):
            return False
        if self.row_kind(row) == "table":
            self.session.undo_stack.push(
                RemoveTableRowCommand(self.session, fid, self._row_section(row), self._table_index(row)))
            return True
        info = self.model.indicator_row(row)
        assert info is not None and info[0] is not None
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
