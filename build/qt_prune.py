"""Trim what PyInstaller collects for PySide6 down to what jixiao uses.

Imported by ``installer.spec`` (and by the fast tests in tests/build/); no
PyInstaller import at module level so the rules can be tested on their own.

Three steps, all driven by data rather than hand-kept file lists:

1. :func:`qt_excludes` — every PySide6 module the sources under ``src/jixiao``
   do not import is excluded from the Analysis, so its bindings, Qt library,
   plugins and translations are never collected.
2. :func:`keep_entry` — of the collected Qt plugins, keep only the types and
   files a widgets app needs (:data:`PLUGINS`), and of the translations only
   Simplified Chinese Qt base strings (:data:`TRANSLATIONS`).
3. :func:`prune` — leave :data:`SYSTEM_LIBS` (libcups, libdbus) to the target system,
   then drop every shared library that nothing kept links to directly any more
   (e.g. the GTK stack the gtk3 platform theme pulled in, libQt6Network pulled
   in by the tls plugins, Wayland/EGLFS libraries). On Linux the direct
   dependencies are read from the ELF files (:func:`elf_needed`).
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

# Qt modules every widgets app loads, whether or not the sources name them.
ALWAYS = {"QtCore", "QtGui", "QtWidgets"}

# Plugin types and files to keep, per platform (fnmatch patterns on the file
# name; a type not listed is dropped entirely). ``svg`` entries are kept only
# when the app uses QtSvg or refers to .svg files.
PLUGINS: dict[str, dict[str, tuple[str, ...]]] = {
    "linux": {
        # xcb: the desktop; offscreen/minimal: screenshots, smoke test, CI.
        # Wayland sessions (UOS/Kylin default to X11) run through XWayland.
        "platforms": ("libqxcb.so", "libqoffscreen.so", "libqminimal.so"),
        # Portal file dialogs; the gtk3 theme is dropped (it drags in GTK).
        "platformthemes": ("libqxdgdesktopportal.so",),
        # Chinese input: ibus (also spoken by fcitx5) and compose.
        "platforminputcontexts": ("*",),
        "printsupport": ("*",),
        "imageformats": ("libqico.so", "libqjpeg.so", "libqgif.so"),
        "imageformats:svg": ("libqsvg.so",),
        "iconengines:svg": ("libqsvgicon.so",),
    },
    "win32": {
        "platforms": ("qwindows.dll", "qoffscreen.dll", "qminimal.dll"),
        "styles": ("*",),  # qmodernwindowsstyle: the native Windows 10/11 look
        "printsupport": ("*",),
        "imageformats": ("qico.dll", "qjpeg.dll", "qgif.dll"),
        "imageformats:svg": ("qsvg.dll",),
        "iconengines:svg": ("qsvgicon.dll",),
    },
    "darwin": {
        "platforms": ("libqcocoa.dylib", "libqoffscreen.dylib", "libqminimal.dylib"),
        "styles": ("*",),
        "printsupport": ("*",),
        "imageformats": ("libqico.dylib", "libqjpeg.dylib", "libqgif.dylib"),
        "imageformats:svg": ("libqsvg.dylib",),
        "iconengines:svg": ("libqsvgicon.dylib",),
    },
}

# Qt's own strings (dialog buttons, context menus) in Simplified Chinese.
TRANSLATIONS = ("qtbase_zh_CN.qm", "qt_zh_CN.qm")

# Never dropped by the reachability pass, even if no kept binary links to them
# (the bootloader loads Python itself; the MSVC runtime is loaded by Python).
PROTECTED = ("libpython*", "python3*.dll", "vcruntime*", "msvcp*", "ucrtbase*", "api-ms-win-*")

# Libraries taken from the target system instead of the bundle (Linux), each with
# the Debian package that provides it, which must be in build/linux/qt-runtime-packages.txt
# (the .deb's Depends; tests/build checks it):
# - libcups would drag in GnuTLS, Kerberos, Avahi, p11-kit... (~9 MB) and must match
#   the host's CUPS anyway; without it the print dialog just lists no printers;
# - libdbus-1 would drag in the build machine's libsystemd, libgcrypt, libgpg-error,
#   liblz4, libcap (~3 MB) and talks to the host's D-Bus daemon anyway.
SYSTEM_LIBS: dict[str, dict[str, str]] = {
    "linux": {"libcups.so*": "libcups2", "libdbus-1.so*": "libdbus-1-3"},
}

# Python modules nothing in jixiao needs but PyInstaller would otherwise pull in
# through optional imports (stdlib test helpers, ...). Each removal is proven by the
# frozen smoke test of build/build.py (export to .xlsx and .pdf, GUI screenshot).
PY_EXCLUDES = [
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib",
    "unittest", "doctest", "pydoc", "pydoc_data", "lib2to3", "test", "distutils", "setuptools", "pkg_resources",
    "xmlrpc", "curses", "sqlite3", "dbm", "ensurepip", "venv",
    "asyncio", "concurrent", "multiprocessing",
    # OpenSSL (libcrypto, libssl: ~5.5 MB): jixiao never opens a connection (tests/conftest.py
    # fails any test that tries), and hashlib falls back to Python's built-in md5/sha* when
    # _hashlib is missing (reportlab's md5 document ids, openpyxl's sha512).
    "ssl", "_ssl", "_hashlib",
    # Pillow (~9 MB with its codec libraries): reportlab.lib.utils imports PIL.Image at
    # module level but supports ``Image is None`` (no raster images), and jixiao's PDFs
    # carry none; build/rthook_no_pil.py gives reportlab that None in the frozen app.
    "PIL",
    # lxml (openpyxl's fast path, python-docx): only lxml.etree (and its _elementpath)
    # is used; objectify, html, sax, builder, isoschematron are ~4.5 MB.
    "lxml.objectify", "lxml.html", "lxml.sax", "lxml.builder", "lxml.isoschematron", "lxml.cssselect",
    # CJK codecs other than Simplified Chinese (_codecs_cn stays: GBK is the ANSI code
    # page of Chinese Windows, used by open() without an encoding).
    "_codecs_jp", "_codecs_kr", "_codecs_tw", "_codecs_hk", "_codecs_iso2022",
    "numpy", "IPython", "matplotlib", "pytest", "hypothesis", "pypdf", "jsonschema",
]

_IMPORT_RE = re.compile(r"PySide6\.(Qt\w+)")
_FROM_RE = re.compile(r"from\s+PySide6\s+import\s+\(?([\w\s,]+)\)?")


def used_qt_modules(src: Path) -> set[str]:
    """Names of the PySide6 modules (``QtGui``...) imported anywhere under src."""
    used = set(ALWAYS)
    for path in Path(src).rglob("*.py"):
        text = path.read_text(encoding="utf-8", errors="replace")
        used.update(_IMPORT_RE.findall(text))
        for group in _FROM_RE.findall(text):
            used.update(n.strip() for n in group.split(",") if n.strip().startswith("Qt"))
    return used


def uses_svg(src: Path) -> bool:
    """True when the app needs Qt's SVG plugins (QtSvg imported or an .svg loaded)."""
    if "QtSvg" in used_qt_modules(src) or "QtSvgWidgets" in used_qt_modules(src):
        return True
    return any(".svg" in p.read_text(encoding="utf-8", errors="replace") for p in Path(src).rglob("*.py"))


def available_qt_modules(pyside_dir: Path) -> set[str]:
    """Every PySide6 module name this installation knows (bindings or stubs)."""
    names = set()
    for p in Path(pyside_dir).iterdir():
        m = re.match(r"(Qt\w+?)(\.abi3)?\.(so|pyd|pyi)$", p.name) or re.match(r"(Qt\w+?)\.\w+\.(so|pyd)$", p.name)
        if m:
            names.add(m.group(1))
    return names


def qt_excludes(used: Iterable[str], available: Iterable[str]) -> list[str]:
    used = set(used)
    return sorted(f"PySide6.{m}" for m in set(available) - used)


def _norm(dest: str) -> str:
    return dest.replace("\\", "/")


def _plugin_parts(dest: str) -> tuple[str, str] | None:
    """('platforms', 'libqxcb.so') for a PySide6 plugin path, else None."""
    m = re.search(r"(?:^|/)PySide6/(?:Qt/)?plugins/([^/]+)/([^/]+)$", _norm(dest))
    return (m.group(1), m.group(2)) if m else None


def _translation(dest: str) -> str | None:
    m = re.search(r"(?:^|/)PySide6/(?:Qt/)?translations/([^/]+)$", _norm(dest))
    return m.group(1) if m else None


def keep_entry(dest: str, platform: str, svg: bool = False) -> bool:
    """Rule-based verdict on one collected file (plugins and translations only)."""
    plugin = _plugin_parts(dest)
    if plugin:
        kind, name = plugin
        rules = PLUGINS.get(platform, PLUGINS["linux"])
        patterns = list(rules.get(kind, ()))
        if svg:
            patterns += rules.get(f"{kind}:svg", ())
        return any(fnmatch.fnmatch(name, pat) for pat in patterns)
    tr = _translation(dest)
    if tr is not None:
        return tr in TRANSLATIONS
    return True


def elf_needed(path: str) -> list[str]:
    """The DT_NEEDED entries of an ELF file: its *direct* link-time dependencies.

    (``ldd``, which PyInstaller's bindepend uses on Linux, lists the transitive
    closure, which would keep e.g. GnuTLS alive through libcups after libcups
    itself is left to the system.) Raises ValueError for a non-ELF file.
    """
    import struct

    with open(path, "rb") as fh:
        data = fh.read()
    if data[:4] != b"\x7fELF":
        raise ValueError(f"{path} is not an ELF file")
    is64, end = data[4] == 2, "<" if data[5] == 1 else ">"
    if is64:
        phoff, = struct.unpack_from(end + "Q", data, 0x20)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 0x36)
    else:
        phoff, = struct.unpack_from(end + "I", data, 0x1C)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 0x2A)
    loads, dynamic = [], None
    for i in range(phnum):
        off = phoff + i * phentsize
        if is64:
            p_type, _, p_offset, p_vaddr, _, p_filesz = struct.unpack_from(end + "IIQQQQ", data, off)
        else:
            p_type, p_offset, p_vaddr, _, p_filesz = struct.unpack_from(end + "IIIII", data, off)
        if p_type == 1:  # PT_LOAD
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == 2:  # PT_DYNAMIC
            dynamic = (p_offset, p_filesz)
    if dynamic is None:
        return []
    fmt, size = (end + "qQ", 16) if is64 else (end + "iI", 8)
    needed, strtab = [], None
    for off in range(dynamic[0], dynamic[0] + dynamic[1], size):
        tag, val = struct.unpack_from(fmt, data, off)
        if tag == 0:  # DT_NULL
            break
        if tag == 1:  # DT_NEEDED
            needed.append(val)
        elif tag == 5:  # DT_STRTAB (a virtual address)
            strtab = val
    if strtab is None:
        return []
    for vaddr, offset, filesz in loads:
        if vaddr <= strtab < vaddr + filesz:
            base = strtab - vaddr + offset
            break
    else:
        raise ValueError(f"{path}: DT_STRTAB outside the loaded segments")
    return [data[base + n:data.index(b"\0", base + n)].decode() for n in needed]


def _basename(path: str, platform: str) -> str:
    name = os.path.basename(_norm(path))
    return name.lower() if platform == "win32" else name


def _is_shared_lib(dest: str) -> bool:
    name = os.path.basename(_norm(dest)).lower()
    return bool(re.search(r"\.(so(\.[\d.]+)?|dll|dylib)$", name))


def prune(binaries: list, datas: list, platform: str, svg: bool,
          get_imports: Callable[[str], Iterable[str]], log: Callable[[str], None] = print):
    """Return (binaries, datas, dropped) with plugins/translations filtered and
    unreachable shared libraries removed.

    ``binaries``/``datas`` are PyInstaller TOC lists of (dest, src, typecode);
    ``get_imports(src)`` returns the names of the libraries a binary links to.
    """
    dropped: list[str] = []

    def rule_filter(toc):
        kept = []
        for entry in toc:
            dest = entry[0]
            if keep_entry(dest, platform, svg):
                kept.append(entry)
            else:
                dropped.append(dest)
        return kept

    binaries = rule_filter(binaries)
    datas = rule_filter(datas)
    system = tuple(SYSTEM_LIBS.get(platform, {}))
    if system:
        kept = []
        for e in binaries:
            if _is_shared_lib(e[0]) and any(fnmatch.fnmatch(_basename(e[0], platform), p) for p in system):
                dropped.append(e[0])
            else:
                kept.append(e)
        binaries = kept

    # Reachability: roots are extension modules, kept plugins, executables and
    # protected libraries; follow link-time imports by file name.
    real = [e for e in binaries if e[2] != "SYMLINK"]
    by_name: dict[str, list] = {}
    for e in real:
        by_name.setdefault(_basename(e[0], platform), []).append(e)

    def protected(e) -> bool:
        return any(fnmatch.fnmatch(_basename(e[0], platform), p) for p in PROTECTED)

    roots = [e for e in real
             if e[2] in ("EXTENSION", "EXECUTABLE") or _plugin_parts(e[0]) or not _is_shared_lib(e[0]) or protected(e)]
    reached: set[int] = set()
    stack = list(roots)
    while stack:
        e = stack.pop()
        if id(e) in reached:
            continue
        reached.add(id(e))
        try:
            names = get_imports(e[1])
        except Exception as exc:  # noqa: BLE001 - be conservative: keep what we cannot analyse
            log(f"qt_prune: cannot analyse {e[1]}: {exc}")
            names = []
        for name in names:
            for dep in by_name.get(_basename(name, platform), ()):
                if id(dep) not in reached:
                    stack.append(dep)
    kept_bins = []
    kept_dests = set()
    for e in real:
        if id(e) in reached:
            kept_bins.append(e)
            kept_dests.add(_norm(e[0]))
        else:
            dropped.append(e[0])
    for e in binaries:  # symlinks survive only if their target does
        if e[2] == "SYMLINK":
            if _norm(e[1]) in kept_dests:
                kept_bins.append(e)
            else:
                dropped.append(e[0])
    datas_out = []
    for e in datas:
        if e[2] == "SYMLINK" and _norm(e[1]) not in kept_dests and _is_shared_lib(e[1]):
            dropped.append(e[0])
            continue
        datas_out.append(e)
    return kept_bins, datas_out, dropped
