"""Each transcription in tests/data/seeds/ held against the published text it was typed from.

The seed texts (tests/data/seeds/text/, public documents extracted from PDFs) are flattened tables:
one line per printed row, cells separated by tabs, merged cells printed once. For every transcribed
form this test finds, in the published order and inside that form's own block of the seed text:

- every fund row's figures, together on one line;
- every indicator's 三级 name with its 年度指标值, 实际完成值, 分值 and 得分, together on one line
  (or on up to three consecutive lines where the extraction wrapped a long name);
- every scored item's (资金管理情况) name with its 分值 and 得分;
- the 总分, on the form's 总分/总计 line;
- the header name, the goal texts and the 年度主要任务 texts.

Where the flattened text is ambiguous or damaged, tests/data/seeds/NOTES.md records how the
transcription reads it; ``READINGS`` below follows those notes, and a reading that is no longer
needed (the check passes without it) fails too, so the list stays honest.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
TEXTS = SEEDS / "text"
SEED_TEXT = {
    "002": "002_606eb66e1c061dbe.txt",
    "003": "003_739fbb48fb788e4d.txt",
    "004": "004_85c64df4ccad7af3.txt",
}
TITLES = {"项目支出绩效自评表", "部门整体支出绩效自评表", "项目自评表", "部门整体自评表", "项目自评总结报告"}

# transcription -> (seed, a text that occurs once in the seed, on the first line of the form's block)
SOURCES: dict[str, tuple[str, str]] = {
    "s002_department": ("002", "部门名称\t\t乌鲁木齐市科学技术局（部门）"),
    "s002_p01": ("002", "项目名称\t2023年乌鲁木齐国家农业科技园区专项经费"),
    "s002_p02": ("002", "项目名称\t2023 年第二批科技计划专项资金--2023 年自治区科技特派员工作补助经费（上年结转资金）"),
    "s002_p03": ("002", "项目名称\t2024 年“两区”创新建设专项"),
    "s002_p04": ("002", "项目名称\t2024 年人才专项经费——红山科创专家服务团工作经费"),
    "s002_p05": ("002", "项目名称\t2024 年人才专项经费——红山科技领军人才项目经费"),
    "s002_p06": ("002", "项目名称\t2024 年自治区科技特派员工作补助经费"),
    "s002_p07": ("002", "项目名称\t技术市场专项经费"),
    "s002_p08": ("002", "项目名称\t提前下达 2024 年中央“三区”科技人才支持计划"),
    "s002_p09": ("002", "项目名称\t科技人才和科学决策咨询工作经费"),
    "s002_p10": ("002", "项目名称\t科技创新引领现代化产业体系建设专题研讨班工作经费"),
    "s002_p11": ("002", "项目名称\t“小微企业创业创新综合管理信息服务大平台”机房运行维护费"),
    "s002_p12": ("002", "项目名称\t“科教兴市”影视宣传及业务经费"),
    "s002_p13": ("002", "项目名称\t乌鲁木齐地区科技统计与文献服务工作经费"),
    "s002_p14": ("002", "项目名称\t2024 年乌鲁木齐科技合作交流调研团经费"),
    "s002_p15": ("002", "项目名称\t企业国际合作交流及平台运营项目经费(24 年项目+23 年结转资金)"),
    "s002_p16": ("002", "项目名称\t科技类展会工作经费"),
    "s002_p17": ("002", "项目名称\t第十届新疆创新创业大赛优秀组织奖"),
    "s002_p18": ("002", "项目名称\t跨区域协同创新合作年会工作经费"),
    "s002_p19": ("002", "项目名称\t追加 2023 年自治区科技专项-自然科学基金重点项目"),
    "s003_department": ("003", "位)名称 (盖章)"),
    "s004_department": ("004", "部门(单位)名称\t\t\t市科学技术局"),
    "s004_p_rencai_anjiafei": ("004", "项目名称\t\t事业单位引进人才安家费及生活补贴"),
    "s004_p_kepu_huodong": ("004", "项目名称\t\t科普活动"),
    "s004_p_keji_guanli_shiwu": ("004", "科学技术管理与事务\t"),
    "s004_p_dangjian_dangwu": ("004", "项目名称\t\t党建及党务管理"),
    "s004_p_baowu_yanfa_zhongxin": ("004", "项目名称\t\t中国宝武三门峡铝基新材料研发中心专项经费"),
    "s004_p_keji_tiaojian_fuwu": ("004", "项目名称\t科技条件与服务"),
    "s004_p_keji_jiaoliu_zhaoshang": ("004", "项目名称\t\t科技交流合作与招商引智"),
    "s004_p_qiye_chuangxin_yindao": ("004", "项目名称\t\t第三批省企业创新引导专项"),
}

# Readings recorded in NOTES.md: (transcription, what) -> why the check is skipped or redirected.
READINGS: dict[tuple[str, str], str] = {
    ("s002_department", "总分"): "no 总分 row is printed",
    ("s003_department", "header.部门名称"): "the 部门名称 cell was not extracted",
    ("s003_department", "funds.上级资金.label"): "OCR label 其中上安(元)",
    ("s003_department", "funds.本级资金.label"): "label 本级 安排 (万 元): 本级安排",
    ("s003_department", "funds.其他资金.label"): "OCR label 其资(元)",
    ("s004_department", "funds.部门预算总额.label"): "fund rows sit one line off their labels",
    ("s004_department", "funds.政府预算资金.label"): "fund rows sit one line off their labels",
    ("s004_department", "funds.财政专户管理资金.label"): "fund rows sit one line off their labels",
    ("s004_department", "funds.单位资金"): "fund rows one line off their labels; 单位资金's is lost",
    ("s004_p_keji_jiaoliu_zhaoshang", "funds.年度资金总额.label"): "fund rows sit one line off their labels",
    ("s004_p_keji_jiaoliu_zhaoshang", "funds.政府性预算资金.label"): "fund rows sit one line off their labels",
    ("s004_p_keji_jiaoliu_zhaoshang", "funds.财政专户管理资金.label"): "fund rows sit one line off their labels",
    ("s004_p_keji_jiaoliu_zhaoshang", "funds.单位资金"): "fund rows one line off their labels; 单位资金's is lost",
    ("s004_p_baowu_yanfa_zhongxin", "资金管理情况.预算绩效管理情况"): "the row merged with the 年度总体目标 label",
    ("s004_p_keji_tiaojian_fuwu", "资金管理情况.预算绩效管理情况"): "the row merged with the 年度总体目标 label",
    ("s004_department", "indicators[4].偏差度"): "the reason is glued to the 偏差度 cell (760.00%部分预算…)",
    ("s003_department", "indicators[0].figures"): "a stray 7 from the vertical 一级 labels",
    # merged 一级/二级 labels the extraction printed away from their rows
    # (each shifted label fails twice: missing among its own rows, foreign among its neighbours')
    ("s002_p12", "indicators[2..3].二级指标"): "时效指标 printed in the 一级 column of the first 质量指标 row",
    ("s002_p12", "indicators[4..4].二级指标"): "时效指标 printed in the 一级 column of the first 质量指标 row",
    ("s004_department", "indicators[3..13].二级指标"): "绩效管理 printed on the 资产管理规范性 row",
    ("s004_department", "indicators[14..18].二级指标"): "绩效管理 printed on the 资产管理规范性 row",
    ("s004_department", "indicators[0..18].一级指标"): "产出指标 printed on the 绩效目标编制完成率 row",
    ("s004_department", "indicators[19..28].一级指标"): "产出指标 printed on the 绩效目标编制完成率 row",
    ("s004_p_dangjian_dangwu", "indicators[10..10].一级指标"): "效益指标 printed on the 时效指标 row",
    ("s004_p_keji_guanli_shiwu", "indicators[3..19].一级指标"): "效益指标 printed on the 评选及评审程序规范性 row",
    ("s004_p_keji_guanli_shiwu", "indicators[20..22].一级指标"): "效益指标 printed on the 评选及评审程序规范性 row",
    ("s004_p_keji_jiaoliu_zhaoshang", "indicators[8..10].二级指标"): "社会效益指标 printed on the 评选…规范性 row",
    ("s004_p_keji_jiaoliu_zhaoshang", "indicators[13..14].一级指标"): "效益指标 printed on the 评选…规范性 row",
    ("s004_p_keji_jiaoliu_zhaoshang", "indicators[16..16].一级指标"): "满意度指标 printed on the first 社会效益 row",
    ("s004_p_qiye_chuangxin_yindao", "indicators[8..8].一级指标"): "满意度指标 printed on the 生态效益指标 row",
}
# 总分 taken from the narrative of the same document, where the extracted grid has none.
TOTAL_ELSEWHERE = {
    "s003_department": "自评综合得分 **100** 分",
}


def squash(text: str) -> str:
    """NFKC, no whitespace, no <p> tags, LaTeX signs as printed: how texts are compared."""
    t = unicodedata.normalize("NFKC", text)
    t = t.replace("<p>", "").replace("</p>", "")
    t = t.replace("$\\geq", "≥").replace("\\%$", "%").replace("\\%", "%")
    return re.sub(r"\s+", "", t)


def same_figure(typed: str, printed: str) -> bool:
    a, b = squash(typed).removesuffix("分"), squash(printed).removesuffix("分")
    if a == b:
        return True
    if a.endswith("%") != b.endswith("%"):
        return False
    try:
        return Decimal(a.rstrip("%").replace(",", "")) == Decimal(b.rstrip("%").replace(",", ""))
    except InvalidOperation:
        return False


def in_order(wanted: list[str], cells: list[str], match=same_figure) -> bool:
    """Whether ``wanted`` occur among ``cells`` in this order (other cells may sit between)."""
    it = iter(cells)
    return all(any(match(w, c) for c in it) for w in wanted)


FIGURE = re.compile(r"^[+-]?[\d,]*\.?\d+(?:分|%)?$")


def figures_of(cells: list[str]) -> list[str]:
    return [c for c in cells if FIGURE.match(squash(c))]


@dataclass
class Block:
    lines: list[str]
    first: int  # line number (1-based) of lines[0] in the seed text
    used: set[int] = field(default_factory=set)  # lines a transcribed row was found on

    def cells(self, i: int, span: int = 1) -> list[str]:
        out: list[str] = []
        for line in self.lines[i:i + span]:
            out.extend(c for c in line.split("\t") if c.strip())
        return out

    def where(self, i: int) -> str:
        return f"line {self.first + i}"


def block_of(name: str) -> Block:
    seed, anchor = SOURCES[name]
    text = (TEXTS / SEED_TEXT[seed]).read_text(encoding="utf-8")
    assert text.count(anchor) == 1, f"{name}: anchor {anchor!r} must occur once in seed {seed}"
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if anchor in line)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() in TITLES), len(lines))
    return Block(lines[start:end], start + 1)


def transcription(name: str) -> dict:
    data = json.loads((SEEDS / f"{name}.json").read_text(encoding="utf-8"))
    assert len(data["forms"]) == 1
    return data["forms"][0]


FUND_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")


def find_funds(name: str, form: dict, block: Block) -> list[str]:
    problems = []
    pos = 0
    for row in form.get("funds", []):
        key = f"funds.{row['row']}"
        wanted = [row[c] for c in FUND_COLUMNS if row.get(c, "").strip()]
        if not wanted:
            continue
        hit = next((i for i in range(pos, len(block.lines)) if in_order(wanted, block.cells(i))), None)
        if (name, key) in READINGS:
            if hit is not None:
                problems.append(f"{key}: found at {block.where(hit)}; the recorded reading is not needed")
            continue
        if hit is None:
            problems.append(f"{key} {wanted} not found after {block.where(pos)}")
            continue
        pos = hit + 1
        block.used.add(hit)
        printed = figures_of(block.cells(hit))
        if len(printed) != len(wanted):
            problems.append(f"{key}: {block.where(hit)} prints {printed}, the transcription has {wanted}")
        labelled = squash(row["row"]) in squash(block.lines[hit])
        if (name, f"{key}.label") in READINGS:
            if labelled:
                problems.append(f"{key}: labelled on its line; the recorded reading is not needed")
        elif not labelled:
            problems.append(f"{key}: its figures are on {block.where(hit)}, which is labelled otherwise")
    return problems


def _name_in(name: str, cells: list[str]) -> bool:
    """The name printed in these cells: whole, or wrapped over cells holding its pieces
    (a wrapped cell may have other columns' text printed between its lines)."""
    squashed = [squash(c) for c in cells]
    return name in "".join(squashed) or name in "".join(c for c in squashed if c and c in name)


def _starts(name: str, cells: list[str]) -> bool:
    return any(c and (name in c or (len(c) >= 2 and name.startswith(c))) for c in map(squash, cells))


def _indicator_hit(ind: dict, block: Block, start: int, skip: frozenset[str] = frozenset()) -> tuple[int, int] | None:
    """(first line, number of lines) of the row's window, or None."""
    name = squash(ind.get("三级指标", ""))
    texts = [squash(ind[k]) for k in ("年度指标值", "实际完成值", "偏差度") if ind.get(k, "").strip() and k not in skip]
    figures = [ind[k] for k in ("分值", "得分") if ind.get(k, "").strip() and k not in skip]
    for i in range(start, len(block.lines)):
        for span in (1, 2, 3) if name else (1,):
            cells = block.cells(i, span)
            if name and not _starts(name, block.cells(i)):
                break  # the name starts on the window's first line
            if name and not _name_in(name, cells):
                continue  # the name may wrap onto the next line: look at one more
            # the smallest window holding the name: its figures must be there too
            squashed = {squash(c) for c in cells}
            if all(t in squashed for t in texts) and in_order(figures, cells):
                return i, span
            break
    return None


def find_indicators(name: str, form: dict, block: Block) -> list[str]:
    problems = []
    pos = 0
    hits: dict[int, int] = {}
    for n, ind in enumerate(form.get("indicators", [])):
        if not any(v.strip() for k, v in ind.items() if k not in ("一级指标", "二级指标")):
            continue  # a listed-but-empty 二级 (河南)
        key = f"indicators[{n}]"
        skip = frozenset(k for k in ind if (name, f"{key}.{k}") in READINGS)
        hit = _indicator_hit(ind, block, pos, skip)
        if skip and hit is not None and _indicator_hit(ind, block, pos) == hit:
            problems.append(f"{key}: found with {sorted(skip)}; the recorded reading is not needed")
        if hit is None:
            problems.append(f"{key} {ind.get('三级指标', '')!r} {ind.get('年度指标值', '')!r} "
                            f"{ind.get('实际完成值', '')!r} {ind.get('分值', '')}/{ind.get('得分', '')} "
                            f"not found after {block.where(pos)}")
            continue
        line, span = hit
        hits[n] = line
        pos = line + 1
        block.used.update(range(line, line + span))
        # every figure printed on the row is transcribed (the 指标值/完成值 cells aside)
        values = {squash(ind.get(k, "")) for k in ("年度指标值", "实际完成值")}
        printed = [c for c in figures_of(block.cells(line, span)) if squash(c) not in values]
        typed = [ind[k] for k in ("分值", "得分", "偏差度") if ind.get(k, "").strip() and k not in skip]
        if len(printed) != len(typed) and (name, f"{key}.figures") not in READINGS:
            problems.append(f"{key}: {block.where(line)} prints {printed}, the transcription has {typed}")
    if not problems:
        problems += _check_levels(name, form.get("indicators", []), hits, block)
    return problems


def _check_levels(name: str, indicators: list[dict], hits: dict[int, int], block: Block) -> list[str]:
    """Each run of rows under one 一级 (one 二级) has its label printed between the rows before
    and after the run (a merged cell's text sits on one of its own rows), and no other label of
    that column is printed there, except those of listed-but-empty 二级 rows between them."""
    problems = []
    rows = sorted(hits)
    for depth, what in ((1, "一级指标"), (2, "二级指标")):
        def level(n: int, depth: int = depth) -> tuple[str, ...]:
            return tuple(indicators[n].get(k, "").strip() for k in ("一级指标", "二级指标")[:depth])

        labels = {squash(level(n)[-1]) for n in range(len(indicators))} - {""}
        k = 0
        while k < len(rows):
            j = k
            while j + 1 < len(rows) and level(rows[j + 1]) == level(rows[k]):
                j += 1
            label = squash(level(rows[k])[-1])
            before = rows[k - 1] if k > 0 else -1
            after = rows[j + 1] if j + 1 < len(rows) else len(indicators)
            lo = hits[before] + 1 if before >= 0 else 0
            hi = hits[after] if after < len(indicators) else len(block.lines)
            cells = [squash(c) for i in range(lo, hi) for c in block.cells(i)]
            allowed = {label} | {squash(level(n)[-1]) for n in range(before + 1, after) if n not in hits}
            foreign = sorted({c for c in cells if c in labels} - allowed)
            key = f"indicators[{rows[k]}..{rows[j]}].{what}"
            wrong = []
            if label and not _label_in(label, cells):
                wrong.append(f"{label!r} is not printed")
            if foreign:
                wrong.append(f"{', '.join(foreign)} printed among its rows")
            where = f"between {block.where(lo)} and {block.where(hi - 1)}"
            if (name, key) in READINGS:
                if not wrong:
                    problems.append(f"{key} {label!r}: printed in its rows; the recorded reading is not needed")
            elif wrong:
                problems.append(f"{key}: {'; '.join(wrong)} {where}")
            k = j + 1
    return problems


def _label_in(label: str, cells: list[str]) -> bool:
    """A merged label cell: printed whole, or vertically, a few characters per line."""
    squashed = [squash(c) for c in cells]
    return label in squashed or label in "".join(c for c in squashed if c and c in label)


def find_items(name: str, form: dict, block: Block) -> list[str]:
    problems = []
    pos = 0
    for block_key, rows in form.items():
        if not (isinstance(rows, list) and rows and isinstance(rows[0], dict) and "项目" in rows[0]):
            continue
        for row in rows:
            key = f"{block_key}.{row['项目']}"
            figures = [row[k] for k in ("分值", "得分") if row.get(k, "").strip()]
            hit = next((i for i in range(pos, len(block.lines))
                        if row["项目"] in block.lines[i] and in_order(figures, block.cells(i))), None)
            if hit is not None:
                block.used.add(hit)
            if (name, key) in READINGS:
                if hit is not None:
                    problems.append(f"{key}: found at {block.where(hit)}; the recorded reading is not needed")
                continue
            if hit is None:
                problems.append(f"{key} {figures} not found after {block.where(pos)}")
            else:
                pos = hit + 1
    return problems


def pieces_in(text: str, hay: str, limit: int = 3) -> bool:
    """Whether ``text`` is in ``hay`` whole or in at most ``limit`` pieces, in order: a long cell
    broken by a page break continues after the text of the cells beside it."""
    pos = 0
    for _ in range(limit):
        if not text:
            return True
        k = 0
        while k < len(text) and hay.find(text[: k + 1], pos) >= 0:
            k += 1
        if k < min(4, len(text)):
            return False
        pos = hay.find(text[:k], pos) + k
        text = text[k:]
    return not text


def find_texts(name: str, form: dict, block: Block) -> list[str]:
    problems = []
    joined = squash("".join(block.lines))

    def found(text: str) -> bool:
        return pieces_in(squash(text), joined)
    checks = [(f"header.{k}", v) for k, v in form["header"].items()]
    checks += [(f"goals.{k}", v) for k, v in form.get("goals", {}).items()]
    for i, row in enumerate(form.get("年度主要任务", [])):
        checks += [(f"年度主要任务[{i}].{k}", v) for k, v in row.items()]
    for i, ind in enumerate(form.get("indicators", [])):
        checks += [(f"indicators[{i}].{k}", ind.get(k, "")) for k in ("偏差原因分析及改进措施", "指标值设定依据")]
    for block_key, rows in form.items():
        if isinstance(rows, list) and rows and isinstance(rows[0], dict) and "项目" in rows[0]:
            checks += [(f"{block_key}.{r['项目']}.{k}", v) for r in rows for k, v in r.items() if k != "项目"]
    for key, value in checks:
        hit = found(value)
        if (name, key) in READINGS:
            if hit:
                problems.append(f"{key}: found; the recorded reading is not needed")
        elif value.strip() and not hit:
            problems.append(f"{key} {value[:30]!r}… not found in the block")
    return problems


def find_total(name: str, form: dict, block: Block, seed_text: str) -> list[str]:
    total = form.get("总分", "")
    if name in TOTAL_ELSEWHERE:
        return [] if TOTAL_ELSEWHERE[name] in seed_text else [f"总分 source {TOTAL_ELSEWHERE[name]!r} not found"]
    if (name, "总分") in READINGS:
        return [f"总分 {total!r} transcribed although the form prints none"] if total else []
    for i, line in enumerate(block.lines):
        if ("总分" in line or "总计" in line) and in_order([total], block.cells(i)):
            block.used.add(i)
            return []
    return [f"总分 {total!r} not found on a 总分/总计 line"]


def find_untranscribed(block: Block) -> list[str]:
    """Lines printing figures that no transcribed row accounts for (a row left out)."""
    return [f"{block.where(i)} prints {figures_of(block.cells(i))}, transcribed nowhere"
            for i in range(len(block.lines)) if i not in block.used and len(figures_of(block.cells(i))) >= 2]


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_transcription_matches_the_published_text(name):
    form = transcription(name)
    block = block_of(name)
    seed_text = (TEXTS / SEED_TEXT[SOURCES[name][0]]).read_text(encoding="utf-8")
    problems = (find_funds(name, form, block) + find_items(name, form, block) + find_indicators(name, form, block)
                + find_texts(name, form, block) + find_total(name, form, block, seed_text))
    problems += find_untranscribed(block)
    assert not problems, f"{name} (seed {SOURCES[name][0]}, from {block.where(0)}):\n  " + "\n  ".join(problems)


def test_every_transcription_has_a_source():
    forms = {p.stem for p in SEEDS.glob("s0*.json") if p.stem != "s004_summary"}
    assert forms == set(SOURCES)


def test_readings_name_real_transcriptions():
    assert {n for n, _ in READINGS} <= set(SOURCES)
    assert set(TOTAL_ELSEWHERE) <= set(SOURCES)


SUMMARY_FIRST = "单位编码\t单位名称\t主管部门编码"


def test_summary_rows_match_the_published_summary_in_order():
    text = (TEXTS / SEED_TEXT["004"]).read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(text) if line.startswith(SUMMARY_FIRST))
    rows = json.loads((SEEDS / "s004_summary.json").read_text(encoding="utf-8"))
    pos = start + 1
    for row in rows:
        wanted = [v for v in row.values() if v.strip()]
        hit = next((i for i in range(pos, len(text))
                    if in_order(wanted, [c for c in text[i].split("\t") if c.strip()],
                                match=lambda w, c: squash(w) == squash(c))), None)
        assert hit is not None, f"summary row {row['项目名称']!r} not found after line {pos + 1}"
        pos = hit + 1
    assert pos - start - 1 == len(rows), "the summary rows are consecutive lines of the published table"


def test_the_check_catches_a_slip():
    """Moving one figure, or one row out of order, fails the check."""
    name = "s004_p_keji_guanli_shiwu"
    form = transcription(name)
    block = block_of(name)
    assert not find_indicators(name, form, block)
    slipped = json.loads(json.dumps(form))
    slipped["indicators"][4]["得分"] = "1.2"
    assert find_indicators(name, slipped, block)
    swapped = json.loads(json.dumps(form))
    inds = swapped["indicators"]
    inds[4], inds[8] = inds[8], inds[4]
    assert find_indicators(name, swapped, block)
    # the slip of issue 18: 三门峡's two 履职效益 rows filed under 产出指标 / 履职目标实现
    dept = transcription("s004_department")
    dept_block = block_of("s004_department")
    assert not find_indicators("s004_department", dept, dept_block)
    for ind in dept["indicators"]:
        if ind["三级指标"].startswith(("加强创新平台建设", "滚动实施")):
            ind["一级指标"], ind["二级指标"] = "产出指标", "履职目标实现"
    assert any("产出指标" in p for p in find_indicators("s004_department", dept, dept_block))
    moved_fund = json.loads(json.dumps(form))
    moved_fund["funds"][0]["全年执行数"] = "36.96"
    assert find_funds(name, moved_fund, block)


# The 项目单位自评汇总表 prints each project's 得分率 per 一级: a check of which 一级 every
# transcribed row was filed under, independent of where the extraction put the labels.
SUMMARY_NAMES = {
    "s004_p_qiye_chuangxin_yindao": "第三批省企业创新引导专项",
    "s004_p_keji_guanli_shiwu": "科学技术管理与服务",
    "s004_p_kepu_huodong": "科普活动",
    "s004_p_baowu_yanfa_zhongxin": "中国宝武三门峡新材料研发中心专项经营",
    "s004_p_keji_tiaojian_fuwu": "科技条件与服务",
    "s004_p_dangjian_dangwu": "党建及党务管理",
    "s004_p_rencai_anjiafei": "事业单位引进人才安家费及生活补贴",
    "s004_p_keji_jiaoliu_zhaoshang": "科技交流合作与招商引资",
}
# (transcription, 一级) whose published 得分率 the transcription cannot reproduce (NOTES.md)
SUMMARY_READINGS = {
    ("s004_p_baowu_yanfa_zhongxin", "产出指标"): "the summary row is damaged (6 values for 7 columns)",
    ("s004_p_baowu_yanfa_zhongxin", "效益指标"): "the summary row is damaged (6 values for 7 columns)",
    ("s004_p_baowu_yanfa_zhongxin", "成本指标"): "the summary row is damaged (6 values for 7 columns)",
}


def _rate(rows: list[dict]) -> str:
    weight = sum((Decimal(r["分值"]) for r in rows if r.get("分值", "").strip()), Decimal(0))
    score = sum((Decimal(r["得分"]) for r in rows if r.get("得分", "").strip()), Decimal(0))
    if not weight:
        return "-%"
    pct = (score / weight * 100).quantize(Decimal("0.01"))
    return f"{pct.normalize():f}%"


@pytest.mark.parametrize("name", sorted(SUMMARY_NAMES))
def test_004_level1_filing_reproduces_the_published_score_rates(name):
    summary = {r["项目名称"]: r for r in json.loads((SEEDS / "s004_summary.json").read_text(encoding="utf-8"))}
    printed = summary[SUMMARY_NAMES[name]]
    form = transcription(name)
    wrong = []
    for level1 in ("成本指标", "产出指标", "效益指标", "满意度指标"):
        rows = [i for i in form["indicators"] if i.get("一级指标") == level1]
        ours, theirs = _rate(rows), printed[f"{level1}得分率"]
        if (name, level1) in SUMMARY_READINGS:
            continue
        if ours != theirs:
            wrong.append(f"{level1}: {ours} from the transcription, {theirs} printed")
    items = form.get("资金管理情况", [])
    if _rate(items) != printed["资金管理情况得分率"]:
        wrong.append(f"资金管理情况: {_rate(items)} vs {printed['资金管理情况得分率']}")
    assert not wrong, name + ": " + "; ".join(wrong)
