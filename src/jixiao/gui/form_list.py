"""The side list of the document's forms: 部门整体, each 项目, 汇总表, with
each form's 总分 (the one it prints, as the 汇总表 shows it), 等级 and a badge
counting its errors (or warnings)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from jixiao.gui import style
from jixiao.gui.ids import SUMMARY_ID

if TYPE_CHECKING:
    from jixiao.core.scoring import FormResult
    from jixiao.core.templates import Template
    from jixiao.gui.session import DocumentSession

FormIdRole = Qt.ItemDataRole.UserRole + 10


def score_figures(template: Template, res: FormResult) -> tuple[str, str, str]:
    """(总分, 等级, the engine's total) as the side list and the status bar show them:
    the 总分 the form prints (typed where typed, :func:`jixiao.core.summary.printed_score`,
    as the 汇总表 shows it) and its grade; the engine's total only where it differs
    (``""`` otherwise; the difference itself is a ``total-mismatch`` finding)."""
    from jixiao.core.figures import fmt2
    from jixiao.core.summary import printed_score

    score, grade = printed_score(template, res)
    if score is None:
        return "—", "", ""
    shown = fmt2(score)
    return shown, grade, fmt2(res.total) if fmt2(res.total) != shown else ""


NameRole = Qt.ItemDataRole.UserRole + 11  # "1. " and the form's name
FiguresRole = Qt.ItemDataRole.UserRole + 12  # groups of figures, each group starting a line (see entry_lines)
SPACES = " 　"
MIN_WIDTH = 90
NAME_LINES = 3  # a longer name is elided on its third line; the figures are never cut


def _flow(fm: QFontMetrics, width: int, tokens: Sequence[str]) -> list[str]:
    """Tokens (each with its separator in front: "　错误 3") on as few lines as fit;
    a token too wide for a line by itself breaks at its spaces, never inside a word."""
    lines: list[str] = []
    current = ""
    for tok in tokens:
        if current and fm.horizontalAdvance(current + tok) <= width:
            current += tok
            continue
        if current:
            lines.append(current)
        current = tok.lstrip(SPACES)
        if fm.horizontalAdvance(current) > width:
            words = current.split(" ")
            current = words[0]
            for word in words[1:]:
                if fm.horizontalAdvance(f"{current} {word}") <= width:
                    current = f"{current} {word}"
                else:
                    lines.append(current)
                    current = word
    if current:
        lines.append(current)
    return lines


def entry_lines(font: QFont, width: int, name: str, figures: Sequence[Sequence[str]]) -> list[str]:
    """The lines of one entry at ``width`` pixels: the name wrapped to at most
    :data:`NAME_LINES` lines (the last elided), then each group of figures on
    lines of its own, as few as fit (see :func:`_flow`): a figure is never cut
    while the list is as wide as :meth:`FormList.fit_minimum_width` keeps it."""
    fm = QFontMetrics(font)
    lines: list[str] = []
    layout = QTextLayout(name, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    starts: list[int] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append(line.textStart())
    layout.endLayout()
    ends = [*starts[1:], len(name)]
    for i, (start, end) in enumerate(zip(starts[:NAME_LINES], ends, strict=False)):
        last = i == NAME_LINES - 1 and end < len(name)
        lines.append(fm.elidedText(name[start:], Qt.TextElideMode.ElideRight, width) if last
                     else name[start:end].rstrip())
    for group in figures:
        lines += _flow(fm, width, group)
    return [ln if fm.horizontalAdvance(ln) <= width else fm.elidedText(ln, Qt.TextElideMode.ElideRight, width)
            for ln in lines]


_LINES_CACHE: dict[tuple[str, int, str, tuple[tuple[str, ...], ...]], str] = {}
_LINES_CACHE_SIZE = 1024


def entry_text(font: QFont, width: int, name: str, figures: Sequence[Sequence[str]]) -> str:
    """:func:`entry_lines` joined for the item view, remembered: an edit repaints and
    re-measures every entry of the list, and all but one are as before."""
    key = (font.key(), width, name, tuple(tuple(g) for g in figures))
    text = _LINES_CACHE.get(key)
    if text is None:
        if len(_LINES_CACHE) >= _LINES_CACHE_SIZE:
            _LINES_CACHE.clear()
        # QChar::LineSeparator: the item view draws a newline of a text set here as nothing
        text = _LINES_CACHE[key] = "\u2028".join(entry_lines(font, width, name, figures))
    return text


class _EntryDelegate(QStyledItemDelegate):
    """Entries as wide as the list: the name wrapped (and elided after a few lines),
    the figures (总分, 等级, the counts of errors, warnings and cells to fill) on
    lines of their own, whole, at any width the list can take.

    Sizes are remembered by what decides them (width, font, text): the list view
    asks every entry's size again after any edit, and all but one are unchanged."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sizes: dict[tuple[object, ...], QSize] = {}

    def text_width(self, option: QStyleOptionViewItem, width: int) -> int:
        """The width the style leaves for text in an entry ``width`` pixels wide."""
        view = self.parent()
        opt = QStyleOptionViewItem(option)
        opt.rect = QRect(0, 0, width, 1 << 12)
        style = view.style() if isinstance(view, QListWidget) else QApplication.style()
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, view)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        return text.width() - 2 * margin - 1

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:  # noqa: N802 - Qt name
        super().initStyleOption(option, index)
        name = index.data(NameRole)
        view = self.parent()
        if name is None or not isinstance(view, QListWidget) or view.viewport().width() <= 0:
            return
        width = self.text_width(option, view.viewport().width())
        option.text = entry_text(option.font, width, name, index.data(FiguresRole) or ())

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt name
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QListWidget) else 0
        if width <= 0:
            return super().sizeHint(option, index)
        key = (width, option.font.key(), index.data(Qt.ItemDataRole.DisplayRole), index.data(NameRole),
               str(index.data(FiguresRole)), view.iconSize().height(), id(view.style()))
        cached = self._sizes.get(key)
        if cached is not None:
            return QSize(cached)
        opt = QStyleOptionViewItem(option)
        opt.rect = QRect(0, 0, width, 1 << 16)  # a valid rect: its width is where text wraps
        size = super().sizeHint(opt, index)
        if len(self._sizes) >= _LINES_CACHE_SIZE:
            self._sizes.clear()
        self._sizes[key] = size = QSize(min(size.width(), width), size.height())
        return QSize(size)


class FormList(QListWidget):
    formSelected = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.session: DocumentSession | None = None
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        # long names wrap to the list's width (an unbreakable project code is elided, the full name is in the
        # tooltip); never a sideways scroll bar that hides the end of every entry
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setItemDelegate(_EntryDelegate(self))
        self.setIconSize(QSize(18, 18))
        self.setSpacing(1)
        self.setAccessibleName("表格列表")
        self.setMinimumWidth(MIN_WIDTH)  # the splitter may narrow it that far, or to its widest figure
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.currentItemChanged.connect(self._current_changed)
        self._block = False

    def set_session(self, session: DocumentSession) -> None:
        self.session = session
        self.rebuild()

    def fit_minimum_width(self) -> None:
        """As narrow as the splitter likes, but never narrower than the widest
        word of a figure ("100.00", "错误") needs beside its badge."""
        fm = self.fontMetrics()
        words = {word for i in range(self.count()) for group in (self.item(i).data(FiguresRole) or ())
                 for fig in group for word in re.split(f"[{SPACES}]+", fig)}
        widest = max((fm.horizontalAdvance(word) for word in words), default=0)
        opt = QStyleOptionViewItem()
        self.initViewItemOption(opt)
        opt.features |= (QStyleOptionViewItem.ViewItemFeature.HasDecoration
                         | QStyleOptionViewItem.ViewItemFeature.HasDisplay)
        opt.decorationSize = self.iconSize()
        opt.text = "总分"
        delegate = self.itemDelegate()
        probe = 400
        text_room = delegate.text_width(opt, probe) if isinstance(delegate, _EntryDelegate) else probe
        chrome = 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width() + 2 * self.spacing()
        self.setMinimumWidth(max(MIN_WIDTH, widest + probe - text_room + chrome + 1))

    def _current_changed(self, cur, _prev) -> None:
        if cur is not None and not self._block:
            self.formSelected.emit(cur.data(FormIdRole))

    def current_form_id(self) -> str | None:
        it = self.currentItem()
        return it.data(FormIdRole) if it is not None else None

    def select_form(self, form_id: str) -> None:
        for i in range(self.count()):
            it = self.item(i)
            if it.data(FormIdRole) == form_id:
                if self.currentItem() is not it:
                    self.setCurrentItem(it)
                return

    def rebuild(self, keep: str | None = None) -> None:
        s = self.session
        if s is None:
            return
        keep = keep or self.current_form_id()
        self._block = True
        self.clear()
        ids = [f.id for f in s.doc.forms]
        for f in s.doc.forms:
            it = QListWidgetItem()
            it.setData(FormIdRole, f.id)
            self.addItem(it)
            self.update_form(f.id, it)
        if s.doc.projects:
            it = QListWidgetItem(style.dot_icon("#5c6bc0", "Σ"), "项目单位自评汇总表")
            it.setData(FormIdRole, SUMMARY_ID)
            it.setToolTip("各项目表的汇总（只读，自动生成）")
            self.addItem(it)
            ids.append(SUMMARY_ID)
        self._block = False
        self.fit_minimum_width()
        if keep in ids:
            self.select_form(keep)
        elif self.count():
            self.setCurrentRow(0)

    def _item(self, form_id: str) -> QListWidgetItem | None:
        for i in range(self.count()):
            it = self.item(i)
            if it.data(FormIdRole) == form_id:
                return it
        return None

    def update_form(self, form_id: str, item: QListWidgetItem | None = None) -> None:
        s = self.session
        if s is None:
            return
        it = item or self._item(form_id)
        form = s.doc.form_by_id(form_id)
        if it is None or form is None:
            return
        res = s.results.get(form_id)
        t = s.tally(form_id)
        e, w, todo = t["error"], t["warning"], t["pending"]
        prefix = "部门整体：" if form.kind == "department" else ""
        name = form.display_name()
        if form.kind == "project":
            n = sum(1 for f in s.doc.forms[: s.doc.forms.index(form) + 1] if f.kind == "project")
            prefix = f"{n}. "
        scores: list[str] = []
        engine = ""
        if res is not None and s.unfinished(form_id):
            scores = ["总分 —"]
        elif res is not None:
            printed, grade, engine = score_figures(s.template, res)
            scores = [f"总分 {printed}", grade] if grade else [f"总分 {printed}"]
        counts = [x for x in (f"错误 {e}" if e else "", f"警告 {w}" if w else "", f"待填 {todo}" if todo else "") if x]
        figures = [[fig if i == 0 else f"　{fig}" for i, fig in enumerate([*scores, *(counts or ["无问题"])])]]
        if engine:  # the engine's total where it differs: a line of its own
            figures.append(["（按规则", "计算为", f" {engine}）"])
        computed = f"\n（按规则计算为 {engine}）" if engine else ""
        score = "　".join(scores)
        it.setText("\n".join([f"{prefix}{name}", *("".join(g) for g in figures)]))
        it.setData(NameRole, f"{prefix}{name}")
        it.setData(FiguresRole, figures)
        it.setIcon(style.badge_icon(e, w, todo))
        it.setToolTip(f"{name}\n{score}{computed}\n错误 {e} 个，警告 {w} 个，待填 {todo} 项")
        if item is None:  # an edit (a rebuild fits the width once, at its end)
            self.fit_minimum_width()

    def update_all(self) -> None:
        if self.session is None:
            return
        for f in self.session.doc.forms:
            self.update_form(f.id)
