"""The 自评报告's content: every figure from the engine, narrative from the
officer's texts, placeholders where the data is silent, wording from data."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal

import pytest

from jixiao.core.fields import clean_label
from jixiao.core.figures import fmt2, fmt_money, fmt_percent, parse_decimal
from jixiao.core.model import new_document
from jixiao.core.scoring import score_form
from jixiao.core.selfreport import (
    FIGURE,
    OFFICER,
    ORDINAL,
    PLACEHOLDER,
    TEXT,
    Appendix,
    Heading,
    Paragraph,
    ReportError,
    Run,
    Table,
    WordingError,
    build_report,
    wording_for,
)
from jixiao.core.selfreport.content import fill
from jixiao.core.selfreport.facts import clause
from jixiao.core.selfreport.outline import CIRCLED, chinese_number, circled
from jixiao.core.selfreport.wording import all_wordings, reload_wordings
from jixiao.core.summary import form_score, summary_rows

from .selfreport_support import EXAMPLES, KINDS, ROOT, engine_figures, example, officer_texts

NUMBER = re.compile(r"\d")


@pytest.fixture
def wordings_dir(tmp_path, monkeypatch):
    """An extra folder of wording files (JIXIAO_REPORTS), forgotten afterwards."""
    d = tmp_path / "reports"
    d.mkdir()
    monkeypatch.setenv("JIXIAO_REPORTS", str(d))
    reload_wordings()
    yield d
    monkeypatch.delenv("JIXIAO_REPORTS")
    reload_wordings()


def test_chinese_numbers_and_circled_marks():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 27, 99)] == [
        "一", "九", "十", "十一", "二十", "二十七", "九十九"]
    assert chinese_number(100) == "100"
    assert circled(1) == "①" and circled(20) == "⑳" and circled(21) == "（21）"


def test_fill_inserts_values_literally_and_refuses_unknown_fields():
    runs = fill("执行率为{执行率}，原因：{原因}。", {"执行率": Run("97.99%", FIGURE, Decimal("0.9799")),
                                             "原因": Run("{年度} <b>", OFFICER)})
    assert [r.kind for r in runs] == [TEXT, FIGURE, TEXT, OFFICER, TEXT]
    assert "".join(r.text for r in runs) == "执行率为97.99%，原因：{年度} <b>。"
    with pytest.raises(WordingError, match="未知字段“{得分}”"):
        fill("得分{得分}", {"分值": "10"})
    with pytest.raises(WordingError, match="格式错误"):
        fill("得分{得分", {})


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", KINDS)
def test_every_figure_is_the_engines(path, kind):
    doc = example(path)
    report = build_report(doc, kind)
    figures = engine_figures(doc)
    typed = officer_texts(doc)
    typed |= {clause(t) for t in typed}  # an officer's reason inside a sentence loses its final full stop
    runs = report.runs()
    assert any(r.kind == FIGURE for r in runs)
    for r in runs:
        if r.kind == FIGURE:
            assert r.text in figures, r.text
            assert r.value is not None
        elif r.kind == OFFICER:
            assert r.text in typed, r.text
        elif r.kind == PLACEHOLDER:
            assert r.text.startswith("【请补充：") and r.text.endswith("】")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", KINDS)
def test_the_reports_own_wording_holds_no_figure(path, kind):
    """Numbers come from the engine or the officer: the wording adds only the
    numbering of headings and lists and the thresholds it states (90%, 100%)."""
    doc = example(path)
    report = build_report(doc, kind)
    allowed = {"90%", "100%"} | template_labels(doc)
    for block in report.blocks:
        runs = block.runs if isinstance(block, (Paragraph, Heading)) else []
        for r in runs:
            if r.kind == TEXT:
                left = r.text
                for a in sorted(allowed, key=len, reverse=True):
                    left = left.replace(a, "")
                assert not NUMBER.search(left), r.text
        if isinstance(block, Table):
            for row in block.rows:
                for c in row:
                    for r in c.runs:
                        assert r.kind != TEXT or r.text in allowed or not NUMBER.search(r.text), r.text
        if isinstance(block, (Paragraph, Heading)):
            assert all(r.text.isdigit() or r.text in CIRCLED for r in runs if r.kind == ORDINAL)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", KINDS)
def test_headings_are_numbered_in_sequence(path, kind):
    report = build_report(example(path), kind)
    counters: list[int] = []
    for b in report.blocks:
        if not isinstance(b, Heading):
            continue
        if b.level == 1 and counters and report.kind == "project" and b.number == "一、":
            counters = []  # the next project's report
        while len(counters) < b.level:
            counters.append(0)
        del counters[b.level:]
        counters[b.level - 1] += 1
        n = counters[b.level - 1]
        expected = {1: f"{chinese_number(n)}、", 2: f"（{chinese_number(n)}）", 3: f"{n}.", 4: f"（{n}）"}[b.level]
        assert b.number == expected, b.text


def template_labels(doc) -> set[str]:
    """The template's own words (fund rows, sections, columns, 一级/二级, items): they may hold numbers (（1）)."""
    out: set[str] = set()
    for fd in doc.template.forms.values():
        for sec in fd.sections:
            out |= {clean_label(sec.label)} | {clean_label(c.label) for c in sec.columns}
            out |= {clean_label(r.label) for r in sec.fund_rows} | {it.name for it in sec.items}
            out |= {lv.name for lv in sec.levels} | {x for lv in sec.levels for x in lv.level2}
        out.add(fd.title)
    return {x for x in out if x}


def _table(report, caption: str) -> Table:
    return next(b for b in report.blocks if isinstance(b, Table) and b.caption == caption)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_department_tables_hold_the_forms_figures(path):
    doc = example(path)
    report = build_report(doc, "department")
    dept = doc.department
    t = doc.template
    fd = t.form("department")
    res = score_form(t, fd, dept)
    funds = _table(report, "资金情况")
    assert funds.columns == ["资金来源", "年初预算数", "全年预算数", "全年执行数", "执行率"]
    for row_def, row in zip(fd.funds.fund_rows, funds.rows, strict=True):
        cells = dept.funds.get(row_def.key, {})
        want = [fmt_money(parse_decimal(cells.get(c))) or "—" for c in ("年初预算数", "全年预算数", "全年执行数")]
        rate = res.funds[row_def.key].rate
        assert [c.text for c in row[1:]] == want + [fmt_percent(rate) if rate is not None else "—"]
    conclusion = _table(report, "评价结论")
    levels = {r[0].text: [c.text for c in r[1:]] for r in conclusion.rows}
    for lv in res.levels:
        assert levels[lv.name] == [f"{lv.weight.normalize():f}" if lv.weight == lv.weight.to_integral_value()
                                   else fmt2(lv.weight), fmt2(lv.score), fmt_percent(lv.rate)]
    assert levels["预算执行率"][1] == fmt2(res.execution_effective)
    # the table adds up: its 合计 is the sum of its rows, the engine's total
    body = [r for r in conclusion.rows if r[0].text != "合计"]
    assert levels["合计"][0] == f"{res.weight_total.normalize():f}"
    assert levels["合计"][1] == fmt2(sum(Decimal(r[2].text) for r in body)) == fmt2(res.total)
    projects = _table(report, "项目支出自评情况")
    rows = summary_rows(doc)
    for s, row in zip(rows, projects.rows[:-1], strict=True):
        assert [c.text for c in row[1:]] == [s.项目名称, fmt_money(s.全年预算数), fmt_money(s.全年执行数),
                                             fmt_percent(s.预算执行率), fmt2(s.自评得分), s.等级]
    total = projects.rows[-1]
    assert total[1].text == "合计" and total[2].text == fmt_money(sum(s.全年预算数 for s in rows))


def _after(report, table: Table) -> str:
    i = report.blocks.index(table)
    nxt = report.blocks[i + 1]
    return nxt.text if isinstance(nxt, Paragraph) else ""


@pytest.mark.parametrize("kind", ["department", "project"])
def test_conclusion_table_adds_up_and_notes_what_the_form_says_otherwise(kind):
    """三门峡's forms print a 总分 (93.98, 90.24 …) their rows do not reach: the table shows the rows and
    their sum, never a 得分率 above 100 %, and a note below it gives the typed 总分 and the 分值 sum."""
    doc = example(next(p for p in EXAMPLES if "三门峡" in p.stem))
    report = build_report(doc, kind)
    tables = [b for b in report.blocks if isinstance(b, Table) and b.caption == "评价结论"]
    forms = [doc.department] if kind == "department" else doc.projects
    assert len(tables) == len(forms)
    noted = 0
    for form, table in zip(forms, tables, strict=True):
        res = score_form(doc.template, doc.template.form(form.kind), form)
        *body, total = table.rows
        assert total[0].text == "合计"
        assert Decimal(total[2].text) == sum(Decimal(r[2].text) for r in body) == res.total
        assert Decimal(total[1].text) == sum(Decimal(r[1].text) for r in body) == res.weight_total
        rates = [Decimal(r[3].text.rstrip("%")) for r in table.rows if r[3].text != "—"]
        assert rates and max(rates) <= 100
        note = _after(report, table)
        typed = form_score(res)
        if typed is not None and fmt2(typed) != fmt2(res.total):
            noted += 1
            assert note.startswith("注：") and f"自评表填写的总分为{fmt2(typed)}分" in note
            assert f"各项得分合计{fmt2(res.total)}分不符" in note
        else:
            assert "自评表填写的总分" not in note
        if res.weight_total != 100:
            assert f"各项分值合计为{res.weight_total.normalize():f}分，不等于100分" in note
    assert noted  # 三门峡 部门 (93.98 vs 75.98) and projects such as 科学技术管理与事务 (90.24 vs 80.24)
    if kind == "department":
        (table,) = tables
        assert [c.text for c in table.rows[-1]] == ["合计", "82", "75.98", "92.66%"]
        assert "综合得分93.98分" in report.plain_text()  # the conclusion states what the form prints


def test_conclusion_table_of_a_flat_list_adds_up():
    """重庆's flat list has no 一级: its indicators are one row under the grid's label."""
    from tests.core.regional import chongqing_document

    doc = chongqing_document()
    report = build_report(doc, "department")
    table = _table(report, "评价结论")
    res = score_form(doc.template, doc.template.form("department"), doc.department)
    assert [r[0].text for r in table.rows] == ["预算执行率", "绩效指标", "合计"]
    assert Decimal(table.rows[-1][2].text) == Decimal(table.rows[0][2].text) + Decimal(table.rows[1][2].text) \
        == res.total


def test_a_flat_list_is_counted_as_indicators_not_as_zero_levels():
    """重庆's flat list has no 一级/二级: the report counts its indicators, never "一级指标0个"."""
    from tests.core.regional import chongqing_document

    doc = chongqing_document()
    text = "\n".join("".join(r.text for r in p.runs) for p in build_report(doc, "department").blocks
                     if isinstance(p, Paragraph))
    assert "一级指标0个" not in text and "二级指标0个" not in text
    n = len([i for i in doc.department.indicators if not i.is_empty_row()])
    assert f"共设置绩效指标{n}个" in text


def test_a_score_above_its_weight_has_no_rate_and_a_note():
    doc = example(next(p for p in EXAMPLES if "乌鲁木齐" in p.stem))
    dept = doc.department
    ind = next(i for i in dept.indicators if i.get("分值"))
    ind.cells["得分"] = str(Decimal(ind.get("分值")) + 5)
    report = build_report(doc, "department")
    table = _table(report, "评价结论")
    row = next(r for r in table.rows if r[0].text == ind.level1)
    assert row[3].text == "—"
    assert f"{ind.level1}得分" in _after(report, table) and "超过分值" in _after(report, table)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_execution_report_counts_grades_and_lists_low_rates(path):
    doc = example(path)
    report = build_report(doc, "execution")
    text = report.plain_text()
    rows = summary_rows(doc)
    for grade, n in Counter(s.等级 for s in rows).items():
        assert f"{n}个项目为“{grade}”" in text
    low = [s for s in rows if s.预算执行率 is not None and s.预算执行率 < Decimal("0.9")]
    assert f"预算执行率低于90%的项目{len(low)}个" in text
    for s in low:
        assert f"{s.项目名称}（{fmt_percent(s.预算执行率)}）" in text
    headings = [b.text for b in report.blocks if isinstance(b, Heading) and b.level == 2]
    for s in rows:  # a section per project
        assert any(h.endswith(s.项目名称) for h in headings)


def test_a_low_rate_is_explained_by_the_officers_own_spending_reason():
    doc = example(next(p for p in EXAMPLES if "乌鲁木齐" in p.name))
    text = build_report(doc, "execution").plain_text()
    # 追加2023年自治区科技专项 spent 14.20%; its 资金拨付率 indicator says why
    assert ("预算执行率未达90%的原因：由于该项目为跨年项目，项目执行期为三年，因此产生偏差"
            "（见“资金拨付率”指标的偏差原因分析）。") in text


def test_deviating_indicators_carry_their_reason_or_a_placeholder():
    doc = example(next(p for p in EXAMPLES if "乌鲁木齐" in p.name))
    proj = doc.projects[0]  # 实现电子商务交易额 lost 5 points; 推介活动完成率 is 11% over its target
    report = build_report(doc, "project", [proj.id])
    text = report.plain_text()
    reason = next(i.get("偏差原因分析及改进措施") for i in proj.indicators if i.get("三级指标") == "实现电子商务交易额")
    assert ("实现电子商务交易额（效益指标—经济效益指标）：年度指标值>=8亿元，实际完成值=6亿元，"
            f"分值20分，得分15.00分，偏差率-25.00%。偏差原因分析及改进措施：{reason}") in text
    assert "培训计划完成率（" not in text  # 100% against ≥90%: a rate at its ceiling needs no reason
    next(i for i in proj.indicators if i.get("三级指标") == "实现电子商务交易额").set("偏差原因分析及改进措施", "")
    text = build_report(doc, "project", [proj.id]).plain_text()
    assert "【请补充：“实现电子商务交易额”的偏差原因分析及改进措施】" in text


def test_what_the_data_cannot_say_is_a_placeholder_never_prose():
    doc = new_document("national", "某某局", 2024, projects=1)
    report = build_report(doc, "department")
    runs = report.runs()
    # nothing but the template's 执行率 分值 and counts: no amount, rate or score is made up
    assert {r.text for r in runs if r.kind == FIGURE} <= {"10", "1", "0"}
    text = report.plain_text()
    assert "均达到" not in text and "均不低于" not in text  # no claim the empty forms cannot back
    for missing in ("部门年度整体绩效目标（自评表“预期目标”未填写）",
                    "年度总体目标的实际完成情况（自评表“实际完成情况”未填写）",
                    "年度总资金全年预算数（自评表未填写）", "年度总资金执行率（自评表未填写）",
                    "执行率得分（自评表未填写）", "自评总分（自评表未填写）"):
        assert f"【请补充：{missing}】" in text
    assert report.placeholders >= 8


def test_the_appendix_is_the_forms_own_grid():
    doc = example(EXAMPLES[0])
    report = build_report(doc, "department")
    appendix = [b for b in report.blocks if isinstance(b, Appendix)]
    assert len(appendix) == 1 and appendix[0].grid.form_id == doc.department.id
    report = build_report(doc, "project")
    assert [b.grid.form_id for b in report.blocks if isinstance(b, Appendix)] == [p.id for p in doc.projects]
    report = build_report(doc, "execution")
    assert [b.grid.title for b in report.blocks if isinstance(b, Appendix)] == ["项目单位自评汇总表"]


def test_project_reports_follow_the_chosen_forms():
    doc = example(EXAMPLES[1])
    chosen = [doc.projects[2].id, doc.projects[0].id]
    report = build_report(doc, "project", chosen)
    titles = [b.text for b in report.blocks if isinstance(b, Paragraph) and b.style == "title"]
    assert titles[0::2] == [doc.projects[0].name, doc.projects[2].name]  # document order
    assert report.form_ids == [doc.projects[0].id, doc.projects[2].id]
    with pytest.raises(ReportError, match="没有选中任何项目"):
        build_report(doc, "project", [])


def test_no_department_form_is_a_clear_error():
    doc = example(EXAMPLES[0])
    doc.forms = doc.projects
    with pytest.raises(ReportError, match="没有部门整体支出绩效自评表"):
        build_report(doc, "department")
    text = build_report(doc, "execution").plain_text()  # still possible: the projects alone
    assert "部门整体支出自评情况分析" not in text and "项目预算执行及自评情况" in text


# ------------------------------------------------------------------ wording files


def test_bundled_wordings_load_and_cover_every_kind():
    ids = {w.id for w in all_wordings()}
    assert {"department", "department-xinjiang", "project", "execution"} <= ids
    assert "common" not in ids  # shared phrases only
    assert wording_for("department", "xinjiang").id == "department-xinjiang"
    assert wording_for("department", "xinjiang-karamay").id == "department-xinjiang"
    assert wording_for("department", "henan").id == "department"
    assert wording_for("project", "xinjiang").id == "project"


def test_the_xinjiang_department_report_follows_seed_003():
    doc = example(next(p for p in EXAMPLES if "乌鲁木齐" in p.name))
    report = build_report(doc, "department")
    top = [b.text for b in report.blocks if isinstance(b, Heading) and b.level == 1]
    assert top == ["一、基本概况", "二、部门单位整体支出管理及使用情况", "三、部门单位整体支出绩效分析", "四、评价结论",
                   "五、存在的主要问题及原因分析", "六、改进措施和建议"]
    assert "部门单位名称（公章）：乌鲁木齐市科学技术局" in report.plain_text()


def test_the_general_department_report_follows_the_issues_outline():
    doc = example(next(p for p in EXAMPLES if "三门峡" in p.name))
    report = build_report(doc, "department")
    top = [b.text for b in report.blocks if isinstance(b, Heading) and b.level == 1]
    assert top == ["一、部门基本情况", "二、绩效自评工作开展情况", "三、评价情况分析及综合评价结论",
                   "四、存在的问题及原因分析", "五、下一步改进措施", "六、结果应用"]
    assert "年度主要任务" in [b.caption for b in report.blocks if isinstance(b, Table)]  # 河南's extra block


def test_a_regional_wording_file_changes_the_report_without_code(wordings_dir):
    (wordings_dir / "execution.test.json").write_text(json.dumps({
        "format": 1, "id": "execution-test", "kind": "execution", "extends": "execution", "templates": ["henan"],
        "execution_threshold": "1", "phrases": {"low_rate": "执行率未达{阈值}的项目共{个数}个：{项目列表}。"},
    }, ensure_ascii=False), encoding="utf-8")
    doc = example(next(p for p in EXAMPLES if "三门峡" in p.name))
    text = build_report(doc, "execution").plain_text()
    low = [s for s in summary_rows(doc) if s.预算执行率 is not None and s.预算执行率 < 1]
    assert f"执行率未达100%的项目共{len(low)}个：" in text
    other = example(next(p for p in EXAMPLES if "乌鲁木齐" in p.name))
    assert "预算执行率低于90%的项目" in build_report(other, "execution").plain_text()  # other regions unchanged


@pytest.mark.parametrize("content, message", [
    ("{", "无法读取"),
    (json.dumps({"format": 1, "id": "x", "kind": "department", "extends": "nope"}), "找不到被继承的“nope”"),
    (json.dumps({"format": 1, "id": "x", "kind": "report", "extends": "department"}), "kind 应为"),
    (json.dumps({"format": 1, "id": "x", "kind": "department", "extends": "department",
                 "outline": [{"heading": "一", "blocks": [{"ask": "a", "say": "b"}]}]}), "只含一个"),
])
def test_a_broken_wording_file_is_reported_in_chinese(wordings_dir, content, message):
    (wordings_dir / "broken.json").write_text(content, encoding="utf-8")
    with pytest.raises(WordingError, match=message):
        wording_for("department", "henan")


def test_a_wording_file_naming_an_unknown_producer_or_phrase_fails_clearly(wordings_dir):
    (wordings_dir / "department.test.json").write_text(json.dumps({
        "format": 1, "id": "department-test", "kind": "department", "extends": "department", "templates": ["henan"],
        "outline": [{"heading": "甲", "blocks": [{"use": "magic"}]}],
    }, ensure_ascii=False), encoding="utf-8")
    doc = example(next(p for p in EXAMPLES if "三门峡" in p.name))
    with pytest.raises(WordingError, match="未知的内容“magic”"):
        build_report(doc, "department")


def test_every_wording_key_and_producer_is_documented():
    from jixiao.core.selfreport.builder import _Builder

    text = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    keys: set[str] = set()
    for path in (ROOT / "resources" / "reports").glob("*.json"):
        keys |= set(json.loads(path.read_text(encoding="utf-8")))
    assert not sorted(k for k in keys if f"`{k}`" not in text)
    doc = example(EXAMPLES[0])
    producers = _Builder(doc, "department", None).producers
    assert not sorted(p for p in producers if f"`{p}`" not in text)


def test_a_templates_own_reason_column_and_threshold_explain_a_low_rate():
    doc = new_document("sichuan", "遂宁市大英县某局", 2024, projects=1)
    proj = doc.projects[0]
    proj.header["项目名称"] = "科技创新券"
    total = doc.template.form("project").funds.total_fund_row.key
    for col, value in (("年初预算数", "100"), ("全年预算数", "100"), ("全年执行数", "85"),
                       ("原因", "资金下达较晚，年底前未完成支付。")):
        proj.set(f"funds.{total}.{col}", value)
    text = build_report(doc, "project").plain_text()
    # 四川 asks a reason under 90% (the template's execution_reason_below), the officer gave it in 原因
    assert "预算执行率未达90%的原因：资金下达较晚，年底前未完成支付。" in text
    proj.set(f"funds.{total}.全年执行数", "95")
    assert "未达90%" not in build_report(doc, "project").plain_text()


def test_a_total_capped_by_the_execution_rate_is_said_so(office_templates):
    office_templates("capped.json", {
        "format": 1, "id": "xinjiang-capped", "name": "新疆（执行率封顶）", "extends": "xinjiang",
        "scoring": {"execution_caps": [["0.5", "59"]]}})
    doc = example(next(p for p in EXAMPLES if "乌鲁木齐" in p.name))
    doc.template_id = "xinjiang-capped"
    proj = doc.projects[-1]  # 追加2023年自治区科技专项: 执行率 14.20%
    proj.total = ""
    res = score_form(doc.template, doc.template.form("project"), proj)
    assert res.cap is not None and res.total == 59
    text = build_report(doc, "project", [proj.id]).plain_text()
    assert (f"自评综合得分59.00分，评价等级为“差”。因预算执行率低于50.00%，总分以59分为上限"
            f"（各项得分合计{fmt2(res.uncapped_total)}分）。") in text
