#!/usr/bin/env bash
# Quick start, part one: install what is missing, build, and start Go-Ticket
# on its embedded default with demo data.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

data_dir="${XDG_DATA_HOME:-$HOME/.local/share}/go-ticket"
mkdir -p "$data_dir"

echo
echo "Starting the Go-Ticket server with demo data ($data_dir/central.db)."
echo "Sign in as cashier/cashier, manager/manager or admin/admin. Ctrl+C stops it."
exec ./build/src/server/go-ticket-server --db "$data_dir/central.db" --port "${PORT:-8080}" --demo
