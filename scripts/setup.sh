#!/usr/bin/env bash
# Installs what pundit needs to build, run and test on Debian 12, by package
# name, and only what is missing (checked with dpkg -s). Safe to run again.
# Usage: scripts/setup.sh [--browser]   (--browser adds Chromium + playwright-core)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config git
  libxapian-dev xapian-tools libicu-dev
  libcpp-httplib-dev libssl-dev zlib1g-dev libzstd-dev liblzma-dev libbz2-dev libxml2-dev libbrotli-dev
  libarchive-dev
  libmd4c-dev libmd4c-html0-dev libsimdjson-dev nlohmann-json3-dev libyaml-cpp-dev
  libcli11-dev libfmt-dev libkainjow-mustache-dev libroaring-dev
  libjemalloc-dev libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev sqlite3 python3 time wrk hyperfine zstd xz-utils bzip2 bc clang-14 libclang-rt-14-dev clang-format clang-tidy-14
  dpkg-dev file help2man
)
if [[ "${1:-}" == "--browser" ]]; then
  packages+=(chromium)
  command -v npm >/dev/null || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all Debian packages present"
fi

if [[ "${1:-}" == "--browser" ]]; then
  if [[ ! -d tests/browser/node_modules/playwright-core ]]; then
    echo "setup: installing playwright-core (npm, from tests/browser/package-lock.json)"
    npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error >/dev/null
  fi
fi
