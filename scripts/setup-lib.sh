# Shared steps of scripts/setup-run.sh and scripts/setup-test.sh (sourced, not run).
#
# Everything goes into a virtual environment in the repository (.venv, git-ignored),
# created with the distribution's own python3, so the scripts work where the system
# Python refuses `pip install` (PEP 668: Debian 12, Ubuntu 23.04+). Each step prints
# one line; the output of apt and pip goes to a log file that is shown when a step
# fails. A second run skips what is already installed.
#
# Settings (environment), mostly for tests:
#   JIXIAO_VENV              the virtual environment (default: <repo>/.venv)
#   JIXIAO_APT_LOCK_TIMEOUT  seconds to wait for a held apt/dpkg lock (default 600)
#   JIXIAO_APT_RETRY_SECONDS pause between tries of `apt-get update` while its lock is held (5)
#   PYTHON                   the Python that creates the venv (default: python3)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${JIXIAO_VENV:-$ROOT/.venv}"
VPY="$VENV/bin/python"
PYTHON="${PYTHON:-python3}"
APT_LOCK_TIMEOUT="${JIXIAO_APT_LOCK_TIMEOUT:-600}"
APT_RETRY_SECONDS="${JIXIAO_APT_RETRY_SECONDS:-5}"
QT_PACKAGES_FILE="$ROOT/build/linux/qt-runtime-packages.txt"
STEP=0
STEPS=0
LOG=""

# setup_begin N: N steps follow; opens the log file (removed again on success).
setup_begin() {
  STEPS="$1"
  LOG="$(mktemp "${TMPDIR:-/tmp}/jixiao-setup.XXXXXX")"
  trap 'setup_exit $?' EXIT
}

setup_exit() {
  if [ "$1" -eq 0 ] && [ -n "$LOG" ]; then rm -f "$LOG"; fi
}

# setup_done: before `exec`ing the program (no EXIT trap runs after an exec).
setup_done() {
  trap - EXIT
  rm -f "$LOG"
}

# step "中文" "English": the one line printed for a step.
step() {
  STEP=$((STEP + 1))
  printf '[%d/%d] %s / %s\n' "$STEP" "$STEPS" "$1" "$2"
}

die() {
  printf 'jixiao setup：%s\njixiao setup: %s\n' "$1" "$2" >&2
  exit 1
}

# logged CMD...: run with its output in the log; on failure show the log's end and stop.
logged() {
  printf '\n$ %s\n' "$*" >>"$LOG"
  if ! "$@" >>"$LOG" 2>&1; then
    printf '\n---- %s (%s) ----\n' "$*" "$LOG" >&2
    tail -n 30 "$LOG" >&2
    die "命令失败：${*:1:3} …（完整输出见 $LOG）" "command failed: ${*:1:3} … (full output in $LOG)"
  fi
}

# The packages of a list file: one per line, `#` comments.
read_packages() {
  sed -e 's/#.*//' -e 's/[[:space:]]//g' "$1" | grep -v '^$'
}

# Installed, under its own name or its t64 rename (Ubuntu 24.04, Debian 13).
have_package() {
  local p
  for p in "$1" "${1}t64"; do
    case "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" in
      ii*) return 0 ;;
    esac
  done
  return 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "需要 root 权限或 sudo 来安装系统软件包" "root or sudo is needed to install Debian packages"
  fi
}

# `apt-get update` does not honour DPkg::Lock::Timeout for its own lock
# (/var/lib/apt/lists/lock, apt 2.6): wait for it here, as long as for the others.
apt_update() {
  local deadline=$((SECONDS + APT_LOCK_TIMEOUT)) out
  while :; do
    printf '\n$ apt-get update\n' >>"$LOG"
    if out="$(as_root apt-get -o "DPkg::Lock::Timeout=$APT_LOCK_TIMEOUT" update -qq 2>&1)"; then
      printf '%s\n' "$out" >>"$LOG"
      case "$out" in
        *"Could not get lock"*) ;;  # apt 2.6 exits 0 without updating
        *) return 0 ;;
      esac
    else
      printf '%s\n' "$out" >>"$LOG"
      case "$out" in
        *"Could not get lock"* | *"Unable to lock"*) ;;
        *)
          printf '%s\n' "$out" | tail -n 30 >&2
          die "apt-get update 失败（完整输出见 $LOG）" "apt-get update failed (full output in $LOG)"
          ;;
      esac
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      die "apt 被其他程序占用超过 ${APT_LOCK_TIMEOUT} 秒" "apt was held by another program for over ${APT_LOCK_TIMEOUT} s"
    fi
    sleep "$APT_RETRY_SECONDS"
  done
}

# python_needs: print the Debian packages the Python step still needs (python3, python3-venv).
python_needs() {
  if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo python3 python3-venv
  elif ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    echo python3-venv
  fi
}

# apt_step PACKAGE...: install the missing ones (one step line either way).
apt_step() {
  local p missing=()
  for p in "$@"; do
    have_package "$p" || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    step "系统软件包已齐全（${#}个）" "apt packages: all $# present"
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    step "不是 Debian/Ubuntu 系统，请自行安装：${missing[*]}" "not a Debian-like system; install these yourself: ${missing[*]}"
    return 0
  fi
  step "安装系统软件包（${#missing[@]}个）：${missing[*]}" "apt: installing ${#missing[@]} packages"
  apt_update
  logged as_root env DEBIAN_FRONTEND=noninteractive apt-get -o "DPkg::Lock::Timeout=$APT_LOCK_TIMEOUT" \
    install -y -qq --no-install-recommends "${missing[@]}"
}

# venv_step EXTRAS: create .venv if needed and install jixiao (editable, with the
# comma-separated EXTRAS) unless what pyproject.toml asks for is already there.
venv_step() {
  local extras="$1" spec="$ROOT"
  [ -n "$extras" ] && spec="$ROOT[$extras]"
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
    die "jixiao 需要 Python ≥ 3.10，$PYTHON 是 $("$PYTHON" -V 2>&1)（见 docs/building.md）" \
        "jixiao needs Python >= 3.10, $PYTHON is $("$PYTHON" -V 2>&1) (see docs/building.md)"
  if [ -x "$VPY" ] && "$VPY" "$ROOT/scripts/venv_deps.py" check "$extras" >/dev/null 2>&1; then
    step "Python 软件包已齐全（$VENV）" "Python packages: all present in $VENV"
    return 0
  fi
  step "在 $VENV 中安装 jixiao 及其 Python 软件包" "pip: installing jixiao$([ -n "$extras" ] && echo "[$extras]") into $VENV"
  if ! [ -x "$VPY" ] || ! "$VPY" -m pip --version >/dev/null 2>&1; then
    logged "$PYTHON" -m venv --clear "$VENV"
  fi
  logged "$VPY" -m pip install --disable-pip-version-check -e "$spec"
  logged "$VPY" "$ROOT/scripts/venv_deps.py" record "$extras"
}
