"""One form read from a sheet by its labels.

The template says which blocks a form has; each block is found by its labels
(the template's own and the vocabulary's synonyms), not by coordinates, so
extra title rows, shifted columns, merged or unmerged label cells, columns in
another order (安徽 puts 分值 before 年度指标值) and the (A)/(B/A) marks of
other provinces are read alike. A fund row or a column the template lacks is
kept (:mod:`jixiao.core.extras`), never guessed into another field and never
dropped; cells no block claims are left for the sheet parser, which keeps them
in the form's 附加内容 block.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from jixiao.core.extras import (
    EXTRAS,
    SEP,
    add_extra,
    extra_fund_key,
    extras_section,
    nest_sub_rows,
    shows_extra_fund_rows,
)
from jixiao.core.figures import fmt2, is_blank_mark, parse_decimal
from jixiao.core.model import Form, Indicator, default_items
from jixiao.core.overrides import drop_redundant_overrides
from jixiao.core.scoring import score_form
from jixiao.core.templates import AMOUNT_COLUMNS, Section, Template, known_signoff_labels, known_trailing_labels
from jixiao.core.values import fold_value_columns
from jixiao.core.vocabulary import (
    COMPONENT_COLUMNS,
    column_map,
    display_label,
    fund_row_map,
    header_map,
    level_name,
    normalize_label,
    section_labels,
    split_weight,
    vocabulary,
)
from jixiao.excel.doc_labels import DocFields, signoff_names
from jixiao.excel.sheets import MAX_COLS, Problems, Sheet, XCell

HEADER_ROWS = 16  # header fields are looked for in the first rows of a form


@dataclass
class Block:
    sheet: Sheet
    kind: str
    anchor: XCell
    first_row: int
    last_row: int


@dataclass
class _Check:
    """A typed figure in a cell the engine computes (Σ分值 of the 总分 row): kept when it disagrees."""

    cell: XCell
    label: str
    value: str


class FormParser:
    def __init__(self, block: Block, template: Template, doc: DocFields, problems: Problems):
        self.b = block
        self.sh = block.sheet
        self.template = template
        self.fd = template.form(block.kind)
        self.doc = doc
        self.problems = problems
        self.form = Form(kind=block.kind)
        self.cursor = block.first_row
        self.stop_labels = self._stop_labels()
        self.weight_checks: list[_Check] = []

    # ------------------------------------------------------------ helpers
    def rows(self, start: int | None = None) -> list[int]:
        s = self.b.first_row if start is None else start
        return [r for r in self.sh.row_numbers if s <= r <= self.b.last_row]

    def find(self, names: Iterable[str], start: int | None = None) -> XCell | None:
        names = set(names)
        for r in self.rows(start):
            for x in self.sh.row(r):
                if x.norm in names and not self.sh.is_used(x):
                    return x
        return None

    def problem(self, x: XCell | None, msg: str) -> None:
        self.problems.add(self.sh, x, msg)

    def keep(self, x: XCell, label: str, text: str) -> None:
        """Keep a value the template has no place for in 附加内容 (and say so)."""
        add_extra(self.form, label, text)
        shown = label or _short(text)
        self.problem(x, f"“{shown}”在模板“{self.template.name}”中没有对应的栏目，已保留在本表的“{EXTRAS}”中")

    def _stop_labels(self) -> set[str]:
        out: set[str] = set(vocabulary().normalized("section", "total"))
        for s in self.fd.sections:
            out |= section_labels(s)
            if s.type in ("texts", "items", "table", "indicators"):
                for c in s.columns:
                    if c.label and c.key not in ("分值", "得分", "项目"):
                        out.add(normalize_label(c.label))
                        out.add(normalize_label(c.key))
        out |= {"一级指标", "二级指标", "三级指标", EXTRAS}
        out.discard("")
        return out

    def _row_has(self, r: int, names: set[str], skip_cols: Iterable[int] = ()) -> bool:
        skip = set(skip_cols)
        return any(x.norm in names for x in self.sh.row(r) if x.col not in skip)

    def _value(self, x: XCell) -> str:
        if x.error:
            self.problem(x, f"单元格是错误值“{x.value}”，已按空白处理")
            return ""
        return x.text

    def _value_right(self, x: XCell, labels: set[str]) -> XCell | None:
        for c in range(x.col + 1, MAX_COLS + 1):
            y = self.sh.get(x.row, c)
            if y is None:
                continue
            if (y.norm in labels and y.norm != x.norm) or self.sh.is_used(y):
                return None  # (a label never repeats itself: "主管部门 | 主管部门" is a value)
            return y
        return None

    def _colmap(self, header_row: int, amap: dict[str, str]) -> dict[str, XCell]:
        out: dict[str, XCell] = {}
        for x in self.sh.row(header_row):
            key = amap.get(x.norm)
            if key is not None and key not in out:
                out[key] = x
        return out

    def _find_header(self, amap: dict[str, str], need: set[str], min_hits: int) -> int | None:
        """The header row of a block: the first row with ``min_hits`` of its column labels; where a later row
        before the next block's header names more of them, that one (the central 部门整体 form's 年度主要任务
        prints 预算数 | 执行数 above the 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 of its funds)."""
        for start in (self.cursor, self.b.first_row):
            best: tuple[int, int] | None = None
            for r in self.rows(start):
                keys = {amap[x.norm] for x in self.sh.row(r) if x.norm in amap and not self.sh.is_used(x)}
                if len(keys) >= min_hits and (not need or keys & need):
                    if best is None or len(keys) > best[1]:
                        best = (r, len(keys))
                elif best is not None and self._row_has(r, self.stop_labels):
                    break
            if best is not None:
                return best[0]
        return None

    def _extra_columns(self, hr: int, first_col: int) -> list[XCell]:
        """Header cells right of the block's first column that no field took: columns the template lacks."""
        out = [x for x in self.sh.row(hr) if x.col >= first_col and not self.sh.is_used(x) and x.text]
        for x in out:
            self.sh.use(x)
        return out

    def _use_label(self, name: str, start: int) -> None:
        x = self.find({name}, start) or self.find({name})
        if x is not None:
            self.sh.use(x)

    def _use_section_label(self, sec: Section, near_row: int, before_col: int | None = None) -> XCell | None:
        names = section_labels(sec)
        if not names:
            return None
        for r in self.rows(max(self.b.first_row, near_row - 2)):
            if r > near_row + 2:
                break
            for x in self.sh.row(r):
                if x.norm in names and not self.sh.is_used(x) and (before_col is None or x.col < before_col):
                    self.sh.use(x)
                    return x
        return None

    # ------------------------------------------------------------ parse
    def parse(self) -> Form:
        by_type = {"fields": self._fields, "funds": self._funds, "texts": self._texts, "items": self._items,
                   "table": self._table, "indicators": self._indicators, "total": self._total}
        for sec in self.fd.sections:
            by_type[sec.type](sec)  # one per SECTION_TYPES: the template loader refuses any other
        self._table(extras_section(self.fd))  # our own export's 附加内容 block, read back
        drop_redundant_overrides(self.template, self.form)
        self._check_weights()
        return self.form

    def _fields(self, sec: Section) -> None:
        labels: dict[str, str] = {}
        keys: list[str] = []
        for row in sec.field_rows:
            prev = None
            for fc in row:
                if fc.total and prev:  # 重庆 prints 自评总分 in the header
                    labels[normalize_label(prev)] = "@total"
                if fc.key:
                    keys.append(fc.key)
                    for n in {normalize_label(fc.key), normalize_label(prev) if prev else ""} - {""}:
                        labels[n] = fc.key
                prev = fc.label
        if self.b.kind == "project":  # fields the template's 汇总表 prints (河南 单位编码 …)
            keys.extend(k for k in self.template.summary.header_keys if k not in keys)
        for n, key in header_map(keys).items():
            labels.setdefault(n, key)
        if self.b.kind == "project":
            labels.setdefault("单位名称", "@unit")  # 云南 prints the unit above 项目名称
        all_labels = set(labels)
        for r in self.rows()[:HEADER_ROWS]:
            for x in self.sh.row(r):
                key = labels.get(x.norm)
                if key is None or self.sh.is_used(x):
                    continue
                self.sh.use(x)
                y = self._value_right(x, all_labels)
                if y is not None:
                    if key == "@unit":
                        self.sh.use(y)
                        if self.doc.unit is None and y.text:
                            self.doc.unit = y.text
                    elif key == "@total":
                        self.sh.use(y)
                        if y.text and not is_blank_mark(y.text):
                            self.form.total = y.text
                    elif key not in self.form.header:
                        self.sh.use(y)
                        if y.text:
                            self.form.header[key] = y.text
                self.cursor = max(self.cursor, x.row + 1)

    def _funds(self, sec: Section) -> None:
        amap = column_map("fund_column", sec.columns)
        hr = self._find_header(amap, set(AMOUNT_COLUMNS), 2)
        if hr is None:
            self.problem(self.b.anchor, "没有找到资金表头（年初预算数、全年预算数、全年执行数），资金未导入")
            return
        cols = self._colmap(hr, amap)
        for x in cols.values():
            self.sh.use(x)
        first_amount = min(x.col for x in cols.values())
        label = self._use_section_label(sec, hr, first_amount)
        for r in (hr - 2, hr - 1):  # a group header merged over the amount columns (预算执行情况 over 年初预算数 …)
            for x in self.sh.row(r) if r >= self.b.first_row else ():
                if x.col >= first_amount and x.norm in section_labels(sec) and not self.sh.is_used(x):
                    self.sh.use(x)
        row_headers = vocabulary().normalized("section", "fund_rows")
        for x in self.sh.row(hr):  # the row header (资金来源, 四川's 年度预算数(万元)) left of the amounts
            if x.col < first_amount and not self.sh.is_used(x) and (
                    x.norm in section_labels(sec) or x.norm in row_headers
                    or (sec.row_header and x.norm == normalize_label(sec.row_header))):
                self.sh.use(x)
        extra_cols = self._extra_columns(hr, first_amount)
        percent_cols = {k for k, hx in cols.items() if k == "执行率" and sec.rate_percent_sign
                        and "%" in unicodedata.normalize("NFKC", hx.text)}
        by_name = fund_row_map(sec)
        taken: set[str] = set()
        breakdown = ""  # the heading of a second split of the total (按支出性质分), once met
        label_cells: dict[str, XCell] = {}
        side: _SideSplit | None = None  # a second split printed beside the first (the central 部门整体 form)
        last = hr
        for r in self.rows(hr + 1):
            row = self.sh.row(r)
            if side is None:
                side = self._side_split(row, first_amount, amap)
                if side is not None:
                    named = {x.col for x in side.left_cols.values()}
                    cols = {**{k: x for k, x in cols.items() if x.col < side.col and x.col not in named},
                            **side.left_cols}
                    last = r
                    continue
            elif not self._row_has(r, self.stop_labels) and self._keep_side_split(row, side):
                row = [x for x in self.sh.row(r) if not self.sh.is_used(x)]
                if not row:  # the right split runs longer than the left one
                    last = r
                    continue
            labels = [x for x in row if x.col < first_amount and not self.sh.is_used(x)]
            values = [x for x in row if x.col >= first_amount and not self.sh.is_used(x)]
            key = None
            label_cell = None
            row_label = ""
            for x in labels:
                k = by_name.get(x.norm)
                if k is not None and k not in taken:
                    key, label_cell, row_label = k, x, x.text
                    break
            only = sec.fund_rows[0] if len(sec.fund_rows) == 1 else None
            if key is None and not labels and values and only is not None and only.key not in taken:
                key, row_label = only.key, only.label  # 重庆: one row, no column for its label
            if key is None:
                if self._row_has(r, self.stop_labels) or _signoff_row(row):
                    break
                if labels and not values and all(_BREAKDOWN_RE.search(x.text) for x in labels):
                    # "按收入性质分：" heads the rows below; a second one (按支出性质分) splits the same total again
                    for x in labels:
                        self.sh.use(x)
                    if taken - {t.key for t in sec.fund_rows if t.total}:
                        breakdown = labels[-1].text.strip().rstrip(":：")
                    last = r
                    continue
                if breakdown and labels and any(not is_blank_mark(v.text) for v in values):
                    # a row of the second split: kept, not summed a second time, under all its label cells
                    row_label = SEP.join(x.text.strip() for x in labels if x.text.strip())
                    for x in labels:
                        self.sh.use(x)
                    for hx in [*cols.values(), *extra_cols]:
                        x = self.sh.get(r, hx.col)
                        if x is None or self.sh.is_used(x):
                            continue
                        self.sh.use(x)
                        val = self._value(x)
                        if val and not is_blank_mark(val):
                            self.keep(x, SEP.join(display_label(t) for t in (breakdown, row_label, hx.text)), val)
                    last = r
                    continue
                if labels and any(not is_blank_mark(v.text) for v in values):
                    if not shows_extra_fund_rows(self.fd):
                        break  # a block without row labels (重庆) cannot show an extra row: its cells go to 附加内容
                    label_cell = labels[-1]
                    row_label = label_cell.text
                    key = extra_fund_key(self.form, self.fd.funds, label_cell.text)
                    self.problem(label_cell, f"资金行“{_short(label_cell.text)}”不在模板“{self.template.name}”中，"
                                             "已作为附加行保留")
                elif not row:
                    continue
                else:
                    break
            for x in labels:
                if x is label_cell or not x.norm:  # a lone "其中：" cell says nothing more
                    self.sh.use(x)
            taken.add(key)
            if label_cell is not None:
                label_cells[key] = label_cell
            last = r
            cells = self.form.funds.setdefault(key, {})
            for ck, hx in cols.items():
                x = self.sh.get(r, hx.col)
                if x is None:
                    continue
                self.sh.use(x)
                val = self._value(x)
                if val and not is_blank_mark(val):
                    if ck in percent_cols and "%" not in val and parse_decimal(val) is not None:
                        val += "%"  # 执行率(%) | 98: the header says the figure is a percentage
                    cells[ck] = val
            for hx in extra_cols:
                x = self.sh.get(r, hx.col)
                if x is None:
                    continue
                self.sh.use(x)
                val = self._value(x)
                if val and not is_blank_mark(val):
                    self.keep(x, f"{display_label(row_label)}{SEP}{display_label(hx.text)}", val)
            if not cells:
                self.form.funds.pop(key, None)
        self.cursor = max(self.cursor, last + 1)
        for key in nest_sub_rows(sec, self.form):
            self.problem(label_cells.get(key, self.b.anchor),
                         f"资金行“{_short(key)}”是上一个“其中”行的组成部分（按金额判断），未计入合计行的核对，"
                         f"已保留在本表的“{EXTRAS}”中")
        # "预算执行情况(20分)": the block states the 执行率 分值 the sheet has no column for
        stated = split_weight(label.text)[1] if label is not None else None
        total = sec.total_fund_row
        if stated is not None and total is not None and "分值" not in self.form.funds.get(total.key, {}):
            self.form.funds.setdefault(total.key, {})["分值"] = f"{stated.normalize():f}"

    def _side_split(self, row: list[XCell], first_amount: int, amap: dict[str, str]) -> _SideSplit | None:
        """A heading row of two splits side by side, ``按收入性质分 | … | 按支出性质分 | …``, as the central
        部门整体 form prints its fund rows: the left split is read as the form's fund rows (its amounts under
        the column labels this row repeats, else under the block's header), the right one is kept."""
        heads = [x for x in row if not self.sh.is_used(x) and x.text and _SPLIT_RE.search(x.text)]
        left = [x for x in heads if x.col < first_amount]
        right = [x for x in heads if x.col >= first_amount]
        if not left or not right:
            return None
        split = _SideSplit(col=right[0].col, heading=right[0].text.strip().rstrip(":："))
        for x in row:
            if self.sh.is_used(x):
                continue
            key = amap.get(x.norm)
            if key is not None and key in AMOUNT_COLUMNS:
                (split.left_cols if x.col < split.col else split.right_cols)[key] = x
            if x.text and not _SPLIT_RE.search(x.text) and key is None:
                continue
            self.sh.use(x)
        return split

    def _keep_side_split(self, row: list[XCell], side: _SideSplit) -> bool:
        """Keep the cells of the right split of a side-by-side row in 附加内容, each under the split's heading,
        its row label and its column; True when the row had any."""
        right = [x for x in row if x.col >= side.col and not self.sh.is_used(x)]
        if not right:
            return False
        label: XCell | None = None
        kept = False
        names = {x.col: x.text for x in side.right_cols.values()}
        for x in right:
            self.sh.use(x)
            val = self._value(x)
            if not val or is_blank_mark(val):
                continue
            if label is None and parse_decimal(val) is None:
                label = x
                continue
            parts = [side.heading, label.text if label is not None else "", names.get(x.col, "")]
            self.keep(x, SEP.join(display_label(t) for t in parts if t), val)
            kept = True
        if label is not None and not kept:  # a row label with no figure beside it
            self.keep(label, side.heading, label.text)
        return True

    def _texts(self, sec: Section) -> None:
        found_any = False
        label_names = column_map("text_column", sec.columns)
        label_set = set(label_names) | self.stop_labels
        block: dict[str, str] = {}
        start = self.cursor
        for c in sec.columns:
            names = {n for n, k in label_names.items() if k == c.key}
            x = self.find(names, start) or self.find(names)
            if x is None:
                continue
            if not found_any:
                self._use_section_label(sec, x.row)
            found_any = True
            self.sh.use(x)
            val = None
            for r in self.rows(x.row + 1)[:3]:
                y = self.sh.get(r, x.col)
                if y is not None:
                    if y.norm not in label_set and not self.sh.is_used(y):
                        val = y
                    break
            if val is None:
                val = self._value_right(x, label_set)
            if val is not None:
                self.sh.use(val)
                if val.text:
                    block[c.key] = val.text
                self.cursor = max(self.cursor, val.row + 1)
            else:
                self.cursor = max(self.cursor, x.row + 1)
        for tr in sec.text_rows:  # a group's own label (四川 "1.项目年度目标完成情况")
            if tr.label and found_any:
                self._use_label(normalize_label(tr.label), start)
        if block:
            self.form.texts[sec.key] = block

    def _items(self, sec: Section) -> None:
        amap = column_map("indicator_column", [c for c in sec.columns if c.key != "项目"])
        hr = self._find_header(amap, set(), 2)
        block = default_items(sec)
        self.form.items[sec.key] = block
        if hr is None:
            self.problem(self.b.anchor, f"没有找到“{sec.label or sec.key}”表头，此部分按默认分值导入")
            return
        cols = self._colmap(hr, amap)
        for x in cols.values():
            self.sh.use(x)
        self._use_section_label(sec, hr)
        names = {normalize_label(it.name): it.name for it in sec.items}
        value_cols = {x.col for x in cols.values()}
        last = hr
        for r in self.rows(hr + 1):
            row = self.sh.row(r)
            name = None
            for x in row:
                if x.col not in value_cols and x.norm in names:
                    name = names[x.norm]
                    self.sh.use(x)
                    break
            if name is None:
                break
            last = r
            for ck, hx in cols.items():
                x = self.sh.get(r, hx.col)
                if x is None:
                    block[name].pop(ck, None)
                    continue
                self.sh.use(x)
                val = self._value(x)
                if val:
                    block[name][ck] = val
                else:
                    block[name].pop(ck, None)
        self.cursor = max(self.cursor, last + 1)

    def _table(self, sec: Section) -> None:
        amap = column_map("text_column", sec.columns)
        need = {c.key for c in sec.columns[:1]}
        hr = self._find_header(amap, need, 2)
        if hr is None:
            return
        cols = self._colmap(hr, amap)
        for x in cols.values():
            self.sh.use(x)
        self._use_section_label(sec, hr)
        rows = []
        last = hr
        col_set = {x.col for x in cols.values()}
        for r in self.rows(hr + 1):
            if self._row_has(r, self.stop_labels - set(amap)) or _signoff_row(self.sh.row(r)):
                break
            row_cells = [x for x in self.sh.row(r) if not self.sh.is_used(x)]
            if not row_cells:
                continue
            if not any(x.col in col_set for x in row_cells):
                break
            rec = {}
            for ck, hx in cols.items():
                x = self.sh.get(r, hx.col)
                if x is not None:
                    self.sh.use(x)
                    v = self._value(x)
                    if v:
                        rec[ck] = v
            rows.append(rec)
            last = r
        while rows and not rows[-1]:
            rows.pop()
        if rows:
            self.form.tables.setdefault(sec.key, []).extend(rows)
        self.cursor = max(self.cursor, last + 1)

    def _indicators(self, sec: Section) -> None:
        own = {c.key for c in sec.columns}
        components = [k for k in COMPONENT_COLUMNS if k not in own]
        amap = column_map("indicator_column", sec.columns, components)
        hr = self._find_header(amap, {"三级指标"}, 3)
        if hr is None:
            self.problem(self.b.anchor, "没有找到绩效指标表头（一级指标、二级指标、三级指标），指标未导入")
            return
        cols = self._colmap(hr, amap)
        for x in cols.values():
            self.sh.use(x)
        first_col = min(x.col for x in cols.values())
        names = section_labels(sec) | vocabulary().normalized("section", "indicators")
        for r in self.rows(hr):
            for x in self.sh.row(r):
                if x.norm in names and x.col < first_col:
                    self.sh.use(x)
            if r > hr + 1:
                break
        extra_cols = self._extra_columns(hr, first_col)
        levels = {lv.name: lv for lv in sec.levels}
        lv1_col = cols.get("一级指标")
        lv2_col = cols.get("二级指标")
        weight_col = cols["分值"].col if "分值" in cols else (cols["得分"].col if "得分" in cols else MAX_COLS + 1)
        totals = vocabulary().normalized("section", "total")
        header_keys = {"一级指标", "三级指标"}
        ends = self._indicator_block_ends()
        name_col = cols["三级指标"].col if "三级指标" in cols else first_col
        cur1 = cur2 = ""
        last = hr
        for r in self.rows(hr + 1):
            row = self.sh.row(r)
            if any(x.norm in totals for x in row if x.col < weight_col) or _signoff_row(row):
                break
            if any(amap.get(x.norm) in header_keys for x in row) or any(x.norm == EXTRAS for x in row):
                break  # a repeated header (a new form without its name row), or our 附加内容 block
            if any(x.norm in ends for x in row if x.col <= name_col):
                break  # a later block's label (四川 评价结论 right below the last indicator, no 合计 row)
            cells: dict[str, str] = {}
            parts: dict[str, str] = {}
            unknown: list[tuple[XCell, XCell]] = []
            explicit1 = explicit2 = False
            for ck, hx in cols.items():
                x = self.sh.get(r, hx.col)
                if x is None:
                    continue
                self.sh.use(x)
                v = self._value(x)
                if v and ck == "一级指标":
                    explicit1 = True
                    if level_name(v) != level_name(cur1):
                        cur2 = ""
                    cur1 = v
                elif v and ck == "二级指标":
                    explicit2 = True
                    cur2 = v
                elif v and ck in components:
                    parts[ck] = v
                elif v:
                    cells[ck] = v
            for hx in extra_cols:
                x = self.sh.get(r, hx.col)
                if x is not None and not self.sh.is_used(x):
                    self.sh.use(x)
                    if x.text and not is_blank_mark(x.text):
                        unknown.append((hx, x))
            for x in row:
                if x.col < first_col and x.norm in names:
                    self.sh.use(x)
            if not cells and not parts and not unknown and not explicit1 and not explicit2:
                if row and any(not self.sh.is_used(x) for x in row):
                    break
                continue
            last = r
            ind = Indicator({"一级指标": cur1} if cur1 else {})
            if cur2:
                ind.cells["二级指标"] = cur2
            ind.cells.update(cells)
            if parts:
                fold_value_columns(ind.cells, parts.get("指标性质", ""), parts.get("度量单位", ""))
            name = ind.get("三级指标").strip() or f"第{len(self.form.indicators) + 1}条指标"
            for hx, x in unknown:
                self.keep(x, f"{_short(name)}{SEP}{display_label(hx.text)}", x.text)
            l1 = level_name(cur1)
            if cur1 and l1 not in levels and lv1_col is not None and explicit1:
                self.problem(self.sh.get(r, lv1_col.col), f"一级指标“{_short(cur1)}”不在模板“{self.template.name}”中")
            elif l1 in levels and cur2 and explicit2 and lv2_col is not None and levels[l1].level2 \
                    and level_name(cur2) not in levels[l1].level2:
                self.problem(self.sh.get(r, lv2_col.col), f"二级指标“{_short(cur2)}”不属于一级指标“{l1}”")
            self.form.indicators.append(ind)
        self.cursor = max(self.cursor, last + 1)

    def _indicator_block_ends(self) -> frozenset[str]:
        """Labels that end the indicator rows: those of a block printed below the grid (四川's
        评价结论 / 存在问题 / 改进措施) by this or any installed template."""
        ends = {normalize_label(t) for t in known_trailing_labels(self.template)}
        ends.discard("")
        return frozenset(ends)

    def _total(self, sec: Section) -> None:
        ind = self.fd.indicators
        assert ind is not None
        amap = column_map("indicator_column", ind.columns)
        x = self.find(section_labels(sec) | vocabulary().normalized("section", "total"), self.cursor)
        if x is None:
            return
        self.sh.use(x)
        cols: dict[str, XCell] = {}
        for r in reversed([r for r in self.rows() if r < x.row]):
            found = self._colmap(r, amap)
            if len(found) >= 3 and "得分" in found:
                cols = found
                break
        right = [y for y in self.sh.row(x.row) if y.col > x.col and not self.sh.is_used(y)]
        score = cols.get("得分")
        weight = cols.get("分值")
        taken = False
        for y in right:
            if score is not None and y.col == score.col:
                self.sh.use(y)
                v = self._value(y)
                if v and not is_blank_mark(v):
                    self.form.total = v
                taken = True
            elif weight is not None and y.col == weight.col:
                self.sh.use(y)
                v = self._value(y)
                if v and not is_blank_mark(v):
                    self.weight_checks.append(_Check(y, f"{display_label(x.text)}{SEP}{display_label(weight.text)}", v))
            elif is_blank_mark(y.text):
                self.sh.use(y)
        if not taken:  # "总分(100分) | 100 | 自评等级 | 优": the figure right after the label
            first = next((y for y in right if not self.sh.is_used(y)), None)
            if first is not None and parse_decimal(first.text) is not None:
                self.sh.use(first)
                self.form.total = first.text
        self.cursor = max(self.cursor, x.row + 1)

    def _check_weights(self) -> None:
        if not self.weight_checks:
            return
        res = score_form(self.template, self.fd, self.form)
        for chk in self.weight_checks:
            typed = parse_decimal(chk.value)
            if typed is None or fmt2(typed) != fmt2(res.weight_total):
                self.keep(chk.cell, chk.label, chk.value)


# a heading over fund rows that split the total one way: "按收入性质分：", "其中：", "按支出性质分"
_SPLIT_RE = re.compile(r"^\s*按.{1,8}分\s*[:：]?\s*$")  # 按收入性质分, 按支出性质分: a split of the total


@dataclass
class _SideSplit:
    """The right one of two fund splits printed side by side: where it starts, its heading, and the amount
    columns its heading row names on either side."""

    col: int
    heading: str
    left_cols: dict[str, XCell] = field(default_factory=dict)
    right_cols: dict[str, XCell] = field(default_factory=dict)


# a heading row over fund rows: 按收入性质分：, 按支出性质分, 按资金来源分类：, a lone 其中：
# (any other text ending in a colon is a row of its own: kept, never consumed as a heading)
_BREAKDOWN_RE = re.compile(r"^\s*(?:按.{1,10}?分类?|其中)\s*[:：]?\s*$")


def _signoff_row(row: list[XCell]) -> bool:
    """A sign-off line (of any installed template: 四川's 项目负责人 ends a national form too)."""
    names = signoff_names(known_signoff_labels())
    return any(any(x.norm.startswith(n) for n, _ in names) for x in row)


def _short(text: str, n: int = 20) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[:n] + "…"

