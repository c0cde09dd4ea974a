#!/usr/bin/env bash
# Renders a femur HTML report to PNG with headless Chromium (Debian package `chromium`,
# `scripts/install-deps.sh --report`), so the report can be looked at without a desktop.
#   scripts/screenshot-report.sh [out/report.html] [out/report.png] [WIDTHxHEIGHT]
# The profile is a fresh temporary folder and every background service that would reach the
# network is off: the report is self-contained and needs none.
set -euo pipefail
html="${1:-out/report.html}"
png="${2:-out/report.png}"
size="${3:-1280,3000}"
[ -f "$html" ] || { echo "screenshot-report: no report at $html (run: make demo)" >&2; exit 1; }
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "screenshot-report: chromium not found (run: bash scripts/install-deps.sh --report)" >&2; exit 1; }
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
mkdir -p "$(dirname "$png")"
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --screenshot="$(realpath -m "$png")" --window-size="${size/x/,}" \
  "file://$(realpath "$html")" 2>/dev/null
[ -s "$png" ] || { echo "screenshot-report: chromium wrote no $png" >&2; exit 1; }
echo "screenshot-report: wrote $png"
