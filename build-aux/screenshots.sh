#!/usr/bin/env bash
# Screenshots of every view of the running app, for README.md: the app runs
# on its embedded server with demo data under Xvfb and is driven through its
# widgets; each view is rendered to data/screenshots/<view>.png.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

out="$top/data/screenshots"
mkdir -p "$out"
GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$top/build/data" \
  xvfb-run -a -s "-screen 0 1280x800x24" ./build/tests/app/gt-screenshots "$out"
