from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.values import parse_value

CASES = [
    # raw, kind, op, number/low, high, unit
    ("≥50家", "number", ">=", "50", None, "家"),
    (">=30项", "number", ">=", "30", None, "项"),
    ("=1个", "number", "=", "1", None, "个"),
    ("≤450元/人/天", "number", "<=", "450", None, "元/人/天"),
    ("<=5%", "number", "<=", "5", None, "%"),
    ("=2.85万元", "number", "=", "2.85", None, "万元"),
    ("1.3亿元", "number", "=", "1.3", None, "亿元"),
    ("=12个", "number", "=", "12", None, "个"),
    ("12个", "number", "=", "12", None, "个"),
    ("＞＝１２个", "number", ">=", "12", None, "个"),  # full-width sign and digits
    ("＞ 5 人", "number", ">", "5", None, "人"),
    ("＜10次", "number", "<", "10", None, "次"),
    (">=500 人次", "number", ">=", "500", None, "人次"),
    ("不少于80人", "number", ">=", "80", None, "人"),
    ("5个以上", "number", ">=", "5", None, "个"),
    ("1,200元", "number", "=", "1200", None, "元"),
    ("1-2个", "range", None, "1", "2", "个"),
    ("20-40亿元", "range", None, "20", "40", "亿元"),
    ("10～20次", "range", None, "10", "20", "次"),
    ("200-300人", "range", None, "200", "300", "人"),
    ("-3%", "number", "=", "-3", None, "%"),
]


@pytest.mark.parametrize("raw,kind,op,num,high,unit", CASES)
def test_quantitative_values(raw, kind, op, num, high, unit):
    v = parse_value(raw)
    assert v.kind == kind
    assert v.op == op
    if kind == "range":
        assert v.low == Decimal(num) and v.high == Decimal(high)
    else:
        assert v.number == Decimal(num)
    assert v.unit_text == unit
    assert v.raw == raw  # nothing is lost


def test_ratios_parse_as_their_quotient():
    assert parse_value("≥3: 1").number == 3 and parse_value("≥3: 1").ratio
    assert parse_value("=1.95: 1").number == Decimal("1.95")
    assert parse_value("3：2").number == Decimal("1.5")
    assert parse_value("3:0").kind == "invalid"


@pytest.mark.parametrize("raw,achievement", [
    ("完全达到预期", "achieved"), ("达成年度指标", "achieved"), ("完全达到预期效果", "achieved"),
    ("部分达成年度指标并具有一定效果", "partial"), ("基本达到预期", "partial"),
    ("未达成年度指标且效果较差", "not_achieved"),
])
def test_qualitative_actuals(raw, achievement):
    v = parse_value(raw)
    assert v.kind == "text" and v.achievement == achievement


@pytest.mark.parametrize("raw", ["有效提升", "明显", "逐步改善", "9月30日前应支尽支", "执行“五天四夜”要求和请销假制度"])
def test_qualitative_targets(raw):
    assert parse_value(raw).kind == "text"


@pytest.mark.parametrize("raw", ["≥", ">=abc1", "=1 周 1 次", "12..5个", "x>=5"])
def test_unreadable_numeric_text_is_reported_not_lost(raw):
    v = parse_value(raw)
    assert v.kind == "invalid" and v.problem and v.raw == raw


def test_empty_values():
    assert parse_value("").kind == "empty"
    assert parse_value(None).kind == "empty"
    assert parse_value("  ").kind == "empty"


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=40))
def test_random_text_is_either_parsed_or_reported(raw):
    v = parse_value(raw)
    assert v.raw == raw
    assert v.kind in ("empty", "number", "range", "text", "invalid")
    if v.kind == "invalid":
        assert v.problem
    if v.kind == "number":
        assert v.number is not None and v.op in (">=", ">", "=", "<=", "<")
    if v.kind == "range":
        assert v.low is not None and v.high is not None and v.low <= v.high


_signs = st.sampled_from(["", "=", ">=", "≥", "＞", "<=", "≤", "<", "不少于"])
_units = st.sampled_from(["", "个", "家", "%", "万元", "亿元", "人次", "元/人/天", "小时"])


@settings(max_examples=300, deadline=None)
@given(_signs, st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False), _units)
def test_generated_numbers_round_trip(sign, number, unit):
    v = parse_value(f"{sign}{number}{unit}")
    assert v.kind == "number"
    assert v.number == number
    assert v.unit_text == unit


@pytest.mark.parametrize("raw", ["不及时", "未按时完成", "效果不明显", "无明显改善", "不满意", "不合规", "没有完成"])
def test_negated_results_are_never_read_as_achieved(raw):
    assert parse_value(raw).achievement is None  # the officer scores it


@pytest.mark.parametrize("raw,op,num,unit", [
    ("95%及以上", ">=", "95", "%"), ("3万元及以下", "<=", "3", "万元"), ("≥95%以上", ">=", "95", "%"),
])
def test_suffix_comparisons(raw, op, num, unit):
    v = parse_value(raw)
    assert (v.kind, v.op, v.number, v.unit_text) == ("number", op, Decimal(num), unit)


def test_contradicting_signs_are_reported():
    assert parse_value("≤95%以上").kind == "invalid"


def test_ten_thousand_prefixed_units_convert():
    from jixiao.core.scoring import score_indicator
    from jixiao.core.templates import get_template

    nat = get_template("national").scoring
    assert score_indicator(nat, "≥100000人", "10万人", "10", "").suggested == 10
    assert score_indicator(nat, "≥10万人次", "120000人次", "10", "").suggested == 10
    assert score_indicator(nat, "≥10万人次", "50000人次", "10", "").suggested == 5


@pytest.mark.parametrize(
    ("op", "value", "unit", "expected"),
    [
        ("≥", "100", "%", "≥100%"),
        (">=", "100%", "%", "≥100%"),  # the unit is not added twice
        ("≤", "≤30", "万元", "≤30万元"),  # nor the operator
        ("定性", "有效提升", "", "有效提升"),
        ("=", "12", "个", "=12个"),
        ("", "5", "家", "5家"),
        ("不少于", "3", "次", "不少于3次"),  # an operator word is kept as typed
        ("≥", "", "%", ""),
    ],
)
def test_compose_value_from_three_columns(op, value, unit, expected):
    from jixiao.core.values import compose_value

    assert compose_value(op, value, unit) == expected


def test_a_number_followed_by_a_bracket_alone_is_read():
    """Hypothesis found "0)": the unit is nothing but a bracket."""
    v = parse_value("0)")
    assert v.kind == "number" and v.unit is None


# ------------------------------------------------------------------ dates and deadlines (时效指标)

# (written, year, month, day, deadline): notations of real forms and reports: seeds 000 (2024年10月,
# 2024年12月26日, 截止2024年底), 003 (截止2023年12月31日), 004 (9月30日前应支尽支) and the deadlines officers type
DATES = [
    ("2023年12月", 2023, 12, None, False),
    ("12月底前", None, 12, 31, True),
    ("2024年6月30日前", 2024, 6, 30, True),
    ("9月30日前应支尽支", None, 9, 30, True),
    ("2024年10月", 2024, 10, None, False),
    ("2024年12月26日", 2024, 12, 26, False),
    ("截止2024年底", 2024, 12, 31, False),
    ("截止2023年12月31日", 2023, 12, 31, False),
    ("年底前", None, 12, 31, True),
    ("2024年底前完成", 2024, 12, 31, True),
    ("２０２３年１１月", 2023, 11, None, False),
    ("2024-06-30", 2024, 6, 30, False),
    ("≤2023年12月", 2023, 12, None, False),
]


@pytest.mark.parametrize(("raw", "year", "month", "day", "deadline"), DATES)
def test_dates_and_deadlines_are_time_values(raw, year, month, day, deadline):
    v = parse_value(raw)
    assert v.kind == "text" and v.raw == raw  # never "invalid": no unparsable-value warning
    assert v.date is not None and (v.date.year, v.date.month, v.date.day, v.date.deadline) == (
        year, month, day, deadline)


@pytest.mark.parametrize("raw", ["6月", "≤6个月", "12月", "5月份举办", "2023.12", "按时完成", "及时"])
def test_months_as_a_duration_and_plain_text_are_not_dates(raw):
    assert parse_value(raw).date is None
