"""The 自评报告 in Word: python-docx reads each report back with the report's
text and tables and the engine's figures, on a GB/T 9704 page with the fonts
named in Chinese, hostile text literal, and LibreOffice renders it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from jixiao.core.fileio import DocumentError
from jixiao.core.model import new_document
from jixiao.core.selfreport import Appendix, Heading, PageBreak, Paragraph, Table, build_report
from jixiao.core.templates import available_templates
from jixiao.word.grid import OUTSIDE
from jixiao.word.text import xml_safe
from jixiao.word.writer import report_docx, write_docx

from ..core.selfreport_support import (
    EXAMPLES,
    HOSTILE_GOAL,
    HOSTILE_NAME,
    HOSTILE_UNIT,
    KINDS,
    LONG_REASON,
    SANMENXIA,
    URUMQI,
    engine_figures,
    example,
    hostile_document,
    officer_texts,
)

FIGURE_RE = re.compile(r"-?\d[\d,]*\.\d+%?|-?\d+%")


def body_items(d: docx.document.Document) -> list[tuple[str, object]]:
    """The body in order: ("p", text) for each non-empty paragraph, ("t", table)."""
    out: list[tuple[str, object]] = []
    for el in d.element.body.iterchildren():
        if el.tag == qn("w:p"):
            text = DocxParagraph(el, d).text
            if text:
                out.append(("p", text))
        elif el.tag == qn("w:tbl"):
            out.append(("t", DocxTable(el, d)))
    return out


def expected_items(report) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for b in report.blocks:
        if isinstance(b, (Paragraph, Heading)):
            if b.text:
                out.append(("p", xml_safe(b.text)))
        elif isinstance(b, Table):
            if b.caption:
                out.append(("p", b.caption))
            if b.note:
                out.append(("p", b.note))
            out.append(("t", [b.columns] + [[xml_safe(c.text) for c in row] for row in b.rows]))
        elif isinstance(b, Appendix):
            out.append(("p", b.label))
            out.append(("grid", b.grid))
        else:
            assert isinstance(b, PageBreak)
    return out


def check_grid(items, i: int, grid) -> int:
    """Compare the appendix's paragraphs and table with ``grid``; return the next item's index."""
    kinds = list(grid.row_kinds)
    ruled = [r for r in range(grid.n_rows) if kinds[r] not in OUTSIDE]
    first, last = ruled[0], ruled[-1]
    outside_before = [r for r in range(first) if any(c.row == r and c.text for c in grid.cells)]
    for r in outside_before:
        texts = [c.text for c in sorted((c for c in grid.cells if c.row == r and c.text), key=lambda c: c.col)]
        kind, text = items[i]
        assert kind == "p" and text == "\t".join(texts)
        i += 1
    kind, table = items[i]
    assert kind == "t"
    cells = [list(row.cells) for row in table.rows]  # a merged cell repeats over the positions it covers
    assert len(cells) == last - first + 1
    for c in grid.cells:
        if first <= c.row <= last:
            assert cells[c.row - first][c.col].text == xml_safe(c.text), (c.row, c.col, c.text)
    i += 1
    while i < len(items) and items[i][0] == "p" and "：" in items[i][1] and (
            "盖章" in items[i][1] or "负责人" in items[i][1]):
        i += 1  # the sign-off lines
    return i


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", KINDS)
def test_python_docx_reads_back_the_report_and_the_engines_figures(path, kind, tmp_path):
    doc = example(path)
    report = build_report(doc, kind)
    out = tmp_path / "报告.docx"
    write_docx(report, out)
    d = docx.Document(str(out))
    items = body_items(d)
    expected = expected_items(report)
    appendix: set[int] = set()  # indices of the items that draw a 附表
    i = 0
    for kind_, want in expected:
        if kind_ == "grid":
            start, i = i, check_grid(items, i, want)
            appendix.update(range(start, i))
            continue
        got_kind, got = items[i]
        assert got_kind == kind_, (i, want)
        if kind_ == "p":
            assert got == want
        else:
            assert [[c.text for c in row.cells] for row in got.rows] == want
        i += 1
    assert i == len(items)
    # and, read from the file alone: every figure of the report is the engine's (or in the officer's own text)
    figures = engine_figures(doc) | {"90%", "100%"}
    typed = " ".join(officer_texts(doc))
    for k, (kd, item) in enumerate(items):
        if k in appendix:
            continue
        parts = [item] if kd == "p" else [c.text for row in item.rows for c in row.cells]
        for part in parts:
            for token in FIGURE_RE.findall(part):
                assert token in figures or token in typed, (token, part)


def test_the_page_and_styles_follow_gbt_9704(tmp_path):
    doc = example(URUMQI)
    out = tmp_path / "r.docx"
    write_docx(build_report(doc, "department"), out)
    d = docx.Document(str(out))
    s = d.sections[0]

    def mm(length) -> float:  # noqa: ANN001 - Word stores twentieths of a point
        return round(length.mm, 1)

    assert (mm(s.page_width), mm(s.page_height)) == (210.0, 297.0)
    assert tuple(mm(x) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)) == (37, 35, 28, 26)
    appendix = d.sections[-1]
    assert appendix.page_width > appendix.page_height  # the 附表 is landscape

    def east_asian(style_name: str) -> str:
        return d.styles[style_name].element.rPr.rFonts.get(qn("w:eastAsia"))

    body = d.styles["报告正文"]
    assert east_asian("报告正文") == "仿宋" and body.font.size == Pt(16)
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.paragraph_format.line_spacing == Pt(28)
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert east_asian("报告标题") == "方正小标宋简体" and d.styles["报告标题"].font.size == Pt(22)
    assert east_asian("Heading 1") == "黑体" and d.styles["Heading 1"].font.size == Pt(16)
    assert d.styles["Heading 1"].paragraph_format.line_spacing == Pt(28)
    assert east_asian("Heading 2") == "楷体"
    for name in ("报告正文", "报告标题", "Heading 1", "Heading 2"):  # no theme font overrides the names
        assert not any("Theme" in k for k in d.styles[name].element.rPr.rFonts.attrib)
    headings = [p for p in d.paragraphs if p.style.name == "Heading 1"]
    assert headings[0].text == "一、基本概况"
    assert [p.text for p in d.paragraphs if p.style.name == "报告标题"] == [doc.unit, "整体支出绩效自评报告"]


def test_fonts_are_named_with_fallbacks_and_never_embedded(tmp_path):
    out = tmp_path / "r.docx"
    write_docx(build_report(example(URUMQI), "department"), out)
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        fonts = z.read("word/fontTable.xml").decode("utf-8")
        settings = z.read("word/settings.xml").decode("utf-8")
        footer = "".join(z.read(n).decode("utf-8") for n in names if n.startswith("word/footer"))
    assert not any(n.startswith("word/fonts/") or n.endswith((".odttf", ".ttf")) for n in names)
    assert "embedTrueTypeFonts" not in settings
    assert re.search(r'<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/><w:charset w:val="86"/>', fonts)
    for name in ("仿宋", "黑体", "楷体"):
        assert f'w:name="{name}"' in fonts
    assert "PAGE" in footer and "— " in footer and " —" in footer and 'w:fldCharType="begin"' in footer


def test_placeholders_are_highlighted_for_the_officer(tmp_path):
    out = tmp_path / "r.docx"
    write_docx(build_report(example(URUMQI), "department"), out)
    d = docx.Document(str(out))
    runs = [r for p in d.paragraphs for r in p.runs if r.text.startswith("【请补充：")]
    assert runs and all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in runs)
    others = [r for p in d.paragraphs for r in p.runs if r.text and "请补充" not in r.text]
    assert all(r.font.highlight_color is None for r in others)


def test_hostile_text_stays_literal(tmp_path):
    doc = hostile_document()
    for kind in KINDS:
        out = tmp_path / f"{kind}.docx"
        write_docx(build_report(doc, kind), out)
        d = docx.Document(str(out))
        text = "\n".join(p.text for p in d.paragraphs)
        text += "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
        assert HOSTILE_UNIT in text
        if kind == "department":
            assert HOSTILE_GOAL.replace("\x07", "") in text  # the control character alone is dropped
        if kind in ("project", "execution"):
            assert HOSTILE_NAME in text
        if kind == "project":
            assert LONG_REASON in text  # all 10,000 characters
        with zipfile.ZipFile(out) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        assert "<b>" not in xml and "<script>" not in xml and "&lt;script&gt;" in xml
        assert "&amp;amp;" in xml or kind != "department"  # "&amp;" typed by the officer, escaped once


def test_an_unwritable_target_is_a_chinese_error(tmp_path):
    report = build_report(example(SANMENXIA), "department")
    with pytest.raises(DocumentError, match="文件夹"):
        write_docx(report, tmp_path)
    with pytest.raises(DocumentError, match="不存在"):
        write_docx(report, tmp_path / "没有" / "r.docx")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_renders_the_docx(tmp_path):
    from pypdf import PdfReader

    doc = example(URUMQI)
    src = tmp_path / "报告.docx"
    src.write_bytes(report_docx(build_report(doc, "department")))
    profile = tmp_path / "lo-profile"
    r = subprocess.run([shutil.which("soffice"), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                       capture_output=True, timeout=240)
    pdf = tmp_path / "报告.pdf"
    assert r.returncode == 0 and pdf.exists(), r.stderr
    reader = PdfReader(str(pdf))
    text = "".join(p.extract_text() for p in reader.pages).replace(" ", "").replace("\n", "")
    assert len(reader.pages) >= 5
    assert "整体支出绩效自评报告" in text and "附表" in text and "99.80" in text
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
    assert sizes == {(595, 842), (842, 595)}  # A4 portrait, and landscape for the 附表


@pytest.mark.parametrize("template_id", [t.id for t in available_templates()])
def test_every_template_gives_every_kind_of_report(template_id):
    """A new, empty document of any region: each report is written and read back, all placeholders."""
    doc = new_document(template_id, "某某局", 2024, projects=2)
    for kind in KINDS:
        report = build_report(doc, kind)
        d = docx.Document(io.BytesIO(report_docx(report)))
        texts = [p.text for p in d.paragraphs]
        assert texts[0] in ("某某局", "2024年度某某局", "【请补充：项目名称】") and report.placeholders > 10
        assert sum("【请补充：" in t for t in texts) > 5
