#!/usr/bin/env python3
"""Rewrites TREC topics ("id<TAB>text") as plain words for every engine.

The collections' questions are natural language; characters that are query
syntax in one engine or another are replaced by a space the same way for all
of them, so that no engine meets a syntax error or an operator:
  * the characters  " ( ) : * + ^ ~ { } [ ]
  * a '-' at the start of a word (Xapian's and pundit's NOT)
  * upper case (Xapian reads AND, OR, NOT, NEAR as operators): all lower-cased
Whitespace is collapsed.

  clean_topics.py queries.tsv [--max-bytes N] > topics.tsv

--max-bytes N cuts a longer topic after its last whole word within N bytes
of UTF-8, as a user meeting an engine's query length limit would (pundit
refuses queries over searcher.h's kMaxQueryLength, 1000 bytes); the number
of topics cut is printed on stderr.
"""
import argparse
import re
import sys

SYNTAX = re.compile(r'["():*+^~{}\[\]]')
LEADING_DASH = re.compile(r"(^|\s)-+")


def clean(text):
    text = SYNTAX.sub(" ", text)
    text = LEADING_DASH.sub(r"\1", text)
    return " ".join(text.lower().split())


def cut(text, max_bytes):
    """The longest run of whole words of `text` that fits in max_bytes."""
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    out = ""
    for word in text.split(" "):
        longer = f"{out} {word}" if out else word
        if len(longer.encode("utf-8")) > max_bytes:
            break
        out = longer
    return out


def main():
    parser = argparse.ArgumentParser(add_help=True)
    parser.add_argument("queries")
    parser.add_argument("--max-bytes", type=int, default=0)
    args = parser.parse_args()
    path = args.queries
    cut_count = 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            if "\t" not in line:
                sys.exit(f"{path}:{n}: error: expected \"id<TAB>query text\"")
            qid, text = line.split("\t", 1)
            text = clean(text)
            if args.max_bytes > 0:
                short = cut(text, args.max_bytes)
                cut_count += short != text
                text = short
            print(f"{qid}\t{text}")
    if cut_count:
        print(f"clean_topics.py: {path}: {cut_count} topics cut to "
              f"{args.max_bytes} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
