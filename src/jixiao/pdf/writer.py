"""Draw the page plan of :mod:`jixiao.pdf.plan` into a PDF with reportlab.

This is the one module that uses reportlab. The bundled TrueType font (and any
fallback face a page needs) is embedded as subsets, text is drawn literally
with text objects (nothing is parsed as markup), a run drawn with look-alike
glyphs carries the officer's text as ``/ActualText``, and the output is
deterministic (reportlab's ``invariant`` mode): the same document gives the
same bytes on every machine. Files are written atomically.
"""

from __future__ import annotations

import io
import os
import threading
from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jixiao.core.fileio import DocumentError, atomic_write
from jixiao.core.model import Document
from jixiao.fonts import TrueTypeFont, cjk_font_path
from jixiao.pdf.findings import REPORT_TITLE, plan_findings
from jixiao.pdf.geometry import BOLD_STROKE, Page, TextRun
from jixiao.pdf.plan import FONT_NAME, fallback_faces, plan_document, unprintable

MM = 72.0 / 25.4  # points per millimetre

_lock = threading.Lock()
_registered: dict[str, str] = {}  # font key ("" for the bundled font) -> reportlab name


def ensure_font() -> str:
    """Register the bundled TrueType font with reportlab (once) and return its name.

    Raises :class:`jixiao.core.fileio.DocumentError` when the font is missing or unreadable.
    """
    name = _registered.get("")
    if name is not None:
        return name
    with _lock:
        if "" in _registered:
            return _registered[""]
        from reportlab.pdfbase import pdfmetrics

        path = cjk_font_path()
        try:
            pdfmetrics.registerFont(quick_ttfont(FONT_NAME, path))
        except Exception as exc:  # reportlab raises TTFError, OSError, struct errors …
            raise DocumentError(f"无法加载内置中文字体 {path.name}：{exc}。请重新安装本程序") from exc
        _registered[""] = FONT_NAME
    return FONT_NAME


def quick_ttfont(name: str, path: Path) -> Any:
    """A reportlab ``TTFont`` of ``path`` that reads the character map, widths and
    glyph offsets lazily: reportlab's own ``TTFont`` walks the whole ``cmap`` and
    ``hmtx`` of the 27 000-glyph bundled font in Python (0.13–0.25 s per process)
    to draw the few hundred characters a document uses. The lazy face answers
    every question exactly as reportlab's parse would (tests/pdf/test_writer.py
    compares them over the whole font and the PDF bytes); a font it cannot read
    lazily (a ``cmap`` other than format 4 or 12) gets reportlab's own parse."""
    from reportlab import Version as reportlab_version
    from reportlab.pdfbase.ttfonts import TTFont

    if reportlab_version.split(".")[0] not in ("4", "5"):  # the attributes set below are those of 4.x/5.x
        return TTFont(name, str(path))
    try:
        face = _lazy_face_class()(str(path))
    except _NotLazy:
        return TTFont(name, str(path))
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding

    font = TTFont.__new__(TTFont)  # TTFont.__init__ without its eager face (reportlab 4.x/5.x attributes)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = False  # (jixiao never shapes: runs are drawn glyph by glyph)
    return font


class _NotLazy(Exception):
    """The font's tables are not of a kind the lazy face reads."""


_LAZY_FACE: list[type] = []


def _lazy_face_class() -> type:
    """The lazy ``TTFontFace`` subclass (defined on first use: reportlab is imported lazily)."""
    if _LAZY_FACE:
        return _LAZY_FACE[0]
    import struct

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFontFace, TTFontFile

    class LazyFace(TTFontFace):  # type: ignore[misc]
        def __init__(self, filename: str) -> None:
            pdfmetrics.TypeFace.__init__(self, None)
            TTFontFile.__init__(self, filename, charInfo=0, validate=0)  # names, metrics, flags: no char info
            if self._full_font:
                raise _NotLazy("embedded whole")
            head, hhea = self.get_table("head"), self.get_table("hhea")
            loca_format, glyph_format = struct.unpack_from(">hh", head, 50)
            n_hm = struct.unpack_from(">H", hhea, 34)[0]
            n_glyphs = self.numGlyphs
            if glyph_format != 0 or loca_format not in (0, 1) or not 0 < n_hm <= n_glyphs:
                raise _NotLazy("tables")
            scale = self._pdfScale
            hmtx = self.get_table("hmtx")
            pairs = struct.unpack_from(f">{2 * n_hm}H", hmtx, 0)
            lsbs = struct.unpack_from(f">{n_glyphs - n_hm}H", hmtx, 4 * n_hm)
            last = scale(pairs[-2])
            # as reportlab builds it: full pairs raw; the trailing glyphs with the last advance *scaled*
            self.hmetrics = list(zip(pairs[0::2], pairs[1::2], strict=True)) + [(last, lsb) for lsb in lsbs]
            loca = self.get_table("loca")
            if loca_format == 0:
                self.glyphPos = [v << 1 for v in struct.unpack_from(f">{n_glyphs + 1}H", loca, 0)]
            else:
                self.glyphPos = list(struct.unpack_from(f">{n_glyphs + 1}I", loca, 0))
            self.defaultWidth = scale(pairs[0])
            self.charToGlyph = _LazyCmap(self._ttf_data, self.get_table_pos("cmap")[0])
            self.charWidths = _LazyWidths(self.charToGlyph, pairs[0::2], n_glyphs, scale)

    _LAZY_FACE.append(LazyFace)
    return LazyFace


class _LazyLookup:
    """A read-only mapping from a character code, answered by ``get`` (None: absent)."""

    def get(self, c: int, default: Any = None) -> Any:
        raise NotImplementedError

    def __contains__(self, c: object) -> bool:
        return isinstance(c, int) and self.get(c) is not None

    def __getitem__(self, c: int) -> Any:
        v = self.get(c)
        if v is None:
            raise KeyError(c)
        return v


class _LazyCmap(_LazyLookup):
    """reportlab's ``charToGlyph`` of a format 4 or 12 subtable, looked up per character.

    The subtable is the one reportlab picks (the last Windows one, …) and every
    code in a segment is mapped, to glyph 0 included, as reportlab maps it; U+00A0
    and U+0020 share a glyph as in reportlab."""

    def __init__(self, data: bytes, at: int) -> None:
        import struct

        self._data = data
        version, count = struct.unpack_from(">HH", data, at)
        if count == 0 and version != 0:
            count = version
        off, enc = None, 0
        for i in range(count):
            platform, encoding, o = struct.unpack_from(">HHI", data, at + 4 + 8 * i)
            if platform == 3:
                enc, off = 1, o
            elif platform == 1 and encoding == 0 and enc != 1:
                enc, off = 2, o
            elif platform == 1 and encoding == 1:
                enc, off = 1, o
            elif platform == 0 and encoding != 5:
                enc, off = 1, o
        if off is None:
            raise _NotLazy("no cmap")
        off += at
        self.fmt = struct.unpack_from(">H", data, off)[0]
        self._cache: dict[int, int | None] = {}
        if self.fmt == 4:
            length = struct.unpack_from(">H", data, off + 2)[0]
            self._limit = off + length
            seg = struct.unpack_from(">H", data, off + 6)[0] // 2
            p = off + 14
            self._ends = struct.unpack_from(f">{seg}H", data, p)
            self._starts = struct.unpack_from(f">{seg}H", data, p + 2 * seg + 2)
            self._deltas = struct.unpack_from(f">{seg}h", data, p + 4 * seg + 2)
            self._ro_at = p + 6 * seg + 2
            self._ros = struct.unpack_from(f">{seg}H", data, self._ro_at)
        elif self.fmt == 12:
            groups = struct.unpack_from(">I", data, off + 12)[0]
            flat = struct.unpack_from(f">{3 * groups}I", data, off + 16)
            self._starts, self._ends, self._deltas = flat[0::3], flat[1::3], flat[2::3]
        else:
            raise _NotLazy(f"cmap format {self.fmt}")
        if any(self._starts[k] > self._ends[k] or (k and self._starts[k] <= self._ends[k - 1])
               for k in range(len(self._ends))):
            raise _NotLazy("unsorted cmap segments")  # (reportlab's last-wins walk would be needed)
        self._space = self._find(0x20)
        self._nbsp = self._find(0xA0)

    def _find(self, c: int) -> int | None:
        """The glyph reportlab maps ``c`` to (None: not mapped)."""
        import struct

        hit = bisect_left(self._ends, c)
        if hit >= len(self._ends) or self._starts[hit] > c:
            return None
        if self.fmt == 12:
            return int(c + self._deltas[hit] - self._starts[hit])
        ro = self._ros[hit]
        if ro == 0:
            return int(c + self._deltas[hit]) & 0xFFFF
        at = self._ro_at + 2 * hit + (c - self._starts[hit]) * 2 + ro
        if at >= self._limit:
            return 0
        g = struct.unpack_from(">H", self._data, at)[0]
        return (g + self._deltas[hit]) & 0xFFFF if g else 0

    def get(self, c: int, default: int | None = None) -> int | None:
        try:
            g = self._cache[c]
        except KeyError:
            if c == 0xA0 and self._space is not None:
                g = self._space
            elif c == 0x20 and self._space is None:
                g = self._nbsp
            else:
                g = self._find(c)
            self._cache[c] = g
        return default if g is None else g

    def keys(self) -> list[int]:
        out = {c for start, end in zip(self._starts, self._ends, strict=True) for c in range(start, end + 1)}
        if 0x20 in out or 0xA0 in out:
            out |= {0x20, 0xA0}
        return sorted(out)

    def __iter__(self) -> Iterable[int]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.keys())


class _LazyWidths(_LazyLookup):
    """reportlab's ``charWidths`` (scaled advances of the mapped characters), looked up per character."""

    def __init__(self, cmap: _LazyCmap, advances: tuple[int, ...], n_glyphs: int, scale: Any) -> None:
        self._cmap, self._adv, self._n, self._scale = cmap, advances, n_glyphs, scale

    def get(self, c: int, default: float | None = None) -> float | None:
        g = self._cmap.get(c)
        if g is None or g >= self._n:
            return default
        w: float = self._scale(self._adv[min(g, len(self._adv) - 1)])  # (an int where unitsPerEm is 1000)
        return w


def _fallback_name(face: TrueTypeFont) -> str | None:
    """Register a fallback face with reportlab; None when reportlab cannot embed it."""
    name = _registered.get(face.key)
    if name is not None:
        return name or None
    with _lock:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        name = f"JixiaoFallback{len(_registered)}"
        try:
            pdfmetrics.registerFont(TTFont(name, str(face.path), subfontIndex=face.index))
        except Exception:  # noqa: BLE001  (a font reportlab cannot embed: draw the placeholder instead)
            name = ""
        _registered[face.key] = name
    return name or None


def _utf16_hex(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def render_pages(pages: Iterable[Page], *, title: str = "", subject: str = "") -> bytes:
    """The PDF bytes of ``pages``."""
    from reportlab import rl_config
    from reportlab.pdfgen import canvas

    rl_config.useA85 = 0  # compressed page streams stay binary: smaller, and no slow ASCII85 pass
    ensure_font()
    pages = list(pages)
    if not pages:
        raise DocumentError("没有可导出的表：所选范围内没有任何表")
    names = {key: _fallback_name(face) for key, face in fallback_faces(pages).items()}
    buf = io.BytesIO()
    first = pages[0]
    c = canvas.Canvas(buf, pagesize=(first.width * MM, first.height * MM), invariant=1, pageCompression=1,
                      initialFontName=FONT_NAME, initialFontSize=9)
    c.setTitle(title)
    c.setAuthor("jixiao 绩效自评表填报工具")
    c.setCreator("jixiao")
    c.setSubject(subject)
    memo: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for page in pages:
        _draw_page(c, page, names, memo)
        c.showPage()
    c.save()
    return buf.getvalue()


def _draw_page(c: Any, page: Page, names: dict[str, str | None],
               memo: dict[tuple[str, str], list[tuple[str, str]]]) -> None:
    """Draw ``page``; ``memo`` keeps, for the whole document, each ordinary run's
    subset fonts and escaped bytes (labels and headers recur on every form)."""
    h = page.height
    c.setPageSize((page.width * MM, page.height * MM))
    c.setStrokeColorRGB(0, 0, 0)
    c.setFillColorRGB(0, 0, 0)
    c.setLineCap(2)  # square caps close the corners of the boxes
    by_width: dict[float, list[str]] = {}
    xs: dict[float, str] = {}  # a rule's ends share their x and y with many others: each formatted once
    ys: dict[float, str] = {}
    for r in page.rules:  # one path per line width, written directly (reportlab formats numbers slowly)
        x1 = xs.get(r.x1) or xs.setdefault(r.x1, f"{r.x1 * MM:.2f}")
        x2 = xs.get(r.x2) or xs.setdefault(r.x2, f"{r.x2 * MM:.2f}")
        y1 = ys.get(r.y1) or ys.setdefault(r.y1, f"{(h - r.y1) * MM:.2f}")
        y2 = ys.get(r.y2) or ys.setdefault(r.y2, f"{(h - r.y2) * MM:.2f}")
        by_width.setdefault(r.width, []).append(f"{x1} {y1} m {x2} {y2} l")
    for width in sorted(by_width):
        c.setLineWidth(width)
        c._code.append("\n".join(by_width[width]) + " S")
    from reportlab.lib.rl_accel import fp_str
    from reportlab.pdfbase.pdfmetrics import getFont

    doc, escape = c._doc, c._escape
    plain: list[str] = []  # the page's ordinary runs, written as one text object (reportlab's is slow)
    current: tuple[str, float] | None = None
    txs: dict[float, str] = {}  # runs share their x (a column) and baseline (a row): each formatted once
    tys: dict[float, str] = {}
    for t in page.texts:
        if not t.text:
            continue
        name = FONT_NAME
        text = t.text
        if t.font:
            fb = names.get(t.font)
            if fb is None:  # no face reportlab can embed: the placeholder, the text kept below
                from jixiao.fonts import PLACEHOLDER

                text = PLACEHOLDER * len(t.text)
                t = TextRun(t.x, t.y, text, t.size, t.bold, None, t.actual or t.text)
            else:
                name = fb
        parts = memo.get((name, text))
        if parts is None:  # (splitting again would give the same subsets: the characters are assigned)
            font = getFont(name)
            parts = memo[(name, text)] = [(font.getSubsetInternalName(subset, doc), escape(chunk))
                                          for subset, chunk in font.splitString(text, doc)]
        if t.actual is None and not t.bold:
            if not plain:
                plain.append("BT")
                current = None
            tx = txs.get(t.x) or txs.setdefault(t.x, f"{t.x * MM:.3f}")
            ty = tys.get(t.y) or tys.setdefault(t.y, f"{(h - t.y) * MM:.3f}")
            plain.append(f"1 0 0 1 {tx} {ty} Tm")
            for subset_font, chunk in parts:
                if (subset_font, t.size) != current:
                    plain.append(f"{subset_font} {t.size:.3f} Tf")
                    current = (subset_font, t.size)
                plain.append(f"({chunk}) Tj")
            continue
        if plain:
            c._code.append("\n".join(plain) + "\nET")
            plain = []
        if t.actual is not None:
            c._code.append(f"/Span <</ActualText {_utf16_hex(t.actual)}>> BDC")
        # a text object of its own, written as reportlab's beginText / setFont / textOut / drawText
        # write it (the same bytes; its own path formats and measures every run again)
        if t.bold:
            c.setLineWidth(t.size * BOLD_STROKE)
        code = ["BT", f"1 0 0 1 {fp_str(t.x * MM, (h - t.y) * MM)} Tm"]
        if t.bold:
            code.append("2 Tr")  # fill, then stroke the outlines: the fake bold
        tf = f"{fp_str(t.size)} Tf {fp_str(t.size * 1.2)} TL"
        subset_now = None
        for subset_font, chunk in parts:
            if subset_font != subset_now:
                code.append(f"{subset_font} {tf}")
                subset_now = subset_font
            code.append(f"({chunk}) Tj")
        if t.bold:
            code.append("0 Tr")
        code.append("ET")
        c._code.append(" ".join(code))
        if t.actual is not None:
            c._code.append("EMC")
    if plain:
        c._code.append("\n".join(plain) + "\nET")


def _write(path: str | os.PathLike[str], payload: bytes) -> None:
    p = Path(path)
    if p.exists() and p.is_dir():
        raise DocumentError(f"无法导出 PDF：“{p}”是一个文件夹")
    atomic_write(p, payload, backup=False, action="导出")


def write_pdf(doc: Document, path: str | os.PathLike[str], form_ids: list[str] | None = None, *,
              fit: bool = True) -> list[str]:
    """Every form of ``doc`` (or the chosen ones; ``"summary"`` is the 汇总表) as one
    print-ready A4 PDF. ``fit``: 缩放到一页 (default) or, False, 实际大小.

    Returns the characters of the officer's text that no available font could
    draw (printed as ``□``; the PDF's text keeps them), so the caller can say so."""
    pages = plan_document(doc, form_ids, fit=fit)
    if not pages:
        raise DocumentError("没有可导出的表：所选范围内没有任何表")
    title = f"{doc.unit} {doc.year}年度 预算绩效自评表" if doc.unit else f"{doc.year}年度 预算绩效自评表"
    _write(path, render_pages(pages, title=title, subject="预算绩效自评表"))
    return unprintable(pages)


def write_findings_pdf(doc: Document, path: str | os.PathLike[str]) -> list[str]:
    """The 校验报告: the findings of the live checks, grouped by form."""
    pages = plan_findings(doc)
    title = f"{doc.unit} {doc.year}年度 {REPORT_TITLE}" if doc.unit else REPORT_TITLE
    _write(path, render_pages(pages, title=title, subject=REPORT_TITLE))
    return unprintable(pages)
