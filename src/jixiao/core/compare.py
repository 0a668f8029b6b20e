"""Compare with last year: link a previous document, flag suspicious changes.

:func:`link_previous` stores in a document a :class:`~jixiao.core.previous.PreviousLink`
to last year's document — its path and a snapshot of each project's 预算执行率
and 自评得分 as last year's 汇总表 showed them. The 汇总表 then prints last
year's figures beside this year's (columns with a ``previous.*`` source), and
:func:`previous_findings` flags a project whose 自评得分 rose while its
预算执行率 fell by more than the template's ``summary.rate_drop``
(``score-up-rate-down``): spending less of the budget and scoring higher
needs a word of explanation.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
from pathlib import Path

from jixiao.core.fields import fund_path
from jixiao.core.figures import HUNDRED, fmt2, fmt_percent, q2
from jixiao.core.model import Document
from jixiao.core.previous import PreviousLink, PreviousProject
from jixiao.core.scoring import FormResult
from jixiao.core.summary import SummaryRow, summary_rows
from jixiao.core.validation import WARNING, Finding

SCORE_UP_RATE_DOWN = "score-up-rate-down"


class CompareError(ValueError):
    """Last year's document cannot be linked; Chinese message."""


def link_path(previous_file: str | os.PathLike[str], document_file: str | os.PathLike[str] | None) -> str:
    """How the link names last year's file: relative to this document's folder
    when both sit under one folder (the pair can be moved together), else absolute."""
    prev = Path(previous_file).resolve()
    if document_file is None:
        return str(prev)
    base = Path(document_file).resolve().parent
    try:
        return Path(os.path.relpath(prev, base)).as_posix()
    except ValueError:  # another drive on Windows
        return str(prev)


def resolve_link(link: PreviousLink, document_file: str | os.PathLike[str] | None) -> Path:
    """Where the linked file should be now (relative links are read from this document's folder)."""
    p = Path(link.file)
    if not p.is_absolute() and document_file is not None:
        p = Path(document_file).resolve().parent / p
    return p


def rebase_link(link: PreviousLink, old_file: str | os.PathLike[str] | None,
                new_file: str | os.PathLike[str] | None) -> PreviousLink:
    """The link as it must be written when the document moves from ``old_file`` to
    ``new_file`` (Save As, a first save, convert, import): the same file of last year,
    named by :func:`link_path`'s rule from the new place (relative when the two share a
    folder tree, else absolute; absolute while the document has no file name). A relative
    link of a document without a file name cannot be resolved and is left as it is."""
    if not Path(link.file).is_absolute() and old_file is None:
        return link
    new = link_path(resolve_link(link, old_file), new_file)
    return link if new == link.file else dataclasses.replace(link, file=new)


def link_previous(doc: Document, previous: Document, file: str) -> PreviousLink:
    """Link ``previous`` (last year's document, read from ``file``) to ``doc``
    and return the link. Refuses a document that is not of an earlier year."""
    if previous.year >= doc.year:
        raise CompareError(f"上年文档是 {previous.year} 年度的，本文档是 {doc.year} 年度，只能关联更早年度的文档")
    projects = tuple(  # at the precision the 汇总表 prints (and the file keeps)
        PreviousProject(id=r.form_id, name=r.项目名称, unit=r.实施单位,
                        rate=None if r.预算执行率 is None else q2(r.预算执行率 * HUNDRED) / HUNDRED,
                        score=None if r.自评得分 is None else q2(r.自评得分))
        for r in summary_rows(previous)
    )
    link = PreviousLink(
        file=file, year=previous.year, unit=previous.unit, template=previous.template_id,
        linked_at=_dt.datetime.now().astimezone().isoformat(timespec="seconds"), projects=projects,
    )
    doc.previous = link
    return link


def previous_findings(doc: Document, results: dict[str, FormResult] | None = None,
                      rows: list[SummaryRow] | None = None) -> list[Finding]:
    """``score-up-rate-down`` for each project matched with last year's whose
    自评得分 rose while its 预算执行率 fell by more than the template's threshold."""
    if doc.previous is None:
        return []
    template = doc.template
    if "project" not in template.forms:
        return []
    drop_limit = template.summary.rate_drop
    funds = template.form("project").funds
    assert funds is not None and funds.total_fund_row is not None
    rate_path = fund_path(funds.total_fund_row.key, "执行率")
    out: list[Finding] = []
    for r in rows if rows is not None else summary_rows(doc, results):
        if not r.has_previous:
            continue
        score, prev_score, rate, prev_rate = r.自评得分, r.上年自评得分, r.预算执行率, r.上年预算执行率
        if score is None or prev_score is None or rate is None or prev_rate is None:
            continue
        drop = prev_rate - rate
        if score > prev_score and drop > drop_limit:
            out.append(Finding(
                r.form_id, rate_path, WARNING, SCORE_UP_RATE_DOWN,
                f"自评得分由上年的 {fmt2(prev_score)} 升至 {fmt2(score)}，"
                f"预算执行率却由 {fmt_percent(prev_rate)} 降至 {fmt_percent(rate)}"
                f"（下降 {fmt2(drop * 100)} 个百分点，超过 {fmt2(drop_limit * 100)} 个百分点），请核实评分或说明原因",
            ))
    return out
