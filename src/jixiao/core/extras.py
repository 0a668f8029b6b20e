"""What a form holds beyond its template: kept, shown, exported and read back.

An officer's form may carry rows and fields its template does not have: a fund
row 自筹资金, 四川's 项目实施内容及过程概述, 云南's 项目类别, a 备注 under the
grid. Nothing typed is dropped; one mechanism keeps it:

- a fund row the template lacks stays in ``Form.funds`` under the officer's own
  label (made safe for a field path by :func:`~jixiao.core.vocabulary.key_text`).
  The layout shows it below the template's rows of the funds block, and the
  total-row check counts it as one of the 其中 rows;
- anything else becomes a row of the form's **附加内容** block,
  ``form.tables["附加内容"]`` = ``[{"栏目": label, "内容": text}, …]``, drawn
  after the form's last block by the same code as any table block, exported to
  Excel, written to JSON and read back from both.

Validation reports each as a warning (``extra-content``) until the officer
moves it where it belongs or clears it.

Imports nothing at run time but the typing module: :mod:`jixiao.core.fields`
uses the names below.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jixiao.core.model import Form
    from jixiao.core.templates import FormDef, FundRowDef, Section

EXTRAS = "附加内容"  # the table key (reserved: no template block may use it)
EXTRA_LABEL = "栏目"
EXTRA_TEXT = "内容"
SEP = "·"  # between the parts of a 附加内容 栏目: a row's and a column's label ("总额·原因")


def extra_rows(form: Form) -> list[dict[str, str]]:
    """The 附加内容 rows of a form (the list itself; empty when there are none)."""
    return form.tables.get(EXTRAS, [])


def add_extra(form: Form, label: str, text: str) -> None:
    """Keep ``text`` (with the label it stood under, ``""`` when none) in the 附加内容 block."""
    row = {EXTRA_LABEL: label.strip(), EXTRA_TEXT: text}
    form.tables.setdefault(EXTRAS, []).append({k: v for k, v in row.items() if v})


@lru_cache(maxsize=64)
def extras_section(fd: FormDef) -> Section:
    """The 附加内容 block as a table section spanning the form's grid:
    a label column, ``栏目`` and ``内容``."""
    from jixiao.core.templates import Column, Section

    width = fd.width
    label_span = max(1, min(3, (width - 1) // 3))
    return Section(
        type="table",
        key=EXTRAS,
        label=EXTRAS,
        columns=(Column(EXTRA_LABEL, EXTRA_LABEL, span=label_span),
                 Column(EXTRA_TEXT, EXTRA_TEXT, span=width - 1 - label_span)),
    )


def extra_fund_rows(sec: Section, form: Form) -> list[FundRowDef]:
    """Fund rows the form holds and the template lacks, in the order they were added."""
    from jixiao.core.templates import FundRowDef

    known = {r.key for r in sec.fund_rows}
    return [FundRowDef(key, key) for key, cells in form.funds.items() if key not in known and cells]


def extra_fund_key(form: Form, sec: Section | None, label: str) -> str:
    """The key an extra fund row is kept under: the officer's label made safe for a
    field path, numbered (``自筹资金（2）``) when the form or the template already has it."""
    from jixiao.core.vocabulary import key_text

    base = key_text(label)
    taken = set(form.funds) | {r.key for r in (sec.fund_rows if sec is not None else ())}
    key, n = base, 2
    while key in taken:
        key, n = f"{base}（{n}）", n + 1
    return key


def nest_sub_rows(sec: Section, form: Form) -> list[str]:
    """``其中`` rows the officer nested under the ``其中`` row above (``其中：财政资金`` / ``其中：上年结转`` where
    the 上年结转 is part of the 财政资金): an extra row (the template's rows are its parallel parts by
    definition) right below another ``其中`` row, whose figures show the total is the sum of the other rows
    without it, in every amount column where it holds a non-zero figure. Such a row is moved to 附加内容
    (``财政资金·其中：上年结转·全年执行数``) instead of being summed into the total a second time; the keys moved
    are returned."""
    from jixiao.core.figures import parse_decimal
    from jixiao.core.templates import AMOUNT_COLUMNS
    from jixiao.core.vocabulary import display_label

    total = sec.total_fund_row
    if total is None:
        return []
    labels = {r.key: r.label for r in sec.fund_rows}
    moved: list[str] = []

    def sub(key: str) -> bool:
        return labels.get(key, key).lstrip().startswith("其中")

    def nested(key: str, keys: list[str]) -> bool:
        checked = False
        for col in AMOUNT_COLUMNS:
            tot = parse_decimal(form.funds[total.key].get(col, ""))
            own = parse_decimal(form.funds[key].get(col, ""))
            if tot is None or own is None or own == 0:  # a zero says nothing about where the row belongs
                continue
            parts = [parse_decimal(form.funds[k].get(col, "") or "0") for k in keys if k != key]
            if any(x is None for x in parts):
                return False
            rest = sum((x for x in parts if x is not None), start=tot - tot)
            if rest != tot or rest + own == tot:
                return False
            checked = True
        return checked

    while total.key in form.funds:
        keys = [k for k in form.funds if k != total.key]
        hit = next(((above, k) for above, k in zip(keys, keys[1:], strict=False)
                    if k not in labels and sub(k) and sub(above) and nested(k, keys)), None)
        if hit is None:
            break
        above, key = hit
        for col, value in form.funds.pop(key).items():
            add_extra(form, SEP.join((display_label(labels.get(above, above)), key, col)), value)
        moved.append(key)
    return moved


def shows_extra_fund_rows(fd: FormDef) -> bool:
    """Whether the funds block prints its rows' labels, so an extra row can be shown under its own
    label (重庆's one-row block has no label column: there, what the template lacks goes to 附加内容)."""
    sec = fd.funds
    return sec is not None and fd.width - sec.label_span - sum(c.span for c in sec.columns) > 0


def fund_rows_with_extras(fd: FormDef, form: Form) -> list[FundRowDef]:
    """The template's fund rows followed by the form's extra ones (where the block can show them)."""
    sec = fd.funds
    assert sec is not None
    return [*sec.fund_rows, *(extra_fund_rows(sec, form) if shows_extra_fund_rows(fd) else [])]
