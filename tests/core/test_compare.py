"""Compare with last year: the stored link, the 汇总表's columns, score-up-rate-down."""

from __future__ import annotations

import copy
import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from jixiao.core.carryover import carry_over
from jixiao.core.compare import (
    CompareError,
    link_path,
    link_previous,
    previous_findings,
    rebase_link,
    resolve_link,
)
from jixiao.core.fileio import DocumentError, document_from_data, document_to_data, load_document
from jixiao.core.layout import summary_grid
from jixiao.core.previous import PreviousLink, PreviousProject, match_projects
from jixiao.core.templates import get_template
from jixiao.core.validation import validate_document

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "乌鲁木齐市科学技术局-2024.jxzp"


def this_and_last_year():
    last = load_document(EXAMPLE)
    this = copy.deepcopy(last)
    this.year = 2025
    return this, last


def header_and_row(grid, name):
    header = next(sorted((c for c in grid.cells if c.row == r), key=lambda c: c.col)
                  for r, k in enumerate(grid.row_kinds) if k == "indicator-header")
    row = next(c.row for c in grid.cells if c.text == name)
    cells = sorted((c for c in grid.cells if c.row == row), key=lambda c: c.col)
    return dict(zip([c.text for c in header], [c.text for c in cells], strict=True))


def test_the_summary_shows_last_years_figures_beside_this_years():
    this, last = this_and_last_year()
    assert "上年预算执行率" not in header_and_row(summary_grid(this), last.projects[0].name)
    link_previous(this, last, "上年.jxzp")
    target = this.projects[10]  # 90.68% 执行率, 97.67 points
    target.funds["年度资金总额"]["全年执行数"] = "4.29"
    row = header_and_row(summary_grid(this), target.name)
    assert row["预算执行率"] == "100.00%" and row["上年预算执行率"] == "90.68%"
    assert row["上年自评得分"] == "97.67"
    assert list(row).index("上年预算执行率") == list(row).index("预算执行率") + 1
    assert list(row).index("上年自评得分") == list(row).index("自评得分") + 1


def test_a_project_not_in_last_years_document_shows_nothing():
    this, last = this_and_last_year()
    link_previous(this, last, "上年.jxzp")
    this.projects[0].header["项目名称"] = "新项目"
    row = header_and_row(summary_grid(this), "新项目")
    assert row["上年预算执行率"] == "" and row["上年自评得分"] == ""


def test_score_up_while_the_rate_falls_is_flagged():
    this, last = this_and_last_year()
    link_previous(this, last, "上年.jxzp")
    form = this.projects[10]  # last year 90.68%, 97.67
    form.funds["年度资金总额"]["全年执行数"] = "3.00"  # 69.93 %: −20.75 points
    for ind in form.indicators:  # full marks on every indicator
        ind.cells["得分"] = ind.cells["分值"]
    form.total = ""  # the 汇总表 shows a typed 总分 as printed: let the engine's sum count
    found = [f for f in validate_document(this) if f.code == "score-up-rate-down"]
    assert len(found) == 1
    f = found[0]
    assert f.form_id == form.id and f.field == "funds.年度资金总额.执行率" and f.severity == "warning"
    assert "由上年的 97.67 升至" in f.message and "由 90.68% 降至 69.93%" in f.message
    assert "超过 10.00 个百分点" in f.message


def test_no_flag_within_the_threshold_or_when_the_score_did_not_rise():
    this, last = this_and_last_year()
    link_previous(this, last, "上年.jxzp")
    form = this.projects[10]
    form.funds["年度资金总额"]["全年执行数"] = "3.50"  # 81.59 %: −9.09 points
    for ind in form.indicators:
        ind.cells["得分"] = ind.cells["分值"]
    assert not previous_findings(this)
    form.funds["年度资金总额"]["全年执行数"] = "3.00"
    for ind in form.indicators:
        ind.cells.pop("得分", None)
    form.indicators[0].cells["得分"] = "0"  # the score fell
    assert not previous_findings(this)


def test_the_threshold_is_template_data():
    this, last = this_and_last_year()
    src = dict(get_template("xinjiang").source, id="xj-strict", summary={"rate_drop": "0.05"})
    this.template_id, this.embedded_template = "xj-strict", src
    link_previous(this, last, "上年.jxzp")
    form = this.projects[10]
    form.funds["年度资金总额"]["全年执行数"] = "3.50"  # −9.09 points: beyond 5
    for ind in form.indicators:
        ind.cells["得分"] = ind.cells["分值"]
    form.total = ""
    assert [f.code for f in previous_findings(this)] == ["score-up-rate-down"]


def test_matching_by_carried_id_then_name_and_unit_then_name():
    link = PreviousLink("x", 2023, "u", "national", "", (
        PreviousProject("a", "甲", "一单位", D("0.5"), D(80)),
        PreviousProject("b", "乙", "一单位", D("0.6"), D(81)),
        PreviousProject("c", "乙", "二单位", D("0.7"), D(82)),
        PreviousProject("d", "丙", "二单位", D("0.8"), D(83)),
    ))
    got = match_projects(link, [
        ("f1", "甲（2024年）", "一单位", "a"),  # renamed, but carried over from a
        ("f2", "乙", "二单位", ""),  # 乙 of 二单位
        ("f3", "乙", "三单位", ""),  # 乙 of 一单位 is the only one left
        ("f4", "丙", "一单位", ""),  # 丙 of 二单位 goes to f6, which names the same unit
        ("f5", "丁", "一单位", ""),
        ("f6", "丙", "二单位", ""),
    ])
    assert {k: v.id for k, v in got.items()} == {"f1": "a", "f2": "c", "f3": "b", "f6": "d"}
    got = match_projects(link, [("f4", "丙", "一单位", "")])
    assert {k: v.id for k, v in got.items()} == {"f4": "d"}  # the only 丙, by name alone


def test_the_link_survives_save_and_convert(tmp_path):
    this, last = this_and_last_year()
    link = link_previous(this, last, "../2024/上年.jxzp")
    data = json.loads(json.dumps(document_to_data(this), ensure_ascii=False))
    back = document_from_data(data)
    assert back.previous == link
    from jixiao.core.interchange import document_to_json

    plain = json.loads(json.dumps(document_to_json(this, native=False), ensure_ascii=False))
    assert document_from_data(plain).previous == link
    assert plain["previous"]["projects"][10] == {"id": last.projects[10].id, "name": last.projects[10].name,
                                                 "unit": "乌鲁木齐科技信息服务中心", "rate": "90.68", "score": "97.67"}


@pytest.mark.parametrize("bad", [[], {"projects": {}}, {"year": "二〇二三"}, {"projects": [{"rate": "九成"}]},
                                 {"projects": [{"score": True}]}, {"file": ["a"]}])
def test_a_damaged_link_is_refused_with_a_message(bad):
    data = document_to_data(load_document(EXAMPLE))
    data["previous"] = bad
    with pytest.raises(DocumentError, match="previous"):
        document_from_data(data)


def test_link_paths_are_relative_when_they_can_be(tmp_path):
    (tmp_path / "2024").mkdir()
    (tmp_path / "2025").mkdir()
    rel = link_path(tmp_path / "2024" / "a.jxzp", tmp_path / "2025" / "b.jxzp")
    assert rel == "../2024/a.jxzp"
    link = PreviousLink(rel, 2024, "", "", "")
    assert resolve_link(link, tmp_path / "2025" / "b.jxzp").resolve() == (tmp_path / "2024" / "a.jxzp").resolve()
    assert Path(link_path(tmp_path / "a.jxzp", None)).is_absolute()


def test_a_link_is_rebased_when_the_document_moves(tmp_path):
    last = tmp_path / "2024" / "a.jxzp"
    old_doc, new_doc = tmp_path / "2025" / "b.jxzp", tmp_path / "送审" / "2025" / "c.jxzp"
    link = PreviousLink("../2024/a.jxzp", 2024, "", "", "", ())
    moved = rebase_link(link, old_doc, new_doc)
    assert moved.file == "../../2024/a.jxzp" and moved.year == 2024
    assert resolve_link(moved, new_doc).resolve() == last.resolve()
    # a document without a file name names it absolutely; its first save makes it relative
    loose = rebase_link(link, old_doc, None)
    assert Path(loose.file).is_absolute() and Path(loose.file) == last.resolve()
    assert rebase_link(loose, None, old_doc).file == "../2024/a.jxzp"
    # nothing to do: the same object back; a relative link with no known place stays as it is
    assert rebase_link(link, old_doc, old_doc) is link
    assert rebase_link(link, None, new_doc) is link


def test_only_an_earlier_year_can_be_linked():
    this, last = this_and_last_year()
    with pytest.raises(CompareError, match="只能关联更早年度"):
        link_previous(last, this, "x")


def test_carried_projects_match_even_when_renamed():
    last = load_document(EXAMPLE)
    this, _ = carry_over(last, 2025, previous_file="上年.jxzp")
    this.projects[0].header["项目名称"] = "2025年乌鲁木齐国家农业科技园区专项经费"
    row = header_and_row(summary_grid(this), "2025年乌鲁木齐国家农业科技园区专项经费")
    assert row["上年预算执行率"] == "100.00%" and row["上年自评得分"] == "95.00"
