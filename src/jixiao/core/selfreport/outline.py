"""Walking a wording file's outline into report blocks.

The wording file's ``outline`` is a tree of numbered headings, each with
``blocks``. A block is one of:

- ``{"ask": "…"}`` — a 【请补充：…】 placeholder for what the data cannot say;
- ``{"say": "phrase"}`` — a sentence of the wording with the document's facts;
- ``{"officer": "goals.预期目标", "missing": "…"}`` — what the officer typed
  in that field of the form (a field path), one paragraph per line, or a
  placeholder when it is blank;
- ``{"use": "producer", …}`` — a producer (:mod:`jixiao.core.selfreport.builder`)
  stating the engine's figures in the wording's phrases.

Headings are numbered here (一、 （一） 1. （1）, formats from the wording), so
a regional outline can add or drop a section without renumbering by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from jixiao.core.figures import is_blank
from jixiao.core.model import Document, Form
from jixiao.core.scoring import FormResult, score_form
from jixiao.core.selfreport import facts
from jixiao.core.selfreport.content import (
    OFFICER,
    PLACEHOLDER,
    Block,
    Heading,
    Paragraph,
    Run,
    Value,
    WordingError,
    fill,
)
from jixiao.core.selfreport.wording import KIND_NAMES, Wording, wording_for
from jixiao.core.summary import SummaryRow, summary_rows

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_DIGITS = "零一二三四五六七八九"
Producer = Callable[[dict[str, Any], Form | None], None]

def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 27 → 二十七, 99 → 九十九 (beyond 99: Arabic digits)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def circled(n: int) -> str:
    return CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else f"（{n}）"


def heading_number(fmt: str, n: int) -> str:
    return fmt.replace("{cn}", chinese_number(n)).replace("{n}", str(n)).replace("{circled}", circled(n))


class OutlineWriter:
    """A report being written: the document, its engine results and wording,
    the blocks so far and the heading counters. Subclasses register the
    producers a ``{"use": …}`` block calls."""

    def __init__(self, doc: Document, kind: str, form_ids: Sequence[str] | None) -> None:
        self.doc = doc
        self.kind = kind
        self.template = doc.template
        self.w: Wording = wording_for(kind, doc.template_id)
        self.results: dict[str, FormResult] = {
            f.id: score_form(self.template, self.template.form(f.kind), f) for f in doc.forms
        }
        wanted = set(form_ids) if form_ids is not None else None
        self.projects = [f for f in doc.projects if wanted is None or f.id in wanted]
        rows = summary_rows(doc, self.results) if doc.projects else []
        self.summary: dict[str, SummaryRow] = {r.form_id: r for r in rows}
        self.rows = [self.summary[f.id] for f in self.projects if f.id in self.summary]
        # the 执行率 under which a reason is asked for: the template's rule (四川 90%), else the wording's
        below = self.template.scoring.execution_reason_below
        self.threshold = below if below is not None else self.w.decimal("execution_threshold", "0.9")
        self.blocks: list[Block] = []
        self.counters: list[int] = []
        self.depth = 0
        self.producers: dict[str, Producer] = {}  # filled by the subclass: name → producer

    # ------------------------------------------------------------ helpers
    def phrase(self, key: str) -> str:
        return self.w.phrase(key)

    def fill(self, key: str, values: dict[str, Value]) -> list[Run]:
        return fill(self.phrase(key), values, f" {self.w.origin} phrases.{key}")

    def ask(self, what: str) -> Run:
        return Run(self.w.data["placeholder"].replace("{what}", what), PLACEHOLDER)

    def ask_phrase(self, key: str, values: dict[str, Value]) -> Run:
        return self.ask("".join(r.text for r in self.fill(key, values)))

    def fig(self, run: Run | None, what: str) -> Run:
        """A figure, or a placeholder saying which figure the form lacks."""
        return run if run is not None else self.ask(self.phrase("missing_figure").replace("{what}", what))

    def para(self, runs: list[Run], style: str = "body", align: str = "justify") -> None:
        if runs:
            self.blocks.append(Paragraph(runs, style, align))

    def heading(self, runs: list[Run], depth: int) -> None:
        while len(self.counters) < depth:
            self.counters.append(0)
        del self.counters[depth:]
        self.counters[depth - 1] += 1
        formats: list[str] = self.w.data["numbering"]
        fmt = formats[min(depth, len(formats)) - 1]
        self.blocks.append(Heading(depth, heading_number(fmt, self.counters[depth - 1]), runs))

    def common(self, form: Form | None) -> dict[str, Value]:
        """The facts every phrase may use: the unit, the year and the subject form's header."""
        doc = self.doc
        unit = facts.officer(doc.unit) or self.ask(self.phrase("missing_unit"))
        dept = doc.department
        dept_name = (facts.officer(dept.name) if dept is not None else None) or unit
        values: dict[str, Value] = {
            "单位": unit,
            "年度": Run(str(doc.year), OFFICER),
            "部门名称": dept_name,
            "阈值": facts.threshold_text(self.threshold),
            "报告名称": KIND_NAMES[self.kind],
        }
        date = facts.officer(doc.signoff.get("填报日期", ""))
        values["填报日期"] = date or self.ask(self.phrase("missing_date"))
        if form is not None and form.kind == "project":
            for key in ("项目名称", "主管部门", "实施单位"):
                values[key] = facts.officer(form.header.get(key, "")) or self.ask(key)
        return values

    def officer_lines(self, text: str) -> list[Paragraph]:
        return [Paragraph([Run(line.strip(), OFFICER)]) for line in text.splitlines() if not is_blank(line)]

    # ------------------------------------------------------------ the outline
    def title(self, form: Form | None) -> None:
        values = self.common(form)
        for line in self.w.data["title"]:
            self.para(fill(line, values, f" {self.w.origin} title"), "title", "center")
        sub = self.w.get("subtitle")
        if sub:
            self.para(fill(sub, values, f" {self.w.origin} subtitle"), "subtitle", "center")
        for line in self.w.get("lines", []):
            self.para(fill(line, values, f" {self.w.origin} lines"), "line", "left")

    def walk(self, entries: list[dict[str, Any]], form: Form | None, depth: int) -> None:
        for e in entries:
            if not self.applies(e.get("when"), form):
                continue
            inner = depth
            if "heading" in e:
                self.heading(fill(e["heading"], self.common(form), f" {self.w.origin} heading"), depth + 1)
                inner = depth + 1
            for b in e.get("blocks", []):
                self.block(b, form, inner)
            if "children" in e:
                self.walk(e["children"], form, inner)

    def applies(self, when: str | None, form: Form | None) -> bool:
        if when is None:
            return True
        if when == "projects":
            return bool(self.projects)
        if when == "department":
            return self.doc.department is not None
        if when == "items":
            return form is not None and any(s.type == "items" for s in self.template.form(form.kind).sections)
        if when == "tables":
            return form is not None and any(s.type == "table" and form.tables.get(s.key)
                                            for s in self.template.form(form.kind).sections)
        raise WordingError(f"报告措辞文件 {self.w.origin}：未知的条件 when“{when}”")

    def block(self, b: dict[str, Any], form: Form | None, depth: int) -> None:
        self.depth = depth
        if "ask" in b:
            self.para([self.ask(str(b["ask"]))])
        elif "say" in b:
            self.para(self.fill(str(b["say"]), self.common(form)))
        elif "officer" in b:
            text = form.get(str(b["officer"])) if form is not None else ""
            paras = self.officer_lines(text)
            if paras:
                self.blocks.extend(paras)
            else:
                self.para([self.ask(str(b.get("missing", b["officer"])))])
        else:
            name = str(b["use"])
            producer = self.producers.get(name)
            if producer is None:
                raise WordingError(f"报告措辞文件 {self.w.origin}：未知的内容“{name}”"
                                   f"（可用：{'、'.join(self.producers)}）")
            producer(b, form)

    def need_form(self, form: Form | None) -> Form | None:
        if form is None:
            self.para([self.ask(self.phrase("missing_department"))])
        return form
