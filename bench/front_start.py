#!/usr/bin/env python3
"""Times how long `pundit serve` over shard servers takes to come up.

Serves each SHARD folder with `pundit shard-serve` on a loopback port,
writes a stub file naming them, then starts `pundit serve --db STUB` RUNS
times and reports, for each start, the seconds until `/healthz` answers
(the front builds its snapshot of every article's facet values, dates and
copy groups from the shards before it answers) and the CPU seconds the
front used by then. With --baseline OTHER_PUNDIT the same is done with
another build's front, the two alternating, over the same shard servers.

Usage: front_start.py PUNDIT WORKDIR SHARD... [--runs N] [--baseline B]
                      [--seconds S]
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on port {port}")


def healthy(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz",
                                    timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_start(pundit, stub, seconds):
    port = free_port()
    start = time.monotonic()
    p = subprocess.Popen([pundit, "serve", "--quiet", "--db", stub,
                          "--port", str(port)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while not healthy(port):
            if p.poll() is not None:
                raise SystemExit(f"{pundit} serve exited: "
                                 f"{p.stderr.read().decode()}")
            if time.monotonic() - start > seconds:
                raise SystemExit(f"{pundit} serve not up in {seconds} s")
            time.sleep(0.05)
        return time.monotonic() - start, cpu_seconds(p.pid)
    finally:
        p.terminate()
        p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pundit")
    ap.add_argument("workdir")
    ap.add_argument("shards", nargs="+")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--baseline")
    ap.add_argument("--seconds", type=float, default=1800)
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    servers, lines = [], []
    try:
        for shard in args.shards:
            port = free_port()
            servers.append(subprocess.Popen(
                [args.pundit, "shard-serve", "--db", os.path.abspath(shard),
                 "--port", str(port)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_port(port)
            lines.append(f"remote 127.0.0.1:{port}\n")
        stub = os.path.join(args.workdir, "front-start.stub")
        with open(stub, "w") as f:
            f.writelines(lines)
        fronts = [("pundit", args.pundit)]
        if args.baseline:
            fronts.append(("baseline", args.baseline))
        times = {name: [] for name, _ in fronts}
        for run in range(args.runs):
            for name, binary in fronts:
                up, cpu = time_start(binary, stub, args.seconds)
                times[name].append(up)
                print(f"run {run + 1} {name}: up in {up:.2f} s, "
                      f"{cpu:.2f} CPU s", flush=True)
        for name, _ in fronts:
            print(f"{name}: median {statistics.median(times[name]):.2f} s "
                  f"over {len(times[name])} starts ({len(args.shards)} shards)")
        if args.baseline:
            ratio = (statistics.median(times["baseline"]) /
                     statistics.median(times["pundit"]))
            print(f"baseline / pundit: {ratio:.1f}x")
    finally:
        for s in servers:
            s.terminate()
            s.wait()


if __name__ == "__main__":
    sys.exit(main())
