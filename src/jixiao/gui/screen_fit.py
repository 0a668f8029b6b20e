"""Every window and dialog opens within the screen's available area.

An office laptop has 1366×768 pixels, less the task bar; a 1920×1080 screen at
150 % scale leaves 1280×720. A window that sizes itself asks for its preferred
size through :func:`size_within_screen` and gets what the screen leaves (its
title bar and frame allowed for); when it shows, all of it, frame included, is
kept on the screen, so its buttons are never below the screen's edge.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FALLBACK = QRect(0, 0, 1366, 768)  # no screen at all (should not happen): the smallest one we support
FRAME = QSize(16, 48)  # room for the frame and title bar, unknown before the window is first shown


def available_rect(w: QWidget) -> QRect:
    """The available geometry of the screen ``w`` is (or will be) on: a dialog
    not yet shown opens on its parent's screen."""
    screen = None
    parent = w.parentWidget()
    if not w.isVisible() and parent is not None:
        screen = parent.window().screen()
    if screen is None:
        screen = w.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(FALLBACK)


def bounded_size(preferred: QSize, avail: QRect) -> QSize:
    """``preferred``, or less where the screen (less a frame) is smaller."""
    return QSize(min(preferred.width(), avail.width() - FRAME.width()),
                 min(preferred.height(), avail.height() - FRAME.height()))


def fit_into(w: QWidget, avail: QRect) -> None:
    """Shrink and move the window (frame included) into ``avail``."""
    frame = w.frameGeometry()
    extra_w = frame.width() - w.width()
    extra_h = frame.height() - w.height()
    width = max(min(w.width(), avail.width() - extra_w), w.minimumWidth())
    height = max(min(w.height(), avail.height() - extra_h), w.minimumHeight())
    if (width, height) != (w.width(), w.height()):
        w.resize(width, height)
    frame = w.frameGeometry()
    x = min(max(frame.x(), avail.x()), avail.right() - frame.width() + 1)
    y = min(max(frame.y(), avail.y()), avail.bottom() - frame.height() + 1)
    x, y = max(x, avail.x()), max(y, avail.y())  # too big even so: its title bar stays reachable
    if (x, y) != (frame.x(), frame.y()):
        w.move(x, y)


class _KeepOnScreen(QObject):
    """Fits its window into the available screen each time it is shown (after a
    dialog has placed itself over its parent, which it does in its showEvent)."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.ShowToParent and isinstance(obj, QWidget) and obj.isWindow():
            fit_into(obj, available_rect(obj))
        return False


def keep_on_screen(w: QWidget) -> None:
    """Whenever ``w`` shows, move (and if need be shrink) it into the available screen."""
    if w.findChild(_KeepOnScreen, "keepOnScreen") is None:
        f = _KeepOnScreen(w)
        f.setObjectName("keepOnScreen")
        w.installEventFilter(f)


def size_within_screen(w: QWidget, width: int, height: int) -> None:
    """Give a window or dialog its preferred ``width`` × ``height``, or what the
    available screen leaves, and keep it on the screen when it shows."""
    w.resize(bounded_size(QSize(width, height), available_rect(w)))
    keep_on_screen(w)
