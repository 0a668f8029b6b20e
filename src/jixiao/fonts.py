"""The bundled CJK font: where it is, which characters it has, how wide they are.

No Qt and no reportlab here: the GUI registers the file with Qt itself, and
:mod:`jixiao.pdf.writer` embeds it with reportlab. This module reads the few
TrueType tables the page layout needs (``cmap``, ``hmtx``, ``hhea``, ``head``)
straight from the file, so the Excel writer and the page plan measure text
with the very advance widths the printed page uses, without loading a PDF
library.

Characters the bundled font lacks:

- the program's own strings never use one (``tests/test_fonts.py`` checks every
  string it can collect); a few look-alikes that still reach us (``−`` U+2212
  from a pasted sheet, ``✓``, ``⩾``) are drawn as a visually equivalent
  character the font has (:data:`SUBSTITUTES`, then the NFKC compatibility
  form);
- an officer's character with no equivalent is drawn with a fallback font
  found on the machine (TrueType outlines only, e.g. 宋体/SimSun-ExtB on
  Windows, DejaVu or AR PL UMing on Linux);
- a character no font has is drawn as a visible ``□``. In every case the
  PDF's text keeps the officer's characters (the writer tags the run with
  ``/ActualText``), and :func:`jixiao.pdf.plan.unprintable` lists the ones
  drawn as ``□`` so the export can say so.
"""

from __future__ import annotations

import os
import struct
import sys
import threading
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from jixiao.resources import resource_path

CJK_FONT_FILE = "ARPLUMingCN.ttf"
CJK_FAMILY = "AR PL UMing CN"
PLACEHOLDER = "□"  # drawn for a character no available font has (the PDF text keeps the original)

# Look-alikes for characters the bundled font lacks (checked by tests/test_fonts.py:
# every value is in the font). NFKC covers most compatibility forms; these are the rest.
SUBSTITUTES: dict[str, str] = {
    "\u2212": "-",  # − MINUS SIGN (Excel and WPS print negative numbers with "-")
    "\u2010": "-",  # ‐ HYPHEN
    "\u2011": "-",  # ‑ NON-BREAKING HYPHEN
    "\u2043": "-",  # ⁃ HYPHEN BULLET
    "\u2053": "～",  # ⁓ SWUNG DASH
    "\u301c": "～",  # 〜 WAVE DASH (Japanese input methods)
    "\u2e3a": "——",  # ⸺ TWO-EM DASH
    "\u2a7d": "≤",  # ⩽ SLANTED LESS-THAN OR EQUAL TO
    "\u2a7e": "≥",  # ⩾ SLANTED GREATER-THAN OR EQUAL TO
    "\u2039": "<",  # ‹ SINGLE LEFT-POINTING ANGLE QUOTATION MARK (menu paths: 文件 › 新建)
    "\u203a": ">",  # › SINGLE RIGHT-POINTING ANGLE QUOTATION MARK
    "\u2713": "√",  # ✓ CHECK MARK
    "\u2714": "√",  # ✔ HEAVY CHECK MARK
    "\u2717": "×",  # ✗ BALLOT X
    "\u2718": "×",  # ✘ HEAVY BALLOT X
    "\u2007": " ",  # FIGURE SPACE
    "\u2009": " ",  # THIN SPACE
    "\u200a": " ",  # HAIR SPACE
    "\u202f": " ",  # NARROW NO-BREAK SPACE
    "\ufffd": "？",  # � REPLACEMENT CHARACTER (core/text.py puts it where a lone surrogate was)
    "\u2219": "·",  # ∙ BULLET OPERATOR
    "\u22c5": "·",  # ⋅ DOT OPERATOR
    "\u200b": "",  # ZERO WIDTH SPACE
    "\u2060": "",  # WORD JOINER
    "\ufeff": "",  # ZERO WIDTH NO-BREAK SPACE (a byte order mark pasted into a cell)
}


def cjk_font_path() -> Path:
    return resource_path("fonts", CJK_FONT_FILE)


class FontFileError(Exception):
    """A font file that cannot be read as TrueType."""


class TrueTypeFont:
    """The character map and horizontal metrics of one TrueType face (a ``.ttf``
    file, or face ``index`` of a ``.ttc`` collection)."""

    def __init__(self, path: Path | str, index: int = 0) -> None:
        self.path = Path(path)
        self.index = index
        try:
            data = self.path.read_bytes()
            self._parse(data, index)
        except FontFileError:
            raise
        except (OSError, struct.error, IndexError, KeyError, ValueError) as exc:
            raise FontFileError(f"{self.path.name}: {exc}") from exc

    @property
    def key(self) -> str:
        """A name for this face that is unique per file and index (used to register it with a backend)."""
        return f"{self.path}#{self.index}"

    def _parse(self, data: bytes, index: int) -> None:
        base = 0
        if data[:4] == b"ttcf":
            count = struct.unpack_from(">I", data, 8)[0]
            if not 0 <= index < count:
                raise FontFileError(f"{self.path.name}: no face {index}")
            base = struct.unpack_from(">I", data, 12 + 4 * index)[0]
        num_tables = struct.unpack_from(">H", data, base + 4)[0]
        tables: dict[bytes, tuple[int, int]] = {}
        for i in range(num_tables):
            tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, base + 12 + 16 * i)
            tables[tag] = (offset, length)
        for need in (b"cmap", b"hmtx", b"hhea", b"head"):
            if need not in tables:
                raise FontFileError(f"{self.path.name}: no {need.decode()} table")
        self.outlines = "glyf" if b"glyf" in tables else ("cff" if b"CFF " in tables else "none")
        head = tables[b"head"][0]
        self.units_per_em: int = struct.unpack_from(">H", data, head + 18)[0] or 1000
        hhea = tables[b"hhea"][0]
        asc, desc, gap = struct.unpack_from(">hhh", data, hhea + 4)
        self.ascent = asc / self.units_per_em
        self.descent = -desc / self.units_per_em
        self.line_gap = gap / self.units_per_em
        n_hmetrics = struct.unpack_from(">H", data, hhea + 34)[0]
        hmtx = tables[b"hmtx"][0]
        self._advances = struct.unpack_from(f">{2 * n_hmetrics}H", data, hmtx)[0::2]
        self._cmap = _read_cmap(data, tables[b"cmap"][0])
        self._widths: dict[str, float] = {}

    def glyph(self, ch: str) -> int:
        return self._cmap.get(ord(ch), 0)

    def has(self, ch: str) -> bool:
        return ord(ch) in self._cmap

    def advance(self, ch: str) -> float:
        """Advance width of ``ch`` in thousandths of an em (the .notdef glyph's if missing)."""
        w = self._widths.get(ch)
        if w is None:
            g = self._cmap.get(ord(ch), 0)
            adv = self._advances[min(g, len(self._advances) - 1)] if self._advances else 0
            w = self._widths[ch] = adv * 1000.0 / self.units_per_em
        return w

    def codepoints(self) -> Iterator[int]:
        return iter(self._cmap)


def _read_cmap(data: bytes, at: int) -> _CharMap:
    n = struct.unpack_from(">H", data, at + 2)[0]
    subtables: dict[tuple[int, int], int] = {}
    for i in range(n):
        pid, eid, off = struct.unpack_from(">HHI", data, at + 4 + 8 * i)
        subtables[(pid, eid)] = at + off
    for key in ((3, 10), (0, 6), (0, 4), (0, 3), (3, 1), (0, 2), (0, 1), (0, 0)):
        off = subtables.get(key)
        if off is None:
            continue
        fmt = struct.unpack_from(">H", data, off)[0]
        if fmt in (4, 12):
            return _CharMap(data, off, fmt)
    raise FontFileError("no Unicode character map (format 4 or 12)")


class _CharMap:
    """A format 4 or 12 ``cmap`` subtable, looked up lazily (a CJK font maps
    tens of thousands of characters; a page uses a few hundred)."""

    def __init__(self, data: bytes, off: int, fmt: int) -> None:
        self.data = data
        self.fmt = fmt
        self.cache: dict[int, int] = {}
        if fmt == 4:
            seg_x2 = struct.unpack_from(">H", data, off + 6)[0]
            seg = seg_x2 // 2
            self.ends = struct.unpack_from(f">{seg}H", data, off + 14)
            self.starts = struct.unpack_from(f">{seg}H", data, off + 16 + seg_x2)
            self.deltas: tuple[int, ...] = struct.unpack_from(f">{seg}h", data, off + 16 + 2 * seg_x2)
            self.ro_at = off + 16 + 3 * seg_x2
            self.range_offsets: tuple[int, ...] = struct.unpack_from(f">{seg}H", data, self.ro_at)
        else:
            groups = struct.unpack_from(">I", data, off + 12)[0]
            flat = struct.unpack_from(f">{3 * groups}I", data, off + 16)
            self.starts, self.ends, self.deltas = flat[0::3], flat[1::3], flat[2::3]  # deltas: start glyphs

    def _lookup(self, c: int) -> int:
        i = bisect_left(self.ends, c)
        if i >= len(self.ends) or self.starts[i] > c:
            return 0
        if self.fmt == 12:
            return int(self.deltas[i] + c - self.starts[i])
        ro = self.range_offsets[i]
        if ro == 0:
            return (c + self.deltas[i]) & 0xFFFF
        g = struct.unpack_from(">H", self.data, self.ro_at + 2 * i + ro + 2 * (c - self.starts[i]))[0]
        return (g + self.deltas[i]) & 0xFFFF if g else 0

    def get(self, c: int, default: int = 0) -> int:
        g = self.cache.get(c)
        if g is None:
            try:
                g = self.cache[c] = self._lookup(c)
            except struct.error:  # a damaged table: treat as missing
                g = self.cache[c] = 0
        return g or default

    def __contains__(self, c: int) -> bool:
        return self.get(c) != 0

    def __iter__(self) -> Iterator[int]:
        for start, end in zip(self.starts, self.ends, strict=True):
            for c in range(start, min(end, 0x10FFFF) + 1):
                if c != 0xFFFF and self.get(c):
                    yield c


# ---------------------------------------------------------------- the bundled face

_lock = threading.Lock()


@lru_cache(maxsize=1)
def bundled_font() -> TrueTypeFont:
    """The bundled face. Raises :class:`FontFileError` when the file is missing or damaged."""
    return TrueTypeFont(cjk_font_path())


def font_has(ch: str) -> bool:
    return bundled_font().has(ch)


def _printable_char(ch: str) -> str | None:
    """What the bundled font draws for ``ch``: itself, a look-alike, or None."""
    font = bundled_font()
    if font.has(ch):
        return ch
    sub = SUBSTITUTES.get(ch)
    if sub is not None:
        return sub
    nfkc = unicodedata.normalize("NFKC", ch)
    if nfkc != ch and nfkc and all(font.has(c) for c in nfkc):
        return nfkc
    return None


def substitute(ch: str) -> str | None:
    """The look-alike drawn for a character the bundled font lacks (``""``: drawn
    as nothing, e.g. a zero-width space), or None when there is none."""
    return _printable_char(ch) if not bundled_font().has(ch) else ch


def uncovered(text: str) -> list[str]:
    """The distinct characters of ``text`` that neither the bundled font nor a
    look-alike can draw (control characters ignored)."""
    out: list[str] = []
    for ch in dict.fromkeys(text):
        if unicodedata.category(ch)[0] == "C" and ch not in SUBSTITUTES:
            continue
        if _printable_char(ch) is None:
            out.append(ch)
    return out


# ---------------------------------------------------------------- fallback fonts on this machine

# Files tried first, by name (any folder of :func:`font_dirs`): common CJK and
# symbol fonts with TrueType outlines. Any other .ttf/.ttc found is tried after them.
PREFERRED_FALLBACKS = (
    "simsun.ttc", "simsunb.ttf", "msyh.ttc", "simhei.ttf", "seguisym.ttf", "arialuni.ttf", "arial.ttf",
    "uming.ttc", "ukai.ttc", "wqy-zenhei.ttc", "wqy-microhei.ttc", "DroidSansFallbackFull.ttf",
    "DejaVuSans.ttf", "FreeSerif.ttf", "unifont.ttf",
)
MAX_FALLBACK_FILES = 400  # never read more font files than this looking for one character


def font_dirs() -> list[Path]:
    """Folders searched for fallback fonts on this machine."""
    out: list[Path] = []
    if sys.platform.startswith("win"):
        windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
        out.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            out.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    else:
        out += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local" / "share" / "fonts",
                Path.home() / ".fonts"]
        if sys.platform == "darwin":
            out += [Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    return out


class _Fallbacks:
    """Fallback faces, read lazily (only when a character is missing) and cached."""

    def __init__(self) -> None:
        self.faces: list[TrueTypeFont] = []
        self.files: Iterator[Path] | None = None
        self.by_char: dict[str, TrueTypeFont | None] = {}
        self.read = 0

    def _candidates(self) -> Iterator[Path]:
        found: dict[str, Path] = {}
        others: list[Path] = []
        for d in font_dirs():
            if not d.is_dir():
                continue
            try:
                for p in d.rglob("*"):
                    if p.suffix.lower() in (".ttf", ".ttc"):
                        if p.name in PREFERRED_FALLBACKS and p.name not in found:
                            found[p.name] = p
                        else:
                            others.append(p)
            except OSError:
                continue
        for name in PREFERRED_FALLBACKS:
            if name in found:
                yield found[name]
        yield from sorted(others)

    def _more(self) -> bool:
        if self.files is None:
            self.files = self._candidates()
        bundled = cjk_font_path().resolve()
        while self.read < MAX_FALLBACK_FILES:
            path = next(self.files, None)
            if path is None:
                return False
            self.read += 1
            try:
                if path.resolve() == bundled:
                    continue
                first = TrueTypeFont(path, 0)
            except FontFileError:
                continue
            faces = [first]
            if path.read_bytes()[:4] == b"ttcf":
                k = 1
                while k < 16:
                    try:
                        faces.append(TrueTypeFont(path, k))
                    except FontFileError:
                        break
                    k += 1
            added = False
            for f in faces:
                if f.outlines == "glyf":  # reportlab embeds TrueType outlines only
                    self.faces.append(f)
                    added = True
            if added:
                return True
        return False

    def face_for(self, ch: str) -> TrueTypeFont | None:
        if ch in self.by_char:
            return self.by_char[ch]
        hit: TrueTypeFont | None = next((f for f in self.faces if f.has(ch)), None)
        seen = len(self.faces)
        while hit is None and self._more():
            hit = next((f for f in self.faces[seen:] if f.has(ch)), None)
            seen = len(self.faces)
        self.by_char[ch] = hit
        return hit


_fallbacks = _Fallbacks()


def fallback_face(ch: str) -> TrueTypeFont | None:
    """A face on this machine that has ``ch`` (None when none has it)."""
    with _lock:
        return _fallbacks.face_for(ch)


def fallback_by_key(key: str) -> TrueTypeFont | None:
    """A fallback face already found, by its :attr:`TrueTypeFont.key`."""
    with _lock:
        return next((f for f in _fallbacks.faces if f.key == key), None)


def reset_fallbacks() -> None:
    """Forget the fallback faces found so far (tests change :func:`font_dirs`)."""
    global _fallbacks
    with _lock:
        _fallbacks = _Fallbacks()
