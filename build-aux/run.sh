#!/usr/bin/env bash
# Quick start, part one: install what is missing, build, and start the
# Go-Ticket box-office app on its embedded default (its own server, in the
# user's data folder) with demo data.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

echo
echo "Starting Go-Ticket with demo data. Sign in as cashier/cashier (or manager/manager, admin/admin)."
# Uninstalled: the settings schema comes from the build tree.
export GSETTINGS_SCHEMA_DIR="$top/build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
# ...and the translations (LANGUAGE=id ./build-aux/run.sh for Indonesian).
export GO_TICKET_LOCALEDIR="$top/build/po"
exec ./build/src/app/go-ticket --demo "$@"
