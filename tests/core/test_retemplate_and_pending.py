"""core/retemplate.py (文档属性 › 地区) and Finding.pending (待填)."""

from __future__ import annotations

from pathlib import Path

from jixiao.core.fields import describe, parse_path, signoff_path
from jixiao.core.fileio import load_document
from jixiao.core.layout import form_grid
from jixiao.core.model import new_document
from jixiao.core.retemplate import change_template
from jixiao.core.validation import validate_document

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"


def _doc():
    doc = load_document(SEEDS / "s002_department.json")
    doc.forms.extend(load_document(SEEDS / "s002_p01.json").forms)
    return doc


def test_change_template_lists_what_cannot_move_and_keeps_the_rest():
    doc = _doc()
    ch = change_template(doc, "henan")
    assert doc.template_id == "xinjiang"  # the original is untouched
    new = ch.doc
    assert new.template_id == "henan" and [f.id for f in new.forms] == [f.id for f in doc.forms]
    p_old, p_new = doc.projects[0], new.projects[0]
    assert [i.id for i in p_new.indicators] == [i.id for i in p_old.indicators]
    assert p_new.funds["年度资金总额"] == p_old.funds["年度资金总额"]  # the total row to the total row
    assert p_new.header == p_old.header and p_new.texts == p_old.texts
    # 当年财政拨款 has no row in 河南: each of its values is listed, by name and value
    lost = [x for x in ch.lost if "当年财政拨款" in x]
    assert len(lost) == sum(1 for v in p_old.funds["当年财政拨款"].values() if v)
    assert lost[0].startswith("项目1“") and "：" in lost[0]
    # the department's 一级 are 新疆's: kept as typed, and said so
    assert any("不在新模板的指标体系中" in x for x in ch.notes)
    assert "资金管理情况" in p_new.items  # the new template's block, with its default weights
    validate_document(new)  # never raises


def test_change_template_back_and_forth_loses_nothing_the_target_has():
    doc = _doc()
    there = change_template(doc, "national").doc
    back = change_template(there, "xinjiang")
    assert not back.lost
    assert [f.funds for f in back.doc.forms] == [f.funds for f in doc.forms]


def test_signoff_paths_are_document_fields_on_the_grid():
    doc = new_document("xinjiang", "某单位", 2024)
    doc.signoff["填表人"] = "王五"
    g = form_grid(doc, doc.forms[0])
    cell = g.by_path()[signoff_path("填表人")]
    assert cell.text == "填表人：王五" and cell.raw == "王五" and cell.role == "note"
    fp = parse_path(signoff_path("填表人"))
    assert (fp.kind, fp.section, fp.column) == ("document", "signoff", "填表人")
    assert describe(None, None, signoff_path("填表人")) == "签字栏 · 填表人"


def test_pending_marks_what_is_still_empty():
    doc = new_document("national", "某单位", 2024)
    found = validate_document(doc)
    assert found and all(f.pending for f in found)
    assert {f.code for f in found} <= {"required-missing", "weight-sum"}
    assert all("pending" in f.to_dict() for f in found)
    # a contradiction is not pending
    form = doc.projects[0]
    form.set("funds.年度资金总额.全年预算数", "100")
    form.set("funds.当年财政拨款.全年预算数", "80")
    mismatch = [f for f in validate_document(doc) if f.code == "fund-total-mismatch"]
    assert mismatch and not any(f.pending for f in mismatch)
    # 分值 that do not add up once every indicator has one: a real error
    seeded = _doc()
    seeded.projects[0].set("indicators[0].分值", "1")
    ws = [f for f in validate_document(seeded) if f.code == "weight-sum"]
    assert ws and not ws[0].pending
