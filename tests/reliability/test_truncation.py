"""A document cut short – a save or a copy interrupted – says so, whatever
byte the cut falls on (inside a Chinese character, a string, an escape, a
number, a keyword, between tokens), and offers the backup saved beside it."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from jixiao.core.fileio import DocumentError, backup_path, load_document, save_document, serialize
from jixiao.core.interchange import document_to_json

from .support import ROOT, child_env, generate_document, report, snapshot

SEED = 11
RANDOM_CUTS = 300


def _document():
    doc = generate_document(projects=2, indicators=5)
    form = doc.projects[0]
    form.set("goals.实际完成情况", "完成“科技成果转化”项目 😀 \\ 与 \"引号\"\n第二行\t制表")
    form.set("funds.年度资金总额.全年预算数", "1,674.94")
    return doc


def _cuts(data: bytes, rng: random.Random) -> list[int]:
    """Every byte of the first 64, of a stretch of Chinese text and an emoji, and 300 random ones."""
    text_at = max(data.find("完成“科技".encode()), data.find(json.dumps("完成“科技")[1:-1].encode()))
    emoji_at = max(data.find("😀".encode()), data.find(json.dumps("😀")[1:-1].encode()))  # or its escapes
    assert text_at > 0 and emoji_at > 0
    chosen = set(range(1, 64)) | set(range(text_at, text_at + 40)) | set(range(emoji_at - 2, emoji_at + 14))
    chosen |= {rng.randrange(1, len(data)) for _ in range(RANDOM_CUTS)}
    return sorted(chosen)


@pytest.mark.parametrize("kind", ["jxzp", "interchange (ASCII escapes)", "interchange (UTF-8)"])
def test_every_cut_says_truncated_and_names_the_backup(tmp_path, kind):
    doc = _document()
    if kind == "jxzp":
        data = serialize(doc)
    else:
        payload = document_to_json(doc, native=False)
        data = json.dumps(payload, ensure_ascii=kind.endswith("escapes)"), indent=2).encode("utf-8")
    path = tmp_path / "2024.jxzp"
    backup = backup_path(path)
    save_document(generate_document(projects=1, indicators=3), backup, backup=False)  # an older version
    cuts = _cuts(data, random.Random(SEED))
    other = {}
    for off in cuts:
        path.write_bytes(data[:off])
        try:
            load_document(path)
        except DocumentError as exc:
            if "内容不完整" in str(exc) and exc.backup == backup and backup.name in str(exc):
                continue
            other[off] = str(exc)
        else:
            other[off] = "opened"
    assert not other, f"{len(other)} of {len(cuts)} cuts: {list(other.items())[:5]}"
    path.write_bytes(b"")
    with pytest.raises(DocumentError, match="内容不完整") as ei:  # cut at the very first byte
        load_document(path)
    assert ei.value.backup == backup
    report(f"truncated {kind}: {len(cuts)} cuts of a {len(data)}-byte file (every byte of the first 64, of a run of "
           f"Chinese text and an emoji, {RANDOM_CUTS} random) and the empty file: each “内容不完整” naming the backup")


def test_without_a_backup_it_says_so(tmp_path):
    data = serialize(_document())
    path = tmp_path / "a.jxzp"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DocumentError, match="没有找到备份") as ei:
        load_document(path)
    assert ei.value.backup is None


def test_damage_is_not_called_truncation(tmp_path):
    data = serialize(_document())
    path = tmp_path / "a.jxzp"
    damaged = data[:200] + b"#" + data[201:]
    path.write_bytes(damaged)
    with pytest.raises(DocumentError, match="已损坏"):
        load_document(path)
    path.write_bytes(data + b"}")  # complete, then something more
    with pytest.raises(DocumentError, match="已损坏"):
        load_document(path)


def test_the_command_line_names_the_backup(tmp_path):
    path = tmp_path / "a.jxzp"
    save_document(_document(), path)
    save_document(_document(), path)  # now with a backup
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 7])
    r = subprocess.run([sys.executable, "-m", "jixiao", "validate", str(path)], capture_output=True, text=True,
                       timeout=60, env=child_env(), cwd=ROOT)
    assert r.returncode == 2 and "内容不完整" in r.stderr and backup_path(path).name in r.stderr, r.stderr


def test_the_app_offers_the_backup_and_saves_it_back(gui_window, tmp_path, monkeypatch):
    from jixiao.gui import dialogs

    path = tmp_path / "2024.jxzp"
    older = _document()
    older.projects[0].set("goals.预期目标", "备份中的内容")
    save_document(older, path)
    save_document(_document(), path)  # the backup now holds `older`
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    offered = []
    monkeypatch.setattr(dialogs, "ask_open_backup", lambda parent, msg, name: offered.append((msg, name)) or "cancel")
    w = gui_window
    before = w.session.doc
    assert w.files.open_file(path, ask_save=False) is False
    assert offered and offered[0][1] == backup_path(path).name and "内容不完整" in offered[0][0]
    assert w.session.doc is before and not w.shown  # declined: nothing changed, no second message
    monkeypatch.setattr(dialogs, "ask_open_backup", lambda parent, msg, name: "open")
    assert w.files.open_file(path, ask_save=False)
    assert snapshot(w.session.doc) == snapshot(load_document(backup_path(path)))
    assert w.session.path == path and w.session.is_modified  # saving writes the backup's content back
    assert w.files.save()
    assert load_document(path).projects[0].get("goals.预期目标") == "备份中的内容"
