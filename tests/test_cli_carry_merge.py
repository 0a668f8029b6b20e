"""`jixiao new --from`, `jixiao merge` and `jixiao link`, run as users run them."""

from __future__ import annotations

import copy
import errno
import json
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.core.compare import resolve_link
from jixiao.core.fileio import load_document, save_document, save_interchange
from jixiao.core.interchange import form_to_json

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.jxzp"))


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def content(doc, form) -> dict:
    data = form_to_json(doc.template.form(form.kind), form, with_ids=False)
    data.pop("origin", None)
    return data


def write_units(example: Path, folder: Path) -> tuple[list[Path], object, list]:
    """The example split into one file per 实施单位, written as .jxzp, interchange JSON and .xlsx in turn;
    also the example and its forms in the order of the files."""
    from jixiao.excel.writer import write_workbook

    doc = load_document(example)
    units: dict[str, list] = {}
    for f in doc.projects:
        units.setdefault(f.header["实施单位"], []).append(f)
    paths, order = [], []
    for i, (unit, forms) in enumerate(units.items()):
        part = copy.deepcopy(doc)
        part.unit = unit
        part.forms = ([copy.deepcopy(doc.department)] if i == 0 else []) + copy.deepcopy(forms)
        order.extend(([doc.department] if i == 0 else []) + forms)
        kind = ("jxzp", "json", "xlsx")[i % 3]
        p = folder / f"单位{i + 1}.{kind}"
        if kind == "jxzp":
            save_document(part, p, backup=False)
        elif kind == "json":
            save_interchange(part, p)
        else:
            write_workbook(part, p)
        paths.append(p)
    return paths, doc, order


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_new_from_last_year(example, tmp_path, capsys):
    out = tmp_path / "next.jxzp"
    code, text, _ = run(capsys, "new", "--from", example, "--year", "2025", "-o", out, "--budget-to-initial")
    assert code == 0, text
    lines = text.splitlines()
    assert lines[0].startswith("由 2024 年度结转为 2025 年度") and lines[-1].startswith(f"已创建 {out}")
    assert "已结转" in text and "已清空" in text and "上年全年预算数填入年初预算数" in text
    doc, last = load_document(out), load_document(example)
    assert doc.year == 2025 and doc.previous is not None and doc.previous.year == 2024
    assert resolve_link(doc.previous, out).resolve() == example.resolve()
    assert sum(len(f.indicators) for f in doc.forms) == sum(len(f.indicators) for f in last.forms)
    code, text, _ = run(capsys, "new", "--from", example, "--year", "2025", "-o", out, "--details", "--force")
    assert code == 0 and "已清空\t项目1" in text and "已结转\t部门整体" in text


def test_new_from_refuses_what_it_cannot_do(tmp_path, capsys):
    code, _, err = run(capsys, "new", "--from", tmp_path / "无.jxzp", "--year", "2025", "-o", tmp_path / "a.jxzp")
    assert code == 2 and "文件不存在" in err
    code, _, err = run(capsys, "new", "--from", EXAMPLES[0], "--year", "2024", "-o", tmp_path / "a.jxzp")
    assert code == 2 and "应晚于上年文件的年度 2024" in err and not (tmp_path / "a.jxzp").exists()
    code, _, err = run(capsys, "new", "--year", "2025", "-o", tmp_path / "a.jxzp")
    assert code == 2 and "--from" in err


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_merge_keeps_every_form_exactly_through_convert(example, tmp_path, capsys):
    units, original, order = write_units(example, tmp_path)
    out = tmp_path / "部门.jxzp"
    code, text, err = run(capsys, "merge", *units, "-o", out, "--unit", original.unit)
    assert code == 0, err
    assert text.splitlines()[-1].startswith(f"已写入 {out}（{len(original.forms)} 张表")
    # round trip through the interchange file and back
    assert run(capsys, "convert", out, "-o", tmp_path / "部门.json")[0] == 0
    assert run(capsys, "convert", tmp_path / "部门.json", "--to", "jxzp", "-o", tmp_path / "back.jxzp")[0] == 0
    back = load_document(tmp_path / "back.jxzp")
    assert [content(back, f) for f in back.forms] == [content(original, f) for f in order]
    assert {f.origin["unit"] for f in back.forms} == {f.header.get("实施单位") for f in original.projects}
    assert back.unit == original.unit


def test_a_corrupt_unit_file_stops_the_merge_and_leaves_the_output(tmp_path, capsys):
    units, _, _ = write_units(EXAMPLES[1], tmp_path)
    out = tmp_path / "部门.jxzp"
    assert run(capsys, "merge", *units, "-o", out)[0] == 0
    before = out.read_bytes()
    bad = tmp_path / "坏的单位.jxzp"
    bad.write_bytes(units[0].read_bytes()[:500])
    code, _, err = run(capsys, "merge", units[0], bad, "--into", out, "-o", out)
    assert code == 2 and "坏的单位.jxzp" in err and "合并已停止" in err and "未改动" in err
    assert out.read_bytes() == before
    code, _, err = run(capsys, "merge", units[0], bad, "-o", tmp_path / "新.jxzp")
    assert code == 2 and not (tmp_path / "新.jxzp").exists()


def test_a_locked_unit_file_stops_the_merge(tmp_path, capsys, monkeypatch):
    units, _, _ = write_units(EXAMPLES[1], tmp_path)
    out = tmp_path / "部门.jxzp"
    assert run(capsys, "merge", *units, "-o", out)[0] == 0
    before = out.read_bytes()
    locked = units[1]
    real_open = open

    def deny(file, *a, **k):  # what Windows answers while Excel/WPS holds the file
        if Path(str(file)).name == locked.name:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *a, **k)

    monkeypatch.setattr("builtins.open", deny)
    code, _, err = run(capsys, "merge", *units, "--into", out, "-o", out)
    monkeypatch.undo()
    assert code == 2 and locked.name in err and "没有写入权限、文件为只读，或正被其他程序" in err
    assert out.read_bytes() == before


def test_a_unit_file_open_in_another_window_stops_the_merge(tmp_path, capsys):
    from jixiao.gui.locking import DocumentLock

    units, _, _ = write_units(EXAMPLES[1], tmp_path)
    lock = DocumentLock(units[0])
    lock.acquire()
    try:
        code, _, err = run(capsys, "merge", *units, "-o", tmp_path / "部门.jxzp")
    finally:
        lock.release()
    assert code == 2 and units[0].name in err and "正在本程序的另一个窗口中打开" in err
    assert not (tmp_path / "部门.jxzp").exists()


def test_another_template_is_refused_with_the_reason(tmp_path, capsys):
    a, b = EXAMPLES
    code, _, err = run(capsys, "merge", a, b, "-o", tmp_path / "x.jxzp")
    assert code == 2 and b.name in err and "模板" in err and "未合并任何文件" in err
    assert not (tmp_path / "x.jxzp").exists()


def test_remerge_a_corrected_unit_file(tmp_path, capsys):
    units, original, _ = write_units(EXAMPLES[1], tmp_path)
    out = tmp_path / "部门.jxzp"
    assert run(capsys, "merge", *units, "-o", out)[0] == 0
    code, _, err = run(capsys, "merge", units[1], "-o", out)
    assert code == 2 and "--into" in err  # an existing output is not overwritten by accident
    corrected = load_document(units[1]) if units[1].suffix != ".xlsx" else None
    assert corrected is not None
    corrected.projects[0].funds["年度资金总额"]["全年执行数"] = "4.00"
    fixed = tmp_path / "单位2-更正.json"
    save_interchange(corrected, fixed)
    code, text, _ = run(capsys, "merge", fixed, "--into", out, "-o", out)
    assert code == 0 and "替换了上次合并的 2 张" in text
    merged = load_document(out)
    assert len(merged.forms) == len(original.forms)
    form = next(f for f in merged.forms if f.name == corrected.projects[0].name)
    assert form.funds["年度资金总额"]["全年执行数"] == "4.00" and form.origin["file"] == fixed.name
    assert (tmp_path / "部门.jxzp.bak").exists()


def test_link_and_compare(tmp_path, capsys):
    last = EXAMPLES[1]
    this = tmp_path / "2025.jxzp"
    doc = load_document(last)
    doc.year = 2025
    save_document(doc, this, backup=False)
    code, text, _ = run(capsys, "link", this, "--previous", last)
    assert code == 0 and "已关联 2024 年度文档" in text
    code, text, _ = run(capsys, "score", this, "--format", "json")
    row = json.loads(text)["summary"][10]
    assert row["previous_execution_rate"] == "90.68" and row["previous_total"] == "97.67"
    assert row["unit"] == "乌鲁木齐科技信息服务中心"
    code, text, _ = run(capsys, "link", this, "--clear")
    assert code == 0 and load_document(this).previous is None
    code, _, err = run(capsys, "link", EXAMPLES[1], "--previous", this, "-o", tmp_path / "x.jxzp")
    assert code == 2 and "只能关联更早年度" in err


def test_what_merge_and_link_store_survives_the_workbook(tmp_path, capsys):
    """Whatever we write we read back: the units of merged forms and the link to last year, through Excel."""
    units, _, _ = write_units(EXAMPLES[1], tmp_path)
    out = tmp_path / "部门.jxzp"
    assert run(capsys, "merge", *units, "-o", out)[0] == 0
    doc = load_document(out)
    doc.year = 2025
    save_document(doc, out)
    assert run(capsys, "link", out, "--previous", EXAMPLES[1])[0] == 0
    assert run(capsys, "export", out, "--xlsx", tmp_path / "部门.xlsx")[0] == 0
    assert run(capsys, "convert", tmp_path / "部门.xlsx", "-o", tmp_path / "back.jxzp", "--to", "jxzp")[0] == 0
    back, saved = load_document(tmp_path / "back.jxzp"), load_document(out)
    assert [f.origin for f in back.forms] == [f.origin for f in saved.forms]
    assert back.previous == saved.previous and back.previous is not None


def test_a_converted_or_imported_copy_elsewhere_still_finds_last_year(tmp_path, capsys):
    """`convert` and `import` write the link from the new file's place (core.compare.rebase_link)."""
    last = EXAMPLES[1]
    this = tmp_path / "2025" / "本年.jxzp"
    this.parent.mkdir()
    doc = load_document(last)
    doc.year = 2025
    save_document(doc, this, backup=False)
    assert run(capsys, "link", this, "--previous", last)[0] == 0
    # other folder depths, so a link copied as it was would point elsewhere
    for out, to in ((tmp_path / "送审" / "第一批" / "副本.jxzp", "jxzp"), (tmp_path / "副本.json", "json")):
        out.parent.mkdir(parents=True, exist_ok=True)
        assert run(capsys, "convert", this, "-o", out, "--to", to)[0] == 0
        copy_ = load_document(out)
        assert resolve_link(copy_.previous, out).resolve() == last.resolve()
    xlsx = tmp_path / "2025" / "本年.xlsx"
    assert run(capsys, "export", this, "--xlsx", xlsx)[0] == 0
    imported = tmp_path / "导入" / "excel" / "本年.jxzp"
    imported.parent.mkdir(parents=True)
    assert run(capsys, "import", xlsx, "-o", imported)[0] == 0
    assert resolve_link(load_document(imported).previous, imported).resolve() == last.resolve()
