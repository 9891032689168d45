#!/usr/bin/env bash
# Search speed of pundit against plain Xapian (bench/xapian_ref.cc) and SQLite
# FTS5 (bench/sqlite_fts5.cc), on one machine in one run.
#
#   bench/run.sh [--quick | --n N | --million] [--build DIR] [--data DIR]
#                [--engines pundit,xapian,sqlite] [--wrk-seconds S]
#                [--connections C] [--serve-args "ARGS"] [--reuse-index]
#
#   (default)      100,000 synthetic articles (make_corpus.py -n 100000
#                  --seed 1, the corpus shared/queries/synthetic-100k.jsonl
#                  was drawn from), wrk for 30 s
#   --quick        5,000 articles, wrk for 5 s: checks that the whole pipeline
#                  works (exit 1 if an engine fails a step), says nothing
#                  about speed; a few minutes
#   --n N          N articles;  --million  1,000,000 articles
#   --build DIR    build tree holding pundit and bench/ (default: build)
#   --data DIR     generated corpora, indexes and results
#                  (default: DIR_OF_BUILD/bench-data)
#   --engines L    comma-separated subset of pundit, xapian, sqlite
#   --wrk-seconds S, --connections C   the load test (default 30 s, 16)
#   --serve-args "ARGS"  more flags for `pundit serve` (e.g. "--threads 16")
#   --reuse-index  keep an index already built for this N (query runs only)
#   --no-incremental  skip pundit's incremental measurements (below)
#
# Steps, per engine: build the index from scratch, timed by /usr/bin/time -v
# (wall time, articles/s, peak resident memory) and measured with du; run the
# workload in-process after a warm-up pass (median, p95, p99). For pundit
# also over HTTP: `pundit serve` on a free loopback port, the workload once
# more from one keep-alive client (bench/http_query.cc), then wrk with C
# connections cycling through the workload (bench/wrk_workload.lua) for
# requests/s. Then bench/compare_facets.py checks pundit's totals and facet
# counts against xapian_ref's, and bench/report.py prints one table with
# ratios to xapian_ref. Results stay in DATA/results-N/.
#
# pundit reads the corpus as a folder of files of 5,000 lines (it refuses
# files over 64 MiB); the other engines read the one file. After the query
# runs, pundit's incremental work is timed: adding 1,000 new articles
# (make_corpus.py -n 1000 --seed 2 --id-prefix add) to a copy of the built
# index, and, over the same N articles as one Markdown file each
# (make_corpus.py --markdown), a rerun when nothing changed (the median of
# three, after one `--full` run that builds that index).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
shared="${PUNDIT_SHARED:-$root/../shared}"
build="$root/build"
data=""
n=100000
quick=0
engines="pundit,xapian,sqlite"
wrk_seconds=30
connections=16
reuse=0
incremental=1
serve_args=""

die() { echo "bench/run.sh: error: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; n=5000; wrk_seconds=5; shift ;;
    --n) n="$2"; shift 2 ;;
    --million) n=1000000; shift ;;
    --build) build="$(cd "$2" && pwd)" || die "no build folder $2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --engines) engines="$2"; shift 2 ;;
    --wrk-seconds) wrk_seconds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --serve-args) serve_args="$2"; shift 2 ;;
    --reuse-index) reuse=1; shift ;;
    --no-incremental) incremental=0; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ "$n" =~ ^[0-9]+$ && "$n" -gt 0 ]] || die "--n wants a positive number, got \"$n\""
data="${data:-$build/bench-data}"
workload="$shared/queries/synthetic-100k.jsonl"
[[ -f "$workload" ]] || die "no workload at $workload; set PUNDIT_SHARED to the shared/ folder"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing: apt-get install time"

need() { [[ -x "$1" ]] || die "$1 is missing: build it with \`cmake --build $build --target $2\`"; }
IFS=',' read -r -a engine_list <<< "$engines"
for e in "${engine_list[@]}"; do
  case "$e" in
    pundit)
      need "$build/pundit" pundit
      need "$build/bench/pundit_query" pundit_query
      need "$build/bench/http_query" http_query
      command -v wrk > /dev/null || die "wrk is missing: apt-get install wrk" ;;
    xapian) need "$build/bench/xapian_ref" xapian_ref ;;
    sqlite) need "$build/bench/sqlite_fts5" sqlite_fts5 ;;
    *) die "unknown engine \"$e\": use pundit, xapian or sqlite" ;;
  esac
done

mkdir -p "$data"
corpus="$data/corpus-$n.jsonl"
idx="$data/index-$n"
res="$data/results-$n"
mkdir -p "$idx" "$res"
rm -f "$res"/*

# ---- corpus ----
if [[ ! -s "$corpus" ]]; then
  log "generating $n articles into $corpus"
  python3 "$shared/tools/make_corpus.py" -n "$n" --seed 1 --out "$corpus.tmp" \
    "$shared"/corpora/*/articles.jsonl
  mv "$corpus.tmp" "$corpus"
fi
articles="$(grep -c . "$corpus")"
queries="$(grep -c . "$workload")"

# ---- index: build_index ENGINE INDEX_PATH COMMAND... ----
build_index() {
  local engine="$1" path="$2"
  shift 2
  if [[ "$reuse" == 1 && -e "$path" ]]; then
    log "$engine: reusing $path"
    cp "$idx/$engine.index.time" "$idx/$engine.index.json" "$res/" 2> /dev/null || true
    return
  fi
  rm -rf "$path"
  log "$engine: indexing $articles articles"
  local start end
  start="$(date +%s.%N)"
  # `pundit index` exits 2 when it skipped some input and indexed the rest.
  local status=0
  /usr/bin/time -v -o "$res/$engine.index.time" "$@" > "$res/$engine.index.log" 2>&1 || status=$?
  if [[ "$status" == 2 && "$engine" == pundit ]]; then
    echo "bench/run.sh: warning: pundit skipped some articles (log: $res/$engine.index.log)" >&2
    sed -i 's/^\tExit status: 2$/\tExit status: 0/' "$res/$engine.index.time"
  elif [[ "$status" != 0 ]]; then
    tail -5 "$res/$engine.index.log" >&2
    die "$engine: index build failed (log: $res/$engine.index.log)"
  fi
  end="$(date +%s.%N)"
  local bytes
  bytes="$(du -sb "$path" | cut -f1)"
  printf '{"articles": %d, "index_bytes": %d, "seconds": %.3f}\n' \
    "$articles" "$bytes" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" > "$res/$engine.index.json"
  cp "$res/$engine.index.time" "$res/$engine.index.json" "$idx/"
}

# ---- queries: run_queries ENGINE COMMAND... ----
run_queries() {
  local engine="$1"
  shift
  log "$engine: running $queries queries (warm-up pass, then measured)"
  if ! "$@" > "$res/$engine.query.jsonl" 2> "$res/$engine.query.log"; then
    tail -5 "$res/$engine.query.log" >&2
    die "$engine: query run failed (log: $res/$engine.query.log)"
  fi
  tail -1 "$res/$engine.query.log" >&2
}

server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
    server_pid=""
  fi
}
trap stop_server EXIT

# Seconds of wall time of one command (its output goes to $res/$1.log).
timed() {
  local name="$1"
  shift
  local start end status=0
  start="$(date +%s.%N)"
  "$@" > "$res/$name.log" 2>&1 || status=$?
  end="$(date +%s.%N)"
  # `pundit index` exits 2 when it skipped some input and indexed the rest.
  if [[ "$status" == 2 ]]; then
    echo "bench/run.sh: warning: $name skipped some input (log: $res/$name.log)" >&2
    status=0
  fi
  [[ "$status" == 0 ]] || { tail -5 "$res/$name.log" >&2; die "$name failed with status $status (log: $res/$name.log)"; }
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

measure_incremental() {
  local extra="$data/add-1000.jsonl" md="$data/markdown-$n"
  if [[ ! -s "$extra" ]]; then
    python3 "$shared/tools/make_corpus.py" -n 1000 --seed 2 --id-prefix add \
      --out "$extra.tmp" "$shared"/corpora/*/articles.jsonl
    mv "$extra.tmp" "$extra"
  fi
  log "pundit: adding 1,000 articles to a copy of the $articles-article index"
  rm -rf "$idx/pundit-add"
  cp -a "$idx/pundit" "$idx/pundit-add"
  # The copy is written back to disk first: otherwise the run's fsyncs would
  # also flush the copy's 1-2 GB of dirty pages and time the cp.
  sync
  local add_s
  add_s="$(timed pundit.add "$build/pundit" index --db "$idx/pundit-add" "$corpus" "$extra")"
  grep '^indexed ' "$res/pundit.add.log" >&2 || true
  rm -rf "$idx/pundit-add"

  if [[ ! -d "$md" ]]; then
    log "pundit: writing the $n articles as Markdown files into $md"
    python3 "$shared/tools/make_corpus.py" -n "$n" --seed 1 --no-jsonl --markdown "$md.tmp" \
      --shard 1000 "$shared"/corpora/*/articles.jsonl
    mv "$md.tmp" "$md"
  fi
  local files first reruns=()
  files="$(find "$md" -type f -name '*.md' | wc -l)"
  log "pundit: indexing $files Markdown files, then rerunning with nothing changed"
  if [[ "$reuse" != 1 || ! -d "$idx/pundit-md" ]]; then
    rm -rf "$idx/pundit-md"
    first="$(timed pundit.md-first "$build/pundit" index --db "$idx/pundit-md" --full "$md")"
  else
    first="null"
  fi
  for i in 1 2 3; do
    reruns+=("$(timed "pundit.md-rerun-$i" "$build/pundit" index --db "$idx/pundit-md" "$md")")
  done
  grep '^indexed ' "$res/pundit.md-rerun-3.log" >&2 || true
  local median
  median="$(printf '%s\n' "${reruns[@]}" | sort -g | sed -n 2p)"
  printf '{"articles": %d, "added": 1000, "add_seconds": %s, "markdown_files": %d, "markdown_first_seconds": %s, "unchanged_rerun_seconds": [%s], "unchanged_rerun_median": %s}\n' \
    "$articles" "$add_s" "$files" "$first" "$(IFS=,; echo "${reruns[*]}")" "$median" \
    > "$res/pundit.incremental.json"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

for e in "${engine_list[@]}"; do
  case "$e" in
    xapian)
      build_index xapian_ref "$idx/xapian" "$build/bench/xapian_ref" index "$idx/xapian" "$corpus"
      run_queries xapian_ref "$build/bench/xapian_ref" search "$idx/xapian" "$workload" --warmup --json ;;
    sqlite)
      build_index sqlite_fts5 "$idx/sqlite.db" "$build/bench/sqlite_fts5" index "$idx/sqlite.db" "$corpus"
      run_queries sqlite_fts5 "$build/bench/sqlite_fts5" search "$idx/sqlite.db" "$workload" --warmup --json ;;
    pundit)
      build_index pundit "$idx/pundit" "$build/pundit" index --db "$idx/pundit" --full "$corpus"
      indexed="$("$build/pundit" stats --db "$idx/pundit" | python3 -c 'import json, sys; print(json.load(sys.stdin)["articles"])')"
      [[ "$indexed" == "$articles" ]] ||
        die "pundit: the index holds $indexed articles, not the $articles of the corpus (log: $res/pundit.index.log)"
      run_queries pundit "$build/bench/pundit_query" search "$idx/pundit" "$workload" --warmup --json

      port="$(free_port)"
      log "pundit: serving on 127.0.0.1:$port"
      # shellcheck disable=SC2086  # serve_args is a list of flags
      "$build/pundit" serve --db "$idx/pundit" --port "$port" $serve_args > "$res/serve.log" 2>&1 &
      server_pid=$!
      for _ in $(seq 1 100); do
        if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then break; fi
        kill -0 "$server_pid" 2> /dev/null || { tail -5 "$res/serve.log" >&2; die "pundit serve exited (log: $res/serve.log)"; }
        sleep 0.2
      done
      python3 "$here/workload_paths.py" "$workload" > "$res/paths.txt"
      run_queries pundit_http "$build/bench/http_query" "127.0.0.1:$port" "$res/paths.txt" --warmup --json
      log "pundit: wrk, $connections connections, ${wrk_seconds} s"
      wrk -t2 -c"$connections" -d"${wrk_seconds}s" --latency -s "$here/wrk_workload.lua" \
        "http://127.0.0.1:$port" -- "$res/paths.txt" > "$res/wrk.txt" 2>&1 ||
        { cat "$res/wrk.txt" >&2; die "wrk failed"; }
      rss_kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status" 2> /dev/null || echo 0)"
      printf '{"rss_kb": %d}\n' "${rss_kb:-0}" > "$res/serve.memory.json"
      stop_server
      [[ "$incremental" == 1 ]] && measure_incremental ;;
  esac
done

if [[ -s "$res/xapian_ref.query.jsonl" && -s "$res/pundit.query.jsonl" ]]; then
  log "pundit's totals and facet counts against xapian_ref's"
  python3 "$here/compare_facets.py" "$res/xapian_ref.query.jsonl" "$res/pundit.query.jsonl" \
    --workload "$workload" > "$res/compare.txt" || true
  tail -1 "$res/compare.txt" >&2
fi

echo
echo "$articles articles, $queries queries ($(basename "$workload")), $(nproc) cores"
check_engines=""
for e in "${engine_list[@]}"; do
  case "$e" in
    pundit) check_engines+="pundit,pundit_http," ;;
    xapian) check_engines+="xapian_ref," ;;
    sqlite) check_engines+="sqlite_fts5," ;;
  esac
done
if [[ "$quick" == 1 ]]; then
  python3 "$here/report.py" "$res" --check --engines "$check_engines" --queries "$queries" |
    tee "$res/report.txt"
  exit "${PIPESTATUS[0]}"
fi
python3 "$here/report.py" "$res" | tee "$res/report.txt"
