"""Benchmark: import a Liaocheng-2022-sized zhifa.case/1 file through `import_cases`, then draw the
penalty form, and time the same aggregation as one hand-written SQL query in the same run.

    .venv/bin/python -m bench.bench_stats [--db sqlite|postgres|both] [--cases N] [--sqlite-cases N]
                                          [--workers W]

Goals (issue 4): import ≥ 20,000 records/s; the penalty form < 2 s on PostgreSQL.

The dataset (var/bench/stats-<N>.jsonl.gz, generated once and reused) spreads N filed cases over
the 9 rows of the seed's 2022 penalty table in the seed's proportions (莘县 290,118 of 1,144,482),
closes them in the seed's 结案/立案 ratio per row, and gives each case one party and one decision
whose heaviest type is drawn with the weights of the seed row's type columns (a fine with a random
amount where the type carries one). A few per thousand get a reconsideration, a litigation, a
coercive measure or an enforcement. Each database is made afresh: SQLite /tmp/zhifa-benchstats/
bench.sqlite3, PostgreSQL `zhifa_benchstats` on postgres@127.0.0.1:5432.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
SQLITE_DIR = Path("/tmp/zhifa-benchstats")
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DB = "zhifa_benchstats"
FULL = 1_144_482
IMPORT_GOAL = 20_000.0
FORM_GOAL = 2.0

# The seed's 2022 penalty table: region, 立案, 结案, then the 14 type columns in PenaltyType order.
SEED = [
    ("371500", 818666, 818367, [301641, 2, 516487, 301, 42, 3725, 0, 1814, 1, 3, 0, 3, 21, 63]),
    ("371502", 9048, 6024, [699, 0, 2458, 434, 172, 0, 0, 4, 0, 53, 2, 0, 2031, 10]),
    ("371503", 3447, 2894, [96, 4, 1800, 172, 41, 0, 0, 2, 0, 4, 0, 0, 806, 31]),
    ("371581", 4656, 3461, [671, 0, 1665, 545, 341, 34, 0, 5, 0, 60, 1, 5, 1029, 94]),
    ("371525", 5272, 4384, [1541, 0, 1605, 174, 23, 0, 0, 151, 0, 6, 0, 0, 1010, 46]),
    ("371522", 290118, 289648, [166629, 0, 122226, 151, 114, 0, 0, 0, 0, 1, 6, 0, 2029, 1]),
    ("371521", 5254, 4425, [700, 0, 3709, 235, 35, 4, 0, 411, 0, 119, 0, 0, 1123, 11]),
    ("371524", 2882, 2761, [497, 0, 1990, 130, 20, 0, 0, 3, 0, 5, 0, 0, 489, 8]),
    ("371526", 5139, 5096, [722, 0, 2922, 202, 70, 0, 0, 0, 0, 4, 0, 0, 230, 457]),
]
TYPES = [
    "warning", "criticism", "fine", "confiscate_gains", "confiscate_property", "suspend_permit",
    "lower_qualification", "revoke_permit", "restrict_business", "suspend_business", "close",
    "restrict_practice", "detention", "other",
]  # fmt: skip
AMOUNT = {"fine", "confiscate_gains", "confiscate_property"}
PERSON_ONLY = {"detention", "restrict_practice"}
UNITS_PER_ROW = 4


def _id_card(n: int) -> str:
    from law.validators import make_id_card

    return make_id_card(f"371502{1960 + n % 40}0101{n % 1000:03d}")


def _credit(n: int) -> str:
    from law.validators import make_credit_code

    return make_credit_code(f"91371500MA{n % 10_000_000:07d}")


def generate(path: Path, n: int) -> None:
    """Write n case records (gzip JSON Lines) spread like the seed's 2022 table."""
    rng = random.Random(2022)
    total = sum(r[1] for r in SEED)
    persons = [_id_card(i) for i in range(500)]
    orgs = [_credit(i) for i in range(500)]
    start = time.perf_counter()
    written = 0
    partial = path.with_suffix(".partial")
    with gzip.open(partial, "wt", encoding="utf-8", compresslevel=1) as out:
        for index, (region, filed, closed, types) in enumerate(SEED):
            count = (
                round(n * filed / total)
                if index
                else n - sum(round(n * r[1] / total) for r in SEED[1:])
            )
            close_ratio = closed / filed
            weights = [t or 0 for t in types]
            units = [
                {"code": f"{region}-B{u:02d}", "name": f"{region}执法单位{u}", "region": region}
                for u in range(1, UNITS_PER_ROW + 1)
            ]
            for i in range(count):
                day = 1 + rng.randrange(330)
                filed_on = _day(day)
                ptype = rng.choices(TYPES, weights)[0]
                person = ptype in PERSON_ONLY or rng.random() < 0.6
                penalties: list[dict[str, str]] = [{"type": ptype}]
                if ptype in AMOUNT:
                    penalties[0]["amount"] = (
                        f"{rng.randrange(50, 500_000)}.{rng.randrange(100):02d}"
                    )
                elif rng.random() < 0.3 and ptype not in ("other", "fine"):
                    penalties.append({"type": "fine", "amount": f"{rng.randrange(50, 5000)}.00"})
                decided = day + 1 + rng.randrange(20)
                r = rng.random()
                record: dict[str, Any] = {
                    "schema": "zhifa.case/1",
                    "unit": units[i % UNITS_PER_ROW],
                    "case_no": f"{region}罚〔2022〕{i + 1}号",
                    "procedure": "simple" if ptype == "warning" and r < 0.5 else "general",
                    "matter": {"code": f"M-{ptype}", "name": f"事项{ptype}"},
                    "source": "patrol",
                    "filed_on": filed_on,
                    "closed_on": _day(decided + 5) if rng.random() < close_ratio else None,
                    "transferred_on": _day(decided) if r < 0.006 else None,
                    "parties": [
                        {
                            "kind": "person" if person else "organisation",
                            "name": "当事人",
                            "id_number": rng.choice(persons if person else orgs),
                            "decision": {
                                "no": f"{region}罚决〔2022〕{i + 1}号",
                                "decided_on": _day(decided),
                                "outcome": "penalty",
                                "penalties": penalties,
                                "reconsideration": {
                                    "filed_on": _day(decided + 10),
                                    "result": "corrected" if r < 0.00005 else "upheld",
                                }
                                if r < 0.0003
                                else None,
                                "litigation": {"filed_on": _day(decided + 20), "result": None}
                                if 0.0003 <= r < 0.0005
                                else None,
                            },
                        }
                    ],
                    "coercive_measures": [{"type": "seize", "on": filed_on}] if r > 0.995 else [],
                    "enforcements": [{"type": "court", "on": _day(decided + 30)}]
                    if r > 0.9998
                    else [],
                }
                out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
                written += 1
    partial.rename(path)  # an interrupted run never leaves a short file behind
    print(f"  generated {written:,} records in {time.perf_counter() - start:.1f} s → {path}")


def _day(day_of_year: int) -> str:
    import datetime as dt

    return (dt.date(2022, 1, 1) + dt.timedelta(days=min(day_of_year, 364))).isoformat()


# --- one database, in its own process ---------------------------------------------------------


def _prepare(db: str) -> None:
    if db == "sqlite":
        SQLITE_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_DIR / 'bench.sqlite3'}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{SQLITE_DIR / 'bench.sqlite3'}"
    else:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        url = f"{PG_SERVER}/{PG_DB}"
    os.environ["DATABASE_URL"] = url
    os.environ["ZHIFA_VAR_DIR"] = str(SQLITE_DIR)
    # A throwaway database: a key of its own for the run (DEBUG off needs one).
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")


HAND_SQL = """
SELECT u.region_id, 'filed', '', COUNT(*), 0 FROM cases_case c JOIN orgs_unit u ON u.id = c.unit_id
 WHERE u.path LIKE %(path)s AND c.filed_on BETWEEN %(start)s AND %(end)s GROUP BY u.region_id
UNION ALL
SELECT u.region_id, 'closed', '', COUNT(*), 0 FROM cases_case c JOIN orgs_unit u ON u.id = c.unit_id
 WHERE u.path LIKE %(path)s AND c.closed_on BETWEEN %(start)s AND %(end)s GROUP BY u.region_id
UNION ALL
SELECT u.region_id, 'transferred', '', COUNT(*), 0 FROM cases_case c
  JOIN orgs_unit u ON u.id = c.unit_id
 WHERE u.path LIKE %(path)s AND c.transferred_on BETWEEN %(start)s AND %(end)s
 GROUP BY u.region_id
UNION ALL
SELECT u.region_id, 'type', d.heaviest, COUNT(*), SUM(ROUND(d.total_amount * 100))
  FROM cases_decision d JOIN cases_case c ON c.id = d.case_id JOIN orgs_unit u ON u.id = c.unit_id
 WHERE u.path LIKE %(path)s AND d.outcome = 'penalty' AND d.decided_on BETWEEN %(start)s AND %(end)s
 GROUP BY u.region_id, d.heaviest
UNION ALL
SELECT u.region_id, r.kind, 'all', COUNT(*), SUM(CASE WHEN r.result = 'corrected' THEN 1 ELSE 0 END)
  FROM cases_review r JOIN cases_decision d ON d.id = r.decision_id
  JOIN cases_case c ON c.id = d.case_id JOIN orgs_unit u ON u.id = c.unit_id
 WHERE u.path LIKE %(path)s AND r.filed_on BETWEEN %(start)s AND %(end)s
 GROUP BY u.region_id, r.kind
"""


def run_one(db: str, path: Path, n: int, workers: int = 1, bulk: bool = True) -> dict[str, Any]:
    _prepare(db)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from orgs.models import Unit
    from orgs.services import regions_ensure
    from supervision.selectors import Period, form_table

    call_command("migrate", verbosity=0)
    regions_ensure()
    start = time.perf_counter()
    flags = ["--bulk"] if bulk else []
    call_command("import_cases", str(path), "--workers", str(workers), *flags, stdout=sys.stderr)
    seconds = time.perf_counter() - start
    rate = n / seconds
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    root = Unit.objects.select_related("region").get(code="371500-GOV")
    period = Period.year(2022)
    form_table("penalty", root=root, period=period)  # warm the caches once
    best_orm = best_sql = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        table = form_table("penalty", root=root, period=period)
        best_orm = min(best_orm, time.perf_counter() - t)
        t = time.perf_counter()
        with connection.cursor() as cur:
            params = {"path": root.path + "%", "start": period.start, "end": period.end}
            cur.execute(HAND_SQL, params)
            rows = cur.fetchall()
        best_sql = min(best_sql, time.perf_counter() - t)
    total = table.total.values
    sql_filed = sum(r[3] for r in rows if r[1] == "filed")
    assert sql_filed == total["filed"], (sql_filed, total["filed"])
    return {
        "db": db,
        "records": n,
        "workers": workers,
        "mode": "bulk" if bulk else "online",
        "import_s": seconds,
        "import_rate": rate,
        "form_s": best_orm,
        "sql_s": best_sql,
        "filed": total["filed"],
        "closed": total["closed"],
        "amount_wan": str(total["amount"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--cases", type=int, default=FULL)
    parser.add_argument("--sqlite-cases", type=int, default=None, help="smaller N for SQLite")
    parser.add_argument("--workers", type=int, default=1, help="import_cases --workers")
    parser.add_argument(
        "--mode",
        choices=("bulk", "online"),
        default="bulk",
        help="import_cases --bulk (the initial load, tables off line) or without it",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    if args.child:
        path = VAR / f"stats-{args.cases}.jsonl.gz"
        print(json.dumps(run_one(args.db, path, args.cases, args.workers, args.mode == "bulk")))
        return
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    results = []
    for db in dbs:
        n = args.sqlite_cases if db == "sqlite" and args.sqlite_cases else args.cases
        path = VAR / f"stats-{n}.jsonl.gz"
        if not path.exists():
            sys.path.insert(0, str(ROOT))
            generate(path, n)
        print(f"[{db}] importing {n:,} records …", flush=True)
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.bench_stats",
                "--child",
                "--db",
                db,
                "--cases",
                str(n),
                "--workers",
                str(args.workers),
                "--mode",
                args.mode,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            print(proc.stdout, proc.stderr)
            raise SystemExit(proc.returncode)
        print("  " + proc.stderr.strip().splitlines()[-1])
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print()
    head = f"{'db':9} {'records':>10} {'import s':>9} {'records/s':>10} {'form s':>7} {'SQL s':>7}"
    print(f"{head} {'form/SQL':>8}  filed / closed / 万元")
    for r in results:
        print(
            f"{r['db']:9} {r['records']:>10,} {r['import_s']:>9.1f} {r['import_rate']:>10,.0f} "
            f"{r['form_s']:>7.3f} {r['sql_s']:>7.3f} {r['form_s'] / r['sql_s']:>8.2f}  "
            f"{r['filed']:,} / {r['closed']:,} / {r['amount_wan']}"
        )
        ok_import = "met" if r["import_rate"] >= IMPORT_GOAL else "NOT met"
        line = f"  {r['db']}: import goal ≥{IMPORT_GOAL:,.0f}/s {ok_import}"
        if r["db"] == "postgres":
            line += f"; form goal <{FORM_GOAL} s {'met' if r['form_s'] < FORM_GOAL else 'NOT met'}"
        print(line)


if __name__ == "__main__":
    main()
