#!/usr/bin/env bash
# Install jixiao into .venv and open the bundled example (or FILE) in the desktop app:
#
#     bash scripts/setup-run.sh [FILE]
#
# Steps: Debian packages Qt needs (and python3-venv when missing), jixiao and its
# Python packages in .venv, then the window. On a machine without a display it
# renders the document to files an officer can open instead (a PNG of the window,
# the PDF and the Excel workbook, in out/ of the repository) and says where they
# are. Run again, it skips what is already installed. See scripts/setup-lib.sh.
set -euo pipefail
. "$(dirname "$0")/setup-lib.sh"

OUT="${JIXIAO_OUT:-$ROOT/out}"
EXAMPLE="$ROOT/resources/examples/乌鲁木齐市科学技术局-2024.jxzp"

has_display() {
  case "$(uname -s)" in
    Linux | *BSD) [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ] ;;
    *) return 0 ;;
  esac
}

setup_begin 3
mapfile -t packages < <(read_packages "$QT_PACKAGES_FILE")
apt_step $(python_needs) "${packages[@]}"
venv_step ""

if has_display; then
  step "打开 jixiao 窗口" "starting jixiao"
  setup_done
  exec "$VPY" -m jixiao gui "$@"
fi

doc="${1:-$EXAMPLE}"
[ -f "$doc" ] || die "文件不存在：$doc" "no such file: $doc"
name="$(basename "${doc%.*}")"
mkdir -p "$OUT"
png="$OUT/$name.png" pdf="$OUT/$name.pdf" xlsx="$OUT/$name.xlsx"
step "没有图形显示：把 $name 渲染为文件" "no display: rendering $name to files"
{
  echo "jixiao：没有可用的图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY），所以不打开窗口，"
  echo "        而是把文档渲染为窗口截图、PDF 和 Excel 工作簿。要看真正的窗口，请在桌面上运行本命令，"
  echo "        或在虚拟屏幕上运行：  apt-get install xvfb && xvfb-run -a $VPY -m jixiao gui"
  echo "jixiao: no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so no window: the document is"
  echo "        rendered to a screenshot of the window, a PDF and an Excel workbook instead. To see the real"
  echo "        window run this command on a desktop, or on a virtual screen:"
  echo "        apt-get install xvfb && xvfb-run -a $VPY -m jixiao gui"
} >&2
if [ "$doc" = "$EXAMPLE" ]; then
  shot_args=()  # the app's own example, opened as an untitled copy (no lock file in the repository)
else
  shot_args=("$doc")
fi
# the export first: it refuses a damaged file at once, with the program's own message
logged "$VPY" -m jixiao export "$doc" --pdf "$pdf" --xlsx "$xlsx"
logged timeout 300 env QT_QPA_PLATFORM=offscreen "$VPY" -m jixiao gui "${shot_args[@]}" --screenshot "$png"
echo "      窗口截图 / window screenshot:   $png"
echo "      PDF（打印、签字盖章 / to print and sign）: $pdf"
echo "      Excel 工作簿 / Excel workbook:  $xlsx"
