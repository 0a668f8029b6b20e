"""The backend-neutral page plan: wrapping, pagination, merges, sign-off."""

from __future__ import annotations

import re

import pytest

from jixiao.core.grid import Cell, Grid, GridColumn
from jixiao.core.layout import document_grids
from jixiao.pdf.findings import plan_findings
from jixiao.pdf.geometry import Page, Rule, TextRun
from jixiao.pdf.metrics import text_width
from jixiao.pdf.paginate import MIN_FIGURE_SIZE, SEAL_SIZE
from jixiao.pdf.plan import plan_document, plan_grid
from jixiao.pdf.wrap import NO_END, NO_START, wrap_text

from .pdfhelpers import big_project_doc, oriented_doc

PAGE_NO = re.compile(r"^第 (\d+) 页 共 (\d+) 页$")


def _texts(page: Page) -> str:
    return "".join(t.text for t in page.texts)


# ------------------------------------------------------------------ wrapping


def test_wrap_fits_width_and_keeps_every_character():
    text = "为中小微企业、农民专业合作社、农民经纪人提供创新创业一体化服务数量（R&D投入<=5%），完成率≥90%。" * 7
    for width in (12.0, 25.0, 60.0):
        lines = wrap_text(text, width, 9)
        assert all(text_width(line, 9) <= width + 1e-6 for line in lines)
        assert "".join(lines) == text


def test_wrap_kinsoku_and_ascii_words():
    text = "甲乙丙丁戊己庚辛，壬癸（子丑寅卯）辰巳午未。R&D与<=5%以及3,628.92万元不拆开。" * 5
    for width in (15.0, 19.0, 23.0, 31.0, 40.0):
        lines = wrap_text(text, width, 9)
        for i, line in enumerate(lines):
            if i > 0:
                assert line[0] not in NO_START, (width, line)
            if i < len(lines) - 1:
                assert line[-1] not in NO_END, (width, line)
        joined = "\n".join(lines)
        for word in ("R&D", "<=5%", "3,628.92"):
            assert word in joined, (width, lines)


def test_wrap_keeps_explicit_breaks_and_is_literal():
    assert wrap_text("第一段\n\n第三段", 100, 9) == ("第一段", "", "第三段")
    assert wrap_text("<b>粗</b> &amp; =SUM(1)", 200, 9) == ("<b>粗</b> &amp; =SUM(1)",)
    assert wrap_text("", 50, 9) == ()
    assert wrap_text("a\tb\x07c", 100, 9) == ("a    bc",)


def test_overlong_ascii_run_is_cut_not_lost():
    s = "x" * 300
    lines = wrap_text(s, 20, 9)
    assert len(lines) > 1 and "".join(lines) == s


# ------------------------------------------------------------------ pages


def _check_page_geometry(page: Page):
    for t in page.texts:
        assert 0 <= t.x < page.width and 0 < t.y < page.height, t
        assert t.x + text_width(t.text, t.size) <= page.width - 10 + 0.01, t
    for r in page.rules:
        assert 0 <= min(r.x1, r.x2) and max(r.x1, r.x2) <= page.width
        assert 0 <= min(r.y1, r.y2) and max(r.y1, r.y2) <= page.height - 10
        assert r.x1 == r.x2 or r.y1 == r.y2


def test_plan_types_and_a4(seed002):
    pages = plan_document(seed002)
    assert pages and all(isinstance(p, Page) for p in pages)
    for p in pages:
        # the forms on A4 portrait as the official forms are printed; the wide 汇总表 landscape
        assert (p.width, p.height) == ((297.0, 210.0) if p.form_id == "summary" else (210.0, 297.0))
        assert all(isinstance(r, Rule) for r in p.rules) and all(isinstance(t, TextRun) for t in p.texts)
        _check_page_geometry(p)


@pytest.mark.parametrize("orientation, size", [("portrait", (210.0, 297.0)), ("landscape", (297.0, 210.0))])
def test_the_template_orientation_gives_the_page_orientation(orientation, size):
    pages = plan_document(oriented_doc(orientation), include_summary=False)
    assert pages and all((p.width, p.height) == size for p in pages)
    for p in pages:
        _check_page_geometry(p)


def test_template_margins_are_kept():
    pages = plan_document(oriented_doc("portrait", [25, 30, 20, 28]), include_summary=False)
    xs = [x for p in pages for r in p.rules for x in (r.x1, r.x2)]
    ys = [y for p in pages for r in p.rules for y in (r.y1, r.y2)]
    assert min(xs) >= 25 - 0.01 and max(xs) <= 210 - 20 + 0.01
    assert min(ys) >= 30 - 0.01 and max(ys) <= 297 - 28 + 0.01
    assert abs(max(xs) - min(xs) - (210 - 25 - 20)) < 0.5  # the grid fills the printable width


def test_each_form_starts_a_page_with_its_title_and_own_numbering(seed002):
    pages = plan_document(seed002)
    ids = [p.form_id for p in pages]
    form_ids = [f.id for f in seed002.forms]
    # pages come in form order, each form's pages contiguous, the 汇总表 last
    seen: list[str] = []
    for fid in ids:
        if not seen or seen[-1] != fid:
            assert fid not in seen
            seen.append(fid)
    assert seen == form_ids + ["summary"]
    for fid in seen:
        mine = [p for p in pages if p.form_id == fid]
        nums = [PAGE_NO.match(t.text) for p in mine for t in p.texts if PAGE_NO.match(t.text)]
        assert [(int(m[1]), int(m[2])) for m in nums] == [(k + 1, len(mine)) for k in range(len(mine))]
        assert any(t.size >= 14 * mine[0].scale and "自评" in t.text or "汇总表" in t.text for t in mine[0].texts)
        for p in mine[1:]:
            assert "（续）" in _texts(p)


def test_form_subset(seed002):
    wanted = [seed002.forms[2].id]
    pages = plan_document(seed002, wanted)
    assert pages and {p.form_id for p in pages} == set(wanted)
    assert seed002.forms[2].name[:8] in "".join(_texts(p) for p in pages)
    assert {p.form_id for p in plan_document(seed002, ["summary"])} == {"summary"}
    assert plan_document(seed002, []) == []


def test_sign_off_block_and_seal_room(seed002):
    pages = plan_document(seed002, include_summary=False)
    for f in seed002.forms:
        mine = [p for p in pages if p.form_id == f.id]
        last = mine[-1]
        text = _texts(last)
        for label in ("单位负责人", "财务负责人", "填表人", "填报日期", "填报单位（盖章）"):
            assert label in text
        assert all(p.seal is None for p in mine[:-1])
        x, y, w, h = last.seal
        assert w >= SEAL_SIZE and h >= SEAL_SIZE
        assert y + h <= last.height - 10
        # nothing ruled inside the room; only the unit's name (which the seal covers) is written in it
        for r in last.rules:
            assert not (x < max(r.x1, r.x2) and min(r.x1, r.x2) < x + w and y < max(r.y1, r.y2)
                        and min(r.y1, r.y2) < y + h), r
        inside = [t for t in last.texts if x <= t.x < x + w and y <= t.y <= y + h]
        assert inside and all("填报单位" in t.text or seed002.unit[-4:] in t.text for t in inside)


def test_long_form_spans_pages_with_repeated_header():
    doc = big_project_doc(indicators=60, goal_chars=2000)
    pages = plan_document(doc, include_summary=False)
    assert len(pages) >= 4
    # the indicator header row is on every page from the one where it first appears
    first = next(i for i, p in enumerate(pages) if "偏差原因分析及改进措施" in _texts(p))
    for p in pages[first:]:
        heads = "".join(t.text for t in p.texts if t.bold)
        for h in ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"):
            assert h in heads, (pages.index(p), heads)
    for p in pages:
        _check_page_geometry(p)
    # every indicator printed exactly once
    alltext = "".join(_texts(p) for p in pages)
    for i in range(60):
        assert alltext.count(f"第{i + 1:02d}号指标") == 1


def _column_text(pages: list[Page], text: str) -> str:
    """The lines of the left-aligned cell holding ``text``, in page order, joined."""
    x0 = next(t.x for p in pages for t in p.texts if text.startswith(t.text) and len(t.text) > 5)
    return "".join(t.text for p in pages for t in p.texts if t.x == x0 and t.text and t.text in text and not t.bold)


def test_goals_taller_than_a_page_are_split_without_loss():
    doc = big_project_doc(indicators=3, goal_chars=6000)
    goal = doc.forms[0].texts["goals"]["预期目标"]
    pages = plan_document(doc, include_summary=False)
    assert _column_text(pages, goal) == goal


def test_single_cell_longer_than_a_page_is_split_without_loss():
    reason = "".join(f"原因{k:04d}：资金拨付滞后，项目延期验收。" for k in range(400))[:5000]
    assert len(reason) == 5000
    doc = big_project_doc(indicators=6, goal_chars=100, reason=reason)
    pages = plan_document(doc, include_summary=False)
    assert len(pages) >= 3
    grid = document_grids(doc, include_summary=False)[0]
    cell = next(c for c in grid.cells if c.path == "indicators[3].偏差原因分析及改进措施")
    assert cell.text == reason
    assert _column_text(pages, reason) == reason
    # every piece is drawn in the cell's own column, inside the page's ruled area (the footer is below it)
    pieces = []
    for p in pages:
        xs = _vertical_rules(p)
        assert len(xs) == grid.n_cols + 1
        left, right = xs[cell.col], xs[cell.col + cell.colspan]
        body = [t for t in p.texts if left < t.x < right and t.text and t.text in reason]
        for t in body:
            assert t.x + text_width(t.text, t.size) <= right + 0.01 and t.y < p.height - 14, t
        pieces.extend(body)
    assert "".join(t.text for t in pieces) == reason


_INDICATOR_NO = re.compile(r"^第(\d+)号指标")


def test_vertical_merge_broken_by_a_page_is_reopened_with_its_label():
    """产出指标 (indicators 1–30) runs over a page end: each page its rows reach shows it as one
    merged cell, its label once, beside those rows, no rule across it between them; a page
    without its rows does not show it."""
    doc = big_project_doc(indicators=60, goal_chars=200)
    pages = plan_document(doc, include_summary=False)
    reached = 0
    for p in pages:
        rows = {int(m.group(1)): t.y for t in p.texts if (m := _INDICATOR_NO.match(t.text))}
        labels = [t for t in p.texts if t.text == "产出指标"]
        ys = [y for n, y in rows.items() if n <= 30]
        if not ys:
            assert labels == [], "产出指标 on a page without its rows"
            continue
        reached += 1
        header = next(t for t in p.texts if t.text == "一级指标")
        xs = _vertical_rules(p)
        left = max(x for x in xs if x <= header.x)
        right = min(x for x in xs if x > header.x)
        assert len(labels) == 1, f"产出指标 {len(labels)} times on one page"
        label = labels[0]
        assert left < label.x < right
        assert min(ys) - 10 <= label.y <= max(ys) + 10  # beside its own rows on this page
        across = [r for r in p.rules if r.y1 == r.y2 and r.x1 <= left + 0.01 and r.x2 >= right - 0.01
                  and min(ys) < r.y1 < max(ys)]
        assert across == [], "the merged 一级指标 cell is cut between its rows"
        # while the 三级 column is ruled between each of those rows
        level3 = next(t for t in p.texts if t.text == "三级指标")
        l3_left = max(x for x in xs if x <= level3.x)
        cuts = {round(r.y1, 2) for r in p.rules if r.y1 == r.y2 and r.x1 <= l3_left + 0.01 < r.x2
                and min(ys) < r.y1 < max(ys)}
        assert len(cuts) == len(ys) - 1
    assert reached >= 2  # the merge really is broken by a page end


def _vertical_rules(page: Page) -> list[float]:
    return sorted({r.x1 for r in page.rules if r.x1 == r.x2})


def test_a_narrow_column_is_widened_to_its_figure():
    """A figure in a column the template made narrow prints at full size inside a wider column
    (issue 14: 112,345.67 in a 6-character 分值 column shrank to ~60 %)."""
    g = Grid(title="T", columns=[GridColumn("a", 5), GridColumn("b", 40)], orientation="portrait")
    r = g.new_row("body")
    g.add(Cell(r, 0, text="123,456,789.01", kind="money", align="right"))
    g.add(Cell(r, 1, text="x"))
    pages = plan_grid(g, fit=False)
    runs = [t for t in pages[0].texts if t.text.startswith("123")]
    assert len(runs) == 1 and runs[0].text == "123,456,789.01" and runs[0].size == 9
    xs = _vertical_rules(pages[0])
    assert runs[0].x + text_width(runs[0].text, runs[0].size) <= xs[1] and runs[0].x >= xs[0]
    assert xs[1] - xs[0] > 180 * 5 / 45  # wider than the template's share


def test_figures_shrink_instead_of_breaking_when_the_page_is_too_narrow():
    g = Grid(title="T", columns=[GridColumn(f"c{j}", 5) for j in range(12)], orientation="portrait")
    r = g.new_row("body")
    for j in range(12):
        g.add(Cell(r, j, text="123,456,789.01", kind="money", align="right"))
    pages = plan_grid(g, fit=False)
    runs = [t for t in pages[0].texts if t.text.startswith("123")]
    xs = _vertical_rules(pages[0])
    assert len(runs) == 12 and all(t.text == "123,456,789.01" for t in runs)
    for t, right in zip(sorted(runs, key=lambda t: t.x), xs[1:], strict=True):
        assert MIN_FIGURE_SIZE * pages[0].scale <= t.size < 9
        assert t.x + text_width(t.text, t.size) <= right + 0.01


def test_findings_plan(seed002):
    pages = plan_findings(seed002)
    assert pages and all((p.width, p.height) == (210.0, 297.0) for p in pages)
    text = "".join(_texts(p) for p in pages)
    assert "校验报告" in text and "项目支出绩效自评表" in text


def test_plan_is_deterministic(seed004):
    assert plan_document(seed004) == plan_document(seed004)


@pytest.mark.parametrize("kind", ["title", "note"])
def test_borderless_rows_have_no_rules(kind):
    g = Grid(title="T", columns=[GridColumn("a", 10), GridColumn("b", 10)], orientation="landscape")
    r = g.new_row(kind)
    g.add(Cell(r, 0, colspan=2, text="无框文字", role="title" if kind == "title" else "note", border=False))
    pages = plan_grid(g)
    assert pages[0].rules == []


def test_vertically_merged_text_longer_than_a_page_is_not_lost():
    label = "甲乙丙丁戊己庚辛壬癸" * 300
    doc = big_project_doc(indicators=3, goal_chars=50)
    for ind in doc.forms[0].indicators:
        ind.cells["一级指标"] = label  # one 一级 merged over the three rows, 3,000 characters
    pages = plan_document(doc, include_summary=False)
    assert len(pages) >= 3
    runs = [t.text for p in pages for t in p.texts if t.text and set(t.text) <= set("甲乙丙丁戊己庚辛壬癸")]
    assert "".join(runs).startswith(label)
    for p in pages:
        _check_page_geometry(p)
        assert all(t.y < p.height - 14 for t in p.texts if set(t.text) <= set("甲乙丙丁戊己庚辛壬癸"))


def test_pdf_package_does_not_import_qt():
    import subprocess
    import sys

    code = ("import sys, jixiao.pdf.writer, jixiao.pdf.plan; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'PyQt', 'shiboken'))]; "
            "sys.exit(1 if bad else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# ------------------------------------------------------------------ page rules (issue 14)


def _body_grid(rows: int, *, tall: dict[int, str] | None = None, total: bool = True, signoff: bool = True,
               header_at: tuple[int, ...] = ()) -> Grid:
    """A portrait grid: a title, ``rows`` one-line body rows (with header rows before the
    given ones, and tall texts where asked), a 总分 row and a sign-off block."""
    g = Grid(title="测试表", columns=[GridColumn("名称", 20), GridColumn("内容", 60)], orientation="portrait")
    r = g.new_row("title")
    g.add(Cell(r, 0, colspan=2, text="测试表", role="title", border=False, bold=True))
    for i in range(rows):
        if i in header_at:
            h = g.new_row("indicator-header")
            g.add(Cell(h, 0, text="名称", bold=True))
            g.add(Cell(h, 1, text="内容", bold=True))
        r = g.new_row("indicator")
        g.add(Cell(r, 0, text=f"第{i:02d}行"))
        g.add(Cell(r, 1, text=(tall or {}).get(i, f"内容{i:02d}"), align="left", kind="longtext"))
    if total:
        r = g.new_row("total")
        g.add(Cell(r, 0, text="总分", bold=True))
        g.add(Cell(r, 1, text="100", kind="score"))
    if signoff:
        g.new_row("spacer")
        r = g.new_row("signoff")
        g.add(Cell(r, 0, colspan=2, text="填报单位（盖章）：测试单位", role="note", border=False, align="left"))
        r = g.new_row("signoff")
        g.add(Cell(r, 0, colspan=2, text="单位负责人：", role="note", border=False, align="left"))
    return g


def _layout(grid: Grid, fit: bool = False):
    from jixiao.pdf.paginate import layout_grid

    return layout_grid(grid, fit=fit)


def _rows_per_page(lay) -> list[list[str]]:
    return [[lay.kinds[b.row] for b in d.bands if not b.repeated] for d in lay.pages]


@pytest.mark.parametrize("rows", range(30, 42))
def test_total_and_sign_off_always_keep_the_last_two_rows(rows):
    lay = _layout(_body_grid(rows))
    pages = _rows_per_page(lay)
    last = pages[-1]
    assert "total" in last and last.count("indicator") >= 2, pages
    assert lay.pages[-1].signoff_y is not None
    for kinds in pages[:-1]:
        assert "total" not in kinds and set(kinds) - {"title", "indicator-header"}


@pytest.mark.parametrize("rows", range(30, 42))
def test_a_header_row_never_ends_a_page(rows):
    lay = _layout(_body_grid(rows, header_at=tuple(range(0, rows, 6))))
    for kinds in _rows_per_page(lay)[:-1]:
        assert kinds[-1] != "indicator-header", kinds


def test_a_tall_text_splits_with_continued_in_its_label_cell_rather_than_leave_a_third_empty():
    text = "".join(f"说明{k:03d}：项目按计划推进，资金拨付及时。" for k in range(70))
    lay = _layout(_body_grid(30, tall={24: text}))
    assert len(lay.pages) == 2
    first = lay.pages[0]
    assert lay.bottom - first.y < (lay.bottom - lay.top) / 3  # the first page is filled
    pieces = [b for d in lay.pages for b in d.bands if lay.kinds[b.row] == "indicator" and b.slices is not None]
    assert len(pieces) == 2 and pieces[1].piece == 1
    pages = plan_grid(_body_grid(30, tall={24: text}), fit=False)
    page2 = "".join(t.text for t in pages[1].texts)
    assert "第24行（续）" in page2
    body = "".join(t.text for p in pages for t in p.texts if t.text and t.text in text)
    assert body == text  # every character once, in order


def test_a_form_that_fits_one_page_at_80_percent_prints_on_one_page_at_the_largest_such_scale():
    from jixiao.pdf.geometry import page_setup
    from jixiao.pdf.paginate import GridLayout

    grid = _body_grid(36)
    actual = _layout(grid)
    assert len(actual.pages) == 2 and actual.scale == 1.0
    fitted = _layout(grid, fit=True)
    assert len(fitted.pages) == 1 and 0.8 <= fitted.scale < 1.0
    bigger = GridLayout(grid, page_setup("portrait").at(round(fitted.scale + 0.01, 2)))
    assert len(bigger.pages) > 1  # one percent more would not fit
    pages = plan_grid(grid)
    assert len(pages) == 1 and pages[0].scale == fitted.scale
    title = next(t for t in pages[0].texts if t.text == "测试表")
    assert title.size == pytest.approx(16 * fitted.scale, abs=0.01)  # everything printed smaller alike


def test_a_form_too_long_for_one_page_at_80_percent_prints_at_actual_size():
    lay = _layout(_body_grid(90), fit=True)
    assert len(lay.pages) >= 2 and lay.scale == 1.0


def test_label_words_are_not_broken():
    lines = wrap_text("部门整体\n支出情况", 13.0, 9, True)
    assert lines == ("部门整体", "支出情况")
    assert wrap_text("年度指标值", 12.0, 9, True) == ("年度", "指标值")
    assert wrap_text("服务对象满意度指标", 13.0, 9, True) == ("服务对象", "满意度", "指标")


def test_a_label_column_is_never_narrower_than_its_longest_word():
    from jixiao.pdf.metrics import text_width as tw

    g = Grid(title="T", columns=[GridColumn("a", 2), GridColumn("b", 80)], orientation="portrait")
    r = g.new_row("body")
    g.add(Cell(r, 0, text="部门整体\n支出情况"))
    g.add(Cell(r, 1, text="说明" * 200, align="left", kind="longtext"))
    lay = _layout(g)
    assert lay.col_w[0] >= tw("部门整体", 9) + 2.4 - 1e-6
    assert lay.lines[0] == ("部门整体", "支出情况")


@pytest.mark.parametrize("example", ["三门峡市科学技术局-2024", "乌鲁木齐市科学技术局-2024"])
def test_every_fitted_form_of_the_examples_prints_at_the_largest_scale_that_fits(example):
    """缩放到一页 searches the scale with few trial layouts: whatever the search, the
    scale is the largest whole percent at which the form fits one page."""
    from jixiao.core.fileio import load_document
    from jixiao.pdf import paginate
    from jixiao.pdf.geometry import page_setup
    from jixiao.resources import resource_path

    doc = load_document(resource_path("examples", f"{example}.jxzp"))
    fitted = 0
    for grid in document_grids(doc):
        lay = paginate.layout_grid(grid)
        if lay.scale == 1.0:
            continue
        fitted += 1
        assert len(lay.pages) == 1 and 0.8 - 1e-9 <= lay.scale < 1.0
        setup = page_setup(grid.orientation, grid.margins)
        above = paginate.GridLayout(grid, setup.at(round(lay.scale + 0.01, 2)), "", None,
                                    paginate.grid_measures(grid))
        assert len(above.pages) > 1, (grid.title, lay.scale)  # one percent more would not fit
    assert fitted >= 4  # (the examples' forms that fit one page only when shrunk)
