#!/usr/bin/env bash
# Wrap "WrapUp Desktop.app" into a compressed, read-only disk image with an Applications link.
#
#   bash packaging/macos/make_dmg.sh "dist/pyinstaller/WrapUp Desktop.app" dist/WrapUp-Desktop.dmg
#
# macOS only (hdiutil). The image is unsigned: sign the .app with `codesign` and notarize the
# .dmg with `xcrun notarytool` before giving it to people, or Gatekeeper blocks the first start.
set -euo pipefail

app=${1:?usage: make_dmg.sh APP_PATH DMG_PATH}
dmg=${2:?usage: make_dmg.sh APP_PATH DMG_PATH}

if [[ ! -d "$app" ]]; then
    echo "error: $app is not an .app folder; build it first with packaging/build.py" >&2
    exit 1
fi

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT

cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
rm -f "$dmg"
hdiutil create -volname "WrapUp Desktop" -srcfolder "$staging" -fs HFS+ -format UDZO \
    -imagekey zlib-level=9 -ov "$dmg"
echo "wrote $dmg"
