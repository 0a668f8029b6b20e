"""Regional templates, loaded from JSON files under ``resources/templates/``.

A template says which fund rows, which 一级/二级 indicators (with default
weights, or a flat list without levels), which extra blocks and columns a form
has, how its grid is laid out (and how it prints its rates), who signs it, and
the scoring settings (grade bands, 执行率 zero-threshold and caps, deviation
thresholds and tolerance, overshoot rule). Adding a region is adding a file;
the format is documented in ``docs/templates.md``. A template may ``extends`` another and
override whole top-level entries (``scoring`` keys merge one by one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jixiao.core.datafiles import data_dirs, read_id_files

FORM_KINDS = ("project", "department")
KIND_NAMES = {"project": "项目支出绩效自评表", "department": "部门整体支出绩效自评表"}
NAME_KEYS = {"project": "项目名称", "department": "部门名称"}  # the header field that names a form, by kind
SECTION_TYPES = ("fields", "funds", "texts", "items", "table", "indicators", "total")
# The figures a fund row may carry; a fund section may add free-text columns ("kind": "text", e.g. 四川 原因).
FUND_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
AMOUNT_COLUMNS = ("年初预算数", "全年预算数", "全年执行数")
RATE_COLUMNS = ("执行率", "偏差度")  # columns holding a rate, printed the way the template says
RATE_FORMATS = ("percent", "number")  # "97.99%" or "97.99" (under a header such as "执行率 %")
# Columns an indicator section must have; a flat list (no 一级/二级, 重庆) needs only the last five.
LEVEL_COLUMNS = ("一级指标", "二级指标")
INDICATOR_COLUMNS = ("三级指标", "年度指标值", "实际完成值", "分值", "得分")
# Who signs a form when its template does not say ("signoff": true).
DEFAULT_SIGNOFF = ("单位负责人", "财务负责人", "填表人", "填报日期")
COLUMN_KINDS = ("", "text")
DEFAULT_GRADES = [["优", 90], ["良", 80], ["中", 60], ["差", 0]]


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
    rate_format: str = "percent"  # rate columns: "percent" prints 97.99%, "number" prints 97.99
    kind: str = ""  # "text": a free-text column of a funds section (四川 原因)
    merged: bool = False  # a funds text column printed as one cell over all fund rows, stored on the total row
    choices: tuple[str, ...] = ()  # the values a dropdown offers (四川 指标性质 ≥ ≤ = …); any other text may be typed

    @property
    def percent_sign(self) -> bool:
        return self.rate_format != "number"


@dataclass(frozen=True, slots=True)
class TextRow:
    """One group of a ``texts`` section: an optional label spanning ``span``
    grid columns, then its columns, as a header row of column labels (unless
    ``headers`` is false) above one row of inputs."""

    label: str | None
    span: int
    columns: tuple[Column, ...]
    headers: bool = True


@dataclass(frozen=True, slots=True)
class FieldCell:
    """One cell of a ``fields`` row: a fixed label or an input bound to ``key``."""

    span: int
    label: str | None = None
    key: str | None = None
    required: bool = False
    total: bool = False  # the form's 总分 shown in the header (重庆 自评总分)


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
    items: tuple[ItemDef, ...] = ()
    levels: tuple[Level, ...] = ()
    list_all_level1: bool = False
    list_all_level2: bool = False
    span: int = 1
    text_rows: tuple[TextRow, ...] = ()  # texts sections: their groups (``columns`` lists every column)
    label_span: int = 1  # funds: grid columns taken by the section label
    blank_mark: str = "—"  # funds: what 分值/执行率/得分 of a 其中 row print ("/" in 四川)
    flat: bool = False  # indicators: a flat list without 一级/二级 (重庆 部门整体)
    initial_rows: int = 1  # indicators of a flat list: empty rows a new form starts with

    def column(self, key: str) -> Column | None:
        for c in self.columns:
            if c.key == key:
                return c
        return None

    def has_column(self, key: str) -> bool:
        return self.column(key) is not None

    @property
    def rate_percent_sign(self) -> bool:
        """Whether this section's 执行率 prints with a % sign (its column's ``rate_format``)."""
        col = self.column("执行率")
        return col.percent_sign if col is not None else True

    @property
    def text_columns(self) -> tuple[Column, ...]:
        """The free-text columns of a funds section."""
        return tuple(c for c in self.columns if c.kind == "text")

    @property
    def reason_column(self) -> Column | None:
        """Where a funds section takes the written reason for a low 执行率 (its first text column)."""
        cols = self.text_columns
        return cols[0] if cols else None

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
    signoff_labels: tuple[str, ...] = DEFAULT_SIGNOFF  # printed below the grid, "label：value"
    unit_lines: bool = True  # 填报单位 / 金额单位 above the grid and 填报单位（盖章） below it
    report_code: str = ""  # printed top right as 报表编号 (四川 一体化 510000_0013zp)
    margins: tuple[float, float, float, float] | None = None  # printed page margins in mm (left, top, right, bottom)
    min_scale: float | None = None  # 缩放到一页 shrinks the form no further than this (default 0.8)

    @property
    def signoff(self) -> bool:
        """Anything printed below the grid (sign-off labels or the 盖章 line)."""
        return bool(self.signoff_labels) or self.unit_lines

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
        out: list[str] = []
        for s in self.sections:
            if s.type == "fields":
                for row in s.field_rows:
                    out.extend(c.key for c in row if c.key)
        return out

    @property
    def name_key(self) -> str:
        return NAME_KEYS[self.kind]


@dataclass(frozen=True, slots=True, eq=False)  # identity hash: used as a memoisation key
class Scoring:
    execution_weight: Decimal
    execution_zero_below: Decimal | None
    deviation_threshold: Decimal
    deviation_tolerance: Decimal | None  # 河南: an overshoot within it records 偏差度 0, beyond it minus it
    overshoot_tolerance: Decimal | None
    overshoot_full_at: Decimal | None
    overshoot_max_deduction: Decimal | None
    range_above: str  # "full" or "overshoot"
    bands: tuple[tuple[str, Decimal, Decimal], ...]
    grades: tuple[tuple[str, Decimal], ...]
    total: Decimal
    execution_reason_below: Decimal | None = None  # 执行率 under this needs a written reason (四川 0.90)
    execution_caps: tuple[tuple[Decimal, Decimal], ...] = ()  # (执行率 below, 总分 at most), highest rate first
    overshoot_reason_from: Decimal | None = None  # an overshoot this far above target needs a reason (广西 0.30)

    def total_cap(self, rate: Decimal | None) -> tuple[Decimal, Decimal] | None:
        """The (rate bound, cap) that limits the total at this 执行率, the lowest cap
        that applies; ``None`` when no band applies."""
        if rate is None:
            return None
        hits = [(below, cap) for below, cap in self.execution_caps if rate < below]
        return min(hits, key=lambda bc: bc[1]) if hits else None

    def deviation_needs_reason(self, deviation: Decimal | None) -> bool:
        """Whether a 偏差率 this large requires 偏差原因分析: beyond ±``deviation_threshold``,
        except that an overshoot is judged against ``overshoot_reason_from`` (inclusive) where set."""
        if deviation is None:
            return False
        if deviation > 0 and self.overshoot_reason_from is not None:
            return deviation >= self.overshoot_reason_from
        return abs(deviation) > self.deviation_threshold

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

    @property
    def signoff_labels(self) -> tuple[str, ...]:
        """Every sign-off label of the template's forms, in order (the keys of ``Document.signoff``)."""
        out: list[str] = []
        for fd in self.forms.values():
            out.extend(label for label in fd.signoff_labels if label not in out)
        return tuple(out)


# ---------------------------------------------------------------- loading


def template_dirs() -> list[Path]:
    return data_dirs("templates", "JIXIAO_TEMPLATES")


def _raw_templates() -> dict[str, tuple[Path, dict[str, Any]]]:
    return read_id_files(template_dirs(), "模板文件", TemplateError)


@lru_cache(maxsize=1)
def _registry() -> dict[str, Template]:
    raw = _raw_templates()
    out: dict[str, Template] = {}
    for tid in raw:
        out[tid] = build_template(_resolve(tid, raw, ()), raw[tid][0].name)
    return out


def reload_templates() -> None:
    _registry.cache_clear()


def _resolve(tid: str, raw: dict[str, tuple[Path, dict[str, Any]]], chain: tuple[str, ...]) -> dict[str, Any]:
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


def known_signoff_labels() -> tuple[str, ...]:
    """Every sign-off label any installed template prints (the default four first):
    what an importer recognises below a form."""
    out = list(DEFAULT_SIGNOFF)
    for t in available_templates():
        out.extend(label for label in t.signoff_labels if label not in out)
    return tuple(out)


def labels_after_indicators(fd: FormDef) -> tuple[str, ...]:
    """The labels of the blocks a form prints below its indicator grid and 总分 row (四川's
    评价结论 / 存在问题 / 改进措施): block labels, text-group labels and text-column labels, as written."""
    out: list[str] = []
    after = False
    for s in fd.sections:
        if s.type == "indicators":
            after = True
            continue
        if not after or s.type == "total":
            continue
        texts = [s.label] + [tr.label for tr in s.text_rows]
        if s.type == "texts":
            texts += [t for c in s.columns for t in (c.key, c.label)]
        out.extend(t for t in texts if t and t not in out)
    return tuple(out)


def known_trailing_labels(template: Template | None = None) -> tuple[str, ...]:
    """Every label any installed template (and ``template``) prints below its indicator grid:
    a row carrying one ends an imported indicator block."""
    out: list[str] = []
    for t in [*available_templates(), *([template] if template is not None else [])]:
        for fd in t.forms.values():
            out.extend(label for label in labels_after_indicators(fd) if label not in out)
    return tuple(out)


def get_template(template_id: str) -> Template:
    reg = _registry()
    if template_id not in reg:
        names = "、".join(f"{t.id}（{t.name}）" for t in available_templates())
        raise TemplateError(f"未知的模板“{template_id}”。可用模板：{names}")
    return reg[template_id]


def template_from_dict(data: dict[str, Any], origin: str = "文档内嵌模板") -> Template:
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


def _req(value: Any, where: str) -> Decimal:
    """A number the template must give (a band or grade bound)."""
    d = _dec(value, where)
    if d is None:
        raise TemplateError(f"{where}：缺少数字")
    return d


def _default(value: Decimal | None, default: Decimal) -> Decimal:
    """An explicit 0 in a template is a setting, not a missing value."""
    return default if value is None else value


def _column(spec: Any, where: str, rate_format: str = "percent") -> Column:
    """One column; ``rate_format`` is the section's default for its rate columns."""
    if isinstance(spec, str):
        spec = {"key": spec}
    if isinstance(spec, dict) and "key" in spec:
        label = spec.get("label")
        key = str(spec["key"])
        fmt = str(spec.get("rate_format", rate_format if key in RATE_COLUMNS else "percent"))
        if fmt not in RATE_FORMATS:
            raise TemplateError(f"{where}：列“{key}”的 rate_format 只能是 percent 或 number")
        kind = str(spec.get("kind", ""))
        if kind not in COLUMN_KINDS:
            raise TemplateError(f"{where}：列“{key}”的 kind 只能是 text")
        choices = spec.get("choices", [])
        if not (isinstance(choices, list) and all(isinstance(x, str) and x.strip() for x in choices)):
            raise TemplateError(f"{where}：列“{key}”的 choices 应为非空字符串的数组")
        if len(set(choices)) != len(choices):
            raise TemplateError(f"{where}：列“{key}”的 choices 中有重复的值")
        return Column(
            key=key,
            label=key if label is None else str(label),
            span=int(spec.get("span", 1)),
            width=float(spec.get("width", 10)),
            required=bool(spec.get("required", False)),
            rate_format=fmt,
            kind=kind,
            merged=bool(spec.get("merged", False)),
            choices=tuple(choices),
        )
    raise TemplateError(f"{where}：列定义应为字符串或含 key 的对象")


def _text_rows(s: dict[str, Any], where: str) -> tuple[TextRow, ...]:
    """A texts section's groups: ``rows`` (each with its own label and columns) or,
    as before, one group of ``columns`` under the section label."""
    if "rows" in s:
        if "columns" in s:
            raise TemplateError(f"{where}：文字节不能同时有 rows 和 columns")
        out: list[TextRow] = []
        for j, r in enumerate(s["rows"]):
            rw = f"{where} 第{j + 1}组"
            label = r.get("label")
            out.append(TextRow(
                label=None if label is None else str(label),
                span=int(r.get("span", 1 if label is not None else 0)),
                columns=tuple(_column(c, rw) for c in r["columns"]),
                headers=bool(r.get("headers", True)),
            ))
        return tuple(out)
    return (TextRow(None, 0, tuple(_column(c, where) for c in s.get("columns", []))),)


def _signoff(value: Any, where: str) -> tuple[str, ...]:
    """``true`` (the default four labels), ``false``/``[]`` (none) or a list of labels."""
    if value is True:
        return DEFAULT_SIGNOFF
    if value is False or value is None:
        return ()
    if isinstance(value, list) and all(isinstance(x, str) and x.strip() for x in value):
        if len(set(value)) != len(value):
            raise TemplateError(f"{where}：signoff 中有重复的签字栏")
        return tuple(value)
    raise TemplateError(f"{where}：signoff 应为 true、false 或签字栏名称的数组")


def _caps(value: Any, where: str) -> tuple[tuple[Decimal, Decimal], ...]:
    """``[["0.80", "89"], ["0.70", "79"], …]``: 执行率 below the first figure caps 总分 at the second."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise TemplateError(f"{where}：execution_caps 应为 [执行率下限, 总分上限] 的数组")
    out = []
    for pair in value:
        if not (isinstance(pair, list) and len(pair) == 2):
            raise TemplateError(f"{where}：execution_caps 的每一项应为 [执行率下限, 总分上限]")
        below, cap = _dec(pair[0], where), _dec(pair[1], where)
        if below is None or cap is None:
            raise TemplateError(f"{where}：execution_caps 的每一项应为两个数字")
        out.append((below, cap))
    return tuple(sorted(out, key=lambda bc: bc[0], reverse=True))


def build_template(data: dict[str, Any], origin: str) -> Template:
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
            deviation_tolerance=_dec(sc.get("deviation_tolerance"), where),
            overshoot_tolerance=_dec(ov.get("tolerance"), where),
            overshoot_full_at=_dec(ov.get("full_deduction_at"), where),
            overshoot_max_deduction=_dec(ov.get("max_deduction"), where),
            range_above=str(sc.get("range_above", "full")),
            bands=tuple((str(k), _req(v[0], where), _req(v[1], where)) for k, v in bands_raw.items()),
            grades=tuple(sorted(((str(g[0]), _req(g[1], where)) for g in sc.get("grades", DEFAULT_GRADES)),
                                key=lambda g: g[1], reverse=True)),
            total=_default(_dec(sc.get("total", "100"), where), Decimal(100)),
            execution_reason_below=_dec(sc.get("execution_reason_below"), where),
            execution_caps=_caps(sc.get("execution_caps"), where),
            overshoot_reason_from=_dec(sc.get("overshoot_reason_from"), where),
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


def _build_form(kind: str, d: dict[str, Any], where: str) -> FormDef:
    grid_columns = tuple(_column(c, where) for c in d["columns"])
    width = len(grid_columns)
    sections = []
    for i, s in enumerate(d["sections"]):
        sw = f"{where} 第{i + 1}节"
        stype = s.get("type")
        if stype not in SECTION_TYPES:
            raise TemplateError(f"{sw}：未知的节类型“{stype}”")
        # "rate_percent_sign": false is the older spelling of "rate_format": "number" on the 执行率 column
        default_rate = "percent" if s.get("rate_percent_sign", True) else "number"
        text_rows = _text_rows(s, sw) if stype == "texts" else ()
        if stype == "texts":
            cols = tuple(c for tr in text_rows for c in tr.columns)
        else:
            cols = tuple(_column(c, sw, default_rate) for c in s.get("columns", []))
        sec = Section(
            type=stype,
            key=str(s.get("key", stype)),
            label=s.get("label"),
            columns=cols,
            field_rows=tuple(
                tuple(FieldCell(span=int(c.get("span", 1)), label=c.get("label"), key=c.get("key"),
                                required=bool(c.get("required", False)), total=bool(c.get("total", False)))
                      for c in row)
                for row in s.get("rows", []) if stype == "fields"
            ),
            fund_rows=tuple(
                FundRowDef(str(r["key"]), str(r.get("label", r["key"])), bool(r.get("total", False)))
                for r in s.get("rows", []) if stype == "funds"
            ),
            row_header=str(s.get("row_header", "")),
            rate_on_all_rows=bool(s.get("rate_on_all_rows", False)),
            items=tuple(ItemDef(str(it["name"]), _dec(it.get("weight"), sw)) for it in s.get("items", [])),
            levels=tuple(
                Level(str(lv["name"]), _dec(lv.get("weight"), sw), tuple(str(x) for x in lv.get("level2", [])))
                for lv in s.get("levels", [])
            ),
            list_all_level1=bool(s.get("list_all_level1", False)),
            list_all_level2=bool(s.get("list_all_level2", False)),
            span=int(s.get("span", 1)),
            text_rows=text_rows,
            label_span=int(s.get("label_span", 1)),
            blank_mark=str(s.get("blank_mark", "—")),
            flat=bool(s.get("flat", False)),
            initial_rows=int(s.get("initial_rows", 1)),
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
        signoff_labels=_signoff(d.get("signoff", True), where),
        unit_lines=bool(d.get("unit_lines", d.get("signoff", True) is not False)),
        report_code=str(d.get("report_code", "")),
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
    if sec.key == "附加内容":  # reserved for what a form holds beyond its template (core/extras.py)
        raise TemplateError(f"{where}：节的 key 不能是“附加内容”（保留给模板中没有的内容）")
    if sec.type == "fields":
        for row in sec.field_rows:
            if sum(c.span for c in row) != width:
                raise TemplateError(f"{where}：表头行的跨列合计应为 {width}")
            if any(c.total and c.key for c in row):
                raise TemplateError(f"{where}：总分格（total）不能同时有 key")
    elif sec.type == "texts":
        for j, tr in enumerate(sec.text_rows):
            if label_cols + tr.span + sum(c.span for c in tr.columns) != width:
                raise TemplateError(f"{where} 第{j + 1}组：标题列加各列跨列合计应为 {width}")
        keys = [c.key for c in sec.columns]
        if len(set(keys)) != len(keys):
            raise TemplateError(f"{where}：文字节中有重复的列")
    elif sec.type in ("items", "table"):
        if sum(c.span for c in sec.columns) + label_cols != width:
            raise TemplateError(f"{where}：各列跨列合计加标题列应为 {width}")
    elif sec.type == "indicators":
        if len(sec.columns) + label_cols != width:
            raise TemplateError(f"{where}：指标列数加标题列应为 {width}")
        must = INDICATOR_COLUMNS if sec.flat else LEVEL_COLUMNS + INDICATOR_COLUMNS
        for key in must:
            if not sec.has_column(key):
                raise TemplateError(f"{where}：指标节缺少“{key}”列")
        if sec.flat and (sec.levels or any(sec.has_column(k) for k in LEVEL_COLUMNS)):
            raise TemplateError(f"{where}：平铺的指标表（flat）不能有一级/二级指标")
    elif sec.type == "funds":
        name_span = width - sec.label_span - sum(c.span for c in sec.columns)
        if sec.label_span < 1 or name_span < 0:
            raise TemplateError(f"{where}：资金列过多")
        if name_span == 0 and len(sec.fund_rows) != 1:
            raise TemplateError(f"{where}：没有行名列时资金节只能有一行")
        for c in sec.columns:
            if c.kind != "text" and c.key not in FUND_COLUMNS:
                raise TemplateError(f"{where}：未知的资金列“{c.key}”（文字列请加 \"kind\": \"text\"）")
            if c.kind == "text" and c.key in FUND_COLUMNS:
                raise TemplateError(f"{where}：资金列“{c.key}”不能是文字列")
            if c.merged and c.kind != "text":
                raise TemplateError(f"{where}：只有文字列可以合并（merged）")
    elif sec.type == "total":
        if not 1 <= sec.span <= width - 2:
            raise TemplateError(f"{where}：总分行的标题跨列应在 1 到 {width - 2} 之间")
