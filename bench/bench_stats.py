"""Benchmark: the statistics forms over a Liaocheng-2022-sized dataset imported through
`import_cases`, and again for the same year with more years held; then a mixed load of writes and
the statistics summary checked against a full recount of the raw rows.

    .venv/bin/python -m bench.bench_stats [--db sqlite|postgres|both] [--cases N] [--sqlite-cases N]
                                          [--years Y] [--mixed M] [--workers W] [--mode bulk|online]

Goals (issue 13): every form (and the dashboard) over 1.14M decisions in under 100 ms on both
databases, and still under 100 ms for the current year with four more years held (4.6M); the
summary equal to a recount after the mixed load. Import ≥ 20,000 records/s (issue 4).

Each year's dataset (var/bench/stats-<N>[-<year>].jsonl.gz, generated once and reused) spreads N
filed cases over the 9 rows of the seed's 2022 penalty table in the seed's proportions (莘县
290,118 of 1,144,482), closes them in the seed's 结案/立案 ratio per row, and gives each case one
party and one decision whose heaviest type is drawn with the weights of the seed row's type
columns (a fine with a random amount where the type carries one). A few per thousand get a
reconsideration, a litigation, a coercive measure or an enforcement. 2022 is the current year;
`--years Y` (default 4) imports Y years before it afterwards. The mixed load (`--mixed M` cases,
0 to skip): M cases through the 18 steps with a surcharge paid late, half of them revoked on
reconsideration, a coercive measure, an inspection, then a re-import replacing 20,000 records of
2022 with other figures. Each figure is the best of five runs after one warm-up; "from the raw
rows" is the penalty form counted the way it was before the summary (supervision/tests/
raw_forms.py), once, and checked equal. Each database is made afresh: SQLite
/tmp/zhifa-benchstats/bench.sqlite3, PostgreSQL `zhifa_benchstats` on postgres@127.0.0.1:5432.
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
FORM_GOAL = 0.100  # seconds: every form, whatever the years held (issue 13)

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


def generate(path: Path, n: int, year: int = 2022) -> None:
    """Write n case records (gzip JSON Lines) of ``year`` spread like the seed's 2022 table."""
    rng = random.Random(year)
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
                filed_on = _day(day, year)
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
                    "case_no": f"{region}罚〔{year}〕{i + 1}号",
                    "procedure": "simple" if ptype == "warning" and r < 0.5 else "general",
                    "matter": {"code": f"M-{ptype}", "name": f"事项{ptype}"},
                    "source": "patrol",
                    "filed_on": filed_on,
                    "closed_on": _day(decided + 5, year) if rng.random() < close_ratio else None,
                    "transferred_on": _day(decided, year) if r < 0.006 else None,
                    "parties": [
                        {
                            "kind": "person" if person else "organisation",
                            "name": "当事人",
                            "id_number": rng.choice(persons if person else orgs),
                            "decision": {
                                "no": f"{region}罚决〔{year}〕{i + 1}号",
                                "decided_on": _day(decided, year),
                                "outcome": "penalty",
                                "penalties": penalties,
                                "reconsideration": {
                                    "filed_on": _day(decided + 10, year),
                                    "result": "corrected" if r < 0.00005 else "upheld",
                                }
                                if r < 0.0003
                                else None,
                                "litigation": {"filed_on": _day(decided + 20, year), "result": None}
                                if 0.0003 <= r < 0.0005
                                else None,
                            },
                        }
                    ],
                    "coercive_measures": [{"type": "seize", "on": filed_on}] if r > 0.995 else [],
                    "enforcements": [{"type": "court", "on": _day(decided + 30, year)}]
                    if r > 0.9998
                    else [],
                }
                out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
                written += 1
    partial.rename(path)  # an interrupted run never leaves a short file behind
    print(f"  generated {written:,} records in {time.perf_counter() - start:.1f} s → {path}")


def _day(day_of_year: int, year: int = 2022) -> str:
    import datetime as dt

    return (dt.date(year, 1, 1) + dt.timedelta(days=min(day_of_year, 364))).isoformat()


# --- one database, in its own process ---------------------------------------------------------


def _prepare(db: str, pg_db: str = PG_DB) -> None:
    if db == "sqlite":
        SQLITE_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_DIR / 'bench.sqlite3'}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{SQLITE_DIR / 'bench.sqlite3'}"
    else:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {pg_db}")
        url = f"{PG_SERVER}/{pg_db}"
    os.environ["DATABASE_URL"] = url
    os.environ["ZHIFA_VAR_DIR"] = str(SQLITE_DIR)
    # A throwaway database: a key of its own for the run (DEBUG off needs one).
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")


FORMS = ("penalty", "coercion", "inspection", "permit", "levy")
YEAR = 2022  # the "current" year; the extra years held are the ones before it


def data_path(n: int, year: int = YEAR) -> Path:
    return VAR / (f"stats-{n}.jsonl.gz" if year == YEAR else f"stats-{n}-{year}.jsonl.gz")


def _import(path: Path, workers: int, bulk: bool) -> float:
    from django.core.management import call_command
    from django.db import connection

    start = time.perf_counter()
    flags = ["--bulk"] if bulk else []
    call_command("import_cases", str(path), "--workers", str(workers), *flags, stdout=sys.stderr)
    seconds = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    return seconds


def _best(fn: Any, rounds: int = 5) -> float:
    fn()  # warm the caches once
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _time_forms(root: Any, year: int) -> dict[str, float]:
    """Each form (and the dashboard) over the year, best of five, in seconds; and the penalty
    form counted from the raw rows the old way (once), checked equal to the summary's."""
    from supervision.selectors import Period, dashboard, form_table
    from supervision.tests.raw_forms import raw_cells

    period = Period.year(year)
    out = {f: _best(lambda f=f: form_table(f, root=root, period=period)) for f in FORMS}
    out["dashboard"] = _best(lambda: dashboard(root, period))
    t = time.perf_counter()
    raw = raw_cells("penalty", root, period)
    out["penalty_raw_rows"] = time.perf_counter() - t
    table = form_table("penalty", root=root, period=period)
    assert [r.values for r in table.rows] == raw, "the summary's form differs from the raw rows'"
    return out


def _mixed_load(path: Path, cases: int) -> dict[str, Any]:
    """Writes through the services (cases through all 18 steps, a surcharge paid late, a
    reconsideration that revokes a decision, a measure carried out, an inspection), then a
    re-import replacing records with other figures; then the summary against a full recount."""
    import copy
    import datetime as dt
    import gzip as gz

    from django.contrib.auth.hashers import make_password

    from cases.counts import differences
    from cases.services.reviews import review_conclude, review_file
    from cases.tests.flow import act, advance, register
    from coercion import services as coercion
    from demo.testing import build_test_org
    from exchange.load import import_lines
    from inspections.services import inspection_record
    from law.calendar import SHANGHAI
    from zhifa import clock

    start = time.perf_counter()
    clock.set_now(dt.datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI))
    try:
        org = build_test_org(make_password("Zhifa@2026"))
        handled = []
        for n in range(cases):
            # Each case a different act of the party (one act is fined once, Art. 29).
            act_on = clock.today() - dt.timedelta(days=10 + n)
            handled.append(advance(org, register(org, act_on=act_on), until="execution"))
        clock.set_now(clock.now() + dt.timedelta(days=17))
        paid = {"party": 0, "kind": "paid", "paid_on": "2025-03-20", "amount": "5300.00"}
        for case in handled:
            act(org, act(org, case, "execution", executions=[paid]), "closing_approve")
        case = register(org)
        m = coercion.measure_propose(
            case_id=case.pk,
            actor=org.handler,
            type="seize",
            items=[{"name": "广告牌", "quantity": "1块", "description": "钢结构"}],
            reason="可能被转移",
            basis="《广告法》第四十九条",
        )
        m = coercion.measure_decide(
            case_id=case.pk, measure_id=m.pk, actor=org.director, decision="approve", opinion="同意"
        )
        duties = (
            *("certificate_shown", "party_present", "party_notified", "told"),
            *("statements_heard", "record_made", "party_signed", "decision_delivered"),
        )
        coercion.measure_carry_out(
            case_id=case.pk,
            measure_id=m.pk,
            actor=org.handler,
            officers=[org.handler.pk, org.co_handler.pk],
            on_site=dict.fromkeys(duties, True),
        )
        inspection_record(
            actor=org.handler,
            inspection_no="聊城管检〔2025〕1号",
            on=clock.today(),
            kind="random",
            result="no_problem",
            targets=[{"kind": "organisation", "name": "某公司", "id_number": "91350100M000100Y43"}],
        )
        for case in handled[: max(1, cases // 2)]:
            review_file(
                case_id=case.pk,
                actor=org.legal,
                party=0,
                kind="reconsideration",
                filed_on=clock.today(),
                organ="聊城市人民政府",
            )
            review_conclude(
                case_id=case.pk,
                actor=org.legal,
                party=0,
                kind="reconsideration",
                ending="revoked",
                decided_on=clock.today(),
            )
    finally:
        clock.set_now(None)
    # A re-import of the file's first 20,000 records with other figures: every third no longer
    # closed, every other decision's first amount changed, every fifth decided a day later.
    lines = []
    with gz.open(path, "rt", encoding="utf-8") as f:
        for k, line in enumerate(f):
            if k == 20_000:
                break
            rec = json.loads(line)
            if k % 3 == 0:
                rec["closed_on"] = None
            d = rec["parties"][0]["decision"]
            if k % 2 == 0 and "amount" in d["penalties"][0]:
                d["penalties"][0]["amount"] = "123.45"
            if k % 5 == 0:
                day = dt.date.fromisoformat(d["decided_on"])
                d["decided_on"] = min(day + dt.timedelta(days=1), dt.date(2022, 12, 31)).isoformat()
            lines.append(json.dumps(copy.deepcopy(rec), ensure_ascii=False))
    report = import_lines(lines)
    writes = time.perf_counter() - start
    t = time.perf_counter()
    diff = differences()
    return {
        "mixed_s": writes,
        "replaced": report.replaced,
        "check_s": time.perf_counter() - t,
        "differences": diff[:3],
    }


def run_one(
    db: str,
    n: int,
    workers: int = 1,
    bulk: bool = True,
    years: int = 4,
    mixed: int = 20,
    pg_db: str = PG_DB,
) -> dict[str, Any]:
    _prepare(db, pg_db)
    import django

    django.setup()
    from django.core.management import call_command

    from orgs.models import Unit
    from orgs.services import regions_ensure

    call_command("migrate", verbosity=0)
    regions_ensure()
    seconds = _import(data_path(n), workers, bulk)
    root = Unit.objects.select_related("region").get(code="371500-GOV")
    result: dict[str, Any] = {
        "db": db,
        "records": n,
        "workers": workers,
        "mode": "bulk" if bulk else "online",
        "import_s": seconds,
        "import_rate": n / seconds,
        "forms": _time_forms(root, YEAR),
    }
    print(json.dumps(result), file=sys.stderr, flush=True)  # what a long run has so far
    held = n
    for year in range(YEAR - years, YEAR):
        _import(data_path(n, year), workers, bulk)
        held += n
    if years:
        result["held"] = held
        result["forms_held"] = _time_forms(root, YEAR)
        print(json.dumps(result), file=sys.stderr, flush=True)
    if mixed:
        result.update(_mixed_load(data_path(n), mixed))
    from supervision.selectors import Period, form_table

    total = form_table("penalty", root=root, period=Period.year(YEAR)).total.values
    result.update(filed=total["filed"], closed=total["closed"], amount_wan=str(total["amount"]))
    return result


def _report(r: dict[str, Any]) -> None:
    print(
        f"{r['db']}: imported {r['records']:,} in {r['import_s']:.1f} s"
        f" ({r['import_rate']:,.0f} records/s, goal ≥{IMPORT_GOAL:,.0f}:"
        f" {'met' if r['import_rate'] >= IMPORT_GOAL else 'NOT met'});"
        f" {YEAR}: {r['filed']:,} filed / {r['closed']:,} closed / {r['amount_wan']} 万元"
    )
    for key, label in (("forms", f"{r['records']:,} held"), ("forms_held", "")):
        if key not in r:
            continue
        label = label or f"{r['held']:,} held ({r['held'] // r['records']} years)"
        forms = r[key]
        cells = "  ".join(f"{name} {forms[name] * 1000:.1f}" for name in (*FORMS, "dashboard"))
        worst = max(forms[name] for name in (*FORMS, "dashboard"))
        print(
            f"  {YEAR} forms, {label}, ms: {cells}"
            f"  | worst {worst * 1000:.1f} ms, goal <{FORM_GOAL * 1000:.0f}:"
            f" {'met' if worst < FORM_GOAL else 'NOT met'}"
            f"  | penalty from the raw rows (before): {forms['penalty_raw_rows'] * 1000:,.0f} ms"
        )
    if "mixed_s" in r:
        same = not r["differences"]
        print(
            f"  mixed load (services, revocations, re-import replacing {r['replaced']:,}):"
            f" {r['mixed_s']:.1f} s; full recount check {r['check_s']:.1f} s:"
            f" summary {'== recount' if same else '!= recount: ' + '; '.join(r['differences'])}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--cases", type=int, default=FULL, help="cases per year")
    parser.add_argument("--sqlite-cases", type=int, default=None, help="smaller N for SQLite")
    parser.add_argument(
        "--years", type=int, default=4, help="years held before the current one (default 4)"
    )
    parser.add_argument(
        "--mixed", type=int, default=20, help="cases of the mixed load through the services"
    )
    parser.add_argument("--workers", type=int, default=1, help="import_cases --workers")
    parser.add_argument(
        "--mode",
        choices=("bulk", "online"),
        default="bulk",
        help="import_cases --bulk (the initial load, tables off line) or without it",
    )
    parser.add_argument("--pg-db", default=PG_DB, help=f"PostgreSQL database (default {PG_DB})")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    if args.child:
        result = run_one(
            args.db,
            args.cases,
            args.workers,
            args.mode == "bulk",
            args.years,
            args.mixed,
            args.pg_db,
        )
        print(json.dumps(result))
        return
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    results = []
    for db in dbs:
        n = args.sqlite_cases if db == "sqlite" and args.sqlite_cases else args.cases
        for year in range(YEAR - args.years, YEAR + 1):
            if not data_path(n, year).exists():
                sys.path.insert(0, str(ROOT))
                generate(data_path(n, year), n, year)
        print(f"[{db}] importing {n:,} records × {args.years + 1} years …", flush=True)
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
                "--years",
                str(args.years),
                "--mixed",
                str(args.mixed),
                "--pg-db",
                args.pg_db,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            print(proc.stdout, proc.stderr)
            raise SystemExit(proc.returncode)
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        _report(results[-1])
    print()
    for r in results:
        _report(r)


if __name__ == "__main__":
    main()
