"""Small workbooks that amplify: a few MB on disk, gigabytes or minutes once
expanded. The import bounds its work by what it expands (XML elements parsed,
cells and characters read, each worksheet part read once) rather than by the
file's size, normalises each distinct label once, and can be cancelled.

Each file is imported in a fresh interpreter; its CPU time and peak memory are
measured there (resource.getrusage) and must stay under 10 s and 500 MB."""

from __future__ import annotations

import threading
import time

import pytest

from .amplifiers import (
    _col,
    build_xlsx,
    cells_on_one_string,
    hidden_rows_on_one_string,
    noisy_text,
    sheets_on_one_part,
)
from .support import import_in_child, report

PEAK_MB = 500
CPU_SECONDS = 10

AMPLIFIERS = {
    "5,000 hidden-data rows on one 2 MB shared string": (hidden_rows_on_one_string, "字符"),
    "299 sheets listed on one 12 MB part": (sheets_on_one_part, "同一"),
    "18,000 cells on one 1 MB shared string": (cells_on_one_string, "字符"),
}
MEASURED: dict[str, dict] = {}


@pytest.fixture(scope="module")
def amplifier_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("amp")
    return {name: make(d / f"amp{i}.xlsx") for i, (name, (make, _)) in enumerate(AMPLIFIERS.items())}


def _within_bounds(out: dict) -> None:
    assert out["peak_mb"] < PEAK_MB, out
    assert out["cpu"] < CPU_SECONDS, out


@pytest.mark.slow
@pytest.mark.parametrize("name", list(AMPLIFIERS))
def test_amplifying_workbook_is_refused_cheaply(amplifier_files, name):
    path = amplifier_files[name]
    assert path.stat().st_size < 4 * 1024 * 1024  # small on disk: only the expansion is big
    out = import_in_child(path)
    MEASURED[name] = out
    assert out["outcome"] == "ExcelImportError", out
    assert AMPLIFIERS[name][1] in out["message"], out["message"]
    _within_bounds(out)


def test_label_normalised_once_per_distinct_string(tmp_path, monkeypatch):
    """Twenty cells sharing one long string: one normalisation, not twenty."""
    from jixiao.excel import sheets

    calls = []
    real = sheets.normalize_label
    monkeypatch.setattr(sheets, "normalize_label", lambda s: calls.append(len(s)) or real(s))
    path = cells_on_one_string(tmp_path / "c.xlsx", cells=60, chars=200_000)
    book = sheets.load_sheets(path)
    assert sum(len(s.cells) for s in book.sheets) == 60
    assert all(x.norm == book.sheets[0].cells[(1, 1)].norm for x in book.sheets[0].cells.values())
    assert calls.count(200_000) == 1, calls


def test_import_can_be_cancelled(tmp_path):
    from jixiao.excel.reader import ImportCancelled, read_workbook
    from jixiao.excel.writer import write_workbook

    from .support import generate_document

    path = tmp_path / "w.xlsx"
    write_workbook(generate_document(projects=20, indicators=10), path)
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 3

    t0 = time.perf_counter()
    with pytest.raises(ImportCancelled, match="取消"):
        read_workbook(path, cancel=cancel)
    assert time.perf_counter() - t0 < 5 and len(asked) == 4


def test_progress_dialog_has_a_cancel_button(gui_window, qtbot, tmp_path, monkeypatch):
    """导入 shows a progress dialog with 取消; pressing it stops the import and keeps the open document."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    from jixiao.excel import reader

    w = gui_window
    before = w.session.doc
    started = threading.Event()

    def slow_read(path, template_id=None, cancel=None):
        started.set()
        deadline = time.perf_counter() + 20  # never hang the suite if the button does nothing
        while not cancel() and time.perf_counter() < deadline:
            time.sleep(0.01)
        raise reader.ImportCancelled("已取消导入")

    monkeypatch.setattr(reader, "read_workbook", slow_read)
    (tmp_path / "x.xlsx").write_bytes(b"PK\x03\x04")
    pressed = []

    def press_cancel():
        for top in QApplication.topLevelWidgets():
            if isinstance(top, QProgressDialog) and top.isVisible():
                button = top.findChild(QPushButton)
                assert button is not None and button.isVisible() and "取消" in button.text()
                pressed.append(top.labelText())
                button.click()
                return
        qtbot_timer.start(50)

    qtbot_timer = QTimer()
    qtbot_timer.setSingleShot(True)
    qtbot_timer.timeout.connect(press_cancel)
    qtbot_timer.start(50)
    assert w.transfer.import_excel(str(tmp_path / "x.xlsx")) is False
    assert pressed and started.is_set()
    assert w.session.doc is before  # the open document stays
    assert not any(kind == "error" for kind, *_ in w.shown), w.shown  # cancelling is no failure
    assert "取消" in w.statusBar().currentMessage()


# ---------------------------------------------------------------- files at the limits
_FORM_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is></c>'
             '<c r="B1" t="inlineStr"><is><t>科普活动</t></is></c></row>')


def _rows_within(budget: int, cell, per_row: int = 60, first: int = 2):
    """Rows of ``per_row`` cells (``cell(r, c)`` gives one's XML) until ``budget`` elements are used."""
    def rows(fh):
        fh.write(_FORM_ROW.encode())
        used, r = 10, first
        while r <= 10000:
            xml = b"".join(cell(r, c) for c in range(1, per_row + 1))
            n = xml.count(b"<") + 2
            if used + n > budget:
                break
            fh.write(b'<row r="%d">' % r + xml + b"</row>")
            used += n
            r += 1
    return rows


def _tags_at_limit(path):
    """A form, then empty cells (openpyxl's slowest element per byte) up to the XML element budget."""
    from jixiao.excel.safety import MAX_XML_TAGS

    rows = _rows_within(MAX_XML_TAGS - 500, lambda r, c: b'<c r="%s%d" s="0"/>' % (_col(c).encode(), r))
    return build_xlsx(path, [("项目1", "sheet1.xml", "visible")], {"sheet1.xml": rows})


def _numbers_at_limit(path):
    """A form, then as many numbers as the element budget allows (cells kept: the most a file can make us hold)."""
    from jixiao.excel.safety import MAX_XML_TAGS

    rows = _rows_within(MAX_XML_TAGS - 500, lambda r, c: b'<c r="%s%d"><v>%d</v></c>' % (_col(c).encode(), r, r * c),
                        per_row=64)
    return build_xlsx(path, [("项目1", "sheet1.xml", "visible")], {"sheet1.xml": rows})


def _strings_at_limit(path):
    """A form, then distinct short texts (each normalised as a label, each kept in 附加内容)."""
    from jixiao.excel.safety import MAX_XML_TAGS

    n = (MAX_XML_TAGS - 2000) // 8  # 4 elements per shared string (<si><t></t></si>), 4 per cell
    strings = [f"指标{i}" for i in range(n)]
    def cell(r, c):
        return b'<c r="%s%d" t="s"><v>%d</v></c>' % (_col(c).encode(), r, ((r - 2) * 60 + c - 1) % n)

    rows = _rows_within(MAX_XML_TAGS - 4 * n - 1000, cell)
    return build_xlsx(path, [("项目1", "sheet1.xml", "visible")], {"sheet1.xml": rows}, shared=strings)


def _chars_at_limit(path):
    """A form, then cells pointing at one long shared string, just under the characters budget."""
    from jixiao.excel.sheets import MAX_CHARS

    chars = 400_000
    cells = MAX_CHARS // chars - 2

    def rows(fh):
        fh.write(_FORM_ROW.encode())
        for r in range(2, cells + 2):
            fh.write(b'<row r="%d"><c r="C%d" t="s"><v>0</v></c></row>' % (r, r))

    return build_xlsx(path, [("项目1", "sheet1.xml", "visible")], {"sheet1.xml": rows}, shared=[noisy_text(chars)])


def _json_shapes_at_limit(path):
    """Our hidden data sheet holding JSON of tiny objects and numbers up to the token budget
    (each token parses to a Python object); random numbers keep it past the compression-ratio check."""
    import random

    from jixiao.excel.sheets import MAX_JSON_TOKENS

    rng = random.Random(5)
    items, tokens = [], 40
    while tokens < MAX_JSON_TOKENS - 10:
        kind = rng.randrange(3)
        items.append("{}" if kind == 0 else "[]" if kind == 1 else str(rng.randrange(10**6)))
        tokens += 2 if kind < 2 else 1
    body = '{"format":"jixiao-xlsx","version":1,"document":{},"sheets":[' + ",".join(items) + "]}"
    chunks = [body[i:i + 30000] for i in range(0, len(body), 30000)]

    def meta(fh):
        fh.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>note</t></is></c></row>')
        for r, chunk in enumerate(chunks, 2):
            fh.write(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{chunk}</t></is></c></row>'.encode())

    def form(fh):
        fh.write(_FORM_ROW.encode())

    return build_xlsx(path, [("项目1", "sheet1.xml", "visible"), ("_jixiao_data", "sheet2.xml", "veryHidden")],
                      {"sheet1.xml": form, "sheet2.xml": meta})


AT_LIMIT = {
    "XML elements at the budget (empty cells)": _tags_at_limit,
    "numbers up to the element budget": _numbers_at_limit,
    "distinct texts up to the element budget": _strings_at_limit,
    "characters at the budget (one shared string)": _chars_at_limit,
    "hidden-data JSON tokens at the budget": _json_shapes_at_limit,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(AT_LIMIT))
def test_worst_files_the_checks_let_through(tmp_path, name):
    path = AT_LIMIT[name](tmp_path / "limit.xlsx")
    out = import_in_child(path)
    MEASURED[name] = out
    assert out["outcome"] in ("imported", "ExcelImportError"), out  # either way: quickly, in bounded memory
    _within_bounds(out)


def test_amplification_figures_reported():
    if not MEASURED:
        pytest.skip("run together with the tests above")
    for name, out in MEASURED.items():
        why = f" ({out['message'][:60]}…)" if out.get("message") else ""
        report(f"amplifying .xlsx — {name}: {out['outcome']}{why}, CPU {out['cpu']:.2f} s, "
               f"peak {out['peak_mb']:.0f} MB (bare interpreter {out['base_mb']:.0f} MB)")
