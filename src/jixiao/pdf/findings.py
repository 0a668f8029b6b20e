"""The 校验报告 (findings report): every finding of the live checks, grouped by
form, as a grid printed on A4 portrait pages like the forms."""

from __future__ import annotations

from jixiao.core.grid import Cell, Grid, GridColumn
from jixiao.core.model import Document
from jixiao.pdf.geometry import Page
from jixiao.pdf.plan import plan_grid

REPORT_TITLE = "校验报告"


def _location(doc: Document, form_id: str | None, path: str) -> str:
    from jixiao.core.fields import describe

    form = doc.form_by_id(form_id) if form_id else None
    fd = doc.template.form(form.kind) if form is not None else None
    return describe(fd, form, path) or "（整表）"


def findings_grid(doc: Document) -> Grid:
    """The 校验报告 as a grid (portrait): findings grouped by form."""
    from jixiao.core.validation import SEVERITY_NAMES, validate_document

    findings = validate_document(doc)
    cols = [GridColumn("序号", 5), GridColumn("级别", 6), GridColumn("位置", 26), GridColumn("问题说明", 54),
            GridColumn("代码", 17)]
    g = Grid(title=REPORT_TITLE, columns=cols, orientation="portrait")
    w = g.n_cols
    r = g.new_row("title")
    g.add(Cell(r, 0, colspan=w, text=REPORT_TITLE, role="title", border=False, bold=True))
    counts = {k: sum(1 for f in findings if f.severity == k) for k in SEVERITY_NAMES}
    summary = "，".join(f"{SEVERITY_NAMES[k]} {n} 条" for k, n in counts.items())
    r = g.new_row("title")
    g.add(Cell(r, 0, colspan=w, text=f"（{doc.year}年度）", role="subtitle", border=False))
    r = g.new_row("note")
    g.add(Cell(r, 0, colspan=w, text=f"填报单位：{doc.unit}　　共 {len(findings)} 条：{summary}", role="note",
               border=False, align="left"))
    header = g.new_row("indicator-header")
    for j, c in enumerate(cols):
        g.add(Cell(header, j, text=c.key, bold=True))
    g.repeat_rows = (header, header)
    template = doc.template
    by_form: dict[str | None, list] = {}
    for f in findings:
        by_form.setdefault(f.form_id, []).append(f)
    order: list[str | None] = [f.id for f in doc.forms] + [k for k in by_form if k not in {f.id for f in doc.forms}]
    n = 0
    for fid in order:
        form = doc.form_by_id(fid) if fid else None
        items = by_form.get(fid, [])
        if form is not None:
            title = f"{template.form(form.kind).title}：{form.display_name()}"
        else:
            title = "整份文档"
        if not items and form is None:
            continue
        r = g.new_row("section")
        g.add(Cell(r, 0, colspan=w, text=title + ("" if items else "　（未发现问题）"), align="left", bold=True))
        for f in items:
            n += 1
            r = g.new_row("body")
            g.add(Cell(r, 0, text=str(n)))
            g.add(Cell(r, 1, text=SEVERITY_NAMES.get(f.severity, f.severity)))
            g.add(Cell(r, 2, text=_location(doc, f.form_id, f.field), align="left"))
            g.add(Cell(r, 3, text=f.message, align="left"))
            g.add(Cell(r, 4, text=f.code, align="left"))
    if not doc.forms:
        r = g.new_row("body")
        g.add(Cell(r, 0, colspan=w, text="文档中没有表"))
    return g


def plan_findings(doc: Document) -> list[Page]:
    """The optional 校验报告: every finding of ``validate_document``, grouped by form, on A4 portrait."""
    return plan_grid(findings_grid(doc), label=doc.unit)
