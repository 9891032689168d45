#!/usr/bin/env python3
"""Rewrites TREC topics ("id<TAB>text") as plain words for every engine.

The collections' questions are natural language; characters that are query
syntax in one engine or another are replaced by a space the same way for all
of them, so that no engine meets a syntax error or an operator:
  * the characters  " ( ) : * + ^ ~ { } [ ]
  * a '-' at the start of a word (Xapian's and pundit's NOT)
  * upper case (Xapian reads AND, OR, NOT, NEAR as operators): all lower-cased
Whitespace is collapsed. Usage: clean_topics.py queries.tsv > topics.tsv
"""
import re
import sys

SYNTAX = re.compile(r'["():*+^~{}\[\]]')
LEADING_DASH = re.compile(r"(^|\s)-+")


def clean(text):
    text = SYNTAX.sub(" ", text)
    text = LEADING_DASH.sub(r"\1", text)
    return " ".join(text.lower().split())


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: clean_topics.py queries.tsv > topics.tsv")
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            if "\t" not in line:
                sys.exit(f"{path}:{n}: error: expected \"id<TAB>query text\"")
            qid, text = line.split("\t", 1)
            print(f"{qid}\t{clean(text)}")


if __name__ == "__main__":
    main()
