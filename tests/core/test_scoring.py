import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.scoring import execution_score, score_indicator
from jixiao.core.templates import get_template, reload_templates

NAT = get_template("national").scoring
HENAN = get_template("henan").scoring


def s(target, actual, weight="10", score="", scoring=NAT):
    return score_indicator(scoring, target, actual, weight, score)


def test_positive_rule():
    assert s("≥10家", "=9家").suggested == Decimal("9.00")
    assert s("≥10家", "12家").suggested == Decimal("10.00")
    assert s(">=135家", "99家", "6").suggested == Decimal("4.40")


def test_reverse_rule_floors_at_zero():
    assert s("≤6小时", "8小时", "5").suggested == Decimal("3.33")
    assert s("≤5%", "0%").suggested == 10
    assert s("≤5%", "0%").deviation == 0  # within a ceiling is no deviation
    assert s("≤5%", "43%", "1").suggested == 0


def test_range_rule():
    assert s("1-2个", "2个").suggested == 10
    assert s("20-40亿元", "10亿元").suggested == Decimal("5.00")
    over = s("1-2个", "4个")
    assert over.suggested == 10 and over.overshoot == 1  # national: full, flagged
    assert s("1-2个", "4个", "2.5", scoring=HENAN).suggested == Decimal("1.50")


def test_units_convert_and_mismatch():
    assert s("≥1亿元", "=8000万元").suggested == Decimal("8.00")
    m = s("≥1次", "=1%")
    assert m.unit_mismatch and m.suggested is None


def test_qualitative_bands():
    full = s("有效提升", "完全达到预期", "40")
    assert full.rule == "qualitative" and full.suggested == 40 and full.band == (Decimal("32.00"), Decimal("40.00"))
    part = s("有效提升", "部分达成年度指标并具有一定效果", "10")
    assert part.suggested is None and part.band == (Decimal("6.00"), Decimal("8.00"))
    none = s("有效提升", "未达成年度指标且效果较差", "10")
    assert none.band == (Decimal("0.00"), Decimal("6.00"))


def test_qualitative_target_with_percentage_actual():
    r = s("9月30日前应支尽支", "90%", "6", scoring=HENAN)
    assert r.rule == "qualitative-percent" and r.suggested == Decimal("5.40") and r.deviation == Decimal("-0.1")


def test_same_text_counts_as_met():
    assert s("=1 周 1 次", "=1 周 1 次").suggested == 10


def test_typed_score_is_kept():
    r = s("≥15个", "=14个", "5", "4.65")
    assert r.typed == Decimal("4.65") and r.effective == Decimal("4.65") and r.suggested == Decimal("4.67")


def test_execution_score():
    assert execution_score(NAT, Decimal(10), Decimal("3.89") / Decimal("4.29")) == Decimal("9.07")
    assert execution_score(NAT, Decimal(10), Decimal(3)) == 10  # capped at 100%
    assert execution_score(NAT, Decimal(10), None) is None


def test_zero_threshold_and_grade_bands_are_template_settings(tmp_path, monkeypatch):
    region = {
        "format": 1, "id": "test-region", "extends": "national", "name": "测试地区",
        "scoring": {"execution_zero_below": "0.5", "grades": [["优", "80"], ["良", "70"], ["中", "60"], ["差", "0"]]},
    }
    (tmp_path / "test-region.json").write_text(json.dumps(region, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("JIXIAO_TEMPLATES", str(tmp_path))
    reload_templates()
    try:
        t = get_template("test-region")
        assert execution_score(t.scoring, Decimal(10), Decimal("0.142")) == 0
        assert execution_score(t.scoring, Decimal(10), Decimal("0.6")) == 6
        assert t.scoring.grade(Decimal("85")) == "优" and NAT.grade(Decimal("85")) == "良"
        assert t.forms["project"].title == "项目支出绩效自评表"  # inherited
    finally:
        monkeypatch.delenv("JIXIAO_TEMPLATES")
        reload_templates()


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["≥", "≤", "=", ">", "<", ""]),
    st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False),
    st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False),
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False),
    st.sampled_from([NAT, HENAN]),
)
def test_random_numbers_never_escape_and_stay_within_weight(op, target, actual, weight, scoring):
    r = score_indicator(scoring, f"{op}{target}个", f"{actual}个", str(weight), "")
    if r.suggested is not None:
        assert 0 <= r.suggested <= weight + Decimal("0.005")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20), st.text(max_size=20), st.text(max_size=8), st.text(max_size=8))
def test_random_text_never_escapes(target, actual, weight, score):
    r = score_indicator(NAT, target, actual, weight, score)
    assert r.rule in ("positive", "reverse", "range", "qualitative", "qualitative-percent", "same-text", "none")


def test_a_deadline_met_scores_full_and_a_missed_one_is_the_officers():
    """时效: both dates compare as dates; a date against a non-date is read as text."""
    met = [("2023年12月", "2023年11月"), ("12月底前", "2023年12月"), ("2024年6月30日前", "2024年6月15日"),
           ("2023年12月", "2023年12月"), ("年底前", "2024年11月30日"), ("≥2024年3月", "2024年4月")]
    for target, actual in met:
        r = s(target, actual)
        assert (r.rule, r.suggested, r.needs_reason) == ("date", Decimal("10.00"), False), (target, actual)
    late = s("2024年6月30日前", "2024年7月2日")
    assert late.rule == "date" and late.suggested is None and late.achievement == "not_achieved" and late.needs_reason
    assert s("2023年12月", "2024年1月").needs_reason
    assert s("2024年6月30日前", "2024年7月2日", score="8").effective == 8
    # against a non-date the target is text: 按时完成 is achieved, 90% scores as a share (seed 004: 6 → 5.4)
    assert (s("12月底前", "按时完成").rule, s("12月底前", "按时完成").suggested) == ("qualitative", Decimal("10.00"))
    assert s("9月30日前应支尽支", "90%", weight="6").suggested == Decimal("5.40")
