#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test Go-Ticket,
# then configures and builds it in ./build. Sourced by run.sh and test.sh.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

packages=(
  build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libsoup-3.0-dev libjson-glib-dev libsqlite3-dev libsodium-dev
  libgoogle-perftools-dev
  libgtk-4-dev libadwaita-1-dev libqrencode-dev
  desktop-file-utils appstream-util sqlite3 tzdata
  adwaita-icon-theme librsvg2-common
  xvfb xauth poppler-utils zbar-tools fonts-dejavu-core
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

setup_args=()
[ "${CI:-}" = "true" ] && setup_args+=(-Dwerror=true)

if [ -f build/build.ninja ]; then
  meson setup --reconfigure build "${setup_args[@]}" >/dev/null
else
  meson setup build "${setup_args[@]}"
fi
ninja -C build
