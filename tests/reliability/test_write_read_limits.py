"""Whatever jixiao writes, it reads back. Opening refuses a document over
MAX_DOCUMENT_BYTES and importing refuses workbooks beyond the limits of
jixiao.excel.safety / jixiao.excel.sheets, so saving and exporting refuse,
before writing anything, what would be refused on the way back – and
everything up to the limit is written and read back."""

from __future__ import annotations

import pytest

from jixiao.core import fileio
from jixiao.core.fileio import DocumentError, load_document, save_document, save_interchange, serialize

from .support import generate_document, report, snapshot


def _doc_of_size(target: int):
    """A document whose saved file is exactly ``target`` bytes (a long ASCII text fills it)."""
    doc = generate_document(projects=1, indicators=2)
    form = doc.projects[0]
    form.set("goals.实际完成情况", "x")
    base = len(serialize(doc))
    form.set("goals.实际完成情况", "x" * (target - base + 1))
    assert len(serialize(doc)) == target
    return doc


@pytest.mark.slow
def test_document_at_the_limit_saves_and_opens_one_byte_more_is_refused(tmp_path, monkeypatch):
    limit = 3 * 1024 * 1024  # the real limit scaled down; the code reads fileio.MAX_DOCUMENT_BYTES
    monkeypatch.setattr(fileio, "MAX_DOCUMENT_BYTES", limit)
    path = tmp_path / "limit.jxzp"
    at = _doc_of_size(limit)
    save_document(at, path)
    assert path.stat().st_size == limit
    assert snapshot(load_document(path)) == snapshot(at)
    over = _doc_of_size(limit + 1)
    before = path.read_bytes()
    with pytest.raises(DocumentError, match="上限") as ei:
        save_document(over, path)
    assert "未保存" in str(ei.value)
    assert path.read_bytes() == before  # nothing written, the file on disk still opens
    assert sorted(p.name for p in tmp_path.iterdir()) == ["limit.jxzp"]  # no temporary file, no .bak
    with pytest.raises(DocumentError, match="上限"):  # the interchange file lacks the template copy: 1 MB more
        save_interchange(_doc_of_size(limit + 1024 * 1024), tmp_path / "over.json")
    assert not (tmp_path / "over.json").exists()


@pytest.mark.slow
def test_the_real_document_limit(tmp_path):
    """64 MiB: the largest file that opens is saved; one byte more is refused before writing."""
    at = _doc_of_size(fileio.MAX_DOCUMENT_BYTES)
    save_document(at, tmp_path / "at.jxzp", backup=False)
    assert load_document(tmp_path / "at.jxzp").projects[0].get("goals.实际完成情况") == \
        at.projects[0].get("goals.实际完成情况")
    del at
    with pytest.raises(DocumentError, match="过大"):
        save_document(_doc_of_size(fileio.MAX_DOCUMENT_BYTES + 1), tmp_path / "over.jxzp")
    assert not (tmp_path / "over.jxzp").exists()
    report(f"document limit: a {fileio.MAX_DOCUMENT_BYTES // 1024 // 1024} MiB document saved and opened; "
           "one byte more refused before writing")


# ---------------------------------------------------------------- the workbook
def _limits(monkeypatch, **values):
    from jixiao.excel import safety, sheets

    for name, value in values.items():
        monkeypatch.setattr(safety if hasattr(safety, name) else sheets, name, value)


def _export_then_import(doc, path):
    from jixiao.excel.reader import read_workbook
    from jixiao.excel.writer import write_workbook

    write_workbook(doc, path)
    return read_workbook(path).document


@pytest.mark.parametrize("limit", ["MAX_SHEETS", "MAX_XML_TAGS", "MAX_CELLS", "MAX_CHARS", "MAX_JSON_TOKENS"])
def test_export_refused_exactly_where_the_import_would_refuse(tmp_path, monkeypatch, limit):
    """Each import limit, lowered so that a document of 3 projects is at it: that export reads back;
    with a 4th project the export is refused before writing (the old file stays)."""
    from jixiao.excel.writer import write_workbook

    small, big = generate_document(projects=3, indicators=4), generate_document(projects=4, indicators=4)
    measures = {}
    for name, doc in (("small", small), ("big", big)):
        p = tmp_path / f"{name}.xlsx"
        write_workbook(doc, p)
        measures[name] = _measure(p)
    assert measures["small"][limit] < measures["big"][limit]
    _limits(monkeypatch, **{limit: measures["small"][limit]})
    path = tmp_path / "out.xlsx"
    path.unlink(missing_ok=True)
    back = _export_then_import(small, path)
    assert [f.name for f in back.forms] == [f.name for f in small.forms]
    before = path.read_bytes()
    with pytest.raises(DocumentError, match="无法再导入|上限") as ei:
        write_workbook(big, path)
    assert path.read_bytes() == before
    assert "拆分" in str(ei.value) or "分批" in str(ei.value), str(ei.value)


def _measure(path) -> dict[str, int]:
    """What the importer counts in a workbook, measured the way it counts."""
    import zipfile

    from jixiao.excel.sheets import json_tokens, load_sheets

    book = load_sheets(path)
    with zipfile.ZipFile(path) as z:
        tags = sum(z.read(n).count(b"<") for n in z.namelist() if n.endswith((".xml", ".rels")))
    chars = sum(len(x.value) for s in book.sheets for x in s.cells.values() if isinstance(x.value, str))
    return {"MAX_SHEETS": len(book.sheets) + 1, "MAX_XML_TAGS": tags,
            "MAX_CELLS": sum(len(s.cells) for s in book.sheets),
            "MAX_CHARS": chars + len(book.meta_raw or ""), "MAX_JSON_TOKENS": json_tokens(book.meta_raw or "")}


@pytest.mark.slow
def test_an_export_of_298_projects_reads_back(tmp_path):
    """The reported case: 298 projects (300 sheets with the 汇总表 and the data sheet)."""
    doc = generate_document(projects=298, indicators=20)
    back = _export_then_import(doc, tmp_path / "298.xlsx")
    assert len(back.projects) == 298
    assert snapshot(back) == snapshot(doc)
    report("Excel round trip at scale: an export of 298 projects × 20 indicators reads back exactly")
