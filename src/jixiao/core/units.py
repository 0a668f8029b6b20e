"""Units of indicator values: families, conversions and comparison.

``万元`` and ``亿元`` convert; ``次`` against ``%`` is a mismatch; ``百分比`` is
``%`` written out, while ``个百分点`` (a change of a rate) is a family of its own. Classifiers
of counted things (个, 家, 项, 人次 …) are one family: officers mix them
freely and a mismatch between them is not worth a finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

# unit -> (family, factor to the family's base unit)
_FACTORS: dict[str, tuple[str, Decimal]] = {
    "%": ("percent", Decimal(1)),
    "百分比": ("percent", Decimal(1)),  # 安徽 writes the unit out: "≥100百分比"
    "百分率": ("percent", Decimal(1)),
    "‰": ("percent", Decimal("0.1")),
    "个百分点": ("points", Decimal(1)),  # a change of a rate ("提高2个百分点"), not a rate
    "百分点": ("points", Decimal(1)),
    "元": ("money", Decimal(1)),
    "千元": ("money", Decimal(1000)),
    "万元": ("money", Decimal(10000)),
    "万": ("money-or-count", Decimal(10000)),
    "亿元": ("money", Decimal(100000000)),
    "亿": ("money-or-count", Decimal(100000000)),
    "克": ("mass", Decimal("0.001")),
    "千克": ("mass", Decimal(1)),
    "公斤": ("mass", Decimal(1)),
    "kg": ("mass", Decimal(1)),
    "吨": ("mass", Decimal(1000)),
    "万吨": ("mass", Decimal(10000000)),
    "秒": ("duration", Decimal(1)),
    "分钟": ("duration", Decimal(60)),
    "小时": ("duration", Decimal(3600)),
    "个工作日": ("days", Decimal(1)),
    "工作日": ("days", Decimal(1)),
    "天": ("days", Decimal(1)),
    "日": ("days", Decimal(1)),
    "周": ("days", Decimal(7)),
    "个月": ("months", Decimal(1)),
    "月": ("months", Decimal(1)),
    "年": ("months", Decimal(12)),
    "平方米": ("area", Decimal(1)),
    "㎡": ("area", Decimal(1)),
    "m2": ("area", Decimal(1)),
    "亩": ("area", Decimal("666.6667")),
    "公顷": ("area", Decimal(10000)),
    "米": ("length", Decimal(1)),
    "公里": ("length", Decimal(1000)),
    "千米": ("length", Decimal(1000)),
    "度": ("energy", Decimal(1)),
    "千瓦时": ("energy", Decimal(1)),
    "万千瓦时": ("energy", Decimal(10000)),
    "M": ("bandwidth", Decimal(1)),
    "M/S": ("bandwidth", Decimal(1)),
}

COUNT_WORDS = frozenset(
    "个 家 项 人 人次 次 场 场次 份 篇 座 期 件 名 台 套 种 条 批 本 户 村 所 部 册 张 辆 课时 "
    "学时 节 轮 组 支 队 株 头 只 棵 处 栋 间 位 例 单 笔 款 门 类 届 期次 户次 家次 批次 "
    "团 站 园 基地 企业 平台 人/次 张次 篇次 项次".split()
)

FAMILY_NAMES = {
    "percent": "百分比",
    "points": "百分点",
    "money": "金额",
    "mass": "重量",
    "duration": "时长",
    "days": "天数",
    "months": "月数",
    "area": "面积",
    "length": "长度",
    "count": "数量",
    "energy": "电量",
    "bandwidth": "带宽",
}


@dataclass(frozen=True, slots=True)
class Unit:
    text: str  # as written after normalisation, e.g. "万元/人/年"
    family: str  # "money", "count", "percent", "ratio", "other:<text>" …
    factor: Decimal  # multiply a value by this to get the family's base unit
    per: str = ""  # the "/人/天" tail of compound units

    @property
    def family_name(self) -> str:
        return FAMILY_NAMES.get(self.family, self.text)


@lru_cache(maxsize=4096)
def unit_of(text: str) -> Unit | None:
    """Classify a unit string; ``None`` for no unit."""
    t = text.strip().strip("（）()").strip()
    if not t:
        return None
    head, sep, tail = t.partition("/")
    per = sep + tail if sep else ""
    if head in _FACTORS:
        family, factor = _FACTORS[head]
        return Unit(t, family + per, factor, per)
    for prefix, mult in (("万", Decimal(10000)), ("亿", Decimal(100000000)), ("千", Decimal(1000))):
        rest = head[len(prefix):]
        if head.startswith(prefix) and rest and (rest in COUNT_WORDS or rest in _FACTORS):
            inner = unit_of(rest + per)
            if inner is not None and not inner.family.startswith("other:"):
                return Unit(t, inner.family, inner.factor * mult, per)
    if head in COUNT_WORDS or (len(head) <= 2 and not per and head not in _FACTORS and _is_cjk(head)):
        return Unit(t, "count" + per, Decimal(1), per)
    return Unit(t, "other:" + t, Decimal(1), per)


def _is_cjk(s: str) -> bool:
    return bool(s) and all("\u4e00" <= ch <= "\u9fff" for ch in s)


def compatible(a: Unit | None, b: Unit | None) -> bool:
    """Whether two values can be compared. A missing unit on either side is
    taken to mean "the same unit as the other side" (officers often write
    ``=12`` for ``≥10个``)."""
    if a is None or b is None:
        return True
    if a.family == b.family:
        return True
    fa, fb = a.family, b.family
    # "29万" against "29万元": the bare 万 is a multiplier of either money or a count.
    if fa.startswith("money-or-count") or fb.startswith("money-or-count"):
        other = fb if fa.startswith("money-or-count") else fa
        return other.startswith("money") or other.startswith("count")
    return False

