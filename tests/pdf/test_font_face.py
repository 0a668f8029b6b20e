"""The bundled font's lazy reportlab face (jixiao.pdf.writer.quick_ttfont) answers as reportlab's own parse."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from jixiao.fonts import cjk_font_path
from jixiao.pdf.writer import quick_ttfont


@pytest.fixture(scope="module")
def faces():
    path = cjk_font_path()
    return quick_ttfont("LazySong", path), TTFont("StockSong", str(path))


def test_lazy_face_is_lazy_and_maps_every_character_as_reportlab(faces):
    lazy, stock = faces
    a, b = lazy.face, stock.face
    assert type(a).__name__ == "LazyFace"  # (a font it cannot read lazily would fall back to reportlab's parse)
    assert a.charToGlyph.keys() == sorted(b.charToGlyph)
    assert all(a.charToGlyph[c] == g for c, g in b.charToGlyph.items())
    assert all(a.charWidths.get(c) == w for c, w in b.charWidths.items())
    assert {c for c in b.charToGlyph if a.charWidths.get(c) is not None} == set(b.charWidths)
    for c in (0x10FFFF, 0xE01EF, 0x1F600, 0x0378):  # not in the font
        assert (c in a.charToGlyph, a.charWidths.get(c, -1.0)) == (c in b.charToGlyph, b.charWidths.get(c, -1.0))
    assert a.hmetrics == b.hmetrics and a.glyphPos == b.glyphPos and a.defaultWidth == b.defaultWidth
    for attr in ("name", "flags", "ascent", "descent", "capHeight", "bbox", "italicAngle", "stemV", "numGlyphs",
                 "_full_font", "unitsPerEm"):
        assert getattr(a, attr) == getattr(b, attr), attr
    assert vars(lazy).keys() == vars(stock).keys()  # TTFont's own attributes, as its __init__ sets them


def test_lazy_face_writes_the_same_pdf_bytes(faces):
    text = "绩效自评表 R&D投入 112,345.67 ≥≤％ （续） 　\u00a0 第 1 页 共 3 页 "
    text += "".join(map(chr, range(0x4E00, 0x5200)))  # more than one 256-glyph subset

    def pdf(font) -> bytes:
        from reportlab.pdfbase import pdfmetrics

        pdfmetrics.registerFont(font)
        buf = io.BytesIO()
        c = canvas.Canvas(buf, invariant=1)
        for k in range(0, len(text), 40):
            c.setFont(font.fontName, 9)
            c.drawString(20, 800 - k / 2, text[k:k + 40])
        c.showPage()
        c.save()
        return buf.getvalue().replace(font.fontName.encode(), b"NAME")

    lazy, stock = faces
    assert pdf(lazy) == pdf(stock)
