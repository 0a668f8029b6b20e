"""Machine-readable score and findings reports (the stable JSON of
``jixiao score`` and ``jixiao validate``; see ``docs/cli.md``).

Figures are strings with two decimals, as printed on the forms; rates are
percentages with two decimals and no ``%`` sign (``"97.99"``).
"""

from __future__ import annotations

from typing import Any

from jixiao.core.fields import indicator_column_label
from jixiao.core.figures import json_figure, json_percent
from jixiao.core.model import Document
from jixiao.core.scoring import FormResult, score_form
from jixiao.core.summary import printed_score, summary_rows
from jixiao.core.templates import FormDef
from jixiao.core.validation import Finding, count_by_severity

REPORT_VERSION = 1
DEVIATION = "偏差度"


def score_all(doc: Document) -> dict[str, FormResult]:
    t = doc.template
    return {f.id: score_form(t, t.form(f.kind), f) for f in doc.forms}


def _doc_head(doc: Document) -> dict[str, Any]:
    return {"template": doc.template_id, "template_name": doc.template.name, "unit": doc.unit, "year": doc.year}


def deviation_label(fd: FormDef) -> str:
    """What the form calls the figure in ``deviation``: its 偏差度 column's label (河南
    ``偏差度 %`` → ``偏差度``), or 偏差度 where the form prints no such column."""
    label = indicator_column_label(fd, DEVIATION)
    return label.rstrip("%％ ").strip() or DEVIATION


def score_report(doc: Document) -> dict[str, Any]:
    results = score_all(doc)
    forms = []
    for i, form in enumerate(doc.forms):
        r = results[form.id]
        printed, printed_grade = printed_score(doc.template, r)
        inds = []
        for j, (ind, sc) in enumerate(zip(form.indicators, r.indicators, strict=True)):
            if ind.is_empty_row():
                continue
            inds.append({
                "index": j,
                "level1": ind.get("一级指标"),
                "level2": ind.get("二级指标"),
                "level3": ind.get("三级指标"),
                "target": sc.target.raw,  # as scored: an adjusted target, 指标性质/度量单位 columns composed
                "actual": sc.actual.raw,
                "weight": json_figure(sc.weight),
                "typed_score": json_figure(sc.typed),
                "suggested_score": json_figure(sc.suggested),
                "score": json_figure(sc.effective),
                "deviation": json_percent(sc.deviation),
                "rule": sc.rule,
            })
        forms.append({
            "index": i,
            "id": form.id,
            "kind": form.kind,
            "name": form.display_name(),
            "deviation_label": deviation_label(doc.template.form(form.kind)),
            "execution_rate": json_percent(r.execution_rate),
            "execution_weight": json_figure(r.execution_weight),
            "execution_score": json_figure(r.execution_score),
            "indicators": inds,
            "levels": [{"name": lv.name, "weight": json_figure(lv.weight), "score": json_figure(lv.score),
                        "rate": json_percent(lv.rate)} for lv in r.levels],
            "blocks": [{"name": k, "rate": json_percent(v)} for k, v in r.item_rates.items()],
            "weight_total": json_figure(r.weight_total),
            "total": json_figure(r.total),
            "typed_total": json_figure(r.typed_total),
            "grade": r.grade,
            "printed_total": json_figure(printed),
            "printed_grade": printed_grade,
            "has_deviation": r.has_deviation,
        })
    summary = [{
        "name": s.项目名称,
        "unit": s.unit,
        "budget": json_figure(s.全年预算数),
        "spent": json_figure(s.全年执行数),
        "execution_rate": json_percent(s.预算执行率),
        "rates": {k: json_percent(v) for k, v in s.得分率.items()},
        "total": json_figure(s.自评得分),
        "grade": s.等级,
        "has_deviation": s.是否有偏差项目,
        **({"previous_execution_rate": json_percent(s.上年预算执行率), "previous_total": json_figure(s.上年自评得分)}
           if doc.previous is not None else {}),
    } for s in summary_rows(doc, results)]
    return {"report_version": REPORT_VERSION, "document": _doc_head(doc), "forms": forms, "summary": summary}


def findings_report(doc: Document, findings: list[Finding]) -> dict[str, Any]:
    return {
        "report_version": REPORT_VERSION,
        "document": _doc_head(doc),
        "counts": count_by_severity(findings),
        "findings": [f.to_dict(doc) for f in findings],
    }
