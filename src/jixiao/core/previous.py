"""The link from a document to last year's document, stored inside it.

A document made from last year's (``jixiao new --from``) or linked to it
(文件 › 关联上年文档, ``jixiao link``) keeps a :class:`PreviousLink`: where last
year's file was and a snapshot of what the 汇总表 compares with — each
project's 预算执行率 and 自评得分. The comparison therefore works when last
year's file has moved or is on another PC. :mod:`jixiao.core.compare` builds
the snapshot and uses it; this module only holds the data and its JSON
(``previous`` in docs/file-format.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.core.figures import HUNDRED, json_figure, json_percent, parse_decimal


class PreviousLinkError(ValueError):
    """The stored link is malformed; Chinese message."""


@dataclass(frozen=True, slots=True)
class PreviousProject:
    """Last year's figures of one project, as its 汇总表 showed them."""

    id: str  # the form id in last year's document
    name: str
    unit: str  # 实施单位
    rate: Decimal | None  # 预算执行率, a fraction
    score: Decimal | None  # 自评得分


@dataclass(frozen=True, slots=True)
class PreviousLink:
    file: str  # the path as linked (relative to the document's folder when it was saved beside it)
    year: int
    unit: str
    template: str
    linked_at: str
    projects: tuple[PreviousProject, ...] = field(default=())


def _str(data: dict[str, Any], key: str) -> str:
    v = data.get(key, "")
    if v is None:
        return ""
    if not isinstance(v, (str, int)) or isinstance(v, bool):
        raise PreviousLinkError(f"previous.{key} 应为字符串")
    return str(v)


def _figure(data: dict[str, Any], key: str, where: str) -> Decimal | None:
    v = data.get(key)
    if v is None or v == "":
        return None
    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
        raise PreviousLinkError(f"{where}.{key} 应为数字字符串")
    d = parse_decimal(str(v), allow_percent=True)
    if d is None:
        raise PreviousLinkError(f"{where}.{key}“{v}”不是数字")
    return d


def link_to_json(link: PreviousLink) -> dict[str, Any]:
    return {
        "file": link.file,
        "year": link.year,
        "unit": link.unit,
        "template": link.template,
        "linked_at": link.linked_at,
        "projects": [
            {"id": p.id, "name": p.name, "unit": p.unit, "rate": json_percent(p.rate), "score": json_figure(p.score)}
            for p in link.projects
        ],
    }


def link_from_json(data: Any) -> PreviousLink:
    """Read ``previous``; rates are percentages (``"97.99"``), scores figures."""
    if not isinstance(data, dict):
        raise PreviousLinkError("previous 应为对象")
    year_raw = data.get("year", 0)
    try:
        year = int(str(year_raw))
    except ValueError:
        raise PreviousLinkError(f"previous.year 应为年份，得到 {year_raw!r}") from None
    raw_projects = data.get("projects")
    if raw_projects is None:
        raw_projects = []
    if not isinstance(raw_projects, list):
        raise PreviousLinkError("previous.projects 应为数组")
    projects = []
    for i, p in enumerate(raw_projects):
        where = f"previous.projects[{i}]"
        if not isinstance(p, dict):
            raise PreviousLinkError(f"{where} 应为对象")
        rate = _figure(p, "rate", where)
        projects.append(PreviousProject(
            id=_str(p, "id"), name=_str(p, "name"), unit=_str(p, "unit"),
            rate=None if rate is None else rate / HUNDRED, score=_figure(p, "score", where),
        ))
    return PreviousLink(
        file=_str(data, "file"), year=year, unit=_str(data, "unit"), template=_str(data, "template"),
        linked_at=_str(data, "linked_at"), projects=tuple(projects),
    )


# ------------------------------------------------------------------ matching


def _norm(text: str) -> str:
    return "".join(text.split())


def match_projects(link: PreviousLink, forms: list[tuple[str, str, str, str]]) -> dict[str, PreviousProject]:
    """Last year's project of each of this year's ``forms`` — given as (form id,
    项目名称, 实施单位, the id of the form it was carried over from or ``""``) —
    where one is found: first by that carried-over id, then by the same name and
    unit, then by the same name alone when only one project of last year bears
    it. Each of last year's projects answers at most one form."""
    by_id = {p.id: p for p in link.projects if p.id}
    taken: set[int] = set()
    out: dict[str, PreviousProject] = {}
    index = {id(p): i for i, p in enumerate(link.projects)}
    rest = []
    for form_id, name, unit, previous_id in forms:
        p = by_id.get(previous_id) if previous_id else None
        if p is not None and index[id(p)] not in taken:
            out[form_id] = p
            taken.add(index[id(p)])
        else:
            rest.append((form_id, _norm(name), _norm(unit)))
    for with_unit in (True, False):
        left = []
        for form_id, name, unit in rest:
            hits = [i for i, p in enumerate(link.projects) if i not in taken and name and _norm(p.name) == name
                    and (not with_unit or _norm(p.unit) == unit)]
            if len(hits) == 1:
                out[form_id] = link.projects[hits[0]]
                taken.add(hits[0])
            else:
                left.append((form_id, name, unit))
        rest = left
    return out
