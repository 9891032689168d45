#!/usr/bin/env python3
"""Writes a synthetic corpus and query workload when ../shared is absent.

bench/load.sh --quick uses it so that CI checks the server under load on a
machine without the shared corpora. Articles are JSON Lines in pundit's
layout (corpus/README.md): pseudo-words from a fixed vocabulary, Zipf-like
frequencies, several authors, regions, themes, sources and years. The
workload has the format of shared/queries/*.jsonl (q, filters, from, to,
sort). Deterministic for a given seed.

Usage: synth_corpus.py --articles N --corpus OUT.jsonl --workload OUT.jsonl
"""
import argparse
import json
import random

SYLLABLES = ["ka", "lo", "mi", "ren", "tas", "vo", "qu", "el", "dor", "an",
             "sik", "po", "ter", "ul", "ny", "bra", "cem", "fid", "gor", "hux"]
REGIONS = ["Europe", "Asia", "Africa", "Latin America & Caribbean",
           "Middle East", "North America", "Russia and FSU"]
THEMES = ["Economy", "Elections", "Security", "Energy", "Trade", "Health",
          "Climate", "Media", "Intelligence", "Migration"]
SOURCES = ["The Daily Sample", "Harbour Review", "North Ledger", "Plain Post"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--workload", required=True)
    ap.add_argument("--queries", type=int, default=600)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    vocab = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
                    for _ in range(6000)})
    weights = [1.0 / (rank + 1) for rank in range(len(vocab))]
    authors = [f"{rng.choice(vocab).title()} {rng.choice(vocab).title()}"
               for _ in range(300)]

    def words(n):
        return " ".join(rng.choices(vocab, weights, k=n))

    with open(args.corpus, "w", encoding="utf-8") as f:
        for i in range(args.articles):
            paragraphs = [words(rng.randint(40, 120)).capitalize() + "."
                          for _ in range(rng.randint(3, 8))]
            article = {
                "id": f"synth-{i:07d}",
                "title": words(rng.randint(4, 10)).capitalize(),
                "authors": rng.sample(authors, rng.choice([1, 1, 1, 2])),
                "date": f"{rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}-"
                        f"{rng.randint(1, 28):02d}",
                "regions": rng.sample(REGIONS, rng.choice([1, 1, 2])),
                "themes": rng.sample(THEMES, rng.choice([1, 2, 3])),
                "source": rng.choice(SOURCES),
                "body": "\n\n".join(paragraphs),
            }
            f.write(json.dumps(article) + "\n")
    with open(args.workload, "w", encoding="utf-8") as f:
        for n in range(args.queries):
            filters = {"theme": [], "region": [], "author": []}
            if n % 4 == 1:
                filters["theme"] = [rng.choice(THEMES)]
            if n % 6 == 2:
                filters["region"] = rng.sample(REGIONS, 2)
            query = {"id": f"q{n:04d}", "q": words(rng.randint(1, 3)),
                     "filters": filters, "from": "", "to": "",
                     "sort": "newest" if n % 10 == 3 else "relevance"}
            if n % 7 == 4:
                query["from"], query["to"] = "2010-01-01", "2015-12-31"
            f.write(json.dumps(query) + "\n")


if __name__ == "__main__":
    main()
