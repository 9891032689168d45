#!/usr/bin/env bash
# Ingest speed: one big JSON Lines file plain, gzip and zstd, and a folder
# of saved web pages, each indexed into a fresh database with
# `pundit index --full`; prints articles/s, pages/s and peak RSS (GNU time)
# for each, and the cost of decompression against the plain file.
#
# Usage: bench/ingest.sh [--build DIR] [--data DIR] [--articles N] [--pages N]
#   --articles N  articles in the one file (default 200,000: about 1 GB)
#   --pages N     saved pages (default 5,000)
# The corpus comes from ../shared/tools/make_corpus.py (--seed 11) and is
# kept in DATA for the next run. Nothing here is a test: it measures.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
shared="$repo/../shared"
build="$repo/build" data="$repo/data/ingest" articles=200000 pages=5000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --articles) articles="$2"; shift 2 ;;
    --pages) pages="$2"; shift 2 ;;
    *) echo "usage: $0 [--build DIR] [--data DIR] [--articles N] [--pages N]" >&2; exit 1 ;;
  esac
done
[[ -x "$build/pundit" ]] || { echo "ingest: no $build/pundit; build it first" >&2; exit 1; }
[[ -f "$shared/tools/make_corpus.py" ]] || { echo "ingest: ../shared is absent" >&2; exit 1; }
mkdir -p "$data"
dump="$data/dump-$articles.jsonl"
if [[ ! -s "$dump" ]]; then
  python3 "$shared/tools/make_corpus.py" -n "$articles" --seed 11 --out "$dump.tmp" \
    "$shared"/corpora/*/articles.jsonl
  mv "$dump.tmp" "$dump"
fi
[[ -s "$dump.gz" ]] || gzip -6 -c "$dump" > "$dump.gz"
[[ -s "$dump.zst" ]] || zstd -q -3 -c "$dump" > "$dump.zst"
site="$data/pages-$pages"
if [[ ! -d "$site" ]]; then
  python3 "$here/make_pages.py" "$dump" "$site.tmp" --limit "$pages"
  mv "$site.tmp" "$site"
fi

# run NAME INPUT: one --full build into a fresh database.
run() {
  local name="$1" input="$2" db="$data/db-$1"
  rm -rf "$db"
  sync
  /usr/bin/time -f '%e %M' -o "$data/$name.time" \
    "$build/pundit" index --db "$db" --full --json "$input" > "$data/$name.json" || true
  read -r secs rss_kb < "$data/$name.time"
  local n
  n=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["indexed"]+j["updated"]+j["unchanged"])' "$data/$name.json")
  printf '%-10s %10s articles %8.1f s %8.0f articles/s  peak %6.0f MB  input %s MB\n' \
    "$name" "$n" "$secs" "$(echo "$n / $secs" | bc -l)" "$(echo "$rss_kb / 1024" | bc -l)" \
    "$(( $(stat -c %s "$input" 2>/dev/null || du -sb "$input" | cut -f1) / 1000000 ))"
  rm -rf "$db"
}
echo "ingest: $(nproc) cores, $(date -u), $("$build/pundit" --version 2>/dev/null || echo pundit)"
run plain "$dump"
run gzip "$dump.gz"
run zstd "$dump.zst"
run pages "$site"
