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
READONLY_INPUT_BG = QColor("#fafafa")
SUGGESTION_FG = QColor("#7a7a7a")
TEXT_FG = QColor("#1a1a1a")
RULE = QColor("#8c8c8c")
SELECTION_BG = QColor("#cfe2f7")
CURRENT_FRAME = QColor("#217346")
ERROR_FG = QColor("#c62828")
WARNING_FG = QColor("#c77700")
OK_FG = QColor("#2e7d32")

SEVERITY_BG = {"error": ERROR_BG, "warning": WARNING_BG, "info": INFO_BG}
SEVERITY_FG = {"error": ERROR_FG, "warning": WARNING_FG, "info": OK_FG}
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}

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
    mark = {"error": "×", "warning": "!", "info": "i"}.get(severity, "")
    return dot_icon(SEVERITY_FG.get(severity, OK_FG).name(), mark)


def badge_icon(errors: int, warnings: int) -> QIcon:
    if errors:
        return dot_icon(ERROR_FG.name(), str(errors) if errors < 100 else "99+")
    if warnings:
        return dot_icon(WARNING_FG.name(), str(warnings) if warnings < 100 else "99+")
    return dot_icon(OK_FG.name(), "✓")
