#!/usr/bin/env bash
# Renders a `nas inspect --html` report in headless Chromium (Debian's `chromium` package), with the
# network switched off, and fails if the page logs any console message or error. Writes a screenshot.
#   scripts/check_report_in_chromium.sh report.html [screenshot.png]
set -euo pipefail
report="$(realpath "$1")"
screenshot="$(realpath -m "${2:-${report%.html}.png}")"
command -v chromium >/dev/null || { echo "check_report: apt-get install chromium" >&2; exit 2; }
profile="$(mktemp -d)"
log="$(mktemp)"
trap 'rm -rf "$profile" "$log"' EXIT
# --enable-logging=stderr makes Chromium print every console message as a "CONSOLE" line; the proxy
# pointing nowhere makes any attempt to fetch something from the network fail visibly.
chromium --headless=new --no-sandbox --disable-gpu --user-data-dir="$profile" \
  --proxy-server=127.0.0.1:9 --enable-logging=stderr --v=0 \
  --window-size=1400,4200 --screenshot="$screenshot" "file://$report" 2>"$log" >/dev/null || true
if grep -E "CONSOLE|Uncaught|net::ERR" "$log"; then
  echo "check_report: $report logged the messages above" >&2
  exit 1
fi
[ -s "$screenshot" ] || { echo "check_report: no screenshot written" >&2; cat "$log" >&2; exit 1; }
echo "check_report: $report rendered with no console messages; screenshot $screenshot"
