"""The producers of a report and :func:`build_report`.

Each producer states engine figures (:mod:`jixiao.core.selfreport.facts`)
in the wording's phrases: the budget and its table, the 执行率, the
per-一级 analysis, the deviating indicators with their 偏差原因, the
评价结论 table, the projects' table and sections, the form's extra blocks and
the 附表. The outline they are called from is walked by
:class:`~jixiao.core.selfreport.outline.OutlineWriter`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from jixiao.core.fields import clean_label
from jixiao.core.figures import fmt2, is_blank
from jixiao.core.layout import form_grid, summary_grid
from jixiao.core.model import Document, Form
from jixiao.core.selfreport import facts
from jixiao.core.selfreport.content import (
    OFFICER,
    ORDINAL,
    Appendix,
    PageBreak,
    Report,
    Run,
    Table,
    TableCell,
    Value,
    join,
)
from jixiao.core.selfreport.outline import OutlineWriter, circled
from jixiao.core.selfreport.wording import KIND_NAMES
from jixiao.core.summary import SummaryRow, printed_score


class ReportError(Exception):
    """The document cannot give the report asked for (no department form, no
    project selected …). The message is Chinese."""


class _Builder(OutlineWriter):
    def __init__(self, doc: Document, kind: str, form_ids: Sequence[str] | None) -> None:
        super().__init__(doc, kind, form_ids)
        self.producers = {
            "project_facts": self.p_project_facts,
            "budget": self.p_budget,
            "fund_table": self.p_fund_table,
            "adjustment": self.p_adjustment,
            "execution": self.p_execution,
            "indicator_counts": self.p_indicator_counts,
            "levels": self.p_levels,
            "conclusion_table": self.p_conclusion_table,
            "conclusion": self.p_conclusion,
            "deviations": self.p_deviations,
            "projects_overview": self.p_projects_overview,
            "project_table": self.p_project_table,
            "project_plans": self.p_project_plans,
            "project_sections": self.p_project_sections,
            "items": self.p_items,
            "tables": self.p_tables,
            "appendix": self.p_appendix,
        }


    # ------------------------------------------------------------ producers: one form
    def p_project_facts(self, spec: dict[str, Any], form: Form | None) -> None:
        self.para(self.fill(spec.get("phrase", "project_facts"), self.common(form)))

    def p_budget(self, spec: dict[str, Any], form: Form | None) -> None:
        if self.need_form(form) is None:
            return
        assert form is not None
        fd = self.template.form(form.kind)
        lines = facts.fund_lines(fd, form, self.results[form.id])
        total = facts.total_line(lines)
        values = self.common(form) | self.fund_values(total)
        runs = self.fill(spec.get("phrase", "budget"), values)
        source = spec.get("source", "budget_source")
        sources = [self.fill(source, self.common(form) | self.fund_values(line)) for line in lines
                   if not line.total and any(v is not None for v in (line.initial, line.budget, line.spent))]
        if sources:
            runs += self.fill(spec.get("sources", "budget_sources"),
                              {"来源": join(sources, self.phrase("list_separator"))})
        self.para(runs)

    def fund_values(self, line: facts.FundLine) -> dict[str, Value]:
        return {
            "来源": Run(line.label),
            "年初预算数": self.fig(facts.money(line.initial), f"{line.label}年初预算数"),
            "全年预算数": self.fig(facts.money(line.budget), f"{line.label}全年预算数"),
            "全年执行数": self.fig(facts.money(line.spent), f"{line.label}全年执行数"),
            "执行率": self.fig(facts.percent(line.rate), f"{line.label}执行率"),
        }

    def p_fund_table(self, spec: dict[str, Any], form: Form | None) -> None:
        if self.need_form(form) is None:
            return
        assert form is not None
        fd = self.template.form(form.kind)
        lines = facts.fund_lines(fd, form, self.results[form.id])
        cols: list[list[str]] = spec["columns"]
        rows = []
        for line in lines:
            row = []
            for key, *_ in cols:
                if key == "来源":
                    row.append(TableCell([Run(line.label)], "left", line.total))
                elif key == "执行率":
                    row.append(self.cell(facts.percent(line.rate), "center", line.total))
                else:
                    amount = {"年初预算数": line.initial, "全年预算数": line.budget, "全年执行数": line.spent}[key]
                    row.append(self.cell(facts.money(amount), "right", line.total))
            rows.append(row)
        self.table(spec, cols, rows)

    def cell(self, run: Run | None, align: str, bold: bool = False) -> TableCell:
        return TableCell([run if run is not None else Run("—")], align, bold)

    def table(self, spec: dict[str, Any], cols: list[list[str]], rows: list[list[TableCell]]) -> None:
        labels = [c[1] if len(c) > 1 else c[0] for c in cols]
        widths = [float(c[2]) if len(c) > 2 else 1.0 for c in cols]
        self.blocks.append(Table(labels, widths, rows, caption=str(spec.get("caption", "")),
                                 note=str(spec.get("note", ""))))

    def p_adjustment(self, spec: dict[str, Any], form: Form | None) -> None:
        if self.need_form(form) is None:
            return
        assert form is not None
        total = facts.total_line(facts.fund_lines(self.template.form(form.kind), form, self.results[form.id]))
        adj = total.adjustment
        values = self.common(form) | self.fund_values(total)
        if adj is None:
            self.para([self.ask(self.phrase("ask_adjustment"))])
            return
        if adj == 0:
            self.para(self.fill("no_adjustment", values))
            return
        values["调整数"] = facts.money(adj) or Run("")
        values["调整率"] = self.fig(facts.percent(total.adjustment_rate), "预算调整率")
        values["原因"] = self.ask(self.phrase("ask_adjustment_reason"))
        self.para(self.fill("adjustment", values))

    def reason_of(self, form: Form) -> list[Run]:
        """The officer's explanation of the form's 执行率 (from its spending indicators), or []."""
        fd = self.template.form(form.kind)
        found = facts.execution_reasons(fd, form, list(self.w.get("execution_reason_indicators", [])))
        items = [self.fill("reason_source", {"指标": Run(name, OFFICER), "原因": Run(facts.clause(reason), OFFICER)})
                 if name else [Run(facts.clause(reason), OFFICER)] for name, reason in found]
        return join(items, self.phrase("list_separator")) if items else []

    def p_execution(self, spec: dict[str, Any], form: Form | None) -> None:
        if self.need_form(form) is None:
            return
        assert form is not None
        res = self.results[form.id]
        total = facts.total_line(facts.fund_lines(self.template.form(form.kind), form, res))
        values = self.common(form) | self.fund_values(total)
        values["分值"] = self.fig(facts.weight(res.execution_weight), "执行率分值")
        values["得分"] = self.fig(facts.score(res.execution_effective), "执行率得分")
        runs = self.fill(spec.get("phrase", "execution"), values)
        runs += self.rate_reason(form, total.rate, values)
        self.para(runs)

    def rate_reason(self, form: Form, rate: Decimal | None, values: dict[str, Value]) -> list[Run]:
        """The sentence explaining a 执行率 under the threshold or over 100%, with the officer's reason."""
        if not (facts.below(rate, self.threshold) or facts.above_full(rate)):
            return []
        key = "execution_low" if facts.below(rate, self.threshold) else "execution_over"
        reason: list[Run] = self.reason_of(form) or [self.ask_phrase("ask_" + key, values)]
        return self.fill(key, values | {"原因": reason})

    def p_levels(self, spec: dict[str, Any], form: Form | None) -> None:
        if self.need_form(form) is None:
            return
        assert form is not None
        res = self.results[form.id]
        levels = facts.level_lines(form, res)
        as_headings = bool(spec.get("headings", False))
        details = bool(spec.get("details", False))
        reasons = bool(spec.get("reasons", False))
        depth = self.depth
        if not levels:
            self.para([self.ask(self.phrase("ask_levels"))])
            return
        for lv in levels:
            values = self.common(form) | {
                "一级指标": Run(lv.name, OFFICER),
                "指标数": facts.count(len(lv.indicators)),
                "分值": self.fig(facts.weight(lv.weight), f"{lv.name}分值"),
                "得分": self.fig(facts.score(lv.score), f"{lv.name}得分"),
                "得分率": self.fig(facts.percent(lv.rate), f"{lv.name}得分率"),
            }
            if as_headings:
                self.heading([Run(lv.name, OFFICER)], depth + 1)
            self.para(self.fill(spec.get("phrase", "level"), values))
            if details:
                for n, line in enumerate(lv.indicators, 1):
                    self.para(self.indicator_runs(form, line, n, reasons))

    def p_indicator_counts(self, spec: dict[str, Any], form: Form | None) -> None:
        if self.need_form(form) is None:
            return
        assert form is not None
        lines = facts.indicator_lines(form, self.results[form.id])
        if not lines:
            return  # the per-一级 analysis says so
        level1 = {r.indicator.level1 for r in lines if r.indicator.level1}
        values = self.common(form) | {
            "一级数": facts.count(len(level1)),
            "二级数": facts.count(len({(r.indicator.level1, r.indicator.level2) for r in lines if r.indicator.level2})),
            "三级数": facts.count(len(lines)),
        }
        # a flat indicator list (重庆 部门整体) has no 一级/二级 to count
        phrase = spec.get("phrase", "indicator_counts") if level1 else spec.get("flat_phrase", "indicator_counts_flat")
        self.para(self.fill(phrase, values))

    def indicator_values(self, form: Form, line: facts.IndicatorLine, n: int) -> dict[str, Value]:
        ind, sc = line.indicator, line.score
        name = line.name or self.phrase("row_ref").replace("{n}", str(line.index + 1))
        values = self.common(form) | {
            "序号": Run(circled(n), ORDINAL),
            "一级指标": Run(ind.level1, OFFICER),
            "二级指标": Run(ind.level2, OFFICER),
            "三级指标": (Run(name, OFFICER) if line.name
                         else self.ask(self.phrase("unnamed_indicator").replace("{ref}", name))),
            "指标值": facts.officer(ind.get("年度指标值")) or self.ask(f"“{name}”的年度指标值"),
            "实际完成值": facts.officer(ind.get("实际完成值")) or self.ask(f"“{name}”的实际完成值"),
            "分值": self.fig(facts.weight(sc.weight), f"“{name}”的分值"),
            "得分": self.fig(facts.score(sc.effective), f"“{name}”的得分"),
        }
        dev = facts.percent(sc.deviation)
        values["偏差"] = self.fill("indicator_deviation", values | {"偏差率": dev}) if dev is not None else ""
        return values

    def indicator_runs(self, form: Form, line: facts.IndicatorLine, n: int, reasons: bool) -> list[Run]:
        """One indicator in a sentence; with ``reasons``, a deviating one is followed by its 偏差原因."""
        values = self.indicator_values(form, line, n)
        runs = self.fill("indicator", values)
        if reasons and facts.deviates(line.score):
            runs += self.fill("indicator_reason", values | {"原因": self.deviation_reason(form, line, values)})
        return runs

    def deviation_reason(self, form: Form, line: facts.IndicatorLine, values: dict[str, Value]) -> Run:
        reason = facts.officer(line.indicator.get("偏差原因分析及改进措施"))
        return reason if reason is not None else self.ask_phrase("ask_reason", values)

    def p_deviations(self, spec: dict[str, Any], form: Form | None) -> None:
        if self.need_form(form) is None:
            return
        assert form is not None
        res = self.results[form.id]
        lines = facts.deviating_lines(form, res)
        if not lines:
            scored = facts.indicator_lines(form, res)
            if scored and all(r.score.effective is not None for r in scored):
                self.para(self.fill(spec.get("none", "no_deviation"), self.common(form)))
            else:  # nothing to judge yet: say nothing the form does not show
                self.para([self.ask(self.phrase("ask_deviations"))])
            return
        if "lead" in spec:
            self.para(self.fill(str(spec["lead"]), self.common(form) | {"个数": facts.count(len(lines))}))
        for n, line in enumerate(lines, 1):
            values = self.indicator_values(form, line, n)
            self.para(self.fill("deviation", values | {"原因": self.deviation_reason(form, line, values)}))

    def p_conclusion_table(self, spec: dict[str, Any], form: Form | None) -> None:
        """The 评价结论 table as the engine adds it up; below it, in a note, what on the form
        disagrees with it (a typed 总分 other than the rows' sum, 分值 not summing to the
        template's total, a score above its 分值)."""
        if self.need_form(form) is None:
            return
        assert form is not None
        res = self.results[form.id]
        fd = self.template.form(form.kind)
        lines = facts.conclusion_lines(fd, form, res, self.phrase("execution_label"))
        total = facts.conclusion_total(lines, res)
        rows = [self.level_row(lv.name, lv.weight, lv.score, lv.rate, False) for lv in lines]
        rows.append(self.level_row(self.phrase("total_label"), total.weight, total.score, total.rate, True))
        self.table(spec, spec["columns"], rows)
        notes: list[Run] = []
        for lv in [*lines, total]:
            if facts.over_weight(lv):
                name = lv.name or self.phrase("total_label")
                notes += self.fill("table_over_weight", {"名称": Run(name), "得分": facts.score(lv.score) or Run(""),
                                                         "分值": facts.weight(lv.weight) or Run("")})
        full = self.template.scoring.total
        if total.weight != full and total.score is not None:  # (a form not scored yet is just unfinished)
            notes += self.fill("table_weights_differ", {"分值合计": facts.weight(total.weight) or Run(""),
                                                        "满分": facts.weight(full) or Run("")})
        typed = res.typed_total
        if typed is not None and total.score is not None and fmt2(typed) != fmt2(total.score):
            notes += self.fill("table_total_differs", {"填写总分": facts.score(typed) or Run(""),
                                                       "合计": facts.score(total.score) or Run("")})
        if notes:
            self.para(self.fill("table_note", {}) + notes)

    def level_row(self, name: str, w: Decimal | None, s: Decimal | None, r: Decimal | None, bold: bool
                  ) -> list[TableCell]:
        return [TableCell([Run(name)], "left" if not bold else "center", bold),
                self.cell(facts.weight(w), "center", bold), self.cell(facts.score(s), "center", bold),
                self.cell(facts.percent(r), "center", bold)]

    def p_conclusion(self, spec: dict[str, Any], form: Form | None) -> None:
        if self.need_form(form) is None:
            return
        assert form is not None
        res = self.results[form.id]
        total, grade = printed_score(self.template, res)  # what the form prints, as the 汇总表 lists it
        values = self.common(form) | {
            "总分": self.fig(facts.score(total), "自评总分"),
            "等级": Run(grade) if grade else self.ask(self.phrase("missing_grade")),
        }
        runs = self.fill(spec.get("phrase", "conclusion"), values)
        if res.cap is not None and res.uncapped_total is not None:  # the template caps the total by 执行率
            below, cap = res.cap
            runs += self.fill("capped", values | {"界限": facts.percent(below) or Run(""),
                                                  "上限": facts.weight(cap) or Run(""),
                                                  "合计": facts.score(res.uncapped_total) or Run("")})
        self.para(runs)

    # ------------------------------------------------------------ producers: projects
    def project_row_values(self, row: SummaryRow, n: int) -> dict[str, Value]:
        return {
            "序号": Run(str(n), ORDINAL),
            "项目名称": Run(row.项目名称, OFFICER),
            "全年预算数": self.fig(facts.money(row.全年预算数), f"“{row.项目名称}”全年预算数"),
            "全年执行数": self.fig(facts.money(row.全年执行数), f"“{row.项目名称}”全年执行数"),
            "执行率": self.fig(facts.percent(row.预算执行率), f"“{row.项目名称}”预算执行率"),
            "自评得分": self.fig(facts.score(row.自评得分), f"“{row.项目名称}”自评得分"),
            "等级": Run(row.等级) if row.等级 else self.ask(self.phrase("missing_grade")),
        }

    def p_projects_overview(self, spec: dict[str, Any], form: Form | None) -> None:
        rows = self.rows
        base = self.common(form)
        if not rows:
            self.para(self.fill("no_projects", base))
            return
        tot = facts.project_totals(rows)
        values = base | {
            "项目数": facts.count(tot.count),
            "全年预算数": self.fig(facts.money(tot.budget), "各项目全年预算数"),
            "全年执行数": self.fig(facts.money(tot.spent), "各项目全年执行数"),
            "执行率": self.fig(facts.percent(tot.rate), "项目预算执行率"),
        }
        runs = self.fill("projects", values)
        grades = [self.fill("grade_item" if g else "grade_unscored", base | {"个数": facts.count(n), "等级": Run(g)})
                  for g, n in facts.grade_counts(self.template, rows)]
        runs += self.fill("grades", base | {"等级分布": join(grades, self.phrase("list_separator"))})
        self.para(runs)
        low = [r for r in rows if facts.below(r.预算执行率, self.threshold)]
        over = [r for r in rows if facts.above_full(r.预算执行率)]
        for key, group in (("low_rate", low), ("over_rate", over)):
            if not group:
                if key == "low_rate" and all(r.预算执行率 is not None for r in rows):
                    self.para(self.fill("no_low_rate", base))
                continue
            names = [self.fill("rate_item", base | self.project_row_values(r, n)) for n, r in enumerate(group, 1)]
            self.para(self.fill(key, base | {"个数": facts.count(len(group)),
                                             "项目列表": join(names, self.phrase("name_separator"))}))
            if spec.get("reasons"):
                for n, r in enumerate(group, 1):
                    proj = self.doc.form_by_id(r.form_id)
                    assert proj is not None
                    pv = base | self.project_row_values(r, n)
                    ask = "ask_execution_low" if key == "low_rate" else "ask_execution_over"
                    reason: list[Run] = self.reason_of(proj) or [self.ask_phrase(ask, pv)]
                    self.para(self.fill("rate_reason_item", pv | {"原因": reason}))

    def p_project_table(self, spec: dict[str, Any], form: Form | None) -> None:
        if not self.rows:
            return
        cols: list[list[str]] = spec["columns"]
        align = {"序号": "center", "项目名称": "left", "全年预算数": "right", "全年执行数": "right"}
        rows = []
        for n, r in enumerate(self.rows, 1):
            values = self.project_row_values(r, n)
            rows.append([TableCell([v] if isinstance(v, Run) else [Run(str(v))], align.get(key, "center"))
                         for key, *_ in cols for v in (values[key],)])
        tot = facts.project_totals(self.rows)
        total_values: dict[str, Run | None] = {
            "全年预算数": facts.money(tot.budget),
            "全年执行数": facts.money(tot.spent),
            "执行率": facts.percent(tot.rate),
        }
        keys = [c[0] for c in cols]
        label_at = keys.index("项目名称") if "项目名称" in keys else 0
        total_row = []
        for i, key in enumerate(keys):
            if i == label_at:
                total_row.append(TableCell([Run(self.phrase("total_label"))], "center", True))
            elif key in total_values:
                total_row.append(self.cell(total_values[key], align.get(key, "center"), True))
            else:
                total_row.append(TableCell([Run("")], "center", True))
        rows.append(total_row)
        self.table(spec, cols, rows)

    def p_project_plans(self, spec: dict[str, Any], form: Form | None) -> None:
        if not self.rows:
            self.para(self.fill("no_projects", self.common(form)))
            return
        for n, r in enumerate(self.rows, 1):
            proj = self.doc.form_by_id(r.form_id)
            assert proj is not None
            values = self.common(proj) | self.project_row_values(r, n)
            goal = facts.officer(proj.texts.get("goals", {}).get("预期目标", ""))
            values["预期目标"] = goal or self.ask(f"“{r.项目名称}”的年度绩效目标")
            self.para(self.fill(spec.get("phrase", "project_plan"), values))

    def p_project_sections(self, spec: dict[str, Any], form: Form | None) -> None:
        depth = self.depth
        for proj in self.projects:
            self.heading([Run(proj.display_name(), OFFICER)], depth + 1)
            self.walk(spec["outline"], proj, depth + 1)

    # ------------------------------------------------------------ producers: extra blocks
    def p_items(self, spec: dict[str, Any], form: Form | None) -> None:
        """The scored-items blocks of the form (河南 资金管理情况): 分值 and 得分 from the engine, texts as typed."""
        if self.need_form(form) is None:
            return
        assert form is not None
        fd = self.template.form(form.kind)
        res = self.results[form.id]
        found = False
        for sec in fd.sections:
            if sec.type != "items":
                continue
            found = True
            block = form.items.get(sec.key, {})
            scored = res.items.get(sec.key, {})
            rows = []
            for it in sec.items:
                w, s = scored.get(it.name, (None, None))
                row = []
                for c in sec.columns:
                    if c.key == "项目":
                        row.append(TableCell([Run(it.name)], "left"))
                    elif c.key == "分值":
                        row.append(self.cell(facts.weight(w), "center"))
                    elif c.key == "得分":
                        row.append(self.cell(facts.score(s), "center"))
                    else:
                        typed = facts.officer(block.get(it.name, {}).get(c.key, ""))
                        row.append(TableCell([typed] if typed else [Run("")], "left"))
                rows.append(row)
            cols = [[c.key, clean_label(c.label), str(c.span)] for c in sec.columns]
            self.table({"caption": clean_label(sec.label or sec.key)}, cols, rows)
        if not found and "missing" in spec:
            self.para([self.ask(str(spec["missing"]))])

    def p_tables(self, spec: dict[str, Any], form: Form | None) -> None:
        """The form's free tables (河南 年度主要任务), as typed."""
        if form is None:
            return
        fd = self.template.form(form.kind)
        for sec in fd.sections:
            rows_typed = form.tables.get(sec.key, []) if sec.type == "table" else []
            rows_typed = [r for r in rows_typed if any(not is_blank(v) for v in r.values())]
            if not rows_typed:
                continue
            rows = [[TableCell([facts.officer(r.get(c.key, "")) or Run("")], "left") for c in sec.columns]
                    for r in rows_typed]
            cols = [[c.key, clean_label(c.label), str(c.span)] for c in sec.columns]
            self.table({"caption": clean_label(sec.label or sec.key)}, cols, rows)

    def p_appendix(self, spec: dict[str, Any], form: Form | None) -> None:
        which = spec.get("grid", "form")
        if which == "summary":
            if not self.doc.projects:
                return
            grid = summary_grid(self.doc, self.results)
            name = grid.title
        else:
            if self.need_form(form) is None:
                return
            assert form is not None
            grid = form_grid(self.doc, form, self.results[form.id])
            name = self.template.form(form.kind).title
        label = self.fill(spec.get("phrase", "appendix"), self.common(form) | {"表名": name})
        self.blocks.append(Appendix("".join(r.text for r in label), grid))


# ------------------------------------------------------------------ entry point


def build_report(doc: Document, kind: str, form_ids: Sequence[str] | None = None) -> Report:
    """The report of ``kind`` (department | project | execution) for ``doc``.

    ``form_ids`` chooses the projects: the project reports to write (one after
    another in one report), or the projects an execution report covers; all
    projects when ``None``. Raises :class:`ReportError` when the document has
    nothing to report on and :class:`WordingError` for a broken wording file."""
    b = _Builder(doc, kind, form_ids)
    name = KIND_NAMES[kind]
    unit = doc.unit or (doc.department.name if doc.department is not None else "")
    if kind == "department":
        dept = doc.department
        if dept is None:
            raise ReportError("文档中没有部门整体支出绩效自评表，无法生成部门整体支出绩效自评报告")
        b.title(dept)
        b.walk(b.w.data["outline"], dept, 0)
        return Report(kind, f"{unit}{doc.year}年度{name}", b.blocks, [dept.id])
    if kind == "project":
        if not b.projects:
            raise ReportError("没有选中任何项目支出绩效自评表，无法生成项目支出绩效自评报告")
        for i, proj in enumerate(b.projects):
            if i:
                b.blocks.append(PageBreak())
            b.counters = []
            b.title(proj)
            b.walk(b.w.data["outline"], proj, 0)
        title = f"{b.projects[0].display_name()}{name}" if len(b.projects) == 1 else f"{unit}{doc.year}年度{name}"
        return Report(kind, title, b.blocks, [p.id for p in b.projects])
    # execution
    dept = doc.department
    if dept is None and not b.projects:
        raise ReportError("文档中没有部门整体表和项目表，无法生成预算执行情况自评报告")
    b.title(dept)
    b.walk(b.w.data["outline"], dept, 0)
    ids = ([dept.id] if dept is not None else []) + [p.id for p in b.projects]
    return Report(kind, f"{unit}{doc.year}年度{name}", b.blocks, ids)
