"""The PDF file, checked with a PDF reader (pypdf) and poppler (pdffonts, pdftotext)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from jixiao.core.fileio import DocumentError
from jixiao.core.model import Indicator
from jixiao.pdf.writer import write_findings_pdf, write_pdf

from .pdfhelpers import TRICKY, big_project_doc, needs_poppler, oriented_doc, pdffonts, pdftotext

A4_LANDSCAPE = (841.89, 595.28)
A4_PORTRAIT = (595.28, 841.89)


def _size(page) -> tuple[float, float]:
    box = page.mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def tricky_doc():
    doc = big_project_doc(indicators=4, goal_chars=120)
    form = doc.forms[0]
    form.indicators.append(Indicator({"一级指标": "满意度指标", "二级指标": "满意度指标", "三级指标": "投诉率",
                                      "年度指标值": "<=5%", "实际完成值": "=SUM(1)", "分值": "1", "得分": "1",
                                      "偏差原因分析及改进措施": " ".join(TRICKY)}))
    form.texts["goals"]["实际完成情况"] = "R&D投入<b>增长</b>，&amp;，&lt;script&gt;"
    return doc


@needs_poppler
def test_font_is_embedded_and_nothing_else_is_used(tmp_path: Path, seed002):
    out = tmp_path / "forms.pdf"
    write_pdf(seed002, out)
    fonts = pdffonts(out)
    assert fonts
    for row in fonts:
        # name type encoding emb sub uni object-id generation
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # embedded, subset, with a ToUnicode map
        assert "UMing" in row[0]
    assert out.stat().st_size < 1_000_000  # subsets, not the 17 MB font


def test_forms_are_a4_portrait_and_the_summary_landscape(tmp_path: Path, seed002):
    out = tmp_path / "forms.pdf"
    write_pdf(seed002, out)
    reader = PdfReader(out)
    assert len(reader.pages) >= len(seed002.forms) + 1
    sizes = [_size(p) for p in reader.pages]
    assert all(s == A4_PORTRAIT for s in sizes[:-1]) and sizes[-1] == A4_LANDSCAPE  # the 汇总表 is last


def test_pages_are_a4_landscape_when_the_template_says_so(tmp_path: Path):
    doc = oriented_doc("landscape")
    out = tmp_path / "landscape.pdf"
    write_pdf(doc, out, form_ids=[f.id for f in doc.forms])
    reader = PdfReader(out)
    assert reader.pages and all(_size(p) == A4_LANDSCAPE for p in reader.pages)


@needs_poppler
def test_titles_figures_and_tricky_strings_are_text(tmp_path: Path, tricky_doc):
    out = tmp_path / "tricky.pdf"
    write_pdf(tricky_doc, out)
    text = pdftotext(out)
    flat = _flat(text)
    for s in ("项目支出绩效自评表", "（2024年度）", "1,200.50", "1,300.00", "1,250.25", "R&D专项<b>试点</b>",
              "R&D投入<b>增长</b>，&amp;，&lt;script&gt;", "测试科学技术局"):
        assert _flat(s) in flat, s
    for s in TRICKY:
        assert _flat(s) in flat, s
    # pypdf reads the same text
    ptext = _flat("".join(p.extract_text() for p in PdfReader(out).pages))
    for s in ("<=5%", "R&D", "=SUM(1)", "<b>加粗</b>", "项目支出绩效自评表"):
        assert s in ptext, s


@needs_poppler
def test_seed_figures_are_printed(tmp_path: Path, seed002):
    out = tmp_path / "seed.pdf"
    write_pdf(seed002, out)
    flat = _flat(pdftotext(out))
    for s in ("部门整体支出绩效自评表", "项目支出绩效自评表", "3,628.92", "3,555.92", "97.99%", "<=5%",
              "2023年乌鲁木齐国家农业科技园区专项经费", "95.00", "年度绩效指标完成情况"):
        assert s in flat, s


@needs_poppler
def test_60_indicators_and_2000_character_goals_span_pages_with_header_repeated(tmp_path: Path):
    doc = big_project_doc(indicators=60, goal_chars=2000)
    out = tmp_path / "big.pdf"
    write_pdf(doc, out, form_ids=[doc.forms[0].id])
    n = len(PdfReader(out).pages)
    assert n >= 4
    pages = [_flat(pdftotext(out, k, k)) for k in range(1, n + 1)]
    first = next(i for i, t in enumerate(pages) if "三级指标" in t)
    assert first < n - 1
    for k, t in enumerate(pages[first:], first):
        for h in ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施"):
            assert h in t, (k, h)
    for k, t in enumerate(pages):
        assert f"第{k + 1}页共{n}页" in t
        if k:
            assert "项目支出绩效自评表（续）" in t
    alltext = "".join(pages)
    for i in range(60):
        assert f"第{i + 1:02d}号指标" in alltext
    assert "预期0001" in alltext and "实际0050" in alltext  # the long goals, both columns


@needs_poppler
def test_5000_character_reason_is_split_without_loss(tmp_path: Path):
    reason = "".join(f"原因{k:04d}：资金拨付滞后，项目延期验收。" for k in range(400))[:5000]
    doc = big_project_doc(indicators=6, goal_chars=100, reason=reason)
    out = tmp_path / "reason.pdf"
    write_pdf(doc, out, form_ids=[doc.forms[0].id])
    reader = PdfReader(out)
    assert len(reader.pages) >= 3
    # every line of the reason, in order, from the text runs the PDF draws in that column
    runs: list[tuple[float, str]] = []
    for page in reader.pages:
        def visit(text, cm, tm, font, size, _runs=runs):
            if text.strip():
                _runs.append((round(tm[4], 1), text.strip()))
        page.extract_text(visitor_text=visit)
    # (text extractors may join the first line with the row's other cells on its baseline)
    first = next(t for x, t in runs if "原因0000" in t)
    first = first[first.index("原因0000"):]
    x0 = next(x for x, t in runs if t.startswith(reason[len(first):len(first) + 6]))
    assert first + "".join(t for x, t in runs if x == x0 and t in reason) == reason
    # and pdftotext finds every character of it
    flat = _flat(pdftotext(out))
    for k in range(0, 5000, 50):
        chunk = reason[k:k + 12]
        assert chunk in flat or chunk[:6] in flat, k


@needs_poppler
def test_every_form_starts_a_new_page_with_its_own_numbering(tmp_path: Path, seed002):
    out = tmp_path / "all.pdf"
    write_pdf(seed002, out)
    n = len(PdfReader(out).pages)
    pages = [_flat(pdftotext(out, k, k)) for k in range(1, n + 1)]
    starts = [k for k, t in enumerate(pages) if re.search(r"第1页共\d+页", t)]
    assert len(starts) == len(seed002.forms) + 1  # + the 汇总表
    titled = [k for k, t in enumerate(pages) if "（续）" not in t]
    assert titled == starts
    for k in starts:
        assert "自评" in pages[k] and "（2024年度）" in pages[k]
    for f, k in zip(seed002.forms[1:], starts[1:len(seed002.forms)], strict=True):
        assert _flat(f.name)[:10] in pages[k]


@needs_poppler
def test_subset_of_forms(tmp_path: Path, seed002):
    out = tmp_path / "one.pdf"
    one = seed002.forms[1]
    write_pdf(seed002, out, form_ids=[one.id])
    flat = _flat(pdftotext(out))
    assert _flat(one.name) in flat
    assert "部门整体支出绩效自评表" not in flat and "汇总表" not in flat
    for other in seed002.forms[2:]:
        assert _flat(other.name)[:14] not in flat


@needs_poppler
def test_sign_off_labels_on_each_forms_last_page(tmp_path: Path, seed002):
    out = tmp_path / "sign.pdf"
    seed002.signoff["填表人"] = "张三"
    try:
        write_pdf(seed002, out)
    finally:
        seed002.signoff.pop("填表人")
    n = len(PdfReader(out).pages)
    pages = [_flat(pdftotext(out, k, k)) for k in range(1, n + 1)]
    last_pages = [k for k, t in enumerate(pages) if (m := re.search(r"第(\d+)页共(\d+)页", t)) and m[1] == m[2]]
    assert len(last_pages) == len(seed002.forms) + 1
    for k in last_pages[:-1]:  # the forms (the 汇总表 has no signatures)
        for label in ("单位负责人：", "财务负责人：", "填表人：张三", "填报日期：", "填报单位（盖章）："):
            assert label in pages[k], (k, label)


def test_output_is_deterministic(tmp_path: Path, seed004):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    write_pdf(seed004, a)
    write_pdf(seed004, b)
    assert a.read_bytes() == b.read_bytes()


def test_written_atomically_and_replaces(tmp_path: Path, seed004):
    out = tmp_path / "forms.pdf"
    out.write_bytes(b"old")
    write_pdf(seed004, out)
    assert out.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forms.pdf"]


def test_errors_are_chinese_document_errors(tmp_path: Path, seed004):
    with pytest.raises(DocumentError, match="不存在"):
        write_pdf(seed004, tmp_path / "missing-folder" / "x.pdf")
    with pytest.raises(DocumentError, match="没有可导出的表"):
        write_pdf(seed004, tmp_path / "none.pdf", form_ids=[])
    assert not (tmp_path / "none.pdf").exists()
    (tmp_path / "adir").mkdir()
    with pytest.raises(DocumentError, match="文件夹"):
        write_pdf(seed004, tmp_path / "adir")


@needs_poppler
def test_findings_report(tmp_path: Path, seed002):
    from jixiao.core.validation import validate_document

    out = tmp_path / "report.pdf"
    write_findings_pdf(seed002, out)
    reader = PdfReader(out)
    assert all(_size(p) == A4_PORTRAIT for p in reader.pages)
    flat = _flat(pdftotext(out))
    assert "校验报告" in flat
    findings = validate_document(seed002)
    assert findings
    for f in findings:
        assert _flat(f.message)[:15] in flat
    fonts = pdffonts(out)
    assert fonts and all(row[-5] == "yes" for row in fonts)


def test_findings_are_not_printed_on_the_forms(tmp_path: Path, seed002):
    from jixiao.core.validation import validate_document

    out = tmp_path / "forms.pdf"
    write_pdf(seed002, out)
    flat = _flat("".join(p.extract_text() for p in PdfReader(out).pages))
    assert "校验报告" not in flat
    for f in validate_document(seed002):
        assert _flat(f.message)[:15] not in flat
