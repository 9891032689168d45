#!/usr/bin/env python3
"""Known-item test collections of news text, from the shared corpora.

Short news articles without titles are the genre closest to pundit's users'
archives, and no judged collection of them is shared. This builds one the
way known-item search does: each query names one article, which is its one
relevant answer (and any article with the same body: corpora hold reposts),
so MAP is the mean reciprocal rank.

  known_item.py SHARED OUT [--queries N] [--seed S]

writes OUT/eval/<corpus>-<kind>/{docs,queries,qrels}.tsv for the Reuters and
BBC corpora of SHARED/corpora, in the layout of SHARED/eval, so that

  PUNDIT_SHARED=OUT bench/relevance/run.sh

scores every engine on them. Every article is indexed without its title
(bodies of 200 characters or more). Two kinds of query:

  headline   the article's own headline, as a reader remembers it;
  sentence   one sentence from the middle of its body (not the first two,
             so that a boost of the opening, such as a title derived from
             it, gains nothing by construction).

Same SHARED, N and S, same collections.

  known_item.py SHARED OUT --held-out

builds the same kinds of collection from the other shared corpora of news
and opinion (fakehealth, hyperpartisan-byarticle, webis-editorials, and
echoes-opinions, which has no titles: sentences only), which the ranking
was never tuned on.
"""
import argparse
import json
import os
import random
import re
import sys

CORPORA = {"reuters": "reuters21578", "bbc": "bbc-news"}
# --held-out: the other shared corpora of news and opinion, never used to
# tune the ranking. echoes-opinions has no titles: sentence queries only,
# every article of it indexed.
HELD_OUT = {"fakehealth": "fakehealth",
            "hyperpartisan": "hyperpartisan-byarticle",
            "editorials": "webis-editorials",
            "echoes": "echoes-opinions"}
UNTITLED = {"echoes"}
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def articles(path, titled=True):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            a = json.loads(line)
            body = (a.get("body") or "").strip()
            title = (a.get("title") or "").strip()
            if len(body) >= 200 and (not titled or len(title.split()) >= 3):
                yield str(n), title, body


def middle_sentence(body, rnd):
    sentences = [s for s in SENTENCE.split(body) if 6 <= len(s.split()) <= 40]
    if len(sentences) < 4:
        return None
    return rnd.choice(sentences[2:])


def clean(text):
    return " ".join(text.replace("\t", " ").split())


def write(out, name, docs, queries, by_body):
    folder = os.path.join(out, "eval", name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "docs.jsonl"), "w", encoding="utf-8") as f:
        for did, body in docs:
            f.write(json.dumps({"id": did, "title": "", "author": [],
                                "date": "", "region": [], "theme": [],
                                "source": name, "url": "", "body": body})
                    + "\n")
    with open(os.path.join(folder, "queries.tsv"), "w",
              encoding="utf-8") as q, \
            open(os.path.join(folder, "qrels.tsv"), "w",
                 encoding="utf-8") as r:
        for n, (did, text, key) in enumerate(queries, 1):
            q.write(f"{n}\t{clean(text)}\n")
            for rel in by_body[key]:
                r.write(f"{n}\t{rel}\t1\n")
    print(f"known_item: {folder}: {len(docs)} articles, {len(queries)} "
          "queries", file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("shared")
    p.add_argument("out")
    p.add_argument("--queries", type=int, default=600)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--held-out", action="store_true",
                   help="build the held-out collections (fakehealth, "
                        "hyperpartisan, editorials, echoes) instead")
    args = p.parse_args()
    for short, corpus in (HELD_OUT if args.held_out else CORPORA).items():
        titled = short not in UNTITLED
        path = os.path.join(args.shared, "corpora", corpus, "articles.jsonl")
        if not os.path.exists(path):
            print(f"known_item: {path} is absent: skipped", file=sys.stderr)
            continue
        rnd = random.Random(args.seed)
        items = list(articles(path, titled))
        docs = [(did, body) for did, _, body in items]
        by_body = {}
        for did, _, body in items:
            by_body.setdefault(re.sub(r"\W+", " ", body.lower()).strip(),
                               []).append(did)
        keyed = [(did, title, body,
                  re.sub(r"\W+", " ", body.lower()).strip())
                 for did, title, body in items]
        sample = rnd.sample(keyed, min(args.queries, len(keyed)))
        if titled:
            write(args.out, f"{short}-headline", docs,
                  [(did, title, key) for did, title, _, key in sample],
                  by_body)
        sentences = []
        for did, _, body, key in sample:
            s = middle_sentence(body, rnd)
            if s:
                sentences.append((did, s, key))
        write(args.out, f"{short}-sentence", docs, sentences, by_body)


if __name__ == "__main__":
    main()
