"""Parsing of indicator values (年度指标值 / 实际完成值) as officers write them.

Handles comparison signs in ASCII, full-width and words (``>=``, ``≥``, ``＞``,
``不少于``), numbers with units (``=2.85万元``, ``1.3亿元``), percentages,
ratios (``≥3: 1``), ranges (``1-2个``, ``20-40亿元``), actuals written
``=12个`` or ``12个``, and qualitative text (``有效提升``, ``完全达到预期``).

Dates and deadlines (``2023年12月``, ``12月底前``, ``2024年6月30日前``,
``年底前``, ``2024-06-30``) are time values: ``kind == "text"`` with the date
on ``Value.date``, so a date target and a date actual compare as dates (see
:mod:`jixiao.core.scoring`), and a date against anything else is read as text.

Nothing is ever lost: the raw text is kept on the result, and text that looks
numeric but cannot be read is returned with ``kind == "invalid"`` so that
validation can report it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from jixiao.core.figures import normalize_text
from jixiao.core.units import Unit, unit_of

# Longest first: "≥" after ">=" etc. does not matter, but "<=" must win over "<".
_OPS: list[tuple[str, str]] = [
    (">=", ">="), ("=>", ">="), ("≥", ">="), ("≧", ">="), ("⩾", ">="),
    ("<=", "<="), ("=<", "<="), ("≤", "<="), ("≦", "<="), ("⩽", "<="),
    ("==", "="), (">", ">"), ("<", "<"), ("=", "="),
    ("大于等于", ">="), ("不少于", ">="), ("不低于", ">="), ("不小于", ">="), ("至少", ">="),
    ("达到", ">="), ("高于", ">"), ("大于", ">"), ("超过", ">"), ("多于", ">"),
    ("小于等于", "<="), ("不超过", "<="), ("不高于", "<="), ("不多于", "<="), ("不大于", "<="),
    ("控制在", "<="), ("低于", "<"), ("小于", "<"), ("少于", "<"), ("约", "="),
]
_SUFFIX_OPS = [("及以上", ">="), ("及以下", "<="), ("以上", ">="), ("以内", "<="), ("以下", "<=")]

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+"
_NUMBER_UNIT_RE = re.compile(rf"^(?P<num>{_NUM})\s*(?P<unit>.*)$")
_RATIO_RE = re.compile(rf"^(?P<a>{_NUM})\s*[:：]\s*(?P<b>{_NUM})$")
_RANGE_RE = re.compile(
    rf"^(?P<lo>{_NUM})\s*(?P<unit1>[^\d\s~\-—–－至到]*)\s*(?:-|~|～|—|–|－|至|到)\s*(?P<hi>{_NUM})\s*(?P<unit>.*)$"
)
_HAS_DIGIT_RE = re.compile(r"\d")

_NOT_ACHIEVED = ("未达成", "未完成", "未达到", "没有达到", "未实现", "较差", "不达标", "未达标", "未开展")
_PARTIAL = ("部分达成", "部分完成", "部分达到", "部分实现", "基本达成", "基本完成", "基本达到", "基本实现", "一定效果",
            "部分")
_ACHIEVED = (
    "完全达到", "完全达成", "达成", "达到", "完成", "实现", "有效", "显著", "明显", "良好", "合规", "规范",
    "及时", "提升", "提高", "促进", "改善", "加强", "增强", "推进", "推动", "落实", "满意", "是", "优",
    "健全", "公开", "真实", "相关", "合理", "科学", "完整", "无负面影响", "按时", "按期",
)


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date as officers write it, each part optional but the month (年底 is month 12).
    ``deadline``: written with 前/之前/以前/底前/以内 (by then at the latest)."""

    year: int | None
    month: int
    day: int | None
    deadline: bool = False

    def latest(self) -> tuple[int, int, int]:
        """The last day the date covers (a month without a day: its end), in the given year (0 when none)."""
        return (self.year or 0, self.month, self.day or 31)

    def earliest(self) -> tuple[int, int, int]:
        """The first day the date covers (a month without a day: its first)."""
        return (self.year or 0, self.month, self.day or 1)


def on_time(actual: DateValue, target: DateValue) -> bool:
    """Whether ``actual`` is no later than ``target`` (a month alone spans the month; a date without a
    year is taken in the other's year)."""
    a, t = actual.earliest(), target.latest()
    if actual.year is None or target.year is None:
        return a[1:] <= t[1:]
    return a <= t


# 2023年12月, 2024年6月30日前, 12月底前, 11月30日, 2024年底前, 年底前, 截至2023年12月底, 2024-06-30 (then
# any words after a deadline: 12月底前完成, 9月30日前应支尽支). A month alone ("6月") is a duration, not a date.
_DEADLINE = r"(?P<by>之前|以前|前|以内|内|止)?"
_SINCE = r"(?:截止|截至|截止到|于|在)?"  # 截至2023年12月底
_REST = r"(?P<rest>[^\d]*)$"  # words after the date (12月底前完成), no more figures
_DATE_RES = (
    re.compile(r"^" + _SINCE + r"(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号]|(?P<end>底|末))?"
               + _DEADLINE + _REST),
    re.compile(r"^" + _SINCE + r"(?:(?P<y>\d{4})年)?(?P<end>年底|年末|底|末)" + _DEADLINE + _REST),
    re.compile(r"^" + _SINCE + r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + _DEADLINE + _REST),
)


def _date(body: str) -> DateValue | None:
    """The date or deadline ``body`` is (spaces removed), or None."""
    for rx in _DATE_RES:
        m = rx.match(body)
        if m is None:
            continue
        parts = m.groupdict()
        year = int(parts["y"]) if parts.get("y") else None
        month = int(parts["m"]) if parts.get("m") else 12
        day = int(parts["d"]) if parts.get("d") else (31 if parts.get("end") else None)
        deadline = bool(parts.get("by"))
        if parts.get("m") is None and year is None and parts["end"] in ("底", "末"):
            return None  # a bare 底/末 is no date
        if parts.get("m") is not None and year is None and day is None and not deadline:
            return None  # "6月": six months, a duration
        if parts["rest"] and not deadline and year is None:
            return None  # "5月份举办": text that starts with a month
        if not (1 <= month <= 12) or (day is not None and not 1 <= day <= 31) or (year is not None and year < 1900):
            return None
        return DateValue(year, month, day, deadline)
    return None


@dataclass(frozen=True, slots=True)
class Value:
    """One parsed indicator value.

    ``kind``: ``"empty"``, ``"number"`` (``op`` and ``number``), ``"range"``
    (``low``/``high``), ``"text"`` (qualitative) or ``"invalid"`` (looks
    numeric but cannot be read). ``number``/``low``/``high`` are in the unit
    as written (a percentage is kept as 90 for 90%); ``base()`` converts.
    """

    raw: str
    kind: str
    op: str | None = None
    number: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    unit: Unit | None = None
    ratio: bool = False
    text: str = ""  # the normalised text, for qualitative values
    problem: str = ""  # why an invalid value could not be read
    date: DateValue | None = None  # a date or deadline (kind "text"): 2023年12月, 12月底前

    @property
    def is_quantitative(self) -> bool:
        return self.kind in ("number", "range")

    @property
    def unit_text(self) -> str:
        return self.unit.text if self.unit else ""

    @property
    def achievement(self) -> str | None:
        """For qualitative actuals: ``"achieved"``, ``"partial"``,
        ``"not_achieved"`` or ``None`` when the words say nothing."""
        if self.kind != "text":
            return None
        return classify_achievement(self.text)


_NEGATION_RE = re.compile(r"(?:不|未|没有|没|无|非)(?:能|够|太|是很)?(?:"
                          + "|".join(sorted(_ACHIEVED, key=len, reverse=True)) + ")")
_WEAK = ("不明显", "不够", "不足", "欠佳", "不理想", "不到位", "滞后", "延迟", "逾期")


def classify_achievement(text: str) -> str | None:
    """达成 / 部分达成 / 未达成 from an officer's words; ``None`` when unsure
    (the officer then types the score). A negated positive word (不及时,
    未按时完成, 效果不明显, 无明显改善) is never read as 达成."""
    if any(w in text for w in _NOT_ACHIEVED):
        return "not_achieved"
    if _NEGATION_RE.search(text) or any(w in text for w in _WEAK):
        return None
    if any(w in text for w in _PARTIAL):
        return "partial"
    if any(w in text for w in _ACHIEVED):
        return "achieved"
    return None


def _to_decimal(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


@lru_cache(maxsize=65536)
def parse_value(raw: str | None) -> Value:
    """Parse one indicator value. Never raises."""
    if raw is None:
        return Value("", "empty")
    try:
        return _parse(raw)
    except (InvalidOperation, ValueError, ArithmeticError) as exc:  # pragma: no cover - defensive
        return Value(raw, "invalid", problem=f"无法识别：{exc}")


def _parse(raw: str) -> Value:
    t = normalize_text(raw)
    t = re.sub(r"\s+", " ", t)
    if t in ("", "-", "/", "—", "无"):
        return Value(raw, "empty" if t in ("", "-", "—") else "text", text=t)
    body = t
    op = None
    for token, canon in _OPS:
        if body.startswith(token):
            op = canon
            body = body[len(token):].strip()
            break
    for token, canon in _SUFFIX_OPS:
        if body.endswith(token) and _HAS_DIGIT_RE.search(body):
            if op is None:
                op = canon
            elif (op in (">=", ">")) != (canon == ">="):
                return Value(raw, "invalid", op=op, problem="比较符号与“以上/以下”方向矛盾")
            body = body[: -len(token)].strip()
            break
    when = _date(body.replace(" ", ""))
    if when is not None:  # a date or deadline: compared as a date with another date, else read as text
        return Value(raw, "text", op=op, text=t, date=when)
    if not _HAS_DIGIT_RE.search(body):
        if op is not None and op not in ("=",) and body == "":
            return Value(raw, "invalid", op=op, problem="比较符号后缺少数值")
        # Qualitative: "有效提升", "完全达到预期", "=合规".
        return Value(raw, "text", op=op, text=body if op else t)
    compact = body.replace(" ", "")
    m = _RATIO_RE.match(compact)
    if m:
        a, b = _to_decimal(m["a"]), _to_decimal(m["b"])
        if b == 0:
            return Value(raw, "invalid", op=op, problem="比例的后项为0")
        return Value(raw, "number", op=op or "=", number=a / b, unit=None, ratio=True)
    if op is None or op == "=":
        m = _RANGE_RE.match(compact)
        if m and not compact.startswith("-"):
            lo, hi = _to_decimal(m["lo"]), _to_decimal(m["hi"])
            unit_txt = m["unit"] or m["unit1"]
            if m["unit1"] and m["unit"] and m["unit1"] != m["unit"]:
                return Value(raw, "invalid", problem="区间两端的单位不一致")
            if _HAS_DIGIT_RE.search(unit_txt):
                return Value(raw, "invalid", problem="区间后有多余的数字")
            if lo > hi:
                lo, hi = hi, lo
            return Value(raw, "range", op=None, low=lo, high=hi, unit=unit_of(unit_txt))
    negative = False
    if compact.startswith(("-", "+")):
        negative = compact[0] == "-"
        compact = compact[1:]
    m = _NUMBER_UNIT_RE.match(compact)
    if not m:
        return Value(raw, "invalid", op=op, problem="数值格式无法识别")
    unit_txt = m["unit"]
    unit = unit_of(unit_txt)  # None for nothing but brackets: "0)"
    if _HAS_DIGIT_RE.search(unit_txt) or (unit is not None and unit.family.startswith("other:")):
        if op is None and len(re.findall(r"[\u4e00-\u9fff]", unit_txt)) >= 3:
            # A deadline or description that starts with a number: "9月30日前应支尽支".
            return Value(raw, "text", text=t)
        if _HAS_DIGIT_RE.search(unit_txt):
            # "1周1次": text with numbers inside. Equal texts still compare equal.
            return Value(raw, "invalid", op=op, text=compact, problem="数值后有无法识别的内容")
    number = _to_decimal(m["num"])
    if negative:
        number = -number
    return Value(raw, "number", op=op or "=", number=number, unit=unit)



# Operators a 指标性质 / 计算符号 column may hold; "定性" means a qualitative target.
_OP_WORDS = {"≥": "≥", ">=": "≥", "＞＝": "≥", "大于等于": "≥", "≤": "≤", "<=": "≤", "＜＝": "≤", "小于等于": "≤",
             "=": "=", "＝": "=", "等于": "=", ">": ">", "＞": ">", "大于": ">", "<": "<", "＜": "<", "小于": "<",
             "定性": "", "定量": "", "定性指标": "", "定量指标": "", "正向": "≥", "反向": "≤", "正向指标": "≥",
             "反向指标": "≤"}


def compose_value(op: str, value: str, unit: str) -> str:
    """One indicator value from the three columns some forms print apart
    (四川 指标性质 | 指标值 | 度量单位, 天津 计算符号 | 指标值 | 计量单位): ``("≥",
    "100", "%")`` → ``"≥100%"``. A value that already carries an operator or
    its unit is not given them twice; an operator word this function does not
    know is kept in front of the value, so nothing typed is lost."""
    v = value.strip()
    o = op.strip()
    u = unit.strip()
    if not v:
        return ""
    nv = normalize_text(v)
    if o:
        sign = _OP_WORDS.get(normalize_text(o).replace(" ", ""), o)
        starts_with_op = any(nv.startswith(t) for t, _ in _OPS)
        if sign and not starts_with_op:
            v = sign + v
    if u and not nv.endswith(normalize_text(u)) and _HAS_DIGIT_RE.search(nv):
        v = v + u
    return v


def fold_value_columns(cells: dict[str, str], op: str, unit: str) -> None:
    """Read separate 指标性质 / 度量单位 cells into the row's values, for a
    template without those columns: the target becomes one string
    (:func:`compose_value`) and a bare numeric 实际完成值 takes the unit. An
    operator or unit with no value beside it is kept as the target's text, so
    nothing typed is lost (validation then asks for the value)."""
    op, unit = op.strip(), unit.strip()
    if not op and not unit:
        return
    target = cells.get("年度指标值", "")
    cells["年度指标值"] = compose_value(op, target, unit) if target.strip() else op + unit
    actual = cells.get("实际完成值", "")
    if actual.strip() and unit:
        cells["实际完成值"] = compose_value("", actual, unit)
