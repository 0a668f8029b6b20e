"""The README's set-up commands (scripts/setup-run.sh, scripts/setup-test.sh, scripts/setup-lib.sh)
and .ci/run, driven with fake apt-get / dpkg-query / sudo / id and a fake virtual environment
on PATH, so every branch runs here in seconds: which packages are installed and how (lock
timeout, no recommends, sudo), the venv and the quick re-run, the headless render, the window
with a display (a real X server, Qt's xcb plugin), the skip policy.

The real thing, pip downloads included, is `git clone … && env PATH=/usr/sbin:/usr/bin:/sbin:/bin
.ci/run` (docs/building.md).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
QT_LIST = ROOT / "build" / "linux" / "qt-runtime-packages.txt"
BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None or sys.platform == "win32", reason="the set-up scripts are bash")

FAKE_APT = r"""#!/bin/bash
echo "apt-get $*" >> "$FAKE/apt.log"
if [[ " $* " == *" update "* ]]; then
  n=$(cat "$FAKE/locked-updates" 2>/dev/null || echo 0)
  if [ "$n" -gt 0 ]; then
    echo $((n - 1)) > "$FAKE/locked-updates"
    echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)"
    echo "E: Unable to lock directory /var/lib/apt/lists/"
    exit "${FAKE_LOCK_STATUS:-100}"
  fi
  exit 0
fi
seen=0
for a in "$@"; do
  if [ "$seen" = 1 ] && [[ "$a" != -* ]]; then
    echo "$a" >> "$FAKE/installed"
    [ "$a" = python3-venv ] && rm -rf "$FAKE/shadow"
  fi
  [ "$a" = install ] && seen=1
done
exit 0
"""

FAKE_DPKG_QUERY = r"""#!/bin/bash
for last; do :; done
if grep -qxF "$last" "$FAKE/installed" 2>/dev/null; then printf 'ii '; exit 0; fi
echo "dpkg-query: no packages found matching $last" >&2
exit 1
"""

FAKE_ID = """#!/bin/sh
echo "${FAKE_UID:-0}"
"""

FAKE_SUDO = """#!/bin/sh
echo "sudo $*" >> "$FAKE/apt.log"
exec "$@"
"""

# python3 as the distribution's: the real interpreter, but without ensurepip while
# $FAKE/shadow exists (as before `apt-get install python3-venv`); `-m venv` makes a fake venv.
FAKE_PYTHON3 = r"""#!/bin/bash
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  echo "python3 $*" >> "$FAKE/py.log"
  for dir; do :; done
  mkdir -p "$dir/bin"
  cp "$FAKE/venv-python" "$dir/bin/python"
  exit 0
fi
if [ -d "$FAKE/shadow" ]; then export PYTHONPATH="$FAKE/shadow"; fi
exec "$REAL_PYTHON" "$@"
"""

# .venv/bin/python: pip and the deps check are simulated; `-m jixiao` runs the real
# program from this checkout when FAKE_REAL_JIXIAO=1; `-m pytest` only reports.
FAKE_VENV_PYTHON = r"""#!/bin/bash
echo "venv-python $*" >> "$FAKE/py.log"
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then
  [ "$3" = "--version" ] && { [ -f "$FAKE/broken-pip" ] && exit 1; exit 0; }
  touch "$FAKE/pip-ran"; exit 0
fi
case "$1" in
  */venv_deps.py)
    if [ "$2" = check ]; then [ -f "$FAKE/deps-ok" ] && exit 0; echo "no record"; exit 1; fi
    touch "$FAKE/deps-ok"; exit 0 ;;
esac
if [ "$1" = "-m" ] && [ "$2" = "jixiao" ]; then
  if [ "${FAKE_REAL_JIXIAO:-}" = 1 ]; then
    PYTHONPATH="$JIXIAO_SRC" exec "$REAL_PYTHON" "$@"
  fi
  exit 0
fi
if [ "$1" = "-m" ] && { [ "$2" = "ruff" ] || [ "$2" = "mypy" ]; }; then
  echo "static-cwd $PWD" >> "$FAKE/py.log"
  [ -f "$FAKE/fail-$2" ] && { echo "$2: 3 findings"; exit 1; }
  echo "$2: clean"; exit 0
fi
if [ "$1" = "-m" ] && [ "$2" = "pytest" ]; then
  echo "pytest-env QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-} PATH0=${PATH%%:*}" >> "$FAKE/py.log"; exit 0
fi
exec "$REAL_PYTHON" "$@"
"""


def _exe(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


class Fake:
    """A fake Debian machine: fake tools first on PATH, state files in one folder."""

    def __init__(self, tmp: Path):
        self.dir = tmp / "fake"
        self.bin = self.dir / "bin"
        self.bin.mkdir(parents=True)
        _exe(self.bin / "apt-get", FAKE_APT)
        _exe(self.bin / "dpkg-query", FAKE_DPKG_QUERY)
        _exe(self.bin / "id", FAKE_ID)
        _exe(self.bin / "sudo", FAKE_SUDO)
        _exe(self.bin / "python3", FAKE_PYTHON3)
        _exe(self.dir / "venv-python", FAKE_VENV_PYTHON)
        self.venv = tmp / "venv"
        self.out = tmp / "out"
        (self.dir / "installed").write_text("", encoding="utf-8")

    def install(self, *packages: str) -> None:
        with open(self.dir / "installed", "a", encoding="utf-8") as fh:
            fh.writelines(f"{p}\n" for p in packages)

    def installed(self) -> list[str]:
        return (self.dir / "installed").read_text(encoding="utf-8").split()

    def log(self, name: str) -> str:
        p = self.dir / name
        return p.read_text(encoding="utf-8") if p.exists() else ""

    def no_ensurepip(self) -> None:
        shadow = self.dir / "shadow" / "ensurepip"
        shadow.mkdir(parents=True)
        (shadow / "__init__.py").write_text("raise ImportError('python3-venv is not installed')\n", encoding="utf-8")

    def venv_ready(self) -> None:
        (self.venv / "bin").mkdir(parents=True)
        shutil.copy2(self.dir / "venv-python", self.venv / "bin" / "python")
        (self.dir / "deps-ok").touch()

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHONPATH", "JIXIAO_NO_SKIP")}
        env.update(PATH=f"{self.bin}:/usr/bin:/bin", FAKE=str(self.dir), REAL_PYTHON=sys.executable,
                   JIXIAO_SRC=str(ROOT / "src"), JIXIAO_VENV=str(self.venv), JIXIAO_OUT=str(self.out),
                   JIXIAO_APT_LOCK_TIMEOUT="30", JIXIAO_APT_RETRY_SECONDS="0.1", TMPDIR=str(self.dir))
        env.update(extra)
        return env

    def run(self, args: list[str], timeout: float = 120, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([BASH, *args], capture_output=True, text=True, env=self.env(**extra), timeout=timeout,
                              cwd=self.dir)

    def lib(self, body: str, **extra: str) -> subprocess.CompletedProcess:
        """Run shell code with setup-lib.sh sourced, as the scripts do."""
        return self.run(["-c", f'set -euo pipefail; . "{SCRIPTS}/setup-lib.sh"; {body}'], **extra)


@pytest.fixture
def fake(tmp_path) -> Fake:
    return Fake(tmp_path)


def qt_packages() -> list[str]:
    out = subprocess.run([BASH, "-c", f'. "{SCRIPTS}/setup-lib.sh"; read_packages "{QT_LIST}"'],
                         capture_output=True, text=True, check=True)
    return out.stdout.split()


# ------------------------------------------------------------------ the one Qt package list
def test_qt_package_list_is_read_by_the_scripts_the_deb_and_the_docs():
    pkgs = qt_packages()
    assert {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0", "libegl1",
            "libfontconfig1", "libdbus-1-3", "libcups2"} <= set(pkgs)
    assert len(pkgs) == len(set(pkgs)) and all(" " not in p and "#" not in p for p in pkgs)
    spec = importlib.util.spec_from_file_location("jixiao_build_build", ROOT / "build" / "build.py")
    build_py = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_py)
    assert build_py.deb_depends()[1:] == pkgs  # after libc6 (>= the build machine's glibc)
    assert build_py.deb_depends()[0].startswith("libc6 (>= ")
    assert "qt-runtime-packages.txt" in (ROOT / "docs" / "building.md").read_text(encoding="utf-8")
    for script in ("setup-run.sh", "setup-test.sh"):
        assert "QT_PACKAGES_FILE" in (SCRIPTS / script).read_text(encoding="utf-8")


def test_no_second_copy_of_the_qt_package_list():
    """The X11 libraries are named in the list file only (no script, build file or doc repeats them)."""
    names = [p for p in qt_packages() if p.startswith(("libxcb-", "libxkbcommon"))]
    places = [*SCRIPTS.glob("*"), *(ROOT / "build").rglob("*.py"), ROOT / "installer.spec", ROOT / "README.md",
              *(ROOT / "docs").glob("*.md"), ROOT / ".ci" / "run"]
    for path in places:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [n for n in names if n in text], f"{path.relative_to(ROOT)} repeats the Qt package list"


# ------------------------------------------------------------------ apt
def test_apt_nothing_missing_runs_no_apt(fake):
    fake.install("a", "b", "c")
    r = fake.lib("setup_begin 1; apt_step a b c")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "[1/1] 系统软件包已齐全（3个） / apt packages: all 3 present\n"
    assert fake.log("apt.log") == ""


def test_apt_installs_only_the_missing_with_a_lock_timeout(fake):
    fake.install("a")
    r = fake.lib("setup_begin 2; apt_step a b libc9", JIXIAO_APT_LOCK_TIMEOUT="77")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["[1/2] 安装系统软件包（2个）：b libc9 / apt: installing 2 packages"]
    update, install = fake.log("apt.log").splitlines()
    assert update == "apt-get -o DPkg::Lock::Timeout=77 update -qq"
    assert install == ("apt-get -o DPkg::Lock::Timeout=77 install -y -qq --no-install-recommends b libc9")
    assert fake.installed() == ["a", "b", "libc9"]
    assert not list(fake.dir.glob("jixiao-setup.*")), "the log file is removed after a successful run"


def test_apt_counts_a_t64_rename_as_installed(fake):
    fake.install("libcups2t64", "libglib2.0-0t64")
    r = fake.lib("setup_begin 1; apt_step libcups2 libglib2.0-0")
    assert r.returncode == 0 and "all 2 present" in r.stdout
    assert fake.log("apt.log") == ""


def test_apt_through_sudo_when_not_root(fake):
    r = fake.lib("setup_begin 1; apt_step b", FAKE_UID="1000")
    assert r.returncode == 0, r.stderr
    lines = fake.log("apt.log").splitlines()
    assert lines[0].startswith("sudo apt-get ") and "update" in lines[0]
    assert any(x.startswith("sudo env DEBIAN_FRONTEND=noninteractive apt-get ") for x in lines)


@pytest.mark.parametrize("status", ["0", "100"])  # apt 2.6 says so and exits 0; older ones exit 100
def test_apt_update_waits_for_a_held_lists_lock(fake, status):
    """`apt-get update` ignores DPkg::Lock::Timeout for its own lock: the script retries."""
    (fake.dir / "locked-updates").write_text("3", encoding="utf-8")
    r = fake.lib("setup_begin 1; apt_step b", FAKE_LOCK_STATUS=status)
    assert r.returncode == 0, r.stderr
    calls = fake.log("apt.log").splitlines()
    assert sum(" update " in f" {c} " for c in calls) == 4 and calls[-1].split()[-1] == "b"
    assert fake.installed() == ["b"]


def test_apt_gives_up_after_the_lock_timeout_with_a_message(fake):
    (fake.dir / "locked-updates").write_text("1000", encoding="utf-8")
    r = fake.lib("setup_begin 1; apt_step b", JIXIAO_APT_LOCK_TIMEOUT="0")
    assert r.returncode == 1
    assert "apt 被其他程序占用" in r.stderr and "held by another program" in r.stderr
    assert fake.installed() == []


def test_failed_install_shows_the_log_and_keeps_it(fake):
    _exe(fake.bin / "apt-get",
         '#!/bin/sh\ncase "$*" in *install*) echo "E: Unable to locate package zz"; exit 100;; esac\n')
    r = fake.lib("setup_begin 1; apt_step zz")
    assert r.returncode == 1
    assert "E: Unable to locate package zz" in r.stderr and "command failed" in r.stderr and "命令失败" in r.stderr
    assert len(list(fake.dir.glob("jixiao-setup.*"))) == 1


def test_python3_venv_requested_when_ensurepip_is_missing(fake):
    fake.no_ensurepip()
    r = fake.lib("python_needs")
    assert r.stdout.split() == ["python3-venv"]
    shutil.rmtree(fake.dir / "shadow")  # as `apt-get install python3-venv` does
    assert fake.lib("python_needs").stdout.split() == []


# ------------------------------------------------------------------ venv and pip
def test_venv_created_and_jixiao_installed_then_skipped(fake):
    r = fake.lib('setup_begin 1; venv_step "test"')
    assert r.returncode == 0, r.stderr
    assert r.stdout == (f"[1/1] 在 {fake.venv} 中安装 jixiao 及其 Python 软件包 / "
                        f"pip: installing jixiao[test] into {fake.venv}\n")
    log = fake.log("py.log")
    assert f"python3 -m venv --clear {fake.venv}" in log
    assert f"venv-python -m pip install --disable-pip-version-check -e {ROOT}[test]" in log
    assert "venv_deps.py record test" in log
    # second run: nothing to do, no pip
    (fake.dir / "py.log").unlink()
    (fake.dir / "pip-ran").unlink()
    r = fake.lib('setup_begin 1; venv_step "test"')
    assert r.returncode == 0
    assert r.stdout == f"[1/1] Python 软件包已齐全（{fake.venv}） / Python packages: all present in {fake.venv}\n"
    assert not (fake.dir / "pip-ran").exists() and "venv --clear" not in fake.log("py.log")


def test_broken_venv_is_recreated(fake):
    fake.venv_ready()
    (fake.dir / "deps-ok").unlink()
    (fake.dir / "broken-pip").touch()
    r = fake.lib('setup_begin 1; venv_step ""')
    assert r.returncode == 0, r.stderr
    assert f"python3 -m venv --clear {fake.venv}" in fake.log("py.log")
    assert f"-e {ROOT}\n" in fake.log("py.log")


def test_existing_venv_reused_when_packages_changed(fake):
    fake.venv_ready()
    (fake.dir / "deps-ok").unlink()
    r = fake.lib('setup_begin 1; venv_step ""')
    assert r.returncode == 0, r.stderr
    assert "venv --clear" not in fake.log("py.log") and (fake.dir / "pip-ran").exists()


def test_too_old_python_is_refused_with_a_message(fake):
    _exe(fake.bin / "python3", '#!/bin/sh\n[ "$1" = -V ] && { echo "Python 3.9.2"; exit 0; }\nexit 1\n')
    r = fake.lib('setup_begin 1; venv_step ""')
    assert r.returncode == 1
    assert "Python ≥ 3.10" in r.stderr and "Python >= 3.10" in r.stderr and "3.9.2" in r.stderr


# ------------------------------------------------------------------ setup-run.sh
def test_run_without_display_renders_the_example_to_files(fake):
    examples = sorted(p.name for p in (ROOT / "resources" / "examples").iterdir())
    fake.install(*qt_packages())
    fake.venv_ready()
    r = fake.run([str(SCRIPTS / "setup-run.sh")], timeout=300, FAKE_REAL_JIXIAO="1")
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("[1/3] 系统软件包已齐全") and lines[1].startswith("[2/3] Python 软件包已齐全")
    assert lines[2].startswith("[3/3] 没有图形显示") and "no display: rendering" in lines[2]
    name = "乌鲁木齐市科学技术局-2024"
    png, pdf, xlsx = (fake.out / f"{name}.{ext}" for ext in ("png", "pdf", "xlsx"))
    for path in (png, pdf, xlsx):
        assert str(path) in r.stdout  # says where they are
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    with zipfile.ZipFile(xlsx) as z:
        assert "xl/workbook.xml" in z.namelist()
    assert "没有可用的图形显示" in r.stderr and "no display" in r.stderr  # the notice goes to stderr
    assert "没有可用的图形显示" not in r.stdout
    assert sorted(p.name for p in (ROOT / "resources" / "examples").iterdir()) == examples  # nothing left there


def test_run_without_display_renders_a_given_file(fake, tmp_path):
    fake.install(*qt_packages())
    fake.venv_ready()
    doc = tmp_path / "单位-2024.json"
    doc.write_bytes((ROOT / "tests" / "data" / "seeds" / "s002_p03.json").read_bytes())
    r = fake.run([str(SCRIPTS / "setup-run.sh"), str(doc)], timeout=300, FAKE_REAL_JIXIAO="1")
    assert r.returncode == 0, r.stdout + r.stderr
    assert (fake.out / "单位-2024.png").exists() and (fake.out / "单位-2024.pdf").exists()
    missing = fake.run([str(SCRIPTS / "setup-run.sh"), str(tmp_path / "nope.jxzp")])
    assert missing.returncode == 1 and "文件不存在" in missing.stderr and "no such file" in missing.stderr
    bad = tmp_path / "坏.jxzp"
    bad.write_text("not a document", encoding="utf-8")
    r = fake.run([str(SCRIPTS / "setup-run.sh"), str(bad)], timeout=120, FAKE_REAL_JIXIAO="1")
    assert r.returncode == 1 and "jixiao：" in r.stderr  # the program's own message, shown from the log
    assert not (fake.out / "坏.png").exists()


def test_run_with_a_display_opens_the_window(fake):
    fake.install(*qt_packages())
    fake.venv_ready()
    r = fake.run([str(SCRIPTS / "setup-run.sh"), "a.jxzp"], DISPLAY=":77")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == "[3/3] 打开 jixiao 窗口 / starting jixiao"
    assert fake.log("py.log").splitlines()[-1] == "venv-python -m jixiao gui a.jxzp"
    assert not fake.out.exists()


def test_first_run_on_a_bare_machine_installs_everything(fake):
    fake.no_ensurepip()
    r = fake.run([str(SCRIPTS / "setup-run.sh")], DISPLAY=":77")
    assert r.returncode == 0, r.stderr
    installed = fake.installed()
    assert installed[0] == "python3-venv" and set(qt_packages()) <= set(installed)
    assert r.stdout.count("\n") == 3  # one line per step
    assert f"python3 -m venv --clear {fake.venv}" in fake.log("py.log")


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run (package xvfb) not installed")
def test_run_with_a_real_x_server_shows_the_window(fake):
    """On an X server (Xvfb) the run command opens the real window through Qt's xcb plugin:
    proves the package list holds every library the plugin needs."""
    fake.install(*qt_packages())
    fake.venv_ready()
    r = subprocess.run(["xvfb-run", "-a", BASH, str(SCRIPTS / "setup-run.sh")], capture_output=True, text=True,
                       timeout=180, cwd=fake.dir,
                       env=fake.env(FAKE_REAL_JIXIAO="1", JIXIAO_BENCH_FIRST_PAINT="1"))
    assert r.returncode == 0, r.stdout + r.stderr  # Qt aborts when the xcb plugin cannot load
    assert "[3/3] 打开 jixiao 窗口" in r.stdout
    assert "first-paint" in r.stdout and "document-shown" in r.stdout  # the window and the example, painted


# ------------------------------------------------------------------ setup-test.sh and .ci/run
def test_test_command_installs_what_the_tests_use_and_runs_pytest(fake):
    fake.no_ensurepip()
    r = fake.run([str(SCRIPTS / "setup-test.sh"), "-q", "tests/core"])
    assert r.returncode == 0, r.stderr
    installed = set(fake.installed())
    assert {"python3-venv", "libreoffice-calc-nogui", "libreoffice-writer-nogui", "poppler-utils", "xvfb",
            "xauth", "fonts-arphic-uming"} <= installed
    assert set(qt_packages()) <= installed
    steps = [x for x in r.stdout.splitlines() if x.startswith("[")]
    assert [x[:5] for x in steps] == ["[1/4]", "[2/4]", "[3/4]", "[4/4]"]
    assert "static checks" in steps[2] and "test suite" in steps[3]
    assert "clean" not in r.stdout + r.stderr  # a clean check prints nothing of its own
    log = fake.log("py.log")
    assert f"-e {ROOT}[test]" in log
    # ruff over the tree, then mypy on the core, from the repository, before the tests
    lines = log.splitlines()
    ruff, mypy = lines.index("venv-python -m ruff check ."), lines.index("venv-python -m mypy src/jixiao/core")
    assert lines[ruff + 1] == lines[mypy + 1] == f"static-cwd {ROOT}"
    assert ruff < mypy < lines.index("venv-python -m pytest -q tests/core")
    assert f"pytest-env QT_QPA_PLATFORM=offscreen PATH0={fake.venv}/bin" in log


@pytest.mark.parametrize("tool", ["ruff", "mypy"])
def test_a_static_check_with_findings_stops_before_the_tests(fake, tool):
    fake.no_ensurepip()
    (fake.dir / f"fail-{tool}").touch()
    r = fake.run([str(SCRIPTS / "setup-test.sh"), "-q", "tests/core"])
    assert r.returncode == 1
    assert f"{tool}: 3 findings" in r.stderr  # the findings, shown
    assert "静态检查未通过" in r.stderr and f"static check failed: {tool}" in r.stderr
    assert "-m pytest" not in fake.log("py.log")
    assert "test suite" not in r.stdout


def test_the_static_checks_are_pinned_in_the_test_extras():
    """What setup-test.sh runs is installed by `pip install -e .[test]`, at one version."""
    text = (ROOT / "scripts" / "setup-test.sh").read_text(encoding="utf-8")
    block = text.split("STATIC_CHECKS=(", 1)[1].split(")", 1)[0]
    tools = [line.split('"')[1].split()[0] for line in block.splitlines() if line.strip().startswith('"')]
    assert tools == ["ruff", "mypy"]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    extras = pyproject.split("\ntest = [", 1)[1].split("\n]", 1)[0]  # no tomllib on Python 3.10
    for tool in tools:
        assert re.search(rf'^\s*"{tool}==\d+(\.\d+)+",', extras, re.M), (tool, extras)


def test_ci_runs_the_readme_command_with_the_system_python_and_no_skips(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    (repo / "scripts").mkdir()
    shutil.copy2(ROOT / ".ci" / "run", repo / ".ci" / "run")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "\n    bash scripts/setup-test.sh\n" in readme and "\n    bash scripts/setup-run.sh\n" in readme
    (repo / "README.md").write_text(readme, encoding="utf-8")
    _exe(repo / "scripts" / "setup-test.sh",
         '#!/bin/sh\necho "PATH0=${PATH%%:*} NO_SKIP=$JIXIAO_NO_SKIP"\nexit "${STATUS:-0}"\n')
    env = {**os.environ, "PATH": "/usr/local/bin:/usr/bin:/bin"}
    r = subprocess.run([BASH, str(repo / ".ci" / "run")], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "PATH0=/usr/bin NO_SKIP=1" in r.stdout
    for status, expected in (("5", 1), ("3", 3)):
        r = subprocess.run([BASH, str(repo / ".ci" / "run")], capture_output=True, text=True,
                           env={**env, "STATUS": status}, timeout=60)
        assert r.returncode == expected


def test_venv_is_git_ignored():
    if shutil.which("git") and (ROOT / ".git").exists():
        assert subprocess.run(["git", "check-ignore", "-q", ".venv/bin/python"], cwd=ROOT).returncode == 0
    else:  # a copy of the tree without git
        assert "/.venv/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_pytest_collects_tests_build(tmp_path):
    """pytest's default norecursedirs holds `build`: without pyproject's own list, a plain
    `pytest` (the test command) would never run tests/build."""
    (tmp_path / "tests" / "build").mkdir(parents=True)
    (tmp_path / "tests" / "build" / "test_probe.py").write_text("def test_probe():\n    pass\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                        "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path), str(tmp_path / "tests")],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert "tests/build/test_probe.py::test_probe" in r.stdout, r.stdout + r.stderr
