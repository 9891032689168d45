#!/usr/bin/env python3
"""Writes saved web pages from JSON Lines articles, for bench/ingest.sh.

Each article becomes one .html file in the shape news sites save: a header
with navigation, JSON-LD NewsArticle metadata, OpenGraph tags, the text in
<article>, an aside of related links, a footer and scripts. Every 3rd page
has no JSON-LD (OpenGraph and meta only), every 5th neither (bare).

Usage: make_pages.py IN.jsonl OUT_DIR [--limit N]
"""
import argparse
import html
import json
import os


def page(rec, n):
    title = rec.get("title") or "Untitled"
    authors = rec.get("author") or rec.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    date = rec.get("date") or ""
    url = f"https://news.example.org/{n:07d}"
    paras = [p for p in (rec.get("body") or "").split("\n\n") if p.strip()]
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": rec.get("source") or "Example News"},
            {
                "@type": "NewsArticle",
                "headline": title,
                "author": [{"@type": "Person", "name": a} for a in authors],
                "datePublished": date,
                "url": url,
                "publisher": {"@type": "Organization",
                              "name": rec.get("source") or "Example News"},
            },
        ],
    }
    e = html.escape
    head = [f"<title>{e(title)} | Example News</title>"]
    if n % 5 != 0:
        head.append(f'<meta property="og:title" content="{e(title)}">')
        head.append(f'<meta property="og:url" content="{e(url)}">')
        for a in authors:
            head.append(f'<meta name="author" content="{e(a)}">')
        if date:
            head.append(
                f'<meta property="article:published_time" content="{e(date)}">')
        if n % 3 != 0:
            head.append('<script type="application/ld+json">' +
                        json.dumps(ld).replace("</", "<\\/") + "</script>")
    body = "".join(f"<p>{e(p)}</p>\n" for p in paras)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
{chr(10).join(head)}
<style>body {{ font-family: serif }}</style>
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/opinion">Opinion</a>
<form action="/search"><input name="q"><button>Search</button></form></nav></header>
<main><article><h1>{e(title)}</h1>
<p class="byline">By {e(' and '.join(authors))} <time datetime="{e(date)}">{e(date)}</time></p>
{body}</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Sidebar headline one</a></li>
<li><a href="/b">Sidebar headline two</a></li></ul></aside></main>
<footer><p>Copyright Example News. All rights reserved.</p>
<a href="/privacy">Privacy</a></footer>
<script>window.analytics = {{ track: function () {{}} }};</script>
</body></html>
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input")
    ap.add_argument("out_dir")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    with open(args.input, encoding="utf-8") as f:
        for n, line in enumerate(f):
            if args.limit and n >= args.limit:
                break
            rec = json.loads(line)
            sub = os.path.join(args.out_dir, f"{n // 1000:03d}")
            os.makedirs(sub, exist_ok=True)
            with open(os.path.join(sub, f"{n:07d}.html"), "w",
                      encoding="utf-8") as out:
                out.write(page(rec, n))


if __name__ == "__main__":
    main()
