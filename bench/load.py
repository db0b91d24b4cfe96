"""Load (and fault) test against a running server: simulated users reading, editing and
downloading PDFs, for a fixed time, on loopback only.

    .venv/bin/python bench/load.py --url http://127.0.0.1:8010 --users 50 --seconds 300 [--json]
    [--restart-postgres-at 60]   # restart PostgreSQL once, that many seconds into the run

Each user logs in with a demo account and loops: the home page, a convention's page, an article
page (HTML), in `--edit-share` of the loops a save of that article (an edit carrying a unique
marker), and two downloads of the convention's PDF. Between two requests a user thinks for
`--think` seconds on average (uniform between half and one and a half times that), as people
reading a page do; `--think 0` hammers the server instead.
Bench/run_load.sh starts gunicorn on PostgreSQL and then calls this script; `--check-saves` then
verifies that every save the server acknowledged is in the database (nothing committed is lost).
"""

import argparse
import html
import http.cookiejar
import json
import random
import re
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict

ACCOUNTS = ["agent-caf59", "admin-caf59", "agent-caf78", "admin-caf78", "agent-caf83", "admin-caf83", "agent-caf38"]
PASSWORD = "demo-ctg-2026"
LOOPBACK = re.compile(r"^http://(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to measure (a save, a login), not a page to fetch."""

    def redirect_request(self, *args, **kwargs):
        return None


class User:
    def __init__(self, base, username):
        self.base, self.username = base, username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, path, data=None, referer=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if referer:
            request.add_header("Referer", self.base + referer)
        self.last_headers = {}
        try:
            with self.opener.open(request, timeout=60) as response:
                self.last_headers = dict(response.headers)
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError as error:  # connection refused or reset while the database restarts
            return f"error: {type(error).__name__}", b""

    def csrf(self):
        return next((cookie.value for cookie in self.jar if cookie.name == "csrftoken"), "")

    def login(self):
        self.request("/comptes/login/")
        status, _body = self.request(
            "/comptes/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()},
            referer="/comptes/login/",
        )
        return status in (200, 302)


def run_user(base, username, deadline, results, saves, lock, think=0.0, edit_share=1.0):
    user = User(base, username)
    if not user.login():
        with lock:
            results["login"].append(("error", 0.0))
        return
    _status, home = user.request("/")
    conventions = sorted(set(re.findall(rb'href="/conventions/(\d+)/"', home)))
    if not conventions:
        return

    def pause():
        if think:
            time.sleep(random.uniform(0.5 * think, 1.5 * think))

    while time.monotonic() < deadline:
        pk = random.choice(conventions).decode()
        record(results, lock, "html", *timed(user.request, "/"))
        pause()
        start = time.perf_counter()
        status, page = user.request(f"/conventions/{pk}/")
        record(results, lock, "html", status, time.perf_counter() - start)
        pause()
        articles = re.findall(rb'href="/conventions/\d+/articles/(\d+)/"', page)
        if articles:
            article = random.choice(articles).decode()
            path = f"/conventions/{pk}/articles/{article}/"
            start = time.perf_counter()
            status, body = user.request(path)
            record(results, lock, "html", status, time.perf_counter() - start)
            pause()
            if random.random() < edit_share:
                edit(user, path, body, results, saves, lock)
                pause()
        # Two downloads, each counted by where the server says its PDF came from (Server-Timing):
        # "pdf_cache" from the cache, "pdf_rendered" rendered in the request. While the worker
        # prepares it (someone just edited), the server answers 202 "pdf_preparing" at once and the
        # user's browser asks again after Retry-After; "pdf_after_preparing" is the whole wait.
        for _ in range(2):
            download(user, f"/conventions/{pk}/pdf/", deadline, results, lock)
        pause()


def download(user, path, deadline, results, lock):
    first_asked, was_preparing = time.perf_counter(), False
    while True:
        status, elapsed = timed(user.request, path)
        source = re.search(r'desc="(\w+)"', user.last_headers.get("Server-Timing", ""))
        record(results, lock, f"pdf_{source[1]}" if source else "pdf", 200 if status == 202 else status, elapsed)
        if status != 202:
            if was_preparing:
                record(results, lock, "pdf_after_preparing", status, time.perf_counter() - first_asked)
            return
        if time.monotonic() > deadline + 60:
            record(results, lock, "pdf_after_preparing", "error: still preparing", time.perf_counter() - first_asked)
            return
        was_preparing = True
        time.sleep(float(user.last_headers.get("Retry-After", "2")))


def edit(user, path, body, results, saves, lock):
    text = re.search(rb'<textarea name="text"[^>]*>(.*?)</textarea>', body, re.DOTALL)
    version = re.search(rb'name="opened_version" value="(\d+)"', body)
    if not (text and version):
        return  # a text of the model, not editable
    marker = f"[charge {user.username} {time.monotonic_ns()}]"
    data = {
        "text": html.unescape(text[1].decode()).rstrip() + f"\n\n{marker}",
        "opened_version": version[1].decode(),
        "csrfmiddlewaretoken": user.csrf(),
    }
    status, elapsed = timed(user.request, path, data, path)
    # 409: a colleague saved the same text first; the conflict page is the expected answer.
    record(results, lock, "edit", 200 if status == 409 else status, elapsed)
    if status == 302:
        with lock:
            saves.append(marker)


def timed(function, *args):
    start = time.perf_counter()
    status, _body = function(*args)
    return status, time.perf_counter() - start


def record(results, lock, kind, status, elapsed):
    with lock:
        results[kind].append((status, elapsed, time.monotonic()))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else None


def by_phase(results, restart_started, restart_ended, settle=10.0):
    """The requests finished before the restart, during it (until `settle` seconds after it
    ended), and after: the figures show whether the application recovered by itself."""
    phases = {"before": defaultdict(list), "during": defaultdict(list), "after": defaultdict(list)}
    for kind, entries in results.items():
        for entry in entries:
            finished = entry[2]
            phase = (
                "before" if finished < restart_started else "during" if finished < restart_ended + settle else "after"
            )
            phases[phase][kind].append(entry)
    return {phase: summary(entries) for phase, entries in phases.items()}


def summary(results):
    rows = {}
    for kind, entries in results.items():
        times = [elapsed for status, elapsed, _finished in entries if status in (200, 302)]
        errors = [status for status, _elapsed, _finished in entries if status not in (200, 302)]
        rows[kind] = {
            "requests": len(entries),
            "errors": len(errors),
            "error_kinds": sorted({str(error) for error in errors}),
            "p50_ms": round(1000 * statistics.median(times), 1) if times else None,
            "p95_ms": round(1000 * percentile(times, 0.95), 1) if times else None,
        }
    return rows


def check_saves(markers):
    """Every acknowledged save is in the articles' history (later saves may have replaced it)."""
    import sys
    from pathlib import Path

    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    django.setup()
    from conventions.models import Article

    history = "\n".join(Article.history.values_list("text", flat=True))
    return [marker for marker in markers if marker not in history]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8010")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--restart-postgres-at", type=int)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a user's requests")
    parser.add_argument("--edit-share", type=float, default=0.2, help="share of loops that save an article")
    parser.add_argument("--check-saves", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not LOOPBACK.match(args.url.rstrip("/")):
        parser.error("the load goes to a server on this machine only (loopback)")

    results, saves, lock = defaultdict(list), [], threading.Lock()
    deadline = time.monotonic() + args.seconds
    threads = [
        threading.Thread(
            target=run_user,
            args=(args.url.rstrip("/"), ACCOUNTS[i % len(ACCOUNTS)], deadline, results, saves, lock),
            kwargs={"think": args.think, "edit_share": args.edit_share},
        )
        for i in range(args.users)
    ]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    if args.restart_postgres_at:
        time.sleep(args.restart_postgres_at)
        version = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True).stdout.split()[0]
        started = time.monotonic()
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)
        ended = time.monotonic()
        restart = {"restart_at_s": args.restart_postgres_at, "restart_took_s": round(ended - started, 2)}
    else:
        restart = None
    for thread in threads:
        thread.join()

    report = {
        "users": args.users,
        "seconds": args.seconds,
        "think_s": args.think,
        "edit_share": args.edit_share,
        "by_kind": summary(results),
        "saves": len(saves),
    }
    if restart:
        report["postgres_restart"] = restart
        report["by_phase"] = by_phase(results, started, ended)
    if args.check_saves:
        report["acknowledged_saves_missing"] = check_saves(saves)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{args.users} users, {args.seconds} s, {len(saves)} acknowledged saves")
    for kind, row in report["by_kind"].items():
        print(f"  {kind:<6} {row}")
    for phase, rows in report.get("by_phase", {}).items():
        for kind, row in rows.items():
            print(f"  {phase:<6} {kind:<10} {row}")
    for key in ("postgres_restart", "acknowledged_saves_missing"):
        if key in report:
            print(f"  {key}: {report[key]}")


if __name__ == "__main__":
    main()
