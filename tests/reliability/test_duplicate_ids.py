"""Form and indicator ids are how the app, the findings and our Excel export's
hidden data find a form. A file whose forms share an id (copied by hand, made
by another program) gets fresh ids for the repeats when it is read, so
selecting form 2 shows form 2 and an export → import keeps both."""

from __future__ import annotations

import json

import pytest

from jixiao.core.fileio import document_to_data, load_document, save_document
from jixiao.core.interchange import document_to_json

from .support import generate_document


def _doc_with_repeated_ids():
    doc = generate_document(projects=3, indicators=4)
    a, b, c = doc.projects
    a.header["项目名称"], b.header["项目名称"], c.header["项目名称"] = "项目甲", "项目乙", "项目丙"
    b.id = c.id = a.id  # three forms, one id
    for ind in b.indicators:
        ind.id = a.indicators[0].id  # and indicator ids repeated within and across forms
    return doc


@pytest.mark.parametrize("kind", ["jxzp", "interchange"])
def test_repeated_ids_are_made_unique_on_load(tmp_path, kind):
    doc = _doc_with_repeated_ids()
    first_id = doc.projects[0].id
    data = document_to_data(doc) if kind == "jxzp" else document_to_json(doc, native=True)
    if kind == "interchange":
        data = {k: v for k, v in data.items() if k != "format"}
    path = tmp_path / f"dup.{'jxzp' if kind == 'jxzp' else 'json'}"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    back = load_document(path)
    ids = [f.id for f in back.forms]
    assert len(set(ids)) == len(ids)
    assert [f.name for f in back.projects] == ["项目甲", "项目乙", "项目丙"]  # order and content kept
    assert back.projects[0].id == first_id  # the first keeps its id: links and selections stay valid
    ind_ids = [i.id for f in back.forms for i in f.indicators]
    assert len(set(ind_ids)) == len(ind_ids)
    assert back.form_by_id(back.projects[1].id).name == "项目乙"


def test_export_import_keeps_every_form(tmp_path):
    """Even when the document in memory still has repeated ids, each sheet comes back as its own form."""
    from jixiao.excel.reader import read_workbook
    from jixiao.excel.writer import write_workbook

    doc = _doc_with_repeated_ids()
    doc.projects[1].set("goals.实际完成情况", "乙的完成情况")
    write_workbook(doc, tmp_path / "dup.xlsx")
    result = read_workbook(tmp_path / "dup.xlsx")
    back = result.document
    assert result.used_metadata
    assert [f.name for f in back.projects] == ["项目甲", "项目乙", "项目丙"]
    assert back.projects[1].get("goals.实际完成情况") == "乙的完成情况"
    assert len({f.id for f in back.forms}) == len(back.forms)
    # and through a saved file, as the officer would do it
    save_document(doc, tmp_path / "dup.jxzp")
    reopened = load_document(tmp_path / "dup.jxzp")
    write_workbook(reopened, tmp_path / "dup2.xlsx")
    assert [f.name for f in read_workbook(tmp_path / "dup2.xlsx").document.projects] == ["项目甲", "项目乙", "项目丙"]


def test_selecting_form_2_shows_and_edits_form_2(gui_window, tmp_path):
    path = tmp_path / "dup.jxzp"
    path.write_text(json.dumps(document_to_data(_doc_with_repeated_ids()), ensure_ascii=False), encoding="utf-8")
    w = gui_window
    assert w.files.open_file(path, ask_save=False)
    doc = w.session.doc
    second = doc.projects[1]
    w.show_form(second.id)
    assert w.current_form() is second and w.current_form().name == "项目乙"
    w.edit_cell("goals.实际完成情况", "只改乙")
    assert second.get("goals.实际完成情况") == "只改乙"
    assert doc.projects[0].get("goals.实际完成情况") != "只改乙"
    assert doc.projects[2].get("goals.实际完成情况") != "只改乙"
