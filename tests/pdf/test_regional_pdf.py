"""The 四川 and 重庆 templates printed: every typed value is on the page, laid out as the forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jixiao.core.model import iter_paths
from jixiao.pdf.plan import plan_document
from jixiao.pdf.writer import write_pdf
from tests.core.regional import chongqing_document, sichuan_document

from .pdfhelpers import needs_poppler, pdftotext


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@needs_poppler
@pytest.mark.parametrize("make", [sichuan_document, chongqing_document], ids=["sichuan", "chongqing"])
def test_every_typed_value_is_printed(make, tmp_path: Path):
    doc = make()
    out = tmp_path / "f.pdf"
    write_pdf(doc, out)
    flat = _flat(pdftotext(out))
    for form in doc.forms:
        for path in iter_paths(form, doc.template.form(form.kind)):
            v = form.get(path)
            if v:
                assert _flat(v) in flat or _flat(v).removesuffix("%") in flat, (path, v)
    for label, name in doc.signoff.items():
        assert f"{label}：{name}" in flat


def test_sichuan_page_has_its_blocks_and_no_stamp_line():
    doc = sichuan_document()
    pages = plan_document(doc, [doc.forms[0].id], include_summary=False)
    flat = "".join(t.text for page in pages for t in page.texts)  # a wrapped cell's lines are consecutive runs
    for s in ("部门预算项目支出绩效自评表", "(2023年度)", "报表编号：510000_0013zp", "实施单位(盖章)", "项目基本情况",
              "1.项目年度目标完成情况", "预算执行情况(10分)", "年度预算数(万元)", "其中:财政资金", "绩效指标(90分)",
              "未完成原因分析", "合计", "98.89", "评价结论", "存在问题", "改进措施", "项目负责人：查小兵"):
        assert s in flat, s
    assert "填报单位" not in flat and "单位负责人" not in flat


def test_header_is_not_repeated_over_the_footer_blocks():
    """A page that starts with 评价结论 / 存在问题 / 改进措施 does not repeat the indicator header."""
    doc = sichuan_document()
    form = doc.forms[0]
    form.texts["conclusion"]["评价结论"] = "项目实施取得成效。" * 400  # long enough to push the footer onwards
    pages = plan_document(doc, [form.id], include_summary=False)
    assert len(pages) >= 2
    for page in pages[1:]:
        texts = [t.text for t in page.texts]
        if any("改进措施" in t for t in texts) and not any("成本控制数" in t for t in texts):
            assert not any(t == "未完成原因分析" for t in texts)
