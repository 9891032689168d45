#!/usr/bin/env python3
"""What an operator installs, checked end to end:

 - `cmake --install BUILD --prefix P` gives P/bin/pundit, which, started from
   another folder, serves the search page and its stylesheet from
   P/share/pundit (a marker added to the installed stylesheet comes back);
 - `cpack -G DEB` makes a .deb whose Depends name libxapian30 and libicu72
   and which holds usr/bin/pundit, the systemd units and their settings
   template;
 - as root with dpkg (CI: Debian 12): `dpkg -i` makes the `pundit` user,
   /var/lib/pundit and /etc/default/pundit; `systemd-analyze verify` accepts
   the units (when systemd-analyze exists); /usr/bin/pundit serves / on a
   free port and exits 0 on SIGTERM; `dpkg --purge` removes the binary, the
   settings and the user.

Usage: package_test.py BUILD_DIR SOURCE_DIR
Exit 0 on success, 1 on a failure (with what failed), 77 when cmake or
cpack is missing.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

DEADLINE = 60  # seconds for any one wait


class Failure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failure(what)


def run(argv, **kwargs):
    r = subprocess.run(argv, capture_output=True, text=True, timeout=300, **kwargs)
    if r.returncode != 0:
        raise Failure(f"{' '.join(argv)} exited {r.returncode}:\n{r.stdout}{r.stderr}")
    return r.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=DEADLINE) as res:
        return res.status, res.headers.get("Content-Type", ""), res.read().decode()


class Serve:
    """`BINARY serve` on a free loopback port, in `cwd`; stopped by SIGTERM."""

    def __init__(self, binary, db, cwd):
        self.port = free_port()
        self.err = open(os.path.join(cwd, "serve.err"), "w+")
        self.proc = subprocess.Popen(
            [binary, "serve", "--db", db, "--host", "127.0.0.1", "--port",
             str(self.port), "--quiet"],
            cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=self.err)
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            self.err.seek(0)
            if "pundit: serving" in self.err.read():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.err.seek(0)
        self.stop()
        raise Failure(f"{binary} serve did not start:\n{self.err.read()}")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=DEADLINE)
        self.err.close()
        return code


def check_page_and_stylesheet(serve, marker=None):
    status, _, page = get(serve.url("/"))
    check(status == 200, f"GET / answered {status}")
    m = re.search(r'href="(/static/style\.css[^"]*)"', page)
    check(m, "the search page links no /static/style.css:\n" + page[:2000])
    status, ctype, css = get(serve.url(m.group(1).replace("&amp;", "&")))
    check(status == 200 and ctype.startswith("text/css"),
          f"stylesheet: {status} {ctype}")
    check(len(css) > 1000, "stylesheet is nearly empty")
    if marker:
        check(marker in css, "the stylesheet served is not the installed one")


def test_install(build, source, tmp):
    prefix = os.path.join(tmp, "prefix")
    run(["cmake", "--install", build, "--prefix", prefix])
    binary = os.path.join(prefix, "bin", "pundit")
    check(os.access(binary, os.X_OK), "no executable bin/pundit")
    css = os.path.join(prefix, "share", "pundit", "static", "style.css")
    check(os.path.isfile(css), "no share/pundit/static/style.css")
    check(os.path.isfile(os.path.join(prefix, "share", "pundit", "templates",
                                      "layout.mustache")),
          "no share/pundit/templates")
    if shutil.which("help2man"):
        for page in ("pundit.1", "pundit-serve.1", "pundit-index.1"):
            check(os.path.isfile(os.path.join(prefix, "share", "man", "man1",
                                              page)),
                  "no share/man/man1/" + page)
    marker = "/* installed copy " + str(os.getpid()) + " */"
    with open(css, "a") as f:
        f.write("\n" + marker + "\n")
    db = os.path.join(tmp, "db")
    run([binary, "index", "--db", db, os.path.join(source, "corpus")])
    elsewhere = os.path.join(tmp, "elsewhere")
    os.mkdir(elsewhere)
    serve = Serve(binary, db, elsewhere)
    try:
        check_page_and_stylesheet(serve, marker)
    finally:
        code = serve.stop()
    check(code == 0, f"installed pundit exited {code} on SIGTERM")
    print("ok: cmake --install serves the page and its stylesheet from another folder")
    return db


def test_deb(build, tmp):
    out = os.path.join(tmp, "deb")
    run(["cpack", "-G", "DEB", "--config", os.path.join(build, "CPackConfig.cmake"),
         "-B", out])
    debs = [f for f in os.listdir(out) if f.endswith(".deb")]
    check(len(debs) == 1, f"cpack made {debs}")
    deb = os.path.join(out, debs[0])
    info = run(["dpkg-deb", "-I", deb])
    depends = re.search(r"^ Depends: (.*)$", info, re.M)
    check(depends, "no Depends:\n" + info)
    for lib in ("libxapian30", "libicu72"):
        check(lib in depends.group(1), f"Depends lacks {lib}: {depends.group(1)}")
    for script in ("postinst", "prerm", "postrm"):
        check(script in info, f"no {script} in the control archive")
    files = run(["dpkg-deb", "-c", deb])
    for path in ("./usr/bin/pundit", "./usr/lib/systemd/system/pundit.service",
                 "./usr/lib/systemd/system/pundit-index.timer",
                 "./usr/share/pundit/static/style.css",
                 "./usr/share/pundit/default/pundit"):
        check(re.search(r" " + re.escape(path) + r"$", files, re.M),
              f"{path} missing from the package:\n{files}")
    print(f"ok: {debs[0]}: Depends {depends.group(1)}")
    return deb


def installed(package):
    r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package],
                       capture_output=True, text=True)
    return r.returncode == 0 and "installed" in r.stdout and "not-installed" not in r.stdout


def test_dpkg(deb, db, tmp):
    if os.geteuid() != 0 or shutil.which("dpkg") is None:
        print("skip: dpkg -i needs root and dpkg")
        return
    if installed("pundit"):
        print("skip: a pundit package is installed already; not replacing it")
        return
    try:
        run(["dpkg", "-i", deb])
        check(os.access("/usr/bin/pundit", os.X_OK), "no /usr/bin/pundit")
        run(["getent", "passwd", "pundit"])
        check(os.path.isdir("/var/lib/pundit"), "no /var/lib/pundit")
        check(os.path.isfile("/etc/default/pundit"), "no /etc/default/pundit")
        units = "/usr/lib/systemd/system"
        if shutil.which("systemd-analyze"):
            # A template is verified through an instance of it.
            inst = os.path.join(tmp, "units")
            os.mkdir(inst)
            names = ["pundit.service", "pundit-index.service", "pundit-index.timer",
                     "pundit-follow.service", "pundit-replicate.service"]
            for name in names:
                shutil.copy(os.path.join(units, name), inst)
            shutil.copy(os.path.join(units, "pundit-shard@.service"),
                        os.path.join(inst, "pundit-shard@1.service"))
            run(["systemd-analyze", "verify"] + sorted(os.listdir(inst)), cwd=inst)
            print("ok: systemd-analyze verify accepts the units")
        elsewhere = os.path.join(tmp, "from-deb")
        os.mkdir(elsewhere)
        serve = Serve("/usr/bin/pundit", db, elsewhere)
        try:
            check_page_and_stylesheet(serve)
        finally:
            code = serve.stop()
        check(code == 0, f"/usr/bin/pundit exited {code} on SIGTERM")
        print("ok: dpkg -i; /usr/bin/pundit serves the page")
    finally:
        subprocess.run(["dpkg", "--purge", "pundit"], capture_output=True, timeout=300)
    check(not os.path.exists("/usr/bin/pundit"), "/usr/bin/pundit left after purge")
    check(not os.path.exists("/etc/default/pundit"), "/etc/default/pundit left after purge")
    check(subprocess.run(["getent", "passwd", "pundit"],
                         capture_output=True).returncode != 0,
          "user pundit left after purge")
    print("ok: dpkg --purge removed the binary, the settings and the user")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    build, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if shutil.which("cmake") is None or shutil.which("cpack") is None:
        print("skip: cmake or cpack missing")
        return 77
    with tempfile.TemporaryDirectory(prefix="pundit-package-") as tmp:
        try:
            db = test_install(build, source, tmp)
            deb = test_deb(build, tmp)
            test_dpkg(deb, db, tmp)
        except Failure as f:
            print(f"FAIL: {f}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
