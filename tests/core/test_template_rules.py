"""Rules that are template settings: how a form prints its rates, how it records 偏差度."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from jixiao.core.layout import form_grid
from jixiao.core.scoring import score_indicator
from jixiao.core.templates import TemplateError, get_template, template_from_dict
from jixiao.core.validation import validate_document

from .helpers import indicator_index, only_form, seed


def _cell(doc, path):
    g = form_grid(doc, only_form(doc))
    return next(c for c in g.cells if c.path == path)


@pytest.fixture
def region(office_templates):
    """Install a template, a copy of national with some settings changed; returns it."""
    def install(**changes):
        src = json.loads(json.dumps(get_template("national").source))
        src.update({"id": "test-region", "name": "测试地区"})
        for key, value in changes.items():
            if key == "scoring":
                src["scoring"].update(value)
            else:
                value(src)
        office_templates("test-region.json", src)
        return get_template("test-region")

    return install


# ------------------------------------------------------------------ rate format


def test_rate_format_is_a_column_setting_of_the_bundled_templates():
    karamay = get_template("xinjiang-karamay").form("department").funds
    henan = get_template("henan")
    assert karamay.column("执行率").rate_format == "number" and not karamay.rate_percent_sign
    assert henan.form("project").funds.column("执行率").rate_format == "number"
    assert henan.form("department").funds.column("执行率").rate_format == "number"
    assert henan.form("project").indicators.column("偏差度").rate_format == "percent"  # "0.00%" under "偏差度 %"
    assert get_template("xinjiang").form("project").funds.column("执行率").percent_sign


@pytest.mark.parametrize("name,path,printed", [
    ("s003_department", "funds.年度总资金.执行率", "99.63"),  # 克拉玛依 prints a bare number
    ("s004_department", "funds.部门预算总额.执行率", "56.89"),  # 河南 部门整体 too
    ("s004_p_keji_guanli_shiwu", "funds.年度资金总额.执行率", "76.44"),  # 河南 项目, under "执行率 %"
    ("s002_p11", "funds.年度资金总额.执行率", "90.68%"),  # 新疆 prints the sign
])
def test_a_computed_rate_prints_the_way_the_form_does(name, path, printed):
    doc = seed(name)
    only_form(doc).set(path, "")  # nothing typed: the engine's figure is printed
    cell = _cell(doc, path)
    assert cell.text == printed and cell.suggestion == printed
    from jixiao.excel.writer import FMT_PERCENT, FMT_PERCENT_NUMBER, cell_output

    value, fmt = cell_output(cell)
    if printed.endswith("%"):
        assert fmt == FMT_PERCENT and value == Decimal(printed[:-1]) / 100
    else:
        assert fmt == FMT_PERCENT_NUMBER and value == Decimal(printed)


def test_a_bare_rate_is_no_finding_where_the_form_prints_it_so():
    assert not [f for f in validate_document(seed("s003_department")) if f.code == "rate-missing-percent"]
    doc = seed("s002_p11")  # 新疆 prints "90.68%": a bare number there is still worth a word
    only_form(doc).set("funds.年度资金总额.执行率", "90.68")
    codes = [f.code for f in validate_document(doc) if f.field == "funds.年度资金总额.执行率"]
    assert codes == ["rate-missing-percent"]


def test_the_deviation_column_prints_its_format():
    doc = seed("s004_p_baowu_yanfa_zhongxin")
    i = indicator_index(only_form(doc), "研发项目总数")
    only_form(doc).indicators[i].set("偏差度", "")
    assert _cell(doc, f"indicators[{i}].偏差度").text == "10.00%"  # 21 vs ≥15 under the 河南 tolerance


def test_the_older_section_spelling_still_reads(region):
    def legacy(src):
        funds = src["project"]["sections"][1]
        assert funds["type"] == "funds"
        funds["rate_percent_sign"] = False

    t = region(project=legacy)
    col = t.form("project").funds.column("执行率")
    assert col.rate_format == "number"
    # and as embedded in a document saved before the change
    assert template_from_dict(dict(t.source)).form("project").funds.column("执行率").rate_format == "number"


def test_an_unknown_rate_format_is_reported(region):
    def bad(src):
        src["project"]["sections"][1]["columns"][4] = {"key": "执行率", "rate_format": "percentage"}

    with pytest.raises(TemplateError, match="rate_format"):
        region(project=bad)


# ------------------------------------------------------------------ deviation tolerance


def test_a_region_sets_its_deviation_tolerance(region):
    t = region(scoring={"deviation_tolerance": "0.20"})
    sc = score_indicator(t.scoring, "≥10家", "15家", "10", "")
    assert sc.deviation == Decimal("0.30") and sc.relative_deviation == Decimal("0.5")
    assert score_indicator(t.scoring, "≥10家", "11家", "10", "").deviation == 0
    assert score_indicator(t.scoring, "≥10家", "8家", "10", "").deviation == Decimal("-0.2")
    assert score_indicator(t.scoring, "≤10天", "15天", "10", "").deviation == Decimal("0.5")
    assert score_indicator(get_template("national").scoring, "≥10家", "15家", "10", "").deviation == Decimal("0.5")


def test_deviation_mismatch_names_the_rule():
    doc = seed("s004_p_baowu_yanfa_zhongxin")
    i = indicator_index(only_form(doc), "研发项目总数")
    only_form(doc).indicators[i].set("偏差度", "40.00%")  # the national figure on a 河南 form
    fs = [f for f in validate_document(doc) if f.field == f"indicators[{i}].偏差度"]
    assert [f.code for f in fs] == ["deviation-mismatch"]
    assert "10.00%" in fs[0].message and "30.00% 以内记0" in fs[0].message


@pytest.mark.skipif(__import__("shutil").which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_pdf_prints_a_computed_rate_the_way_the_form_does(tmp_path):
    import subprocess

    from jixiao.pdf.writer import write_pdf

    doc = seed("s003_department")
    only_form(doc).set("funds.年度总资金.执行率", "")
    out = tmp_path / "karamay.pdf"
    write_pdf(doc, out)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True).stdout
    words = text.decode("utf-8").split()
    assert "99.63" in words and "99.63%" not in words
