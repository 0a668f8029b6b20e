#!/usr/bin/env bash
# Install everything the test suite uses into .venv and the system, then run it:
#
#     bash scripts/setup-test.sh [PYTEST ARGS]
#
# Steps: Debian packages (LibreOffice, poppler, xvfb, a CJK font, Qt's X11
# libraries, python3-venv when missing), jixiao with its test extras in .venv,
# static checks, the whole test suite. Used by the README and by .ci/run, which
# also sets JIXIAO_NO_SKIP=1 so that a test skipped on this machine fails
# (tests/skip_policy.py). Run again, it skips what is already installed.
set -euo pipefail
. "$(dirname "$0")/setup-lib.sh"

# What the tests use beyond Qt's libraries: soffice prints the exported workbook
# (tests/excel/test_render_pdf.py), poppler reads PDFs (pdftotext, pdffonts,
# pdfinfo), xvfb-run gives Qt's xcb plugin a real X server
# (tests/build/test_setup_scripts.py), the bundled font's face (AR PL UMing) and DejaVu, with
# which LibreOffice prints the exported workbooks as our PDF does.
TEST_PACKAGES=(libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils xvfb xauth fonts-arphic-uming
               fonts-dejavu-core)

# ---- static checks -----------------------------------------------------------
# One entry per check, run as `.venv/bin/python -m <entry>` from the repository;
# its tool belongs, pinned, in the `test` extras of pyproject.toml, its settings in
# pyproject.toml ([tool.ruff], [tool.mypy]). A failing check stops the script
# before the tests run.
STATIC_CHECKS=(
  "ruff check ."              # the whole tree: src, tests, bench, build, scripts, the specs
  "mypy src/jixiao/core"      # the Qt-free domain core, --strict (pyproject.toml)
)
# -----------------------------------------------------------------------------

setup_begin 4
mapfile -t packages < <(read_packages "$QT_PACKAGES_FILE")
apt_step $(python_needs) "${TEST_PACKAGES[@]}" "${packages[@]}"
venv_step "test"
if [ "${#STATIC_CHECKS[@]}" -eq 0 ]; then
  step "静态检查：暂无" "static checks: none yet"
else
  step "静态检查：${STATIC_CHECKS[*]}" "static checks: ${STATIC_CHECKS[*]}"
  cd "$ROOT"
  for check in "${STATIC_CHECKS[@]}"; do
    # quiet when clean; every finding shown when not
    # shellcheck disable=SC2086 # an entry is a command line
    if ! out="$("$VPY" -m $check 2>&1)"; then
      printf '%s\n' "$out" >&2
      die "静态检查未通过：$check" "static check failed: $check"
    fi
  done
fi
step "运行全部测试" "running the test suite"
cd "$ROOT"
# as if .venv were activated: tests run `jixiao` and `python -m jixiao` in child processes
export VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" QT_QPA_PLATFORM=offscreen
export JIXIAO_TEST_SETUP=1  # tests needing LibreOffice fail rather than skip without it
setup_done
exec "$VPY" -m pytest "$@"
