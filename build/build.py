"""Build jixiao's standalone program, its installer, smoke-test and measure it.

    python build/build.py                 # everything: app, reference, .deb, smoke test, figures
    python build/build.py --update-docs   # ... and write the figures into docs/performance.md
    python build/build.py --check         # fast dry run: configuration only, builds nothing
    python build/build.py --write-version # only regenerate src/jixiao/_version.py

Steps (see docs/building.md):

1. write ``src/jixiao/_version.py`` from pyproject.toml (the only hand-written version);
2. PyInstaller ``installer.spec`` -> ``build/out/dist/jixiao/`` (onedir);
3. PyInstaller ``build/reference/reference.spec`` -> ``build/out/dist/reference/``, a bare
   PySide6 window frozen the same way (skip with ``--skip-reference``);
4. Linux: ``build/out/jixiao_<version>_<arch>.deb`` with dpkg-deb (``--skip-deb``);
   Windows: ``build/out/jixiao-<version>-setup.exe`` with Inno Setup's ISCC if installed;
5. smoke test of the frozen binary: ``--version``, export of the bundled example to .xlsx
   and .pdf, an offscreen GUI screenshot;
6. size of the onedir app vs the reference, and time to first window (median of
   alternating runs with ``JIXIAO_BENCH_FIRST_PAINT=1``, offscreen), printed side by side.

Uses only the standard library (plus PyInstaller, and pypdf if installed to count pages).
"""

from __future__ import annotations

import argparse
import ast
import datetime as _dt
import json
import os
import platform
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
OUT = BUILD / "out"
DIST = OUT / "dist"
WORK = BUILD / "work"
SPEC = ROOT / "installer.spec"
REF_SPEC = BUILD / "reference" / "reference.spec"
VERSION_FILE = ROOT / "src" / "jixiao" / "_version.py"
DOCS = ROOT / "docs" / "performance.md"
EXAMPLE = ROOT / "resources" / "examples" / "乌鲁木齐市科学技术局-2024.jxzp"
LINUX = BUILD / "linux"
ISS = BUILD / "windows" / "jixiao.iss"
IS_WIN = sys.platform == "win32"
EXE = ".exe" if IS_WIN else ""

# Targets from the issue.
SIZE_TARGET = 1.0      # onedir app no larger than the reference
STARTUP_TARGET = 1.5   # time to first window within 1.5x the reference

# The Debian packages of the system libraries the bundled Qt loads from the host
# (the xcb platform plugin's X11 libraries, libcups for the print dialog...): one
# list, shared with scripts/setup-*.sh (docs/building.md).
QT_PACKAGES = LINUX / "qt-runtime-packages.txt"


def read_packages(path: Path = QT_PACKAGES) -> list[str]:
    """Package names of a list file: one per line, `#` starts a comment."""
    names = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [n for n in names if n]


def build_glibc() -> str | None:
    """The build machine's glibc version ("2.36"): the frozen binaries need at least that."""
    try:
        value = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (AttributeError, ValueError, OSError):
        value = ""
    m = re.fullmatch(r"glibc (\d+\.\d+)", value.strip())
    return m.group(1) if m else None


def deb_depends() -> list[str]:
    """The .deb's Depends: libc6 as new as the build machine's, then the Qt package list."""
    glibc = build_glibc()
    return [f"libc6 (>= {glibc})" if glibc else "libc6", *read_packages()]


ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


# --------------------------------------------------------------------------- helpers
def log(msg: str) -> None:
    print(msg, flush=True)


def step(msg: str) -> None:
    log(f"\n== {msg}")


class BuildError(Exception):
    pass


def project_version() -> str:
    if str(BUILD) not in sys.path:  # build/'s own modules, also when the tests import this file
        sys.path.insert(0, str(BUILD))
    from project_version import project_version as version_of

    return version_of(ROOT)


def version_file_text(version: str) -> str:
    return ('"""Fallback version for frozen builds; build/build.py rewrites it from pyproject.toml."""\n\n'
            f'VERSION = "{version}"\n')


def version_in_file() -> str | None:
    try:
        tree = ast.parse(VERSION_FILE.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "VERSION" for t in node.targets):
            if isinstance(node.value, ast.Constant):
                return node.value.value
    return None


def write_version(version: str) -> bool:
    """Write _version.py when it differs; True if written."""
    if version_in_file() == version and VERSION_FILE.read_text(encoding="utf-8") == version_file_text(version):
        return False
    VERSION_FILE.write_text(version_file_text(version), encoding="utf-8")
    return True


def tree_size(path: Path) -> int:
    """Apparent size in bytes of every file under path (symlinks counted as links, like du -b)."""
    total = 0
    for root, dirs, files in os.walk(path):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            total += os.lstat(os.path.join(root, name)).st_size
    return total


def mib(n: int) -> str:
    return f"{n / 1048576:.1f} MiB"


def run(cmd: list, log_file: Path | None = None, **kw) -> subprocess.CompletedProcess:
    log("+ " + " ".join(str(c) for c in cmd))
    if log_file:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(log_file, "w", encoding="utf-8") as fh:
            proc = subprocess.run([str(c) for c in cmd], stdout=fh, stderr=subprocess.STDOUT, **kw)
        if proc.returncode:
            tail = log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
            raise BuildError(f"{cmd[0]} failed ({proc.returncode}); last lines of {log_file}:\n" + "\n".join(tail))
        return proc
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


def frozen_env(**extra: str) -> dict:
    """Environment for running frozen binaries: nothing from the source checkout leaks in."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "JIXIAO_RESOURCES", "VIRTUAL_ENV")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


# --------------------------------------------------------------------------- building
def pyinstaller(spec: Path, name: str) -> Path:
    start = time.monotonic()
    run([sys.executable, "-m", "PyInstaller", spec, "--noconfirm", "--log-level", "WARN",
         "--distpath", DIST, "--workpath", WORK / name], log_file=OUT / "logs" / f"pyinstaller-{name}.log", cwd=ROOT)
    log(f"   built {DIST / name} in {time.monotonic() - start:.0f} s (log: build/out/logs/pyinstaller-{name}.log)")
    return DIST / name


def deb_arch() -> str:
    try:
        return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        machine = platform.machine()
        return {"x86_64": "amd64", "aarch64": "arm64", "loongarch64": "loong64"}.get(machine, machine)


def build_deb(app: Path, version: str) -> Path:
    arch = deb_arch()
    stage = OUT / "deb" / f"jixiao_{version}_{arch}"
    if stage.exists():
        shutil.rmtree(stage)
    opt = stage / "opt" / "jixiao"
    shutil.copytree(app, opt, symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    os.symlink("/opt/jixiao/jixiao", stage / "usr" / "bin" / "jixiao")

    share = stage / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(LINUX / "jixiao.desktop", share / "applications" / "jixiao.desktop")
    (share / "mime" / "packages").mkdir(parents=True)
    shutil.copy2(LINUX / "jixiao-mime.xml", share / "mime" / "packages" / "jixiao.xml")
    icons = ROOT / "resources" / "icons"
    for size in ICON_SIZES:
        src = icons / f"jixiao-{size}.png"
        for kind, name in (("apps", "jixiao.png"), ("mimetypes", "application-x-jixiao-document.png")):
            d = share / "icons" / "hicolor" / f"{size}x{size}" / kind
            d.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, d / name)
    for kind, name in (("apps", "jixiao.svg"), ("mimetypes", "application-x-jixiao-document.svg")):
        d = share / "icons" / "hicolor" / "scalable" / kind
        d.mkdir(parents=True, exist_ok=True)
        shutil.copy2(icons / "jixiao.svg", d / name)
    doc = share / "doc" / "jixiao"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "jixiao (绩效自评表填报工具)\nLicense: MIT\n\n"
        "Bundled font AR PL UMing CN: Arphic Public License, see\n"
        "/opt/jixiao/_internal/resources/fonts/LICENSE-ARPHICPL.txt\n\n"
        "Bundled Qt 6 / PySide6 libraries: LGPL-3.0; Python: PSF License; openpyxl: MIT; reportlab: BSD.\n",
        encoding="utf-8")

    debian = stage / "DEBIAN"
    debian.mkdir()
    installed_kib = (tree_size(stage) + 1023) // 1024
    (debian / "control").write_text(
        f"Package: jixiao\nVersion: {version}\nSection: office\nPriority: optional\nArchitecture: {arch}\n"
        f"Maintainer: jixiao maintainers <jixiao@localhost>\nInstalled-Size: {installed_kib}\n"
        f"Depends: {', '.join(deb_depends())}\n"
        "Homepage: https://example.invalid/jixiao\n"
        "Description: 绩效自评表填报工具 - budget performance self-evaluation forms\n"
        " jixiao fills in China's budget performance self-evaluation forms (项目支出、\n"
        " 部门整体支出绩效自评表), checks totals, scores and deviations live and exports\n"
        " Excel workbooks and print-ready PDF files. Runs completely offline; the\n"
        " program is self-contained in /opt/jixiao (no Python needed).\n",
        encoding="utf-8")
    for script in ("postinst", "postrm"):
        src = LINUX / script
        shutil.copy2(src, debian / script)
        os.chmod(debian / script, 0o755)
    for root, dirs, files in os.walk(stage):  # dpkg wants sane permissions
        for d in dirs:
            p = os.path.join(root, d)
            if not os.path.islink(p):
                os.chmod(p, 0o755)
        for f in files:
            p = os.path.join(root, f)
            if not os.path.islink(p):
                mode = os.stat(p).st_mode
                os.chmod(p, 0o755 if mode & 0o111 else 0o644)
    deb = OUT / f"jixiao_{version}_{arch}.deb"
    run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", stage, deb],
        log_file=OUT / "logs" / "dpkg-deb.log")
    return deb


def check_deb(deb: Path, version: str) -> list[str]:
    """Inspect the .deb without installing it; run the extracted binary."""
    results = []
    info = subprocess.run(["dpkg-deb", "--field", deb, "Package", "Version", "Depends"],
                          capture_output=True, text=True, check=True).stdout
    if f"Version: {version}" not in info or "Package: jixiao" not in info:
        raise BuildError(f".deb control fields wrong:\n{info}")
    contents = subprocess.run(["dpkg-deb", "--contents", deb], capture_output=True, text=True, check=True).stdout
    for needed in ("./opt/jixiao/jixiao", "./usr/bin/jixiao -> /opt/jixiao/jixiao",
                   "./usr/share/applications/jixiao.desktop", "./usr/share/mime/packages/jixiao.xml",
                   "./usr/share/icons/hicolor/256x256/apps/jixiao.png",
                   "./opt/jixiao/_internal/resources/fonts/LICENSE-ARPHICPL.txt"):
        if needed not in contents:
            raise BuildError(f".deb lacks {needed}")
    results.append(f".deb control and file list OK ({len(contents.splitlines())} entries)")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["dpkg-deb", "-x", deb, tmp], check=True)
        exe = Path(tmp) / "opt" / "jixiao" / "jixiao"
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60, env=frozen_env(), cwd=tmp)
        if out.stdout.strip() != f"jixiao {version}":
            raise BuildError(f"extracted .deb binary says {out.stdout!r} {out.stderr[-500:]!r}")
        results.append(f"extracted .deb runs: {out.stdout.strip()}")
    if shutil.which("desktop-file-validate"):
        v = subprocess.run(["desktop-file-validate", LINUX / "jixiao.desktop"], capture_output=True, text=True)
        ok = v.returncode == 0 and not v.stdout.strip()
        results.append("desktop-file-validate: " + ("OK" if ok else v.stdout.strip()))
    return results


def find_iscc() -> str | None:
    for cand in (shutil.which("iscc"), shutil.which("ISCC"),
                 r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe", r"C:\Program Files\Inno Setup 6\ISCC.exe"):
        if cand and Path(cand).exists():
            return cand
    return None


def build_windows_installer(version: str) -> Path | None:
    iscc = find_iscc()
    if not iscc:
        log("   Inno Setup (ISCC.exe) not found: skipping setup.exe; see docs/building.md")
        return None
    run([iscc, f"/DAppVersion={version}", f"/DBundleDir={DIST / 'jixiao'}", f"/O{OUT}", ISS],
        log_file=OUT / "logs" / "iscc.log")
    return OUT / f"jixiao-{version}-setup.exe"


# --------------------------------------------------------------------------- smoke test
def pdf_pages(path: Path) -> int:
    try:
        from pypdf import PdfReader

        return len(PdfReader(str(path)).pages)
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page(?![a-z])", path.read_bytes()))


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:32]
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise BuildError(f"{path} is not a PNG")
    return struct.unpack(">II", data[16:24])


def smoke_test(app: Path, version: str) -> list[str]:
    exe = app / f"jixiao{EXE}"
    results = []
    with tempfile.TemporaryDirectory(prefix="jixiao-smoke-") as tmp:
        tmp = Path(tmp)
        env = frozen_env(JIXIAO_CONFIG_DIR=str(tmp / "config"), JIXIAO_RECOVERY_DIR=str(tmp / "recovery"))

        def call(*args, timeout=180):
            t0 = time.monotonic()
            p = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                               errors="replace", timeout=timeout, env=env, cwd=tmp)
            if p.returncode:
                raise BuildError(f"`jixiao {' '.join(map(str, args))}` exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
            return p, time.monotonic() - t0

        p, _ = call("--version")
        if p.stdout.strip() != f"jixiao {version}":
            raise BuildError(f"--version says {p.stdout.strip()!r}, pyproject says {version!r}")
        results.append(f"--version: {p.stdout.strip()} (matches pyproject.toml)")

        if not IS_WIN:  # started through a symlink, as /usr/bin/jixiao is
            link = tmp / "jixiao-link"
            os.symlink(exe, link)
            q = subprocess.run([link, "--version"], capture_output=True, text=True, timeout=60, env=env, cwd=tmp)
            if q.stdout.strip() != f"jixiao {version}":
                raise BuildError(f"started through a symlink: {q.stdout!r} {q.stderr[-400:]!r}")
            results.append("--version through a symlink (as /usr/bin/jixiao): OK")

        doc = tmp / EXAMPLE.name  # a copy: the bundled example must not be needed in place
        shutil.copy2(EXAMPLE, doc)
        xlsx, pdf = tmp / "out.xlsx", tmp / "out.pdf"
        p, secs = call("export", doc, "--xlsx", xlsx, "--pdf", pdf)
        with zipfile.ZipFile(xlsx) as z:
            names = set(z.namelist())
            if "xl/workbook.xml" not in names or z.testzip() is not None:
                raise BuildError("exported .xlsx is not a valid workbook")
            sheets = len([n for n in names if n.startswith("xl/worksheets/sheet")])
        head = pdf.read_bytes()
        if not head.startswith(b"%PDF-") or b"%%EOF" not in head[-1024:]:
            raise BuildError("exported .pdf is not a PDF")
        pages = pdf_pages(pdf)
        if pages < 1:
            raise BuildError("exported .pdf has no pages")
        results.append(f"export: out.xlsx {xlsx.stat().st_size} B, {sheets} sheets (zip OK); "
                       f"out.pdf {pdf.stat().st_size} B, {pages} pages ({secs:.1f} s)")

        docx, rpdf = tmp / "自评报告.docx", tmp / "自评报告.pdf"  # python-docx and lxml, frozen
        p, secs = call("report", doc, "--docx", docx, "--pdf", rpdf)
        with zipfile.ZipFile(docx) as z:
            if "word/document.xml" not in z.namelist() or z.testzip() is not None:
                raise BuildError("the report .docx is not a Word file")
            paragraphs = z.read("word/document.xml").count(b"<w:p>") + z.read("word/document.xml").count(b"<w:p ")
        if not rpdf.read_bytes().startswith(b"%PDF-"):
            raise BuildError("the report .pdf is not a PDF")
        results.append(f"report: 自评报告.docx {docx.stat().st_size} B, {paragraphs} paragraphs (zip OK); "
                       f"自评报告.pdf {pdf_pages(rpdf)} pages ({secs:.1f} s)")

        back = tmp / "back.jxzp"  # whatever we write, we read back (openpyxl and lxml, frozen)
        p, secs = call("import", xlsx, "-o", back)
        p, _ = call("score", back, "--format", "json")
        forms = len(json.loads(p.stdout)["forms"])
        if forms < 1:
            raise BuildError("the workbook imported back holds no form")
        results.append(f"import of out.xlsx: {back.stat().st_size} B .jxzp, {forms} forms scored ({secs:.1f} s)")

        shot = tmp / "shot.png"
        p, secs = call("gui", doc, "--screenshot", shot)
        w, h = png_size(shot)
        keep = OUT / "smoke-screenshot.png"
        shutil.copy2(shot, keep)
        results.append(f"gui --screenshot (offscreen): {w}x{h} PNG, {shot.stat().st_size} B ({secs:.1f} s), "
                       f"kept as build/out/{keep.name}")
        if IS_WIN and not (app / "jixiao-gui.exe").exists():
            raise BuildError("jixiao-gui.exe missing")
    return results


# --------------------------------------------------------------------------- measuring
def first_paint(cmd: list, timeout: float = 60) -> dict[str, float]:
    """Wall seconds from process start to the `first-paint` line (the window's first
    paint) and, for jixiao, to the `document-shown` line (the grid painted with the
    opened document); plus `internal`, the first-paint figure the program printed."""
    env = frozen_env(JIXIAO_BENCH_FIRST_PAINT="1")
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        env.update(JIXIAO_CONFIG_DIR=os.path.join(tmp, "c"), JIXIAO_RECOVERY_DIR=os.path.join(tmp, "r"))
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env=env, cwd=tmp, text=True, encoding="utf-8", errors="replace")
        got: dict[str, float] = {}
        watchdog = threading.Timer(timeout, proc.kill)  # a program that never paints must not hang the build
        watchdog.start()
        try:
            deadline = t0 + timeout
            for line in proc.stdout:
                key, _, value = line.strip().partition(" ")
                if key in ("first-paint", "document-shown"):
                    got[key] = time.perf_counter() - t0
                    if key == "first-paint":
                        try:
                            got["internal"] = float(value)
                        except ValueError:
                            got["internal"] = float("nan")
                if time.perf_counter() > deadline:
                    break
            if "first-paint" not in got:
                raise BuildError(f"{cmd[0]} printed no `first-paint` line (is JIXIAO_BENCH_FIRST_PAINT implemented?)")
            return got
        finally:
            watchdog.cancel()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def measure_startup(cases: dict[str, list], runs: int) -> dict[str, dict]:
    """Alternate the cases run by run (so machine noise hits all alike); one discarded warm-up each."""
    for cmd in cases.values():
        first_paint(cmd)
    got: dict[str, list[dict[str, float]]] = {k: [] for k in cases}
    for _ in range(runs):
        for name, cmd in cases.items():
            got[name].append(first_paint(cmd))
    out = {}
    for k, rs in got.items():
        walls = [r["first-paint"] for r in rs]
        out[k] = {"median": statistics.median(walls), "min": min(walls), "max": max(walls), "runs": walls,
                  "internal": statistics.median(r["internal"] for r in rs)}
        docs = [r["document-shown"] for r in rs if "document-shown" in r]
        if len(docs) == len(rs):
            out[k]["document"] = {"median": statistics.median(docs), "runs": docs}
    return out


def load_average() -> float | None:
    """The 1-minute load average (None where the system has none, e.g. Windows)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def report(version, sizes, startup, deb, smoke, runs, load=None) -> str:
    """The figures as markdown (printed and, with --update-docs, written to docs/performance.md)."""
    import PyInstaller
    try:
        from PySide6 import __version__ as pyside
    except ImportError:
        pyside = "?"
    lines = [f"Measured {_dt.date.today().isoformat()} by `python build/build.py --update-docs` "
             f"(jixiao {version}, {platform.system()} {platform.machine()}, Python {platform.python_version()}, "
             f"PyInstaller {PyInstaller.__version__}, PySide6 {pyside}, {os.cpu_count()} cores shared with other "
             "jobs).",
             "The reference is `build/reference/`: one empty 1400×900 PySide6 `QMainWindow` (jixiao's default window "
             "size) frozen the same way "
             "(PyInstaller onedir, same options) with PyInstaller's default PySide6 collection.", ""]
    lines += ["| | jixiao | reference | ratio | target | |", "|---|---:|---:|---:|---:|---|"]
    if "reference" in sizes:
        r = sizes["jixiao"] / sizes["reference"]
        lines.append(f"| onedir size | {mib(sizes['jixiao'])} ({sizes['jixiao']:,} B) | {mib(sizes['reference'])} "
                     f"({sizes['reference']:,} B) | {r:.2f} | ≤ {SIZE_TARGET:.2f} | "
                     f"{'met' if r <= SIZE_TARGET else 'MISSED'} |")
    else:
        lines.append(f"| onedir size | {mib(sizes['jixiao'])} ({sizes['jixiao']:,} B) | — | — "
                     f"| ≤ {SIZE_TARGET:.2f} | |")
    if startup and "reference" in startup:
        ref = startup["reference"]["median"]
        s = startup["jixiao"]
        r = s["median"] / ref
        lines.append(f"| time to first window (median of {runs}) | {s['median']:.3f} s | "
                     f"{ref:.3f} s | {r:.2f}× | ≤ {STARTUP_TARGET}× | {'met' if r <= STARTUP_TARGET else 'MISSED'} |")
        if "document" in s:
            d = s["document"]["median"]
            lines.append(f"| time to the example document on screen (20 forms; the reference has none) | {d:.3f} s | "
                         f"{ref:.3f} s | {d / ref:.2f}× | — | |")
    if deb:
        lines.append(f"| .deb ({deb.name}) | {mib(deb.stat().st_size)} | — | — | — | xz-compressed |")
    if startup:
        if load and None not in load:
            lines += ["", f"Load average (1 min) before/after the start-up runs: {load[0]:.2f} / {load[1]:.2f} on "
                      f"{os.cpu_count()} cores; above the core count the absolute times grow with the other jobs' "
                      "work, the ratios (runs alternated) much less."]
        lines += ["", "Start-up: wall time from process start to the `first-paint` line each program prints after "
                  "its main window's first paint (`JIXIAO_BENCH_FIRST_PAINT=1`, `QT_QPA_PLATFORM=offscreen`), runs of "
                  "each alternated, one warm-up each discarded. jixiao shows its window first and opens the document "
                  "right after that first paint; it then prints `document-shown` when the grid has been painted "
                  "with the document. Per run (s):", ""]
        for k, s in startup.items():
            lines.append(f"- {k}, first window: " + ", ".join(f"{x:.3f}" for x in s["runs"])
                         + f" (min {s['min']:.3f}; in-process figure {s['internal']:.3f})")
            if "document" in s:
                lines.append(f"- {k}, document shown: " + ", ".join(f"{x:.3f}" for x in s["document"]["runs"]))
    if (startup and "reference" in startup
            and startup["jixiao"]["median"] > STARTUP_TARGET * startup["reference"]["median"]):
        lines += ["", "The start-up target is missed by the application's own work (importing its modules, building "
                  "the window, opening the document), not by the packaging: see "
                  "[building.md](building.md#where-the-start-up-time-goes)."]
    if smoke:
        lines += ["", "Smoke test of the frozen build:", ""] + [f"- {x}" for x in smoke]
    return "\n".join(lines)


def update_docs(text: str) -> None:
    doc = DOCS.read_text(encoding="utf-8")
    start, end = "<!-- build:start -->", "<!-- build:end -->"
    if start not in doc or end not in doc:
        raise BuildError(f"{DOCS} lacks the {start} … {end} markers")
    before, rest = doc.split(start, 1)
    _, after = rest.split(end, 1)
    DOCS.write_text(f"{before}{start}\n{text}\n{end}{after}", encoding="utf-8")
    log(f"   updated {DOCS.relative_to(ROOT)}")


# --------------------------------------------------------------------------- --check
def check() -> int:
    """Fast consistency checks; builds nothing, writes nothing."""
    problems, notes = [], []
    version = project_version()
    notes.append(f"pyproject version {version}")
    if version_in_file() != version:
        problems.append(f"src/jixiao/_version.py says {version_in_file()!r}, pyproject {version!r} "
                        "(run python build/build.py --write-version)")
    for p in (SPEC, REF_SPEC, BUILD / "launcher.py", BUILD / "qt_prune.py", BUILD / "rthook_no_pil.py",
              BUILD / "reference" / "reference_app.py"):
        try:
            ast.parse(p.read_text(encoding="utf-8"), str(p))
        except (OSError, SyntaxError) as exc:
            problems.append(f"{p.relative_to(ROOT)}: {exc}")
    for p in ("resources/templates", "resources/fonts/ARPLUMingCN.ttf", "resources/fonts/LICENSE-ARPHICPL.txt",
              "resources/icons/jixiao.png", "resources/icons/jixiao.ico", "resources/icons/jixiao.svg",
              *(f"resources/icons/jixiao-{s}.png" for s in ICON_SIZES)):
        if not (ROOT / p).exists():
            problems.append(f"missing {p}")
    try:
        if not read_packages():
            problems.append(f"{QT_PACKAGES.relative_to(ROOT)} lists no package")
    except OSError as exc:
        problems.append(f"{QT_PACKAGES.relative_to(ROOT)}: {exc}")
    if not EXAMPLE.exists():
        problems.append(f"missing the bundled example {EXAMPLE.relative_to(ROOT)} (the smoke test exports it)")
    try:
        ET.parse(LINUX / "jixiao-mime.xml")
    except (OSError, ET.ParseError) as exc:
        problems.append(f"build/linux/jixiao-mime.xml: {exc}")
    desktop = (LINUX / "jixiao.desktop").read_text(encoding="utf-8") if (LINUX / "jixiao.desktop").exists() else ""
    if "MimeType=application/x-jixiao-document;" not in desktop:
        problems.append("build/linux/jixiao.desktop does not declare application/x-jixiao-document")
    iss = ISS.read_text(encoding="utf-8-sig") if ISS.exists() else ""
    if ".jxzp" not in iss or "jixiao-gui.exe" not in iss:
        problems.append("build/windows/jixiao.iss lacks the .jxzp association")
    try:
        import PyInstaller

        notes.append(f"PyInstaller {PyInstaller.__version__}")
    except ImportError:
        problems.append("PyInstaller is not installed (pip install -e '.[build]')")
    try:
        sys.path.insert(0, str(BUILD))
        import PySide6
        import qt_prune

        used = qt_prune.used_qt_modules(ROOT / "src" / "jixiao")
        excl = qt_prune.qt_excludes(used, qt_prune.available_qt_modules(Path(PySide6.__file__).parent))
        notes.append(f"Qt modules bundled: {', '.join(sorted(used))}; {len(excl)} PySide6 modules excluded")
    except ImportError as exc:
        problems.append(f"cannot compute Qt excludes: {exc}")
    if not IS_WIN and not shutil.which("dpkg-deb"):
        notes.append("dpkg-deb not found: the .deb step would need --skip-deb")
    for n in notes:
        log(f"   {n}")
    for p in problems:
        log(f"   PROBLEM: {p}")
    log("check: " + ("OK" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="fast dry run: check the configuration, build nothing")
    ap.add_argument("--write-version", action="store_true", help="only write src/jixiao/_version.py")
    ap.add_argument("--skip-build", action="store_true", help="reuse build/out/dist/jixiao (and reference) as built")
    ap.add_argument("--skip-reference", action="store_true", help="do not build the reference (reuse it if present)")
    ap.add_argument("--skip-deb", action="store_true", help="no .deb (Linux) / setup.exe (Windows)")
    ap.add_argument("--skip-smoke", action="store_true", help="no smoke test")
    ap.add_argument("--skip-measure", action="store_true", help="no size/start-up figures")
    ap.add_argument("--runs", type=int, default=7, help="start-up runs per program (default 7)")
    ap.add_argument("--update-docs", action="store_true", help="write the figures into docs/performance.md")
    a = ap.parse_args(argv)

    if a.check:
        return check()
    version = project_version()
    step(f"version {version} (pyproject.toml)")
    log("   wrote src/jixiao/_version.py" if write_version(version) else "   src/jixiao/_version.py up to date")
    if a.write_version:
        return 0
    try:
        app, ref = DIST / "jixiao", DIST / "reference"
        if not a.skip_build:
            step("PyInstaller: installer.spec -> build/out/dist/jixiao")
            pyinstaller(SPEC, "jixiao")
        if not a.skip_build and not a.skip_reference:
            step("PyInstaller: build/reference/reference.spec -> build/out/dist/reference")
            pyinstaller(REF_SPEC, "reference")
        if not (app / f"jixiao{EXE}").exists():
            raise BuildError(f"{app} has no jixiao{EXE}")

        deb = None
        if not a.skip_deb:
            if IS_WIN:
                step("Inno Setup installer")
                setup = build_windows_installer(version)
                if setup:
                    log(f"   {setup}")
            elif shutil.which("dpkg-deb"):
                step("Debian package")
                deb = build_deb(app, version)
                log(f"   {deb.relative_to(ROOT)} ({mib(deb.stat().st_size)})")
            else:
                log("   dpkg-deb not found: no .deb")

        smoke = []
        if not a.skip_smoke:
            step("smoke test of the frozen build")
            smoke = smoke_test(app, version)
            if deb:
                smoke += check_deb(deb, version)
            for s in smoke:
                log(f"   ok  {s}")

        if a.skip_measure:
            return 0
        step("size and start-up vs the bare PySide6 reference")
        sizes = {"jixiao": tree_size(app)}
        have_ref = (ref / f"reference{EXE}").exists()
        if have_ref:
            sizes["reference"] = tree_size(ref)
        startup, load = {}, None
        if a.runs > 0:
            bench = OUT / "bench"  # a copy: the app puts a lock file beside an open document
            bench.mkdir(parents=True, exist_ok=True)
            doc = bench / EXAMPLE.name
            shutil.copy2(EXAMPLE, doc)
            cases = {"jixiao": [app / f"jixiao{EXE}", "gui", doc]}
            if have_ref:
                cases["reference"] = [ref / f"reference{EXE}"]
            load = (load_average(), None)
            startup = measure_startup(cases, a.runs)
            load = (load[0], load_average())
        text = report(version, sizes, startup, deb, smoke, a.runs, load)
        log("")
        log(text)
        if a.update_docs:
            update_docs(text)
        missed = []
        if have_ref and sizes["jixiao"] > SIZE_TARGET * sizes["reference"]:
            missed.append("size")
        if startup.get("reference") and startup["jixiao"]["median"] > STARTUP_TARGET * startup["reference"]["median"]:
            missed.append("start-up")
        if missed:
            log(f"\nTARGET MISSED: {', '.join(missed)} (see the figures above)")
        return 0
    except BuildError as exc:
        log(f"\nBUILD FAILED: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
