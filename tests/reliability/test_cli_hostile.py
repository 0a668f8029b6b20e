"""The command line given what a busy officer (or a script) gives it: wrong
files, wrong names, absurd numbers, paths the OS refuses. Every case ends
with a Chinese message and the documented exit status – never a traceback,
never a hang, never a file silently overwritten – and JSON numbers keep the
digits they were written with."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from jixiao.core.fileio import backup_path, load_document, save_document

from .support import child_env, generate_document, report


def CJK(s: str) -> bool:  # noqa: N802 - reads as a predicate in the asserts
    return any("\u4e00" <= ch <= "\u9fff" for ch in s)


def run(*args, cwd, env=None, timeout=120):
    e = child_env()
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "jixiao", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=e, cwd=cwd)


def _no_trace(r):
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, r.stderr[-2000:]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    doc = generate_document(projects=3, indicators=4)
    save_document(doc, d / "a.jxzp", backup=False)
    from jixiao.excel.writer import write_workbook

    write_workbook(doc, d / "w.xlsx")
    (d / "note.txt").write_text("不是自评文件\n", encoding="utf-8")
    return d


@pytest.mark.parametrize("bad", ["missing.jxzp", "note.txt", "w.xlsx"])
def test_gui_screenshot_of_a_bad_file_exits_with_a_message(files, bad, tmp_path):
    r = run("gui", files / bad, "--screenshot", tmp_path / "s.png", cwd=files, timeout=60)
    _no_trace(r)
    assert r.returncode == 2 and CJK(r.stderr), (r.returncode, r.stderr)
    assert not (tmp_path / "s.png").exists()


def test_xlsx_recognised_by_content_whatever_its_name(files, tmp_path):
    disguised = tmp_path / "x.jxzp"
    shutil.copy(files / "w.xlsx", disguised)
    for args in (["validate", disguised], ["import", disguised, "-o", tmp_path / "i.jxzp"]):
        r = run(*args, cwd=tmp_path)
        _no_trace(r)
        assert r.returncode in (0, 1), (args, r.stderr)
    assert len(load_document(tmp_path / "i.jxzp").forms) == 4


def test_export_output_names_must_match_the_format(files, tmp_path):
    r = run("export", files / "a.jxzp", "--xlsx", tmp_path / "out.pdf", cwd=tmp_path)
    assert r.returncode == 2 and ".xlsx" in r.stderr and not (tmp_path / "out.pdf").exists()
    r = run("export", files / "a.jxzp", "--pdf", tmp_path / "out.xlsx", cwd=tmp_path)
    assert r.returncode == 2 and ".pdf" in r.stderr and not (tmp_path / "out.xlsx").exists()
    r = run("export", files / "a.jxzp", "--xlsx", tmp_path / "out", cwd=tmp_path)  # no suffix: added
    assert r.returncode == 0 and (tmp_path / "out.xlsx").exists(), r.stderr


def test_convert_never_overwrites_a_native_document_with_json_silently(files, tmp_path):
    doc_path = tmp_path / "a.jxzp"
    shutil.copy(files / "a.jxzp", doc_path)
    before = doc_path.read_bytes()
    r = run("convert", doc_path, "-o", doc_path, "--to", "json", cwd=tmp_path)
    _no_trace(r)
    assert r.returncode == 2 and "--force" in r.stderr
    assert doc_path.read_bytes() == before
    r = run("convert", doc_path, "-o", doc_path, "--to", "json", "--force", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert backup_path(doc_path).read_bytes() == before  # the native document kept as the backup
    assert "jixiao-document" not in doc_path.read_text(encoding="utf-8")
    # without --to the output's suffix decides: a .jxzp gets a native document
    r = run("convert", files / "a.jxzp", "-o", tmp_path / "b.jxzp", cwd=tmp_path)
    assert r.returncode == 0 and "jixiao-document" in (tmp_path / "b.jxzp").read_text(encoding="utf-8")


def test_forms_honoured_for_the_workbook(files, tmp_path):
    from jixiao.excel.reader import read_workbook

    doc = load_document(files / "a.jxzp")
    name = doc.projects[1].name
    r = run("export", files / "a.jxzp", "--xlsx", tmp_path / "one.xlsx", "--forms", name, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    back = read_workbook(tmp_path / "one.xlsx").document
    assert [f.name for f in back.forms] == [name]


def test_text_score_prints_the_summary_table(files):
    r = run("score", files / "a.jxzp", cwd=files)
    assert r.returncode == 0, r.stderr
    doc = load_document(files / "a.jxzp")
    assert "项目单位自评汇总表" in r.stdout
    summary = r.stdout.split("项目单位自评汇总表", 1)[1]
    for f in doc.projects:
        assert f.name in summary


@pytest.mark.parametrize("args, fragment", [
    (["export", "{a}", "--pdf", "{t}/x.pdf", "--forms", "²"], "找不到表"),
    (["new", "-t", "xinjiang", "--unit", "某局", "--year", "2024", "--projects", "10000000", "-o", "{t}/n.jxzp"],
     "项目表数量"),
    (["new", "-t", "xinjiang", "--unit", "某局", "--year", "2024", "--projects", "-5", "-o", "{t}/n.jxzp"],
     "项目表数量"),
    (["new", "-t", "xinjiang", "--unit", "", "--year", "2024", "-o", "{t}/n.jxzp"], "单位名称"),
    (["new", "-t", "xinjiang", "--unit", "  ", "--year", "2024", "-o", "{t}/n.jxzp"], "单位名称"),
    (["import", "{t}/missing.xlsx", "-o", "{a}"], "不存在"),  # the missing input first, not "a.jxzp 已存在"
    (["convert", "{t}/missing.jxzp", "-o", "{a}"], "不存在"),
    (["validate"], "缺少"),
    (["validate", "{a}", "--format", "xml"], "无效的选项"),
    (["new", "-t", "xinjiang", "--unit", "x", "--year", "二〇二四", "-o", "{t}/n.jxzp"], "整数"),
    (["frobnicate"], "无效的选项"),
    (["validate", "{a}", "--bogus"], "无法识别的参数"),
    (["export", "{a}", "--pdf", "{t}"], "文件夹"),
    (["export", "{a}", "--pdf", "{t}/" + "长" * 100 + ".pdf"], "太长"),
    (["convert", "{a}", "-o", "{t}/no/such/dir/x.json"], "不存在"),
])
def test_bad_arguments_end_in_a_chinese_message(files, tmp_path, args, fragment):
    args = [x.format(a=files / "a.jxzp", t=tmp_path) for x in args]
    r = run(*args, cwd=tmp_path)
    _no_trace(r)
    assert r.returncode == 2, (args, r.returncode, r.stderr)
    assert fragment in r.stderr, (args, r.stderr)
    assert CJK(r.stderr)
    assert not (tmp_path / "n.jxzp").exists()
    assert load_document(files / "a.jxzp")  # never overwritten


def test_no_display_message_goes_to_stderr(tmp_path):
    env = {k: "" for k in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    r = run("gui", cwd=tmp_path, env=env, timeout=60)
    assert r.returncode == 3 and "没有可用的图形显示" in r.stderr and r.stdout == ""


def _interchange(tmp_path, text):
    path = tmp_path / "n.json"
    path.write_text(text, encoding="utf-8")
    return path


def _project_json(fund_value: str, extra: str = "") -> str:
    return ('{"template": "national", "unit": "某局", "year": 2024, ' + extra +
            '"forms": [{"kind": "project", "header": {"项目名称": "甲"}, '
            '"funds": [{"row": "年度资金总额", "全年预算数": ' + fund_value + '}]}]}')


@pytest.mark.parametrize("written, kept", [
    ("1e16", "10000000000000000"),
    ("1E+3", "1000"),
    ("12345678901234567890.12", "12345678901234567890.12"),
    ("1.50", "1.50"),
    ("0.1", "0.1"),
    ("-2.5e-3", "-0.0025"),
])
def test_json_numbers_keep_their_digits(tmp_path, written, kept):
    doc = load_document(_interchange(tmp_path, _project_json(written)))
    assert doc.forms[0].get("funds.年度资金总额.全年预算数") == kept
    save_document(doc, tmp_path / "n.jxzp")
    assert load_document(tmp_path / "n.jxzp").forms[0].get("funds.年度资金总额.全年预算数") == kept


@pytest.mark.parametrize("text, fragment", [
    (_project_json("NaN"), "NaN"),
    (_project_json("Infinity"), "Infinity"),
    (_project_json("-Infinity"), "Infinity"),
    (_project_json("1", extra='"forms": [], '), "forms"),  # "forms" twice: the default keeps the last
])
def test_json_nan_and_repeated_keys_are_refused(tmp_path, text, fragment):
    path = _interchange(tmp_path, text)
    r = run("validate", path, cwd=tmp_path)
    _no_trace(r)
    assert r.returncode == 2 and fragment in r.stderr, r.stderr


def test_cli_figures_reported():
    report("command line: bad files for gui --screenshot, disguised .xlsx, mismatched output names, convert onto a "
           "native document, --forms for --xlsx, 汇总表 in text score, 15 bad argument lists, no display, JSON "
           "numbers (1e16, 20 digits), NaN/Infinity and repeated keys: each a Chinese message and its exit status")
    assert os.sep
