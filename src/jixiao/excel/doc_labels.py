"""The words around a form's grid: titles, the year line, 填报单位, 金额单位 and the sign-off.

They belong to the document (one year, unit and sign-off per document) and may
sit anywhere on a sheet, so every sheet is scanned for them before its forms
are read by their labels. The labels come from the vocabulary's ``document``
and ``title`` contexts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from jixiao.core.templates import Template, known_signoff_labels
from jixiao.core.vocabulary import normalize_label, vocabulary
from jixiao.excel.sheets import Sheet, XCell

_YEAR_LINE_RE = re.compile(r"[（(]?\s*(\d{4})\s*年度?\s*[)）]?")
_CAPTION_RE = re.compile(r"附[件表]\s*\d{1,3}\s*[:：]?")
MAX_TITLE = 30  # a normalised title longer than this is text, not a title


@dataclass
class DocFields:
    """Document-level values found on the sheets: 年度, 填报单位, sign-off."""

    year: int | None = None
    unit: str | None = None
    signoff: dict[str, str] = field(default_factory=dict)
    # parts of a sign-off line this template does not sign (联系电话：…, a second 填表人): (sheet, cell, label,
    # value), kept in the 附加内容 of the form the cell belongs to (sheet_parser.parse_sheet)
    kept: list[tuple[Sheet, XCell, str, str]] = field(default_factory=list)


def after_colon(text: str) -> str:
    parts = re.split(r"[:：]", text, maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else ""


def year_of(text: str) -> int | None:
    m = re.search(r"(\d{4})\s*年", unicodedata.normalize("NFKC", text))
    if m and 1990 <= int(m[1]) <= 2100:
        return int(m[1])
    return None


def title_labels(template: Template) -> frozenset[str]:
    vocab = vocabulary()
    out = {normalize_label(fd.title) for fd in template.forms.values()}
    for kind in vocab.keys("title"):
        out |= vocab.normalized("title", kind)
    return frozenset(out)


def is_title(n: str, titles: frozenset[str]) -> bool:
    """A form title: a known one, or any short line ending in 自评表 (``2022年度项目支出绩效自评表``,
    ``(临时救助)绩效目标自评表``)."""
    return n in titles or (n.endswith("自评表") and len(n) <= MAX_TITLE)


def is_department_label(n: str) -> bool:
    return vocabulary().key("header", n) == "部门名称"


def is_summary_sheet(sh: Sheet) -> bool:
    """A 项目单位自评汇总表 (computed from the project forms, not a form itself)."""
    summary = vocabulary().normalized("title", "summary")
    for r in sh.row_numbers[:12]:
        norms = {x.norm for x in sh.row(r)}
        if norms & summary or {"序号", "自评得分"} <= norms:
            if not any(is_department_label(n) for n in norms if n != "单位名称"):
                return True
    return False


def signoff_names(labels: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(normalised name, sign-off label) for the given labels and their vocabulary synonyms
    (填报人 → 填表人), longest name first so 单位负责人 is never read as 负责人."""
    vocab = vocabulary()
    out: dict[str, str] = {}
    for label in labels:
        out.setdefault(normalize_label(label), label)
        concept = vocab.key("signoff", label)
        for n in vocab.normalized("signoff", concept) if concept else ():
            out.setdefault(n, label)
    out.pop("", None)
    return tuple(sorted(out.items(), key=lambda kv: -len(kv[0])))


def _signoff_key(n: str, names: tuple[tuple[str, str], ...]) -> str | None:
    for name, label in names:
        if n.startswith(name):
            return label
    return None


# Segments of a sign-off line: wide gaps, or a single space before the next "label：" (填表人：张三 联系电话：…)
_SEGMENT_SPLIT_RE = re.compile(r"[ \t]{2,}|\u3000+|[ \t](?=[^\s:：\d][^\s:：]{1,7}\s*[:：])")  # not 10:30


def _signoff_pairs(text: str, names: tuple[tuple[str, str], ...]) -> list[tuple[str | None, str, str]] | None:
    """A sign-off cell as (key, label, value) triples: ``填表人：张三`` one, ``填报人：孙伟　联系电话：…　填报日期：…``
    one per segment; a label without a value (``填表人：``) has ``""``. A segment naming nothing this template
    signs (联系电话 on most forms) has key ``None``: the caller keeps it in 附加内容. ``None`` when the cell
    does not begin with a label this template signs."""
    out: list[tuple[str | None, str, str]] = []
    for seg in (x for x in _SEGMENT_SPLIT_RE.split(text.strip()) if x):
        parts = re.split(r"[:：]", seg, maxsplit=1)
        if len(parts) == 2 or not out:
            key = _signoff_key(normalize_label(parts[0]), names)
            if key is None:
                if not out:
                    return None
                out.append((None, parts[0].strip(), parts[1].strip()))
                continue
            if len(parts) == 2:
                value = parts[1].strip()
            else:  # "填表人 张三" (one space): the rest of the cell after the label
                compact = re.sub(r"\s", "", unicodedata.normalize("NFKC", seg))
                name = next(n for n, label in names if label == key and compact.startswith(n)) \
                    if any(label == key and compact.startswith(n) for n, label in names) else ""
                value = compact[len(name):] if name else ""
            out.append((key, parts[0].strip(), value))
        else:
            k, label, v = out[-1]
            out[-1] = (k, label, f"{v} {seg}".strip())  # "2024年  3月" split by its own spaces
    return out or None


def read_doc_labels(sh: Sheet, template: Template, out: DocFields) -> None:
    """Take the document-level cells of a sheet (marked used) into ``out``."""
    vocab = vocabulary()
    titles = title_labels(template)
    unit_labels = vocab.normalized("document", "填报单位")
    signoff = signoff_names(template.signoff_labels)  # another template's sign-off line is content (附加内容)
    others = signoff_names(known_signoff_labels())
    notes = vocab.normalized("document", "金额单位") | vocab.normalized("document", "报表编号")
    for x in list(sh.cells.values()):
        if not isinstance(x.value, str) or sh.is_used(x):
            continue
        n = x.norm
        t = x.text
        nfkc = unicodedata.normalize("NFKC", t).strip()
        if is_title(n, titles) or _CAPTION_RE.fullmatch(nfkc):
            y = year_of(t) if "年度" in t else None
            if y and out.year is None:
                out.year = y
            sh.use(x)
        elif _YEAR_LINE_RE.fullmatch(nfkc):
            y = year_of(t)
            if y and out.year is None:
                out.year = y
            sh.use(x)
        elif (any(n.startswith(u) for u in unit_labels) and after_colon(t)) or n == "填报单位":
            # "填报单位（盖章）：某某局", or "填报单位 | 某某局"; a bare "单位名称" is a header label
            value = after_colon(t) if re.search(r"[:：]", t) else _next_value(sh, x, others)
            if value and out.unit is None:
                out.unit = value
            sh.use(x)
        elif any(n == m or (n.startswith(m) and len(m) > 2) for m in notes):  # 金额单位：万元, 报表编号：510000_0013zp
            sh.use(x)
        else:
            pairs = _signoff_pairs(t, signoff) if _signoff_key(n, signoff) is not None else None
            if pairs is None:
                continue
            sh.use(x)
            for i, (key, label, v) in enumerate(pairs):
                if not v and i == len(pairs) - 1:  # "填表人：" | "张三": the value is the next cell
                    v = _next_value(sh, x, others)
                if not v:
                    continue
                if key is None or out.signoff.get(key, v) != v:  # 联系电话, or a second 填表人 on the line
                    out.kept.append((sh, x, label, v))
                else:
                    out.signoff[key] = v


def _next_value(sh: Sheet, x: XCell, signoff: tuple[tuple[str, str], ...]) -> str:
    """The value typed in the cell right of a label (``单位负责人 | 张三``), taken (marked used)."""
    nxt = sh.get(x.row, x.col + 1)
    if nxt is None or sh.is_used(nxt) or _signoff_key(nxt.norm, signoff) is not None:
        return ""
    sh.use(nxt)
    return nxt.text
