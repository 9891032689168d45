#!/usr/bin/env bash
# Runs clang-tidy (checks in .clang-tidy, every finding an error) over the
# product's source files (core indexer searcher remote web cli; the headers
# they include through .clang-tidy's HeaderFilterRegex) of a build's
# compile_commands.json, in parallel, within TIDY_SECONDS (default 600).
# Exits non-zero on any finding or on timeout. Tests and benchmarks are left
# out of CI for time (about 5 CPU seconds a file); check them with
# TIDY_DIRS='(tests|bench)'.
# Usage: scripts/tidy.sh [BUILD_DIR]   (default build; configure it first)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
if [[ ! -f $build/compile_commands.json ]]; then
  echo "tidy: $build/compile_commands.json is missing; run scripts/build.sh first" >&2
  exit 2
fi
root=$(pwd)
dirs=${TIDY_DIRS:-'(core|indexer|searcher|remote|web|cli)'}
# The GCC build's flags include warnings clang does not know
# (-Wno-error=restrict): not a finding.
timeout "${TIDY_SECONDS:-600}" run-clang-tidy -p "$build" -j "$(nproc)" -quiet \
  -extra-arg=-Wno-unknown-warning-option \
  "^$root/$dirs/.*\\.cc\$"
