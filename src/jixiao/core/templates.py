"""Regional templates, loaded from JSON files under ``resources/templates/``.

A template says which fund rows, which 一级/二级 indicators (with default
weights), which extra blocks and columns a form has, how its grid is laid out,
and the scoring settings (grade bands, 执行率 zero-threshold, deviation
threshold, overshoot rule). Adding a region is adding a file; the format is
documented in ``docs/templates.md``. A template may ``extends`` another and
override whole top-level entries (``scoring`` keys merge one by one).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jixiao.resources import resource_path

FORM_KINDS = ("project", "department")
KIND_NAMES = {"project": "项目支出绩效自评表", "department": "部门整体支出绩效自评表"}
SECTION_TYPES = ("fields", "funds", "texts", "items", "table", "indicators", "total")
FUND_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
AMOUNT_COLUMNS = ("年初预算数", "全年预算数", "全年执行数")


class TemplateError(Exception):
    """A template file is missing or malformed. The message is Chinese and
    names the file and the entry at fault."""


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    span: int = 1
    width: float = 10.0
    required: bool = False


@dataclass(frozen=True, slots=True)
class FieldCell:
    """One cell of a ``fields`` row: a fixed label or an input bound to ``key``."""

    span: int
    label: str | None = None
    key: str | None = None
    required: bool = False


@dataclass(frozen=True, slots=True)
class FundRowDef:
    key: str
    label: str
    total: bool = False


@dataclass(frozen=True, slots=True)
class ItemDef:
    name: str
    weight: Decimal | None


@dataclass(frozen=True, slots=True)
class Level:
    name: str
    weight: Decimal | None
    level2: tuple[str, ...]


@dataclass(frozen=True, slots=True, eq=False)  # identity hash: used as a memoisation key
class Section:
    type: str
    key: str
    label: str | None
    columns: tuple[Column, ...] = ()
    field_rows: tuple[tuple[FieldCell, ...], ...] = ()
    fund_rows: tuple[FundRowDef, ...] = ()
    row_header: str = ""
    rate_on_all_rows: bool = False
    rate_percent_sign: bool = True
    items: tuple[ItemDef, ...] = ()
    levels: tuple[Level, ...] = ()
    list_all_level1: bool = False
    list_all_level2: bool = False
    span: int = 1

    def column(self, key: str) -> Column | None:
        for c in self.columns:
            if c.key == key:
                return c
        return None

    def has_column(self, key: str) -> bool:
        return self.column(key) is not None

    @property
    def total_fund_row(self) -> FundRowDef | None:
        for r in self.fund_rows:
            if r.total:
                return r
        return None

    def level(self, name: str) -> Level | None:
        for lv in self.levels:
            if lv.name == name:
                return lv
        return None


@dataclass(frozen=True, slots=True)
class FormDef:
    kind: str
    title: str
    year_line: str
    orientation: str
    grid_columns: tuple[Column, ...]
    sections: tuple[Section, ...]
    signoff: bool
    margins: tuple[float, float, float, float] | None = None  # printed page margins in mm (left, top, right, bottom)
    min_scale: float | None = None  # 缩放到一页 shrinks the form no further than this (default 0.8)

    @property
    def width(self) -> int:
        return len(self.grid_columns)

    def section(self, type_: str, key: str | None = None) -> Section | None:
        for s in self.sections:
            if s.type == type_ and (key is None or s.key == key):
                return s
        return None

    @property
    def funds(self) -> Section | None:
        return self.section("funds")

    @property
    def indicators(self) -> Section | None:
        return self.section("indicators")

    @property
    def header_keys(self) -> list[str]:
        out = []
        for s in self.sections:
            if s.type == "fields":
                for row in s.field_rows:
                    out.extend(c.key for c in row if c.key)
        return out

    @property
    def name_key(self) -> str:
        return "项目名称" if self.kind == "project" else "部门名称"


@dataclass(frozen=True, slots=True, eq=False)  # identity hash: used as a memoisation key
class Scoring:
    execution_weight: Decimal
    execution_zero_below: Decimal | None
    deviation_threshold: Decimal
    overshoot_tolerance: Decimal | None
    overshoot_full_at: Decimal | None
    overshoot_max_deduction: Decimal | None
    range_above: str  # "full" or "overshoot"
    bands: tuple[tuple[str, Decimal, Decimal], ...]
    grades: tuple[tuple[str, Decimal], ...]
    total: Decimal

    def band(self, achievement: str) -> tuple[Decimal, Decimal] | None:
        for name, lo, hi in self.bands:
            if name == achievement:
                return lo, hi
        return None

    def grade(self, total: Decimal | None) -> str:
        if total is None:
            return ""
        for name, floor in self.grades:
            if total >= floor:
                return name
        return self.grades[-1][0] if self.grades else ""


# ---------------------------------------------------------------- the 项目单位自评汇总表

SUMMARY_SOURCES = ("index", "name", "rate", "rates", "score", "grade", "deviation", "previous.rate", "previous.score")
SUMMARY_KINDS = ("text", "money")


@dataclass(frozen=True, slots=True)
class SummaryColumn:
    """One column of the 汇总表. ``source`` says where its figure comes from:
    ``index`` (序号), ``name`` (项目名称), ``header.KEY`` (a project header field,
    printed on the form or kept for the 汇总表 only), ``funds.COLUMN`` (an amount of
    the total fund row), ``rate`` (预算执行率), ``rates`` (one 得分率 column per
    scored block and 一级; ``label`` holds ``{name}``), ``score`` (自评得分),
    ``grade`` (等级), ``deviation`` (是否有偏差项目), ``previous.rate`` /
    ``previous.score`` (last year's, shown only while a previous document is linked)."""

    label: str
    source: str
    width: float = 10.0
    kind: str = "text"  # for header.* sources: text, or money (summed in subtotals)

    @property
    def header_key(self) -> str | None:
        return self.source.removeprefix("header.") if self.source.startswith("header.") else None

    @property
    def fund_column(self) -> str | None:
        return self.source.removeprefix("funds.") if self.source.startswith("funds.") else None

    @property
    def is_money(self) -> bool:
        return self.fund_column is not None or (self.header_key is not None and self.kind == "money")

    @property
    def is_previous(self) -> bool:
        return self.source.startswith("previous.")


DEFAULT_SUMMARY_COLUMNS: tuple[SummaryColumn, ...] = (
    SummaryColumn("序号", "index", 5),
    SummaryColumn("项目名称", "name", 30),
    SummaryColumn("实施单位", "header.实施单位", 18),
    SummaryColumn("全年预算数", "funds.全年预算数", 12),
    SummaryColumn("全年执行数", "funds.全年执行数", 12),
    SummaryColumn("预算执行率", "rate", 10),
    SummaryColumn("上年预算执行率", "previous.rate", 10),
    SummaryColumn("{name}得分率", "rates", 10),
    SummaryColumn("自评得分", "score", 9),
    SummaryColumn("上年自评得分", "previous.score", 9),
    SummaryColumn("等级", "grade", 6),
    SummaryColumn("是否有偏差项目", "deviation", 8),
)


@dataclass(frozen=True, slots=True)
class SummarySpec:
    """How the 项目单位自评汇总表 of a template looks (the ``summary`` entry)."""

    title: str = "项目单位自评汇总表"
    year_line: str | None = "（{year}年度）"
    unit_line: str | None = "填报单位（盖章）：{unit}"
    money_note: str | None = "金额单位：万元"
    columns: tuple[SummaryColumn, ...] = DEFAULT_SUMMARY_COLUMNS
    figures: str = "fixed"  # fixed: 1,234.50 / 97.99% ; plain: 1234.5 / 97.99% / 100% (as 004 prints)
    no_rate: str = "—"  # a 得分率 of a block or 一级 the project does not have
    unit_subtotals: bool = True  # a 小计 row per 实施单位 when the table holds several
    rate_drop: Decimal = Decimal("0.10")  # score-up-rate-down: 执行率 fell by more than this

    @property
    def header_keys(self) -> list[str]:
        """Project header fields the table prints (some kept for it alone)."""
        return [k for k in (c.header_key for c in self.columns) if k]


def _summary_spec(raw: Any, where: str) -> SummarySpec:
    if raw is None:
        return SummarySpec()
    if not isinstance(raw, dict):
        raise TemplateError(f"{where} summary：应为对象")
    w = f"{where} summary"
    cols = DEFAULT_SUMMARY_COLUMNS
    if "columns" in raw:
        out = []
        for i, c in enumerate(raw["columns"]):
            if not isinstance(c, dict) or "source" not in c:
                raise TemplateError(f"{w} 第{i + 1}列：应为含 source 的对象")
            source = str(c["source"])
            ok = (source in SUMMARY_SOURCES or (source.startswith("header.") and len(source) > len("header."))
                  or source.removeprefix("funds.") in AMOUNT_COLUMNS and source.startswith("funds."))
            if not ok:
                raise TemplateError(f"{w} 第{i + 1}列：未知的来源“{source}”")
            kind = str(c.get("kind", "text"))
            if kind not in SUMMARY_KINDS:
                raise TemplateError(f"{w} 第{i + 1}列：kind 只能是 text 或 money")
            label = c.get("label")
            if label is None:
                label = "{name}得分率" if source == "rates" else source.rpartition(".")[2]
            out.append(SummaryColumn(str(label), source, float(c.get("width", 10)), kind))
        cols = tuple(out)
    figures = str(raw.get("figures", "fixed"))
    if figures not in ("fixed", "plain"):
        raise TemplateError(f"{w}：figures 只能是 fixed 或 plain")
    default = SummarySpec()

    def text(key: str, fallback: str | None) -> str | None:
        return fallback if key not in raw else (None if raw[key] is None else str(raw[key]))

    return SummarySpec(
        title=str(raw.get("title", default.title)),
        year_line=text("year_line", default.year_line),
        unit_line=text("unit_line", default.unit_line),
        money_note=text("money_note", default.money_note),
        columns=cols,
        figures=figures,
        no_rate=str(raw.get("no_rate", default.no_rate)),
        unit_subtotals=bool(raw.get("unit_subtotals", default.unit_subtotals)),
        rate_drop=_default(_dec(raw.get("rate_drop"), w), default.rate_drop),
    )


@dataclass(frozen=True, eq=False)  # identity: one object per loaded template
class Template:
    id: str
    name: str
    description: str
    scoring: Scoring
    forms: dict[str, FormDef]
    source: dict[str, Any] = field(repr=False, compare=False, hash=False, default_factory=dict)
    summary: SummarySpec = field(default_factory=SummarySpec)

    def form(self, kind: str) -> FormDef:
        try:
            return self.forms[kind]
        except KeyError:
            raise TemplateError(f"模板“{self.name}”没有定义{KIND_NAMES.get(kind, kind)}") from None



# ---------------------------------------------------------------- loading


def template_dirs() -> list[Path]:
    dirs = [resource_path("templates")]
    extra = os.environ.get("JIXIAO_TEMPLATES")
    if extra:
        dirs.extend(Path(p) for p in extra.split(os.pathsep) if p)
    return dirs


def _raw_templates() -> dict[str, tuple[Path, dict]]:
    found: dict[str, tuple[Path, dict]] = {}
    for d in template_dirs():
        if not d.is_dir():
            continue
        for path in sorted(d.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise TemplateError(f"模板文件 {path.name} 无法读取：{exc}") from exc
            if not isinstance(data, dict) or "id" not in data:
                raise TemplateError(f"模板文件 {path.name} 缺少 id")
            found[str(data["id"])] = (path, data)
    return found


@lru_cache(maxsize=1)
def _registry() -> dict[str, Template]:
    raw = _raw_templates()
    out: dict[str, Template] = {}
    for tid in raw:
        out[tid] = build_template(_resolve(tid, raw, ()), raw[tid][0].name)
    return out


def reload_templates() -> None:
    _registry.cache_clear()


def _resolve(tid: str, raw: dict[str, tuple[Path, dict]], chain: tuple[str, ...]) -> dict:
    if tid in chain:
        raise TemplateError(f"模板继承出现循环：{' → '.join(chain + (tid,))}")
    if tid not in raw:
        raise TemplateError(f"找不到被继承的模板“{tid}”")
    data = raw[tid][1]
    parent_id = data.get("extends")
    if not parent_id:
        return data
    parent = _resolve(str(parent_id), raw, chain + (tid,))
    merged = dict(parent)
    for key, value in data.items():
        if key in ("project", "department") and isinstance(value, dict) and isinstance(parent.get(key), dict):
            merged[key] = {**parent[key], **value}
        elif key == "scoring" and isinstance(value, dict):
            merged[key] = {**parent.get("scoring", {}), **value}
        else:
            merged[key] = value
    merged.pop("extends", None)
    return merged


def available_templates() -> list[Template]:
    return sorted(_registry().values(), key=lambda t: (t.id != "national", t.id))


def get_template(template_id: str) -> Template:
    reg = _registry()
    if template_id not in reg:
        names = "、".join(f"{t.id}（{t.name}）" for t in available_templates())
        raise TemplateError(f"未知的模板“{template_id}”。可用模板：{names}")
    return reg[template_id]


def template_from_dict(data: dict, origin: str = "文档内嵌模板") -> Template:
    """Build a template from a dict already resolved (used for templates
    embedded in a document whose region is not installed here)."""
    try:
        return build_template(data, origin)
    except TemplateError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, ArithmeticError, RecursionError) as exc:
        # a damaged copy inside a document file must not crash opening it
        raise TemplateError(f"{origin}已损坏（{type(exc).__name__}）") from exc


# ---------------------------------------------------------------- building


def _dec(value: Any, where: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError as exc:
        raise TemplateError(f"{where}：“{value}”不是数字") from exc


def _default(value: Decimal | None, default: Decimal) -> Decimal:
    """An explicit 0 in a template is a setting, not a missing value."""
    return default if value is None else value


def _column(spec: Any, where: str) -> Column:
    if isinstance(spec, str):
        return Column(spec, spec)
    if isinstance(spec, dict) and "key" in spec:
        label = spec.get("label")
        return Column(
            key=str(spec["key"]),
            label=str(spec["key"]) if label is None else str(label),
            span=int(spec.get("span", 1)),
            width=float(spec.get("width", 10)),
            required=bool(spec.get("required", False)),
        )
    raise TemplateError(f"{where}：列定义应为字符串或含 key 的对象")


def build_template(data: dict, origin: str) -> Template:
    where = f"模板 {origin}"
    try:
        sc = data.get("scoring", {})
        ov = sc.get("overshoot") or {}
        bands_raw = sc.get("qualitative_bands") or {
            "achieved": ["0.8", "1"], "partial": ["0.6", "0.8"], "not_achieved": ["0", "0.6"]
        }
        scoring = Scoring(
            execution_weight=_default(_dec(sc.get("execution_weight", "10"), where), Decimal(10)),
            execution_zero_below=_dec(sc.get("execution_zero_below"), where),
            deviation_threshold=_default(_dec(sc.get("deviation_threshold", "0.10"), where), Decimal("0.10")),
            overshoot_tolerance=_dec(ov.get("tolerance"), where),
            overshoot_full_at=_dec(ov.get("full_deduction_at"), where),
            overshoot_max_deduction=_dec(ov.get("max_deduction"), where),
            range_above=str(sc.get("range_above", "full")),
            bands=tuple((k, _dec(v[0], where), _dec(v[1], where)) for k, v in bands_raw.items()),  # type: ignore[misc]
            grades=tuple(
                sorted(((str(g[0]), _dec(g[1], where))
                        for g in sc.get("grades", [["优", 90], ["良", 80], ["中", 60], ["差", 0]])),
                       key=lambda g: g[1], reverse=True)  # type: ignore[arg-type, return-value]
            ),
            total=_default(_dec(sc.get("total", "100"), where), Decimal(100)),
        )
        if scoring.range_above not in ("full", "overshoot"):
            raise TemplateError(f"{where}：range_above 只能是 full 或 overshoot")
        forms: dict[str, FormDef] = {}
        for kind in FORM_KINDS:
            if kind in data:
                forms[kind] = _build_form(kind, data[kind], f"{where} {kind}")
        if not forms:
            raise TemplateError(f"{where}：没有定义任何表（project / department）")
        return Template(
            id=str(data["id"]),
            name=str(data.get("name", data["id"])),
            description=str(data.get("description", "")),
            scoring=scoring,
            forms=forms,
            source=data,
            summary=_summary_spec(data.get("summary"), where),
        )
    except TemplateError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise TemplateError(f"{where} 格式错误：{exc!r}") from exc


def _build_form(kind: str, d: dict, where: str) -> FormDef:
    grid_columns = tuple(_column(c, where) for c in d["columns"])
    width = len(grid_columns)
    sections = []
    for i, s in enumerate(d["sections"]):
        sw = f"{where} 第{i + 1}节"
        stype = s.get("type")
        if stype not in SECTION_TYPES:
            raise TemplateError(f"{sw}：未知的节类型“{stype}”")
        cols = tuple(_column(c, sw) for c in s.get("columns", []))
        sec = Section(
            type=stype,
            key=str(s.get("key", stype)),
            label=s.get("label"),
            columns=cols,
            field_rows=tuple(
                tuple(FieldCell(span=int(c.get("span", 1)), label=c.get("label"), key=c.get("key"),
                                required=bool(c.get("required", False))) for c in row)
                for row in s.get("rows", []) if stype == "fields"
            ),
            fund_rows=tuple(
                FundRowDef(str(r["key"]), str(r.get("label", r["key"])), bool(r.get("total", False)))
                for r in s.get("rows", []) if stype == "funds"
            ),
            row_header=str(s.get("row_header", "")),
            rate_on_all_rows=bool(s.get("rate_on_all_rows", False)),
            rate_percent_sign=bool(s.get("rate_percent_sign", True)),
            items=tuple(ItemDef(str(it["name"]), _dec(it.get("weight"), sw)) for it in s.get("items", [])),
            levels=tuple(
                Level(str(lv["name"]), _dec(lv.get("weight"), sw), tuple(str(x) for x in lv.get("level2", [])))
                for lv in s.get("levels", [])
            ),
            list_all_level1=bool(s.get("list_all_level1", False)),
            list_all_level2=bool(s.get("list_all_level2", False)),
            span=int(s.get("span", 1)),
        )
        _check_section(sec, width, sw)
        sections.append(sec)
    fd = FormDef(
        kind=kind,
        title=str(d.get("title", KIND_NAMES[kind])),
        year_line=str(d.get("year_line", "（{year}年度）")),
        orientation=str(d.get("orientation", "landscape")),
        grid_columns=grid_columns,
        sections=tuple(sections),
        signoff=bool(d.get("signoff", True)),
        margins=_margins(d.get("margins"), where),
        min_scale=_min_scale(d.get("min_scale"), where),
    )
    if fd.orientation not in ("portrait", "landscape"):
        raise TemplateError(f"{where}：orientation 只能是 portrait（纵向）或 landscape（横向）")
    if fd.funds is None or fd.funds.total_fund_row is None:
        raise TemplateError(f"{where}：缺少资金节或资金合计行（total: true）")
    if fd.indicators is None:
        raise TemplateError(f"{where}：缺少绩效指标节")
    return fd


def _margins(value: Any, where: str) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 4):
        raise TemplateError(f"{where}：margins 应为 [左, 上, 右, 下] 四个毫米数")
    try:
        out = tuple(float(v) for v in value)
    except (TypeError, ValueError) as exc:
        raise TemplateError(f"{where}：margins 应为 [左, 上, 右, 下] 四个毫米数") from exc
    if not all(0 <= v <= 60 for v in out):
        raise TemplateError(f"{where}：页边距应在 0 到 60 毫米之间")
    return out  # type: ignore[return-value]


def _min_scale(value: Any, where: str) -> float | None:
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise TemplateError(f"{where}：min_scale 应为 0.1 到 1 之间的数") from exc
    if not 0.1 <= v <= 1.0:
        raise TemplateError(f"{where}：min_scale 应为 0.1 到 1 之间的数")
    return v


def _check_section(sec: Section, width: int, where: str) -> None:
    label_cols = 1 if sec.label else 0
    if sec.type == "fields":
        for row in sec.field_rows:
            if sum(c.span for c in row) != width:
                raise TemplateError(f"{where}：表头行的跨列合计应为 {width}")
    elif sec.type in ("texts", "items", "table"):
        if sum(c.span for c in sec.columns) + label_cols != width:
            raise TemplateError(f"{where}：各列跨列合计加标题列应为 {width}")
    elif sec.type == "indicators":
        if len(sec.columns) + label_cols != width:
            raise TemplateError(f"{where}：指标列数加标题列应为 {width}")
        for must in ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"):
            if not sec.has_column(must):
                raise TemplateError(f"{where}：指标节缺少“{must}”列")
    elif sec.type == "funds":
        if len(sec.columns) + 2 > width:
            raise TemplateError(f"{where}：资金列过多")
        for c in sec.columns:
            if c.key not in FUND_COLUMNS:
                raise TemplateError(f"{where}：未知的资金列“{c.key}”")
    elif sec.type == "total":
        if not 1 <= sec.span <= width - 2:
            raise TemplateError(f"{where}：总分行的标题跨列应在 1 到 {width - 2} 之间")
