#!/usr/bin/env bash
# Build the Linux bundle with PyInstaller and smoke-test it like a person would:
#   1. `wrapup-desktop --version` prints the package version;
#   2. a demo export (the built-in sandbox org, no network) writes a CSV with the header row;
#   3. the window opens offscreen on the demo org and saves a screenshot;
#   4. with Xvfb installed, the same window opens on a real X server through the xcb plugin.
#
#   bash packaging/check_bundle.sh              # build into dist/, then test
#   bash packaging/check_bundle.sh --no-build   # test the bundle already in dist/
#
# Needs the `package` extra (pip install -e '.[package]'); set PYTHON to use another interpreter,
# and WRAPUP_DIST for another output folder. Every file the checks write, including the app's
# settings and logs, goes to a temporary folder that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Python that has the package extra installed: the active virtual environment's by default.
python=${PYTHON:-python3}
out=${WRAPUP_DIST:-dist}
if [[ "${1:-}" != "--no-build" ]]; then
    "$python" packaging/build.py --out "$out" --bundle-only
fi
bundle="$out/pyinstaller/wrapup-desktop"
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' wrapup_desktop/__init__.py)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Keep the app's settings, logs and cache out of the real home folder.
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state"
export XDG_CACHE_HOME="$tmp/cache" XDG_DATA_HOME="$tmp/data"
export QT_QPA_PLATFORM=offscreen
mkdir -p "$HOME"

fail() { echo "FAIL: $*" >&2; exit 1; }

echo "bundle: $bundle ($(du -sh "$bundle" | cut -f1))"

printed=$("$bundle/wrapup-desktop" --version)
[[ "$printed" == "wrapup-desktop $version" ]] || fail "--version printed '$printed'"
echo "ok: --version -> $printed"

day_from=$(date -u -d '8 days ago' +%F)
day_to=$(date -u -d '7 days ago' +%F)
"$bundle/wrapup-desktop" export --demo --from "$day_from" --to "$day_to" --tz Europe/Berlin \
    --csv "$tmp/demo.csv" >"$tmp/export.out" 2>&1 || { cat "$tmp/export.out"; fail "demo export"; }
head -c 200 "$tmp/demo.csv" | grep -q "conversation_id,conversation_start" || fail "CSV header"
rows=$(($(wc -l <"$tmp/demo.csv") - 1))
((rows > 0)) || fail "the demo export wrote no rows"
echo "ok: demo export -> $rows rows"

"$bundle/wrapup-desktop-gui" --demo --from "$day_from" --to "$day_to" \
    --screenshot "$tmp/window.png" >"$tmp/gui.out" 2>&1 || { cat "$tmp/gui.out"; fail "window"; }
[[ "$(head -c 8 "$tmp/window.png" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]] \
    || fail "the screenshot is not a PNG"
echo "ok: offscreen window -> $(stat -c %s "$tmp/window.png") byte PNG"

if command -v xvfb-run >/dev/null 2>&1; then
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" \
        "$bundle/wrapup-desktop-gui" --demo --from "$day_from" --to "$day_to" \
        --screenshot "$tmp/window-xcb.png" >"$tmp/xcb.out" 2>&1 \
        || { cat "$tmp/xcb.out"; fail "window on Xvfb"; }
    [[ -s "$tmp/window-xcb.png" ]] || fail "no screenshot under Xvfb"
    echo "ok: xcb window under Xvfb -> $(stat -c %s "$tmp/window-xcb.png") byte PNG"
else
    echo "skip: xvfb-run not installed, the xcb window was not tried"
fi
echo "bundle checks passed"
