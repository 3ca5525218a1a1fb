#!/usr/bin/env bash
# Quick start, part two: install what is missing, build, and run every test
# headless. Ends with one line "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" || exit 1

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# UI tests need a display; xvfb-run gives each run its own.
xvfb-run -a -s "-screen 0 1280x1024x24" \
  meson test -C build --print-errorlogs --num-processes 2 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

count() { sed -n "s/^$1: *\([0-9][0-9]*\).*/\1/p" "$log" | tail -n 1; }
ok=$(count Ok); expected=$(count "Expected Fail"); fail=$(count Fail)
unexpected=$(count "Unexpected Pass"); timeout=$(count Timeout); skipped=$(count Skipped)
passed=$(( ${ok:-0} + ${expected:-0} ))
failed=$(( ${fail:-0} + ${unexpected:-0} + ${timeout:-0} ))

if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "No test ran"
  failed=1
fi
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1

echo "${passed} passed, ${failed} failed, ${skipped:-0} skipped"
[ "$failed" -eq 0 ]
