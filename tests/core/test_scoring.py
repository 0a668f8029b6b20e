from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.figures import ZERO, parse_decimal, q2
from jixiao.core.scoring import execution_score, score_indicator
from jixiao.core.templates import get_template

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


def test_zero_threshold_and_grade_bands_are_template_settings(office_templates):
    office_templates("test-region.json", {
        "format": 1, "id": "test-region", "extends": "national", "name": "测试地区",
        "scoring": {"execution_zero_below": "0.5", "grades": [["优", "80"], ["良", "70"], ["中", "60"], ["差", "0"]]},
    })
    t = get_template("test-region")
    assert execution_score(t.scoring, Decimal(10), Decimal("0.142")) == 0
    assert execution_score(t.scoring, Decimal(10), Decimal("0.6")) == 6
    assert t.scoring.grade(Decimal("85")) == "优" and NAT.grade(Decimal("85")) == "良"
    assert t.forms["project"].title == "项目支出绩效自评表"  # inherited


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


# What an officer types or pastes into 年度指标值 / 实际完成值: a value (a sign, a number or a range, a
# unit), the words of the qualitative bands, or pieces of those joined with arbitrary characters; most
# pairs are two figures in one unit or words against words, so that every rule is reached.
_UNITS = ["", "%", "％", "个", "家", "万元", "亿元", "元", "小时", "人次", "以上", "及以下"]
_NUMBER = st.one_of(st.integers(0, 200).map(str), st.sampled_from(["0.5", "1,000", "１２", ".5", "3:1", "99.99"]),
                    st.decimals(min_value=0, max_value=10**4, places=2, allow_nan=False).map(str))
_OPS = ["", "≥", "≤", ">=", "<=", "=", ">", "<", "不低于", "控制在", "约", "-"]
_WORDS = st.sampled_from(["达到预期", "完成", "部分达成年度指标并具有一定效果", "未完成", "效果不明显", "有效提升",
                          "是", "否", "良好", "100%", "=100%", "按时完成", "2023年12月", "12月底前", "年底前",
                          "2024年6月30日前", "2024年7月2日"])


def _value(unit: str, ops: list[str] = _OPS) -> st.SearchStrategy[str]:
    return st.builds("{}{}{}{}".format, st.sampled_from(ops), _NUMBER,
                     st.sampled_from(["", "", "", "-20", "~40", "至2"]), st.just(unit))


@st.composite
def _target_and_actual(draw: st.DrawFn) -> tuple[str, str]:
    if draw(st.integers(0, 9)) < 6:  # two figures in one unit, the actual below, at or beyond the target
        unit, op, t = draw(st.sampled_from(_UNITS)), draw(st.sampled_from(_OPS)), draw(st.integers(1, 5000))
        target = draw(st.sampled_from([f"{op}{t}{unit}", f"{op}{t:,}{unit}", f"{t}-{2 * t}{unit}"]))
        a = draw(st.sampled_from([0, t // 3, t, t + t // 2, 3 * t, 5 * t]))
        return target, f"{draw(st.sampled_from(['', '=', '≥', '约']))}{a}{unit}"
    if draw(st.booleans()):  # words, or a percentage, against words: the qualitative rules
        return draw(_WORDS), draw(st.one_of(_WORDS, _value("%")))

    def cell() -> str:
        return draw(st.lists(st.one_of(st.sampled_from(_UNITS).flatmap(_value), _WORDS, st.text(max_size=6)),
                             max_size=3).map("".join))

    return cell(), cell()


_WEIGHT = st.one_of(st.sampled_from(["10", "5", "2.5", "0", "-5", "１０", "10分", "", "十"]),
                    st.integers(1, 60).map(str), st.text(max_size=8))


def _never_escapes(scoring, target: str, actual: str, weight: str, score: str) -> None:
    """No exception; the typed 分值 and 得分 read and never altered; a rule's score between 0 and the
    分值, inside its own qualitative band; no 分值, no score; points lost ask for 偏差原因."""
    r = score_indicator(scoring, target, actual, weight, score)
    case = (target, actual, weight, score, r.rule, r.exact)
    assert r.rule in ("positive", "reverse", "range", "date", "qualitative", "qualitative-percent", "same-text",
                      "none")
    assert r.weight == parse_decimal(weight) and r.typed == parse_decimal(score)
    assert (r.exact is None) == (r.suggested is None)
    if r.weight is None or r.rule == "none":
        assert r.suggested is None and r.band is None, case
    low, high = sorted((ZERO, r.weight if r.weight is not None else ZERO))
    if r.exact is not None:
        assert r.suggested == q2(r.exact)
        assert low <= r.exact <= high, case
    if r.band is not None:
        assert low <= min(r.band) <= max(r.band) <= high, case
        if r.exact is not None:
            assert min(r.band) <= r.exact <= max(r.band), case
    if r.lost_points:
        assert r.needs_reason, case
    assert r.effective == (r.typed if r.typed is not None else r.suggested)


@settings(max_examples=600, deadline=None)
@given(_target_and_actual(), _WEIGHT, st.one_of(_WEIGHT, _WORDS, st.text(max_size=8)), st.sampled_from([NAT, HENAN]))
def test_random_text_never_escapes(cells, weight, score, scoring):
    _never_escapes(scoring, *cells, weight, score)


@pytest.mark.parametrize("scoring", [NAT, HENAN], ids=["national", "henan"])
def test_every_rule_stays_within_its_weight(scoring):
    """Every sign against figures below, at and beyond the target (and a range, and words), in
    every unit family: the grid the random test samples, walked whole."""
    for op in _OPS:
        for unit in ("", "%", "个", "万元", "小时", "以上"):
            for t in (1, 5, 120):
                for target in (f"{op}{t}{unit}", f"{t}-{2 * t}{unit}"):
                    for a in (0, t // 3, t, t + t // 2, 3 * t, 5 * t):
                        _never_escapes(scoring, target, f"={a}{unit}", "10", "")
    for target in ("有效提升", "达到预期", "100%", "12月底前", "2024年6月30日前"):
        for actual in ("达到预期", "部分达成年度指标并具有一定效果", "未完成", "0%", "60%", "130%", "-5%",
                       "2023年11月", "2024年7月2日"):
            _never_escapes(scoring, target, actual, "10", "")


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
