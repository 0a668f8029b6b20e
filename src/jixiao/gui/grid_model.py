"""The table model over one form's official grid (:func:`jixiao.core.layout.form_grid`).

Every (row, column) position maps to the :class:`Cell` covering it; the view
draws merged cells with ``setSpan``. Plain edits keep the set of rows and
merges, so the model swaps in the freshly computed grid and emits
``dataChanged``; when rows or merges change (indicator rows inserted, 一级/二级
renamed) it resets and emits ``structureChanged`` so the view re-applies its spans.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from jixiao.core.grid import Cell, Grid
from jixiao.gui import style
from jixiao.gui.ids import SUMMARY_ID

if TYPE_CHECKING:
    from PySide6.QtGui import QFont

    from jixiao.core.validation import Finding
    from jixiao.gui.session import DocumentSession

# The engine (layout, validation) is imported where a document is drawn, not
# here: the first window is shown before any document is opened.

_ROOT = QModelIndex()
CellRole = Qt.ItemDataRole.UserRole + 1
SeverityRole = Qt.ItemDataRole.UserRole + 2
PathRole = Qt.ItemDataRole.UserRole + 3

_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    "center": Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
    "right": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
}
_ROLE_BG = {
    "input": style.INPUT_BG,
    "override": style.COMPUTED_BG,
    "computed": style.COMPUTED_BG,
    "label": style.LABEL_BG,
}


def _signature(g: Grid) -> tuple:
    spans = tuple((c.row, c.col, c.rowspan, c.colspan) for c in g.cells if c.rowspan > 1 or c.colspan > 1)
    return g.n_rows, g.n_cols, spans


class GridModel(QAbstractTableModel):
    structureChanged = Signal()
    # An edit typed into a cell: (form id, cell, text). The form editor turns it into an undo command;
    # without a listener (tests of the model alone) nothing changes.
    editRequested = Signal(str, object, str)

    def __init__(self, session: DocumentSession | None = None, parent=None):
        super().__init__(parent)
        self.session: DocumentSession | None = None
        self.form_id: str | None = None
        self.grid = Grid(title="", columns=[])
        self._index: dict[tuple[int, int], Cell] = {}
        self._paths: dict[str, Cell] = {}
        self._findings: dict[str, list[Finding]] = {}
        self._sig: tuple = ()
        self._fonts: dict = {}  # fonts and brushes: _make_paint_objects()
        if session is not None:
            self.set_session(session)

    def _make_paint_objects(self) -> None:
        """Fonts and brushes of the cells, made with the first document (the empty
        first window needs none; QBrush alone costs a millisecond of enum set-up)."""
        from PySide6.QtGui import QBrush

        self._fonts = {
            "normal": style.app_font(),
            "bold": style.app_font(bold=True),
            "title": style.app_font(style.TITLE_POINT_SIZE, bold=True),
            "subtitle": style.app_font(style.FONT_POINT_SIZE + 0.5),
        }
        italic = style.app_font()
        italic.setItalic(True)
        self._fonts["italic"] = italic
        bold_italic = style.app_font(bold=True)
        bold_italic.setItalic(True)
        self._fonts["bold-italic"] = bold_italic
        self._brushes = {k: QBrush(v) for k, v in _ROLE_BG.items()}
        self._sev_brushes = {k: QBrush(v) for k, v in style.SEVERITY_BG.items()}
        self._plain_brush = QBrush(style.OUTSIDE_BG)
        self._suggest_brush = QBrush(style.SUGGESTION_FG)
        self._text_brush = QBrush(style.TEXT_FG)

    # ------------------------------------------------------------ setup
    def set_session(self, session: DocumentSession, form_id: str | None = None) -> None:
        if not self._fonts:
            self._make_paint_objects()
        self.session = session
        if form_id is None:
            form_id = session.doc.forms[0].id if session.doc.forms else SUMMARY_ID
        self.set_form(form_id)

    def set_form(self, form_id: str) -> None:
        self.beginResetModel()
        self.form_id = form_id
        self._load(self._build())
        self.endResetModel()
        self.structureChanged.emit()

    @property
    def is_summary(self) -> bool:
        return self.form_id == SUMMARY_ID

    def _build(self) -> Grid:
        s = self.session
        if s is None:
            return Grid(title="", columns=[])
        from jixiao.core.layout import form_grid, summary_grid

        if self.form_id == SUMMARY_ID or s.doc.form_by_id(self.form_id or "") is None:
            self.form_id = SUMMARY_ID
            return summary_grid(s.doc, s.results)
        form = s.form(self.form_id)  # type: ignore[arg-type]
        return form_grid(s.doc, form, s.results.get(form.id))

    def _load(self, g: Grid) -> None:
        self.grid = g
        self._index = g.index()
        self._paths = g.by_path()
        self._sig = _signature(g)
        self.row_indicator = {c.row: c.indicator for c in g.cells if c.indicator is not None and c.rowspan == 1}
        self.level_cols = self._level_cols()
        self._findings = self.session.by_form_path.get(self.form_id or "", {}) if self.session else {}

    def _level_cols(self) -> tuple[int, int] | None:
        s = self.session
        if s is None or self.form_id in (None, SUMMARY_ID):
            return None
        form = s.doc.form_by_id(self.form_id or "")
        if form is None:
            return None
        sec = s.template.form(form.kind).indicators
        if sec is None:
            return None
        base = 1 if sec.label else 0
        keys = [c.key for c in sec.columns]
        if "一级指标" not in keys or "二级指标" not in keys:
            return None
        return base + keys.index("一级指标"), base + keys.index("二级指标")

    def indicator_row(self, row: int) -> tuple[int | None, str, str] | None:
        """(index into form.indicators or None for a listed empty 二级, 一级, 二级) of a grid row,
        or None if the row is not an indicator row."""
        if not (0 <= row < self.grid.n_rows) or self.grid.row_kinds[row] != "indicator":
            return None
        if not self.level_cols:  # a flat list (重庆 部门整体): one group without 一级/二级
            return self.row_indicator.get(row), "", ""
        c1, c2 = (self._index.get((row, c)) for c in self.level_cols)
        return self.row_indicator.get(row), (c1.text if c1 else ""), (c2.text if c2 else "")

    def indicator_rows(self) -> list[int]:
        return [r for r, k in enumerate(self.grid.row_kinds) if k == "indicator"]

    def row_of_indicator(self, idx: int) -> int | None:
        for r, i in self.row_indicator.items():
            if i == idx:
                return r
        return None

    def refresh(self) -> None:
        """Recompute the grid after an edit of this form (or of any form, for the 汇总表).
        Only cells whose text, value or findings changed are reported, so the view
        repaints just those."""
        g = self._build()
        if _signature(g) != self._sig:
            self.beginResetModel()
            self._load(g)
            self.endResetModel()
            self.structureChanged.emit()
            return
        old_index, old_findings = self._index, self._findings
        self._load(g)
        changed: list[Cell] = []
        for c in g.cells:
            o = old_index.get((c.row, c.col))
            if (o is None or o.text != c.text or o.raw != c.raw or o.role != c.role
                    or (c.path and old_findings.get(c.path) != self._findings.get(c.path))):
                changed.append(c)
        if len(changed) > 40:
            self.dataChanged.emit(self.index(0, 0), self.index(g.n_rows - 1, g.n_cols - 1))
            return
        for c in changed:
            self.dataChanged.emit(self.index(c.row, c.col), self.index(c.last_row, c.last_col))

    def repaint_all(self) -> None:
        """Every cell may look different (e.g. 待填 turned into errors)."""
        if self.grid.n_rows and self.grid.n_cols:
            self.dataChanged.emit(self.index(0, 0), self.index(self.grid.n_rows - 1, self.grid.n_cols - 1))

    # ------------------------------------------------------------ lookups
    def cell(self, row: int, col: int) -> Cell | None:
        return self._index.get((row, col))

    def cell_at(self, index: QModelIndex) -> Cell | None:
        return self._index.get((index.row(), index.column())) if index.isValid() else None

    def cell_by_path(self, path: str) -> Cell | None:
        return self._paths.get(path)

    def index_of_path(self, path: str) -> QModelIndex:
        c = self._paths.get(path)
        if c is None:
            # findings on a field without its own cell: the first cell under that prefix
            head = path.split(".")[0]
            c = next((x for x in self.grid.cells if x.path and x.path.startswith(head)), None)
        return self.index(c.row, c.col) if c is not None else QModelIndex()

    def findings_for(self, cell: Cell | None) -> list[Finding]:
        if cell is None or not cell.path:
            return []
        return self._findings.get(cell.path, [])

    def severity(self, cell: Cell | None) -> str | None:
        """The most serious level shown on a cell (``pending`` for 待填), or None."""
        best = None
        s = self.session
        for f in self.findings_for(cell):
            sev = s.shown_severity(f) if s is not None else f.severity
            if best is None or style.SEVERITY_RANK[sev] > style.SEVERITY_RANK[best]:
                best = sev
        return best

    def finding_text(self, f: Finding) -> str:
        """``【错误】message`` (``【待填】`` for what is still empty)."""
        sev = self.session.shown_severity(f) if self.session is not None else f.severity
        return f"【{style.SEVERITY_LABELS.get(sev, sev)}】{f.message}"

    def is_editable(self, cell: Cell | None) -> bool:
        return bool(cell and (cell.editable or is_document_field(cell)) and self.session
                    and not self.session.read_only and not self.is_summary)

    def not_editable_reason(self, cell: Cell | None) -> str:
        """Why typing on ``cell`` changes nothing, in the officer's words ("" when it can be typed in).
        Excel warns when a key is pressed on a protected cell; a keystroke is never dropped unsaid."""
        if self.is_editable(cell):
            return ""
        if self.session is not None and self.session.read_only:
            return "文档以只读方式打开，不能修改。"
        if self.is_summary:
            return "汇总表由各项目表自动生成，不能直接填写：请在项目表中修改（单位编码等见 表格 › 汇总表信息）。"
        if cell is not None and cell.role == "computed":
            return "此格由系统自动计算，不能填写。"
        if cell is None or not cell.text.strip(" —-－/／"):
            return "此格不需填写。"
        return "这里是表格的栏目名称，不能填写：请在白色的单元格中填写。"

    def font(self, key: str) -> QFont:
        """One of the cell fonts (see :func:`font_key`)."""
        if not self._fonts:
            self._make_paint_objects()
        return self._fonts[key]

    # ------------------------------------------------------------ Qt model
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else self.grid.n_rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else self.grid.n_cols

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        cell = self._index.get((index.row(), index.column()))
        fl = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_editable(cell):
            fl |= Qt.ItemFlag.ItemIsEditable
        return fl

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        cell = self._index.get((index.row(), index.column()))
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.EditRole:
            return cell.raw if cell.editable or is_document_field(cell) else cell.text
        if role == Qt.ItemDataRole.BackgroundRole:
            sev = self.severity(cell)
            if sev:
                return self._sev_brushes[sev]
            if cell.role in ("title", "subtitle", "note"):
                return self._plain_brush
            if cell.role == "input" and not self.is_editable(cell) and not self.is_summary:
                return self._brushes["label"] if self.session and not self.session.read_only else self._plain_brush
            return self._brushes.get(cell.role, self._plain_brush)
        if role == Qt.ItemDataRole.ForegroundRole:
            if cell.role == "override" and not cell.raw:
                return self._suggest_brush
            return self._text_brush
        if role == Qt.ItemDataRole.FontRole:
            return self._fonts[font_key(cell)]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN.get(cell.align, _ALIGN["center"])
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(cell)
        if role == CellRole:
            return cell
        if role == SeverityRole:
            return self.severity(cell)
        if role == PathRole:
            return cell.path
        return None

    def _tooltip(self, cell: Cell) -> str | None:
        lines = [self.finding_text(f) for f in self.findings_for(cell)]
        if cell.role == "override" and cell.suggestion:
            if cell.raw:
                lines.append(f"自动计算值：{cell.suggestion}（清空内容即恢复自动计算）")
            else:
                lines.append("自动计算，直接输入可覆盖")
        elif cell.role == "computed":
            lines.append("自动计算")
        return "\n".join(lines) or None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        cell = self._index.get((index.row(), index.column()))
        if not self.is_editable(cell):
            return False
        self.editRequested.emit(self.form_id or "", cell, "" if value is None else str(value))
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _column_letter(section)
        return str(section + 1)


def is_document_field(cell: Cell | None) -> bool:
    """A sign-off cell (``@signoff.…``): typed like an input, stored in the document."""
    return cell is not None and bool(cell.path) and cell.path.startswith("@signoff.")  # type: ignore[union-attr]


def font_key(cell: Cell) -> str:
    """Which of the model's fonts a cell is drawn in."""
    if cell.role == "title":
        return "title"
    if cell.role == "subtitle":
        return "subtitle"
    if cell.role == "override" and not cell.raw:
        return "bold-italic" if cell.bold else "italic"
    return "bold" if cell.bold else "normal"


def _column_letter(n: int) -> str:
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s
