"""Which template a workbook was filled in: the best fit of its labels.

Every template prints its own labels (title, block labels, column headers,
fund rows, scored items). A label found in the workbook counts 1, a synonym of
it (through the vocabulary: 调整后预算数 for 全年预算数) ½, and 一级/二级 names
the workbook shows ½ each. A row or column the sheet lacks costs nothing (a form
that omits a row, as 云南 prints one fund row, says nothing about its region),
but a whole block of the template with no trace in the workbook (河南's
资金管理情况 in a 四川 sheet) costs 2, and, in a workbook of one kind of form, a 一级/二级
name that other templates' forms of that kind use and this one's does not costs ½. The highest score wins; on a tie the
earlier template (national first) does, so a regional template is chosen only
on evidence of its own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from jixiao.core.templates import FormDef, Template, available_templates, get_template
from jixiao.core.vocabulary import normalize_label, vocabulary
from jixiao.excel.doc_labels import is_department_label
from jixiao.excel.sheets import Sheet

MAX_LABEL = 30  # normalised labels longer than this are content, not labels
MISSING_BLOCK = 2.0


@dataclass(frozen=True)
class Detection:
    template: Template
    score: float
    ranking: tuple[tuple[str, float], ...]  # (template id, score), best first

    def describe(self) -> str:
        return f"按表格中的标签判断为“{self.template.name}”模板（{self.template.id}）"


def workbook_labels(sheets: list[Sheet]) -> tuple[set[str], set[str]]:
    """The normalised labels present in the workbook, and the form kinds they announce."""
    present: set[str] = set()
    kinds: set[str] = set()
    vocab = vocabulary()
    templates = available_templates()
    project_titles = vocab.normalized("title", "project") | {
        normalize_label(t.forms["project"].title) for t in templates if "project" in t.forms}
    department_titles = vocab.normalized("title", "department") | {
        normalize_label(t.forms["department"].title) for t in templates if "department" in t.forms}
    for sh in sheets:
        for x in sh.cells.values():
            n = x.norm
            if not n or len(n) > MAX_LABEL:
                continue
            present.add(n)
            if n == "项目名称" or n in project_titles:
                kinds.add("project")
            elif (is_department_label(n) and n != "单位名称") or n in department_titles:
                kinds.add("department")
    return present, kinds


def _synonyms(token: str) -> frozenset[str]:
    return vocabulary().synonyms(token) - {token}


Token = tuple[str, frozenset[str]]  # a label the form prints, and its synonyms


@lru_cache(maxsize=64)
def _form_tokens(fd: FormDef) -> tuple[tuple[tuple[Token, ...], ...], frozenset[str]]:
    """The labels the form prints, block by block (the title first), and its 一级/二级 names."""
    blocks: list[tuple[Token, ...]] = [((normalize_label(fd.title), _synonyms(normalize_label(fd.title))),)]
    levels: set[str] = set()
    printed: set[str] = {normalize_label(fd.title)}
    for s in fd.sections:
        labels: set[str] = set()
        if s.label:
            labels.add(normalize_label(s.label))
        for c in s.columns:
            if c.label:
                labels.add(normalize_label(c.label))
        for r in s.fund_rows:
            labels.add(normalize_label(r.label))
        for it in s.items:
            labels.add(normalize_label(it.name))
        for row in s.field_rows:
            for fc in row:
                if fc.label:
                    labels.add(normalize_label(fc.label))
        for lv in s.levels:
            levels.add(normalize_label(lv.name))
            levels.update(normalize_label(x) for x in lv.level2)
        labels -= printed | {""}
        printed |= labels
        if labels:
            blocks.append(tuple((t, _synonyms(t)) for t in sorted(labels)))
    return tuple(blocks), frozenset(levels - printed)


@lru_cache(maxsize=64)
def _level_names(fd: FormDef) -> frozenset[str]:
    """Every 一级/二级 name of the form's indicator system."""
    return frozenset(normalize_label(n) for s in fd.sections for lv in s.levels for n in (lv.name, *lv.level2))


def _foreign_levels(tpl: Template, kind: str) -> frozenset[str]:
    """一级/二级 names other templates' forms of this kind use and this one does not."""
    fd = tpl.forms[kind]
    others = {n for t in available_templates() if kind in t.forms for n in _level_names(t.forms[kind])}
    return frozenset(others - _level_names(fd))


def score_template(tpl: Template, present: set[str], kinds: set[str]) -> float | None:
    score = 0.0
    counted = False
    for kind in sorted(kinds or {"project", "department"}):
        fd = tpl.forms.get(kind)
        if fd is None:
            continue
        counted = True
        blocks, levels = _form_tokens(fd)
        if kinds == {kind} and _level_names(fd):
            # a workbook of one kind of form whose indicator system is another template's (数量指标 where
            # 河南's 部门整体 form prints 重点工作任务完成); a workbook of both kinds mixes the systems
            score -= 0.5 * len(_foreign_levels(tpl, kind) & present)
        for block in blocks:
            evidence = 0.0
            for token, synonyms in block:
                if token in present:
                    evidence += 1
                elif synonyms & present:
                    evidence += 0.5
            score += evidence if evidence else -MISSING_BLOCK
        score += 0.5 * len(levels & present)
    return score if counted else None


def detect_template(sheets: list[Sheet]) -> Detection:
    present, kinds = workbook_labels(sheets)
    ranking: list[tuple[float, int, Template]] = []
    for order, tpl in enumerate(available_templates()):
        s = score_template(tpl, present, kinds)
        if s is not None:
            ranking.append((s, -order, tpl))
    if not ranking:
        tpl = get_template("national")
        return Detection(tpl, 0.0, ((tpl.id, 0.0),))
    ranking.sort(key=lambda e: (e[0], e[1]), reverse=True)
    best = ranking[0]
    return Detection(best[2], best[0], tuple((t.id, s) for s, _o, t in ranking))
