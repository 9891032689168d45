#!/usr/bin/env python3
"""Compares two engines' answers to the same workload, query by query.

Reads the JSON Lines that `xapian_ref search --json`, `sqlite_fts5 search
--json` and `pundit_query --json` print (one object per query with "total",
"facets" {name: {value: count}} and "timeline" {"YYYY-MM" or "YYYY": count},
then a {"summary": ...} line) and checks, for every query id in both:

  * the totals are equal;
  * when they are, every facet value the candidate shows has the reference's
    count (a value shown with 0, such as a selected one, is the same as one
    not shown), and the candidate shows the reference's top values: it may
    show fewer than the reference (a facet_limit), but then none it leaves out
    may count more than the smallest it shows;
  * the timelines are equal (empty buckets aside), after summing the
    reference's months into years when the candidate counts by year.

With --workload, a facet the query filters on is not compared: pundit counts
such a facet without its own filter (disjunctive facets, so the other values
stay visible) while the reference counts the filtered match set.

Usage: compare_facets.py REFERENCE.jsonl CANDIDATE.jsonl [--workload W.jsonl]
                         [--show N]
Exit status 0 when everything agrees, 1 otherwise; prints one summary line
and up to N (default 10) differences.
"""
import argparse
import json
import sys


def load(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{n}: error: not JSON: {e}")
            if "summary" in obj:
                continue
            out[obj["id"]] = obj
    return out


def facet_differences(ref, cand, skip):
    diffs = []
    names = (set(ref) | set(cand)) - skip
    for name in sorted(names):
        r = {v: n for v, n in ref.get(name, {}).items() if n}
        c = {v: n for v, n in cand.get(name, {}).items() if n}
        for value, count in c.items():
            if r.get(value) != count:
                diffs.append(f"{name}={value!r}: {count} vs reference {r.get(value, 0)}")
        if len(c) < len(r):
            smallest = min(c.values()) if c else 0
            missing = [(v, n) for v, n in r.items() if v not in c and n > smallest]
            for v, n in sorted(missing, key=lambda x: -x[1])[:3]:
                diffs.append(f"{name}={v!r}: count {n} left out while {smallest} shown")
    return diffs


def timeline_differences(ref, cand):
    ref = {k: n for k, n in ref.items() if n}
    cand = {k: n for k, n in cand.items() if n}
    if cand and all(len(k) == 4 for k in cand):
        years = {}
        for k, n in ref.items():
            years[k[:4]] = years.get(k[:4], 0) + n
        ref = years
    if ref != cand:
        keys = sorted(set(ref) | set(cand))
        return [f"timeline {k}: {cand.get(k, 0)} vs reference {ref.get(k, 0)}"
                for k in keys if ref.get(k, 0) != cand.get(k, 0)][:3]
    return []


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reference")
    ap.add_argument("candidate")
    ap.add_argument("--show", type=int, default=10)
    ap.add_argument("--workload", help="the workload, to skip filtered facets")
    args = ap.parse_args()
    ref, cand = load(args.reference), load(args.candidate)
    filtered = {}
    if args.workload:
        with open(args.workload, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    w = json.loads(line)
                    filtered[w["id"]] = {k for k, v in (w.get("filters") or {}).items() if v}
    common = [q for q in ref if q in cand]
    if not common:
        sys.exit(f"{args.candidate}: error: no query id in common with {args.reference}")
    total_diff, facet_diff, shown = 0, 0, 0
    for qid in common:
        r, c = ref[qid], cand[qid]
        problems = []
        if r["total"] != c["total"]:
            total_diff += 1
            problems.append(f"total {c['total']} vs reference {r['total']}")
        else:
            problems = facet_differences(r.get("facets", {}), c.get("facets", {}),
                                         filtered.get(qid, set()))
            problems += timeline_differences(r.get("timeline", {}), c.get("timeline", {}))
            if problems:
                facet_diff += 1
        if problems and shown < args.show:
            shown += 1
            print(f"{qid}: " + "; ".join(problems[:4]))
    same = len(common) - total_diff
    print(f"compared {len(common)} queries: totals equal {same}, "
          f"facets and timeline equal {same - facet_diff} of those "
          f"({total_diff} totals differ, {facet_diff} facet counts differ)")
    return 0 if total_diff == 0 and facet_diff == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
