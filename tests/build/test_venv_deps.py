"""scripts/venv_deps.py: when a second set-up run may skip pip."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def vd():
    spec = importlib.util.spec_from_file_location("jixiao_venv_deps", ROOT / "scripts" / "venv_deps.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


REQUIRES = ["pytest>=1", 'pytest-qt>=1; extra == "test"', 'surely-not-installed-xyz>=1; extra == "build"']


def test_unmet_requirements(vd):
    assert vd.unmet_requirements(["pytest>=1", "PySide6-Essentials>=6"], set()) == []
    assert vd.unmet_requirements(["surely-not-installed-xyz"], set()) == ["surely-not-installed-xyz"]
    assert vd.unmet_requirements(["pytest>=9999"], set()) == ["pytest>=9999"]  # too old counts as missing
    marked = ['surely-not-installed-xyz>=1; extra == "build"']
    assert vd.unmet_requirements(marked, {"test"}) == []
    assert vd.unmet_requirements(marked, {"test", "build"}) == marked


def test_imports_from_checkout(vd, tmp_path):
    assert vd.imports_from_checkout(ROOT)  # the tests run this checkout's jixiao
    assert not vd.imports_from_checkout(tmp_path)  # another clone (or a moved one) is reinstalled


def test_record_then_check(vd, tmp_path, monkeypatch):
    monkeypatch.setattr(vd, "jixiao_requires", lambda: REQUIRES)
    prefix = tmp_path / "venv"
    prefix.mkdir()
    assert vd.check({"test"}, prefix=prefix) == ["no record of an earlier install"]
    vd.record({"test"}, prefix=prefix)
    assert vd.check({"test"}, prefix=prefix) == []
    assert vd.check(set(), prefix=prefix) == []  # `.[test]` holds everything plain `.` needs
    assert vd.check({"build"}, prefix=prefix) == [
        "extras ['build'] not installed",
        'missing or wrong version: surely-not-installed-xyz>=1; extra == "build"']


def test_changed_pyproject_means_reinstall(vd, tmp_path, monkeypatch):
    monkeypatch.setattr(vd, "jixiao_requires", lambda: REQUIRES)
    root = tmp_path / "clone"
    shutil.copytree(ROOT / "src" / "jixiao", root / "src" / "jixiao")
    (root / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    prefix = tmp_path / "venv"
    prefix.mkdir()
    vd.record(set(), prefix=prefix, root=root)
    before = vd.check(set(), prefix=prefix, root=root)
    assert "pyproject.toml changed since the last install" not in before
    with open(root / "pyproject.toml", "a", encoding="utf-8") as fh:
        fh.write("\n# a new dependency\n")
    assert "pyproject.toml changed since the last install" in vd.check(set(), prefix=prefix, root=root)


def test_record_keeps_earlier_extras_of_the_same_pyproject(vd, tmp_path):
    prefix = tmp_path / "venv"
    prefix.mkdir()
    vd.record({"test"}, prefix=prefix)
    vd.record(set(), prefix=prefix)  # setup-run.sh after setup-test.sh
    import json

    assert json.loads((prefix / vd.RECORD).read_text(encoding="utf-8"))["extras"] == ["test"]
