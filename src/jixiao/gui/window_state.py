"""Where the main window opens and how big: within the screen's available
area (a 1366×768 laptop, a 1280×1024 office screen), with the size and the
splitter positions the officer left last time (screen geometry: gui/screen_fit.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize

from jixiao.gui.screen_fit import FRAME, available_rect, bounded_size, fit_into

if TYPE_CHECKING:
    from jixiao.gui.main_window import MainWindow

PREFERRED = (1400, 900)


def initial_rect(avail: QRect) -> QRect:
    """The preferred size, or what a smaller screen leaves once the title bar and frame
    are allowed for; the frame centred. The rectangle's size is the window's own (without
    its frame), its top left the frame's, as ``move`` takes it.

    The frame must be allowed for here: on X11 (信创 Linux desktops) the window manager
    reports it only after the window is shown, too late for the fit on the first show,
    and a window as tall as the screen had its status bar below the screen's edge."""
    size = bounded_size(QSize(*PREFERRED), avail)
    frame = QRect(0, 0, size.width() + FRAME.width(), size.height() + FRAME.height())
    frame.moveCenter(avail.center())
    return QRect(frame.topLeft(), size)


def place(w: MainWindow) -> None:
    """A window without saved geometry: preferred size within the available screen."""
    avail = available_rect(w)
    r = initial_rect(avail)
    w.resize(r.size())
    w.move(r.topLeft())
    if avail.width() < 1500:  # a small screen: the grid gets the room
        w.main_split.setSizes([200, max(400, r.width() - 200)])


def save(w: MainWindow) -> None:
    st = w.settings
    st.save_bytes("window/geometry", w.saveGeometry())
    st.save_bytes("window/state", w.saveState())
    st.save_bytes("window/mainSplitter", w.main_split.saveState())
    st.save_bytes("window/rightSplitter", w.right.saveState())
    st.sync()


def restore(w: MainWindow) -> None:
    """The size and splitters of the last session, kept inside the available screen."""
    st = w.settings
    g = st.load_bytes("window/geometry")
    if g is None or not w.restoreGeometry(g):
        place(w)
    else:
        avail = available_rect(w)
        if w.frameGeometry().size() == w.size():  # the frame is not known yet (see initial_rect)
            size = bounded_size(w.size(), avail)
            if size != w.size():
                w.resize(size)
        fit_into(w, avail)
    s = st.load_bytes("window/state")
    if s is not None:
        w.restoreState(s)
    for key, sp in (("window/mainSplitter", w.main_split), ("window/rightSplitter", w.right)):
        b = st.load_bytes(key)
        if b is not None:
            sp.restoreState(b)
