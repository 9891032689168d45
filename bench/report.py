#!/usr/bin/env python3
"""Prints bench/run.sh's results as one table, with ratios to xapian_ref.

Reads the folder that bench/run.sh fills:
  ENGINE.index.time   /usr/bin/time -v output of the index build
  ENGINE.index.json   {"articles": N, "index_bytes": B, "seconds": S}
  ENGINE.query.jsonl  the engine's `search --json` output (last line
                      {"summary": {...}})
  wrk.txt             wrk's output with bench/wrk_workload.lua's WRK_JSON line
  pundit.incremental.json  adding 1,000 articles, rerunning over unchanged
                      Markdown files (bench/run.sh measure_incremental)
  compare.txt         bench/compare_facets.py's verdict (last line)
for ENGINE in pundit, xapian_ref, sqlite_fts5 and pundit_http (HTTP:
http_query for latency, wrk for requests/s).

Usage: report.py RESULTS_DIR [--check]
--check exits 1 when an engine's run failed: a query refused, a workload
not fully answered, an HTTP error or a socket error, or pundit's facet
counts differing from the reference's on a query where both match as many
articles; it says nothing about speed (wrk's timeouts are reported, not
failed).
"""
import argparse
import json
import os
import re
import sys

ENGINES = ["pundit", "pundit_http", "xapian_ref", "sqlite_fts5"]
REFERENCE = "xapian_ref"


def read_time(path):
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            m = re.match(r"Maximum resident set size \(kbytes\): (\d+)", line)
            if m:
                out["peak_rss_kb"] = int(m.group(1))
            m = re.match(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)", line)
            if m:
                secs = 0.0
                for part in m.group(1).split(":"):
                    secs = secs * 60 + float(part)
                out["wall_s"] = secs
            m = re.match(r"Exit status: (\d+)", line)
            if m:
                out["exit"] = int(m.group(1))
    return out


def read_summary(path):
    if not os.path.exists(path):
        return None
    summary = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith('{"summary"'):
                summary = json.loads(line)["summary"]
    return summary


def read_wrk(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("WRK_JSON "):
                return json.loads(line[len("WRK_JSON "):])
    return None


def collect(d):
    rows = {}
    for e in ENGINES:
        r = {}
        base = "pundit" if e == "pundit_http" else e
        if e != "pundit_http":
            r.update(read_time(os.path.join(d, f"{base}.index.time")))
            p = os.path.join(d, f"{base}.index.json")
            if os.path.exists(p):
                with open(p, encoding="utf-8") as f:
                    r.update(json.load(f))
        s = read_summary(os.path.join(d, f"{e}.query.jsonl"))
        if s:
            r["summary"] = s
        if e == "pundit_http":
            w = read_wrk(os.path.join(d, "wrk.txt"))
            if w:
                r["wrk"] = w
        if r:
            rows[e] = r
    return rows


def read_json(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def last_line(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    return lines[-1] if lines else None


def fmt(x, spec, suffix=""):
    return "-" if x is None else format(x, spec) + suffix


def metrics(r):
    s = r.get("summary") or {}
    w = r.get("wrk") or {}
    secs = r.get("wall_s")
    arts = r.get("articles")
    return {
        "build_s": secs,
        "articles_per_s": arts / secs if arts and secs else None,
        "index_mb": r["index_bytes"] / 1e6 if "index_bytes" in r else None,
        "peak_mb": r["peak_rss_kb"] / 1024 if "peak_rss_kb" in r else None,
        "median_ms": s.get("median_ms"),
        "p95_ms": s.get("p95_ms"),
        "p99_ms": s.get("p99_ms"),
        "rps": w.get("rps"),
    }


COLUMNS = [
    ("build_s", "build s", ".1f"),
    ("articles_per_s", "articles/s", ",.0f"),
    ("index_mb", "index MB", ",.1f"),
    ("peak_mb", "peak MB", ",.0f"),
    ("median_ms", "median ms", ".3f"),
    ("p95_ms", "p95 ms", ".3f"),
    ("p99_ms", "p99 ms", ".3f"),
    ("rps", "req/s", ",.0f"),
]


def print_table(rows):
    names = [e for e in ENGINES if e in rows]
    m = {e: metrics(rows[e]) for e in names}
    head = f"{'engine':<12}" + "".join(f"{title:>12}" for _, title, _ in COLUMNS)
    print(head)
    print("-" * len(head))
    for e in names:
        print(f"{e:<12}" + "".join(f"{fmt(m[e][k], spec):>12}" for k, _, spec in COLUMNS))
    if REFERENCE in m:
        ref = m[REFERENCE]
        print()
        print(f"ratio to {REFERENCE} (lower is better, except articles/s)")
        print("-" * len(head))
        for e in names:
            cells = []
            for k, _, _ in COLUMNS:
                a, b = m[e][k], ref[k]
                cells.append(f"{a / b:.2f}x" if a is not None and b else "-")
            print(f"{e:<12}" + "".join(f"{c:>12}" for c in cells))
    w = rows.get("pundit_http", {}).get("wrk")
    if w:
        print()
        print(f"wrk under load: {w['requests']:,} requests in {w['seconds']:.1f} s, "
              f"{w['rps']:,.0f} req/s, latency median {w['p50_ms']:.3f} ms, "
              f"p95 {w['p95_ms']:.3f} ms, p99 {w['p99_ms']:.3f} ms, "
              f"socket errors {w['errors']}, timeouts {w.get('timeouts', 0)}, "
              f"non-2xx {w['non_2xx']}")


# The targets of the performance work, by corpus size: (what, metric getter,
# comparison, bound). A metric that was not measured shows "-".
def targets_for(articles):
    if 90_000 <= articles <= 110_000:
        return [
            ("bulk index articles/s >= 4x xapian_ref", "speed_ratio", ">=", 4.0),
            ("index size <= 0.5x xapian_ref", "size_ratio", "<=", 0.5),
            ("peak memory of the build <= 2,048 MB", "peak_mb", "<=", 2048),
            ("query median <= 4 ms (in-process)", "median_ms", "<=", 4.0),
            ("query p99 <= 15 ms (in-process)", "p99_ms", "<=", 15.0),
            ("query median <= 5 ms (HTTP)", "http_median_ms", "<=", 5.0),
            ("wrk >= 400 req/s", "rps", ">=", 400),
            ("wrk errors and non-2xx = 0", "wrk_failures", "<=", 0),
            ("add 1,000 articles <= 5 s", "add_s", "<=", 5.0),
            ("rerun over unchanged Markdown <= 3 s", "rerun_s", "<=", 3.0),
        ]
    if 900_000 <= articles <= 1_100_000:
        return [
            ("query median <= 25 ms (in-process)", "median_ms", "<=", 25.0),
            ("query p99 <= 120 ms (in-process)", "p99_ms", "<=", 120.0),
            ("pundit serve RSS after the workload <= 400 MB", "serve_rss_mb", "<=", 400),
        ]
    return []


def print_targets(rows, results):
    p = rows.get("pundit")
    if not p:
        return
    m = metrics(p)
    articles = p.get("articles") or 0
    ref = metrics(rows[REFERENCE]) if REFERENCE in rows else {}
    http = metrics(rows["pundit_http"]) if "pundit_http" in rows else {}
    w = rows.get("pundit_http", {}).get("wrk") or {}
    inc = read_json(os.path.join(results, "pundit.incremental.json")) or {}
    serve = read_json(os.path.join(results, "serve.memory.json")) or {}
    values = {
        "speed_ratio": (m["articles_per_s"] / ref["articles_per_s"]
                        if m.get("articles_per_s") and ref.get("articles_per_s") else None),
        "size_ratio": (m["index_mb"] / ref["index_mb"]
                       if m.get("index_mb") and ref.get("index_mb") else None),
        "peak_mb": m.get("peak_mb"),
        "median_ms": m.get("median_ms"),
        "p99_ms": m.get("p99_ms"),
        "http_median_ms": http.get("median_ms"),
        "rps": w.get("rps"),
        "wrk_failures": (w.get("errors", 0) + w.get("non_2xx", 0) + w.get("timeouts", 0)
                         if w else None),
        "add_s": inc.get("add_seconds"),
        "rerun_s": inc.get("unchanged_rerun_median"),
        "serve_rss_mb": serve["rss_kb"] / 1024 if "rss_kb" in serve else None,
    }
    if inc:
        print()
        print(f"incremental: {inc['added']:,} new articles added to the {inc['articles']:,}-article "
              f"index in {inc['add_seconds']:.2f} s; a rerun over {inc['markdown_files']:,} "
              f"unchanged Markdown files took {inc['unchanged_rerun_median']:.2f} s (median of "
              + ", ".join(f"{x:.2f}" for x in inc["unchanged_rerun_seconds"]) + ")"
              + (f"; their first index took {inc['markdown_first_seconds']:.1f} s"
                 if inc.get("markdown_first_seconds") else ""))
    if serve:
        print(f"pundit serve resident memory after the workload and wrk: "
              f"{serve['rss_kb'] / 1024:,.0f} MB")
    verdict = last_line(os.path.join(results, "compare.txt"))
    if verdict:
        print(f"facet check against {REFERENCE}: {verdict}")
    targets = targets_for(articles)
    if not targets:
        return
    print()
    print(f"targets at {articles:,} articles")
    for what, key, op, bound in targets:
        v = values.get(key)
        if v is None:
            print(f"  {'-':<6} {what}: not measured")
            continue
        ok = v >= bound if op == ">=" else v <= bound
        shown = f"{v:.2f}x" if key.endswith("_ratio") else f"{v:,.2f}"
        print(f"  {'met' if ok else 'MISSED':<6} {what}: {shown}")


def check(rows, expected_engines, queries):
    problems = []
    for e in expected_engines:
        r = rows.get(e)
        if r is None:
            problems.append(f"{e}: no results")
            continue
        if e != "pundit_http" and r.get("exit", 0) != 0:
            problems.append(f"{e}: index build exited with status {r['exit']}")
        s = r.get("summary")
        if not s:
            problems.append(f"{e}: no query summary")
        else:
            if s.get("errors", 0):
                problems.append(f"{e}: {s['errors']} queries failed")
            if queries and s.get("queries") != queries:
                problems.append(f"{e}: answered {s.get('queries')} of {queries} queries")
        if e == "pundit_http":
            w = r.get("wrk")
            if not w:
                problems.append("wrk: no WRK_JSON summary line")
            elif w["errors"] or w["non_2xx"] or w["requests"] == 0:
                problems.append(f"wrk: {w['requests']} requests, {w['errors']} socket "
                                f"errors, {w['non_2xx']} non-2xx responses")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--engines", default=",".join(ENGINES),
                    help="engines --check expects (comma-separated)")
    ap.add_argument("--queries", type=int, default=0,
                    help="workload size --check expects")
    args = ap.parse_args()
    rows = collect(args.results)
    if not rows:
        sys.exit(f"{args.results}: error: no benchmark results found")
    print_table(rows)
    print_targets(rows, args.results)
    if args.check:
        sys.stdout.flush()
        problems = check(rows, [e for e in args.engines.split(",") if e], args.queries)
        # Where pundit and the reference match the same number of articles,
        # their facet counts and timelines must be equal.
        verdict = last_line(os.path.join(args.results, "compare.txt")) or ""
        m = re.search(r"\((\d+) totals differ, (\d+) facet counts differ\)", verdict)
        if verdict and (not m or int(m.group(2)) > 0):
            problems.append(f"facet check: {verdict}")
        for p in problems:
            print(f"check: error: {p}", file=sys.stderr)
        if problems:
            print(f"check: failed ({len(problems)} problems)", file=sys.stderr)
        else:
            print("check: passed: every engine built its index and answered the "
                  "whole workload", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
