"""Issue 14's page rules over every form of both bundled examples and a generated
30-project document: no page holds only header, 总分 or sign-off rows; the 总分 row
and the sign-off block keep the last two indicator rows; a small form prints on one page."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pytest

from jixiao.core.fileio import load_document
from jixiao.core.model import Document
from jixiao.pdf.paginate import GridLayout
from jixiao.pdf.plan import document_layouts

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.jxzp"))
HEADERS = {"title", "note", "header", "funds-header", "texts-header", "items-header", "table-header",
           "indicator-header", "section", "total"}


@cache
def generated() -> Document:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return generate.generate_document()


def documents() -> list[tuple[str, Document]]:
    return [(p.stem, load_document(p)) for p in EXAMPLES] + [("generated-30", generated())]


@cache
def laid_out(name: str) -> tuple[Document, list[GridLayout]]:
    doc = dict(documents())[name]
    return doc, document_layouts(doc)


NAMES = [p.stem for p in EXAMPLES] + ["generated-30"]


def test_there_are_two_examples():
    assert len(EXAMPLES) == 2


def _page_kinds(lay: GridLayout) -> list[list[str]]:
    return [[lay.kinds[b.row] for b in d.bands if not b.repeated] for d in lay.pages]


@pytest.mark.parametrize("name", NAMES)
def test_no_page_holds_only_headers_total_or_sign_off(name):
    _doc, lays = laid_out(name)
    for lay in lays:
        for no, kinds in enumerate(_page_kinds(lay)):
            assert set(kinds) - HEADERS, (lay.page_id, no, kinds)
            # a header row never ends a page that goes on
            if no < len(lay.pages) - 1:
                assert kinds[-1] not in HEADERS - {"total"}, (lay.page_id, no, kinds)


@pytest.mark.parametrize("name", NAMES)
def test_total_and_sign_off_keep_the_last_two_indicator_rows(name):
    _doc, lays = laid_out(name)
    for lay in lays:
        pages = _page_kinds(lay)
        # the page of the last total row (the 总分, or the 汇总表's 合计 after its 小计 rows)
        last = max(k for k, kinds in enumerate(pages) if "total" in kinds)
        page = pages[last]
        tail = page[:len(page) - page[::-1].index("total")]
        body = {"indicator", "summary"}
        rows_in_form = sum(k in body for kinds in pages for k in kinds)
        before = tail[:-1][::-1]
        while before and before[0] == "total":  # a 小计 right before the 合计
            before = before[1:]
        kept = next((i for i, k in enumerate(before) if k not in body), len(before))
        assert kept >= min(2, rows_in_form), (lay.page_id, page)
        if lay.has_signoff:
            assert lay.pages[last].signoff_y is not None  # the sign-off on the 总分's page
            assert all(d.signoff_y is None for k, d in enumerate(lay.pages) if k != last)


@pytest.mark.parametrize("name", NAMES)
def test_small_forms_print_on_one_page_at_no_less_than_80_percent(name):
    doc, lays = laid_out(name)
    small = 0
    for form, lay in zip(doc.forms, lays[: len(doc.forms)], strict=True):  # the 汇总表 comes last
        assert lay.page_id == form.id
        goals = max([len(v) for v in form.texts.get("goals", {}).values()] + [0])
        if len(form.indicators) <= 10 and goals <= 300:
            small += 1
            assert len(lay.pages) == 1, (form.display_name(), len(form.indicators), goals)
        assert 0.8 - 1e-9 <= lay.scale <= 1.0
        if len(lay.pages) > 1:
            assert lay.scale == 1.0  # a form that does not fit one page prints at 实际大小
    if name != "generated-30":
        assert small >= 1  # 乌鲁木齐: 18 of 20 project forms, 三门峡: one


@pytest.mark.parametrize("name", NAMES)
def test_a_page_is_never_more_than_a_third_empty_before_the_last(name):
    """Rows flow on (a tall text splits) rather than leave a third of a page blank."""
    _doc, lays = laid_out(name)
    for lay in lays:
        for no, d in enumerate(lay.pages[:-1]):
            nxt = lay.pages[no + 1]
            first = next((b for b in nxt.bands if not b.repeated), None)
            if first is None:
                continue
            left = lay.bottom - d.y
            # what was moved on could not have started here (its group is taller than the room left)
            assert left <= (lay.bottom - lay.top) / 3 or lay.heights[first.row] > left, (lay.page_id, no)


def test_an_empty_form_prints_on_one_page():
    """(issue 14: “even an empty 克拉玛依 form” took a second page of header, 总分 and sign-off)"""
    from jixiao.core.model import new_document

    for tid in ("national", "xinjiang", "xinjiang-karamay", "henan"):
        doc = new_document(tid, "测试单位", 2024, projects=1)
        assert [len(lay.pages) for lay in document_layouts(doc)] == [1, 1, 1], tid


def test_no_page_of_an_empty_form_of_any_template_holds_only_headers_total_or_sign_off():
    from jixiao.core.model import new_document
    from jixiao.core.templates import available_templates

    for t in available_templates():
        for lay in document_layouts(new_document(t.id, "测试单位", 2024, projects=1)):
            for kinds in _page_kinds(lay):
                assert set(kinds) - HEADERS, (t.id, lay.page_id, kinds)
