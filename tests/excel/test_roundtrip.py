"""Export → import → export: nothing lost, on every seed form and bundled example."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from jixiao.core.extras import add_extra, shows_extra_fund_rows
from jixiao.core.fields import parse_path
from jixiao.core.fileio import load_document
from jixiao.core.interchange import document_to_json
from jixiao.core.model import Document, iter_paths, new_document
from jixiao.core.templates import available_templates
from jixiao.excel.common import META_SHEET
from jixiao.excel.reader import read_workbook
from jixiao.excel.writer import write_workbook
from tests.excel.helpers import NOT_DOCUMENTS, SEEDS, bundle, example_files, seed_files

DOCS = seed_files() + example_files()


def visible_values(path: Path) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()]
            for ws in wb.worksheets if ws.sheet_state == "visible"}


def strip_metadata(src: Path, dst: Path) -> None:
    wb = openpyxl.load_workbook(src)
    del wb[META_SHEET]
    wb.save(dst)


def test_every_seed_transcription_is_round_tripped():
    seeds = {p.name for p in SEEDS.glob("*.json")}
    assert {p.name for p in seed_files()} == seeds - NOT_DOCUMENTS
    assert NOT_DOCUMENTS <= seeds  # the exception names a real file


@pytest.mark.parametrize("path", seed_files(), ids=[p.name for p in seed_files()])
def test_every_seed_form_loads(path):
    doc = load_document(path)
    assert doc.forms, path.name


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_round_trip_is_exact(path, tmp_path):
    doc = load_document(path)
    a = tmp_path / "a.xlsx"
    write_workbook(doc, a)
    res = read_workbook(a)
    assert res.problems == []
    assert res.used_metadata
    assert document_to_json(res.document, native=True) == document_to_json(doc, native=True)
    b = tmp_path / "b.xlsx"
    write_workbook(res.document, b)
    assert visible_values(a) == visible_values(b)


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_round_trip_by_labels_alone(path, tmp_path):
    """Without the hidden data the visible sheets alone give the same forms."""
    doc = load_document(path)
    a = tmp_path / "a.xlsx"
    write_workbook(doc, a)
    bare = tmp_path / "bare.xlsx"
    strip_metadata(a, bare)
    res = read_workbook(bare)
    assert not res.used_metadata
    assert res.template_id == doc.template_id
    assert res.document.year == doc.year and res.document.unit == doc.unit
    assert len(res.document.forms) == len(doc.forms)
    b = tmp_path / "b.xlsx"
    write_workbook(res.document, b)
    va, vb = visible_values(a), visible_values(b)
    for title in va:
        for i, (ra, rb) in enumerate(zip(va[title], vb[title], strict=True)):
            assert ra == rb, (title, i + 1)
    assert [len(v) for v in va.values()] == [len(v) for v in vb.values()]


def test_edits_made_in_excel_are_honoured(xinjiang_doc, tmp_path):
    a = tmp_path / "a.xlsx"
    write_workbook(xinjiang_doc, a)
    wb = openpyxl.load_workbook(a)
    ws = wb["部门整体"]
    ws["E6"] = 3600  # 全年执行数 of 年度总资金
    ws["G13"] = "15"  # a 分值 typed as text
    cells = {c.value: c for r in ws.iter_rows() for c in r if isinstance(c.value, str)}
    cells["单位负责人："].value = "单位负责人：张三"
    unit_cell = next(c for v, c in cells.items() if v.startswith("填报单位") and v.endswith(xinjiang_doc.unit))
    unit_cell.value = "填报单位（盖章）：新单位"
    wb.save(a)
    res = read_workbook(a)
    assert res.used_metadata and res.problems == []
    dep = res.document.department
    assert dep.funds["年度总资金"]["全年执行数"] == "3600"
    assert dep.indicators[0].get("分值") == "15"
    assert res.document.signoff["单位负责人"] == "张三"
    assert res.document.unit == "新单位"
    # untouched cells keep exactly what was typed, ids included
    orig = xinjiang_doc.department
    assert dep.id == orig.id and dep.indicators[1].id == orig.indicators[1].id
    assert dep.funds["年度总资金"]["全年预算数"] == orig.funds["年度总资金"]["全年预算数"] == "3,628.92"


def test_structure_edits_fall_back_to_labels(xinjiang_doc, tmp_path):
    a = tmp_path / "a.xlsx"
    write_workbook(xinjiang_doc, a)
    wb = openpyxl.load_workbook(a)
    ws = wb.worksheets[1]
    ws.insert_rows(1, 2)  # the officer added two title rows
    ws["A1"] = "附件3"  # a caption, taken like the title
    ws["A2"] = "调整说明：增加两行"  # a note: kept in the form's 附加内容
    wb.save(a)
    res = read_workbook(a)
    form = res.document.forms[1]
    assert form.name == xinjiang_doc.forms[1].name
    orig = xinjiang_doc.forms[1].indicators
    assert [i.get("三级指标") for i in form.indicators] == [i.get("三级指标") for i in orig]
    assert [i.get("实际完成值") for i in form.indicators] == [i.get("实际完成值") for i in orig]
    assert form.id == xinjiang_doc.forms[1].id
    assert not any("附件3" in p for p in res.problems)
    assert form.tables["附加内容"] == [{"栏目": "调整说明", "内容": "增加两行"}]
    assert any("调整说明" in p and "A2" in p for p in res.problems)
    # the other sheets still come from the hidden data, exactly
    assert document_to_json(res.document, native=True)["forms"][0] == \
        document_to_json(xinjiang_doc, native=True)["forms"][0]


def test_metadata_never_beats_visible_cells(tmp_path):
    doc = bundle("s002_p01.json")
    a = tmp_path / "a.xlsx"
    write_workbook(doc, a)
    wb = openpyxl.load_workbook(a)
    ws = wb.worksheets[0]
    target = next(c for r in ws.iter_rows() for c in r if c.value == doc.projects[0].indicators[0].get("三级指标"))
    target.value = "改过的指标"
    wb.save(a)
    res = read_workbook(a)
    assert res.document.projects[0].indicators[0].get("三级指标") == "改过的指标"


def test_import_with_explicit_template(tmp_path):
    doc = bundle("s004_p_kepu_huodong.json")
    a = tmp_path / "a.xlsx"
    write_workbook(doc, a)
    res = read_workbook(a, template_id="henan")
    assert res.template_id == "henan" and res.used_metadata
    from jixiao.excel.reader import ExcelImportError

    with pytest.raises(ExcelImportError, match="未知的模板"):
        read_workbook(a, template_id="nowhere")


def filled_document(template_id: str) -> Document:
    """A new document of the template with every input typed (figures the engine would not
    compute, so none is forgotten as redundant), an extra fund row and a 附加内容 row."""
    doc = new_document(template_id, "某某局", 2024, projects=2)
    for form in doc.forms:
        fd = doc.template.form(form.kind)
        form.tables.update({s.key: [{}, {}] for s in fd.sections if s.type == "table"})
        for n, path in enumerate(iter_paths(form, fd)):
            fp = parse_path(path)
            col = fp.column
            if col in ("一级指标", "二级指标"):
                continue
            if fp.kind == "fund":
                value = {"分值": "10", "执行率": "88.88%", "得分": "7.5"}.get(col, f"{n}.5")
                if col == "执行率" and not fd.funds.rate_percent_sign:
                    value = "88.88"
                if col in ("分值", "得分") and not fd.funds.fund_rows[0].key == fp.row:
                    continue
            elif fp.kind == "indicator":
                typed = {"年度指标值": "≥10个", "实际完成值": "9个", "分值": "5", "得分": "3", "偏差度": "-12%"}
                value = typed.get(col, f"文字{n}")
            elif fp.kind == "item":
                value = {"分值": "5", "得分": "4"}.get(col, f"说明{n}")
            elif fp.kind == "total":
                value = "66"
            else:
                value = f"内容{n}"
            form.set(path, value)
        first = fd.indicators.levels[0] if fd.indicators.levels else None
        for ind in form.indicators:  # a 一级 written with its weight, as 安徽 prints it
            if first is not None and ind.level1 == first.name:
                ind.set("一级指标", f"{first.name}（{first.weight or 30}分）")
        if shows_extra_fund_rows(fd):  # (重庆's one-row block has no label column: no extra rows there)
            form.funds["自筹资金"] = {"全年预算数": "1.5", "全年执行数": "1"}
        add_extra(form, "项目类别", "部门预算项目")
        add_extra(form, "", "没有栏目名的一段说明")
    return doc


@pytest.mark.parametrize("template_id", [t.id for t in available_templates()])
def test_every_template_round_trips_through_excel(template_id, tmp_path):
    """new → fill → export → import gives the same document, with the hidden data and by the labels alone."""
    doc = filled_document(template_id)
    a = tmp_path / "a.xlsx"
    write_workbook(doc, a)
    res = read_workbook(a)
    assert res.used_metadata and res.problems == []
    assert document_to_json(res.document, native=True) == document_to_json(doc, native=True)
    bare = tmp_path / "bare.xlsx"
    strip_metadata(a, bare)
    res = read_workbook(bare)
    assert not res.used_metadata and res.template_id == template_id
    assert document_to_json(res.document, native=False) == document_to_json(doc, native=False)
    assert [p for p in res.problems if "汇总表" not in p and "附加行" not in p] == []


COMPUTED = ("执行率", "得分", "得分系数", "偏差度")  # the columns the grid computes until the officer types one


def inputs_only_document(template_id: str) -> Document:
    """A document of the template with every input typed and every computed figure left to the engine
    (执行率, 得分, 得分系数, 偏差度, 总分): the workbook shows the engine's figures in those cells."""
    doc = filled_document(template_id)
    for form in doc.forms:
        form.total = ""
        for row in form.funds.values():
            for col in ("执行率", "得分"):
                row.pop(col, None)
        for ind in form.indicators:
            for col in COMPUTED:
                ind.cells.pop(col, None)
            if "指标性质" in ind.cells:  # 四川, 重庆: operator and unit in their own columns, so the rule scores
                ind.cells.update({"指标性质": "≥", "年度指标值": "10", "度量单位": "个", "实际完成值": "9"})
            ind.cells.pop("调整指标值", None)  # (重庆: the adjusted target, scored against when typed)
    return doc


def _bare_round_trip(doc: Document, tmp_path: Path):
    a = tmp_path / "a.xlsx"
    write_workbook(doc, a)
    bare = tmp_path / "bare.xlsx"
    strip_metadata(a, bare)
    res = read_workbook(bare)
    assert not res.used_metadata and res.template_id == doc.template_id
    return res.document


@pytest.mark.parametrize("template_id", [t.id for t in available_templates()])
def test_computed_figures_come_back_computed_by_labels_alone(template_id, tmp_path):
    """The figures the export printed for the engine (得分系数 included) are not read back as typed."""
    doc = inputs_only_document(template_id)
    again = _bare_round_trip(doc, tmp_path)
    assert document_to_json(again, native=False) == document_to_json(doc, native=False)


@pytest.mark.parametrize("template_id", [t.id for t in available_templates()])
def test_typed_figures_equal_to_the_engines_are_forgotten_alike(template_id, tmp_path):
    """A typed 得分, 得分系数, 偏差度, 执行率 or 总分 that equals the engine's figure, as printed, is forgotten
    on a label-only import, one column like another; one that differs stays typed."""
    from jixiao.core.layout import form_grid

    doc = inputs_only_document(template_id)
    typed_paths = []
    for form in doc.forms:  # type every computed cell exactly as the grid prints it
        for cell in form_grid(doc, form).cells:
            if cell.role == "override" and cell.path and cell.suggestion:
                form.set(cell.path, cell.suggestion)
                typed_paths.append(cell.path)
    assert any(p.endswith(".得分") for p in typed_paths) and any(p == "总分" for p in typed_paths)
    if template_id == "chongqing":
        assert any(p.endswith(".得分系数") for p in typed_paths)
    again = _bare_round_trip(doc, tmp_path)
    assert document_to_json(again, native=False) == document_to_json(inputs_only_document(template_id),
                                                                      native=False)
    # a figure that differs from the engine's is the officer's own: kept
    form = doc.forms[0]
    form.indicators[0].set("得分", "1.11")
    again = _bare_round_trip(doc, tmp_path)
    assert again.forms[0].indicators[0].get("得分") == "1.11"


def test_a_field_only_the_summary_prints_edited_in_excel_is_kept(tmp_path):
    """河南's 单位编码 is printed on the 汇总表 sheet alone: an officer's edit there is the new value."""
    doc = load_document(next(p for p in example_files() if p.name.startswith("三门峡")))
    a = tmp_path / "a.xlsx"
    write_workbook(doc, a)
    wb = openpyxl.load_workbook(a)
    ws = wb["汇总表"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "310001")
    cell.value = "310009"
    wb.save(a)
    res = read_workbook(a)
    codes = [f.header.get("单位编码") for f in res.document.projects]
    before = [f.header.get("单位编码") for f in doc.projects]
    changed = [i for i, (x, y) in enumerate(zip(before, codes, strict=True)) if x != y]
    assert len(changed) == 1 and codes[changed[0]] == "310009"
