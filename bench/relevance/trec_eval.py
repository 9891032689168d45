#!/usr/bin/env python3
"""MAP, P@10 and nDCG@10 of a TREC run, with trec_eval's definitions.

  trec_eval.py QRELS RUN [--json] [--collection C --engine E]
      QRELS: "qid docno rel" or "qid iter docno rel" per line (tabs or
      spaces). RUN: "qid Q0 docno rank score tag" per line.
      Prints "map", "P_10", "ndcg_cut_10" and "num_q" as trec_eval does, or
      one JSON object with --json (collection and engine copied into it).
  trec_eval.py --table RESULTS.jsonl
      Prints the JSON objects of RESULTS.jsonl as one table:
      collection x engine x metric.

Definitions (trec_eval 9.x, measures map, P.10, ndcg_cut.10):
  * A run's documents for a query are ordered by score descending, ties by
    docno descending (trec_eval ignores the rank column).
  * A docno listed twice for one query is an error, as in trec_eval, which
    refuses such a run: it means the engine returned a document twice
    (and so, with a fixed depth, left another out). Nothing is scored.
  * Relevant means rel >= 1 (trec_eval's relevance_level).
  * AP = sum over relevant retrieved documents of precision at their rank,
    divided by the number of relevant documents in the qrels.
  * P@10 = relevant documents in the first 10 / 10.
  * nDCG@10 = DCG@10 / ideal DCG@10, gain = the qrels grade (0 for
    unjudged), discount log2(rank + 1); the ideal ranking sorts the qrels'
    grades descending.
  * Averages are over every query of the qrels, as trec_eval -c computes
    them: a query the run does not answer scores 0, and so does a query
    whose judgments are all non-relevant (rel < 1), since it has no
    relevant document to find (AP divides by its 0 relevant documents as
    0, and the ideal DCG is 0). num_q counts both.
"""
import argparse
import json
import math
import sys
from collections import defaultdict


def read_qrels(path):
    qrels = defaultdict(dict)
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) == 3:
                qid, docno, rel = parts
            elif len(parts) == 4:
                qid, _, docno, rel = parts
            else:
                sys.exit(f"{path}:{n}: error: expected \"qid docno rel\" or "
                         f"\"qid iter docno rel\", got {len(parts)} fields")
            try:
                qrels[qid][docno] = int(float(rel))
            except ValueError:
                sys.exit(f"{path}:{n}: error: relevance {rel!r} is not a number")
    return qrels


def read_run(path):
    run = defaultdict(list)
    first_line = {}  # (qid, docno) -> the line that listed it
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 6:
                sys.exit(f"{path}:{n}: error: expected \"qid Q0 docno rank score tag\", "
                         f"got {len(parts)} fields")
            qid, _, docno, _, score, _ = parts
            if (qid, docno) in first_line:
                sys.exit(f"{path}:{n}: error: document {docno} is listed twice for "
                         f"query {qid} (first on line {first_line[qid, docno]}); "
                         "trec_eval refuses a run with duplicate documents: fix "
                         "the engine or the run so that each query lists a "
                         "document once")
            first_line[qid, docno] = n
            try:
                run[qid].append((float(score), docno))
            except ValueError:
                sys.exit(f"{path}:{n}: error: score {score!r} is not a number")
    ranked = {}
    for qid, docs in run.items():
        # trec_eval: score descending, then docno descending (strcmp).
        docs.sort(key=lambda x: x[1], reverse=True)
        docs.sort(key=lambda x: x[0], reverse=True)
        ranked[qid] = [docno for _, docno in docs]
    return ranked


def evaluate(qrels, run, cutoff=10):
    per_query = {}
    for qid, judged in qrels.items():
        num_rel = sum(1 for r in judged.values() if r >= 1)
        if num_rel == 0:
            per_query[qid] = (0.0, 0.0, 0.0)  # nothing to find: 0, as trec_eval
            continue
        docs = run.get(qid, [])
        found, ap = 0, 0.0
        for i, docno in enumerate(docs, 1):
            if judged.get(docno, 0) >= 1:
                found += 1
                ap += found / i
        ap /= num_rel
        p10 = sum(1 for d in docs[:cutoff] if judged.get(d, 0) >= 1) / cutoff
        dcg = sum(max(judged.get(d, 0), 0) / math.log2(i + 1)
                  for i, d in enumerate(docs[:cutoff], 1))
        ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:cutoff]
        idcg = sum(g / math.log2(i + 1) for i, g in enumerate(ideal, 1))
        per_query[qid] = (ap, p10, dcg / idcg if idcg > 0 else 0.0)
    n = len(per_query)
    if n == 0:
        return {"num_q": 0, "map": 0.0, "P_10": 0.0, "ndcg_cut_10": 0.0}
    return {
        "num_q": n,
        "map": sum(v[0] for v in per_query.values()) / n,
        "P_10": sum(v[1] for v in per_query.values()) / n,
        "ndcg_cut_10": sum(v[2] for v in per_query.values()) / n,
    }


def print_table(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    if not rows:
        sys.exit(f"{path}: error: no results to tabulate")
    head = f"{'collection':<12} {'engine':<12} {'queries':>7} {'MAP':>7} {'P@10':>7} {'nDCG@10':>8}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['collection']:<12} {r['engine']:<12} {r['num_q']:>7} "
              f"{r['map']:>7.4f} {r['P_10']:>7.4f} {r['ndcg_cut_10']:>8.4f}")


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("qrels", nargs="?")
    ap.add_argument("run", nargs="?")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--collection", default="")
    ap.add_argument("--engine", default="")
    ap.add_argument("--table", metavar="RESULTS.jsonl")
    args = ap.parse_args()
    if args.table:
        print_table(args.table)
        return
    if not args.qrels or not args.run:
        ap.error("QRELS and RUN are required (or --table RESULTS.jsonl)")
    m = evaluate(read_qrels(args.qrels), read_run(args.run))
    if args.json:
        m = {"collection": args.collection, "engine": args.engine, **m}
        print(json.dumps(m))
    else:
        print(f"num_q       \tall\t{m['num_q']}")
        print(f"map         \tall\t{m['map']:.4f}")
        print(f"P_10        \tall\t{m['P_10']:.4f}")
        print(f"ndcg_cut_10 \tall\t{m['ndcg_cut_10']:.4f}")


if __name__ == "__main__":
    main()
