"""The 自评报告 as PDF: the report's text on GB/T 9704 pages through the forms'
page plan, numbered “— N —” throughout, hostile text literal, nothing lost."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from jixiao.core.fileio import DocumentError
from jixiao.core.selfreport import Appendix, Heading, Paragraph, Table, build_report
from jixiao.pdf.plan import text_width
from jixiao.pdf.selfreport import (
    BOTTOM,
    LEFT,
    PAGE_H,
    PAGE_W,
    RIGHT,
    SIZE_PAGE_NO,
    TOP,
    plan_report,
    report_pdf,
    write_report_pdf,
)

from ..core.selfreport_support import (
    EXAMPLES,
    HOSTILE_GOAL,
    HOSTILE_NAME,
    HOSTILE_UNIT,
    KINDS,
    LONG_REASON,
    URUMQI,
    example,
    hostile_document,
)

PAGE_NO = re.compile(r"^— (\d+) —$")


def _own_page(page) -> bool:
    """A page of the report itself (numbered in 四号 below its text block), not a 附表: a form's own
    page plan, portrait or landscape as the form prints, numbered where the form has its footer."""
    return any(PAGE_NO.match(t.text) and t.size == SIZE_PAGE_NO for t in page.texts)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u3000", ""))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", KINDS)
def test_pages_hold_the_reports_text_in_order_and_are_numbered(path, kind):
    report = build_report(example(path), kind)
    pages = plan_report(report)
    numbers = []
    for page in pages:
        marks = [t for t in page.texts if PAGE_NO.match(t.text)]
        assert len(marks) == 1
        numbers.append(int(PAGE_NO.match(marks[0].text).group(1)))
        assert not any(re.match(r"^第 \d+ 页 共 \d+ 页$", t.text) for t in page.texts)  # the forms' own numbering
    assert numbers == list(range(1, len(pages) + 1))
    portrait = [p for p in pages if _own_page(p)]
    assert all((p.width, p.height) == (PAGE_W, PAGE_H) for p in portrait)
    flowed = squash("".join(t.text for p in portrait for t in p.texts if not PAGE_NO.match(t.text)))
    at = 0
    for b in report.blocks:  # every paragraph, heading and table cell, in order, nothing cut
        if isinstance(b, (Paragraph, Heading)):
            pieces = [b.text]
        elif isinstance(b, Table):
            pieces = [b.caption, b.note] + b.columns + [c.text for row in b.rows for c in row]
        else:
            continue
        for piece in pieces:
            found = flowed.find(squash(piece), at)
            assert found >= 0, piece
            at = found + len(squash(piece))
    appendices = [b for b in report.blocks if isinstance(b, Appendix)]
    assert len(pages) - len(portrait) >= len(appendices)  # each 附表 on its own pages, as the form prints


@pytest.mark.parametrize("kind", KINDS)
def test_report_text_stays_inside_the_gbt_9704_text_block(kind):
    pages = plan_report(build_report(example(URUMQI), kind))
    for page in pages:
        if not _own_page(page):  # a 附表: the form's own page plan and margins
            continue
        for t in page.texts:
            if PAGE_NO.match(t.text):
                assert t.y > PAGE_H - BOTTOM  # in the bottom margin
                continue
            assert LEFT - 0.5 <= t.x and t.x + text_width(t.text, t.size) <= PAGE_W - RIGHT + 0.5, t.text
            assert TOP <= t.y <= PAGE_H - BOTTOM, t.text
        for r in page.rules:
            assert LEFT - 0.1 <= min(r.x1, r.x2) and max(r.x1, r.x2) <= PAGE_W - RIGHT + 0.1
            assert TOP - 0.1 <= min(r.y1, r.y2) and max(r.y1, r.y2) <= PAGE_H - BOTTOM + 0.1


def test_hostile_text_stays_literal_and_a_long_reason_runs_over_pages(tmp_path):
    doc = hostile_document()
    for kind in KINDS:
        out = tmp_path / f"{kind}.pdf"
        write_report_pdf(build_report(doc, kind, [doc.projects[0].id]), out)  # the hostile project alone
        text = "".join(p.extract_text() for p in PdfReader(str(out)).pages)
        flat = squash(text)
        assert squash(HOSTILE_UNIT) in flat
        if kind == "department":
            assert squash(HOSTILE_GOAL.replace("\x07", "")) in flat
        if kind in ("project", "execution"):
            assert squash(HOSTILE_NAME) in flat
        if kind == "project":
            assert flat.count("原因") >= LONG_REASON.count("原因")
    pages = plan_report(build_report(doc, "project", [doc.projects[0].id]))
    holding = [n for n, p in enumerate(pages) if any("原因原因原因" in t.text for t in p.texts)]
    assert len(holding) >= 3  # the 10,000 characters flow over several pages


def test_the_pdf_is_deterministic_and_titled():
    report = build_report(example(URUMQI), "execution")
    a, b = report_pdf(report), report_pdf(report)
    assert a == b
    assert b"/Title" in a


def test_an_unwritable_target_is_a_chinese_error(tmp_path):
    report = build_report(example(URUMQI), "department")
    with pytest.raises(DocumentError, match="文件夹"):
        write_report_pdf(report, tmp_path)
