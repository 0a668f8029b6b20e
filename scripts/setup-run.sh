#!/usr/bin/env bash
# Install jixiao and open the bundled example document in the desktop app.
# On a machine without a display it says so and explains xvfb-run.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q -e .
exec jixiao gui "$@"
