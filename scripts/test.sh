#!/usr/bin/env bash
# Installs what is missing (Debian packages, Chromium, playwright-core),
# builds pundit with its tests and runs the whole suite: unit, end-to-end,
# API and browser tests. Exits non-zero on any failure.
# Environment: BUILD_DIR (default build), BUILD_TYPE (default Release),
# CTEST_ARGS (extra ctest arguments, e.g. "-LE long").
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-Release} scripts/build.sh -DPUNDIT_BUILD_TESTS=ON "$@"
cd "$BUILD_DIR"
# shellcheck disable=SC2086
ctest --output-on-failure -j"$(nproc)" --timeout 900 ${CTEST_ARGS:-}
