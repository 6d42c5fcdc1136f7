"""Slow clients against the production layout (README "Production"; 等保: availability).

gunicorn, as the run command serves it, reads each request in one of its threads: a handful of
clients that open a connection and send their headers a byte at a time hold every thread, and
the login page no longer answers. In production nginx stands in front with
`deploy/nginx/zhifa-proxy.conf`: it reads requests whole on its event loop, with header and body
timeouts, and hands gunicorn complete requests only. Both are started here for real, on free
ports, against the test database.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
THREADS = 8  # scripts/run.sh serves with one worker of 8 threads
STALLED = 4 * THREADS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(port: int, deadline: float = 30.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


@contextmanager
def _process(
    args: list[str], port: int, env: dict[str, str] | None = None, stop: int = signal.SIGTERM
) -> Iterator[None]:
    process = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for(port)
        yield
    finally:
        process.send_signal(stop)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def _gunicorn() -> Iterator[int]:
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhifa.settings",
        "DATABASE_URL": _database_url(),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    args = [gunicorn, "zhifa.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    # SIGQUIT: gunicorn's quick shutdown (SIGTERM would wait for the stalled requests).
    args += ["--workers", "1", "--threads", str(THREADS)]
    with _process(args, port, env, stop=signal.SIGQUIT):
        yield port


@contextmanager
def _nginx(upstream: int, tmp: Path) -> Iterator[int]:
    port = _free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"""daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream zhifa {{ server 127.0.0.1:{upstream}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{port};
        include {ROOT}/deploy/nginx/zhifa-proxy.conf;
    }}
}}
"""
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    with _process([nginx, "-p", str(tmp), "-c", str(conf)], port):
        yield port


@contextmanager
def _stalled(port: int, n: int) -> Iterator[None]:
    """n clients that open a connection and send the first bytes of a request, then nothing."""
    with ExitStack() as stack:
        for _ in range(n):
            s = stack.enter_context(socket.create_connection(("127.0.0.1", port)))
            s.sendall(b"GET /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        time.sleep(0.5)  # let the server take them up
        yield


def _login_page(port: int, timeout: float) -> int | None:
    """The login page's status, or None when the server does not answer in time."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/login/")
        return conn.getresponse().status
    except TimeoutError:
        return None
    finally:
        conn.close()


pytestmark = pytest.mark.django_db(transaction=True)


def test_stalled_clients_hold_every_thread_of_gunicorn_served_alone() -> None:
    with _gunicorn() as port:
        assert _login_page(port, timeout=10) == 200
        with _stalled(port, STALLED):
            assert _login_page(port, timeout=3) is None


def test_behind_the_documented_nginx_the_login_page_answers_while_clients_stall(
    tmp_path: Path,
) -> None:
    with _gunicorn() as upstream, _nginx(upstream, tmp_path) as port, _stalled(port, STALLED):
        assert _login_page(port, timeout=10) == 200
