#!/usr/bin/env bash
# Builds the libFuzzer targets with clang 14 under ASan+UBSan and runs each
# for FUZZ_SECONDS (default 60) from seed corpora made of tests/testdata and
# corpus/. Crashes are saved under build-fuzz/crashes/; exits non-zero if any
# target crashed. Usage: tests/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-${FUZZ_SECONDS:-60}}
# FUZZ_BUILD names a clang build configured with -DPUNDIT_FUZZ=ON to reuse
# (CI fuzzes in its AddressSanitizer test build); otherwise build-fuzz is
# configured here, -O1 with line tables: fast enough to fuzz, and crash
# stacks still name file and line.
out=${FUZZ_BUILD:-build-fuzz}
if [[ -z ${FUZZ_BUILD:-} ]]; then
  CXX=clang++-14 CC=clang-14 cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
    -DPUNDIT_FUZZ=ON -DPUNDIT_BUILD_TESTS=OFF -DPUNDIT_BUILD_BENCH=OFF >/dev/null
elif ! grep -q '^PUNDIT_FUZZ:BOOL=ON' "$out/CMakeCache.txt" 2>/dev/null; then
  echo "fuzz: $out is not a build configured with -DPUNDIT_FUZZ=ON" >&2
  exit 2
fi
targets=(parsers params query positions csv json html feed warc http archive)
cmake --build "$out" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

seeds=$out/seeds
rm -rf "$seeds"
mkdir -p "${targets[@]/#/$seeds/}" "$out/crashes"
i=0
while IFS= read -r -d '' f; do
  case "$f" in
    *.jsonl) prefix='\x02' ;;
    *.md|*.txt) if head -c3 "$f" | grep -q -- '---'; then prefix='\x01'; else prefix='\x00'; fi ;;
    *) continue ;;
  esac
  { printf "$prefix"; head -c 65536 "$f"; } >"$seeds/parsers/seed$((i++))"
done < <(find tests/testdata corpus -type f -print0)
# The stream path of fuzz_parsers: gzip, zstd, xz and bzip2 JSON Lines.
{ printf '\x03'; gzip -c corpus/wire/dispatches.jsonl; } >"$seeds/parsers/gzip"
{ printf '\x03'; zstd -q -c corpus/wire/briefs.jsonl; } >"$seeds/parsers/zstd"
{ printf '\x03'; xz -c corpus/wire/briefs.jsonl; } >"$seeds/parsers/xz"
{ printf '\x03'; bzip2 -c corpus/wire/dispatches.jsonl; } >"$seeds/parsers/bzip2"
# Compressed seeds of the CSV reader: its options byte, then the stream.
for f in "$seeds"/csv/*.csv; do
  [[ -f $f ]] || continue
  { printf '\x00'; xz -c "$f"; } >"$f.xz"
  { printf '\x00'; bzip2 -c "$f"; } >"$f.bz2"
done
# The readers of the other formats: their own seed files.
for t in csv json html feed warc; do
  if [[ -d tests/testdata/readers/$t ]]; then
    find "tests/testdata/readers/$t" -type f -exec cp {} "$seeds/$t/" \;
  fi
  [[ -n "$(ls -A "$seeds/$t")" ]] || printf 'x' >"$seeds/$t/empty"
done
# fuzz_json reads its first byte as options: the seeds get one before them.
for f in "$seeds"/json/*; do
  { printf '\x00'; cat "$f"; } >"$f.seed" && mv "$f.seed" "$f"
done
printf 'q=venezuela&author=Andrew+Korybko&page=2' >"$seeds/params/a"
printf 'q=x&per_page=1000&sort=bogus&from=2019-13-01' >"$seeds/params/b"
printf 'q=a&region=Asia&region=Europe&op=or&facet_limit=5&to=2020-01-01' >"$seeds/params/c"
# fuzz_archive: bit 0 of the first byte reads an archive, else a .txt.
{ printf '\x01'; cat tests/testdata/readers/archive/stories.zip; } >"$seeds/archive/zip"
{ printf '\x01'; tar -C tests/testdata/readers -cf - json; } >"$seeds/archive/tar"
{ printf '\x01'; tar -C tests/testdata/readers -czf - csv; } >"$seeds/archive/tgz"
printf '\x00Ad sales boost profit\n\nQuarterly profits at US media giant TimeWarner jumped.\n' >"$seeds/archive/txt"
printf '\x00Caf\xe9 prices\n\nA coffee costs \xa32.\n' >"$seeds/archive/latin1"
printf '"as soon as possible" -russia' >"$seeds/query/a"
printf '(venezuela OR syria) AND author:"Andrew Korybko" date:2019-01-01..2019-03-31' >"$seeds/query/b"
printf 'title:astana NEAR conference prefix* year:2019 ((' >"$seeds/query/c"
printf '\x07GET /api/search?q=a HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.0\r\n\r\n' >"$seeds/http/a"
printf '\x01GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;e=1\r\nabc\r\n0\r\nT: v\r\n\r\n' >"$seeds/http/b"
printf '\x20POST /x HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello' >"$seeds/http/c"
printf 'the\0\001\000talks\0\002\000the\0\014\000Speace\0\001\001' >"$seeds/positions/a"

# One target per core at once (each fuzzer is one process on one core).
fuzz_one() {
  local t=$1
  "$out/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=4096 -artifact_prefix="$out/crashes/$t-" -print_final_stats=1 \
    "$seeds/$t" >"$out/fuzz_$t.log" 2>&1
}
jobs_at_once=$(nproc)
declare -A pids
for t in "${targets[@]}"; do
  while (( $(jobs -rp | wc -l) >= jobs_at_once )); do wait -n || true; done
  echo "fuzz: fuzz_$t for ${seconds}s"
  fuzz_one "$t" &
  pids[$t]=$!
done
status=0
for t in "${targets[@]}"; do
  if ! wait "${pids[$t]}"; then
    echo "fuzz: fuzz_$t FAILED (see $out/fuzz_$t.log and $out/crashes/)"
    tail -40 "$out/fuzz_$t.log"
    status=1
  else
    echo "fuzz: fuzz_$t: $(grep -E "stat::number_of_executed_units" "$out/fuzz_$t.log" | tail -1)"
  fi
done
exit $status
