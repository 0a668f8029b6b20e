"""Merging the units' files into the department's document."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from jixiao.core.fileio import load_document
from jixiao.core.interchange import form_to_json
from jixiao.core.layout import summary_grid
from jixiao.core.merge import MergeError, UnitFile, merge_units, unit_name
from jixiao.core.model import Document
from jixiao.core.validation import validate_document

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.jxzp"))


def content(doc: Document, form) -> dict:
    """A form's data as the interchange file holds it, without ids and provenance."""
    data = form_to_json(doc.template.form(form.kind), form, with_ids=False)
    data.pop("origin", None)
    return data


def split_by_unit(doc: Document) -> list[UnitFile]:
    """The example as its units would send it: one file per 实施单位 (the 部门整体 with the first)."""
    units: dict[str, list] = {}
    for f in doc.projects:
        units.setdefault(f.header["实施单位"], []).append(f)
    out = []
    for i, (unit, forms) in enumerate(units.items()):
        part = copy.deepcopy(doc)
        part.unit = unit
        part.forms = ([copy.deepcopy(doc.department)] if i == 0 and doc.department else []) + copy.deepcopy(forms)
        out.append(UnitFile(f"单位{i + 1}.jxzp", part))
    return out


def two_units() -> tuple[UnitFile, UnitFile]:
    doc = load_document(next(p for p in EXAMPLES if "乌鲁木齐" in p.name))
    a, b = copy.deepcopy(doc), copy.deepcopy(doc)
    a.unit, b.unit = "甲单位", "乙单位"
    a.forms, b.forms = doc.projects[:3], doc.projects[3:5]
    return UnitFile("甲.jxzp", copy.deepcopy(a)), UnitFile("乙.jxzp", copy.deepcopy(b))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_form_of_every_unit_is_kept_exactly(example):
    original = load_document(example)
    files = split_by_unit(original)
    result = merge_units(files, unit=original.unit)
    merged = result.doc
    assert merged.template_id == original.template_id and merged.year == original.year
    expected = [f for uf in files for f in uf.doc.forms]
    assert [content(merged, f) for f in merged.forms] == [content(original, f) for f in expected]
    for uf in files:
        for f in uf.doc.forms:
            m = merged.form_by_id(f.id)
            assert m is not None and m.origin["unit"] == uf.doc.unit and m.origin["file"] == uf.name
    assert result.added == {uf.doc.unit: len(uf.doc.forms) for uf in files}
    assert not result.identical and not result.same_name
    # the 汇总表 across units: a 小计 per unit and the department's 合计
    totals = [c for c in summary_grid(merged).cells if c.bold and c.text.startswith(("小计", "合计"))]
    n_units = len(files)
    assert len(totals) == (n_units + 1 if n_units > 1 else 1)
    assert totals[-1].text.endswith(f"{len(merged.projects)}个项目）")


def test_a_project_without_its_unit_gets_it():
    a, b = two_units()
    a.doc.projects[0].header.pop("实施单位")
    merged = merge_units([a, b]).doc
    assert merged.projects[0].header["实施单位"] == "甲单位"


def test_an_identical_form_is_merged_once_and_said_so():
    a, b = two_units()
    b.doc.forms.append(copy.deepcopy(a.doc.projects[0]))
    result = merge_units([a, b])
    assert len(result.doc.projects) == 5
    assert result.identical == [f"“{a.doc.projects[0].name}”（乙.jxzp）与单位“甲单位”的表内容完全相同，只保留一份"]
    assert result.identical[0] in result.notes


def test_one_project_name_in_two_units_is_kept_twice_and_flagged():
    a, b = two_units()
    twin = copy.deepcopy(a.doc.projects[0])
    twin.funds["年度资金总额"]["全年执行数"] = "1.00"  # another project, same name
    b.doc.forms.append(twin)
    result = merge_units([a, b])
    name = twin.name
    assert [f.name for f in result.doc.projects].count(name) == 2
    assert result.same_name == [f"项目“{name}”同时出现在单位“甲单位”、单位“乙单位”，各自保留（见校验结果）"]
    flagged = [f for f in validate_document(result.doc) if f.code == "duplicate-name-across-units"]
    assert len(flagged) == 1 and "甲单位" in flagged[0].message
    assert not [f for f in validate_document(result.doc) if f.code == "duplicate-name" and name in f.message]


@pytest.mark.parametrize("change, reason", [
    (lambda d: setattr(d, "template_id", "henan"), "使用“河南”模板，汇总文件是“新疆”模板"),
    (lambda d: setattr(d, "year", 2023), "是 2023 年度的文件，汇总文件是 2024 年度"),
    (lambda d: d.projects[0].funds["年度资金总额"].update({"旧资金列": "3"}), "模板版本与汇总文件不同"),
    (lambda d: setattr(d, "forms", []), "没有任何自评表"),
])
def test_a_file_that_does_not_fit_is_refused_and_nothing_merged(change, reason):
    a, b = two_units()
    change(b.doc)
    with pytest.raises(MergeError) as err:
        merge_units([a, b])
    assert str(err.value).startswith("乙.jxzp：") and reason in str(err.value) and "未合并任何文件" in str(err.value)


def test_an_unplaced_value_is_named():
    a, b = two_units()
    b.doc.projects[1].indicators[0].cells["旧列"] = "旧值"
    with pytest.raises(MergeError, match=r"项目2“.*” · 第1条指标.* · 旧列：“旧值”"):
        merge_units([a, b])


def test_remerging_a_unit_replaces_its_forms_in_place():
    a, b = two_units()
    base = merge_units([a, b]).doc
    base_before = copy.deepcopy(base)
    corrected = copy.deepcopy(a.doc)
    corrected.forms = corrected.forms[:2]  # one project withdrawn
    corrected.projects[0].funds["年度资金总额"]["全年执行数"] = "29.00"
    result = merge_units([UnitFile("甲-更正.jxzp", corrected)], into=base)
    assert result.replaced == {"甲单位": 3} and result.added == {"甲单位": 2}
    assert result.notes[0] == "单位“甲单位”：合并 2 张表（替换了上次合并的 3 张）"
    merged = result.doc
    assert [f.origin["unit"] for f in merged.forms] == ["甲单位", "甲单位", "乙单位", "乙单位"]
    assert merged.projects[0].funds["年度资金总额"]["全年执行数"] == "29.00"
    assert merged.projects[0].origin["file"] == "甲-更正.jxzp"
    assert [content(merged, f) for f in merged.forms[2:]] == [content(base, f) for f in base.forms[3:]]
    assert [content(base, f) for f in base.forms] == [content(base_before, f) for f in base_before.forms]  # untouched


def test_the_departments_own_forms_stay_first():
    own = load_document(next(p for p in EXAMPLES if "乌鲁木齐" in p.name))
    own.forms = own.forms[:2]
    a, b = two_units()
    merged = merge_units([a, b], into=own).doc
    assert merged.forms[:2] == own.forms[:2] and merged.unit == own.unit
    assert "unit" not in merged.forms[0].origin


def test_unit_names_and_the_department_name():
    a, b = two_units()
    assert merge_units([a, b]).doc.unit == "乌鲁木齐市科学技术局"  # the 主管部门 every project names
    a.doc.unit = ""
    assert unit_name(a) == "乌鲁木齐市科学技术局"  # the 实施单位 its projects share
    for p in a.doc.projects:
        p.header["实施单位"] = ""
    assert unit_name(a) == "甲"  # the file's name
    with pytest.raises(MergeError, match="没有要合并的单位文件"):
        merge_units([])
