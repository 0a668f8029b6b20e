"""Fast checks of the installer configuration (no PyInstaller build here:
``python build/build.py`` does that, with its own smoke test)."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import json
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


VERSION = _load("jixiao_build_project_version", BUILD / "project_version.py").project_version(ROOT)


@pytest.fixture(scope="module")
def qt_prune():
    return _load("jixiao_build_qt_prune", BUILD / "qt_prune.py")


@pytest.fixture(scope="module")
def launcher():
    return _load("jixiao_build_launcher", BUILD / "launcher.py")


# --------------------------------------------------------------------- version
def test_version_file_matches_pyproject():
    tree = ast.parse((ROOT / "src" / "jixiao" / "_version.py").read_text(encoding="utf-8"))
    values = [n.value.value for n in tree.body if isinstance(n, ast.Assign)
              and any(getattr(t, "id", None) == "VERSION" for t in n.targets)]
    assert values == [VERSION]


def test_project_version_is_read_from_the_project_table(tmp_path):
    """Without tomllib (Python 3.10): the [project] table's version, not another table's."""
    reader = _load("jixiao_build_project_version", BUILD / "project_version.py")
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nversion = "9.9"\n\n[project]  # the package\nname = "x"\n'
        "version = '2.3.4rc1'  # released\n\n[tool.x]\nversion = \"1\"\n", encoding="utf-8")
    assert reader.project_version(tmp_path) == "2.3.4rc1"
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.y]\nversion = "1"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="no version"):
        reader.project_version(tmp_path)
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", VERSION)


def test_version_written_nowhere_else():
    """The spec, the Inno Setup script and the Linux files read the version; none repeats it."""
    for rel in ("installer.spec", "build/windows/jixiao.iss", "build/linux/jixiao.desktop",
                "build/linux/jixiao-mime.xml", "build/reference/reference.spec"):
        text = (ROOT / rel).read_text(encoding="utf-8-sig")
        assert not re.search(rf"(?<![\d.]){re.escape(VERSION)}(?![\d.])", text), rel
    assert "pyproject.toml" in (ROOT / "installer.spec").read_text(encoding="utf-8")


# --------------------------------------------------------------------- spec
def _run_spec(platform: str) -> dict:
    """What installer.spec asks of PyInstaller on ``platform`` (tests/build/run_spec.py)."""
    r = subprocess.run([sys.executable, str(ROOT / "tests" / "build" / "run_spec.py"), str(ROOT), platform],
                       capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    return json.loads(r.stdout.split("RECORD ", 1)[1])


@pytest.fixture(scope="module")
def spec_linux():
    return _run_spec("linux")


@pytest.fixture(scope="module")
def spec_windows():
    return _run_spec("win32")


def test_spec_bundles_every_resource_file(spec_linux):
    """Every file under resources/ goes to the same folder under resources/ in the bundle, and is
    still there after the pruning; nothing else is taken from resources/."""
    res = ROOT / "resources"
    files = {f for f in res.rglob("*") if f.is_file() and "__pycache__" not in f.parts}
    datas = {(Path(src), Path(dest)) for src, dest in spec_linux["analysis"]["datas"]}
    assert datas == {(f, Path("resources") / f.parent.relative_to(res)) for f in files}
    kept = {Path(d) for d in spec_linux["collect"]["datas"]}
    assert {Path("resources") / f.relative_to(res) for f in files} <= kept


def test_spec_freezes_the_launcher_with_every_jixiao_module(spec_linux):
    a = spec_linux["analysis"]
    assert [Path(s) for s in a["scripts"]] == [BUILD / "launcher.py"]
    assert [Path(p) for p in a["pathex"]] == [ROOT / "src"]
    src = ROOT / "src"
    modules = {".".join(f.relative_to(src).with_suffix("").parts).removesuffix(".__init__")
               for f in (src / "jixiao").rglob("*.py")}
    assert modules - {"jixiao.__main__"} <= set(a["hiddenimports"])
    assert [Path(h) for h in a["runtime_hooks"]] == [BUILD / "rthook_no_pil.py"]
    assert a["module_collection_mode"] == {"docx": "pyc"}  # python-docx reads its templates from disk


def test_spec_excludes_what_the_app_does_not_use(spec_linux, qt_prune):
    excludes = set(spec_linux["analysis"]["excludes"])
    assert set(qt_prune.PY_EXCLUDES) <= excludes
    assert set(spec_linux["qt_excludes"]) <= excludes and spec_linux["qt_excludes"]
    used = qt_prune.used_qt_modules(ROOT / "src" / "jixiao")
    assert not {f"PySide6.{m}" for m in used} & excludes


def test_spec_collects_only_what_the_pruning_keeps(spec_linux, spec_windows):
    """The spec hands PyInstaller's collection to build/qt_prune.py and bundles what it returns:
    GTK's theme plugin and the library only it links go, as do other languages' Qt translations."""
    assert spec_linux["collect"]["binaries"] == ["PySide6/QtWidgets.abi3.so", "PySide6/Qt/lib/libQt6Widgets.so.6",
                                                 "PySide6/Qt/lib/libQt6Core.so.6",
                                                 "PySide6/Qt/plugins/platforms/libqxcb.so"]
    assert "PySide6\\plugins\\platforms\\qdirect2d.dll" not in spec_windows["collect"]["binaries"]
    assert "PySide6\\plugins\\platforms\\qwindows.dll" in spec_windows["collect"]["binaries"]
    for spec in (spec_linux, spec_windows):
        qm = [d for d in spec["collect"]["datas"] if d.endswith(".qm")]
        assert len(qm) == 1 and qm[0].endswith("qtbase_zh_CN.qm")


def test_spec_builds_one_folder_named_jixiao(spec_linux):
    """onedir (binaries beside the executable, not unpacked on every start); on Linux one
    console executable, ``jixiao``, which opens the window without arguments."""
    (exe,) = spec_linux["exes"]
    assert exe["name"] == "jixiao" and exe["console"] is True and exe["exclude_binaries"] is True
    assert Path(exe["icon"]) == ROOT / "resources" / "icons" / "jixiao.png" and Path(exe["icon"]).is_file()
    assert exe["version_strings"] is None
    assert spec_linux["collect"]["name"] == "jixiao" and spec_linux["collect"]["exes"] == ["jixiao"]


def test_spec_on_windows_adds_the_windowed_exe_with_version_info(spec_windows):
    exes = {e["name"]: e for e in spec_windows["exes"]}
    assert set(exes) == {"jixiao", "jixiao-gui"}
    assert exes["jixiao"]["console"] is True and exes["jixiao-gui"]["console"] is False
    for exe in exes.values():
        assert exe["exclude_binaries"] is True
        assert Path(exe["icon"]) == ROOT / "resources" / "icons" / "jixiao.ico"
        info = exe["version_strings"]
        assert info["FileVersion"] == info["ProductVersion"] == VERSION
        assert info["FileDescription"] == "绩效自评表填报工具"
    assert spec_windows["collect"]["exes"] == ["jixiao", "jixiao-gui"]


def test_python_excludes(qt_prune):
    for mod in ("tkinter", "unittest", "pydoc", "doctest", "lib2to3", "ssl", "_ssl", "_hashlib", "PIL",
                "lxml.objectify", "lxml.html"):
        assert mod in qt_prune.PY_EXCLUDES
    # what the app does use stays
    for mod in ("lxml", "lxml.etree", "docx", "openpyxl", "reportlab", "hashlib", "_codecs_cn", "_decimal"):
        assert mod not in qt_prune.PY_EXCLUDES
    # Pillow is left out only together with the runtime hook that stands in for it
    spec = ast.parse((ROOT / "installer.spec").read_text(encoding="utf-8"))
    analysis = next(n for n in ast.walk(spec) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "Analysis")
    hooks = next(k.value for k in analysis.keywords if k.arg == "runtime_hooks")
    assert "rthook_no_pil.py" in ast.unparse(hooks)


# Run in a child: Pillow, OpenSSL's _hashlib/_ssl and lxml's extra modules made unimportable,
# as in the frozen app, then the PIL stand-in, then what the app does with reportlab,
# hashlib, openpyxl and python-docx.
_WITHOUT_EXCLUDED = r"""
import sys, importlib.abc, runpy
from pathlib import Path
GONE = {"PIL", "_hashlib", "_ssl", "ssl", "lxml.objectify", "lxml.html"}
class Gone(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in GONE or name in GONE:
            raise ModuleNotFoundError(f"No module named {name!r} (left out of the frozen app)", name=name)
sys.meta_path.insert(0, Gone())
runpy.run_path(sys.argv[1])
out = Path(sys.argv[2])

import hashlib, reportlab.lib.utils
assert reportlab.lib.utils.haveImages is False and hashlib.md5(b"x").hexdigest()
from jixiao.core.fileio import load_document
from jixiao.excel.reader import read_workbook
from jixiao.excel.writer import write_workbook
from jixiao.pdf.writer import write_findings_pdf, write_pdf
doc = load_document(sys.argv[3])
write_pdf(doc, out / "a.pdf")
write_findings_pdf(doc, out / "r.pdf")
write_workbook(doc, out / "a.xlsx")
assert len(read_workbook(out / "a.xlsx").document.forms) == len(doc.forms)
import openpyxl
wb = openpyxl.load_workbook(sys.argv[4])  # a workbook with a picture: the picture is dropped, no error
assert wb.active["A1"].value == "有图片"
from jixiao.cli import main
assert main(["report", sys.argv[3], "--docx", str(out / "r.docx"), "--pdf", str(out / "rr.pdf")]) == 0
import docx
assert any("自评报告" in p.text for p in docx.Document(out / "r.docx").paragraphs)
print("ok", sorted(m for m in sys.modules if m.split(".")[0] in GONE))
"""


def test_the_app_works_without_what_the_build_leaves_out(tmp_path):
    """Proves the PY_EXCLUDES removals in a few seconds; build.py's smoke test proves them frozen."""
    import openpyxl
    from openpyxl.drawing.image import Image
    from PIL import Image as PILImage

    png = tmp_path / "p.png"
    PILImage.new("RGB", (4, 4), "red").save(png)
    wb = openpyxl.Workbook()
    wb.active["A1"] = "有图片"
    wb.active.add_image(Image(str(png)), "B2")
    wb.save(tmp_path / "img.xlsx")
    example = ROOT / "resources" / "examples" / "乌鲁木齐市科学技术局-2024.jxzp"
    script = tmp_path / "child.py"
    script.write_text(_WITHOUT_EXCLUDED, encoding="utf-8")
    r = subprocess.run([sys.executable, str(script), str(BUILD / "rthook_no_pil.py"), str(tmp_path), str(example),
                        str(tmp_path / "img.xlsx")], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.splitlines()[-1] == "ok ['PIL']"  # only the stand-in, nothing real of what is left out
    assert (tmp_path / "a.pdf").read_bytes()[:5] == b"%PDF-"


def test_rthook_keeps_a_real_pillow():
    code = (f"import runpy, sys; runpy.run_path({str(BUILD / 'rthook_no_pil.py')!r}); "
            "import PIL.Image; print(PIL.Image.new('L', (1, 1)).size)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "(1, 1)", r.stderr


def test_system_libs_come_from_listed_packages(qt_prune):
    """Every library left to the target system belongs to a package the .deb depends on."""
    listed = {line.split("#")[0].strip() for line in
              (BUILD / "linux" / "qt-runtime-packages.txt").read_text(encoding="utf-8").splitlines()}
    for platform, libs in qt_prune.SYSTEM_LIBS.items():
        for pattern, package in libs.items():
            assert package in listed, f"{pattern} ({platform}) is left to {package}, which the .deb does not depend on"


def test_qt_policy_no_qml_quick_webengine_3d(qt_prune):
    used = qt_prune.used_qt_modules(ROOT / "src" / "jixiao")
    assert {"QtCore", "QtGui", "QtWidgets"} <= used
    forbidden = [m for m in used if re.match(r"Qt(Qml|Quick|WebEngine|3D|Multimedia|Charts|DataVisualization)", m)]
    assert not forbidden, f"the GUI imports {forbidden}; installer.spec would bundle them"


def test_qt_excludes_cover_unused_modules(qt_prune):
    import PySide6

    avail = qt_prune.available_qt_modules(Path(PySide6.__file__).parent)
    used = qt_prune.used_qt_modules(ROOT / "src" / "jixiao")
    excl = set(qt_prune.qt_excludes(used, avail))
    assert not {f"PySide6.{m}" for m in used} & excl
    for m in ("QtQml", "QtQuick", "QtNetwork", "QtWebEngineCore", "Qt3DCore", "QtMultimedia", "QtCharts",
              "QtBluetooth", "QtSensors", "QtSerialPort", "QtPositioning", "QtLocation"):
        if m in avail and m not in used:
            assert f"PySide6.{m}" in excl


def test_used_qt_modules_parser(qt_prune, tmp_path):
    (tmp_path / "a.py").write_text("from PySide6.QtPrintSupport import QPrinter\n"
                                   "from PySide6 import (QtSvg,\n QtCore)\nimport PySide6.QtXml\n", encoding="utf-8")
    assert qt_prune.used_qt_modules(tmp_path) == {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtSvg", "QtXml"}


@pytest.mark.parametrize("dest, platform, keep", [
    ("PySide6/Qt/translations/qtbase_zh_CN.qm", "linux", True),
    ("PySide6/Qt/translations/qt_zh_CN.qm", "linux", True),
    ("PySide6/Qt/translations/qtbase_zh_TW.qm", "linux", False),
    ("PySide6/Qt/translations/qtbase_de.qm", "linux", False),
    ("PySide6/Qt/translations/qt_help_zh_CN.qm", "linux", False),
    ("PySide6\\translations\\qtbase_ja.qm", "win32", False),
    ("PySide6\\translations\\qtbase_zh_CN.qm", "win32", True),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", "linux", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "linux", True),
    ("PySide6/Qt/plugins/platforms/libqwayland-egl.so", "linux", False),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", "linux", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "linux", False),
    ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", "linux", True),
    ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", "linux", True),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", "linux", False),
    ("PySide6/Qt/plugins/imageformats/libqtiff.so", "linux", False),
    ("PySide6/Qt/plugins/imageformats/libqico.so", "linux", True),
    ("PySide6\\plugins\\platforms\\qwindows.dll", "win32", True),
    ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", "win32", True),
    ("PySide6\\plugins\\platforms\\qdirect2d.dll", "win32", False),
    ("resources/fonts/ARPLUMingCN.ttf", "linux", True),
])
def test_keep_entry(qt_prune, dest, platform, keep):
    assert qt_prune.keep_entry(dest, platform) is keep


def test_svg_plugins_only_when_used(qt_prune):
    dest = "PySide6/Qt/plugins/imageformats/libqsvg.so"
    assert not qt_prune.keep_entry(dest, "linux", svg=False)
    assert qt_prune.keep_entry(dest, "linux", svg=True)


def test_prune_drops_unreachable_libraries(qt_prune):
    binaries = [
        ("PySide6/QtWidgets.abi3.so", "/s/QtWidgets.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "/s/libQt6Widgets.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/s/libQt6Core.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", "/s/libQt6Network.so.6", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/s/libqxcb.so", "BINARY"),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/s/libqgtk3.so", "BINARY"),
        ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY"),
        ("libxcb-cursor.so.0", "/usr/lib/libxcb-cursor.so.0", "BINARY"),
        ("libpython3.11.so.1.0", "/p/libpython3.11.so.1.0", "BINARY"),
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
    ]
    links = {
        "/s/QtWidgets.abi3.so": ["libQt6Widgets.so.6"],
        "/s/libQt6Widgets.so.6": ["libQt6Core.so.6"],
        "/s/libqxcb.so": ["libQt6Core.so.6", "libxcb-cursor.so.0"],
        "/s/libqgtk3.so": ["libgtk-3.so.0", "libQt6Core.so.6"],
        "/s/libQt6Network.so.6": ["libQt6Core.so.6"],
    }
    kept, datas, dropped = qt_prune.prune(binaries, [], "linux", False, lambda p: links.get(p, []), log=lambda m: None)
    names = {e[0] for e in kept}
    assert {"PySide6/QtWidgets.abi3.so", "PySide6/Qt/lib/libQt6Core.so.6", "libxcb-cursor.so.0",
            "libpython3.11.so.1.0", "libQt6Core.so.6", "PySide6/Qt/plugins/platforms/libqxcb.so"} <= names
    assert {"libgtk-3.so.0", "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
            "PySide6/Qt/lib/libQt6Network.so.6", "libQt6Network.so.6"} <= set(dropped)
    assert not names & set(dropped)


def test_prune_leaves_cups_to_the_system(qt_prune):
    binaries = [
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", "/s/cups.so", "BINARY"),
        ("libcups.so.2", "/usr/lib/libcups.so.2", "BINARY"),
        ("libgnutls.so.30", "/usr/lib/libgnutls.so.30", "BINARY"),
    ]
    links = {"/s/cups.so": ["libcups.so.2"], "/usr/lib/libcups.so.2": ["libgnutls.so.30"]}
    kept, _, dropped = qt_prune.prune(binaries, [], "linux", False, lambda p: links.get(p, []), log=lambda m: None)
    assert [e[0] for e in kept] == ["PySide6/Qt/plugins/printsupport/libcupsprintersupport.so"]
    assert set(dropped) == {"libcups.so.2", "libgnutls.so.30"}


def test_prune_leaves_dbus_and_its_systemd_chain_to_the_system(qt_prune):
    binaries = [
        ("PySide6/Qt/lib/libQt6DBus.so.6", "/s/libQt6DBus.so.6", "BINARY"),
        ("PySide6/QtGui.abi3.so", "/s/QtGui.abi3.so", "EXTENSION"),
        ("libdbus-1.so.3", "/usr/lib/libdbus-1.so.3", "BINARY"),
        ("libsystemd.so.0", "/usr/lib/libsystemd.so.0", "BINARY"),
        ("libgcrypt.so.20", "/usr/lib/libgcrypt.so.20", "BINARY"),
    ]
    links = {"/s/QtGui.abi3.so": ["libQt6DBus.so.6"], "/s/libQt6DBus.so.6": ["libdbus-1.so.3"],
             "/usr/lib/libdbus-1.so.3": ["libsystemd.so.0"], "/usr/lib/libsystemd.so.0": ["libgcrypt.so.20"]}
    kept, _, dropped = qt_prune.prune(binaries, [], "linux", False, lambda p: links.get(p, []), log=lambda m: None)
    assert {e[0] for e in kept} == {"PySide6/Qt/lib/libQt6DBus.so.6", "PySide6/QtGui.abi3.so"}
    assert set(dropped) == {"libdbus-1.so.3", "libsystemd.so.0", "libgcrypt.so.20"}


# --------------------------------------------------------------------- launcher
def test_launcher_routes_gui_exe_and_documents(launcher, monkeypatch, tmp_path):
    doc = tmp_path / "a.jxzp"
    doc.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "jixiao-gui.exe"))
    assert launcher._gui_args([]) == ["gui"]
    assert launcher._gui_args([str(doc)]) == ["gui", str(doc)]
    assert launcher._gui_args(["gui", str(doc)]) == ["gui", str(doc)]
    monkeypatch.setattr(sys, "executable", str(tmp_path / "jixiao"))
    assert launcher._gui_args(["--version"]) == ["--version"]
    assert launcher._gui_args(["export", str(doc), "--pdf", "x.pdf"]) == ["export", str(doc), "--pdf", "x.pdf"]
    assert launcher._gui_args([str(doc)]) == ["gui", str(doc)]
    assert launcher._gui_args([]) == []


def test_launcher_goes_straight_to_the_window(launcher, monkeypatch, tmp_path):
    """A plain GUI start skips the command-line parser; everything else goes through it."""
    import jixiao.cli
    import jixiao.gui.app

    doc = tmp_path / "a.jxzp"
    doc.write_text("{}", encoding="utf-8")
    calls = []
    monkeypatch.setattr(jixiao.gui.app, "run_gui", lambda file=None, screenshot=None: calls.append(("gui", file)) or 0)
    monkeypatch.setattr(jixiao.cli, "main", lambda argv=None: calls.append(("cli", argv)) or 0)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "jixiao"))
    for argv in ([], ["gui"], [str(doc)], ["gui", str(doc)], ["gui", "--screenshot", "s.png"], ["--version"],
                 ["validate", str(doc)]):
        monkeypatch.setattr(sys, "argv", ["jixiao", *argv])
        assert launcher.main() == 0
    assert calls == [("gui", None), ("gui", None), ("gui", str(doc)), ("gui", str(doc)),
                     ("cli", ["gui", "--screenshot", "s.png"]), ("cli", ["--version"]), ("cli", ["validate", str(doc)])]


def test_launcher_commands_come_from_the_cli(launcher, monkeypatch, tmp_path):
    import argparse

    import jixiao.cli

    parser = jixiao.cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert launcher.cli_commands() == set(sub.choices) >= {"new", "validate", "score", "export", "import", "gui"}
    real = jixiao.cli.build_parser

    def with_archive():
        p = real()
        next(a for a in p._actions if isinstance(a, argparse._SubParsersAction)).add_parser("archive")
        return p

    monkeypatch.setattr(jixiao.cli, "build_parser", with_archive)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "jixiao"))
    monkeypatch.chdir(tmp_path)
    for name in ("archive", "report", "validate", "2024.jxzp"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert launcher._gui_args(["archive"]) == ["archive"]  # a command added to the CLI is a command here too
    assert launcher._gui_args(["report"]) == ["report"]  # (as `report` was, which the launcher never listed)
    assert launcher._gui_args(["validate"]) == ["validate"]
    assert launcher._gui_args(["2024.jxzp"]) == ["gui", "2024.jxzp"]


def test_launcher_builds_the_parser_only_for_a_file_named_like_a_command(launcher, monkeypatch, tmp_path):
    """The plain start (no arguments), options and commands never pay for the parser."""
    import jixiao.cli

    def boom():
        raise AssertionError("build_parser() called")

    monkeypatch.setattr(jixiao.cli, "build_parser", boom)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "jixiao"))
    for args in ([], ["--version"], ["validate", "x.jxzp"], [str(tmp_path / "missing.jxzp")]):
        assert launcher._gui_args(args) == args
    monkeypatch.chdir(tmp_path)
    for name in ("2024.jxzp", "报告.xlsx", "sub/a"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("{}", encoding="utf-8")
        assert launcher._gui_args([name]) == ["gui", name]  # a document name cannot be a command
    monkeypatch.setattr(sys, "executable", str(tmp_path / "jixiao-gui.exe"))
    assert launcher._gui_args([str(tmp_path / "a.jxzp")]) == ["gui", str(tmp_path / "a.jxzp")]


# --------------------------------------------------------------------- Linux files
def test_desktop_entry():
    path = BUILD / "linux" / "jixiao.desktop"
    cp = configparser.ConfigParser(interpolation=None, strict=True)
    cp.optionxform = str
    cp.read(path, encoding="utf-8")
    e = cp["Desktop Entry"]
    assert e["Type"] == "Application"
    assert e["Exec"].startswith("/opt/jixiao/jixiao gui ") and e["Exec"].endswith("%f")
    assert e["Icon"] == "jixiao" and e["Terminal"] == "false"
    assert "application/x-jixiao-document;" in e["MimeType"]
    assert e["Name[zh_CN]"] and e["Categories"].endswith(";")
    if subprocess.run(["which", "desktop-file-validate"], capture_output=True).returncode == 0:
        out = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
        assert out.returncode == 0 and not out.stdout.strip(), out.stdout


def test_mime_type():
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    root = ET.parse(BUILD / "linux" / "jixiao-mime.xml").getroot()
    mt = root.find("m:mime-type", ns)
    assert mt.get("type") == "application/x-jixiao-document"
    assert mt.find("m:glob", ns).get("pattern") == "*.jxzp"
    assert mt.find("m:icon", ns).get("name") == "application-x-jixiao-document"


def test_maintainer_scripts_are_executable_shell():
    for name in ("postinst", "postrm"):
        p = BUILD / "linux" / name
        assert p.read_text(encoding="utf-8").startswith("#!/bin/sh")
        assert p.stat().st_mode & 0o111
        assert subprocess.run(["sh", "-n", str(p)]).returncode == 0


# --------------------------------------------------------------------- Windows
def test_inno_setup_script():
    raw = (BUILD / "windows" / "jixiao.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup needs a BOM to read UTF-8 (Chinese strings)"
    text = raw.decode("utf-8-sig")
    for needle in ("ChangesAssociations=yes", 'AssocExt ".jxzp"', "OpenWithProgids", "DefaultIcon",
                   r'shell\open\command', '""%1""', "jixiao-gui.exe", "{group}", "{autodesktop}",
                   "Tasks: desktopicon", "ChineseSimplified.isl", "UninstallDisplayIcon", "{uninstallexe}",
                   "application/x-jixiao-document", "AppId={{"):
        assert needle in text, needle
    # every language-prefixed custom message belongs to a declared language
    declared = set(re.findall(r'^Name: "(\w+)"; MessagesFile', text, re.M))
    used = set(re.findall(r"^(\w+)\.\w+=", text, re.M))
    assert used <= declared | {"chinesesimplified"}


# --------------------------------------------------------------------- icons
def test_icons():
    icons = ROOT / "resources" / "icons"
    for size in (16, 24, 32, 48, 64, 128, 256):
        head = (icons / f"jixiao-{size}.png").read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", head[16:24]) == (size, size)
    ico = (icons / "jixiao.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00" and struct.unpack("<H", ico[4:6])[0] >= 5
    ET.parse(icons / "jixiao.svg")


# --------------------------------------------------------------------- build.py
def test_build_check_dry_run():
    out = subprocess.run([sys.executable, str(BUILD / "build.py"), "--check"], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "check: OK" in out.stdout


def test_build_docs_markers():
    text = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    assert text.count("<!-- build:start -->") == 1 and text.count("<!-- build:end -->") == 1
