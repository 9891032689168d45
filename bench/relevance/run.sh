#!/usr/bin/env bash
# Ranking quality of pundit and the two baselines on the classic test
# collections in ../shared/eval (CISI, Cranfield): MAP, P@10 and nDCG@10 with
# trec_eval's definitions (bench/relevance/trec_eval.py), every judged query
# run with OR semantics, top 1000.
#
#   bench/relevance/run.sh [--build DIR] [--engines pundit,xapian,sqlite]
#                          [--out DIR] [--k 1000]
#
#   --build DIR    build tree holding pundit and bench/ (default: build)
#   --engines L    comma-separated subset of pundit, xapian, sqlite
#   --out DIR      work folder for indexes, runs and results
#                  (default: DIR_OF_BUILD/bench-data/relevance)
#   --k N          documents ranked per query (default 1000)
#
# Every engine gets the same topics, whole: clean_topics.py replaces query
# syntax characters by spaces and lower-cases them (the longest, a CISI
# question of 2,023 bytes, is within pundit's 10,000-byte limit,
# kMaxQueryLength in searcher/searcher.h). Indexes: `pundit index --full`, `xapian_ref index`,
# `sqlite_fts5 index`; ranking: `pundit_query rank`, `xapian_ref rank`,
# `sqlite_fts5 rank` (each prints a TREC run). Prints one table, collection
# x engine x metric; results.jsonl keeps the numbers.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$root/build"
engines="pundit,xapian,sqlite"
out=""
k=1000
shared="${PUNDIT_SHARED:-$root/../shared}"

die() { echo "relevance/run.sh: error: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build="$(cd "$2" && pwd)" || die "no build folder $2"; shift 2 ;;
    --engines) engines="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --k) k="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
out="${out:-$build/bench-data/relevance}"

[[ -d "$shared/eval" ]] || die "no test collections at $shared/eval; set PUNDIT_SHARED to the shared/ folder"

need() { [[ -x "$1" ]] || die "$1 is missing: build it with \`cmake --build $build --target $2\`"; }
IFS=',' read -r -a engine_list <<< "$engines"
for e in "${engine_list[@]}"; do
  case "$e" in
    pundit) need "$build/pundit" pundit; need "$build/bench/pundit_query" pundit_query ;;
    xapian) need "$build/bench/xapian_ref" xapian_ref ;;
    sqlite) need "$build/bench/sqlite_fts5" sqlite_fts5 ;;
    *) die "unknown engine \"$e\": use pundit, xapian or sqlite" ;;
  esac
done

declare -A labels=([pundit]=pundit [xapian]=xapian_ref [sqlite]=sqlite_fts5)
mkdir -p "$out"
results="$out/results.jsonl"
: > "$results"

for coll_dir in "$shared"/eval/*/; do
  coll="$(basename "$coll_dir")"
  for f in docs.jsonl queries.tsv qrels.tsv; do
    [[ -f "$coll_dir/$f" ]] || die "$coll_dir$f is missing"
  done
  work="$out/$coll"
  rm -rf "$work"
  mkdir -p "$work"
  python3 "$here/clean_topics.py" "$coll_dir/queries.tsv" > "$work/topics.tsv"
  for e in "${engine_list[@]}"; do
    echo "== $coll: $e" >&2
    case "$e" in
      pundit)
        # Exit status 2: some articles skipped (reported), the rest indexed.
        "$build/pundit" index --db "$work/pundit" --full "$coll_dir/docs.jsonl" >&2 ||
          [[ $? == 2 ]] || die "pundit index failed on $coll_dir/docs.jsonl"
        "$build/bench/pundit_query" rank "$work/pundit" "$work/topics.tsv" \
          --op or --k "$k" --tag pundit > "$work/pundit.run" ;;
      xapian)
        "$build/bench/xapian_ref" index "$work/xapian" "$coll_dir/docs.jsonl"
        "$build/bench/xapian_ref" rank "$work/xapian" "$work/topics.tsv" \
          --op or --k "$k" --tag xapian_ref > "$work/xapian.run" ;;
      sqlite)
        "$build/bench/sqlite_fts5" index "$work/sqlite.db" "$coll_dir/docs.jsonl"
        "$build/bench/sqlite_fts5" rank "$work/sqlite.db" "$work/topics.tsv" \
          --op or --k "$k" --tag sqlite_fts5 > "$work/sqlite.run" ;;
    esac
    [[ -s "$work/$e.run" ]] || die "$e returned nothing for $coll ($work/$e.run is empty)"
    python3 "$here/trec_eval.py" "$coll_dir/qrels.tsv" "$work/$e.run" --json \
      --collection "$coll" --engine "${labels[$e]}" >> "$results"
  done
done

echo
python3 "$here/trec_eval.py" --table "$results"
