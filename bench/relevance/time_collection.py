#!/usr/bin/env python3
"""Converts the TIME test collection to the layout of ../shared/eval.

    bench/relevance/time_collection.py SRC OUT

SRC holds the collection's release files, TIME.ALL (articles of TIME
magazine, 1963), TIME.QUE (queries) and TIME.REL (the relevant articles of
each query), as distributed with the Glasgow IR test collections. OUT gets
eval/time/docs.jsonl, queries.tsv and qrels.tsv, so that
`PUNDIT_SHARED=OUT bench/relevance/run.sh` ranks it with every engine.

The articles are short news stories without a title line: the text, joined
into one paragraph, is the body, and the title is left empty (each engine
derives or goes without one as it does for untitled articles). The issue
date on each `*TEXT NNN MM/DD/YY PAGE NNN` line becomes the date. TIME.REL
numbers the articles in file order, not by the NNN of their `*TEXT` lines,
and so do the ids written here.

TIME.REL numbers the 425 articles of the original collection; the Glasgow
release's TIME.ALL holds 423 of them and lacks two that stood somewhere
between its 370th and its 376th. Its judgments of articles 1 to 370 name
the article at that place (no judgment names 371 to 377); each of the 31
naming 378 to 422 shares more of its question's rare words with the
article two places earlier than with the one named (query 75, the Soviet
diplomats expelled from the Congo, names 390, a by-election in Dundee,
two after 388, the Congo story); and 424 and 425, named by three
judgments, are the release's last two articles (South Korea's election,
new members of the U.N.), the subjects of those questions. So with 423
articles and judgments up to 425, numbers from 378 on are moved two
places back; a judgment of 371 to 377 could name either article and is
left out, and said.
"""

import json
import os
import re
import sys

TEXT = re.compile(r"^\*TEXT\s+(\d+)\s+(\d\d)/(\d\d)[/ ](\d\d)\s+PAGE\s+\d+")

# The Glasgow release: its article count, the count TIME.REL numbers, and
# the judged numbers that are ambiguous (the two lacking articles stood
# among them) and from which on judgments name an article two too far.
GLASGOW_ARTICLES = 423
ORIGINAL_ARTICLES = 425
AMBIGUOUS = range(371, 378)


def die(message):
    print(f"time_collection.py: error: {message}", file=sys.stderr)
    sys.exit(1)


def read_docs(path):
    docs, current = [], None
    with open(path, encoding="latin-1") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if line.startswith("*STOP"):
                break
            m = TEXT.match(line)
            if m:
                _, month, day, year = m.groups()
                current = {"id": str(len(docs) + 1),
                           "date": f"19{year}-{month}-{day}", "lines": []}
                docs.append(current)
            elif line.startswith("*"):
                die(f"{path}:{number}: unexpected line {line[:40]!r}")
            elif line and current is not None:
                current["lines"].append(line)
    return docs


def read_queries(path):
    queries, current = [], None
    with open(path, encoding="latin-1") as f:
        for line in f:
            line = line.strip()
            if line.startswith("*STOP"):
                break
            if line.startswith("*FIND"):
                current = [line.split()[1], []]
                queries.append(current)
            elif line and current is not None:
                current[1].append(line)
    return [(qid, " ".join(words)) for qid, words in queries]


def read_qrels(path):
    rows = []
    with open(path, encoding="latin-1") as f:
        for line in f:
            fields = line.split()
            if fields:
                rows += [(fields[0], doc) for doc in fields[1:]]
    return rows


def renumbered(qrels, articles):
    """The judgments with TIME.REL's numbers of the original 425 articles
    moved to their place in the Glasgow release (the module's docstring),
    and the ambiguous ones, left out."""
    numbers = [int(doc) for _, doc in qrels if doc.isdigit()]
    if articles != GLASGOW_ARTICLES or max(numbers, default=0) != \
            ORIGINAL_ARTICLES:
        return qrels, []
    out, ambiguous = [], []
    shift = ORIGINAL_ARTICLES - GLASGOW_ARTICLES
    for q, doc in qrels:
        n = int(doc) if doc.isdigit() else 0
        if n in AMBIGUOUS:
            ambiguous.append((q, doc))
        elif n > AMBIGUOUS[-1]:
            out.append((q, str(n - shift)))
        else:
            out.append((q, doc))
    return out, ambiguous


def main():
    if len(sys.argv) != 3:
        die("usage: time_collection.py SRC OUT")
    src, out = sys.argv[1], os.path.join(sys.argv[2], "eval", "time")
    for name in ("TIME.ALL", "TIME.QUE", "TIME.REL"):
        if not os.path.isfile(os.path.join(src, name)):
            die(f"{src} has no {name}")
    docs = read_docs(os.path.join(src, "TIME.ALL"))
    queries = read_queries(os.path.join(src, "TIME.QUE"))
    qrels = read_qrels(os.path.join(src, "TIME.REL"))
    qrels, ambiguous = renumbered(qrels, len(docs))
    if ambiguous:
        names = ", ".join(f"query {q} article {doc}" for q, doc in ambiguous)
        print(f"time_collection.py: left out {len(ambiguous)} judgments "
              f"that could name either of two articles ({names}): the "
              f"release lacks two articles among {AMBIGUOUS[0]}-"
              f"{AMBIGUOUS[-1]}", file=sys.stderr)
    ids = {d["id"] for d in docs}
    # A judgment naming an article TIME.ALL lacks is left out, and said.
    dropped = [(q, doc) for q, doc in qrels if doc not in ids]
    if dropped:
        qrels = [(q, doc) for q, doc in qrels if doc in ids]
        names = ", ".join(f"query {q} article {doc}" for q, doc in dropped)
        print(f"time_collection.py: left out {len(dropped)} judgments of "
              f"articles TIME.ALL lacks ({names})", file=sys.stderr)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "docs.jsonl"), "w") as f:
        for d in docs:
            record = {"id": d["id"], "title": "", "author": [],
                      "date": d["date"], "region": [], "theme": [],
                      "source": "TIME", "url": "",
                      "body": " ".join(d["lines"])}
            f.write(json.dumps(record) + "\n")
    with open(os.path.join(out, "queries.tsv"), "w") as f:
        for qid, text in queries:
            f.write(f"{qid}\t{text}\n")
    with open(os.path.join(out, "qrels.tsv"), "w") as f:
        for qid, doc in qrels:
            f.write(f"{qid}\t{doc}\t1\n")
    judged = len({q for q, _ in qrels})
    print(f"{len(docs)} articles, {len(queries)} queries ({judged} judged), "
          f"{len(qrels)} relevant pairs in {out}")


if __name__ == "__main__":
    main()
