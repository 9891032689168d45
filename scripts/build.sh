#!/usr/bin/env bash
# Configures and builds pundit into build/ (Release unless BUILD_TYPE is set).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" "$@" >/dev/null
cmake --build "$BUILD_DIR" -j"${JOBS:-$(nproc)}"
