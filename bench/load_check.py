#!/usr/bin/env python3
"""Summarises and checks a bench/load.sh run.

Reads RESULTS/wrk.txt (wrk --latency output with the WRK_JSON line of
bench/wrk_workload.lua), RESULTS/wrk-warmup.txt, RESULTS/memory.txt and
RESULTS/run.txt, prints a summary and a JSON line, and exits 1 when

  - any request failed: wrk socket errors (connect, read, write) or timeouts;
  - any response was not 2xx or 3xx ("Non-2xx or 3xx responses");
  - the server's resident memory at the end is more than --max-growth
    (default 10%) above its resident memory after the warm-up;
  - wrk's output cannot be read (no requests line).

Usage: load_check.py RESULTS [--max-growth 0.10]
"""
import argparse
import json
import re
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def ms(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(m.group(1)) * UNITS[m.group(2)]


def read_pairs(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition(" ")
            if key:
                out[key] = value
    return out


def parse_wrk(path):
    """The figures of one wrk --latency run."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    w = {"socket_errors": 0, "timeouts": 0, "non_2xx": 0, "percentiles": {}}
    m = re.search(r"^\s*(\d+) requests in ([0-9.]+\w+), ([0-9.]+\w+) read", text, re.M)
    if not m:
        raise ValueError(f"{path}: error: no 'N requests in T' line: is this wrk output?")
    w["requests"] = int(m.group(1))
    w["seconds"] = ms(m.group(2)) / 1000
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        w["socket_errors"] = int(m.group(1)) + int(m.group(2)) + int(m.group(3))
        w["timeouts"] = int(m.group(4))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        w["non_2xx"] = int(m.group(1))
    m = re.search(r"^Requests/sec:\s+([0-9.]+)", text, re.M)
    w["rps"] = float(m.group(1)) if m else w["requests"] / max(w["seconds"], 1e-9)
    dist = text.split("Latency Distribution", 1)
    if len(dist) == 2:
        for p, value in re.findall(r"^\s+(\d+)%\s+([0-9.]+(?:us|ms|s|m))\s*$", dist[1], re.M):
            w["percentiles"][int(p)] = ms(value)
    m = re.search(r"^WRK_JSON (\{.*\})\s*$", text, re.M)
    if m:
        extra = json.loads(m.group(1))
        w["p95_ms"] = extra.get("p95_ms")
    return w


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("--max-growth", type=float, default=0.10)
    args = ap.parse_args()
    res = args.results.rstrip("/")
    try:
        run = read_pairs(f"{res}/run.txt")
        mem = {k: int(v) for k, v in read_pairs(f"{res}/memory.txt").items()}
        warm = parse_wrk(f"{res}/wrk-warmup.txt")
        w = parse_wrk(f"{res}/wrk.txt")
    except (OSError, ValueError) as e:
        sys.exit(f"load_check.py: error: {e}")

    pct = w["percentiles"]
    growth = (mem["end_rss_kb"] - mem["warm_rss_kb"]) / max(mem["warm_rss_kb"], 1)
    problems = []
    for name, r in (("warm-up", warm), ("measured run", w)):
        if r["socket_errors"]:
            problems.append(f"{name}: {r['socket_errors']} requests failed (socket errors)")
        if r["timeouts"]:
            problems.append(f"{name}: {r['timeouts']} requests timed out")
        if r["non_2xx"]:
            problems.append(f"{name}: {r['non_2xx']} responses were not 2xx or 3xx")
    if growth > args.max_growth:
        problems.append(
            f"resident memory grew {growth:.1%} during the measured run "
            f"({mem['warm_rss_kb']} KB -> {mem['end_rss_kb']} KB), more than {args.max_growth:.0%}")

    print(f"pundit serve under load: {run.get('articles')} articles, {run.get('connections')} "
          f"connections, {w['seconds']:.0f} s, {run.get('cores')} cores ({run.get('cpu')}), {run.get('date')}")
    print(f"  requests      {w['requests']:,} ({w['rps']:,.0f}/s); warm-up {warm['requests']:,}")
    print("  latency       " + ", ".join(f"p{p} {v:.2f} ms" for p, v in sorted(pct.items())))
    print(f"  failures      {w['socket_errors']} socket errors, {w['timeouts']} timeouts, "
          f"{w['non_2xx']} non-2xx")
    print(f"  memory (RSS)  start {mem.get('start_rss_kb', 0) / 1024:.1f} MB, after warm-up "
          f"{mem['warm_rss_kb'] / 1024:.1f} MB, end {mem['end_rss_kb'] / 1024:.1f} MB "
          f"({growth:+.1%}), peak {mem.get('peak_rss_kb', 0) / 1024:.1f} MB")
    print(f"  descriptors   {mem.get('warm_fds', '?')} after warm-up, {mem.get('end_fds', '?')} at the end")
    summary = {
        "articles": int(run.get("articles", 0)), "connections": int(run.get("connections", 0)),
        "seconds": w["seconds"], "requests": w["requests"], "rps": w["rps"],
        "p50_ms": pct.get(50), "p75_ms": pct.get(75), "p90_ms": pct.get(90), "p99_ms": pct.get(99),
        "socket_errors": w["socket_errors"], "timeouts": w["timeouts"], "non_2xx": w["non_2xx"],
        "warm_rss_kb": mem["warm_rss_kb"], "end_rss_kb": mem["end_rss_kb"],
        "rss_growth": round(growth, 4), "ok": not problems,
    }
    print("LOAD_JSON " + json.dumps(summary))
    for p in problems:
        print(f"load_check.py: error: {p}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
