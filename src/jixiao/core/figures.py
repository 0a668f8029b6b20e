"""Decimal helpers: parse what officers type, round half up for display.

Money and rates are computed with :class:`decimal.Decimal` at full precision;
rounding happens only when a figure is shown or exported.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

_NUMBER_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")
_DASHES = "—–－−"  # em dash, en dash, full-width hyphen, minus sign


@lru_cache(maxsize=65536)
def normalize_text(text: str) -> str:
    """NFKC-normalise (full-width digits, signs and spaces become ASCII) and trim."""
    return unicodedata.normalize("NFKC", text).strip()


@lru_cache(maxsize=65536)
def is_blank(text: str | None) -> bool:
    if text is None:
        return True
    t = normalize_text(text)
    return t == "" or t in ("-", "—", "/", "_", "－", "无数据")


BLANK_MARKS = frozenset(("—", "-", "/", "_", "－", "——", "--", "\\"))


def is_blank_mark(text: str) -> bool:
    """A dash or slash a form prints in a cell that takes no value (其中 rows'
    分值, 四川's "/"): it carries nothing to keep."""
    return normalize_text(text) in BLANK_MARKS


@lru_cache(maxsize=65536)
def parse_decimal(text: str | None, *, allow_percent: bool = False) -> Decimal | None:
    """Parse an amount, weight or score as typed: ``"3,628.92"``, ``"95.00分"``,
    ``"１２.５"``, ``" 10 "``. Returns ``None`` for blank or unparsable text.

    With ``allow_percent`` a trailing ``%`` is accepted and ignored (the
    caller knows the figure is a percentage).
    """
    if text is None:
        return None
    t = normalize_text(str(text))
    if not t:
        return None
    t = t.replace(" ", "")
    for suffix in ("分", "万元", "元"):
        if t.endswith(suffix):
            t = t[: -len(suffix)]
            break
    if allow_percent and t.endswith("%"):
        t = t[:-1]
    if not t or not _NUMBER_RE.match(t) or t in ("+", "-", "."):
        return None
    try:
        return Decimal(t.replace(",", ""))
    except InvalidOperation:
        return None


def decimals_of(text: str | None) -> int:
    """How many decimals the officer typed (``"9.8"`` → 1, ``"10"`` → 0)."""
    if not text:
        return 0
    t = normalize_text(text).rstrip("%分 ")
    if "." not in t:
        return 0
    frac = t.split(".", 1)[1]
    n = 0
    for ch in frac:
        if ch.isdigit():
            n += 1
        else:
            break
    return n


def round_to(value: Decimal, places: int) -> Decimal:
    try:
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context holds (a typed 10**30): nothing to round
        return value


def q2(value: Decimal) -> Decimal:
    """Round half up to two decimals (the precision printed on the forms)."""
    try:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context holds (a typed 10**30): nothing to round
        return value


def fmt2(value: Decimal | None) -> str:
    """``Decimal('97.985')`` → ``"97.99"``; ``None`` → ``""``."""
    if value is None:
        return ""
    return f"{q2(value):f}"


def fmt_money(value: Decimal | None) -> str:
    """Amounts in 万元 with thousands separators: ``"3,628.92"``."""
    if value is None:
        return ""
    return f"{q2(value):,.2f}"


def fmt_percent(fraction: Decimal | None) -> str:
    """A rate given as a fraction, shown as a percentage: ``0.9799`` → ``"97.99%"``."""
    if fraction is None:
        return ""
    return f"{fmt2(fraction * HUNDRED)}%"


def json_figure(value: Decimal | None) -> str | None:
    """A figure as the JSON reports and files write it: two decimals, ``None`` when there is none."""
    return None if value is None else fmt2(value)


def json_percent(fraction: Decimal | None) -> str | None:
    """A rate (a fraction) as the JSON reports and files write it: a percentage with two
    decimals and no sign (``0.9799`` → ``"97.99"``), ``None`` when there is none."""
    return None if fraction is None else fmt2(fraction * HUNDRED)


def same_at_typed_precision(typed_text: str, typed: Decimal, computed: Decimal) -> bool:
    """Whether a typed figure agrees with a computed one at the precision the
    officer used (at least one decimal, at most two): ``"9.8"`` agrees with
    9.799, ``"4.65"`` does not agree with 4.6667, ``"5"`` does not agree with 3.33."""
    places = min(max(decimals_of(typed_text), 1), 2)
    return round_to(typed, places) == round_to(computed, places)
