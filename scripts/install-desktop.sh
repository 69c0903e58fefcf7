#!/usr/bin/env bash
# Put Reader's .desktop file and icon into the user's XDG directories.
# The launcher is, in this order: $READER_EXE if set; the bundle if it was built
# (dist/reader/reader); this checkout's venv (.venv/bin/reader); the `reader` on PATH
# (another venv, pipx, pip --user). With none of them it stops and installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
apps="$data_home/applications"
icons="$data_home/icons/hicolor/scalable/apps"

if [[ -n "${READER_EXE:-}" ]]; then
  exe="$READER_EXE"
elif [[ -x dist/reader/reader ]]; then
  exe="$PWD/dist/reader/reader"
elif [[ -x .venv/bin/reader ]]; then
  exe="$PWD/.venv/bin/reader"
elif command -v reader >/dev/null 2>&1; then
  exe="$(command -v reader)"
else
  echo "install-desktop: no Reader launcher found (no dist/reader/reader, no .venv/bin/reader, no 'reader' on PATH);" \
       "run 'make setup' or 'make bundle' first, or set READER_EXE" >&2
  exit 1
fi
if [[ "$exe" != /* ]]; then exe="$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")"; fi
if [[ ! -f "$exe" || ! -x "$exe" ]]; then
  echo "install-desktop: the launcher $exe is not an executable file" >&2
  exit 1
fi
case "$exe" in
  *[\"\`\$\\]*) echo "install-desktop: the launcher path $exe has a character a desktop entry cannot hold (\" \` \$ \\)" >&2
                exit 1 ;;
esac
exec_arg="$exe"
if [[ "$exe" =~ [^A-Za-z0-9_./+,:@%=-] ]]; then exec_arg="\"$exe\""; fi  # spaces and the like: one quoted argument

mkdir -p "$apps" "$icons"
while IFS= read -r line || [[ -n "$line" ]]; do
  if [[ "$line" == Exec=reader* ]]; then line="Exec=${exec_arg}${line#Exec=reader}"; fi
  printf '%s\n' "$line"
done < resources/reader.desktop > "$apps/reader.desktop"
cp resources/icons/reader.svg "$icons/reader.svg"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" >/dev/null 2>&1 || true
echo "installed $apps/reader.desktop and $icons/reader.svg (Exec=$exec_arg)"
