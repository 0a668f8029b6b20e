#!/usr/bin/env bash
# Install jixiao and open the bundled example document in the desktop app.
# On a machine without a display it says so and explains xvfb-run.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
# Qt's xcb platform plugin needs these X11 libraries to open a real window.
for lib in libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
           libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
           libxcb-shape0 libxcb-xinerama0 libxcb-randr0; do
  dpkg -s "$lib" >/dev/null 2>&1 || need+=("$lib")
done
if [ "${#need[@]}" -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -m pip install -q -e .
exec jixiao gui "$@"
