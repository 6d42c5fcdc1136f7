"""Benchmark: 18-step cases through the service layer vs the same writes as bare SQL, and vs
the peer: SpiffWorkflow running the same 18 steps, persisting to the same database.

    .venv/bin/python -m bench.bench_cases [--db sqlite|postgres|both] [--cases N] [--rounds R]
                                            [--profile]

Each database gets a database of its own, made afresh (never the development database):
SQLite var/bench/bench.sqlite3, PostgreSQL `zhifa_bench` on postgres@127.0.0.1:5432. `both` runs
each database in a subprocess of its own (settings are read once per process) and closes with a
summary. See bench/README.md for what is measured.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
SQLITE_FILE = VAR / "bench.sqlite3"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DB = "zhifa_bench"
DATABASES = ("sqlite", "postgres")
GOAL = 0.5  # the service layer should reach at least half the bare-SQL throughput
PEER_GOAL = 1.0  # … and be at least as fast as SpiffWorkflow at the same durability
TRANSACTIONS_PER_CASE = 19  # every side: one commit per action (Spiff: its INSERT + 18 steps)
STEPS_PER_CASE = 18  # lead_register + the 17 steps of cases.tests.flow.ORDER
ACTIONS_PER_CASE = 19  # the 18 steps + evidence_add: one transaction each


# --- database set-up (before django.setup) ---------------------------------------------------


def _prepare_database(db: str) -> None:
    """Point the settings at a fresh benchmark database. Must run before django.setup()."""
    VAR.mkdir(parents=True, exist_ok=True)
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{SQLITE_FILE}"
    else:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        url = f"{PG_SERVER}/{PG_DB}"
    os.environ["DATABASE_URL"] = url
    os.environ["ZHIFA_VAR_DIR"] = str(VAR)
    # A throwaway database: a key of its own for the run (DEBUG off needs one).
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DEBUG"] = "0"  # no query log: it would tax the ORM side only
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    shutil.rmtree(VAR / "media", ignore_errors=True)


# --- counting statements -----------------------------------------------------------------------


class SqlMeter:
    """An execute wrapper: statements and time spent in them, per action label.

    BEGIN (SQLite's BEGIN IMMEDIATE) is not counted as a statement; COMMIT does not pass through
    a cursor and is in neither figure.
    """

    def __init__(self) -> None:
        self.label = "setup"
        self.statements: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, ctx)
        finally:
            self.seconds[self.label] += time.perf_counter() - start
            if not sql.startswith("BEGIN"):
                self.statements[self.label] += 1

    def reset(self) -> None:
        self.statements.clear()
        self.seconds.clear()


class OriginMeter:
    """An execute wrapper for the profile: which line of app code issued each statement."""

    _TABLE = re.compile(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?')

    def __init__(self) -> None:
        self.count: dict[tuple[str, str], int] = defaultdict(int)

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any):
        if not sql.startswith("BEGIN"):
            frame = sys._getframe(1)
            origin = "?"
            while frame is not None:
                rel = os.path.relpath(frame.f_code.co_filename, ROOT)
                if not rel.startswith(("..", "/", ".venv", "bench")):
                    origin = f"{rel}:{frame.f_lineno} {frame.f_code.co_name}"
                    break
                frame = frame.f_back  # type: ignore[assignment]
            table = self._TABLE.search(sql)
            kind = f"{sql.split(None, 1)[0]} {table.group(1) if table else ''}"
            self.count[(origin, kind)] += 1
        return execute(sql, params, many, ctx)


class StepClock:
    """Wall time per action label, and which label the SqlMeter charges."""

    def __init__(self, meter: SqlMeter) -> None:
        self.meter = meter
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        self.meter.label = label
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[label] += time.perf_counter() - start
            self.meter.label = "other"


# --- the two runs ----------------------------------------------------------------------------


def _evidence_content(n: int) -> bytes:
    from cases.tests import flow

    return flow.JPEG + b"#%08d" % n  # one distinct file per case, all of the same size


def register_kwargs(org: Any, n: int) -> dict[str, Any]:
    """The input of cases.tests.flow.register, shared by every side; case n's party is an
    organisation of its own (统一社会信用代码 from n), since one act of one party is fined once
    (行政处罚法 Art. 29) and the guards refuse the second."""
    import datetime as dt

    from law.validators import make_credit_code
    from zhifa import clock

    today = clock.today()
    return {
        "source": "patrol",
        "clue": "巡查发现某商贸公司在建筑物外墙擅自设置大型户外广告牌",
        "discovered_on": today,
        "act_on": today - dt.timedelta(days=10),
        "place": "东昌府区柳园路",
        "parties": [
            {
                "kind": "organisation",
                "name": "聊城市某某商贸有限公司",
                "id_number": make_credit_code(f"91371500{n:09d}"),
                "address": "聊城市东昌府区柳园路1号",
                "legal_rep": "张某",
            },
        ],
    }


def payloads(org: Any) -> dict[str, tuple[Any, str, dict[str, Any]]]:
    """flow.payloads for a case with one party (index 0), built once outside the timed loops."""
    from types import SimpleNamespace

    from cases.tests import flow

    one_party = SimpleNamespace(parties=SimpleNamespace(all=lambda: [SimpleNamespace(index=0)]))
    return flow.payloads(org, one_party)


def service_case(org: Any, n: int, steps: dict[str, Any], clock_: StepClock) -> int:
    from cases.services.evidence import evidence_add
    from cases.services.steps import case_act, case_register
    from cases.tests import flow

    with clock_.step("lead_register"):
        case = case_register(actor=org.handler, **register_kwargs(org, n))
    for step in flow.ORDER:
        if step == "investigation":
            with clock_.step("evidence_add"):
                evidence_add(
                    case_id=case.pk,
                    actor=org.handler,
                    kind="photo",
                    title="广告牌现场照片",
                    content=_evidence_content(n),
                    filename="photo.jpg",
                    content_type="image/jpeg",
                )
        actor, decision, data = steps[step]
        with clock_.step(step):
            case = case_act(case_id=case.pk, actor=actor, step=step, decision=decision, data=data)
    assert case.status == "closed" and case.outcome == "penalty", (case.status, case.outcome)
    return int(case.pk)


def bare_case(writer: Any, org: Any, n: int, steps: dict[str, Any], clock_: StepClock) -> int:
    from cases.tests import flow

    with clock_.step("lead_register"):
        case_id = int(writer.register(actor_id=org.handler.pk, kwargs=register_kwargs(org, n)))
    for step in flow.ORDER:
        if step == "investigation":
            with clock_.step("evidence_add"):
                writer.evidence_add(
                    case_id=case_id,
                    actor_id=org.handler.pk,
                    kind="photo",
                    title="广告牌现场照片",
                    content=_evidence_content(n),
                    filename="photo.jpg",
                    content_type="image/jpeg",
                )
        actor, decision, data = steps[step]
        with clock_.step(step):
            writer.act(case_id=case_id, actor_id=actor.pk, step=step, decision=decision, data=data)
    return case_id


class ApiClient:
    """The HTTP API in-process (Django's test Client: the whole request path but the socket),
    each officer with a bearer token minted for the run."""

    def __init__(self, org: Any) -> None:
        import datetime as dt
        import hashlib

        from django.test import Client

        from orgs.models import ApiToken
        from zhifa import clock

        self.client = Client(HTTP_HOST="127.0.0.1")
        self.auth: dict[int, dict[str, str]] = {}
        for user in (org.handler, org.co_handler, org.chief, org.legal, org.director):
            key = f"bench-{user.pk}"
            ApiToken.objects.create(
                user=user,
                key_hash=hashlib.sha256(key.encode()).hexdigest(),
                expires_at=clock.now() + dt.timedelta(days=3650),
            )
            self.auth[user.pk] = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        self.answer_bytes: dict[str, int] = defaultdict(int)

    def post(self, actor: Any, url: str, body: dict[str, Any], label: str) -> dict[str, Any]:
        r = self.client.post(
            url,
            json.dumps(body, default=str),
            content_type="application/json",
            **self.auth[actor.pk],
        )
        assert r.status_code in (200, 201), (url, r.status_code, r.content[:300])
        self.answer_bytes[label] += len(r.content)
        return dict(r.json())

    def get(self, actor: Any, url: str, label: str) -> None:
        r = self.client.get(url, **self.auth[actor.pk])
        assert r.status_code == 200, (url, r.status_code)
        self.answer_bytes[label] += len(r.content)


def api_case(
    api: ApiClient, org: Any, n: int, steps: dict[str, Any], clock_: StepClock, whole: bool
) -> int:
    """The same case through the HTTP API; `whole`: each step followed by a GET of the whole case
    (what a step's answer cost when it returned the case)."""
    from cases.tests import flow

    with clock_.step("lead_register"):
        case_id = int(
            api.post(org.handler, "/api/cases", register_kwargs(org, n), "register")["id"]
        )
    for step in flow.ORDER:
        if step == "investigation":
            with clock_.step("evidence_add"):
                r = api.client.post(
                    f"/api/cases/{case_id}/evidence",
                    {
                        "kind": "photo",
                        "title": "广告牌现场照片",
                        "file": _upload(_evidence_content(n)),
                    },
                    **api.auth[org.handler.pk],
                )
                assert r.status_code == 201, r.content[:300]
        actor, decision, data = steps[step]
        with clock_.step(step):
            answer = api.post(
                actor, f"/api/cases/{case_id}/{step}", {"decision": decision, **data}, "step"
            )
            if whole:
                api.get(actor, f"/api/cases/{case_id}", "case")
    assert answer["status"] == "closed", answer
    return case_id


def _upload(content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")


class Run:
    def __init__(self, name: str, n: int, seconds: float, clock_: StepClock, meter: SqlMeter):
        self.name = name
        self.n = n
        self.seconds = seconds
        self.step_seconds = dict(clock_.seconds)
        self.statements = dict(meter.statements)
        self.sql_seconds = dict(meter.seconds)

    @property
    def cases_per_s(self) -> float:
        return self.n / self.seconds

    def per_case(self, figures: dict[str, Any]) -> float:
        return sum(figures.values()) / self.n


def timed(name: str, n: int, first: int, one: Callable[[int, StepClock], int], meter: SqlMeter):
    import gc

    gc.collect()
    meter.reset()
    clock_ = StepClock(meter)
    ids = []
    start = time.perf_counter()
    for i in range(n):
        ids.append(one(first + i, clock_))
    seconds = time.perf_counter() - start
    return Run(name, n, seconds, clock_, meter), ids


# --- profile printing ------------------------------------------------------------------------


def _where(path: str) -> str:
    for marker in ("site-packages/", "lib/python3.11/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return os.path.relpath(path, ROOT) if path.startswith(str(ROOT)) else path


DRIVER = "database driver and server (sqlite3 / psycopg: execute, commit, waiting)"


def _area(path: str, name: str) -> str:
    where = _where(path)
    if any(k in name for k in ("sqlite3", "SQLiteCursorWrapper", "psycopg")) or any(
        where.startswith(k) for k in ("psycopg", "sqlite3")
    ):
        return DRIVER
    if where.startswith("django/db/models"):
        return "Django ORM (django/db/models)"
    if where.startswith("django/db"):
        return "Django DB backend (django/db/backends, transaction)"
    if where.startswith("django/"):
        return "Django other (files, timezone, …)"
    if where.startswith("chinese_calendar"):
        return "chinesecalendar"
    if where.split("/", 1)[0] in {"cases", "ledger", "deadlines", "procedure", "law", "orgs"}:
        return "app code (cases, ledger, deadlines, procedure, law, orgs)"
    if where.startswith(("json", "hashlib", "re/", "enum", "decimal", "datetime", "dataclasses")):
        return "stdlib (json, hashlib, enum, re, …)"
    return "other (posix I/O, bench driver, …)"


def print_profile(profile: cProfile.Profile, n: int, title: str, top: int) -> dict[str, float]:
    stats = pstats.Stats(profile)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = max(v[3] for v in raw.values())
    rows = [
        (nc, tt, ct, f"{_where(path)}:{line}({func})" if line else func)
        for (path, line, func), (_cc, nc, tt, ct, _callers) in raw.items()
    ]
    print(f"\n--- {title}: cProfile, {n} cases, {total:.2f} s under the profiler ---")
    for key, label in ((2, "cumulative"), (1, "own time (tottime)")):
        print(f"\ntop {top} by {label}:  ncalls/case  tottime-ms/case  cumtime-ms/case  function")
        for nc, tt, ct, where in sorted(rows, key=lambda r: -float(r[key]))[:top]:
            print(f"  {nc / n:11.1f}  {tt * 1000 / n:15.3f}  {ct * 1000 / n:15.3f}  {where}")
    # Own time by area; a builtin (getattr, isinstance, str.join…) counts for the area of its
    # callers, so the ORM's many small builtin calls are charged to the ORM.
    areas: dict[str, float] = defaultdict(float)
    for (path, _line, func), (_cc, _nc, tt, _ct, callers) in raw.items():
        area = _area(path, func)
        if path != "~" or area == DRIVER or not callers:
            areas[area] += tt
            continue
        for (cpath, _cline, cfunc), timing in callers.items():
            areas[_area(cpath, cfunc)] += timing[2]
    own = sum(areas.values())
    print("\nown time by area (sums tottime):")
    for area, tt in sorted(areas.items(), key=lambda kv: -kv[1]):
        print(f"  {tt / own * 100:5.1f}%  {tt * 1000 / n:8.2f} ms/case  {area}")
    return {area: tt / own for area, tt in areas.items()}


# --- one database ----------------------------------------------------------------------------


def run_database(db: str, n: int, rounds: int, profile: bool) -> dict[str, Any]:
    _prepare_database(db)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.bare import BareWriter
    from bench.check import FILES, SEQUENCE_TOTAL, counts, delta, differences, fingerprint
    from bench.org import START, build_org
    from bench.spiff import SpiffRunner
    from cases.tests import flow
    from ledger.services import ledger_verify
    from zhifa import clock

    call_command("migrate", verbosity=0)
    clock.set_now(START)
    org = build_org()
    steps = payloads(org)
    decisions = {"lead_register": "submit", **{s: steps[s][1] for s in flow.ORDER}}
    writer = BareWriter(unit_id=org.cgj.pk, order=flow.ORDER, decisions=decisions)
    spiff = SpiffRunner()
    with connection.cursor() as cur:
        cur.execute("SELECT sqlite_version()" if db == "sqlite" else "SHOW server_version")
        version = cur.fetchone()[0]
    label = (
        f"SQLite {version} (WAL, synchronous=NORMAL, file {os.path.relpath(SQLITE_FILE, ROOT)})"
        if db == "sqlite"
        else f"PostgreSQL {version} (database {PG_DB} on 127.0.0.1:5432)"
    )
    print(f"\n=== {label}: {n} cases x {STEPS_PER_CASE} steps (+ evidence_add) ===", flush=True)

    meter = SqlMeter()
    with connection.execute_wrapper(meter):
        # Warm-up, untimed: imports, caches, the chinesecalendar year probe, the 文号 counters.
        warm = StepClock(meter)
        service_case(org, 0, steps, warm)
        bare_case(writer, org, 1, steps, warm)
        spiff.case(org.handler.username, warm)
        api = ApiClient(org)
        api_case(api, org, 999_999, steps, warm, whole=True)

        # Rounds alternate service and bare SQL; each side is reported by its fastest round,
        # which damps noise from other work on the machine.
        rows_service: dict[str, int] = defaultdict(int)
        rows_bare: dict[str, int] = defaultdict(int)
        services: list[Run] = []
        bares: list[Run] = []
        peers: list[Run] = []
        apis: list[Run] = []
        apis_whole: list[Run] = []
        service_ids: list[int] = []
        bare_ids: list[int] = []
        first = 2
        for _round in range(rounds):
            before = counts()
            run, ids = timed(
                "service", n, first, lambda i, c: service_case(org, i, steps, c), meter
            )
            services.append(run)
            service_ids = service_ids or ids
            middle = counts()
            run, ids = timed(
                "bare SQL", n, first + n, lambda i, c: bare_case(writer, org, i, steps, c), meter
            )
            bares.append(run)
            bare_ids = bare_ids or ids
            after = counts()
            first += 2 * n
            run, _ids = timed(
                "SpiffWorkflow", n, 0, lambda _i, c: spiff.case(org.handler.username, c), meter
            )
            peers.append(run)
            api.answer_bytes.clear()
            run, _ids = timed(
                "HTTP API", n, first, lambda i, c: api_case(api, org, i, steps, c, False), meter
            )
            apis.append(run)
            run, _ids = timed(
                "HTTP API + GET case",
                n,
                first + n,
                lambda i, c: api_case(api, org, i, steps, c, True),
                meter,
            )
            apis_whole.append(run)
            first += 2 * n
            for k, v in delta(before, middle).items():
                rows_service[k] += v
            for k, v in delta(middle, after).items():
                rows_bare[k] += v

    service = min(services, key=lambda r: r.seconds)
    bare = min(bares, key=lambda r: r.seconds)
    peer = min(peers, key=lambda r: r.seconds)
    ratio = service.cases_per_s / bare.cases_per_s
    peer_ratio = service.cases_per_s / peer.cases_per_s
    if rounds > 1:
        print("\n  round   service cases/s   bare-SQL cases/s   Spiff cases/s   ratio   vs Spiff")
        for number, (a, b, c) in enumerate(zip(services, bares, peers, strict=True), start=1):
            print(
                f"  {number:5} {a.cases_per_s:17.1f} {b.cases_per_s:18.1f} {c.cases_per_s:15.1f}"
                f" {a.cases_per_s / b.cases_per_s:7.2f} {a.cases_per_s / c.cases_per_s:9.2f}"
            )
        print("  (below: each side's fastest round)")
    _print_results(service, bare, peer, ratio, peer_ratio)
    print(f"  (SpiffWorkflow persists {spiff.last_size:,} bytes of JSON per step)")
    lean = min(apis, key=lambda r: r.seconds)
    heavy = min(apis_whole, key=lambda r: r.seconds)
    per_step = {
        "service": service.seconds / (n * ACTIONS_PER_CASE) * 1000,
        "API": lean.seconds / (n * ACTIONS_PER_CASE) * 1000,
        "API+GET": heavy.seconds / (n * ACTIONS_PER_CASE) * 1000,
        "Spiff": peer.seconds / (n * STEPS_PER_CASE) * 1000,
    }
    steps_answered = n * len(flow.ORDER)
    print("\n  through the HTTP API (in-process test client, bearer token), ms per action:")
    print(f"    services called directly                 {per_step['service']:7.2f}")
    print(
        f"    API, the step's own answer               {per_step['API']:7.2f}"
        f"   ({api.answer_bytes['step'] / (2 * steps_answered):,.0f} bytes per answer)"
    )
    print(
        f"    API, step + GET of the whole case        {per_step['API+GET']:7.2f}"
        f"   ({api.answer_bytes['case'] / steps_answered:,.0f} bytes per case read)"
    )
    print(f"    SpiffWorkflow, per step                  {per_step['Spiff']:7.2f}")

    # Both runs wrote the same thing: same row counts, and the same rows for a case.
    scope = f" ({rounds} rounds)" if rounds > 1 else ""
    print(f"\nrows written per run{scope:11} service    bare SQL")
    for table in rows_service:
        same = "" if rows_service[table] == rows_bare[table] else "   <-- differs"
        print(f"  {table:30} {rows_service[table]:8} {rows_bare[table]:10}{same}")
    assert SEQUENCE_TOTAL in rows_service and FILES in rows_service
    diffs = differences(fingerprint(service_ids[0]), fingerprint(bare_ids[0]))
    if diffs:
        print("content check: a service case and a bare-SQL case differ in:")
        for d in diffs[:20]:
            print("   ", d)
    else:
        print(
            "content check: the first service case and the first bare-SQL case wrote the same "
            "rows and values (ids, clocks, hashes, 文号 serials and evidence fingerprints aside)"
        )
    breaks = ledger_verify()
    print(f"ledger_verify over every stream (both runs): {len(breaks)} breaks", flush=True)
    for brk in breaks[:5]:
        print("   ", brk)

    shares: dict[str, float] = {}
    if profile:
        shares = _profile(db, n, org, steps, writer)

    result = {
        "db": db,
        "label": label,
        "cases": n,
        "rounds": rounds,
        "service_s": service.seconds,
        "bare_s": bare.seconds,
        "service_cases_per_s": service.cases_per_s,
        "bare_cases_per_s": bare.cases_per_s,
        "ratio": ratio,
        "spiff_s": peer.seconds,
        "spiff_cases_per_s": peer.cases_per_s,
        "ratio_vs_spiff": peer_ratio,
        "spiff_statements_per_case": peer.per_case(peer.statements),
        "service_statements_per_case": service.per_case(service.statements),
        "bare_statements_per_case": bare.per_case(bare.statements),
        "api_ms_per_action": per_step["API"],
        "api_with_case_ms_per_action": per_step["API+GET"],
        "rows_match": rows_service == rows_bare,
        "content_match": not diffs,
        "ledger_breaks": len(breaks),
        "profile_areas": shares,
    }
    (VAR / f"result-{db}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def _print_results(service: Run, bare: Run, peer: Run, ratio: float, peer_ratio: float) -> None:
    runs = (service, bare, peer)

    def line(label: str, *cells: str) -> None:
        print(f"  {label:36}" + "".join(f"{c:>14}" for c in cells))

    print()
    line("", "service", "bare SQL", "SpiffWorkflow")
    line("wall time (s)", *(f"{r.seconds:.2f}" for r in runs))
    line("cases/s", *(f"{r.cases_per_s:.1f}" for r in runs))
    line("steps/s", *(f"{r.cases_per_s * STEPS_PER_CASE:.0f}" for r in runs))
    line("ms/case", *(f"{1000 / r.cases_per_s:.2f}" for r in runs))
    line("SQL statements/case", *(f"{r.per_case(r.statements):.1f}" for r in runs))
    line(
        "SQL statements/step",
        *(f"{r.per_case(r.statements) / TRANSACTIONS_PER_CASE:.2f}" for r in runs),
    )
    # On PostgreSQL each statement is a round trip, and so are BEGIN and COMMIT.
    line(
        "round trips/step (stmts+BEGIN+COMMIT)",
        *(f"{r.per_case(r.statements) / TRANSACTIONS_PER_CASE + 2:.2f}" for r in runs),
    )
    line("ms/case inside SQL execute", *(f"{r.per_case(r.sql_seconds) * 1000:.2f}" for r in runs))
    line(
        "ms/case outside (Python, COMMIT)",
        *(f"{(r.seconds - sum(r.sql_seconds.values())) * 1000 / r.n:.2f}" for r in runs),
    )
    verdict = "met" if ratio >= GOAL else "NOT met"
    print(f"\n  ratio service/bare throughput: {ratio:.2f}  (goal >= {GOAL}: {verdict})")
    verdict = "met" if peer_ratio >= PEER_GOAL else "NOT met"
    print(
        f"  ratio service/SpiffWorkflow throughput: {peer_ratio:.2f}  "
        f"(goal >= {PEER_GOAL}: {verdict})"
    )

    print("\n  per action (per case)       statements        ms         ms in SQL")
    print("                             svc   bare    svc    bare    svc    bare")
    labels = [k for k in service.step_seconds if k != "other"]
    for k in labels:
        print(
            f"  {k:24} {service.statements.get(k, 0) / service.n:6.1f} "
            f"{bare.statements.get(k, 0) / bare.n:6.1f} "
            f"{service.step_seconds[k] * 1000 / service.n:6.2f} "
            f"{bare.step_seconds.get(k, 0) * 1000 / bare.n:7.2f} "
            f"{service.sql_seconds.get(k, 0) * 1000 / service.n:6.2f} "
            f"{bare.sql_seconds.get(k, 0) * 1000 / bare.n:7.2f}"
        )


def _profile(db: str, n: int, org: Any, steps: Any, writer: Any) -> dict[str, float]:
    """cProfile over a further service run (and a bare one for contrast), after the timed runs."""
    from django.db import connection

    meter = SqlMeter()  # not installed: the profile runs without the execute wrapper
    profiler = cProfile.Profile()
    clock_ = StepClock(meter)
    profiler.enable()
    for i in range(n):
        service_case(org, 10_000_000 + i, steps, clock_)
    profiler.disable()
    profiler.dump_stats(VAR / f"profile-service-{db}.prof")
    shares = print_profile(profiler, n, f"service layer on {db}", 25)

    origins = OriginMeter()
    few = 5
    with connection.execute_wrapper(origins):
        for i in range(few):
            service_case(org, 30_000_000 + i, steps, clock_)
    print(f"\n--- service layer on {db}: statements per case by the app line that issued them ---")
    for (origin, kind), count in sorted(origins.count.items(), key=lambda kv: -kv[1]):
        print(f"  {count / few:6.1f}  {kind:34} {origin}")

    bare_profiler = cProfile.Profile()
    clock_ = StepClock(meter)
    bare_profiler.enable()
    for i in range(n):
        bare_case(writer, org, 20_000_000 + i, steps, clock_)
    bare_profiler.disable()
    bare_profiler.dump_stats(VAR / f"profile-bare-{db}.prof")
    print_profile(bare_profiler, n, f"bare SQL on {db} (for contrast)", 10)
    print(f"\n(raw profiles: {os.path.relpath(VAR, ROOT)}/profile-*-{db}.prof)")
    return shares


# --- entry point -----------------------------------------------------------------------------


def _summary(results: list[dict[str, Any]]) -> None:
    print("\n=== summary ===")
    print(
        "  database    cases  service cases/s  bare-SQL cases/s  ratio  goal>=0.5  "
        "Spiff cases/s  vs Spiff  goal>=1  stmts/case svc/bare  same rows"
    )
    for r in results:
        print(
            f"  {r['db']:10} {r['cases']:6} {r['service_cases_per_s']:16.1f} "
            f"{r['bare_cases_per_s']:17.1f} {r['ratio']:6.2f}  "
            f"{'met' if r['ratio'] >= GOAL else 'NOT met':9}  "
            f"{r['spiff_cases_per_s']:13.1f} {r['ratio_vs_spiff']:9.2f}  "
            f"{'met' if r['ratio_vs_spiff'] >= PEER_GOAL else 'NOT met':7}  "
            f"{r['service_statements_per_case']:8.1f} / {r['bare_statements_per_case']:5.1f}  "
            f"{'yes' if r['rows_match'] and r['content_match'] else 'NO'}"
        )


def main(argv: list[str] | None = None) -> int:
    global PG_DB
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=(*DATABASES, "both"), default="both")
    parser.add_argument("--cases", type=int, default=200, help="cases per run (default 200)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="alternating service/bare rounds; best is reported"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile a further service run")
    parser.add_argument(
        "--pg-db", default=PG_DB, help=f"the PostgreSQL database, dropped first (default {PG_DB})"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cases < 1 or args.rounds < 1:
        parser.error("--cases and --rounds must be at least 1")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", args.pg_db):
        parser.error("--pg-db: a lower-case identifier")
    PG_DB = args.pg_db
    if args.db != "both":
        result = run_database(args.db, args.cases, args.rounds, args.profile)
        if not args.child:
            _summary([result])
        return 0
    results = []
    for db in DATABASES:
        (VAR / f"result-{db}.json").unlink(missing_ok=True)
        cmd = [sys.executable, "-m", "bench.bench_cases", "--child", "--db", db]
        cmd += ["--cases", str(args.cases), "--rounds", str(args.rounds), "--pg-db", PG_DB]
        if args.profile:
            cmd.append("--profile")
        done = subprocess.run(cmd, cwd=ROOT, check=False)
        if done.returncode != 0:
            print(f"\n{db}: the run failed (exit {done.returncode})", file=sys.stderr)
            return done.returncode
        results.append(json.loads((VAR / f"result-{db}.json").read_text(encoding="utf-8")))
    _summary(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
