#!/usr/bin/env bash
# Runs the browser end-to-end tests (e2e.mjs) against a built pundit.
#
#   tests/browser/run.sh <pundit binary> <build dir>
#
# Screenshots go to <build dir>/screenshots only; with UPDATE_DOCS=1 in the
# environment, readme.png is also copied to docs/screenshot-search.png (the
# README's picture). Installs nothing: playwright-core comes from
# `npm ci` in this folder (package-lock.json), the browser from the system
# (/usr/bin/chromium, or $CHROMIUM). Exits 77 (skipped) when node or
# Chromium is missing, 1 when a test fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $# -ne 2 ]]; then
  echo "usage: $0 <pundit binary> <build dir>" >&2
  exit 2
fi
pundit="$1"
out="$2/screenshots"
chromium="${CHROMIUM:-/usr/bin/chromium}"

if ! command -v node >/dev/null 2>&1; then
  echo "$0: skipped: node is not installed (apt-get install nodejs npm)" >&2
  exit 77
fi
if [[ ! -x "$chromium" ]]; then
  echo "$0: skipped: no Chromium at $chromium (apt-get install chromium, or set CHROMIUM)" >&2
  exit 77
fi
if [[ ! -f "$here/node_modules/playwright-core/package.json" ]]; then
  echo "$here: error: playwright-core is not installed: run \`npm ci\` in tests/browser" >&2
  exit 1
fi

cd "$here"
exec node e2e.mjs --pundit "$pundit" --out "$out" --chromium "$chromium"
