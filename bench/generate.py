"""Deterministic generator of a realistic self-evaluation document.

Used by the benchmarks (``bench/run_all.py``) and by the reliability tests
(``tests/reliability``), so it lives outside the package. Load it with::

    sys.path.insert(0, "<repo>/bench"); import generate

or run it::

    python bench/generate.py -o big.jxzp [--projects 30] [--indicators 20] [--template xinjiang]

The document mirrors what the seeds show: 30 project forms of 20 indicators
each (≥ / ≤ / ranges / percentages / ratios / qualitative values, actuals
written ``=12个`` or ``12个``, some short of the target with a 偏差原因),
long 年度总体目标 texts, fund rows that add up (a few that do not), and the
department form. The same seed gives the same document, ids included.
"""

from __future__ import annotations

import argparse
import random
import sys
from decimal import Decimal
from pathlib import Path

from jixiao.core.figures import fmt2, fmt_money, fmt_percent, q2
from jixiao.core.model import Document, Form, Indicator, new_document, new_form
from jixiao.core.scoring import score_indicator

PROJECTS = 30
INDICATORS = 20
SEED = 2024
UNIT = "乌鲁木齐市科学技术局"

# (二级, 三级 name, target, actual-ok, actual-short, reason) – realistic rows from the seeds' vocabulary.
_QUANT = [
    ("数量指标", "为中小微企业提供创新创业一体化服务数量", ">=50家", "=52家", "=45家"),
    ("数量指标", "开展农产品推介活动次数", "≥10场", "12场", "9场"),
    ("数量指标", "培训电子商务人员人次", ">=500人次", "=500人次", "430人次"),
    ("数量指标", "开展技术品种（筛选）示范", "≥50份", "=50份", "=41份"),
    ("数量指标", "申报制定农业技术标准数量", "=2个", "=2个", "=1个"),
    ("数量指标", "考察国外单位数", "≥15家", "15家", "14家"),
    ("数量指标", "签约跨区域合作项目数", ">=30项", "71项", "27项"),
    ("数量指标", "举办科普活动场次", "1-2次", "2次", "3次"),
    ("质量指标", "项目验收合格率", "≥95%", "=100%", "=90%"),
    ("质量指标", "成果登记完成率", ">=90%", "96.5%", "85%"),
    ("质量指标", "高新技术企业增长率", ">=6%", "17.96%", "4.2%"),
    ("质量指标", "带动社会投入与引导资金投入比例", "≥3:1", "3.2:1", "1.95:1"),
    ("时效指标", "资金拨付及时率", "=100%", "=100%", "=92%"),
    ("时效指标", "项目完成时间", "<=12月", "=11月", "=12月"),
    ("成本指标", "人均培训成本", "≤450元/人/天", "=430元/人/天", "=480元/人/天"),
    ("成本指标", "项目总成本", "<=30万元", "=29.6万元", "=31.2万元"),
    ("成本指标", "单个平台补助标准", "=2.85万元", "=2.85万元", "=2.7万元"),
]
_BENEFIT = [
    ("经济效益指标", "带动线上农产品交易额", ">=8亿元", "=8.6亿元", "=7.1亿元"),
    ("经济效益指标", "带动企业研发投入", "20-40亿元", "31亿元", "18亿元"),
    ("社会效益指标", "科技服务能力", "有效提升", "完全达到预期", "部分达成年度指标并具有一定效果"),
    ("社会效益指标", "带动就业人数", "≥200人", "236人", "188人"),
    ("社会效益指标", "科普知识知晓率", "≥85%", "90%", "82%"),
    ("生态效益指标", "绿色生产技术推广面积", ">=1.3万亩", "=1.5万亩", "=1.1万亩"),
    ("可持续影响指标", "科技创新环境", "逐步改善", "达成年度指标", "部分达成年度指标并具有一定效果"),
    ("可持续影响指标", "长效管理机制", "健全", "已建立并有效运行", "基本建立"),
]
_SATISFACTION = [
    ("服务对象满意度指标", "服务对象满意度", ">=90%", "=96%", "=88%"),
    ("服务对象满意度指标", "参训人员满意度", "≥95%", "97.5%", "93%"),
]
# 20 weights summing to 90 (+ 执行率 10 = 100): 产出 11 rows = 50, 效益 7 rows = 30, 满意度 2 rows = 10.
_OUTPUT_W = ["5", "5", "5", "5", "5", "5", "4", "4", "4", "4", "4"]
_BENEFIT_W = ["5", "5", "4", "4", "4", "4", "4"]
_SATIS_W = ["5", "5"]

_REASONS = [
    "受项目实施周期影响，部分任务延至次年一季度完成。下一步将加强进度管理，细化季度计划，按月调度。",
    "受市场行情变化影响，实际完成值略低于年初目标。今后将充分调研，科学合理设置绩效目标，并加强过程监控。",
    "年初指标值设置偏保守，实际完成情况超出预期较多。以后年度将结合历年完成情况合理设定指标值。",
    "部分合作单位资金到位较晚，影响了工作推进。下一步将提前沟通协调，确保资金及时拨付到位。",
]
_GOAL_SENTENCES = [
    "紧紧围绕科技创新驱动发展战略，加快布局建设平台载体，提升创新能级",
    "为中小微企业提供集供应链管理、智能绿色生产、品牌建设、交易服务、市场销售、供应链金融、大数据分析为一体的服务",
    "组织入驻企业参加特色展销活动，拓宽新疆优质农特产品销售渠道",
    "培训电子商务人员，开展技术品种（筛选）示范，申报制定农业技术标准",
    "引进高校院所服务团队，助力带动园区农业科技发展",
    "实施“高新技术企业倍增”计划，建立“科技型中小企业—高新技术企业—科技创新领军企业”逐级提升的培育链",
    "推进跨区域协同创新合作，办好跨区域协同创新年会，签约跨区域合作项目",
    "强化项目资金监管，严格执行财务制度，确保资金使用安全、规范、高效",
]
_PROJECT_NAMES = [
    "国家农业科技园区专项经费", "科技创新平台建设补助资金", "科技型中小企业培育资金", "科普示范基地建设经费",
    "跨区域协同创新合作经费", "高新技术企业认定奖励资金", "科技成果转化引导资金", "农业科技特派员工作经费",
    "科技人才引进专项资金", "众创空间孵化器运营补贴", "重点研发计划项目经费", "知识产权保护专项经费",
]
_DEPT_ROWS = [
    ("履职效能", "数量指标", "新增各级各类创新平台数量", ">=5家", "11家", "20"),
    ("履职效能", "数量指标", "培育科技创新领军企业", ">=8家", "10家", "10"),
    ("履职效能", "质量指标", "高新技术企业增长率", ">=6%", "17.96%", "10"),
    ("履职效能", "时效指标", "年度重点任务按时完成率", "=100%", "=100%", "5"),
    ("管理效率", "数量指标", "新增市级以上众创空间、科技孵化器单位数量", ">=5家", "7家", "10"),
    ("管理效率", "质量指标", "预算执行率", ">=90%", "97.99%", "5"),
    ("管理效率", "成本指标", "“三公”经费控制率", "<=100%", "=86%", "5"),
    ("社会效益", "社会效益指标", "科技服务能力", "有效提升", "完全达到预期", "10"),
    ("可持续发展能力", "可持续影响指标", "科技创新环境", "逐步改善", "达成年度指标", "5"),
    ("服务对象满意度", "服务对象满意度指标", "服务对象满意度", ">=90%", "=95%", "10"),
]


class _Ids:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def __call__(self) -> str:
        return f"{self.rng.getrandbits(48):012x}"


def _long_text(rng: random.Random, n: int, prefix: str = "") -> str:
    parts = [f"（{i + 1}）{rng.choice(_GOAL_SENTENCES)}，计划完成{rng.randint(2, 80)}项。" for i in range(n)]
    return prefix + "".join(parts)


def _funds(form: Form, rng: random.Random, total_key: str, part_keys: list[str], *, broken: bool) -> None:
    parts = [Decimal(rng.randint(100, 90000)) / 100 for _ in part_keys]
    if parts:  # 重庆 部门整体 has one fund row and no 其中 rows
        parts[-1] = parts[-1] if rng.random() < 0.7 else Decimal(0)
    for key, amount in zip(part_keys, parts, strict=True):
        spent = (amount * Decimal(rng.randint(70, 100)) / 100).quantize(Decimal("0.01"))
        form.set(f"funds.{key}.年初预算数", fmt_money(amount))
        form.set(f"funds.{key}.全年预算数", fmt_money(amount))
        form.set(f"funds.{key}.全年执行数", fmt_money(spent))
    budget = sum(parts, Decimal(0)) if parts else Decimal(rng.randint(100, 90000)) / 100
    spent_total = sum((Decimal(form.get(f"funds.{k}.全年执行数").replace(",", "")) for k in part_keys), Decimal(0)) \
        if parts else (budget * Decimal(rng.randint(70, 100)) / 100).quantize(Decimal("0.01"))
    if broken:  # a total that does not add up, as found in the seeds
        budget += Decimal("1.00")
    form.set(f"funds.{total_key}.年初预算数", fmt_money(budget))
    form.set(f"funds.{total_key}.全年预算数", fmt_money(budget))
    form.set(f"funds.{total_key}.全年执行数", fmt_money(spent_total))
    rate = spent_total / budget if budget else Decimal(0)
    form.set(f"funds.{total_key}.执行率", fmt_percent(rate))
    form.set(f"funds.{total_key}.得分", fmt2(min(rate, Decimal(1)) * 10))


def _indicator(doc: Document, rng: random.Random, ids: _Ids, level1: str, spec: tuple, weight: str,
               short: bool, with_reason_col: bool) -> Indicator:
    level2, name, target, ok, bad = spec
    actual = bad if short else ok
    ind = Indicator(id=ids())
    ind.set("一级指标", level1)
    ind.set("二级指标", level2)
    ind.set("三级指标", name)
    ind.set("年度指标值", target)
    ind.set("实际完成值", actual)
    ind.set("分值", weight)
    sc = score_indicator(doc.template.scoring, target, actual, weight, "")
    score = sc.suggested if sc.suggested is not None else Decimal(weight)
    if sc.band is not None:  # qualitative: pick inside the band
        score = sc.band[1] if not short else (sc.band[0] + sc.band[1]) / 2
    if rng.random() < 0.03:  # the odd mistyped score, as in seed 003
        score = Decimal(weight) * 2
    ind.set("得分", f"{q2(score).normalize():f}")
    if with_reason_col and (short or rng.random() < 0.1):
        ind.set("偏差原因分析及改进措施", rng.choice(_REASONS) * rng.randint(1, 3))
    return ind


def generate_document(template: str = "xinjiang", projects: int = PROJECTS, indicators: int = INDICATORS,
                      seed: int = SEED) -> Document:
    """A document with ``projects`` project forms of ``indicators`` rows each plus the department form."""
    rng = random.Random(seed)
    ids = _Ids(rng)
    doc = new_document(template, UNIT, 2024, projects=0)
    tpl = doc.template
    doc.signoff = {"单位负责人": "张建国", "财务负责人": "李敏", "填表人": "王芳", "填报日期": "2025年3月20日"}
    out: list[Form] = []
    for form in doc.forms:  # the department form from new_document
        form.id = ids()
        fd = tpl.form("department")
        funds = fd.funds
        assert funds is not None
        total = funds.total_fund_row
        assert total is not None
        _funds(form, rng, total.key, [r.key for r in funds.fund_rows if not r.total], broken=False)
        form.set("goals.预期目标", _long_text(rng, 8, "依据我单位“三定方案”主要职能，2024年主要实现以下重点工作目标："))
        form.set("goals.实际完成情况", _long_text(rng, 8, "2024年主要完成了以下重点工作："))
        cols = {c.key for c in fd.indicators.columns} if fd.indicators else set()
        levels = [lv.name for lv in fd.indicators.levels] if fd.indicators else []
        form.indicators = []
        for j, (l1, l2, l3, target, actual, w) in enumerate(_DEPT_ROWS):
            if not levels:  # a flat list (重庆): no 一级/二级
                l1 = l2 = ""
            elif l1 not in levels:
                l1 = levels[min(j // 4, len(levels) - 1)]
            ind = Indicator(id=ids())
            for k, v in (("一级指标", l1), ("二级指标", l2), ("三级指标", l3), ("年度指标值", target),
                         ("实际完成值", actual), ("分值", w), ("得分", w)):
                ind.set(k, v)
            if "指标值设定依据" in cols:
                ind.set("指标值设定依据", "《科技创新支撑乌鲁木齐市高质量发展行动方案（2023—2025年）》")
            form.indicators.append(ind)
        out.append(form)

    fd = tpl.form("project")
    funds = fd.funds
    assert funds is not None and fd.indicators is not None
    total = funds.total_fund_row
    assert total is not None
    levels = [lv.name for lv in fd.indicators.levels]
    with_reason = any(c.key == "偏差原因分析及改进措施" for c in fd.indicators.columns)
    satisfaction = next((n for n in levels if "满意" in n), levels[-1])
    benefit = next((n for n in levels if "效益" in n), levels[min(1, len(levels) - 1)])
    output = next((n for n in levels if "产出" in n), levels[0])
    plan = ([(output, s, w) for s, w in zip(_pick(rng, _QUANT, len(_OUTPUT_W)), _OUTPUT_W, strict=True)]
            + [(benefit, s, w) for s, w in zip(_pick(rng, _BENEFIT, len(_BENEFIT_W)), _BENEFIT_W, strict=True)]
            + [(satisfaction, s, w) for s, w in zip(_SATISFACTION, _SATIS_W, strict=True)])
    for i in range(projects):
        form = new_form(tpl, "project", unit=UNIT)
        form.id = ids()
        form.set("header.项目名称", f"2024年{rng.choice(_PROJECT_NAMES)}（第{i + 1}批）")
        form.set("header.主管部门", UNIT)
        _funds(form, rng, total.key, [r.key for r in funds.fund_rows if not r.total], broken=(i % 10 == 7))
        form.set("goals.预期目标", _long_text(rng, rng.randint(4, 8), "市科技局组织园区核心建设单位，"))
        form.set("goals.实际完成情况", _long_text(rng, rng.randint(4, 8), "2024年"))
        rows = []
        for j in range(indicators):
            l1, spec, w = plan[j % len(plan)]
            rows.append(_indicator(doc, rng, ids, l1, spec, w, short=rng.random() < 0.2, with_reason_col=with_reason))
        form.indicators = rows
        out.append(form)
    doc.forms = out
    return doc


def _pick(rng: random.Random, pool: list, n: int) -> list:
    # keep the 二级 order of the pool (forms list 数量 before 质量 …) while varying the rows
    chosen = sorted(rng.sample(range(len(pool)), min(n, len(pool))))
    return [pool[k] for k in chosen]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="生成用于基准测试的自评文件")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--template", default="xinjiang")
    p.add_argument("--projects", type=int, default=PROJECTS)
    p.add_argument("--indicators", type=int, default=INDICATORS)
    p.add_argument("--seed", type=int, default=SEED)
    a = p.parse_args(argv)
    from jixiao.core.fileio import save_document

    doc = generate_document(a.template, a.projects, a.indicators, a.seed)
    save_document(doc, Path(a.output), backup=False)
    print(f"{a.output}: {len(doc.forms)} forms, {sum(len(f.indicators) for f in doc.forms)} indicators")
    return 0


if __name__ == "__main__":
    sys.exit(main())
