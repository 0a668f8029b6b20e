"""Colours, fonts and small icons shared by the widgets."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

FONT_POINT_SIZE = 10.5
TITLE_POINT_SIZE = 15.0

INPUT_BG = QColor("#ffffff")
LABEL_BG = QColor("#f0f0f0")
COMPUTED_BG = QColor("#e8f1fb")
OUTSIDE_BG = QColor("#ffffff")
ERROR_BG = QColor("#f9d0d0")
WARNING_BG = QColor("#fbe8bf")
INFO_BG = QColor("#e3f0e3")
PENDING_BG = QColor("#f4f4ee")  # 待填: still empty, neutral
SUGGESTION_FG = QColor("#7a7a7a")
TEXT_FG = QColor("#1a1a1a")
RULE = QColor("#8c8c8c")
SELECTION_BG = QColor("#cfe2f7")
CURRENT_FRAME = QColor("#217346")
ERROR_FG = QColor("#c62828")
WARNING_FG = QColor("#c77700")
OK_FG = QColor("#2e7d32")
PENDING_FG = QColor("#8a8a80")

# "pending" is the GUI's own level: a finding about a cell still empty (Finding.pending),
# shown neutrally as 待填 until the officer exports or prints.
PENDING = "pending"
SEVERITY_BG = {"error": ERROR_BG, "warning": WARNING_BG, "info": INFO_BG, PENDING: PENDING_BG}
SEVERITY_FG = {"error": ERROR_FG, "warning": WARNING_FG, "info": OK_FG, PENDING: PENDING_FG}
SEVERITY_RANK = {"error": 4, "warning": 3, "info": 2, PENDING: 1}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示", PENDING: "待填"}

_family: str | None = None


def load_bundled_font() -> str | None:
    """Register the bundled CJK font once; returns its family (or None if the file is missing)."""
    global _family
    if _family is not None:
        return _family
    from jixiao.fonts import CJK_FAMILY, cjk_font_path

    path = cjk_font_path()
    if not path.is_file():
        return None
    fid = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
    _family = families[0] if families else (CJK_FAMILY if fid >= 0 else None)
    return _family


def app_font(point_size: float = FONT_POINT_SIZE, bold: bool = False) -> QFont:
    fam = _family or load_bundled_font()
    f = QFont(fam) if fam else QFont()
    f.setPointSizeF(point_size)
    f.setBold(bold)
    f.setStyleHint(QFont.StyleHint.Serif)
    return f


@lru_cache(maxsize=64)
def dot_icon(color: str, text: str = "", size: int = 18) -> QIcon:
    """A filled circle with an optional short text (a count) inside."""
    # imported here: the first window draws no icon, and these classes cost
    # their enum set-up (QIcon.ThemeIcon alone has 151 members)
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QIcon, QPainter, QPen, QPixmap

    pm = QPixmap(size * 2, size * 2)
    pm.setDevicePixelRatio(2.0)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(color))
    p.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    if text:
        p.setPen(QPen(QColor("#ffffff")))
        f = app_font(7.5 if len(text) < 3 else 6.0, bold=True)
        p.setFont(f)
        p.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, text)
    p.end()
    return QIcon(pm)


def severity_icon(severity: str) -> QIcon:
    mark = {"error": "×", "warning": "!", "info": "i", PENDING: "…"}.get(severity, "")
    return dot_icon(SEVERITY_FG.get(severity, OK_FG).name(), mark)


def badge_icon(errors: int, warnings: int, pending: int = 0) -> QIcon:
    if errors:
        return dot_icon(ERROR_FG.name(), str(errors) if errors < 100 else "99+")
    if warnings:
        return dot_icon(WARNING_FG.name(), str(warnings) if warnings < 100 else "99+")
    if pending:
        return dot_icon(PENDING_FG.name(), "…")
    return dot_icon(OK_FG.name(), "✓")
