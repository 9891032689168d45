#!/usr/bin/env bash
# Load test of `pundit serve`: wrk on loopback replays the shared query
# workload as /api/search requests (facets and snippets on, some paged, some
# with more facet values) and checks that the server stays healthy.
#
#   bench/load.sh [--quick] [--duration S] [--connections C] [--articles N]
#                 [--warmup S] [--wrk-threads T] [--timeout S]
#                 [--build DIR] [--data DIR] [--serve-args "ARGS"]
#
#   (default)        100,000 articles (make_corpus.py -n 100000 --seed 1, the
#                    corpus shared/queries/synthetic-100k.jsonl was drawn
#                    from), 60 s, 64 connections
#   --quick          5,000 articles, 10 s: checks errors and memory, not speed
#   --duration S     measured run (default 60)
#   --connections C  wrk connections (default 64)
#   --articles N     corpus size (default 100000)
#   --warmup S       warm-up run before the memory baseline (default 15;
#                    --quick 5)
#   --wrk-threads T  wrk threads (default 2)
#   --timeout S      wrk's per-request timeout (default 5)
#   --build DIR      build tree holding pundit (default: build)
#   --data DIR       corpora and indexes (default: BUILD/bench-data)
#   --serve-args "ARGS"  more flags for `pundit serve` (e.g. "--threads 64")
#
# Steps: generate DATA/corpus-N.jsonl if missing (the same file bench/run.sh
# makes; without ../shared and at most 20,000 articles, DATA/synth-corpus-N.jsonl
# and its workload from bench/synth_corpus.py instead) and split it into
# DATA/corpus-N.shards/ (pundit reads files of at
# most 64 MiB); bring DATA/load-index-N up to date with `pundit index` (a
# no-op when it is) and check that it holds the corpus; write the request paths (bench/workload_paths.py); start
# `pundit serve --port 0` and read its port from the "serving" line; run wrk
# for the warm-up and read the server's resident memory (VmRSS) as the
# baseline; run wrk --latency for the measured run with
# bench/wrk_workload.lua; read VmRSS again; bench/load_check.py prints the
# summary. Exit status 1 when any request failed (socket errors or
# timeouts), any response was not 2xx/3xx, or resident memory grew more
# than 10% over the baseline. Results stay in DATA/load-N/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
shared="${PUNDIT_SHARED:-$root/../shared}"
build="$root/build"
data=""
articles=100000
duration=60
connections=64
warmup=""
wrk_threads=2
timeout=5
serve_args=""

die() { echo "bench/load.sh: error: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) articles=5000; duration=10; warmup="${warmup:-5}"; shift ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --articles) articles="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --wrk-threads) wrk_threads="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --build) build="$(cd "$2" && pwd)" || die "no build folder $2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --serve-args) serve_args="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
warmup="${warmup:-15}"
for v in articles duration connections warmup wrk_threads timeout; do
  [[ "${!v}" =~ ^[0-9]+$ && "${!v}" -gt 0 ]] || die "--${v//_/-} wants a positive number, got \"${!v}\""
done
[[ -x "$build/pundit" ]] || die "$build/pundit is missing: build it with \`cmake --build $build --target pundit\`"
command -v wrk > /dev/null || die "wrk is missing: apt-get install wrk"
workload="$shared/queries/synthetic-100k.jsonl"
data="${data:-$build/bench-data}"
mkdir -p "$data"
synthetic=""
if [[ ! -f "$workload" || ! -f "$shared/tools/make_corpus.py" ]]; then
  # Without ../shared a machine can still check errors and memory (--quick,
  # as CI does) on a corpus and workload made by bench/synth_corpus.py.
  [[ "$articles" -le 20000 ]] ||
    die "no workload at $workload; set PUNDIT_SHARED to the shared/ folder"
  synthetic="synth-"
  log "no shared corpora at $shared: using bench/synth_corpus.py"
fi
corpus="$data/${synthetic}corpus-$articles.jsonl"
index="$data/load-index-${synthetic}$articles"
res="$data/load-${synthetic}$articles"
mkdir -p "$res"
rm -f "$res"/*

# ---- corpus and index ----
if [[ -n "$synthetic" ]]; then
  workload="$data/synth-workload.jsonl"
  if [[ ! -s "$corpus" || ! -s "$workload" ]]; then
    python3 "$here/synth_corpus.py" --articles "$articles" \
      --corpus "$corpus.tmp" --workload "$workload"
    mv "$corpus.tmp" "$corpus"
  fi
elif [[ ! -s "$corpus" ]]; then
  log "generating $articles articles into $corpus"
  python3 "$shared/tools/make_corpus.py" -n "$articles" --seed 1 --out "$corpus.tmp" \
    "$shared"/corpora/*/articles.jsonl
  mv "$corpus.tmp" "$corpus"
fi
# pundit reads files of at most 64 MiB: the corpus is indexed as a folder of
# shards of 5,000 lines (about 25 MB).
shards="$data/corpus-$articles.shards"
if [[ ! -d "$shards" || "$corpus" -nt "$shards" ]]; then
  rm -rf "$shards" "$shards.tmp"
  mkdir -p "$shards.tmp"
  split -l 5000 -d -a 4 --additional-suffix=.jsonl "$corpus" "$shards.tmp/part-"
  mv "$shards.tmp" "$shards"
fi
log "indexing $shards into $index (incremental: nothing to do when up to date)"
status=0
/usr/bin/time -f '%e s, peak RSS %M KB' -o "$res/index.time" \
  "$build/pundit" index --db "$index" "$shards" > "$res/index.log" 2>&1 || status=$?
[[ "$status" == 0 || "$status" == 2 ]] || { tail -5 "$res/index.log" >&2; die "pundit index failed (log: $res/index.log)"; }
grep '^indexed ' "$res/index.log" >&2 || true
indexed="$("$build/pundit" stats --db "$index" | python3 -c 'import json, sys; print(json.load(sys.stdin)["articles"])')"
(( indexed * 100 >= articles * 99 )) ||
  die "the index holds $indexed articles, not the $articles of the corpus (log: $res/index.log)"

# ---- request paths: the workload, some paged, some with more facet values ----
python3 "$here/workload_paths.py" "$workload" |
  awk 'NR % 3 == 0 { print $0 "&page=2"; next }
       NR % 5 == 0 { print $0 "&facet_limit=50&per_page=20"; next }
       { print }' > "$res/paths.txt"

# ---- server ----
server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
    server_pid=""
  fi
}
trap stop_server EXIT
# shellcheck disable=SC2086  # serve_args is a list of flags
"$build/pundit" serve --db "$index" --host 127.0.0.1 --port 0 --quiet $serve_args \
  > "$res/serve.out" 2> "$res/serve.err" &
server_pid=$!
port=""
for _ in $(seq 1 600); do
  port="$(sed -n 's|^pundit: serving .* on http://127\.0\.0\.1:\([0-9]*\)/$|\1|p' "$res/serve.err")"
  [[ -n "$port" ]] && break
  kill -0 "$server_pid" 2> /dev/null || { cat "$res/serve.err" >&2; die "pundit serve exited"; }
  sleep 0.1
done
[[ -n "$port" ]] || die "pundit serve did not say it was listening (log: $res/serve.err)"
url="http://127.0.0.1:$port"
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status"; }
fds() { find "/proc/$server_pid/fd" -mindepth 1 -maxdepth 1 | wc -l; }

run_wrk() {  # run_wrk SECONDS OUT
  wrk -t"$wrk_threads" -c"$connections" -d"$1s" --timeout "${timeout}s" --latency \
    -s "$here/wrk_workload.lua" "$url" -- "$res/paths.txt" > "$2" 2>&1 ||
    { cat "$2" >&2; die "wrk failed"; }
}

log "serving $index on $url (pid $server_pid, $(rss) KB resident at start)"
echo "start_rss_kb $(rss)" > "$res/memory.txt"
log "warm-up: $connections connections, ${warmup} s"
run_wrk "$warmup" "$res/wrk-warmup.txt"
{
  echo "warm_rss_kb $(rss)"
  echo "warm_fds $(fds)"
} >> "$res/memory.txt"
log "measured: $connections connections, ${duration} s"
run_wrk "$duration" "$res/wrk.txt"
{
  echo "end_rss_kb $(rss)"
  echo "end_fds $(fds)"
  awk '/^VmHWM:/ { print "peak_rss_kb", $2 }' "/proc/$server_pid/status"
} >> "$res/memory.txt"
kill -0 "$server_pid" 2> /dev/null || die "pundit serve died during the run"
stop_server

{
  echo "articles $indexed"
  echo "connections $connections"
  echo "duration_s $duration"
  echo "cores $(nproc)"
  echo "date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "serve_args $serve_args"
} > "$res/run.txt"
python3 "$here/load_check.py" "$res"
