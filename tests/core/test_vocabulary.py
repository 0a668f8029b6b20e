"""One vocabulary of labels: normalisation, the synonyms of published forms, the data file."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from jixiao.core.interchange import document_from_json
from jixiao.core.templates import available_templates
from jixiao.core.units import compatible, unit_of
from jixiao.core.vocabulary import (
    VocabularyError,
    display_label,
    normalize_label,
    split_weight,
    vocabulary,
)
from jixiao.resources import resource_path


@pytest.mark.parametrize(("written", "normal"), [
    ("其中：本年财政拨款", "本年财政拨款"),
    ("其中:财政拨款", "财政拨款"),
    ("其中 ：当年财政拨款", "当年财政拨款"),
    ("项目资金（万元）", "项目资金"),
    ("项目资金\n(万元)", "项目资金"),
    ("全年预算数(A)", "全年预算数"),
    ("全年执行数（B）", "全年执行数"),
    ("执行率(B/A)", "执行率"),
    ("执行率(%)", "执行率"),
    ("执行率 %", "执行率"),
    ("产出指标(50分)", "产出指标"),
    ("产出指标（50分）", "产出指标"),
    ("得分(20分*执行率)", "得分"),
    ("预算执行情况(万元)(20分)", "预算执行情况"),
    ("年度资金总额（万元）：", "年度资金总额"),
    ("部门（单位）名称（盖章）", "部门单位名称"),
    ("（1）政府预算资金", "政府预算资金"),
    ("全 年 预 算 数", "全年预算数"),
    ("ＦＵＬＬ　ｗｉｄｔｈ１", "FULLwidth1"),
    ("总分(100分)", "总分"),
])
def test_normalisation(written, normal):
    assert normalize_label(written) == normal


def test_normalised_labels_are_cached_and_long_text_is_not():
    from jixiao.core import vocabulary as v

    v._normalize_cached.cache_clear()
    for _ in range(1000):
        normalize_label("其中：本年财政拨款")
    info = v._normalize_cached.cache_info()
    assert info.misses == 1 and info.hits == 999
    normalize_label("很长的说明文字" * 20)
    assert v._normalize_cached.cache_info().currsize == 1


def test_stated_weight_of_a_level():
    assert split_weight("产出指标(50分)") == ("产出指标", Decimal(50))
    assert split_weight("效益指标（30分）") == ("效益指标", Decimal(30))
    assert split_weight("满意度指标 ( 10.5分 )") == ("满意度指标", Decimal("10.5"))
    assert split_weight("产出指标") == ("产出指标", None)
    assert split_weight("成本指标（万元）") == ("成本指标（万元）", None)


def test_display_label_for_people():
    assert display_label("其中：当年财政拨款") == "当年财政拨款"
    assert display_label("全年预算数(A)") == "全年预算数"
    assert display_label("项目资金\n（万元）") == "项目资金"
    assert display_label("年度资金总额（万元）：") == "年度资金总额"


# ------------------------------------------------------------------ the families of issue 12 / DOMAIN.md

FUND_ROW_FAMILIES = {
    "年度资金总额": ["年度资金总额", "总额", "资金总额", "年度财政资金总额", "年度资金总额:"],
    "当年财政拨款": ["当年财政拨款", "本年财政拨款", "当年财政资金", "财政资金", "财政拨款", "其中：本年财政拨款",
                 "其中:财政拨款", "其中：财政资金"],
    "上年结转资金": ["上年结转资金", "上年结转", "年初结转结余"],
    "其他资金": ["其他资金", "其中：其他资金"],
}
FUND_COLUMN_FAMILIES = {
    "全年预算数": ["全年预算数", "调整后预算数", "全年(调整)预算数", "全年（调整）预算数", "预算数", "全年预算数(A)",
              "预算数(A)"],
    "全年执行数": ["全年执行数", "预算执行数", "执行数", "实际执行数", "全年执行数(B)", "执行数(B)"],
    "执行率": ["执行率", "预算执行率", "执行率(%)", "执行率(B/A)"],
    "分值": ["分值", "权重", "分值权重"],
}
INDICATOR_FAMILIES = {
    "分值": ["分值", "权重", "分值权重", "指标权重"],
    "年度指标值": ["年度指标值", "指标值", "预期指标值", "年初指标值", "目标值", "年初目标值(A)"],
    "实际完成值": ["实际完成值", "完成值", "全年完成值", "全年实际值", "实际完成指标值", "实际完成值(B)"],
    "偏差原因分析及改进措施": ["偏差原因分析及改进措施", "未完成原因分析", "偏差原因及整改措施", "原因",
                      "未完成原因及拟采取的改进措施"],
}


def _project(funds=None, indicator=None, template="national"):
    return {"template": template, "year": 2024, "forms": [{
        "kind": "project", "header": {"项目名称": "甲"}, "funds": funds or [],
        "indicators": [indicator] if indicator else []}]}


@pytest.mark.parametrize("key", list(FUND_ROW_FAMILIES))
def test_fund_row_synonyms_in_the_interchange(key):
    for label in FUND_ROW_FAMILIES[key]:
        doc = document_from_json(_project(funds=[{"row": label, "全年预算数": "12.5"}]))
        assert doc.forms[0].funds == {key: {"全年预算数": "12.5"}}, label


@pytest.mark.parametrize("key", list(FUND_COLUMN_FAMILIES))
def test_fund_column_synonyms_in_the_interchange(key):
    for label in FUND_COLUMN_FAMILIES[key]:
        doc = document_from_json(_project(funds=[{"row": "年度资金总额", label: "7"}]))
        assert doc.forms[0].funds == {"年度资金总额": {key: "7"}}, label


@pytest.mark.parametrize("key", list(INDICATOR_FAMILIES))
def test_indicator_column_synonyms_in_the_interchange(key):
    for label in INDICATOR_FAMILIES[key]:
        doc = document_from_json(_project(indicator={"三级指标": "x", label: "≥5个"}))
        assert doc.forms[0].indicators[0].cells == {"三级指标": "x", key: "≥5个"}, label
        assert not doc.forms[0].tables, label  # nothing left over


def test_a_regions_own_labels_belong_to_its_rows():
    # 河南's 政府性预算资金 is this year's appropriation: 本年财政拨款 lands there
    doc = document_from_json(_project(funds=[{"row": "其中：本年财政拨款", "全年预算数": "3"}], template="henan"))
    assert doc.forms[0].funds == {"政府性预算资金": {"全年预算数": "3"}}


def test_every_template_label_is_read_back_as_its_own_field():
    """What a template prints is what the vocabulary maps back (the layout and the readers agree)."""
    from jixiao.core.vocabulary import column_map, fund_row_map

    for tpl in available_templates():
        for fd in tpl.forms.values():
            funds = fd.funds
            rows = fund_row_map(funds)
            assert all(rows[normalize_label(r.label)] == r.key for r in funds.fund_rows), tpl.id
            cols = column_map("fund_column", funds.columns)
            assert all(cols[normalize_label(c.label)] == c.key for c in funds.columns), tpl.id
            ind = fd.indicators
            cols = column_map("indicator_column", ind.columns)
            assert all(cols[normalize_label(c.label)] == c.key for c in ind.columns), tpl.id


# ------------------------------------------------------------------ the data file


def test_the_vocabulary_file_is_not_a_template():
    path = resource_path("templates", "vocabulary", "labels.json")
    assert path.is_file()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "contexts" in data and "id" not in data
    assert all(t.id != "vocabulary" for t in available_templates())


def test_each_label_names_one_field_per_context():
    vocab = vocabulary()
    for context in ("fund_row", "fund_column", "indicator_column", "header", "text_column", "section"):
        seen: dict[str, str] = {}
        for key in vocab.keys(context):
            for n in vocab.normalized(context, key):
                assert seen.setdefault(n, key) == key, (context, n)


def test_a_conflicting_label_is_refused():
    from jixiao.core.vocabulary import Vocabulary

    with pytest.raises(VocabularyError, match="只能指一个栏目"):
        Vocabulary({"contexts": {"fund_column": {"全年预算数": ["预算数"], "年初预算数": ["预算数（万元）"]}}})
    with pytest.raises(VocabularyError, match="未知的类别"):
        Vocabulary({"contexts": {"colours": {}}})


def test_a_region_folder_adds_labels(office_templates):
    office_templates("vocabulary/extra.json", {"contexts": {"fund_row": {"当年财政拨款": ["一般公共预算拨款"]}}})
    doc = document_from_json(_project(funds=[{"row": "一般公共预算拨款", "全年预算数": "1"}]))
    assert doc.forms[0].funds == {"当年财政拨款": {"全年预算数": "1"}}

# ------------------------------------------------------------------ units


def test_percent_written_out_is_percent():
    from jixiao.core.scoring import score_indicator
    from jixiao.core.templates import get_template

    assert unit_of("百分比").family == unit_of("%").family == "percent"
    scoring = get_template("national").scoring
    sc = score_indicator(scoring, "≥100百分比", "100%", "10", "")
    assert sc.rule == "positive" and not sc.unit_mismatch and sc.suggested == Decimal("10.00")
    sc = score_indicator(scoring, "≥95百分比", "90百分比", "10", "")
    assert sc.rule == "positive" and sc.suggested == Decimal("9.47")


def test_percentage_points_are_their_own_family():
    assert unit_of("个百分点").family == unit_of("百分点").family == "points"
    assert unit_of("个百分点").family_name == "百分点"
    assert compatible(unit_of("个百分点"), unit_of("百分点"))
    assert not compatible(unit_of("个百分点"), unit_of("%"))
