#!/usr/bin/env bash
# Put Reader's .desktop file and icon into the user's XDG directories.
# The launcher runs the bundle if it was built (dist/reader/reader), else the venv's `reader`.
set -euo pipefail
cd "$(dirname "$0")/.."
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
apps="$data_home/applications"
icons="$data_home/icons/hicolor/scalable/apps"
mkdir -p "$apps" "$icons"
if [[ -x dist/reader/reader ]]; then exe="$PWD/dist/reader/reader"; else exe="$PWD/.venv/bin/reader"; fi
sed "s|^Exec=reader|Exec=$exe|" resources/reader.desktop > "$apps/reader.desktop"
cp resources/icons/reader.svg "$icons/reader.svg"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" >/dev/null 2>&1 || true
echo "installed $apps/reader.desktop and $icons/reader.svg (Exec=$exe)"
