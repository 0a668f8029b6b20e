"""Documents and PDF readers for the PDF tests (imported by the test modules)."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from jixiao.core.fileio import document_from_data
from jixiao.core.model import Document, Indicator, new_document, new_form
from jixiao.core.templates import get_template

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"

TRICKY = ["<=5%", "R&D", "=SUM(1)", "<b>加粗</b>", "&amp;", "a\\nb"]


def merged_seeds(*names: str) -> Document:
    from jixiao.core.interchange import merge_interchange

    parts = [json.loads((SEEDS / n).read_text(encoding="utf-8")) for n in names]
    return document_from_data(merge_interchange(parts), "seeds")


def goal_text(n: int, tag: str = "目标") -> str:
    """``n`` characters of prose made of numbered, distinguishable sentences."""
    parts: list[str] = []
    k = 0
    while sum(map(len, parts)) < n:
        k += 1
        parts.append(f"{tag}{k:04d}完成科技创新平台建设，提升服务能力；")
    return "".join(parts)[:n]


def big_project_doc(indicators: int = 60, goal_chars: int = 2000, template: str = "xinjiang",
                    reason: str = "") -> Document:
    doc = new_document(template, "测试科学技术局", 2024, projects=0)
    doc.forms.clear()  # just the one project form
    tpl = doc.template
    form = new_form(tpl, "project", unit=doc.unit)
    form.header["项目名称"] = "R&D专项 <b>试点</b>"
    form.header["主管部门"] = "测试科学技术局"
    form.funds["年度资金总额"] = {"年初预算数": "1,200.50", "全年预算数": "1,300.00", "全年执行数": "1,250.25",
                                 "分值": "10"}
    form.funds["当年财政拨款"] = {"年初预算数": "1,200.50", "全年预算数": "1,300.00", "全年执行数": "1,250.25"}
    form.texts["goals"] = {"预期目标": goal_text(goal_chars, "预期"), "实际完成情况": goal_text(goal_chars, "实际")}
    levels = [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("效益指标", "社会效益指标"),
              ("满意度指标", "满意度指标")]
    form.indicators = []
    for i in range(indicators):
        l1, l2 = levels[min(3, i * 4 // indicators)]
        target = "<=5%" if i == 0 else ("=SUM(1)" if i == 1 else f">={i + 1}项")
        form.indicators.append(Indicator({
            "一级指标": l1, "二级指标": l2, "三级指标": f"第{i + 1:02d}号指标R&D投入",
            "年度指标值": target, "实际完成值": f"={i + 1}项", "分值": "1", "得分": "1",
        }))
    if reason:
        form.indicators[min(3, indicators - 1)].cells["偏差原因分析及改进措施"] = reason
    doc.add_project(form)
    return doc


def oriented_doc(orientation: str, margins: list[float] | None = None) -> Document:
    """A one-project document whose template (a copy of 全国通用) prints in ``orientation``."""
    src = copy.deepcopy(get_template("national").source)
    src["id"] = f"pdf-test-{orientation}"
    src["name"] = f"测试（{orientation}）"
    for kind in ("project", "department"):
        if kind in src:
            src[kind]["orientation"] = orientation
            if margins is not None:
                src[kind]["margins"] = margins
    doc = Document(template_id=src["id"], unit="方向测试单位", year=2024, embedded_template=src)
    tpl = doc.template
    form = new_form(tpl, "project", unit=doc.unit)
    form.header["项目名称"] = "表样方向项目"
    doc.forms.append(form)
    return doc


def pdftotext(path: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    return subprocess.run(args + [str(path), "-"], check=True, capture_output=True).stdout.decode("utf-8")


def pdffonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True).stdout.decode("utf-8")
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                                   reason="poppler-utils (pdftotext, pdffonts) not installed")
