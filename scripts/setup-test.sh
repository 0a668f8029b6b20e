#!/usr/bin/env bash
# Install what the test suite needs on a fresh Debian machine (run as root,
# or with sudo available), then run the whole suite. Used by README and CI.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v xvfb-run >/dev/null 2>&1 || need+=(xvfb)
# LibreOffice prints the exported workbooks in the tests, with the bundled font's face (AR PL UMing)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
for lib in libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 fonts-arphic-uming fonts-dejavu-core; do
  dpkg -s "$lib" >/dev/null 2>&1 || need+=("$lib")
done
if [ "${#need[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -m pip install -q -e ".[test]"
export QT_QPA_PLATFORM=offscreen
export JIXIAO_TEST_SETUP=1  # tests needing LibreOffice fail rather than skip without it
exec python3 -m pytest "$@"
