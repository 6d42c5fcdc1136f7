"""Benchmark: the public site (/gs/) on a million published decisions, many anonymous visitors.

    .venv/bin/python -m bench.bench_portal [--db postgres|sqlite] [--decisions N] [--reuse]
        [--users 50] [--saturate] [--via-nginx] [--explain]

PostgreSQL uses a database of its own, `bench_portal` (`--pg-db`), made afresh unless --reuse
keeps the rows of an earlier run of the same size; SQLite uses var/bench-portal/bench.sqlite3
(default 100,000 decisions there). The org is the demo's Liaocheng units (demo.demo); then N
closed general-procedure cases, each with one party, its penalty decision and the decision's
publication, are written by single INSERT … SELECT statements over a number series (no Python
loop over rows): a few big agencies and many small ones, decisions spread over the last 1,000
days, persons masked as the site shows them, companies by name, 1 % withdrawn.

Then gunicorn serves the database (bench/web_load.py, the same server, CPU meter and report as
bench_web's concurrent mode) and `--users` anonymous visitors, each thinking 1–3 s between pages,
open a weighted mix of the public pages: the home page, the decisions list (first pages and deep
pages up to the last one shown), searches by a fragment of a party's name and by agency, a
decision page, feed.json, an agency's 事前公示 and the 双随机 list. With --via-nginx they go
through nginx configured with deploy/nginx/. --explain prints the plans of the list's statements
(the page and its count) for the searches the visitors make, and exits.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.parse
from pathlib import Path
from random import Random
from typing import Any

from bench.bench_web import GIVEN, NOW, PG_SERVER, ROOT, SURNAMES, TODAY, TRADES

VAR = ROOT / "var" / "bench-portal"
PG_DB = "bench_portal"
DAYS = 1000  # decisions are spread over the last DAYS days
RETENTION_DAYS = 3 * 365 + 10  # every generated decision is still on the site on TODAY
FORMS = ["有限公司", "有限责任公司", "经营部", "商行"]

# The visitors' pages and their weights (of 100).
PAGES = (
    ("首页", 8),
    ("决定列表", 16),
    ("深页", 8),
    ("当事人搜索", 16),
    ("机关搜索", 14),
    ("决定页", 20),
    ("feed.json", 6),
    ("事前公示", 6),
    ("双随机", 6),
)


def _prepare(db: str, reuse: bool, pg_db: str) -> bool:
    """Point the settings at the benchmark database; True when its rows can be reused."""
    import secrets

    VAR.mkdir(parents=True, exist_ok=True)
    os.environ["ZHIFA_VAR_DIR"] = str(VAR)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DEBUG"] = "0"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    if db == "sqlite":
        path = VAR / "bench.sqlite3"
        keep = reuse and path.exists()
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        return keep
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [pg_db]).fetchone()
        keep = bool(reuse and exists)
        if not keep:
            conn.execute(f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {pg_db}")
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{pg_db}"
    return keep


# --- data --------------------------------------------------------------------------------------


class _Sql:
    """The few expressions that differ between PostgreSQL and SQLite."""

    def __init__(self, vendor: str) -> None:
        self.pg = vendor == "postgresql"

    def series(self, n: int) -> str:
        if self.pg:
            return f"generate_series(1, {n}) AS s(g)"
        return (
            f"(WITH RECURSIVE r(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM r WHERE g < {n}) "
            "SELECT g FROM r) AS s"
        )

    def day(self, offset: str) -> str:
        """TODAY plus `offset` days (an integer expression)."""
        if self.pg:
            return f"(DATE '{TODAY.isoformat()}' + ({offset})::int)"
        return f"date('{TODAY.isoformat()}', ({offset}) || ' days')"

    def ts(self, iso: str) -> str:
        return f"TIMESTAMPTZ '{iso}'" if self.pg else f"'{iso}'"

    def to_int(self, expr: str) -> str:
        return f"floor({expr})::int" if self.pg else f"CAST({expr} AS INTEGER)"


def _h(k: int) -> str:
    """A pseudo-random number 0 … 1,000,002 from the series' g (a different one per k)."""
    return f"CAST((g * {2654435761 + 2 * k} + {k * 7919}) % 1000003 AS INTEGER)"


def _pick(expr: str, words: list[str]) -> str:
    whens = " ".join(f"WHEN {i} THEN '{w}'" for i, w in enumerate(words))
    return f"(CASE ({expr}) % {len(words)} {whens} END)"


def generate(n: int) -> dict[str, Any]:
    """Write n cases, parties, decisions and publications with INSERT … SELECT over a series."""
    from django.db import connection, transaction

    from orgs.models import Unit, User

    sql = _Sql(connection.vendor)
    units = list(
        Unit.objects.filter(kind__in=[Unit.Kind.AGENCY, Unit.Kind.TOWNSHIP]).order_by("code")
    )
    Random(7).shuffle(units)  # a few big agencies, many small ones: unit = rank ~ uniform²
    rows = []
    for idx, unit in enumerate(units):
        user = User.objects.filter(unit=unit).order_by("pk").values_list("pk", flat=True).first()
        assert user is not None, unit
        rows.append((idx, unit.pk, user, (unit.short or unit.name[:4]).replace("'", "")))
    with connection.cursor() as cur:
        base = 0
        for table in ("cases_case", "cases_party", "cases_decision", "disclosure_publication"):
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            base = max(base, cur.fetchone()[0])
    now = NOW.isoformat()
    person_name = (
        f"substr('{SURNAMES}', 1 + {_h(3)} % {len(SURNAMES)}, 1) || "
        f"substr('{GIVEN}', 1 + {_h(4)} % {len(GIVEN)}, 1) || "
        f"(CASE WHEN {_h(5)} % 10 < 6 THEN substr('{GIVEN}', 1 + {_h(6)} % {len(GIVEN)}, 1) "
        "ELSE '' END)"
    )
    company = f"'聊城市' || {person_name} || {_pick(_h(7), TRADES)} || {_pick(_h(8), FORMS)}"
    person = f"{_h(2)} % 100 < 45"
    year = f"(2025 - ({_h(1)} % {DAYS} + 212) / 365)"
    decided = sql.day(f"-({_h(1)} % {DAYS}) - 6")
    published = sql.day(f"-({_h(1)} % {DAYS})")
    shown_until = sql.day(f"-({_h(1)} % {DAYS}) + {RETENTION_DAYS}")
    amount = f"(({_h(9)} % 200) + 1) * 100"
    unit_idx = sql.to_int(f"{len(units)} * ({_h(10)} / 1000003.0) * ({_h(10)} / 1000003.0)")
    series = sql.series(n)
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE bench_units (idx int, unit_id bigint, user_id bigint, short text)"
        )
        cur.executemany("INSERT INTO bench_units VALUES (%s, %s, %s, %s)", rows)
        # One row per decision: its unit and names, computed once, read by the four INSERTs.
        cur.execute(
            f"CREATE TEMP TABLE bench_rows AS SELECT g + {base} AS id, u.unit_id, u.user_id, "
            f"u.short, {year} AS year, {decided} AS decided, {published} AS published, "
            f"{shown_until} AS shown_until, {amount} AS amount, "
            f"CASE WHEN {person} THEN 'person' ELSE 'organisation' END AS kind, "
            f"CASE WHEN {person} THEN {person_name} ELSE {company} END AS name, "
            f"{_h(11)} % 100 = 0 AS withdrawn "
            f"FROM {series} JOIN bench_units u ON u.idx = {unit_idx}"
        )
        cur.execute(
            "INSERT INTO cases_case (id, procedure, lead_no, case_no, source, clue, place, "
            "discovered_on, facts, step, status, outcome, complex, filed_on, closed_on, "
            "previous_step, created_at, updated_at, handler_id, unit_id, imported, "
            "harmful_consequences) SELECT id, 'general', short || '案源〔' || year || '〕' || id "
            "|| '号', short || '立〔' || year || '〕' || id || '号', 'patrol', "
            "'巡查发现擅自设置户外广告设施', '东昌府区柳园路', decided, '', 'end', 'closed', "
            f"'penalty', false, decided, decided, '', '{now}', '{now}', user_id, unit_id, false, "
            "false FROM bench_rows"
        )
        cur.execute(
            'INSERT INTO cases_party (id, "index", kind, name, id_number, id_number_index, '
            "address, phone, legal_rep, hearing_right, case_id) SELECT id, 0, kind, name, '', '', "
            "'聊城市东昌府区', '', '', false, id FROM bench_rows"
        )
        cur.execute(
            "INSERT INTO cases_decision (id, number, outcome, decided_on, facts, basis, "
            "performance, reason, heaviest, total_amount, delivery_method, case_id, party_id) "
            "SELECT id, short || '罚决〔' || year || '〕' || id || '号', 'penalty', decided, '', "
            "'', '', '', 'fine', amount, 'direct', id, id FROM bench_rows"
        )
        shown = "CASE WHEN kind = 'person' THEN substr(name, 1, 1) || '**' ELSE name END"
        cur.execute(
            "INSERT INTO disclosure_publication (id, status, number, decided_on, party_kind, "
            "party_name, credit_code, summary, text, drafted_at, approved_at, published_at, "
            "published_on, publish_due, late, shown_until, withdrawn_at, withdrawn_on, "
            "withdrawal_reason, approved_by_id, case_id, decision_id, drafted_by_id, unit_id) "
            "SELECT id, CASE WHEN withdrawn THEN 'withdrawn' ELSE 'published' END, "
            f"short || '罚决〔' || year || '〕' || id || '号', decided, kind, {shown}, "
            "CASE WHEN kind = 'person' THEN '' ELSE '913715' || (100000000000 + id) END, "
            "'罚款' || amount || '元', '当事人' || "
            f"{shown} || '擅自设置户外广告设施，违反了《城市市容和环境卫生管理条例》第十四条的"
            "规定，依据第三十六条第二项，决定给予罚款' || amount || '元的行政处罚。', "
            f"'{now}', '{now}', '{now}', published, published, false, shown_until, "
            f"CASE WHEN withdrawn THEN {sql.ts(now)} END, CASE WHEN withdrawn THEN published END, "
            "CASE WHEN withdrawn THEN '该决定已被依法撤销' ELSE '' END, user_id, id, id, "
            "user_id, unit_id FROM bench_rows"
        )
        cur.execute("DROP TABLE bench_rows")
        cur.execute("DROP TABLE bench_units")
        if sql.pg:
            for table in ("cases_case", "cases_party", "cases_decision", "disclosure_publication"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"  rows written in {time.perf_counter() - t0:.0f}s")
    return {"decisions": n}


def setup(db: str, n: int, reuse: bool, pg_db: str) -> dict[str, Any]:
    keep = _prepare(db, reuse, pg_db)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from demo.demo import demo_load
    from disclosure.models import Publication
    from zhifa import clock

    clock.set_now(NOW)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    # Statistics for indexes a migration has just built on the stored rows (autovacuum would
    # take its time): the planner needs them to choose between the list's indexes.
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"migrated and analysed in {time.perf_counter() - t0:.0f}s")
    if keep and Publication.objects.filter(status="published").count() < n * 0.95:
        print("stored rows are of another size: regenerate with a fresh database")
        connection.close()
        keep = _prepare(db, False, pg_db)
        call_command("migrate", verbosity=0)
    if not keep:
        t0 = time.perf_counter()
        demo_load(today=TODAY)
        generate(n)
        print(f"generated {n:,} published decisions in {time.perf_counter() - t0:.0f}s")
    return workload_urls(n)


def workload_urls(n: int) -> dict[str, list[str]]:
    """The URLs each page of the mix is drawn from (seeded)."""
    from django.conf import settings
    from django.db.models import Count, Max, Min

    from disclosure.models import Publication
    from disclosure.views import MAX_PAGE
    from inspections import random_selectors
    from orgs.models import Unit

    rng = Random(5)
    gs = "/" + settings.PUBLIC_SITE_PREFIX
    on_site = Publication.objects.filter(status__in=("published", "withdrawn"))
    by_unit = list(
        on_site.values("unit__code")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("unit__code", "n")
    )
    big, small = by_unit[0][0], by_unit[-1][0]
    low, high = on_site.aggregate(low=Min("id"), high=Max("id")).values()
    drawn = rng.sample(range(low, high + 1), min(2000, high - low + 1))
    ids = drawn[:500]
    companies = list(
        on_site.filter(party_kind="organisation", pk__in=drawn[500:]).values_list(
            "party_name", flat=True
        )[:50]
    )
    # A party's name the visitor remembers: whole (rare), its trade (common), two characters.
    fragments = (
        [c[3:] for c in companies[:10]]
        + [t for t in TRADES[:4]]
        + [c[3:5] for c in companies[10:14]]
    )
    q = urllib.parse.quote
    agencies = [u for u, _ in by_unit[:10]] + [u for u, _ in by_unit[-5:]]
    plans = [p.pk for p in random_selectors.public_plans()[:5]]
    urls = {
        "首页": [gs],
        "决定列表": [f"{gs}decisions/"] + [f"{gs}decisions/?page={p}" for p in (2, 3, 5)],
        "深页": [f"{gs}decisions/?page={p}" for p in (50, 200, MAX_PAGE)],
        "当事人搜索": [f"{gs}decisions/?party={q(f)}" for f in fragments],
        "机关搜索": [f"{gs}decisions/?unit={q(u)}" for u in agencies]
        + [f"{gs}decisions/?unit={q(big)}&page=20", f"{gs}decisions/?unit={q(small)}&page=2"],
        "决定页": [f"{gs}decisions/{i}/" for i in ids],
        "feed.json": [f"{gs}feed.json", f"{gs}feed.json?page=2", f"{gs}feed.json?unit={q(big)}"],
        "事前公示": [f"{gs}agencies/{q(u)}/" for u in agencies],
        "双随机": [f"{gs}choucha/"] + [f"{gs}choucha/{p}/" for p in plans],
    }
    print(
        f"database: {n:,} decisions; the biggest agency {big} ({by_unit[0][1]:,}), the smallest "
        f"{small} ({by_unit[-1][1]:,}); {Unit.objects.count()} units; "
        f"{len(fragments)} party fragments, e.g. {', '.join(fragments[::6])}"
    )
    return urls


def explain(urls: dict[str, list[str]]) -> None:
    """The plans of the list's statements for a sample of each search the visitors make."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    picks = [
        urls["决定列表"][0],
        urls["深页"][-1],
        *urls["当事人搜索"][:1],
        *urls["当事人搜索"][10:11],
        *urls["当事人搜索"][-1:],
        urls["机关搜索"][0],
        urls["机关搜索"][-2],
        urls["决定页"][0],
    ]
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    for url in picks:
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            status = client.get(url).status_code
            took = (time.perf_counter() - t0) * 1000
        print(f"\n=== {urllib.parse.unquote(url)}: {status}, {took:.0f} ms, {len(ctx)} statements")
        for q in ctx.captured_queries:
            if "disclosure_publication" not in q["sql"]:
                continue
            print(f"--- {float(q['time']) * 1000:.1f} ms  {q['sql'][:300]}")
            with connection.cursor() as cur:
                cur.execute(prefix + q["sql"])
                for row in cur.fetchall():
                    print("   ", " ".join(str(c) for c in row)[:180])


def main(argv: list[str] | None = None) -> None:
    from bench import web_load

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--decisions", type=int, help="default 1,000,000 (SQLite 100,000)")
    parser.add_argument("--reuse", action="store_true", help="keep the rows of an earlier run")
    parser.add_argument("--pg-db", default=PG_DB, help=f"PostgreSQL database (default {PG_DB})")
    parser.add_argument("--explain", action="store_true", help="print the list's plans and exit")
    parser.add_argument("--prepare-only", action="store_true", help="make the database and exit")
    load = web_load.add_arguments(parser)
    load.add_argument(
        "--users",
        dest="concurrent",
        type=int,
        default=50,
        help="anonymous visitors with think time (default 50; 0: --saturate only)",
    )
    args = parser.parse_args(argv)
    n = args.decisions or (1_000_000 if args.db == "postgres" else 100_000)
    urls = setup(args.db, n, args.reuse, args.pg_db)
    if args.explain:
        explain(urls)
        return
    if args.prepare_only:
        return
    mix = web_load.Workload([p for p, _ in PAGES], [float(w) for _, w in PAGES], urls)
    try:
        web_load.drive(mix, None, args, f"anonymous, {n:,} published decisions", VAR / "load.json")
    except KeyboardInterrupt:
        print("\ninterrupted: the server is stopped", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
