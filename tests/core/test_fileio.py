import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jixiao.core.fileio import DocumentError, load_document, save_document, serialize, sniff
from jixiao.core.interchange import document_to_json
from jixiao.core.model import new_document

from .helpers import seed


def test_round_trip_keeps_every_typed_string(tmp_path):
    doc = seed("s002_p04")
    p = tmp_path / "x.jxzp"
    save_document(doc, p)
    again = load_document(p)
    assert document_to_json(again, native=True) == document_to_json(doc, native=True)
    assert again.forms[0].id == doc.forms[0].id


def test_saving_keeps_a_backup_of_the_previous_version(tmp_path):
    p = tmp_path / "x.jxzp"
    doc = seed("s002_p01")
    save_document(doc, p)
    first = p.read_bytes()
    doc.forms[0].header["项目名称"] = "改名"
    save_document(doc, p)
    assert (tmp_path / "x.jxzp.bak").read_bytes() == first
    assert load_document(p).forms[0].name == "改名"
    assert not [x for x in tmp_path.iterdir() if x.name.endswith(".tmp")]


@pytest.mark.parametrize("content,fragment", [
    (b"", "不是"),
    (b"hello", "不是"),
    (b'{"format": "jixiao-document", "format_version": 99, "template": "national", "forms": []}', "更新版本"),
    (b'{"a": 1}', "不是绩效自评文件"),
    (b"\x00\x01\x02", "不是"),
    (b'{"template": "nowhere", "forms": []}', "未知的模板"),
    (b'{"template": "national", "year": 2024, "forms": [{"kind": "x"}]}', "kind"),
])
def test_damaged_or_foreign_files_give_a_clear_error_and_change_nothing(tmp_path, content, fragment):
    p = tmp_path / "bad.jxzp"
    p.write_bytes(content)
    before = p.read_bytes()
    with pytest.raises(DocumentError) as exc:
        load_document(p)
    assert fragment in str(exc.value)
    assert p.read_bytes() == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["bad.jxzp"]


def test_truncated_document_is_reported_as_incomplete(tmp_path):
    data = serialize(seed("s002_p01"))
    p = tmp_path / "t.jxzp"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(DocumentError, match="不完整|损坏"):
        load_document(p)


def test_content_sniffing(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"PK\x03\x04rest")
    (tmp_path / "b.json").write_text('{"template": "national", "forms": []}', encoding="utf-8")
    (tmp_path / "c.dat").write_bytes(serialize(new_document("national", "u", 2024)))
    assert sniff(tmp_path / "a.xlsx") == "xlsx"
    assert sniff(tmp_path / "b.json") == "interchange"
    assert sniff(tmp_path / "c.dat") == "native"  # not by name


def test_save_into_missing_folder_or_read_only_file(tmp_path):
    doc = new_document("national", "u", 2024)
    with pytest.raises(DocumentError, match="不存在"):
        save_document(doc, tmp_path / "gone" / "x.jxzp")
    p = tmp_path / "ro.jxzp"
    save_document(doc, p)
    before = p.read_bytes()
    os.chmod(p, 0o444)
    try:
        with pytest.raises(DocumentError, match="只读"):
            save_document(doc, p)
        assert p.read_bytes() == before
    finally:
        os.chmod(p, 0o644)


WRITER = r"""
import sys
from jixiao.core.fileio import save_document
from jixiao.core.model import new_document
path = sys.argv[1]
doc = new_document("xinjiang", "单位", 2024, projects=40)
big = "偏差原因" * 2000
for f in doc.projects:
    f.indicators[0].set("偏差原因分析及改进措施", big)
i = 0
save_document(doc, path)  # one whole save first: from here on a .bak exists, even on a slow machine
print("ready", flush=True)
while True:
    i += 1
    doc.unit = f"版本{i}"
    save_document(doc, path)
"""


def test_a_save_killed_midway_leaves_a_complete_file(tmp_path):
    p = tmp_path / "doc.jxzp"
    save_document(new_document("xinjiang", "原始版本", 2024), p)
    for attempt in range(5):
        with subprocess.Popen([sys.executable, "-c", WRITER, str(p)], stdout=subprocess.PIPE) as proc:
            assert proc.stdout is not None
            proc.stdout.readline()
            time.sleep(0.05 + attempt * 0.07)
            proc.kill()
            proc.wait()
        doc = load_document(p)  # never half a file
        assert doc.unit == "原始版本" or doc.unit.startswith("版本")
        json.loads(Path(str(p) + ".bak").read_text(encoding="utf-8"))


def test_backup_keeps_the_document_mode_and_stale_temps_are_cleared(tmp_path):
    p = tmp_path / "m.jxzp"
    doc = new_document("national", "u", 2024)
    save_document(doc, p)
    os.chmod(p, 0o640)
    stale = tmp_path / ".m.jxzp.abc123.tmp"
    stale.write_bytes(b"half a save")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".m.jxzp.def456.tmp"
    fresh.write_bytes(b"someone saving right now")
    save_document(doc, p)
    assert (p.stat().st_mode & 0o777) == 0o640
    assert ((tmp_path / "m.jxzp.bak").stat().st_mode & 0o777) == 0o640
    assert not stale.exists() and fresh.exists()


def test_file_too_large_is_reported_in_chinese(tmp_path, monkeypatch):
    import errno

    p = tmp_path / "big.jxzp"
    real_replace = os.replace

    def refuse(*a, **k):
        raise OSError(errno.EFBIG, "File too large")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(DocumentError) as exc:
        save_document(new_document("national", "u", 2024), p)
    monkeypatch.setattr(os, "replace", real_replace)
    assert "超过了系统允许的大小" in str(exc.value) and "File too large" not in str(exc.value)
