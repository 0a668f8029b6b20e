"""Filled 四川 and 重庆 documents for the tests of the regional templates (imported by
tests/core, tests/excel, tests/pdf and tests/gui)."""

from __future__ import annotations

from jixiao.core.model import Document, Indicator, iter_paths, new_document

# 四川 大英县司法局 2023, 安可替代补助资金项目: the fund block as published (sichuan-daying-2023 in the
# reference set); the indicator rows of that form were cut off in the published copy, so the rows below are
# made up in its layout (指标性质 | 指标值 | 度量单位 | 完成值 …), the first one as its truncated first row begins.
SICHUAN_FUNDS = {
    "总额": ("0.00", "3.36", "3.36"),
    "财政资金": ("0.00", "3.36", "3.36"),
    "财政专户管理资金": ("0.00", "0.00", "0.00"),
    "单位资金": ("0.00", "0.00", "0.00"),
}
AMOUNTS = ("年初预算数", "全年预算数", "全年执行数")

SICHUAN_INDICATORS = [
    ("产出指标", "质量指标", "完成安可产品购买并按要求支付资金", "=", "100", "%", "100", "30", "30", ""),
    ("产出指标", "数量指标", "购买安可电脑台数", "≥", "13", "台", "13", "20", "20", ""),
    ("产出指标", "经济成本指标", "成本控制数", "≤", "3.36", "万元", "3.36", "10", "10", ""),
    ("效益指标", "社会效益指标", "办公设备国产化率", "≥", "90", "%", "85", "20", "18.89",
     "部分外设尚未替换，2024年完成。"),
    ("满意度指标", "服务对象满意度指标", "使用人员满意度", "≥", "90", "%", "95", "10", "10", ""),
]
SICHUAN_COLUMNS = ("一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "度量单位", "实际完成值", "分值",
                   "得分", "偏差原因分析及改进措施")


def sichuan_document() -> Document:
    doc = new_document("sichuan", "大英县司法局", 2023, projects=1)
    doc.forms = doc.projects  # the 四川 一体化 layout is the project form
    p = doc.forms[0]
    p.header.update({"项目名称": "51092324T000010263357-2023年全县安可替代补助资金项目",
                     "主管部门": "大英县司法局部门"})
    p.texts["goals"] = {"预期目标": "根据要求购买安可设备,并完成项目资金支付。", "实际完成情况": "完成",
                        "项目实施内容及过程概述": "2023年购买13台安可电脑,并于12月前完成资金支付。"}
    for row, values in SICHUAN_FUNDS.items():
        for key, v in zip(AMOUNTS, values, strict=True):
            p.set(f"funds.{row}.{key}", v)
    p.set("funds.总额.执行率", "100.00%")
    p.set("funds.总额.得分", "10")
    p.set("funds.总额.原因", "年中追加预算3.36万元用于购买安可设备。")
    p.indicators = [Indicator({k: v for k, v in zip(SICHUAN_COLUMNS, row, strict=True) if v})
                    for row in SICHUAN_INDICATORS]
    p.texts["conclusion"] = {"评价结论": "根据财政局资金下达的管理办法,将资金支付给项目施工方。", "存在问题": "无",
                             "改进措施": "无"}
    doc.signoff = {"项目负责人": "查小兵", "财务负责人": "唐勇"}
    return doc


# 重庆 部门整体 (2021 layout): a flat list. 党性教育培训次数 has an adjusted target (调整指标值 10次), which is
# what it is scored against; 组织宣传活动次数 falls short (43 of 50).
CHONGQING_COLUMNS = ("三级指标", "度量单位", "指标性质", "年度指标值", "调整指标值", "实际完成值", "分值", "得分",
                     "是否核心指标")
CHONGQING_INDICATORS = [
    ("预算完成率", "%", "定量指标", "70%", "", "76%", "20", "", "是"),
    ("党性教育培训次数", "次", "定量指标", "26次", "10次", "12次", "20", "", "是"),
    ("组织宣传活动次数", "次", "定量指标", "50次", "", "43次", "30", "", "是"),
    ("管理制度健全性", "", "定性指标", "高", "", "高", "20", "", "否"),
]


def chongqing_document() -> Document:
    doc = new_document("chongqing", "西部（重庆）科学城融媒体中心", 2021, projects=0)
    d = doc.department
    assert d is not None
    d.header.update({"财政处室": "宣传文化处", "部门联系人": "曾雪莲", "联系电话": "023-68000000"})
    for key, v in zip(AMOUNTS, ("500.00", "620.00", "471.20"), strict=True):
        d.set(f"funds.部门预算执行情况.{key}", v)
    d.texts["goals"] = {"预期目标": "无", "调整绩效目标": "为建设成渝地区双城经济圈和西部(重庆)科学城营造良好氛围。",
                        "实际完成情况": "中心2021年较好地完成了履职任务。"}
    d.indicators = [Indicator({k: v for k, v in zip(CHONGQING_COLUMNS, row, strict=True) if v})
                    for row in CHONGQING_INDICATORS]
    return doc


ODD = ["", " ", "≥", "定性", "=SUM(1)", "<=5%", "1-2个", "100百分比", "-", "/", "abc", "１２.５", "≥100%", "0",
       "1e9999", "9" * 40, "\n", "高"]


def fill_with_odd_values(doc: Document, values: list[str] | None = None) -> Document:
    """Every input cell of every form set to one of ``values`` (``ODD``), in turn."""
    values = values or ODD
    k = 0
    for form in doc.forms:
        for path in list(iter_paths(form, doc.template.form(form.kind))):
            form.set(path, values[k % len(values)])
            k += 1
    return doc
