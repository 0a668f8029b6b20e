"""Lone UTF-16 surrogates ("\\ud800") cannot be written as UTF-8 or XML. They
reach Python through JSON escapes, Excel's ``_xD800_`` escapes, the clipboard
and the keyboard; every way in replaces them with U+FFFD (and says so where
there is a place to say it), and every way out (save, autosave, convert,
the workbook) survives one that slipped through."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from xml.etree import ElementTree

import pytest

from jixiao.core.fileio import document_to_data, load_document, save_document, serialize
from jixiao.core.interchange import document_to_json
from jixiao.core.text import REPLACEMENT, clean_text, has_unstorable, scrub

from .support import child_env, generate_document, report

LONE = ["\ud800", "\udfff", "a\udc80b", "\ud83d", "x\ude00"]


def test_clean_text_replaces_only_lone_surrogates():
    assert clean_text("a\ud800b") == "a\ufffdb"
    assert clean_text("👍 正常文字 \U00020000") == "👍 正常文字 \U00020000"  # astral characters are real characters
    text = "普通"
    assert clean_text(text) is text  # no copy on the common path
    data, n = scrub({"k\udfff": ["\ud800", {"x": "ok", "y": "\udc00\udc00"}], "n": 1})
    assert data == {"k\ufffd": ["\ufffd", {"x": "ok", "y": "\ufffd\ufffd"}], "n": 1} and n == 4


def _interchange_with_surrogates(tmp_path, *, native: bool):
    doc = generate_document(projects=1, indicators=4)
    data = document_to_data(doc) if native else document_to_json(doc, native=False)
    data["unit"] = "单位\ud800"
    data["forms"][1]["header"]["项目名称"] = "项目\udfff名称"
    data["forms"][1]["indicators"][0]["三级指标"] = "指标\udc80"
    data["forms"][1]["header"]["自定义\ud801栏"] = "内容"  # a key: kept in 附加内容 (or the header, native)
    path = tmp_path / ("s.jxzp" if native else "s.json")
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")  # "\ud800" as a JSON escape
    return path


@pytest.mark.parametrize("native", [False, True], ids=["interchange", "jxzp"])
def test_json_ways_in_are_cleaned_and_reported(tmp_path, native):
    path = _interchange_with_surrogates(tmp_path, native=native)
    notes: list[str] = []
    doc = load_document(path, notes=notes)
    assert doc.unit == "单位" + REPLACEMENT
    assert doc.forms[1].name == f"项目{REPLACEMENT}名称"
    assert doc.forms[1].indicators[0].get("三级指标") == f"指标{REPLACEMENT}"
    assert notes and "4 个" in notes[0] and "代理" in notes[0], notes
    save_document(doc, tmp_path / "again.jxzp")
    assert load_document(tmp_path / "again.jxzp").forms[1].name == f"项目{REPLACEMENT}名称"


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "jixiao", *map(str, args)], capture_output=True, text=True,
                          timeout=120, env=child_env(), cwd=cwd)


def test_validate_score_convert_on_a_file_with_surrogates(tmp_path):
    path = _interchange_with_surrogates(tmp_path, native=False)
    outcomes = []
    for args in (["validate", path], ["score", path], ["score", path, "--format", "json"],
                 ["convert", path, "-o", tmp_path / "out.json"], ["export", path, "--xlsx", tmp_path / "o.xlsx"]):
        r = _cli(*args, cwd=tmp_path)
        assert "Traceback" not in r.stderr, (args, r.stderr[-1500:])
        assert r.returncode in (0, 1), (args, r.returncode, r.stderr)
        assert "已替换" in r.stderr, (args, r.stderr)  # the officer is told
        outcomes.append(r.returncode)
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert out["forms"][1]["header"]["项目名称"] == f"项目{REPLACEMENT}名称"
    report(f"lone surrogates via JSON: validate/score/convert/export exit {outcomes}, no traceback, "
           "each says the characters were replaced")


def test_an_unexpected_crash_is_not_exit_1(tmp_path, monkeypatch, capsys):
    """Exit 1 means “errors found”: a bug must end differently, with a Chinese message."""
    from jixiao import cli
    from jixiao.core import validation

    path = tmp_path / "a.jxzp"
    save_document(generate_document(projects=1, indicators=3), path)

    def boom(doc):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(validation, "validate_document", boom)
    code = cli.main(["validate", str(path)])
    err = capsys.readouterr().err
    assert code == cli.EXIT_INTERNAL and code not in (0, 1, 2), code
    assert "内部错误" in err and "simulated bug" in err


def test_xlsx_hidden_data_is_cleaned_and_listed(tmp_path, monkeypatch):
    """Our export's hidden data is JSON: another program (or a damaged copy) may put a
    ``\\ud800`` escape in it. The import replaces it and lists a hint."""
    from jixiao.excel import writer
    from jixiao.excel.reader import read_workbook

    doc = generate_document(projects=1, indicators=3)
    real = writer.document_to_data

    def with_surrogate(d):
        data = real(d)
        data["forms"][1]["header"]["项目名称"] = "科普\ud800活动"
        return data

    monkeypatch.setattr(writer, "document_to_data", with_surrogate)
    writer.write_workbook(doc, tmp_path / "s.xlsx")
    monkeypatch.undo()
    result = read_workbook(tmp_path / "s.xlsx")
    assert result.used_metadata
    assert result.document.forms[1].name == f"科普{REPLACEMENT}活动"
    assert any("已替换" in p for p in result.problems), result.problems
    save_document(result.document, tmp_path / "s.jxzp")


def test_serialize_survives_a_surrogate_that_slipped_through(tmp_path):
    """A value set around the model's checks (a plugin, a future code path) still saves."""
    doc = generate_document(projects=1, indicators=3)
    doc.forms[1].header["项目名称"] = "漏\ud800网"
    doc.unit = "\udc00单位"
    text = serialize(doc).decode("utf-8")
    assert "漏\ufffd网" in text
    save_document(doc, tmp_path / "x.jxzp")
    from jixiao.core.recovery import RecoveryStore

    RecoveryStore(tmp_path / "rec").write(doc, None, "s1")


def test_excel_export_writes_no_character_excel_rejects(tmp_path):
    """XML 1.0 has no place for control characters, U+FFFE/U+FFFF or surrogates: not in a cell,
    a sheet name, the workbook's properties or our hidden data. Everything written reads back."""
    from jixiao.excel.reader import read_workbook
    from jixiao.excel.writer import write_workbook

    doc = generate_document(projects=2, indicators=3)
    odd = "甲\x01乙\ufffe丙\uffff丁\x0b戊"
    doc.unit = odd
    doc.forms[1].header["项目名称"] = odd
    doc.forms[1].set("goals.实际完成情况", odd)
    doc.forms[2].header["项目名称"] = "漏\ud800网"  # slipped around the model's checks
    doc.signoff["填表人"] = odd
    path = tmp_path / "odd.xlsx"
    write_workbook(doc, path)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.parse(io.BytesIO(z.read(name)))  # expat refuses what Excel refuses
    back = read_workbook(path).document
    assert back.forms[1].name == odd  # exactly, through the hidden data
    assert back.forms[1].get("goals.实际完成情况") == odd
    assert back.forms[2].name == f"漏{REPLACEMENT}网"


def test_typing_and_pasting_in_the_app(gui_window, tmp_path):
    w = gui_window
    form = w.session.doc.projects[0]
    w.edit_cell("header.项目名称", "输入\ud800")
    assert form.name == f"输入{REPLACEMENT}"
    cell = w.model.cell_by_path("goals.预期目标")
    w.editor.paste(cell.row, cell.col, [["粘贴\udfff内容"]])
    assert form.get("goals.预期目标") == f"粘贴{REPLACEMENT}内容"
    idx = w.model.index(*(lambda c: (c.row, c.col))(w.model.cell_by_path("header.主管部门")))
    assert w.model.setData(idx, "\udc00部门")  # Qt's own conversion may already have replaced it
    assert form.get("header.主管部门")[1:] == "部门" and not has_unstorable(form.get("header.主管部门"))
    assert w.files.save_as(tmp_path / "typed.jxzp")
    assert not w.shown
    assert load_document(tmp_path / "typed.jxzp").projects[0].name == f"输入{REPLACEMENT}"


def test_save_and_autosave_never_raise_without_a_dialog(gui_window, tmp_path, monkeypatch):
    from jixiao.core import fileio

    w = gui_window
    w.session.doc.projects[0].header["项目名称"] = "漏\ud800网"  # around the checks
    w.edit_cell("goals.预期目标", "改")
    assert w.autosave.autosave_now()  # autosave writes it (no failure every minute)
    assert w.files.save_as(tmp_path / "a.jxzp")
    assert not w.shown

    def broken(doc):
        raise RuntimeError("simulated bug in serialize")

    monkeypatch.setattr(fileio, "serialize", broken)
    w.edit_cell("goals.预期目标", "再改")
    assert w.files.save() is False
    assert w.files.save_as(tmp_path / "b.jxzp") is False
    assert [s[1] for s in w.shown] == ["保存失败", "保存失败"] and "simulated bug" in w.shown[0][2]
    assert w.session.is_modified  # nothing pretends to be saved
    assert not (tmp_path / "b.jxzp").exists()
