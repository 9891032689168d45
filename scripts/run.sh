#!/usr/bin/env bash
# Quick start: installs what is missing, builds pundit (Release), indexes
# corpus/ into the default database and serves the search page.
# Usage: scripts/run.sh [--port N] [--host ADDR]   (default http://127.0.0.1:8080/)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_TYPE=Release PUNDIT_TESTS=OFF scripts/build.sh -DPUNDIT_BUILD_TESTS=OFF -DPUNDIT_BUILD_BENCH=OFF
db=${PUNDIT_DB:-data/index}
set +e
build/pundit index --db "$db" corpus/
status=$?
set -e
# 2 means some input was skipped (already reported above); the rest is indexed.
if [[ $status -ne 0 && $status -ne 2 ]]; then exit "$status"; fi
exec build/pundit serve --db "$db" "$@"
