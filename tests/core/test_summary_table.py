"""The 项目单位自评汇总表: columns as template data, 小计 per unit, 合计."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from jixiao.core.layout import summary_columns, summary_grid
from jixiao.core.model import Document
from jixiao.core.templates import TemplateError, get_template, template_from_dict
from tests.core.helpers import SEEDS, seed

HENAN_004_COLUMNS = [
    "单位编码", "单位名称", "主管部门编码", "主管部门名称", "项目名称", "项目类型", "资金归口处室", "全年预算数",
    "全年执行数", "系统查询全年执行数", "预算执行率", "资金管理情况得分率", "成本指标得分率", "产出指标得分率",
    "效益指标得分率", "满意度指标得分率", "自评得分", "是否有偏差项目",
]
SUMMARY_ONLY = ("单位编码", "主管部门编码", "项目类型", "资金归口处室", "系统查询全年执行数")
PROJECT_SEEDS = ("s004_p_baowu_yanfa_zhongxin", "s004_p_dangjian_dangwu", "s004_p_keji_guanli_shiwu",
                 "s004_p_keji_jiaoliu_zhaoshang", "s004_p_keji_tiaojian_fuwu", "s004_p_kepu_huodong",
                 "s004_p_qiye_chuangxin_yindao", "s004_p_rencai_anjiafei")


def rows_of(grid, kind: str) -> list[list[str]]:
    """The texts of every row of ``kind``, one entry per cell (merged cells once)."""
    out = []
    for r, k in enumerate(grid.row_kinds):
        if k == kind:
            out.append([c.text for c in sorted((c for c in grid.cells if c.row == r), key=lambda c: c.col)])
    return out


def henan_004() -> Document:
    """The eight 004 project forms in one document, with the 汇总表's own fields as 004 prints them."""
    forms = [seed(n).forms[0] for n in PROJECT_SEEDS]
    published = {r["项目名称"]: r for r in json.loads((SEEDS / "s004_summary.json").read_text(encoding="utf-8"))}
    for f in forms:
        row = published.get(f.name)
        if row:
            for key in SUMMARY_ONLY:
                f.header[key] = row[key]
    return Document(template_id="henan", unit="三门峡市科学技术局", year=2024, forms=forms)


def test_henan_prints_the_columns_of_004():
    doc = henan_004()
    grid = summary_grid(doc)
    grid.check()
    assert rows_of(grid, "indicator-header") == [HENAN_004_COLUMNS]
    assert [c.text for c in grid.cells if c.role == "note"] == ["单位：万元"]


def test_henan_rows_match_004_cell_for_cell():
    """Each project printed in both 004's 汇总表 and its own form reads, cell for cell, as 004 prints it
    (自评得分 aside: the engine's figure; the typed 总分 is `rules`' fix)."""
    doc = henan_004()
    published = {r["项目名称"]: r for r in json.loads((SEEDS / "s004_summary.json").read_text(encoding="utf-8"))}
    matched = 0
    for cells in rows_of(summary_grid(doc), "summary"):
        row = dict(zip(HENAN_004_COLUMNS, cells, strict=True))
        want = published.get(row["项目名称"])
        if want is None:
            continue
        matched += 1
        for col in HENAN_004_COLUMNS:
            if col == "自评得分":
                continue
            assert row[col] == want[col], (row["项目名称"], col)
    assert matched == 5  # the other three are printed under other names in 004's table


def test_default_summary_and_a_subtotal_per_unit():
    doc = seed("s004_p_kepu_huodong")
    doc.template_id = "national"
    a, b = doc.forms[0], doc.forms[0].clone()
    for f, unit, budget, spent in ((a, "甲单位", "100", "90"), (b, "乙单位", "1,000.5", "500")):
        f.funds = {"年度资金总额": {"全年预算数": budget, "全年执行数": spent}}
        f.header["实施单位"] = unit
    c = a.clone()
    c.header["项目名称"] = "甲的第二个项目"
    doc.forms = [a, b, c]
    grid = summary_grid(doc)
    grid.check()
    header = rows_of(grid, "indicator-header")[0]
    assert header[:6] == ["序号", "项目名称", "实施单位", "全年预算数", "全年执行数", "预算执行率"]
    assert "上年预算执行率" not in header  # no previous document linked
    body = rows_of(grid, "summary")
    assert [r[2] for r in body] == ["甲单位", "甲单位", "乙单位"]  # grouped by unit, document order within
    assert [r[0] for r in body] == ["1", "2", "3"]
    totals = rows_of(grid, "total")
    assert totals[0][:4] == ["小计：甲单位（2个项目）", "200.00", "180.00", "90.00%"]
    assert totals[1][:4] == ["小计：乙单位（1个项目）", "1,000.50", "500.00", "49.98%"]
    assert totals[2][:4] == ["合计（2个单位，3个项目）", "1,200.50", "680.00", "56.64%"]


def test_one_unit_has_no_subtotal():
    doc = henan_004()
    totals = rows_of(summary_grid(doc), "total")
    assert len(totals) == 1 and totals[0][0] == "合计（8个项目）"
    assert totals[0][1:3] == ["1339", "761.75"]  # Σ全年预算数, Σ全年执行数 as 004 prints figures


def test_summary_only_amounts_sum_and_blank_when_untyped():
    doc = henan_004()
    totals = rows_of(summary_grid(doc), "total")[0]
    typed = sum(D(f.header["系统查询全年执行数"]) for f in doc.projects if "系统查询全年执行数" in f.header)
    assert totals[3] == f"{typed.normalize():f}" == "211.28"
    for f in doc.projects:
        f.header.pop("系统查询全年执行数", None)
    assert rows_of(summary_grid(doc), "total")[0][3] == ""  # nothing typed: no 0 printed


@pytest.mark.parametrize("bad, why", [
    ({"columns": [{"label": "x", "source": "nowhere"}]}, "未知的来源"),
    ({"columns": [{"label": "x", "source": "funds.分值"}]}, "未知的来源"),
    ({"columns": [{"label": "x", "source": "header.a", "kind": "date"}]}, "kind"),
    ({"figures": "fancy"}, "figures"),
    ({"columns": ["项目名称"]}, "source"),
    ({"rate_drop": "abc"}, "不是数字"),
])
def test_malformed_summary_entries_are_named(bad, why):
    src = dict(get_template("national").source, summary=bad)
    with pytest.raises(TemplateError, match=why):
        template_from_dict(src)


def test_columns_follow_the_template_data():
    src = dict(get_template("national").source, summary={
        "title": "汇总", "year_line": None, "unit_line": None, "money_note": None,
        "columns": [{"label": "名称", "source": "name"}, {"label": "执行率", "source": "rate"},
                    {"label": "{name}率", "source": "rates"}, {"label": "上年得分", "source": "previous.score"}]})
    doc = seed("s004_p_kepu_huodong")
    doc.template_id = "custom"
    doc.embedded_template = dict(src, id="custom")
    texts = [t for t, _c, _k in summary_columns(doc)]
    assert texts == ["名称", "执行率", "产出指标率", "效益指标率", "满意度指标率"]
    grid = summary_grid(doc)
    assert grid.row_kinds[:2] == ["title", "indicator-header"]  # no year line, no notes


# ------------------------------------------------------------------ figures that depend on what is not typed yet


def test_a_carried_over_document_shows_no_rate_and_no_deviation_answer():
    """Carried into 2025 with nothing typed: every 得分率, 自评得分 and 是否有偏差项目 is blank, not 0 % / 否."""
    from jixiao.core.carryover import carry_over
    from jixiao.core.fileio import load_document

    examples = SEEDS.parents[2] / "resources" / "examples"
    for name in ("三门峡市科学技术局-2024.jxzp", "乌鲁木齐市科学技术局-2024.jxzp"):
        new, _report = carry_over(load_document(examples / name), 2025)
        grid = summary_grid(new)
        header = rows_of(grid, "indicator-header")[0]
        figure_cols = [j for j, h in enumerate(header) if h.endswith("得分率") or h in ("自评得分", "是否有偏差项目")]
        rows = rows_of(grid, "summary")
        cells = [row[j] for row in rows for j in figure_cols]
        # blank, or the template's mark for a 一级 the project does not use (河南 -%): never 0 % or 否
        assert rows and set(cells) <= {"", new.template.summary.no_rate} and "" in cells, name


def test_a_new_henan_document_shows_no_zero_rate():
    from jixiao.core.model import new_document

    doc = new_document("henan", "某单位", 2025, projects=1)
    grid = summary_grid(doc)
    header = rows_of(grid, "indicator-header")[0]
    (row,) = rows_of(grid, "summary")
    assert row[header.index("资金管理情况得分率")] == ""
    assert all(row[j] == "" for j, h in enumerate(header) if h.endswith("得分率") or h == "是否有偏差项目")


def test_rates_and_deviation_appear_as_the_scores_are_typed():
    from jixiao.core.model import Indicator, new_document
    from jixiao.core.summary import summary_rows

    doc = new_document("national", "某单位", 2025, projects=1)
    p = doc.projects[0]
    p.indicators[:] = []
    p.indicators += [Indicator({"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "培训人次",
                                "年度指标值": "≥100人次", "分值": "25"}),
                     Indicator({"一级指标": "产出指标", "二级指标": "质量指标", "三级指标": "合格率",
                                "年度指标值": "≥95%", "分值": "25"}),
                     Indicator({"一级指标": "满意度指标", "二级指标": "服务对象满意度指标", "三级指标": "满意度",
                                "年度指标值": "≥90%", "分值": "10"})]
    (row,) = summary_rows(doc)
    assert row.得分率["产出指标"] is None and row.是否有偏差项目 is None
    p.indicators[0].cells["实际完成值"] = "100人次"  # one of two 产出 indicators scored: 产出's rate still open
    (row,) = summary_rows(doc)
    assert row.得分率["产出指标"] is None and row.是否有偏差项目 is None
    p.indicators[1].cells["实际完成值"] = "95%"
    p.indicators[2].cells["实际完成值"] = "95%"
    (row,) = summary_rows(doc)
    assert row.得分率["产出指标"] == 1 and row.得分率["满意度指标"] == 1 and row.是否有偏差项目 is False
    grid = summary_grid(doc)
    header = rows_of(grid, "indicator-header")[0]
    (printed,) = rows_of(grid, "summary")
    assert printed[header.index("效益指标得分率")] == "—"  # a 一级 the project does not use
    assert printed[header.index("是否有偏差项目")] == "否"
    p.indicators[2].cells["实际完成值"] = "60%"  # one deviation is enough for 是, whatever else is open
    p.indicators[1].cells.pop("实际完成值")
    (row,) = summary_rows(doc)
    assert row.是否有偏差项目 is True and row.得分率["产出指标"] is None
