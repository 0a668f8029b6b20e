"""The generic grid: cells, spans, lookups and the consistency check."""

from __future__ import annotations

import pytest

from jixiao.core.grid import Cell, Grid, GridColumn


def _grid() -> Grid:
    g = Grid("表", [GridColumn("a", 10), GridColumn("b", 8), GridColumn("c", 6)])
    r0 = g.new_row("header")
    g.add(Cell(r0, 0, colspan=3, text="标题", role="title"))
    r1 = g.new_row("body")
    r2 = g.new_row("body")
    g.add(Cell(r1, 0, rowspan=2, text="一级"))
    g.add(Cell(r1, 1, text="x", role="input", path="header.x"))
    g.add(Cell(r1, 2, text="1", role="computed"))
    g.add(Cell(r2, 1, colspan=2, text="", role="input", path="header.y"))
    return g


def test_defaults_spans_and_lookups():
    g = _grid()
    assert g.n_rows == 3 and g.n_cols == 3 and g.row_kinds == ["header", "body", "body"]
    c = Cell(2, 4)
    assert (c.rowspan, c.colspan, c.role, c.kind, c.align, c.border, c.path, c.indicator) == \
        (1, 1, "label", "text", "center", True, None, None)
    idx = g.index()
    assert len(idx) == 9 and idx[(2, 0)] is idx[(1, 0)] and idx[(2, 2)] is idx[(2, 1)]
    assert set(g.by_path()) == {"header.x", "header.y"}
    top = idx[(1, 0)]
    assert (top.last_row, top.last_col) == (2, 0)
    assert idx[(1, 1)].editable and not top.editable and not Cell(0, 0, role="input").editable
    g.check()


def test_equality_and_repr_like_a_record():
    assert Cell(1, 2, text="a") == Cell(1, 2, text="a")
    assert Cell(1, 2, text="a") != Cell(1, 2, text="b")
    assert Cell(1, 2) != GridColumn("k", 1)
    assert GridColumn("k", 1.5) == GridColumn("k", 1.5)
    assert repr(GridColumn("k", 2)) == "GridColumn(key='k', width=2)"
    assert "text='标题'" in repr(Cell(0, 0, text="标题"))
    with pytest.raises(TypeError):
        hash(Cell(0, 0))
    with pytest.raises(AttributeError):
        Cell(0, 0).colour = "red"  # slots: a typo in a field name fails loudly
    a, b = Grid("t", []), Grid("t", [])
    a.cells.append(Cell(0, 0))
    assert b.cells == [] and a != b  # no shared default lists


@pytest.mark.parametrize("bad, message", [
    (Cell(1, 1, rowspan=3), "cell out of grid"),
    (Cell(1, 1), "overlap"),
])
def test_check_finds_cells_out_of_the_grid_and_overlaps(bad, message):
    g = _grid()
    g.add(bad)
    with pytest.raises(ValueError, match=message):
        g.check()


def test_check_finds_holes():
    g = _grid()
    g.cells.pop()  # (2, 1)–(2, 2) left uncovered
    with pytest.raises(ValueError, match="hole"):
        g.check()
