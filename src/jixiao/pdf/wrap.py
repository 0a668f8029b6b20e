"""Line breaking of CJK and Latin text into lines of a given width.

Breaks are allowed between CJK characters and at spaces; runs of Latin
letters, digits and ASCII signs (``R&D``, ``<=5%``, ``3,628.92``) stay
together unless a run alone is wider than the line; closing punctuation is
not left at a line start, opening punctuation not at a line end (kinsoku).
Labels are wrapped by *words*: a run of up to four Han characters between
punctuation, spaces or line breaks (``部门整体``, ``支出情况``) is not broken
unless it is wider than the line; a longer run breaks between the words of
these forms' vocabulary (``年度/指标值``, not ``年度指/标值``) and does not leave
a single character alone on its last line.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from jixiao.pdf.geometry import MM_PER_PT
from jixiao.pdf.metrics import font, units

# A line may not start with closing punctuation, nor end with opening punctuation.
NO_START = set("，。、；：？！）》」』】〕〉｝］”’…‥・·％‰℃,.;:?!)]}%")
NO_END = set("（《「『【〔〈｛［“‘([{≥≤＜＞￥$#")
WORD_CHARS = 4  # Han characters a label word may hold
# Words of these forms' vocabulary, so that a long label breaks between words
# (年度/指标值, 服务/对象/满意度/指标) rather than inside one. A label run of up to
# WORD_CHARS characters is one word anyway; longer runs are cut by longest match.
WORDS = frozenset("""
年度 年初 全年 当年 上年 本年 指标 指标值 目标 目标值 预期 实际 完成 完成值 总体 项目 名称 主管 部门 实施 单位
资金 总额 总资金 万元 预算 预算数 执行 执行数 执行率 调整 调整后 分值 得分 得分率 权重 偏差 偏差度 偏差率 原因
分析 改进 措施 整改 情况 说明 存在 问题 整体 支出 绩效 一级 二级 三级 产出 效益 成本 满意度 服务 对象 数量 质量
时效 经济 社会 生态 环境 可持续 影响 发展 能力 履职 效能 管理 效率 投入 重点 工作 任务 实现 财政 拨款 结转 结余 其他
其中 政府 政府性 专户 安排 科学性 拨付 合规性 使用 规范性 设定 依据 主要 内容 填报 负责人 财务 填表人 日期 盖章
总分 合计 序号 等级 汇总 自评 上级 本级 来源 核心 计量 度量 性质 未完成 评价 结论 依据 说明 金额 编码 类型 处室 归口
是否 有无 计划 标准 比例 人数 次数 数量 建设 提升 推动 开展 组织 培训 企业 科技 创新 平台 成果 转化 技术 合同 登记
""".split())
_MAX_WORD = max(len(w) for w in WORDS)
_ATOM_RE = re.compile(r" +|[\x21-\x7e\u00a0-\u024f]+|.", re.S)
_HAN_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HYPHEN_RE = re.compile(r"(?<=[A-Za-z]-)(?=[A-Za-z])")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


@lru_cache(maxsize=16384)
def clean_text(text: str) -> str:
    """What is printed for ``text``: line ends unified, tabs as spaces, control
    characters and lone surrogates dropped. Nothing is interpreted."""
    t = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    t = _CONTROL_RE.sub("", t)
    # decomposed sequences print better composed (the font has no combining marks)
    return t if unicodedata.is_normalized("NFC", t) else unicodedata.normalize("NFC", t)


@lru_cache(maxsize=65536)
def wrap_text(text: str, width: float, size: float, words: bool = False) -> tuple[str, ...]:
    """Break ``text`` into lines no wider than ``width`` mm at ``size`` points.

    Explicit line breaks are kept (an empty paragraph is an empty line); empty
    text gives no lines. ``words``: wrap as a label (see the module's doc).
    """
    font()
    if not text:
        return ()
    max_units = width / (size * MM_PER_PT) * 1000.0 + 1e-6
    t = clean_text(text)
    if "\n" not in t and units(t) <= max_units:  # one line that fits: nothing to break
        return (t.rstrip(" "),) if t.strip(" ") else ()
    out: list[str] = []
    for para in t.split("\n"):
        if not para.strip(" "):
            out.append("")
            continue
        out.extend(_wrap_para(para, max_units, words))
    while out and out[-1] == "":
        out.pop()
    return tuple(out)


def clear_caches() -> None:
    """Forget wrapped texts and measured atoms (:func:`jixiao.pdf.metrics.reset` calls this)."""
    wrap_text.cache_clear()
    _measured_atoms.cache_clear()


def _raw_atoms(para: str, words: bool) -> list[str]:
    raw: list[str] = []
    for a in _ATOM_RE.findall(para):
        if "-" in a and len(a) > 2:
            raw.extend(p for p in _HYPHEN_RE.split(a) if p)  # deviation-|reason-|missing
        else:
            raw.append(a)
    if not words:
        return raw
    out: list[str] = []
    i = 0
    while i < len(raw):
        m = _HAN_RUN_RE.match(raw[i]) if len(raw[i]) == 1 else None
        if m is None:
            out.append(raw[i])
            i += 1
            continue
        j = i
        while j < len(raw) and len(raw[j]) == 1 and _HAN_RUN_RE.match(raw[j]):
            j += 1
        run = "".join(raw[i:j])
        if len(run) <= WORD_CHARS:
            out.append(run)
        else:
            out.extend(_words(run))
        i = j
    return out


def _words(run: str) -> list[str]:
    """A run of Han characters cut into known words by longest match (unknown characters alone)."""
    out: list[str] = []
    i = 0
    while i < len(run):
        for n in range(min(_MAX_WORD, len(run) - i), 0, -1):
            if n == 1 or run[i:i + n] in WORDS:
                out.append(run[i:i + n])
                i += n
                break
    return out


@lru_cache(maxsize=16384)
def _measured_atoms(para: str, words: bool) -> tuple[tuple[str, float], ...]:
    """The atoms of a paragraph with their widths (thousandths of an em), whatever
    the line width: 缩放到一页 wraps the same texts at several trial widths."""
    return tuple((a, units(a)) for a in _raw_atoms(para, words))


def _wrap_para(para: str, max_units: float, words: bool) -> list[str]:
    atoms: list[str] = []
    widths: list[float] = []
    for a, w in _measured_atoms(para, words):
        if w > max_units and len(a) > 1:
            # a run wider than the line: cut it into pieces that fit (a label word into smaller words first)
            if words and _HAN_RUN_RE.fullmatch(a) and len(_words(a)) > 1:
                subs = _words(a)
                if all(units(x) <= max_units for x in subs):
                    atoms.extend(subs)
                    widths.extend(units(x) for x in subs)
                    continue
            piece, pw = "", 0.0
            for ch in a:
                cw = units(ch)
                if piece and pw + cw > max_units:
                    atoms.append(piece)
                    widths.append(pw)
                    piece, pw = "", 0.0
                piece += ch
                pw += cw
            if piece:
                atoms.append(piece)
                widths.append(pw)
        else:
            atoms.append(a)
            widths.append(w)
    breaks: list[tuple[int, int]] = []  # atom ranges of the lines
    n = len(atoms)
    i = 0
    while i < n:
        w = 0.0
        j = i
        while j < n and w + widths[j] <= max_units:
            w += widths[j]
            j += 1
        if j >= n:
            breaks.append((i, n))
            break
        if j == i:  # a single glyph wider than the column: it gets a line of its own
            j = i + 1
            if j >= n:
                breaks.append((i, n))
                break
        k = j
        if atoms[k][0] != " ":
            tries = 0
            while k > i + 1 and tries < 4 and (atoms[k][0] in NO_START or atoms[k - 1][-1] in NO_END):
                k -= 1
                tries += 1
            if atoms[k][0] in NO_START or atoms[k - 1][-1] in NO_END:
                k = j
        breaks.append((i, k))
        i = k
        while i < n and atoms[i][0] == " ":
            i += 1
    if words and len(breaks) >= 2:
        (a0, a1), (b0, b1) = breaks[-2], breaks[-1]
        lone = b1 - b0 == 1 and len(atoms[b0]) == 1 and _HAN_RUN_RE.match(atoms[b0])
        prev = atoms[a1 - 1] if a1 - 1 > a0 else ""
        if lone and prev and _HAN_RUN_RE.match(prev) and atoms[b0] not in NO_START \
                and widths[a1 - 1] + widths[b0] <= max_units:
            breaks[-2], breaks[-1] = (a0, a1 - 1), (a1 - 1, b1)  # 满意度指/标 -> 满意度/指标
    return ["".join(atoms[a:b]).rstrip(" ") for a, b in breaks]


def longest_word(text: str, words: bool = True) -> float:
    """Width (thousandths of an em) of the widest unbreakable piece of ``text``:
    a Latin run or, for labels, a Han word of up to :data:`WORD_CHARS`
    characters. Used so that label columns are never narrower than their words."""
    best = 0.0
    for para in clean_text(text).split("\n"):
        for a, w in _measured_atoms(para, words):
            if a[0] != " " and w > best:
                best = w
    return best


def line_starts(text: str, lines: tuple[str, ...]) -> list[int]:
    """Where each of ``lines`` (``wrap_text`` of ``text``) starts in ``clean_text(text)``,
    so that a text broken over pages can be cut into pieces that join back exactly."""
    t = clean_text(text)
    out: list[int] = []
    pos = 0
    for line in lines:
        if line:
            at = t.find(line, pos)
            if at < 0:  # cannot happen for lines of this text; keep the order anyway
                at = pos
        else:
            at = t.find("\n", pos)
            at = pos if at < 0 else at + 1
            if at > len(t):
                at = len(t)
        out.append(at)
        pos = at + len(line)
    return out
