"""Virtual users over HTTP against gunicorn on a benchmark database (bench_web's officers,
bench_portal's anonymous visitors), optionally behind nginx as in production (--via-nginx).

bench_web prepares the database (and its samples); this module starts gunicorn on 127.0.0.1 on a
free port with the app's own settings, logs N virtual users in through the login form and lets
them work: each loops pick a page (待办, the case list, a case page; weighted) → GET → record
latency and status → think. With --saturate there is no think time and the number of users grows
level by level until throughput stops growing; CPU per request is read from /proc for the
gunicorn processes and for the PostgreSQL backends connected to the benchmark database.

Everything is bounded: each phase by its duration (and a cap on requests per user), each request
by a socket timeout; the server is stopped on the way out, also on error or Ctrl-C.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from random import Random
from typing import Any

from bench.bench_web import ROOT, TARGET_MS, VAR, _queries

HOST = "127.0.0.1"
# The officers of one agency (demo.demo.AGENCY_STAFF): every one of them has 待办 and the list.
OFFICERS = ("handler1", "handler2", "chief", "legal", "director")
PAGES = ("待办", "案件列表", "案件页")
REQUEST_TIMEOUT = 30.0  # seconds: a request that takes longer counts as an error
START_TIMEOUT = 90.0  # seconds for gunicorn to answer its first request
MAX_RATE = 200  # requests per user per second: the cap that bounds every loop by count too
SATURATION_GAIN = 1.05  # a level must beat the best so far by 5 % to count as growth
SATURATION_PATIENCE = 2  # levels in a row without growth that end the ramp
TICK = os.sysconf("SC_CLK_TCK")


# --- the server --------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, int] | None:
    """(ppid, utime + stime in ticks) of a process, or None once it has gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rest = raw[raw.rindex(")") + 2 :].split()  # the command may contain spaces and parens
    return int(rest[1]), int(rest[11]) + int(rest[12])


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            st = _stat(int(entry.name))
            if st is not None and st[0] == parent:
                found.append(int(entry.name))
    return found


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


class Server:
    """gunicorn serving bench.web_wsgi on a socket bound here, so the port is free and ours."""

    def __init__(self, workers: int, threads: int, conn_max_age: int) -> None:
        self.workers = workers
        self.threads = threads
        self.env = dict(os.environ)
        self.env.update(
            DJANGO_SETTINGS_MODULE="zhifa.settings",
            DATABASE_URL=os.environ["DATABASE_URL"],
            ZHIFA_VAR_DIR=os.environ["ZHIFA_VAR_DIR"],
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=HOST,
            DEBUG="0",
            LOG_LEVEL="WARNING",
            DB_CONN_MAX_AGE=str(conn_max_age),
        )
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.entry = 0  # where the users go: gunicorn's port, or nginx's in front of it
        self.proxy: Proxy | None = None

    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, 0))
        sock.listen(1024)
        self.port = sock.getsockname()[1]
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.web_wsgi:application",
            "--chdir",
            str(ROOT),
            "--bind",
            f"fd://{sock.fileno()}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--timeout",
            str(int(REQUEST_TIMEOUT)),
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ]
        # A session of its own: Ctrl-C in the terminal reaches us, and we stop it in order.
        self.proc = subprocess.Popen(
            cmd, env=self.env, cwd=ROOT, pass_fds=(sock.fileno(),), start_new_session=True
        )
        sock.close()
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/login/")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT:.0f}s")
            time.sleep(0.2)
        # Let every worker finish booting (each imports the app on its own).
        while len(self.worker_pids()) < self.workers and time.monotonic() < deadline:
            time.sleep(0.2)

    def worker_pids(self) -> list[int]:
        return _children(self.proc.pid) if self.proc else []

    def stop(self) -> None:
        """SIGTERM to the master (it stops its workers), then SIGKILL to its process group."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=15)
        # Whatever is left of its session (a worker that outlived its master) goes too.
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=5)


class Proxy:
    """nginx in front of gunicorn, as README's Production section has it: the project's
    deploy/nginx/zhifa-proxy.conf inside a server block (zhifa.conf's, without TLS), run
    unprivileged from a prefix of its own (as zhifa/tests/test_slow_clients.py does)."""

    def __init__(self, upstream: int) -> None:
        self.upstream = upstream
        self.tmp = Path(tempfile.mkdtemp(prefix="zhifa-nginx-"))
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    def start(self) -> None:
        with socket.socket() as s:
            s.bind((HOST, 0))
            self.port = s.getsockname()[1]
        conf = self.tmp / "nginx.conf"
        conf.write_text(
            f"""daemon off;
worker_processes auto;
pid {self.tmp}/nginx.pid;
error_log {self.tmp}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {self.tmp}/body;
    proxy_temp_path {self.tmp}/proxy;
    fastcgi_temp_path {self.tmp}/fastcgi;
    uwsgi_temp_path {self.tmp}/uwsgi;
    scgi_temp_path {self.tmp}/scgi;
    upstream zhifa {{ server {HOST}:{self.upstream}; keepalive 16; }}
    server {{
        listen {HOST}:{self.port};
        include {ROOT}/deploy/nginx/zhifa-proxy.conf;
    }}
}}
"""
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen(
            [nginx, "-p", str(self.tmp), "-c", str(conf)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                log = (self.tmp / "error.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"nginx exited with {self.proc.returncode}: {log}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/login/")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("nginx did not answer within 30s")
            time.sleep(0.2)

    def pids(self) -> list[int]:
        return [self.proc.pid, *_children(self.proc.pid)] if self.proc else []

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
                with suppress(subprocess.TimeoutExpired):
                    self.proc.wait(timeout=10)
            with suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        shutil.rmtree(self.tmp, ignore_errors=True)


@contextmanager
def serving(
    workers: int, threads: int, conn_max_age: int, via_nginx: bool = False
) -> Iterator[Server]:
    """gunicorn (and nginx in front of it); the users go to `server.entry`."""
    server = Server(workers, threads, conn_max_age)
    proxy = Proxy(0) if via_nginx else None
    previous = signal.getsignal(signal.SIGTERM)

    def terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    # `kill` of the benchmark must stop the server too, like Ctrl-C does.
    signal.signal(signal.SIGTERM, terminate)
    try:
        server.start()
        server.entry = server.port
        if proxy is not None:
            proxy.upstream = server.port
            server.proxy = proxy
            proxy.start()
            server.entry = proxy.port
        yield server
    finally:
        if proxy is not None:
            proxy.stop()
        server.stop()
        signal.signal(signal.SIGTERM, previous)


class CpuMeter:
    """CPU seconds used by the gunicorn processes, the database's backends, this process, and
    the whole machine, between two readings."""

    def __init__(self, server: Server, pg_db: str | None) -> None:
        self.server = server
        self.pg = None
        if pg_db:
            import psycopg

            self.pg = psycopg.connect(
                os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", autocommit=True
            )
            self.pg_db = pg_db

    def backends(self) -> list[int]:
        if self.pg is None:
            return []
        rows = self.pg.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = "
            "'client backend' AND pid <> pg_backend_pid()",
            [self.pg_db],
        ).fetchall()
        return [r[0] for r in rows]

    def read(self) -> dict[str, Any]:
        assert self.server.proc is not None
        app = {p: _stat(p) for p in [self.server.proc.pid, *self.server.worker_pids()]}
        pg = {p: _stat(p) for p in self.backends()}
        proxy = {p: _stat(p) for p in (self.server.proxy.pids() if self.server.proxy else [])}
        t = os.times()
        return {
            "app": {p: s[1] for p, s in app.items() if s},
            "proxy": {p: s[1] for p, s in proxy.items() if s},
            "pg": {p: s[1] for p, s in pg.items() if s},
            "client": t.user + t.system,
            "machine": _machine_ticks(),
            "wall": time.monotonic(),
            "has_pg": self.pg is not None,
        }

    @staticmethod
    def delta(a: dict[str, Any], b: dict[str, Any]) -> dict[str, float]:
        """Seconds; a process that appeared in between counts from zero, one that went is lost
        (reported as `gone`)."""

        def side(key: str) -> tuple[float, int]:
            spent = sum(v - a[key].get(p, 0) for p, v in b[key].items())
            gone = len(set(a[key]) - set(b[key]))
            return spent / TICK, gone

        app, app_gone = side("app")
        pg, pg_gone = side("pg")
        proxy, proxy_gone = side("proxy")
        busy = (b["machine"][0] - a["machine"][0]) / TICK
        total = (b["machine"][1] - a["machine"][1]) / TICK
        return {
            "app": app,
            "pg": pg,
            "proxy": proxy,
            "client": b["client"] - a["client"],
            "machine_busy": busy,
            "machine_total": total,
            "wall": b["wall"] - a["wall"],
            "gone": app_gone + pg_gone + proxy_gone,
            "pg_backends": len(b["pg"]),
            "has_pg": b["has_pg"],
        }

    def close(self) -> None:
        if self.pg is not None:
            self.pg.close()


# --- the virtual users -------------------------------------------------------------------------


class LoginFailed(RuntimeError):
    pass


@dataclass
class Sample:
    page: str
    url: str
    ms: float
    status: str  # the HTTP status, or the exception's name when there was no answer


@dataclass
class VirtualUser:
    """One browser: one connection kept alive as long as the server allows, its cookies."""

    port: int
    username: str
    rng: Random
    cookies: dict[str, str] = field(default_factory=dict)
    connects: int = 0

    def __post_init__(self) -> None:
        self.conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)

    def request(
        self, method: str, path: str, body: str | None = None, ctype: str | None = None
    ) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if ctype:
            headers["Content-Type"] = ctype
        for attempt in (1, 2):
            reused = self.conn.sock is not None
            if not reused:
                self.connects += 1
            try:
                self.conn.request(method, path, body, headers)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                # A kept-alive connection the server closed while we thought: open a new one,
                # as a browser does. A fresh connection that fails is an error.
                if not reused or attempt == 2:
                    raise
            except Exception:
                self.conn.close()
                raise
        for header in resp.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        if resp.will_close:
            self.conn.close()
        return resp.status, data

    def login(self, password: str, otp_token: str = "") -> None:
        """Through the real form: GET it for the CSRF cookie and token, POST the credentials."""
        status, page = self.request("GET", "/login/")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not found:
            raise LoginFailed(f"{self.username}: login form answered {status}")
        body = urllib.parse.urlencode(
            {
                "username": self.username,
                "password": password,
                "otp_token": otp_token,  # the directors' second factor (the demo's authenticator)
                "csrfmiddlewaretoken": found.group(1).decode(),
                "next": "/",
            }
        )
        status, _ = self.request("POST", "/login/", body, "application/x-www-form-urlencoded")
        if status != 302 or "sessionid" not in self.cookies:
            raise LoginFailed(f"{self.username}: login answered {status}")


@dataclass
class Workload:
    """The pages of a mix, their weights, and for each the URLs it is drawn from."""

    pages: list[str]
    weights: list[float]
    urls: dict[str, list[str]]

    def pick(self, rng: Random) -> tuple[str, str]:
        page = rng.choices(self.pages, self.weights)[0]
        return page, rng.choice(self.urls[page])


def _work(
    user: VirtualUser,
    load: Workload,
    think: tuple[float, float] | None,
    until: float,
    stop: threading.Event,
    out: list[Sample],
) -> None:
    if think:
        # Arrive spread over one think time, not all in the same instant.
        stop.wait(user.rng.uniform(0, think[1]))
    budget = max(1, math.ceil((until - time.monotonic()) * MAX_RATE))
    while budget > 0 and time.monotonic() < until and not stop.is_set():
        budget -= 1
        page, url = load.pick(user.rng)
        t0 = time.perf_counter()
        try:
            status, _ = user.request("GET", url)
            outcome = str(status)
        except Exception as exc:  # every failure is counted, none is dropped
            outcome = type(exc).__name__
        out.append(Sample(page, url, (time.perf_counter() - t0) * 1000, outcome))
        if think:
            stop.wait(min(user.rng.uniform(*think), max(0.0, until - time.monotonic())))


def _phase(
    users: list[VirtualUser],
    load: Workload,
    think: tuple[float, float] | None,
    duration: float,
    stop: threading.Event,
) -> tuple[list[Sample], float]:
    """All `users` work for `duration` seconds; their samples and the wall time it took."""
    out: list[Sample] = []
    t0 = time.monotonic()
    until = t0 + duration
    threads = [
        threading.Thread(target=_work, args=(u, load, think, until, stop, out), daemon=True)
        for u in users
    ]
    for t in threads:
        t.start()
    try:
        for t in threads:
            while t.is_alive():
                t.join(timeout=0.5)
    except KeyboardInterrupt:
        stop.set()
        for t in threads:
            t.join(timeout=REQUEST_TIMEOUT + 1)
        raise
    return out, time.monotonic() - t0


def _login_all(port: int, usernames: list[str], password: str, seed: int) -> list[VirtualUser]:
    users = [VirtualUser(port, name, Random(seed * 1000 + i)) for i, name in enumerate(usernames)]
    # A few at a time: each login costs a PBKDF2 hash on the server.
    from django.db import connection

    from demo.demo import demo_otp_code

    # The directors log in with a second factor, and a TOTP code is taken once per device: each
    # account logs in once, and the virtual users sharing an account share its session (one
    # person, several tabs).
    code = demo_otp_code()
    connection.close()
    first: dict[str, VirtualUser] = {}
    for u in users:
        first.setdefault(u.username, u)
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda u: u.login(password, code), first.values()))
    for u in users:
        if u is not first[u.username]:
            u.cookies = dict(first[u.username].cookies)
    return users


# --- reporting ---------------------------------------------------------------------------------


def _pct(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_ms:
        return math.nan
    return sorted_ms[max(0, math.ceil(p / 100 * len(sorted_ms)) - 1)]


def _summary(samples: list[Sample]) -> dict[str, Any]:
    ok = sorted(s.ms for s in samples if s.status == "200")
    return {
        "count": len(samples),
        "errors": sum(1 for s in samples if s.status != "200"),
        "p50": _pct(ok, 50),
        "p95": _pct(ok, 95),
        "p99": _pct(ok, 99),
        "max": ok[-1] if ok else math.nan,
    }


def _pages(samples: list[Sample], pages: list[str]) -> dict[str, Any]:
    rows = {page: _summary([s for s in samples if s.page == page]) for page in pages}
    rows["全部"] = _summary(samples)
    return rows


def _print_pages(samples: list[Sample], wall: float, pages: list[str]) -> dict[str, Any]:
    rows = _pages(samples, pages)
    print(f"  {'page':<10} {'count':>7} {'errors':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}")
    for page, r in rows.items():
        print(
            f"  {page:<10}{r['count']:>7} {r['errors']:>6} {r['p50']:>8.1f} {r['p95']:>8.1f}"
            f" {r['p99']:>8.1f} {r['max']:>8.1f}"
        )
    statuses: dict[str, int] = {}
    for s in samples:
        if s.status != "200":
            statuses[s.status] = statuses.get(s.status, 0) + 1
    if statuses:
        print("  non-200 answers: " + ", ".join(f"{k} ×{v}" for k, v in sorted(statuses.items())))
    print(f"  {len(samples) / wall:.1f} requests/s over {wall:.1f}s (ms; p50–max of 200 answers)")
    return rows


def _print_cpu(cpu: dict[str, float], requests: int, cores: int) -> None:
    n = max(requests, 1)
    db = "SQLite within gunicorn's"
    if cpu["has_pg"]:
        db = f"PostgreSQL backends {cpu['pg'] / n * 1000:.1f} ms"
    proxy = f"nginx {cpu['proxy'] / n * 1000:.1f} ms, " if cpu.get("proxy") else ""
    ours = cpu["app"] + cpu["pg"] + cpu["client"] + cpu.get("proxy", 0.0)
    print(
        f"  CPU per request: gunicorn {cpu['app'] / n * 1000:.1f} ms, {db}, {proxy}"
        f"load generator {cpu['client'] / n * 1000:.1f} ms; "
        f"machine busy {cpu['machine_busy'] / max(cpu['machine_total'], 1e-9) * 100:.0f} % of "
        f"{cores} cores, of which ours {ours / max(cpu['machine_busy'], 1e-9) * 100:.0f} %"
    )


def _verdict(rows: dict[str, Any], pages: list[str]) -> bool:
    parts = []
    ok = True
    for page in pages:
        r = rows[page]
        good = r["count"] > r["errors"] and r["p95"] <= TARGET_MS
        ok = ok and good
        parts.append(f"{page} p95 {r['p95']:.0f} ms {'PASS' if good else 'FAIL'}")
    errors = rows["全部"]["errors"]
    ok = ok and errors == 0
    print(
        f"{'PASS' if ok else 'FAIL'}: " + "; ".join(parts) + f" (target {TARGET_MS:.0f} ms p95 per "
        f"page; errors {errors}{'' if errors == 0 else ' fail the run'})"
    )
    return ok


# --- the run -----------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> argparse._ArgumentGroup:
    """The options of a run through gunicorn, shared by bench_web and bench_portal."""
    load = parser.add_argument_group("through gunicorn (virtual users over HTTP)")
    load.add_argument(
        "--saturate",
        action="store_true",
        help="no think time; ramp the users level by level until throughput stops growing",
    )
    load.add_argument("--think", default="1,3", metavar="MIN,MAX", help="seconds (default 1,3)")
    load.add_argument("--duration", type=float, default=60.0, help="seconds per run or level")
    load.add_argument(
        "--levels", default="2,4,8,16,32", help="--saturate: users per level (default 2,4,8,16,32)"
    )
    load.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    load.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    load.add_argument(
        "--conn-max-age", type=int, default=600, help="DB_CONN_MAX_AGE of the server (seconds)"
    )
    load.add_argument("--seed", type=int, default=1)
    load.add_argument(
        "--via-nginx",
        action="store_true",
        help="put nginx with deploy/nginx/zhifa-proxy.conf in front of gunicorn (README "
        "Production) and drive the users through it",
    )
    return load


def run(info: dict[str, Any], args: argparse.Namespace) -> None:
    """bench_web's officers: 待办, the case list and case pages of the biggest unit."""
    from orgs.models import Unit

    weights = [float(v) for v in args.mix.split(",")]
    assert len(weights) == 3 and sum(weights) > 0, "--mix needs three weights"
    unit = Unit.objects.get(pk=info["unit"])
    # Officers see their unit's cases: the list as they open it, filtered and searched.
    list_urls = [
        urllib.parse.quote(u, safe="/?=&")
        for _, _, u in _queries(info)
        if u == "/cases/" or u.startswith("/cases/?")
    ]
    urls = {
        "待办": ["/"],
        "案件列表": list_urls,
        "案件页": [f"/cases/{i}/" for i in info["case_ids"]],
    }
    load = Workload(list(PAGES), weights, urls)

    def names(n: int) -> list[str]:
        return [f"{unit.code.lower()}-{OFFICERS[i % len(OFFICERS)]}" for i in range(n)]

    drive(
        load,
        names,
        args,
        f"officers of {unit.name} ({info['unit_cases']:,} of {info['cases']:,} cases); mix "
        f"待办:列表:案件页 = {args.mix}",
        VAR / "load.json",
    )


def drive(
    load: Workload,
    names: Callable[[int], list[str]] | None,
    args: argparse.Namespace,
    what: str,
    out: Path,
) -> dict[str, Any]:
    """Serve the benchmark database and let the users work: `names(n)` gives the accounts they
    log in as through the login form; without it they are anonymous visitors."""
    from django.db import connection

    from demo.demo import DEMO_PASSWORD

    think = tuple(float(v) for v in args.think.split(","))
    levels = [int(v) for v in args.levels.split(",")]
    assert len(think) == 2 and 0 <= think[0] <= think[1], "--think MIN,MAX"
    wanted = max(args.concurrent or 0, max(levels) if args.saturate else 0)
    pg_db = connection.settings_dict["NAME"] if connection.vendor == "postgresql" else None
    cores = os.cpu_count() or 1
    result: dict[str, Any] = {"what": what, "workers": args.workers, "threads": args.threads}
    result["via_nginx"] = args.via_nginx
    result["load_average"] = os.getloadavg()
    print(
        f"\ngunicorn: {args.workers} workers × {args.threads} threads, DB_CONN_MAX_AGE="
        f"{args.conn_max_age}{', behind nginx (deploy/nginx/)' if args.via_nginx else ''}; "
        f"{wanted} virtual users, {what}; load average "
        f"{', '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )
    stop = threading.Event()
    with serving(args.workers, args.threads, args.conn_max_age, args.via_nginx) as server:
        print(
            f"serving on {HOST}:{server.port} (pid {server.proc.pid if server.proc else '?'})"
            + (f", nginx on {HOST}:{server.entry}" if args.via_nginx else "")
        )
        connection.close()  # the server's backends are the only ones on the database now
        meter = CpuMeter(server, pg_db)
        try:
            if names is not None:
                t0 = time.perf_counter()
                users = _login_all(server.entry, names(wanted), DEMO_PASSWORD, args.seed)
                took = time.perf_counter() - t0
                print(f"{len(users)} users logged in through the form in {took:.1f}s")
            else:
                users = [
                    VirtualUser(server.entry, "", Random(args.seed * 1000 + i))
                    for i in range(wanted)
                ]
            # Warm-up, untimed: each worker imports its templates on its first requests.
            _phase(users, load, None, min(5.0, args.duration), stop)
            if args.concurrent:
                result["concurrent"] = _concurrent(users, load, think, args, meter, cores, stop)
            if args.saturate:
                result["saturate"] = _saturate(users, load, levels, args, meter, cores, stop)
        finally:
            stop.set()
            meter.close()
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nload average now {', '.join(f'{v:.2f}' for v in os.getloadavg())}; wrote {out}")
    return result


def _concurrent(
    users: list[VirtualUser],
    load: Workload,
    think: tuple[float, ...],
    args: argparse.Namespace,
    meter: CpuMeter,
    cores: int,
    stop: threading.Event,
) -> dict[str, Any]:
    n = args.concurrent
    print(f"\n{n} users, think time {think[0]:g}–{think[1]:g} s, {args.duration:g}s:")
    before = meter.read()
    opened = sum(u.connects for u in users[:n])
    samples, wall = _phase(users[:n], load, (think[0], think[1]), args.duration, stop)
    cpu = CpuMeter.delta(before, meter.read())
    rows = _print_pages(samples, wall, load.pages)
    _print_cpu(cpu, len(samples), cores)
    connects = sum(u.connects for u in users[:n]) - opened
    # gunicorn's sync workers close the connection after each answer; gthread keeps it alive.
    print(f"  TCP connections the users opened: {connects} for {len(samples)} requests")
    passed = _verdict(rows, load.pages)
    return {"users": n, "pages": rows, "rps": len(samples) / wall, "cpu": cpu, "pass": passed}


def _saturate(
    users: list[VirtualUser],
    load: Workload,
    levels: list[int],
    args: argparse.Namespace,
    meter: CpuMeter,
    cores: int,
    stop: threading.Event,
) -> list[dict[str, Any]]:
    print(f"\nsaturation: no think time, {args.duration:g}s per level, levels {args.levels}")
    table: list[dict[str, Any]] = []
    best = 0.0
    misses = 0
    for n in levels:
        before = meter.read()
        samples, wall = _phase(users[:n], load, None, args.duration, stop)
        cpu = CpuMeter.delta(before, meter.read())
        rows = _pages(samples, load.pages)
        summary = rows["全部"]
        rps = len(samples) / wall
        table.append({"users": n, "rps": rps, **summary, "cpu": cpu, "pages": rows})
        print(
            f"  {n:>3} users: {rps:7.1f} req/s, p50 {summary['p50']:.0f} ms, p95 "
            f"{summary['p95']:.0f} ms, errors {summary['errors']}, load "
            f"{os.getloadavg()[0]:.2f}"
        )
        # One level that does not grow may be the neighbours' noise on a shared machine; two in
        # a row is the plateau.
        misses = misses + 1 if rps < best * SATURATION_GAIN else 0
        best = max(best, rps)
        if misses == SATURATION_PATIENCE:
            break
    peak = max(table, key=lambda r: r["rps"])
    print(
        f"\n  {'users':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'errors':>6}  "
        f"{'CPU ms/request: app':>19} {'pg':>5} {'client':>6} {'machine busy':>12} {'ours':>5}"
    )
    for r in table:
        c, k = r["cpu"], max(r["count"], 1)
        busy = c["machine_busy"] / max(c["machine_total"], 1e-9) * 100
        ours = (c["app"] + c["pg"] + c["proxy"] + c["client"]) / max(c["machine_busy"], 1e-9) * 100
        mark = " ← peak" if r is peak else ""
        print(
            f"  {r['users']:>5} {r['rps']:>7.1f} {r['p50']:>6.0f} {r['p95']:>6.0f} "
            f"{r['errors']:>6}  {c['app'] / k * 1000:>19.1f} {c['pg'] / k * 1000:>5.1f} "
            f"{c['client'] / k * 1000:>6.1f} {busy:>11.0f}% {ours:>4.0f}%{mark}"
        )
    c, k = peak["cpu"], max(peak["count"], 1)
    db = f"PostgreSQL {c['pg'] / k * 1000:.1f}" if c["has_pg"] else "SQLite within"
    print(
        f"peak: {peak['rps']:.1f} requests/s with {peak['users']} users; "
        f"{(c['app'] + c['pg']) / k * 1000:.1f} ms of server CPU per request "
        f"(gunicorn {c['app'] / k * 1000:.1f} + {db})"
    )
    if any(r["cpu"]["gone"] for r in table):
        print("  (some processes exited during a level: their last CPU is not counted)")
    return table
