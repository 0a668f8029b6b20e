"""The vocabulary: every field of a form and the labels that name it.

Published forms name one field in many ways (全年预算数 / 调整后预算数 /
全年(调整)预算数 / 预算数 …). One data file, ``resources/templates/vocabulary/
labels.json``, lists per *context* each field's key and every label printed for
it; the JSON interchange reader, the Excel reader, the layout and
:func:`jixiao.core.fields.describe` all take their words from it, so a label
learnt once is understood everywhere. Template files keep their own labels
(``"label": "分值权重"``); those always win, the vocabulary only fills in.

Contexts:

- ``header``: header fields (项目名称, 主管部门, 实施单位, 部门名称)
- ``fund_column``: columns of the funds block (年初预算数 … 得分, 原因)
- ``fund_row``: rows of the funds block, by *concept* (当年财政拨款 stands for
  every row that is "this year's appropriation": 本年财政拨款, 财政资金,
  政府性预算资金 …); a template's row belongs to the concept that lists its key
  or label, and ``total_row`` names the concept of the total row
- ``text_column``: columns of long-text blocks (预期目标, 实际完成情况)
- ``indicator_column``: columns of the indicator grid, including the 指标性质 and
  度量单位 columns some provinces print apart from the value
- ``section``: block labels (funds, goals, indicators, total)
- ``document``: words around the grid (填报单位, 金额单位, 报表编号)
- ``signoff``: the names a sign-off line gives its people and date (填报人 is
  填表人); a template still decides which of them its form prints
- ``title``: form titles (project, department, summary)

:func:`normalize_label` is the one way labels are compared. The data file sits
in a sub-folder of the templates folder so the template loader (``*.json`` of
the folder itself) never takes it for a template; a folder named by
``JIXIAO_TEMPLATES`` may hold a ``vocabulary/`` folder of its own, whose labels
are added to the bundled ones.

Imports nothing heavy at module level (the desktop app's first window may
import :mod:`jixiao.core.fields`, which uses :func:`display_label`).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.core.datafiles import read_json

if TYPE_CHECKING:
    from jixiao.core.templates import Column, Section

CONTEXTS = ("header", "fund_column", "fund_row", "text_column", "indicator_column", "section", "document", "signoff",
            "title", "interchange")
VOCABULARY_FOLDER = "vocabulary"

# ------------------------------------------------------------------ normalisation

# (applied after NFKC, so brackets, colons and digits are ASCII)
_WEIGHT_GROUP_RE = re.compile(r"\(\s*\d+(?:\.\d+)?\s*分[^()]*\)")  # (50分), (20分*执行率)
_COLUMN_MARK_RE = re.compile(r"\(\s*[A-Za-z](?:\s*[-+*/×÷]\s*[A-Za-z])*\s*\)")  # (A), (B/A), (A-B)
_UNIT_GROUP_RE = re.compile(r"\(\s*(?:万元|千元|亿元|元|%)\s*\)")
_STAMP_RE = re.compile(r"\(\s*盖章\s*\)|盖章$")
_CONTINUED_RE = re.compile(r"\(\s*续\s*\)\s*$")  # a label repeated where a printed page goes on
_DROP_RE = re.compile(r"[\s()\[\]【】〔〕:;,、*%★☆]|万元")
_PREFIX_RE = re.compile(r"^(?:其中|[0-9]+[.、]?|[一二三四五六七八九十]+[、.])")
_CACHE_LIMIT = 80  # longer strings are never labels: normalised without filling the cache


def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = _WEIGHT_GROUP_RE.sub("", s)
    s = _COLUMN_MARK_RE.sub("", s)
    s = _UNIT_GROUP_RE.sub("", s)
    s = _STAMP_RE.sub("", s)
    s = _CONTINUED_RE.sub("", s)
    s = _DROP_RE.sub("", s)
    return _PREFIX_RE.sub("", s)


_normalize_cached = lru_cache(maxsize=65536)(_normalize)


def normalize_label(text: object) -> str:
    """A label as the program compares it: full/half width and spaces ignored,
    no ``其中：`` or numbering prefix, no ``（万元）``, ``(%)``, ``(A)``, ``(B/A)``,
    ``（盖章）`` or ``(50分)`` group, no colons or brackets.
    ``"其中:本年财政拨款"`` → ``"本年财政拨款"``, ``"全年预算数(A)"`` → ``"全年预算数"``,
    ``"产出指标（50分）"`` → ``"产出指标"``. Short strings are cached (an import
    of a big sheet meets the same labels thousands of times)."""
    s = text if isinstance(text, str) else str(text)
    return _normalize_cached(s) if len(s) <= _CACHE_LIMIT else _normalize(s)


_STATED_WEIGHT_RE = re.compile(r"[（(]\s*([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*分\s*[)）]\s*$")


@lru_cache(maxsize=4096)
def split_weight(text: str) -> tuple[str, Decimal | None]:
    """A label with its stated weight: ``"产出指标(50分)"`` → ``("产出指标", 50)``;
    ``"产出指标（50分）"`` alike; a label without one → ``(label, None)``."""
    t = text.strip()
    m = _STATED_WEIGHT_RE.search(t)
    if m is None:
        return t, None
    try:
        weight = Decimal(unicodedata.normalize("NFKC", m[1]))
    except InvalidOperation:  # pragma: no cover - the pattern only admits digits
        return t, None
    return t[: m.start()].strip(), weight


def level_name(text: str) -> str:
    """The 一级/二级 name an officer's cell stands for (its stated weight removed)."""
    return split_weight(text)[0]


def stated_weight(text: str) -> Decimal | None:
    """The weight written into a label (``产出指标(50分)`` → 50), if any."""
    return split_weight(text)[1]


_DISPLAY_SUFFIX_RE = re.compile(r"\s*[（(]\s*(?:万元|元|%|％|[A-Za-z](?:\s*/\s*[A-Za-z])?)\s*[)）]")


def display_label(label: str | None) -> str:
    """A printed label as a name in running text: one line, without 其中, a
    ``（万元）`` unit note, an ``(A)`` column mark or a trailing colon
    (``"其中：当年财政拨款"`` → ``"当年财政拨款"``)."""
    t = "".join(part.strip() for part in (label or "").splitlines())
    t = _DISPLAY_SUFFIX_RE.sub("", t)
    for prefix in ("其中：", "其中:"):
        t = t.removeprefix(prefix)
    return t.rstrip("：:").strip()


def key_text(label: str) -> str:
    """A label the officer wrote, made safe as a key inside a field path
    (paths split on ``.``, ``[`` and ``]``): those become full-width."""
    t = " ".join(label.split())
    return t.replace(".", "．").replace("[", "［").replace("]", "］")


# ------------------------------------------------------------------ the table


class VocabularyError(Exception):
    """The vocabulary file is malformed (Chinese message naming the entry)."""


class Vocabulary:
    """Fields and their labels, per context, with an index by normalised label."""

    def __init__(self, data: Mapping[str, Any], origin: str = "labels.json") -> None:
        self._labels: dict[str, dict[str, tuple[str, ...]]] = {c: {} for c in CONTEXTS}
        self._index: dict[str, dict[str, str]] = {c: {} for c in CONTEXTS}
        self._normalized: dict[tuple[str, str], frozenset[str]] = {}
        self.total_row = ""
        self.add(data, origin)

    def add(self, data: Mapping[str, Any], origin: str) -> None:
        """Add the entries of one vocabulary file; a label may not name two fields of one context."""
        contexts = data.get("contexts")
        if not isinstance(contexts, dict):
            raise VocabularyError(f"词汇表 {origin} 缺少 contexts")
        for context, fields in contexts.items():
            if context not in CONTEXTS:
                raise VocabularyError(f"词汇表 {origin}：未知的类别“{context}”（可用：{'、'.join(CONTEXTS)}）")
            if not isinstance(fields, dict):
                raise VocabularyError(f"词汇表 {origin}：{context} 应为对象")
            for key, labels in fields.items():
                if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                    raise VocabularyError(f"词汇表 {origin}：{context}.{key} 应为字符串数组")
                self._add_field(context, str(key), labels, origin)
        total = data.get("total_row")
        if total is not None:
            if total not in self._labels["fund_row"]:
                raise VocabularyError(f"词汇表 {origin}：total_row“{total}”不是 fund_row 中的一项")
            self.total_row = str(total)

    def _add_field(self, context: str, key: str, labels: list[str], origin: str) -> None:
        index = self._index[context]
        known = self._labels[context].get(key, ())
        merged = list(known)
        for label in [*labels, key]:
            n = normalize_label(label)
            if not n:
                raise VocabularyError(f"词汇表 {origin}：{context}.{key} 中的“{label}”去掉括注后为空")
            other = index.get(n)
            if other is not None and other != key:
                raise VocabularyError(
                    f"词汇表 {origin}：“{label}”既是 {context}.{other} 又是 {context}.{key}，"
                    "同一类别中一个标签只能指一个栏目"
                )
            index[n] = key
            if label not in merged:
                merged.append(label)
        self._labels[context][key] = tuple(merged)
        self._normalized.pop((context, key), None)

    # lookups
    def key(self, context: str, label: str) -> str | None:
        """The field a label names in ``context``, or ``None``."""
        return self._index[context].get(normalize_label(label))

    def keys(self, context: str) -> tuple[str, ...]:
        return tuple(self._labels[context])

    def labels(self, context: str, key: str) -> tuple[str, ...]:
        """Every label of a field as written, in the file's order (the key last
        unless listed); ``()`` for an unknown field."""
        return self._labels[context].get(key, ()) if isinstance(key, str) else ()

    def printed(self, context: str, key: str) -> str:
        """The label a form prints for a field: the first one listed (the key when unknown)."""
        labels = self.labels(context, key)
        return labels[0] if labels else key

    def normalized(self, context: str, key: str) -> frozenset[str]:
        """The field's labels as compared (see :func:`normalize_label`)."""
        got = self._normalized.get((context, key))
        if got is None:
            got = self._normalized[(context, key)] = frozenset(normalize_label(x) for x in self.labels(context, key))
        return got

    def synonyms(self, label: str) -> frozenset[str]:
        """Every label (normalised) of every field that ``label`` names in any context, ``label``
        itself included: ``"主管部门"`` → {主管部门, 主管单位, …}."""
        own = normalize_label(label)
        out = {own} if own else set()
        for context in CONTEXTS:
            key = self.key(context, label)
            if key is not None:
                out |= self.normalized(context, key)
        return frozenset(out)

    def is_label(self, context: str, label: str, key: str | None = None) -> bool:
        """Whether ``label`` names a field of ``context`` (``key`` when given)."""
        found = self.key(context, label)
        return found is not None and (key is None or found == key)


def _vocabulary_files(dirs: tuple[Path, ...]) -> list[Path]:
    out: list[Path] = []
    for d in dirs:
        folder = d / VOCABULARY_FOLDER
        if folder.is_dir():
            out.extend(sorted(folder.glob("*.json")))
    return out


@lru_cache(maxsize=4)
def _load(dirs: tuple[Path, ...]) -> Vocabulary:

    files = _vocabulary_files(dirs)
    if not files:
        raise VocabularyError(f"找不到词汇表（应在 {dirs[0] / VOCABULARY_FOLDER} 下）")
    vocab: Vocabulary | None = None
    for path in files:
        data = read_json(path, "词汇表", VocabularyError)
        if not isinstance(data, dict):
            raise VocabularyError(f"词汇表 {path.name} 应为对象")
        if vocab is None:
            vocab = Vocabulary(data, path.name)
        else:
            vocab.add(data, path.name)
    assert vocab is not None
    return vocab


def vocabulary() -> Vocabulary:
    """The vocabulary of the bundled file plus those of ``JIXIAO_TEMPLATES`` folders (loaded once;
    called for every label an import compares, so it only reads the environment variable)."""
    return _for_folders(os.environ.get("JIXIAO_TEMPLATES"))


@lru_cache(maxsize=4)
def _for_folders(_extra: str | None) -> Vocabulary:
    from jixiao.core.templates import template_dirs

    return _load(tuple(template_dirs()))


# ------------------------------------------------------------------ bound to a template

SECTION_CONTEXT = {"funds": "funds", "indicators": "indicators", "total": "total"}
COMPONENT_COLUMNS = ("指标性质", "度量单位")  # read into 年度指标值 when the template has no such columns


def column_map(context: str, columns: Iterable[Column], extra_keys: Iterable[str] = ()) -> dict[str, str]:
    """Normalised label → column key for a section's columns: the template's
    own keys and labels first, then the vocabulary's synonyms of each key the
    section has (and of ``extra_keys``, fields read even without a column)."""
    vocab = vocabulary()
    out: dict[str, str] = {}
    keys: list[str] = []
    for col in columns:
        keys.append(col.key)
        for text in (col.key, col.label):
            n = normalize_label(text) if text else ""
            if n:
                out.setdefault(n, col.key)
    keys.extend(k for k in extra_keys if k not in keys)
    for key in keys:
        for n in vocab.normalized(context, key):
            out.setdefault(n, key)
    return out


def fund_row_map(sec: Section) -> dict[str, str]:
    """Normalised label → fund row key of a funds section: each row's own key
    and label, then every label of the concept the row belongs to (the total
    row takes the concept of totals, whatever its key)."""
    vocab = vocabulary()
    out: dict[str, str] = {}
    for r in sec.fund_rows:
        for text in (r.key, r.label):
            n = normalize_label(text)
            if n:
                out.setdefault(n, r.key)
    for r in sec.fund_rows:
        concept = vocab.key("fund_row", r.key) or vocab.key("fund_row", r.label)
        if r.total:
            concept = vocab.total_row or concept
        if concept is None:
            continue
        for n in vocab.normalized("fund_row", concept):
            out.setdefault(n, r.key)
    return out


def section_labels(sec: Section) -> frozenset[str]:
    """The normalised labels a block may carry: its own and, for the funds,
    goals, indicators and total blocks, every synonym of that block."""
    own = {normalize_label(sec.label)} if sec.label else set()
    context_key = SECTION_CONTEXT.get(sec.type) or ("goals" if sec.type == "texts" and sec.key == "goals" else None)
    if context_key is not None:
        own |= vocabulary().normalized("section", context_key)
    own.discard("")
    return frozenset(own)


def header_map(keys: Iterable[object]) -> dict[str, str]:
    """Normalised label → header key for the given header fields (their synonyms included);
    the keys come from templates, perhaps a document's damaged copy, so any non-text is skipped."""
    vocab = vocabulary()
    out: dict[str, str] = {}
    for key in keys:
        if not isinstance(key, str):  # a damaged template copy inside a document: nothing to map
            continue
        n = normalize_label(key)
        if n:
            out.setdefault(n, key)
        for n in vocab.normalized("header", key):
            out.setdefault(n, key)
    return out
