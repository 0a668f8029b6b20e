"""The page and the styles of a report in Word, after GB/T 9704-2012
(党政机关公文格式): A4 portrait; margins top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm; title 方正小标宋简体 二号 (宋体 where it is not installed);
first-level headings 黑体 三号, second-level 楷体 三号, body and third-level
仿宋 三号 with a fixed line spacing of 28 pt; the page number “— 1 —” in 宋体
四号 in the footer.

Fonts are named by their Chinese names, for the East Asian text too
(``w:eastAsia``), so Word and WPS on a Chinese system find them; the font
table lists each with its substitute (``w:altName``) and the GB2312 character
set, which is how a missing font falls back (方正小标宋简体 → 宋体, 仿宋 →
仿宋_GB2312). No font is embedded.
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt
from lxml import etree

# Chinese point sizes (字号)
ERHAO, SANHAO, SIHAO, XIAOSI, WUHAO = 22.0, 16.0, 14.0, 12.0, 10.5

FONT_TITLE = "方正小标宋简体"
FONT_HEI = "黑体"
FONT_KAI = "楷体"
FONT_FANGSONG = "仿宋"
FONT_SONG = "宋体"
# font → (substitute when it is missing, family class for the font table)
FONT_TABLE = {
    FONT_TITLE: (FONT_SONG, "roman"),
    FONT_HEI: ("SimHei", "modern"),
    FONT_KAI: ("楷体_GB2312", "modern"),
    FONT_FANGSONG: ("仿宋_GB2312", "modern"),
    FONT_SONG: ("SimSun", "auto"),
}

LINE = 28.0  # pt, fixed line spacing of the body
PORTRAIT_MARGINS = (37.0, 35.0, 28.0, 26.0)  # top, bottom, left, right (mm)
LANDSCAPE_MARGINS = (20.0, 20.0, 20.0, 20.0)  # the 附表 pages
FOOTER_DISTANCE = 23.0  # mm from the paper's bottom edge: the number sits 7 mm below the text block

# paragraph style name → (font, size, bold, alignment, first-line indent in characters, exact line spacing or None)
STYLES = {
    "报告标题": (FONT_TITLE, ERHAO, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 36.0),
    "报告副标题": (FONT_KAI, SANHAO, False, WD_ALIGN_PARAGRAPH.CENTER, 0, LINE),
    "报告信息": (FONT_FANGSONG, SANHAO, False, WD_ALIGN_PARAGRAPH.LEFT, 0, LINE),
    "报告正文": (FONT_FANGSONG, SANHAO, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, LINE),
    "表题": (FONT_HEI, SIHAO, False, WD_ALIGN_PARAGRAPH.CENTER, 0, LINE),
    "表注": (FONT_FANGSONG, XIAOSI, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, None),
    "表格文字": (FONT_FANGSONG, WUHAO, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "附表标注": (FONT_HEI, SANHAO, False, WD_ALIGN_PARAGRAPH.LEFT, 0, LINE),
    "附表标题": (FONT_TITLE, 18.0, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "附表文字": (FONT_SONG, 9.0, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),  # 小五, as the forms print
    "页码": (FONT_SONG, SIHAO, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
}
# heading level → (built-in style, font)
HEADINGS = {1: ("Heading 1", FONT_HEI), 2: ("Heading 2", FONT_KAI), 3: ("Heading 3", FONT_FANGSONG),
            4: ("Heading 4", FONT_FANGSONG)}


def set_fonts(element, name: str) -> None:  # noqa: ANN001 - a python-docx oxml element with an rPr
    """Name ``name`` for every script of a style or run (no theme fonts), Chinese as the East Asian language."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _indent_chars(pf, style_element, chars: int, size: float) -> None:  # noqa: ANN001
    pf.first_line_indent = Pt(chars * size) if chars else Pt(0)
    ppr = style_element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is not None:
        if chars:
            ind.set(qn("w:firstLineChars"), str(chars * 100))
        else:
            ind.attrib.pop(qn("w:firstLineChars"), None)


def setup_styles(document) -> None:  # noqa: ANN001 - a docx.Document
    styles = document.styles
    # document defaults: 仿宋, Chinese, no theme fonts, no spacing after paragraphs
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT_FANGSONG)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    normal = styles["Normal"]
    set_fonts(normal.element, FONT_FANGSONG)
    normal.font.size = Pt(SANHAO)
    for name, (font, size, bold, align, indent, line) in STYLES.items():
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        _paragraph_style(st, font, size, bold, align, indent, line)
    for name, font in HEADINGS.values():
        st = styles[name]
        _paragraph_style(st, font, SANHAO, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, LINE)
        st.font.italic = False
        rpr = st.element.get_or_add_rPr()
        for color in rpr.findall(qn("w:color")):
            rpr.remove(color)
        st.paragraph_format.keep_with_next = True
    _font_table(document)


def style_ids(document) -> dict[str, str]:  # noqa: ANN001
    """Our paragraph styles (and the headings) by name → their style ids."""
    names = list(STYLES) + [name for name, _font in HEADINGS.values()]
    return {name: document.styles[name].style_id for name in names}


def _paragraph_style(st, font: str, size: float, bold: bool, align, indent: int, line: float | None) -> None:  # noqa: ANN001
    set_fonts(st.element, font)
    st.font.size = Pt(size)
    st.font.bold = bold
    pf = st.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if line is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing = Pt(line)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    _indent_chars(pf, st.element, indent, size)


def _font_table(document) -> None:  # noqa: ANN001
    """List our fonts in word/fontTable.xml with their substitutes and the GB2312 character set."""
    part = next(r.target_part for r in document.part.rels.values() if r.reltype == RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    w = root.nsmap.get("w", "http://schemas.openxmlformats.org/wordprocessingml/2006/main")
    have = {f.get(f"{{{w}}}name") for f in root}
    for name, (alt, family) in FONT_TABLE.items():
        if name in have:
            continue
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alt})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": family})
        etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": "variable"})
    # python-docx keeps parts it does not model (the font table) as bytes
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def page_setup(section: Section, landscape: bool = False) -> None:
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        top, bottom, left, right = LANDSCAPE_MARGINS
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        top, bottom, left, right = PORTRAIT_MARGINS
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(FOOTER_DISTANCE if not landscape else 10.0)


def text_width_mm(landscape: bool) -> float:
    if landscape:
        return 297.0 - LANDSCAPE_MARGINS[2] - LANDSCAPE_MARGINS[3]
    return 210.0 - PORTRAIT_MARGINS[2] - PORTRAIT_MARGINS[3]


def page_number_footer(document, section: Section) -> None:  # noqa: ANN001 - a docx.Document
    """“— N —” in the footer, N a PAGE field (Word and WPS update it)."""
    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.style = document.styles["页码"]
    p.add_run("— ")
    run = p.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            run._r.append(fc)
        elif text == " PAGE ":
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = text
            run._r.append(it)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    p.add_run(" —")
