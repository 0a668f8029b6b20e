"""WordprocessingML for the report's body, written as text and parsed once.

python-docx writes the package, the styles, the sections and the footer;
the body's paragraphs and tables are written here as XML text (escaped) and
parsed in one go by python-docx's own parser (:func:`elements`), because
python-docx's object layer (a style lookup by name and an XPath search per
property) is ten times slower and a 30-project report must be written well
under a second. The elements are those python-docx itself writes: it reads
them back like any other paragraph or table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from docx.oxml.parser import parse_xml
from lxml import etree

from jixiao.word.text import xml_safe

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TWIPS_PER_MM = 1440 / 25.4


def twips(mm: float) -> str:
    return str(round(mm * TWIPS_PER_MM))


@dataclass(frozen=True, slots=True)
class R:
    """A run: text (line breaks and tabs kept), bold, highlighted (a placeholder)."""

    text: str
    bold: bool = False
    highlight: bool = False


def _run(r: R) -> str:
    text = xml_safe(r.text)
    if not text:
        return ""
    out = ["<w:r>"]
    if r.bold or r.highlight:
        out.append("<w:rPr>")
        if r.bold:
            out.append("<w:b/><w:bCs/>")
        if r.highlight:
            out.append('<w:highlight w:val="yellow"/>')
        out.append("</w:rPr>")
    for n, line in enumerate(text.split("\n")):
        if n:
            out.append("<w:br/>")
        for k, piece in enumerate(line.split("\t")):
            if k:
                out.append("<w:tab/>")
            if piece:
                out.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    out.append("</w:r>")
    return "".join(out)


def paragraph(style_id: str, runs: Iterable[R], *, align: str | None = None, page_break_before: bool = False,
              tabs: Sequence[tuple[str, float]] = ()) -> str:
    """A ``w:p`` in style ``style_id``; ``align`` overrides the style's (left | center | right | both);
    ``tabs`` are (alignment, position in mm) stops."""
    out = [f"<w:p><w:pPr><w:pStyle w:val={quoteattr(style_id)}/>"]
    if page_break_before:
        out.append("<w:pageBreakBefore/>")
    if tabs:
        out.append("<w:tabs>")
        out.extend(f'<w:tab w:val="{kind}" w:pos="{twips(pos)}"/>' for kind, pos in tabs)
        out.append("</w:tabs>")
    if align:
        out.append(f'<w:jc w:val="{align}"/>')
    out.append("</w:pPr>")
    out.extend(_run(r) for r in runs)
    out.append("</w:p>")
    return "".join(out)


@dataclass(slots=True)
class C:
    """A table cell: its paragraph (runs, alignment), how many grid columns it
    spans and its part in a vertical merge (``restart`` | ``continue``)."""

    runs: Sequence[R] = ()
    align: str = "center"
    span: int = 1
    vmerge: str | None = None


_JC = {"left": "left", "right": "right"}


def table(widths_mm: Sequence[float], rows: Sequence[Sequence[C]], text_style: str, *, header_rows: int = 0,
          table_style: str = "TableGrid") -> str:
    """A ruled ``w:tbl`` with fixed column widths, centred on the page; its
    paragraphs in ``text_style``; the first ``header_rows`` repeat on each page."""
    out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{table_style}"/><w:tblW w:w="{twips(sum(widths_mm))}" w:type="dxa"/>'
           '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
           '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" '
           'w:noVBand="1"/></w:tblPr><w:tblGrid>']
    out.extend(f'<w:gridCol w:w="{twips(mm)}"/>' for mm in widths_mm)
    out.append("</w:tblGrid>")
    for i, row in enumerate(rows):
        out.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>" if i < header_rows else "<w:tr>")
        col = 0
        for c in row:
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{twips(sum(widths_mm[col:col + c.span]))}" w:type="dxa"/>')
            if c.span > 1:
                out.append(f'<w:gridSpan w:val="{c.span}"/>')
            if c.vmerge == "restart":
                out.append('<w:vMerge w:val="restart"/>')
            elif c.vmerge == "continue":
                out.append("<w:vMerge/>")
            out.append('<w:vAlign w:val="center"/></w:tcPr>')
            runs = c.runs if c.vmerge != "continue" else ()
            out.append(paragraph(text_style, runs, align=_JC.get(c.align, "center")))
            out.append("</w:tc>")
            col += c.span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def elements(fragments: Sequence[str]) -> list[etree._Element]:
    """Parse body fragments (paragraphs, tables) at once, with python-docx's parser."""
    if not fragments:
        return []
    wrapper = parse_xml(f'<w:body xmlns:w="{W}">{"".join(fragments)}</w:body>')
    return list(wrapper)
