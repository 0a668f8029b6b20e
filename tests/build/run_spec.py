"""Execute installer.spec as PyInstaller does, with recording stand-ins for Analysis, PYZ,
EXE and COLLECT, and print what the spec asked of them as JSON (tests/build/test_build_config.py).

    python tests/build/run_spec.py ROOT PLATFORM

PLATFORM ``linux`` runs on this machine as it is; ``win32`` makes the spec believe it runs on
Windows (PyInstaller's Windows-only version-info module is replaced by a recorder, and
``collect_submodules`` by a stand-in, since neither runs elsewhere). The collected binaries
and data files fed to the spec's pruning are a fixed sample with known links (LINKS), so that
the test can tell what the pruning kept.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

ROOT = Path(sys.argv[1])
PLATFORM = sys.argv[2]

# A sample of what PyInstaller's analysis collects, as (dest, src, typecode), and the direct links
# of each source file: the platform theme plugin links GTK, which nothing kept needs.
BINARIES = {
    "linux": [
        ("PySide6/QtWidgets.abi3.so", "/s/QtWidgets.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "/s/libQt6Widgets.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/s/libQt6Core.so.6", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/s/libqxcb.so", "BINARY"),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/s/libqgtk3.so", "BINARY"),
        ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY"),
    ],
    "win32": [
        ("PySide6\\QtWidgets.pyd", "/s/QtWidgets.pyd", "EXTENSION"),
        ("PySide6\\Qt6Widgets.dll", "/s/Qt6Widgets.dll", "BINARY"),
        ("PySide6\\Qt6Core.dll", "/s/Qt6Core.dll", "BINARY"),
        ("PySide6\\plugins\\platforms\\qwindows.dll", "/s/qwindows.dll", "BINARY"),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", "/s/qdirect2d.dll", "BINARY"),
    ],
}
LINKS = {
    "/s/QtWidgets.abi3.so": ["libQt6Widgets.so.6"], "/s/libQt6Widgets.so.6": ["libQt6Core.so.6"],
    "/s/libqxcb.so": ["libQt6Core.so.6"], "/s/libqgtk3.so": ["libgtk-3.so.0", "libQt6Core.so.6"],
    "/s/QtWidgets.pyd": ["Qt6Widgets.dll"], "/s/Qt6Widgets.dll": ["Qt6Core.dll"], "/s/qwindows.dll": ["Qt6Core.dll"],
    "/s/qdirect2d.dll": ["Qt6Core.dll"],
}
QM = {"linux": "PySide6/Qt/translations/", "win32": "PySide6\\translations\\"}
TRANSLATIONS = [(QM[PLATFORM] + name, "/s/" + name, "DATA") for name in ("qtbase_zh_CN.qm", "qtbase_de.qm")]

record: dict = {"exes": []}


class Analysis:
    def __init__(self, scripts, **kw):
        record["analysis"] = {"scripts": scripts, **kw}
        self.binaries = list(BINARIES[PLATFORM])
        # PyInstaller turns each (source file, destination folder) into a TOC entry
        self.datas = [(str(Path(dest, Path(src).name)), src, "DATA") for src, dest in kw["datas"]] + TRANSLATIONS
        self.pure = ["pure"]
        self.scripts = ["scripts"]


def PYZ(pure):
    record["pyz"] = pure
    return "pyz"


def EXE(pyz, scripts, binaries, **kw):
    version = kw.pop("version", None)
    record["exes"].append({**kw, "pyz": pyz, "scripts": scripts, "binaries": binaries,
                           "version_strings": getattr(version, "strings", None)})
    return ("exe", kw["name"])


def COLLECT(*items, **kw):
    exes = [i[1] for i in items if isinstance(i, tuple) and i[:1] == ("exe",)]
    tocs = [i for i in items if isinstance(i, list)]
    record["collect"] = {**kw, "exes": exes, "binaries": [d for d, _s, _t in tocs[0]],
                         "datas": [d for d, _s, _t in tocs[1]]}


sys.path.insert(0, str(ROOT / "build"))
import qt_prune  # noqa: E402 - the spec imports this very module (already in sys.modules)

qt_prune.elf_needed = lambda path: LINKS.get(path, [])
if PLATFORM == "win32":
    import PyInstaller.depend.bindepend as bindepend
    import PyInstaller.utils.hooks as hooks
    import PySide6  # noqa: F401 - imported before the platform changes, as the spec imports it

    bindepend.get_imports = lambda path: [(name, None) for name in LINKS.get(path, [])]
    hooks.collect_submodules = lambda package: [package]

    class _Recorded:
        def __init__(self, *args, **kw):
            self.args, self.kw = args, kw

    class StringStruct(_Recorded):
        pass

    class VSVersionInfo(_Recorded):
        @property
        def strings(self):
            found = {}
            for kid in self.kw["kids"]:
                for table in kid.args[0] if kid.args else []:
                    for s in table.args[1]:
                        if isinstance(s, StringStruct):
                            found[s.args[0]] = s.args[1]
            return found

    fake = types.ModuleType("PyInstaller.utils.win32.versioninfo")
    for name in ("FixedFileInfo", "StringFileInfo", "StringTable", "VarFileInfo", "VarStruct"):
        setattr(fake, name, type(name, (_Recorded,), {}))
    fake.StringStruct, fake.VSVersionInfo = StringStruct, VSVersionInfo
    sys.modules["PyInstaller.utils.win32.versioninfo"] = fake
    sys.platform = "win32"

spec = ROOT / "installer.spec"
namespace = {"__name__": "__main__", "__file__": str(spec), "SPECPATH": str(ROOT), "Analysis": Analysis, "PYZ": PYZ,
             "EXE": EXE, "COLLECT": COLLECT}
exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), namespace)
record["qt_excludes"] = namespace["QT_EXCLUDES"]
print("RECORD " + json.dumps(record, ensure_ascii=False, default=str))
