"""WordprocessingML elements built directly with lxml.

python-docx writes the package, the styles, the sections and the footer;
the body's paragraphs and tables are built here as plain elements, because
python-docx's object layer (a style lookup by name and an XPath search per
property) is about ten times slower, and a 30-project report must be written
in well under a second. The elements are what python-docx itself would write:
it reads them back like any other paragraph or table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lxml import etree

from jixiao.word.text import xml_safe

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TWIPS_PER_MM = 1440 / 25.4


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, w(tag), {w(k): v for k, v in attrs.items()})


def twips(mm: float) -> str:
    return str(round(mm * TWIPS_PER_MM))


@dataclass(frozen=True, slots=True)
class R:
    """A run: text (line breaks and tabs kept), bold, highlighted (a placeholder)."""

    text: str
    bold: bool = False
    highlight: bool = False


def _run(parent: etree._Element, r: R) -> None:
    text = xml_safe(r.text)
    if not text:
        return
    el = _sub(parent, "r")
    if r.bold or r.highlight:
        rpr = _sub(el, "rPr")
        if r.bold:
            _sub(rpr, "b")
            _sub(rpr, "bCs")
        if r.highlight:
            _sub(rpr, "highlight", val="yellow")
    for n, line in enumerate(text.split("\n")):
        if n:
            _sub(el, "br")
        for k, piece in enumerate(line.split("\t")):
            if k:
                _sub(el, "tab")
            if piece:
                t = _sub(el, "t")
                t.text = piece
                if piece != piece.strip(" "):
                    t.set(XML_SPACE, "preserve")


def paragraph(style_id: str, runs: Iterable[R], *, align: str | None = None, page_break_before: bool = False,
              tabs: Sequence[tuple[str, float]] = ()) -> etree._Element:
    """A ``w:p`` in style ``style_id``; ``align`` overrides the style's (left | center | right | both);
    ``tabs`` are (alignment, position in mm) stops."""
    p = etree.Element(w("p"))
    ppr = _sub(p, "pPr")
    _sub(ppr, "pStyle", val=style_id)
    if page_break_before:
        _sub(ppr, "pageBreakBefore")
    if tabs:
        t = _sub(ppr, "tabs")
        for kind, pos in tabs:
            _sub(t, "tab", val=kind, pos=twips(pos))
    if align:
        _sub(ppr, "jc", val=align)
    for r in runs:
        _run(p, r)
    return p


@dataclass(slots=True)
class C:
    """A table cell: its paragraph (style, runs, alignment), how many grid
    columns it spans and its part in a vertical merge (``restart`` | ``continue``)."""

    runs: Sequence[R] = ()
    align: str = "center"
    span: int = 1
    vmerge: str | None = None


def table(widths_mm: Sequence[float], rows: Sequence[Sequence[C]], text_style: str, *, header_rows: int = 0,
          table_style: str = "TableGrid") -> etree._Element:
    """A ruled ``w:tbl`` with fixed column widths, centred on the page; its
    paragraphs in ``text_style``; the first ``header_rows`` repeat on each page."""
    tbl = etree.Element(w("tbl"))
    pr = _sub(tbl, "tblPr")
    _sub(pr, "tblStyle", val=table_style)
    _sub(pr, "tblW", w=twips(sum(widths_mm)), type="dxa")
    _sub(pr, "jc", val="center")
    _sub(pr, "tblLayout", type="fixed")
    _sub(pr, "tblLook", val="04A0", firstRow="1", lastRow="0", firstColumn="1", lastColumn="0", noHBand="0",
         noVBand="1")
    grid = _sub(tbl, "tblGrid")
    for mm in widths_mm:
        _sub(grid, "gridCol", w=twips(mm))
    for i, row in enumerate(rows):
        tr = _sub(tbl, "tr")
        if i < header_rows:
            trpr = _sub(tr, "trPr")
            _sub(trpr, "tblHeader")
        col = 0
        for c in row:
            tc = _sub(tr, "tc")
            tcpr = _sub(tc, "tcPr")
            width = sum(widths_mm[col:col + c.span])
            _sub(tcpr, "tcW", w=twips(width), type="dxa")
            if c.span > 1:
                _sub(tcpr, "gridSpan", val=str(c.span))
            if c.vmerge == "restart":
                _sub(tcpr, "vMerge", val="restart")
            elif c.vmerge == "continue":
                _sub(tcpr, "vMerge")
            _sub(tcpr, "vAlign", val="center")
            tc.append(paragraph(text_style, c.runs if c.vmerge != "continue" else (),
                                align={"left": "left", "right": "right"}.get(c.align, "center")))
            col += c.span
    return tbl
