#!/usr/bin/env python3
"""Writes a query workload (shared/queries/*.jsonl) as HTTP request paths.

One path per line, in workload order, for GET /api/search with the
parameters of docs/API.md: q, theme/region/author (repeated, ORed within a
facet), from, to, sort. bench/http_query.cc and bench/wrk_workload.lua read
the result.

Usage: workload_paths.py WORKLOAD.jsonl [--prefix /api/search] > paths.txt
"""
import argparse
import json
import sys
import urllib.parse


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workload")
    ap.add_argument("--prefix", default="/api/search")
    args = ap.parse_args()
    with open(args.workload, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                w = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{args.workload}:{n}: error: not JSON: {e}")
            params = [("q", w.get("q", ""))]
            for facet, values in (w.get("filters") or {}).items():
                params += [(facet, v) for v in values]
            for key in ("from", "to"):
                if w.get(key):
                    params.append((key, w[key]))
            if w.get("sort", "relevance") != "relevance":
                params.append(("sort", w["sort"]))
            print(args.prefix + "?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote))


if __name__ == "__main__":
    main()
