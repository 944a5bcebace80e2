"""Anonymous throughput of the site's pages against a bare Django view in the same gunicorn.

Starts gunicorn as `make serve` does (gunicorn.conf.py, production settings, DATABASE_URL and
REDIS_URL from the environment) with benchmarks.bare_view_settings, which adds /bench/bare/: a
view that does no work, behind the same middleware. Each page is requested a few times first
(so a page cache, if any, holds it), then loaded for --seconds with --connections at once; it
prints requests/s of each and its ratio to the bare view. Uses wrk (apt-get install wrk) when
present, else a threaded Python client (which shares the CPU with the server: wrk is fairer).

    python benchmarks/throughput.py                       # /, /proposals/, /decisions/, /feeds/all/
    python benchmarks/throughput.py --seconds 20 / /decisions/
"""

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BARE = "/bench/bare/"
DEFAULT_PATHS = ["/", "/proposals/", "/decisions/", "/feeds/all/"]

# The laptop exceptions of `make serve` (Makefile): plain http and a local key.
LOCAL_ENV = {
    "DJANGO_SETTINGS_MODULE": "benchmarks.bare_view_settings",
    "SECRET_KEY": os.environ.get("SECRET_KEY", "local-benchmark-only-" + "k" * 40),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "off",
    "SECURE_HSTS_SECONDS": "0",
    "SECURE_COOKIES": "off",
    "TASKS_BACKEND": "immediate",
}


def start_gunicorn(port):
    env = {**os.environ, **LOCAL_ENV, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    python = Path(sys.executable)
    static_manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not os.environ.get("STATIC_ROOT") and not static_manifest.exists():
        subprocess.run(
            [python, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    server = subprocess.Popen(
        [python.with_name("gunicorn"), "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the access log
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(1200):
        if server.poll() is not None:
            sys.exit(f"gunicorn exited:\n{server.stderr.read()[-3000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{BARE}", timeout=5)
            return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    server.terminate()
    sys.exit("gunicorn did not answer within 120 s")


def warm(base, path, times):
    for _ in range(times):
        with urllib.request.urlopen(base + path, timeout=120) as response:
            if response.status != 200:
                sys.exit(f"{path} answered {response.status}")
            response.read()


def with_wrk(url, seconds, connections):
    threads = min(connections, os.cpu_count() or 1)
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return rate, int(bad.group(1)) if bad else 0, errors.group(1) if errors else ""


def with_python(url, seconds, connections):
    host, path = re.match(r"http://([^/]+)(/.*)", url).groups()
    deadline = time.monotonic() + seconds
    counts = {"ok": 0, "bad": 0}
    lock = threading.Lock()

    def client():
        conn = http.client.HTTPConnection(host, timeout=30)
        ok = bad = 0
        while time.monotonic() < deadline:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            ok, bad = (ok + 1, bad) if response.status == 200 else (ok, bad + 1)
        with lock:
            counts["ok"] += ok
            counts["bad"] += bad

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (counts["ok"] + counts["bad"]) / seconds, counts["bad"], ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8151")))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--warm", type=int, default=20, help="requests per page before timing")
    args = parser.parse_args()

    load = with_wrk if shutil.which("wrk") else with_python
    base = f"http://127.0.0.1:{args.port}"
    server = start_gunicorn(args.port)
    try:
        database = urlsplit(os.environ.get("DATABASE_URL", "sqlite:")).scheme
        cache = "Redis" if os.environ.get("REDIS_URL") else "process memory"
        print(
            f"gunicorn on {base} ({database}, cache in {cache}); "
            f"{args.connections} connections, {args.seconds} s each, "
            f"{'wrk' if load is with_wrk else 'Python client'}"
        )
        results = {}
        for path in [BARE, *args.paths]:
            warm(base, path, args.warm)
            results[path] = load(base + path, args.seconds, args.connections)
        bare_rate = results[BARE][0]
        print(f"{'path':<28} {'requests/s':>11} {'vs bare':>8} {'non-200':>8}  socket errors")
        for path, (rate, bad, errors) in results.items():
            print(f"{path:<28} {rate:>11.1f} {rate / bare_rate:>8.1%} {bad:>8}  {errors}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
