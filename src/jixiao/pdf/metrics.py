"""Glyph metrics: how wide text is, and which font draws each character.

Widths come from the bundled font's own tables (:mod:`jixiao.fonts`), so the
page plan, the GUI's print preview and the Excel writer's row heights all
measure with the advance widths the printed page uses. A character the bundled
font lacks is measured as what will be drawn for it: its look-alike, its glyph
in a fallback font of this machine, or the ``□`` placeholder.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from jixiao.fonts import PLACEHOLDER, FontFileError, TrueTypeFont, bundled_font, fallback_face, substitute
from jixiao.pdf.geometry import MM_PER_PT

_lock = threading.Lock()
_widths: dict[str, float] = {}  # char -> advance in 1/1000 em, as drawn
_plan: dict[str, tuple[str, TrueTypeFont | None]] = {}  # char -> (drawn text, fallback face or None)


def font() -> TrueTypeFont:
    """The bundled face. Raises :class:`jixiao.core.fileio.DocumentError` when it cannot be read."""
    try:
        return bundled_font()
    except FontFileError as exc:
        from jixiao.core.fileio import DocumentError
        from jixiao.fonts import cjk_font_path

        raise DocumentError(f"无法加载内置中文字体 {cjk_font_path().name}：{exc}。请重新安装本程序") from exc


def drawn(ch: str) -> tuple[str, TrueTypeFont | None]:
    """What is drawn for ``ch`` and with which face (None: the bundled font)."""
    got = _plan.get(ch)
    if got is not None:
        return got
    f = font()
    if f.has(ch):
        got = (ch, None)
    else:
        sub = substitute(ch)
        if sub is not None:
            got = (sub, None)
        else:
            face = fallback_face(ch)
            got = (ch, face) if face is not None else (PLACEHOLDER, None)
    with _lock:
        _plan[ch] = got
    return got


def _char_width(ch: str) -> float:
    text, face = drawn(ch)
    if face is not None:
        w = face.advance(ch)
    else:
        f = font()
        w = sum(f.advance(c) for c in text)
    _widths[ch] = w
    return w


_MEMO_MAX = 200_000  # texts remembered by units() (a 30-project document measures about 20 000)
_texts: dict[str, float] = {}  # text -> advance, as units() summed it the first time


def units(text: str) -> float:
    """Advance width of ``text`` in thousandths of an em."""
    total = _texts.get(text)
    if total is not None:
        return total
    widths = _widths
    total = 0.0
    for ch in text:
        w = widths.get(ch)
        if w is None:
            w = _char_width(ch)
        total += w
    if len(_texts) >= _MEMO_MAX:
        _texts.clear()
    _texts[text] = total
    return total


def text_width(text: str, size: float) -> float:
    """Width in mm of ``text`` at ``size`` points."""
    return units(text) * size / 1000.0 * MM_PER_PT


_plain_chars: set[str] = set()


def plain(text: str) -> bool:
    """True when the bundled font draws every character of ``text`` itself."""
    if _plain_chars.issuperset(text):
        return True
    f = font()
    for ch in set(text) - _plain_chars:
        if not f.has(ch):
            return False
        _plain_chars.add(ch)
    return True


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a line drawn with one face: ``text`` is drawn, ``actual`` is the officer's."""

    text: str
    actual: str
    face: TrueTypeFont | None
    width: float  # thousandths of an em

    @property
    def substituted(self) -> bool:
        return self.text != self.actual


def segments(line: str) -> list[Segment]:
    """``line`` cut where the drawing face changes (bundled or a fallback face)."""
    out: list[Segment] = []
    cur_face: TrueTypeFont | None = None
    drawn_parts: list[str] = []
    actual_parts: list[str] = []
    width = 0.0
    for ch in line:
        text, face = drawn(ch)
        if (face is not cur_face) and actual_parts:
            out.append(Segment("".join(drawn_parts), "".join(actual_parts), cur_face, width))
            drawn_parts, actual_parts, width = [], [], 0.0
        cur_face = face
        drawn_parts.append(text)
        actual_parts.append(ch)
        width += units(ch)
    if actual_parts:
        out.append(Segment("".join(drawn_parts), "".join(actual_parts), cur_face, width))
    return out


def unprintable(text: str) -> list[str]:
    """The distinct characters of ``text`` drawn as the ``□`` placeholder."""
    return [ch for ch in dict.fromkeys(text) if ch != PLACEHOLDER and drawn(ch) == (PLACEHOLDER, None)]


def reset() -> None:
    """Forget measured characters (tests that change the fallback fonts)."""
    with _lock:
        _widths.clear()
        _texts.clear()
        _plan.clear()
    from jixiao.pdf.wrap import clear_caches  # (wrap measures with this module: imported here, not at the top)

    clear_caches()
