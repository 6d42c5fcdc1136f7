"""Benchmark: the workspace's inbox and case list on a million cases, through the real views.

    .venv/bin/python -m bench.bench_web [--db postgres|sqlite] [--cases N] [--runs R] [--reuse]
    .venv/bin/python -m bench.bench_web --reuse --concurrent [USERS] [--saturate] [--via-nginx]

PostgreSQL uses a database of its own, `zhifa_benchweb` (made afresh unless --reuse keeps the
rows of an earlier run of the same size); SQLite uses var/bench-web/bench.sqlite3. The org is the
demo's 110 Liaocheng units with their staff (demo.demo); cases, parties and legal limits are
bulk-inserted (COPY on PostgreSQL) with a realistic spread: a few big agencies and many small
ones, cases older than half a year 99 % closed and recent ones half closed, the open ones
spread over every step, one or two parties each (persons and
companies with valid-looking ID numbers), a running limit per open filed case of which some
are approaching or overdue.

Each query is a GET through Django's test Client, logged in as the persona that uses it, so the
figures include the view, the selectors, the template and the middleware. Reported: p50 and p95
over R runs (after one warm-up), against the 300 ms target; then EXPLAIN ANALYZE of the slowest
query's main statement.

With --concurrent and/or --saturate the same database is served by gunicorn instead, and
virtual users log in and work through HTTP at the same time (bench/web_load.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-web"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DB = "zhifa_benchweb"
TARGET_MS = 300.0
TODAY = dt.date(2025, 6, 2)
# The moment the data is generated for; every run (and the gunicorn workers) sees this clock.
NOW = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英文辉建华玉兰萍红鹏飞志宏海燕"
    "俊峰建国春梅晓东丹宁雪梅振华"
)
TRADES = ["商贸", "餐饮", "建材", "物流", "科技", "广告", "装饰", "食品", "汽车服务", "医药"]
FORMS = ["有限公司", "有限责任公司", "个体工商户", "经营部"]
RECENT_CLOSED_SHARE = 0.5
OLD_CLOSED_SHARE = 0.99


def _prepare(db: str, reuse: bool, pg_db: str = PG_DB) -> bool:
    """Point the settings at the benchmark database; True when its rows can be reused."""
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ["ZHIFA_VAR_DIR"] = str(VAR)
    # A throwaway database: a key of its own for the run (DEBUG off needs one).
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DEBUG"] = "0"
    os.environ["LOG_LEVEL"] = "WARNING"
    # The test Client's host; setup_test_environment() would also instrument every template
    # render, which costs more than the rendering itself.
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


def _id_card(rng: random.Random) -> str:
    from law.validators import make_id_card

    body = f"3715{rng.randint(0, 99):02d}{rng.randint(1950, 2004)}{rng.randint(1, 12):02d}"
    return make_id_card(body + f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}")


def _person(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return rng.choice(SURNAMES) + given


def _company(rng: random.Random) -> str:
    return f"聊城市{_person(rng)}{rng.choice(TRADES)}{rng.choice(FORMS)}"


def _credit_code(rng: random.Random) -> str:
    from law.validators import make_credit_code

    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return make_credit_code("91371500" + "".join(rng.choice(chars) for _ in range(9)))


def _steps() -> tuple[list[str], list[str]]:
    from procedure.general import GENERAL
    from procedure.simple import SIMPLE

    return list(GENERAL.codes[1:]), list(SIMPLE.codes)


def generate(n_cases: int, seed: int = 7) -> dict[str, Any]:
    """Bulk-insert `n_cases` cases with their parties and running limits."""
    from django.db import connection
    from django.db.models import Max

    from cases.models import Case, Party
    from catalog.models import Matter
    from orgs.models import Unit, User
    from zhifa.fields import stored

    rng = random.Random(seed)
    units = list(Unit.objects.filter(kind__in=[Unit.Kind.AGENCY, Unit.Kind.TOWNSHIP]))
    # A few big agencies, many small ones: weights ~ 1/rank.
    rng.shuffle(units)
    weights = [1.0 / (i + 1) ** 0.5 for i in range(len(units))]
    staff: dict[int, dict[str, list[int]]] = {}
    for u in User.objects.filter(unit__in=units).prefetch_related("roles"):
        role_names = {g.role for g in u.roles.all()}
        assert u.unit_id is not None
        slot = staff.setdefault(u.unit_id, {"handlers": []})
        if "handler" in role_names:
            slot["handlers"].append(u.pk)
    matters: list[int | None] = list(Matter.objects.values_list("pk", flat=True)) or [None]
    general_steps, simple_steps = _steps()
    sources = ["patrol", "complaint", "assigned", "referred", "monitoring", "random_inspection"]
    short = {u.pk: (u.short or u.name[:4]) for u in units}
    seq: dict[tuple[int, int, str], int] = {}

    def number(unit_id: int, year: int, kind: str, label: str) -> str:
        key = (unit_id, year, kind)
        seq[key] = seq.get(key, 0) + 1
        return f"{short[unit_id]}{label}〔{year}〕{seq[key]}号"

    now = NOW.isoformat()
    cases: list[tuple[Any, ...]] = []
    parties: list[tuple[Any, ...]] = []
    deadlines: list[tuple[Any, ...]] = []
    samples: dict[str, Any] = {}
    # The demo has cases of its own: the generated ones follow them.
    base = Case.objects.aggregate(m=Max("id"))["m"] or 0
    for case_id in range(base + 1, base + n_cases + 1):
        unit = rng.choices(units, weights)[0]
        handlers = staff[unit.pk]["handlers"]
        handler = rng.choice(handlers)
        co_handler = next((h for h in handlers if h != handler), None)
        discovered = TODAY - dt.timedelta(days=int(rng.expovariate(1 / 400)))
        simple = rng.random() < 0.15
        # Nearly every case older than half a year is closed; recent ones are half open.
        recent = (TODAY - discovered).days < 180
        closed = rng.random() < (RECENT_CLOSED_SHARE if recent else OLD_CLOSED_SHARE)
        filed: dt.date | None
        if simple:
            step = "end" if closed else rng.choice(simple_steps)
            filed = discovered
        else:
            step = "end" if closed else rng.choice(general_steps)
            early = step in ("lead_approve", "filing_request", "filing_review", "filing_approve")
            filed = None if early else discovered + dt.timedelta(days=rng.randint(1, 10))
        status = "closed" if closed else ("open" if filed else "lead")
        outcome = rng.choice(["penalty"] * 8 + ["no_penalty", "not_filed"]) if closed else ""
        lead_no = number(unit.pk, discovered.year, "lead", "案源")
        case_no = number(unit.pk, filed.year, "case", "立") if filed else ""
        cases.append(
            (
                case_id,
                unit.pk,
                "simple" if simple else "general",
                lead_no,
                case_no,
                rng.choice(matters) if filed else None,
                rng.choice(sources),
                "巡查发现擅自设置户外广告设施",
                "东昌府区柳园路",
                discovered,
                discovered - dt.timedelta(days=rng.randint(0, 30)),
                None,
                "",
                step,
                status,
                outcome,
                handler,
                co_handler if filed else None,
                False,
                filed,
                (filed or discovered) + dt.timedelta(days=rng.randint(5, 80)) if closed else None,
                None,
                "",
                False,
                now,
                now,
                False,
            )
        )
        for index in range(1 if rng.random() < 0.8 else 2):
            person = rng.random() < 0.55
            name = _person(rng) if person else _company(rng)
            id_number = _id_card(rng) if person else _credit_code(rng)
            parties.append(
                (
                    case_id,
                    index,
                    "person" if person else "organisation",
                    name,
                    *stored(Party, "id_number", id_number),
                    "聊城市东昌府区",
                    "",
                    "" if person else _person(rng),
                    None,
                    False,
                )
            )
            if (case_id - base) % max(n_cases // 20, 1) == 1:
                samples.setdefault("names", []).append(name)
                samples.setdefault("ids", []).append(id_number)
                samples.setdefault("case_nos", []).append(case_no or lead_no)
        if filed and not closed and not simple:
            due = filed + dt.timedelta(days=90)
            left = (due - TODAY).days
            d_status = "overdue" if left < 0 else ("approaching" if left <= 3 else "running")
            deadlines.append(
                (
                    case_id,
                    "decision_limit",
                    "作出处罚决定期限",
                    "行政处罚法第六十条",
                    filed,
                    due,
                    due - dt.timedelta(days=3),
                    d_status,
                )
            )
        elif closed and filed:
            due = filed + dt.timedelta(days=90)
            deadlines.append(
                (
                    case_id,
                    "decision_limit",
                    "作出处罚决定期限",
                    "行政处罚法第六十条",
                    filed,
                    due,
                    due - dt.timedelta(days=3),
                    "met",
                )
            )
    case_cols = [
        "id",
        "unit_id",
        "procedure",
        "lead_no",
        "case_no",
        "matter_id",
        "source",
        "clue",
        "place",
        "discovered_on",
        "act_on",
        "act_ended_on",
        "facts",
        "step",
        "status",
        "outcome",
        "handler_id",
        "co_handler_id",
        "complex",
        "filed_on",
        "closed_on",
        "transferred_on",
        "previous_step",
        "imported",
        "created_at",
        "updated_at",
        "harmful_consequences",
    ]
    party_cols = [
        "case_id",
        "index",
        "kind",
        "name",
        "id_number",
        "id_number_index",
        "address",
        "phone",
        "legal_rep",
        "birth_date",
        "hearing_right",
    ]
    deadline_cols = [
        "case_id",
        "code",
        "name",
        "citation",
        "starts_on",
        "due_on",
        "warn_on",
        "status",
    ]
    _bulk(connection, "cases_case", case_cols, cases)
    _bulk(connection, "cases_party", party_cols, parties)
    _bulk(connection, "deadlines_deadline", deadline_cols, deadlines)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT setval('cases_case_id_seq', %s)", [base + n_cases])
            cur.execute("ANALYZE")
        else:
            cur.execute("ANALYZE")
    biggest = max(
        ((u, sum(1 for c in cases if c[1] == u.pk)) for u in units[:3]), key=lambda x: x[1]
    )
    samples["unit"] = biggest[0].pk
    samples["unit_cases"] = biggest[1]
    return {"cases": len(cases), "parties": len(parties), "deadlines": len(deadlines), **samples}


def _bulk(connection: Any, table: str, cols: list[str], rows: list[tuple[Any, ...]]) -> None:
    quoted = ", ".join(f'"{c}"' for c in cols)
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        raw = connection.connection
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        raw.commit()
        return
    marks = ", ".join("?" for _ in cols)
    with connection.cursor() as cur:
        for start in range(0, len(rows), 50_000):
            cur.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                [tuple(_sqlite(v) for v in r) for r in rows[start : start + 50_000]],
            )


def _sqlite(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date) else v


# --- timing ----------------------------------------------------------------------------------


def _queries(samples: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, persona, url)."""
    name = samples["names"][0]
    return [
        ("待办（业务科长）", "chief", "/"),
        ("待办（承办人）", "handler1", "/"),
        ("待办（法制审核员）", "legal", "/"),
        ("案件列表首页（本单位，含计数）", "chief", "/cases/"),
        ("案件页（本单位一件）", "chief", f"/cases/{samples['case_ids'][0]}/"),
        ("案件列表首页（全市监督员，含计数）", "supervisor", "/cases/"),
        (
            "筛选：办理中·调查取证·立案日期区间",
            "chief",
            "/cases/?status=open&step=investigation"
            "&date_field=filed_on&date_from=2025-01-01&date_to=2025-05-31",
        ),
        ("筛选：仅看已超期（全市）", "supervisor", "/cases/?overdue=on"),
        ("筛选：第3页（全市）", "supervisor", "/cases/?status=closed&page=3"),
        (f"搜索：当事人名称“{name}”（全市）", "supervisor", f"/cases/?q={name}"),
        (f"搜索：当事人名称前两字“{name[:2]}”（全市）", "supervisor", f"/cases/?q={name[:2]}"),
        ("搜索：证件号码（全市）", "supervisor", f"/cases/?q={samples['ids'][1]}"),
        ("搜索：案号（全市）", "supervisor", f"/cases/?q={samples['case_nos'][2]}"),
    ]


def _login(persona: str, unit_id: int) -> Any:
    from django.test import Client

    from demo.testing import otp_passed
    from orgs.models import Unit, User

    if persona == "supervisor":
        user = User.objects.get(username="371500-sfj-supervisor")
    else:
        unit = Unit.objects.get(pk=unit_id)
        user = User.objects.get(username=f"{unit.code.lower()}-{persona}")
    client = Client()
    client.force_login(user)
    otp_passed(client, user)  # the supervisor and the directors log in with a second factor
    return client


def setup(db: str, n_cases: int, reuse: bool, pg_db: str = PG_DB) -> dict[str, Any]:
    """Make (or, with `reuse`, keep) the benchmark database of `n_cases` cases; its samples."""
    import ast

    keep = _prepare(db, reuse, pg_db)
    import django

    django.setup()
    from django.core.management import call_command

    from cases.models import Case
    from demo.demo import demo_load
    from zhifa import clock

    clock.set_now(NOW)
    call_command("migrate", verbosity=0)
    # The demo's own few cases come on top of the generated ones.
    if keep and not n_cases <= Case.objects.count() <= n_cases + 1000:
        print("stored rows are of another size: regenerate with a fresh database")
        from django.db import connection

        connection.close()
        keep = _prepare(db, False, pg_db)
        call_command("migrate", verbosity=0)
    samples = VAR / f"samples-{pg_db if db == 'postgres' else db}.txt"
    if not keep:
        t0 = time.perf_counter()
        demo_load(today=TODAY)
        info = generate(n_cases)
        samples.write_text(repr(info), encoding="utf-8")
        print(
            f"generated {info['cases']:,} cases, {info['parties']:,} parties, "
            f"{info['deadlines']:,} limits in {time.perf_counter() - t0:.0f}s"
        )
    info = ast.literal_eval(samples.read_text(encoding="utf-8"))
    info["case_ids"] = unit_case_ids(info["unit"], 200)
    ensure_history(info["case_ids"])
    print(
        f"database: {db}; {n_cases:,} cases; biggest unit in the timing: "
        f"{info['unit_cases']:,} cases"
    )
    return dict(info)


def unit_case_ids(unit_id: int, k: int, seed: int = 11) -> list[int]:
    """`k` cases of the unit, drawn at random (seeded): the case pages its officers open."""
    from cases.models import Case

    ids = sorted(Case.objects.filter(unit_id=unit_id).values_list("pk", flat=True))
    return random.Random(seed).sample(ids, min(k, len(ids)))


HISTORY_CHECKPOINTS = 1000  # signed checkpoints held, as the worker leaves them (one per 10 min)
FILLER_STREAMS = 50  # streams moved between two checkpoints besides the sampled cases'


def ensure_history(case_ids: list[int]) -> None:
    """The record a case page checks, as the services leave it: the sampled cases' streams (an
    entry per step taken, in rounds, a signed checkpoint after each) and a history of
    HISTORY_CHECKPOINTS checkpoints of FILLER_STREAMS streams each. The generated cases have no
    stream of their own (bulk-inserted), so without this a case page would check an empty record
    and no checkpoint. Kept with --reuse; made once."""
    from django.db import transaction

    from cases.models import Case
    from ledger.models import Checkpoint, Entry
    from ledger.services import ledger_append, ledger_checkpoint
    from procedure.engine import END
    from procedure.general import GENERAL
    from procedure.simple import SIMPLE

    if Checkpoint.objects.count() >= HISTORY_CHECKPOINTS:
        return
    t0 = time.perf_counter()
    plans: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for pk, procedure, step in Case.objects.filter(pk__in=case_ids).values_list(
        "pk", "procedure", "step"
    ):
        if Entry.objects.filter(stream=f"case:{pk}").exists():
            continue
        table = SIMPLE if procedure == SIMPLE.code else GENERAL
        codes = list(table.codes)
        upto = len(codes) if step == END else codes.index(step)
        following = [*codes[1:], END][:upto]  # each step entry names the step it led to
        plan: list[tuple[str, dict[str, Any]]] = [("case_open", {"procedure": table.code})]
        plan += [(code, {"next": nxt}) for code, nxt in zip(codes[:upto], following, strict=True)]
        plans[f"case:{pk}"] = plan

    def append(stream: str, action: str, payload: dict[str, Any]) -> None:
        ledger_append(
            stream=stream, action=action, payload=payload, actor_id=None,
            actor_name="基准", role="bench",
        )  # fmt: skip

    made = Checkpoint.objects.count()
    rounds = max((len(p) for p in plans.values()), default=0)
    for r in range(max(rounds, HISTORY_CHECKPOINTS - made)):
        with transaction.atomic():
            for stream, plan in plans.items():
                if r < len(plan):
                    append(stream, *plan[r])
            for i in range(FILLER_STREAMS):
                append(f"bench:filler:{i}", "bench_filler", {"round": r})
        ledger_checkpoint()
    print(
        f"history: {len(plans)} case streams, {Checkpoint.objects.count():,} checkpoints "
        f"in {time.perf_counter() - t0:.0f}s"
    )


def run(db: str, n_cases: int, runs: int, reuse: bool, pg_db: str = PG_DB) -> None:
    info = setup(db, n_cases, reuse, pg_db)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = []
    for label, persona, url in _queries(info):
        client = _login(persona, info["unit"])
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        results.append((label, persona, url, p50, p95))
    width = max(len(r[0]) for r in results)
    print(f"\n{'query'.ljust(width)}  {'p50 ms':>8}  {'p95 ms':>8}  target {TARGET_MS:.0f} ms")
    for label, _, _, p50, p95 in results:
        verdict = "ok" if p95 <= TARGET_MS else "SLOW"
        print(f"{label.ljust(width)}  {p50:8.1f}  {p95:8.1f}  {verdict}  ({p95 / TARGET_MS:.2f}×)")
    worst = max(results, key=lambda r: r[4])
    print(f"\nslowest: {worst[0]} ({worst[4]:.1f} ms p95); its statements:")
    client = _login(worst[1], info["unit"])
    with CaptureQueriesContext(connection) as ctx:
        client.get(worst[2])
    statements = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    statements.sort(key=lambda q: float(q["time"]), reverse=True)
    for q in statements[:3]:
        print(f"  {float(q['time']) * 1000:.1f} ms  {q['sql'][:160]}…")
    if statements:
        top = statements[0]["sql"]
        prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cur:
            cur.execute(prefix + top)
            plan = [" ".join(str(c) for c in row) for row in cur.fetchall()]
        print("\n" + "\n".join(line[:200] for line in plan[:60]))
    return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep the rows of an earlier run")
    parser.add_argument("--pg-db", default=PG_DB, help=f"PostgreSQL database (default {PG_DB})")
    from bench import web_load

    load = web_load.add_arguments(parser)
    load.add_argument(
        "--concurrent",
        type=int,
        nargs="?",
        const=50,
        metavar="USERS",
        help="USERS virtual users with think time against gunicorn (default 50)",
    )
    load.add_argument("--mix", default="3,4,3", help="weights of 待办, list, case page")
    args = parser.parse_args(argv)
    if args.concurrent is None and not args.saturate:
        run(args.db, args.cases, args.runs, args.reuse, args.pg_db)
        return
    info = setup(args.db, args.cases, args.reuse, args.pg_db)
    try:
        web_load.run(info, args)
    except KeyboardInterrupt:
        print("\ninterrupted: the server is stopped", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
