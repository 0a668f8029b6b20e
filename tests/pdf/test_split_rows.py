"""A tall text row split across pages (the acceptance review of issue 14: a goal of a few
thousand characters printed its continuation at about half size, split twice on one page
with a rule through the text, and left a “（续）” piece holding nothing).

For texts just over a page, of two and of three pages, in portrait and landscape: every
piece prints at the page's scale, a row has one piece per page (no rule through its text),
“（续）” only in a label cell, no piece without text, the pieces join back into the text,
the 总分 row and the sign-off never stand alone; the workbook is cut into the same pieces
and LibreOffice prints it on the PDF's pages."""

from __future__ import annotations

import copy
import json
from collections import Counter

import pytest

from jixiao.core.layout import document_grids
from jixiao.core.model import Document
from jixiao.excel.reader import read_workbook
from jixiao.excel.writer import META_SHEET, write_workbook
from jixiao.pdf.geometry import MM_PER_PT, SIZE_BODY
from jixiao.pdf.metrics import text_width
from jixiao.pdf.paginate import CONTINUED, GridLayout, cell_size, layout_grid
from jixiao.pdf.plan import draw_layout
from jixiao.pdf.wrap import clean_text

from .pdfhelpers import goal_text, oriented_doc
from .test_pages import HEADERS

ORIENTATIONS = ("portrait", "landscape")
# the text row's height in pages, and the length of its 预期目标 (None: a third of 实际完成情况)
SPANS: dict[str, tuple[float, int | None]] = {"just over a page": (1.15, None), "two pages": (2.0, None),
                                              "three pages": (3.0, None), "two pages, short 预期目标": (2.0, 300)}


def _text_row(lay: GridLayout) -> int:
    return next(c.row for c in lay.cells if c.path == "goals.实际完成情况")


def _doc(orientation: str, pages: float, first: int | None = None) -> Document:
    """A project whose 实际完成情况 makes its row ``pages`` printable pages tall (its
    预期目标 ``first`` characters or a third as long: that column ends while the other goes on)."""
    doc = oriented_doc(orientation)
    form = doc.forms[0]

    def layout(n: int) -> GridLayout:
        form.texts["goals"] = {"预期目标": goal_text(n // 3 if first is None else first, "预期"),
                               "实际完成情况": goal_text(n, "实际")}
        return layout_grid(document_grids(doc, include_summary=False)[0], fit=False)

    probe = layout(2000)
    per_char = probe.heights[_text_row(probe)] / 2000
    layout(int(pages * (probe.bottom - probe.top) / per_char))
    return doc


CASES = [(o, span) for o in ORIENTATIONS for span in SPANS]


@pytest.fixture(scope="module", params=CASES, ids=[f"{o}-{s}" for o, s in CASES])
def case(request):
    orientation, span = request.param
    doc = _doc(orientation, *SPANS[span])
    lay = layout_grid(document_grids(doc, include_summary=False)[0], fit=True)
    return doc, lay, draw_layout(lay), SPANS[span][0]


def _boxes(lay: GridLayout):
    state: dict[int, int] = {}
    return [lay.boxes(p, state) for p in range(len(lay.pages))]


def test_the_text_row_spans_the_pages_it_is_meant_to(case):
    _doc_, lay, _pages, span = case
    row = _text_row(lay)
    spanned = [p for p, d in enumerate(lay.pages) if any(b.row == row for b in d.bands)]
    assert len(spanned) >= int(span) + 1 and spanned == list(range(spanned[0], spanned[-1] + 1))
    assert lay.scale == 1.0  # a form over several pages prints at 实际大小


def test_every_piece_prints_at_the_pages_scale(case):
    _doc_, lay, pages, _span = case
    row = _text_row(lay)
    for p, boxes in enumerate(_boxes(lay)):
        for bx in boxes:
            c = lay.cells[bx.cell]
            if c.row <= row <= c.last_row and bx.lines:
                assert bx.size == cell_size(c), (p, c.path or c.text, bx.what, bx.size)
    texts = {clean_text(c.text) for c in lay.cells if c.path and c.path.startswith("goals.")}
    for page in pages:
        for t in page.texts:
            if len(t.text) > 3 and any(t.text in s for s in texts):
                assert t.size == pytest.approx(SIZE_BODY * page.scale), t


def test_one_piece_per_page_and_no_rule_through_the_text(case):
    _doc_, lay, pages, _span = case
    row = _text_row(lay)
    for p, boxes in enumerate(_boxes(lay)):
        assert max(Counter(bx.cell for bx in boxes).values()) == 1, p
        pieces = [b for b in lay.pages[p].bands if b.row == row]
        if pieces:  # several pieces on one page (a workbook row is at most 409 pt) make one box per cell
            mine = [bx for bx in boxes if lay.cells[bx.cell].row == row and lay.cells[bx.cell].rowspan == 1]
            assert mine and all(bx.bottom - bx.top == pytest.approx(sum(b.h for b in pieces)) for bx in mine)
    for no, page in enumerate(pages):
        across = [r for r in page.rules if r.y1 == r.y2]
        for t in page.texts:
            top, base = t.y - t.size * MM_PER_PT * 0.8, t.y
            x1 = t.x + text_width(t.text, t.size)
            hits = [r for r in across
                    if top + 0.2 < r.y1 < base - 0.2 and min(r.x1, r.x2) < x1 and max(r.x1, r.x2) > t.x]
            assert not hits, (no, t.text, hits[0])


def test_continued_is_in_a_label_cell_at_full_size(case):
    _doc_, lay, _pages, _span = case
    row = _text_row(lay)
    starts = [p for p, d in enumerate(lay.pages) if d.bands and d.bands[0].row == row and d.bands[0].piece > 0]
    assert starts
    for p, boxes in enumerate(_boxes(lay)):
        continued = [bx for bx in boxes if bx.what == "continued"]
        for bx in continued:
            c = lay.cells[bx.cell]
            assert c.role == "label" and "".join(bx.lines).endswith(CONTINUED), (p, c.path)
            assert bx.size == cell_size(c)
        if p in starts:
            assert [bx for bx in continued if lay.cells[bx.cell].text == "年度总体目标"], p


def test_no_piece_without_text_and_the_pieces_join_back(case):
    doc, lay, _pages, _span = case
    row = _text_row(lay)
    own = [i for i, c in enumerate(lay.cells) if c.row == row and c.rowspan == 1 and c.path]
    joined = {i: "" for i in own}
    for p, boxes in enumerate(_boxes(lay)):
        if not any(b.row == row for b in lay.pages[p].bands):
            continue
        mine = [bx for bx in boxes if bx.cell in own]
        assert any(bx.lines for bx in mine), p  # the piece on this page holds text
        for bx in mine:
            assert bx.what in ("whole", "piece", "empty"), bx.what
            joined[bx.cell] += bx.text
    form = doc.forms[0]
    for i in own:
        assert joined[i] == clean_text(form.texts["goals"][lay.cells[i].path.split(".", 1)[1]])


def test_no_page_holds_only_headers_total_or_sign_off(case):
    _doc_, lay, _pages, _span = case
    for no, d in enumerate(lay.pages):
        kinds = [lay.kinds[b.row] for b in d.bands if not b.repeated]
        assert set(kinds) - HEADERS, (no, kinds)


@pytest.mark.parametrize("orientation", ORIENTATIONS)
def test_the_sign_off_never_stands_alone_after_a_long_closing_text(orientation):
    """四川's form ends in 评价结论 / 存在问题 / 改进措施: however long they are, the sign-off
    takes the last lines of the last one along to its page."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.core.regional import sichuan_document

    for n in range(600, 6000, 450):
        doc = sichuan_document()
        form = doc.forms[0]
        for key in form.texts["conclusion"]:
            form.texts["conclusion"][key] = goal_text(n, key[:2])
        grid = document_grids(doc, include_summary=False)[0]
        if orientation == "portrait":
            grid.orientation = "portrait"
        lay = layout_grid(grid)
        sign = [no for no, d in enumerate(lay.pages) if d.signoff_y is not None]
        assert sign == [len(lay.pages) - 1]
        last = [lay.kinds[b.row] for b in lay.pages[-1].bands if not b.repeated]
        assert set(last) - HEADERS, (n, last)


# ------------------------------------------------------------------ the workbook


def _pieces(path, key: str) -> list:
    """The sheet cells holding ``key``'s text (or its pieces), in order."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    meta = json.loads("".join(c.value for c in wb[META_SHEET]["A"][1:] if c.value))
    refs = [rec[0] for rec in meta["sheets"][0]["cells"] if rec[1] == key]
    return [wb.worksheets[0][r] for r in refs]


def test_the_workbook_is_cut_into_the_same_pieces(case, tmp_path):
    from openpyxl import load_workbook

    doc, lay, _pages, _span = case
    path = tmp_path / "long.xlsx"
    write_workbook(doc, path)
    row = _text_row(lay)
    spanned = sum(1 for d in lay.pages if any(b.row == row for b in d.bands))
    goals = doc.forms[0].texts["goals"]
    pieces = _pieces(path, "goals.实际完成情况")
    assert len(pieces) == spanned  # one piece per page, as printed
    assert "".join(c.value or "" for c in pieces) == clean_text(goals["实际完成情况"])
    # the texts of a split row start at the top of their cells, as the PDF prints them
    assert all(c.alignment.vertical == "top" for c in pieces + _pieces(path, "goals.预期目标"))
    ws = load_workbook(path).worksheets[0]
    assert all((d.height or 0) <= 409 for d in ws.row_dimensions.values())
    assert len(ws.row_breaks.brk) == len(lay.pages) - 1
    continued = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str) and c.value.endswith(CONTINUED)]
    assert continued and all(v == "年度总体目标" + CONTINUED for v in continued)
    back = read_workbook(path).document.forms[0].texts["goals"]
    assert back == {k: clean_text(v) for k, v in goals.items()}


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    from tests.excel.libreoffice import print_workbooks, require_libreoffice

    require_libreoffice()
    folder = tmp_path_factory.mktemp("split-lo")
    docs, xlsx = [], []
    for k, (orientation, span) in enumerate(CASES):
        doc = _doc(orientation, *SPANS[span])
        path = folder / f"case{k}.xlsx"
        write_workbook(doc, path)
        docs.append(copy.deepcopy(doc))
        xlsx.append(path)
    return docs, print_workbooks(xlsx, folder / "pdf")


def test_libreoffice_prints_the_workbook_on_the_pdfs_pages(printed):
    from jixiao.excel.writer import sheet_names_for
    from tests.excel.libreoffice import pages_per_sheet

    docs, pdfs = printed
    for (orientation, span), doc, pdf in zip(CASES, docs, pdfs, strict=True):
        lay = layout_grid(document_grids(doc, include_summary=False)[0])
        sheet = sheet_names_for(doc, document_grids(doc))[0]
        assert pages_per_sheet(pdf)[sheet] == len(lay.pages), (orientation, span)
