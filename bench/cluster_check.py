#!/usr/bin/env python3
"""Checks shards against one index as a new user would, over HTTP.

Indexes INPUTS into one index and into N shards (`pundit index --shard I/N`
for each I, the way N machines would), serves each shard with `pundit
shard-serve` on loopback, and runs `pundit serve` on the one index and on a
stub file naming the shards. Then:

  * 20 queries x 5 filter sets (facet_limit 1000): the same total, every
    facet count, the timeline, did-you-mean and the ranked hits (scores in
    the same order; articles of equal score as the same set);
  * sort=newest and oldest, page 3; every hit's article page and related
    articles;
  * latency: the median and p99 of those requests (first requests, the
    servers alternating; with --latency-queries also each server alone,
    warm);
  * one shard stopped: the next request is a 503 whose JSON names it, and
    the time it took; restarted: the next request answers again.

Usage: cluster_check.py PUNDIT WORKDIR QUERIES.jsonl INPUT... [--shards N]
                        [--reuse] [--latency-queries K]

--reuse takes the indexes already in WORKDIR (one/ and shard-1/ ...
shard-N/, e.g. links to an index and to the shards of `pundit index
--shards N`) instead of building them: for large corpora. With
--latency-queries K, K more distinct queries of the workload (no filters)
are timed on both servers, alternating, after the checks; then every timed
request again on each server alone, after an untimed pass that brings what
they read into the page cache ("warm latency").
Exit status 0 when every check passes; prints one line per check.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    url = f"http://127.0.0.1:{port}{path}"
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            body = r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        body = e.read()
        status = e.code
    return status, body, time.monotonic() - start


def wait_up(port, path="/healthz", seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if get(port, path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not come up")


def wait_port(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on port {port}")


def same_hits(a, b, key=lambda h: h["score"]):
    """Scores equal in order; the same articles per score but the last.

    Articles are compared by id and title: among copies of one article
    (same title and text, other ids, as Reuters holds many), lists keep the
    first by document number, which differs between one index and shards.
    """
    if len(a) != len(b):
        return False
    groups_a, groups_b = {}, {}
    for x, y in zip(a, b):
        if abs(x["score"] - y["score"]) > 1e-9 * max(1.0, x["score"]):
            return False
        groups_a.setdefault(round(key(x), 9), []).append(x)
        groups_b.setdefault(round(key(y), 9), []).append(y)
    last = round(key(a[-1]), 9) if a else None

    def same_group(ga, gb):
        ids_a, ids_b = {h["id"] for h in ga}, {h["id"] for h in gb or []}
        titles_a = sorted(h.get("title") or "" for h in ga)
        titles_b = sorted(h.get("title") or "" for h in gb or [])
        return ids_a == ids_b or titles_a == titles_b

    return all(same_group(v, groups_b.get(k))
               for k, v in groups_a.items() if k != last)


def comparable(body):
    d = json.loads(body)
    d.pop("took_ms", None)
    hits = d.pop("hits", [])
    return d, hits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pundit")
    ap.add_argument("workdir")
    ap.add_argument("queries")
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--shards", type=int, default=3)
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--latency-queries", type=int, default=0)
    ap.add_argument("--startup-seconds", type=int, default=120,
                    help="how long each server may take to come up")
    args = ap.parse_args()
    pundit = os.path.abspath(args.pundit)
    args.queries = os.path.abspath(args.queries)
    if not args.reuse:
        shutil.rmtree(args.workdir, ignore_errors=True)
        os.makedirs(args.workdir)
    os.chdir(args.workdir)
    procs = []
    failures = 0

    def check(ok, what):
        nonlocal failures
        print(("ok    " if ok else "FAIL  ") + what, flush=True)
        failures += 0 if ok else 1

    def run(*argv):
        r = subprocess.run([pundit, *argv], capture_output=True, text=True)
        if r.returncode not in (0, 2):
            raise SystemExit(f"pundit {' '.join(argv)}: {r.stderr}")
        return r

    ports = []
    if not args.reuse:
        t = time.monotonic()
        run("index", "--db", "one", *args.inputs)
        print(f"one index built in {time.monotonic() - t:.1f} s", flush=True)
        for i in range(1, args.shards + 1):
            t = time.monotonic()
            r = run("index", "--shard", f"{i}/{args.shards}", "--db",
                    f"shard-{i}", *args.inputs)
            print(f"shard {i}/{args.shards} built in "
                  f"{time.monotonic() - t:.1f} s: "
                  + r.stdout.strip().splitlines()[-1], flush=True)
    def start_shard(i, port):
        p = subprocess.Popen([pundit, "shard-serve", "--db", f"shard-{i}",
                              "--port", str(port)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_port(port)
        return p

    shard_procs = {}
    for i in range(1, args.shards + 1):
        ports.append(free_port())
        shard_procs[i] = start_shard(i, ports[-1])
    with open("cluster.stub", "w") as f:
        for port in ports:
            f.write(f"remote 127.0.0.1:{port}\n")
    one_port, cluster_port = free_port(), free_port()
    try:
        # One after the other, so that each start is timed alone.
        for db, port in (("one", one_port), ("cluster.stub", cluster_port)):
            t = time.monotonic()
            procs.append(subprocess.Popen(
                [pundit, "serve", "--quiet", "--db", db, "--port", str(port)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_up(port, seconds=args.startup_seconds)
            print(f"serve --db {db} up in {time.monotonic() - t:.1f} s",
                  flush=True)
        s1 = json.loads(get(one_port, "/api/stats")[1])
        s2 = json.loads(get(cluster_port, "/api/stats")[1])
        check(s1["articles"] == s2["articles"],
              f"stats: {s1['articles']} articles in one index, "
              f"{s2['articles']} in {args.shards} shards")

        queries = []
        with open(args.queries) as f:
            for line in f:
                q = json.loads(line)["q"]
                if q not in queries:
                    queries.append(q)
        more = queries[19:19 + args.latency_queries]
        queries = queries[:19] + ["mininster"]  # and one misspelt
        facets = s1["facet_cardinality"]
        top = {}
        for name in ("region", "theme", "author"):
            d = json.loads(get(one_port, f"/api/facets/{name}?limit=2")[1])
            top[name] = [v["value"] for v in d.get("values", [])]
        filter_sets = [
            {},
            {"region": top["region"][:1]},
            {"theme": top["theme"][:2]},
            {"region": top["region"][:1], "theme": top["theme"][:1]},
            {"from": ["1987-03-01"], "to": ["1987-03-31"]},
        ]
        paths = []
        for q in queries:
            for fs in filter_sets:
                params = [("q", q), ("facet_limit", "1000"), ("per_page", "20")]
                for k, vs in fs.items():
                    params += [(k, v) for v in vs]
                paths.append("/api/search?" + urllib.parse.urlencode(params))
        same = 0
        differ = []
        timings = {one_port: [], cluster_port: []}
        hit_ids = set()
        for path in paths:
            a = get(one_port, path)
            b = get(cluster_port, path)
            timings[one_port].append(a[2])
            timings[cluster_port].append(b[2])
            da, ha = comparable(a[1])
            db, hb = comparable(b[1])
            if a[0] == b[0] == 200 and da == db and same_hits(ha, hb):
                same += 1
            else:
                differ.append(path)
            hit_ids.update(h["id"] for h in ha[:3])
        check(same == len(paths),
              f"{same} of {len(paths)} searches answer the same "
              "(totals, facets, timeline, did-you-mean, ranking)"
              + (f"; first differing: {differ[0]}" if differ else ""))
        dym = json.loads(get(cluster_port, "/api/search?q=mininster")[1])
        fix = dym["query"].get("corrected")
        check(fix == "minister", f"did-you-mean over shards: mininster -> {fix}")

        sorted_same = 0
        for sort in ("newest", "oldest"):
            for q in queries[:10]:
                path = "/api/search?" + urllib.parse.urlencode(
                    [("q", q), ("sort", sort), ("page", "3"), ("per_page", "10")])
                da, ha = comparable(get(one_port, path)[1])
                db, hb = comparable(get(cluster_port, path)[1])
                key = lambda h: float((h.get("date") or "0").replace("-", "")) + h["score"] / 1e6
                if da == db and same_hits(ha, hb, key):
                    sorted_same += 1
        check(sorted_same == 20, f"{sorted_same} of 20 sorted pages (newest, "
              "oldest, page 3) answer the same")

        articles_same = related_same = 0
        ids = sorted(hit_ids)[:40]
        for i in ids:
            quoted = urllib.parse.quote(i, safe="")
            a = get(one_port, f"/api/articles/{quoted}")
            b = get(cluster_port, f"/api/articles/{quoted}")
            articles_same += a[0] == b[0] == 200 and a[1] == b[1]
            ra = json.loads(get(one_port, f"/api/articles/{quoted}/related")[1])
            rb = json.loads(get(cluster_port, f"/api/articles/{quoted}/related")[1])
            related_same += same_hits(ra.get("related", ra.get("hits", [])),
                                      rb.get("related", rb.get("hits", [])))
        check(articles_same == len(ids), f"{articles_same} of {len(ids)} "
              "article pages the same")
        check(related_same == len(ids), f"{related_same} of {len(ids)} "
              "related lists the same")

        for q in more:
            path = "/api/search?" + urllib.parse.urlencode([("q", q)])
            timings[one_port].append(get(one_port, path)[2])
            timings[cluster_port].append(get(cluster_port, path)[2])
        def report(what, name, seconds):
            ms = sorted(x * 1000 for x in seconds)
            p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
            print(f"{what} {name}: median {statistics.median(ms):.2f} ms, "
                  f"p99 {p99:.2f} ms over {len(ms)} searches", flush=True)

        servers = ((one_port, "one index"),
                   (cluster_port, f"{args.shards} shards"))
        # First requests, the two servers alternating: each request may
        # read what the other's evicted from the page cache.
        for port, name in servers:
            report("latency", name, timings[port])
        # Each server alone with what these requests read in the page
        # cache: one untimed pass, then the timed one.
        if args.latency_queries:
            warm_paths = paths + [
                "/api/search?" + urllib.parse.urlencode([("q", q)])
                for q in more]
            for port, name in servers:
                for path in warm_paths:
                    get(port, path)
                report("warm latency", name,
                       [get(port, path)[2] for path in warm_paths])

        victim = 2 if args.shards >= 2 else 1
        shard_procs[victim].send_signal(signal.SIGTERM)
        shard_procs[victim].wait()
        status, body, took = get(cluster_port, paths[1])
        named = f"127.0.0.1:{ports[victim - 1]}" in body.decode()
        check(status == 503 and named and took < 5,
              f"shard {victim} stopped: {status} in {took:.2f} s naming it: "
              f"{body.decode()[:160]}")
        shard_procs[victim].stderr.close()
        shard_procs[victim] = start_shard(victim, ports[victim - 1])
        status, body, took = get(cluster_port, paths[1])
        check(status == 200, f"shard {victim} back: {status} in {took:.2f} s")
        # A shard that hangs (stopped, not gone) is given up on in time.
        shard_procs[victim].send_signal(signal.SIGSTOP)
        status, body, took = get(cluster_port, paths[2])
        check(status == 503 and took < 5,
              f"shard {victim} hung: {status} in {took:.2f} s")
        shard_procs[victim].send_signal(signal.SIGCONT)
        time.sleep(0.5)
        status, body, took = get(cluster_port, paths[2])
        check(status == 200, f"shard {victim} resumed: {status} in {took:.2f} s")
    finally:
        for p in procs + list(shard_procs.values()):
            p.send_signal(signal.SIGCONT)
            p.terminate()
            p.wait()
    print("all checks passed" if failures == 0 else f"{failures} checks failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
