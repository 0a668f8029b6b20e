"""The report's wording: one JSON file per kind under ``resources/reports/``,
and a regional file where a region words or orders its report differently.

A base file (``department.json``) has no ``templates`` key; a regional file
names the templates it serves (``"templates": ["xinjiang", …]``). A file may
``extend`` another: its top-level entries replace the other's, except
``phrases``, merged phrase by phrase. ``common.json`` (``"abstract": true``)
holds what every kind shares and is never a report of its own. The format is documented in
``docs/reports.md``. Extra folders can be listed in ``JIXIAO_REPORTS``
(separated like ``PATH``), as ``JIXIAO_TEMPLATES`` does for templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from jixiao.core.datafiles import data_dirs, read_id_files
from jixiao.core.selfreport.content import WordingError

REPORT_KINDS = ("department", "project", "execution")
KIND_NAMES = {
    "department": "部门整体支出绩效自评报告",
    "project": "项目支出绩效自评报告",
    "execution": "部门预算执行情况自评报告",
}
BLOCK_KEYS = ("ask", "say", "officer", "use")
_REQUIRED = ("title", "outline", "phrases", "numbering", "placeholder")


@dataclass(frozen=True, slots=True)
class Wording:
    id: str
    kind: str
    origin: str  # the file(s) it was read from, for messages
    data: dict[str, Any]

    def phrase(self, key: str) -> str:
        phrases: dict[str, str] = self.data["phrases"]
        if key not in phrases:
            raise WordingError(f"报告措辞文件 {self.origin} 缺少 phrases.{key}")
        return phrases[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def decimal(self, key: str, default: str) -> Decimal:
        raw = self.data.get(key, default)
        try:
            return Decimal(str(raw))
        except InvalidOperation as exc:
            raise WordingError(f"报告措辞文件 {self.origin} 的 {key}“{raw}”不是数字") from exc


def report_dirs() -> list[Path]:
    return data_dirs("reports", "JIXIAO_REPORTS")


def _read_all() -> dict[str, tuple[str, dict[str, Any]]]:
    return {wid: (path.name, data) for wid, (path, data) in read_id_files(report_dirs(), "报告措辞文件",
                                                                          WordingError).items()}


_Raw = dict[str, tuple[str, dict[str, Any]]]  # id → (file name, data)


def _resolve(wid: str, raw: _Raw, chain: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    name, data = raw[wid]
    parent_id = data.get("extends")
    if parent_id is None:
        return name, data
    if parent_id in chain or parent_id == wid:
        raise WordingError(f"报告措辞文件 {name}：继承出现循环（{' → '.join(chain + (wid, str(parent_id)))}）")
    if parent_id not in raw:
        raise WordingError(f"报告措辞文件 {name}：找不到被继承的“{parent_id}”")
    pname, parent = _resolve(str(parent_id), raw, chain + (wid,))
    merged = dict(parent)
    for key, value in data.items():
        if key == "phrases" and isinstance(value, dict):
            merged["phrases"] = {**parent.get("phrases", {}), **value}
        elif key != "abstract":
            merged[key] = value
    merged.pop("extends", None)
    return f"{name}（继承 {pname}）", merged


@lru_cache(maxsize=1)
def _registry() -> dict[str, Wording]:
    raw = _read_all()
    out: dict[str, Wording] = {}
    for wid, (_name, data) in raw.items():
        if data.get("abstract"):
            continue  # shared phrases only, never a report of its own
        origin, merged = _resolve(wid, raw, ())
        out[wid] = Wording(id=wid, kind=str(merged.get("kind", "")), origin=origin, data=merged)
        _check(out[wid])
    return out


def reload_wordings() -> None:
    _registry.cache_clear()


def _check(w: Wording) -> None:
    where = f"报告措辞文件 {w.origin}"
    if w.data.get("format") != 1:
        raise WordingError(f"{where}：format 应为 1")
    if w.kind not in REPORT_KINDS:
        raise WordingError(f"{where}：kind 应为 {'、'.join(REPORT_KINDS)} 之一")
    for key in _REQUIRED:
        if key not in w.data:
            raise WordingError(f"{where}：缺少 {key}")
    phrases = w.data["phrases"]
    if not isinstance(phrases, dict) or not all(isinstance(v, str) for v in phrases.values()):
        raise WordingError(f"{where}：phrases 应为“名称: 文字”的对象")
    numbering = w.data["numbering"]
    if not isinstance(numbering, list) or not numbering or not all(isinstance(x, str) for x in numbering):
        raise WordingError(f"{where}：numbering 应为各级标题编号格式的列表")
    templates = w.data.get("templates")
    if templates is not None and (not isinstance(templates, list) or not all(isinstance(t, str) for t in templates)):
        raise WordingError(f"{where}：templates 应为模板编号的列表")
    _check_outline(w.data["outline"], where, "outline")


def _check_outline(entries: Any, where: str, path: str) -> None:
    if not isinstance(entries, list):
        raise WordingError(f"{where}：{path} 应为列表")
    for i, e in enumerate(entries):
        p = f"{path}[{i}]"
        if not isinstance(e, dict):
            raise WordingError(f"{where}：{p} 应为对象")
        if "heading" in e and not isinstance(e["heading"], str):
            raise WordingError(f"{where}：{p}.heading 应为文字")
        if "children" in e:
            _check_outline(e["children"], where, f"{p}.children")
        for j, b in enumerate(e.get("blocks", [])):
            if not isinstance(b, dict) or sum(1 for k in BLOCK_KEYS if k in b) != 1:
                raise WordingError(f"{where}：{p}.blocks[{j}] 应含 {'、'.join(BLOCK_KEYS)} 之一（且只含一个）")
            if "outline" in b:
                _check_outline(b["outline"], where, f"{p}.blocks[{j}].outline")


def all_wordings() -> list[Wording]:
    return sorted(_registry().values(), key=lambda w: w.id)


def wording_for(kind: str, template_id: str) -> Wording:
    """The wording of a ``kind`` of report for documents of ``template_id``:
    the regional file that names the template, else the base file."""
    if kind not in REPORT_KINDS:
        raise WordingError(f"未知的报告类型“{kind}”（可用：{'、'.join(REPORT_KINDS)}）")
    base: Wording | None = None
    for w in all_wordings():
        if w.kind != kind:
            continue
        templates = w.data.get("templates")
        if templates is None:
            if base is None or w.id == kind:
                base = w
        elif template_id in templates:
            return w
    if base is None:
        raise WordingError(f"找不到{KIND_NAMES[kind]}的措辞文件（resources/reports/{kind}.json）")
    return base
