"""Benchmark of field enforcement: 城警联动 parking reports through the whole flow, and
weigh-in-motion records through the real ingest endpoint.

    .venv/bin/python -m bench.bench_field [--db sqlite|postgres|both] [--reports N] [--records N]

Each database is made afresh for the run (never the development database): SQLite
var/bench/field.sqlite3, PostgreSQL `zhifa_bench_field` on postgres@127.0.0.1:5432; `both` runs
each in a subprocess of its own and closes with a summary.

Parking: N reports filed with two photos each (the owner looked up, the SMS queued, the timer
started); three in four driven away inside the window (seed 002: 28,187 penalties out of 113,278
reminders); the worker sends the SMS, the clock moves 11 minutes, the worker fires the timers;
the traffic reviewer approves the rest, the worker uploads them, the officer prints (recorded,
the PDF rendering is timed on its own) and posts the notice. Figures: reports per second over the
whole flow, and per phase.

WIM: records POSTed to /api/nonsite/records with the station key through Django's test Client
(the whole request stack: middleware, authentication, validation, the service, JSON), one record
per request and in batches of 500. Baseline: the same rows written with one bulk INSERT per
batch and no checks, in the same run; the figure is the ratio. Goal: 2,000 records/s on
PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
SQLITE_FILE = VAR / "field.sqlite3"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DB = "zhifa_bench_field"
DATABASES = ("sqlite", "postgres")
GOAL_WIM = 2000.0
SHANGHAI = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)
KEY = "bench-station-key"
STATIONS = 8  # stations posting at the same time in the concurrent run


def _prepare_database(db: str) -> None:
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
    os.environ["ZHIFA_VAR_DIR"] = str(VAR / "field")
    # A throwaway database: a key of its own for the run (DEBUG off needs one).
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DEBUG"] = "0"
    # Persistent connections, as production runs them (DB_CONN_MAX_AGE in .env.example): without
    # them every request opens a new PostgreSQL connection (~7 ms here).
    os.environ["DB_CONN_MAX_AGE"] = "600"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    shutil.rmtree(VAR / "field" / "media", ignore_errors=True)


def _setup() -> dict[str, Any]:
    """Org, joint team, vehicles and a reviewed station, built through the services."""
    from django.contrib.auth.hashers import make_password

    from joint.models import JointTeam, Vehicle
    from law.validators import make_id_card
    from nonsite.models import Station
    from nonsite.services import device_register, device_review_record, key_hash
    from orgs.models import Region
    from orgs.services import certificate_issue, unit_upsert, user_upsert
    from procedure.roles import Role

    lc, _ = Region.objects.update_or_create(
        code="371500", defaults={"name": "聊城市", "parent_code": "", "level": "city"}
    )
    gov = unit_upsert(
        code="371500-GOV", name="聊城市人民政府", kind="government", region=lc, parent=None
    )
    cgj = unit_upsert(
        code="371500-CGJ", name="聊城市城市管理局", kind="agency", region=lc, parent=gov
    )
    jxj = unit_upsert(
        code="371500-JXJ", name="聊城市公安局交通巡逻警察支队", kind="agency", region=lc, parent=gov
    )
    jtj = unit_upsert(
        code="371500-JTJ", name="聊城市交通运输局", kind="agency", region=lc, parent=gov
    )
    pw = make_password("bench-pass-2025")

    def person(name: str, unit: Any, *roles: Role) -> Any:
        u = user_upsert(username=name, full_name=name, unit=unit, roles=roles, password_hash=pw)
        certificate_issue(
            user=u,
            number=f"C-{name}",
            valid_from=dt.date(2024, 1, 1),
            valid_until=dt.date(2027, 12, 31),
            scope=unit.name,
        )
        return u

    officer = person("officer", cgj, Role.HANDLER)
    reviewer = person("reviewer", jxj, Role.TRAFFIC_REVIEWER)
    legal = person("legal", jtj, Role.LEGAL_REVIEWER)
    JointTeam.objects.create(unit=cgj, review_unit=jxj)
    Vehicle.objects.bulk_create(
        Vehicle(
            plate=f"鲁P{10000 + i}",
            owner_kind="person",
            owner_name=f"车主{i}",
            owner_id_number=make_id_card("37150219800101001"),
            owner_phone=f"139{i:08d}",
        )
        for i in range(2000)
    )
    station = Station.objects.create(
        code="B-WIM", name="基准测试治超站", unit=jtj, lanes=4, key_hash=key_hash(KEY)
    )
    for k in range(STATIONS):
        extra = Station.objects.create(
            code=f"B-WIM-{k}",
            name=f"基准测试治超站{k}",
            unit=jtj,
            lanes=4,
            key_hash=key_hash(f"{KEY}-{k}"),
        )
        extra_scale = device_register(
            station=extra,
            kind="scale",
            serial=f"B-SCALE-{k}",
            calibrated_until=dt.date(2026, 12, 31),
        )
        device_review_record(
            device_id=extra_scale.pk,
            actor=legal,
            reviewed_on=dt.date(2025, 1, 1),
            valid_until=dt.date(2026, 12, 31),
            legal_ok=True,
            technical_ok=True,
            opinion="基准测试",
        )
    scale = device_register(
        station=station, kind="scale", serial="B-SCALE", calibrated_until=dt.date(2026, 12, 31)
    )
    device_review_record(
        device_id=scale.pk,
        actor=legal,
        reviewed_on=dt.date(2025, 1, 1),
        valid_until=dt.date(2026, 12, 31),
        legal_ok=True,
        technical_ok=True,
        opinion="基准测试",
    )
    return {"officer": officer, "reviewer": reviewer, "station": station}


def _jpeg(seed: int) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (320, 240), (seed % 256, (seed * 7) % 256, 90)).save(buf, "JPEG")
    return buf.getvalue()


def bench_parking(ctx: dict[str, Any], n: int) -> dict[str, Any]:
    from deadlines.services import run_timers_once
    from joint import services
    from joint.documents import notice_pdf
    from outbox.services import outbox_send_due
    from zhifa import clock

    officer, reviewer = ctx["officer"], ctx["reviewer"]
    shots = [services.PhotoIn(_jpeg(i), f"{i}.jpg", "image/jpeg") for i in range(8)]  # ~2 KB each
    clock.set_now(START)
    phases: dict[str, float] = {}
    t0 = time.perf_counter()
    ids = []
    for i in range(n):
        r = services.parking_report_submit(
            actor=officer,
            plate=f"鲁P{10000 + i % 2000}",
            street=("柳园路", "东昌路", "兴华路")[i % 3],
            place="路口",
            latitude="36.45",
            longitude="115.98",
            photos=[shots[i % 8], shots[(i + 3) % 8]],
        )
        ids.append(r.pk)
    phases["file (2 photos, SMS queued, timer)"] = time.perf_counter() - t0
    t = time.perf_counter()
    leave = [pk for k, pk in enumerate(ids) if k % 4 != 0]
    gone = services.PhotoIn(_jpeg(99), "gone.jpg", "image/jpeg")
    clock.set_now(START + dt.timedelta(minutes=5))
    for pk in leave:
        services.parking_drive_away(report_id=pk, actor=officer, photo=gone)
    phases["drive away (photo)"] = time.perf_counter() - t
    t = time.perf_counter()
    sms = outbox_send_due(batch=500)
    phases["worker: SMS"] = time.perf_counter() - t
    clock.set_now(START + dt.timedelta(minutes=11))
    t = time.perf_counter()
    fired = run_timers_once(batch=500)
    phases["worker: windows expire"] = time.perf_counter() - t
    stay = [pk for k, pk in enumerate(ids) if k % 4 == 0]
    t = time.perf_counter()
    for pk in stay:
        services.parking_review(report_id=pk, actor=reviewer, decision="approve")
    phases["traffic review"] = time.perf_counter() - t
    t = time.perf_counter()
    uploads = outbox_send_due(batch=500)
    phases["worker: uploads"] = time.perf_counter() - t
    t = time.perf_counter()
    for pk in stay:
        services.parking_notice_print(report_id=pk, actor=officer)
        services.parking_notice_posted(report_id=pk, actor=officer)
    phases["notice printed + posted"] = time.perf_counter() - t
    total = time.perf_counter() - t0
    from joint.models import ParkingReport

    report = ParkingReport.objects.get(pk=stay[0])
    t = time.perf_counter()
    pdfs = 5
    for _ in range(pdfs):
        notice_pdf(report)
    pdf_s = (time.perf_counter() - t) / pdfs
    clock.set_now(None)
    assert sms["sent"] == n and fired["fired"] == len(stay) and uploads["sent"] == len(stay)
    assert ParkingReport.objects.filter(step="end").count() == n
    return {
        "reports": n,
        "seconds": total,
        "per_second": n / total,
        "phases": phases,
        "pdf_ms": pdf_s * 1000,
    }


def _records(start: int, count: int) -> list[dict[str, Any]]:
    at = START - dt.timedelta(hours=1)
    out = []
    for i in range(start, start + count):
        out.append(
            {
                "record_no": f"N{i:09d}",
                "lane": 1 + i % 4,
                "passed_at": (at + dt.timedelta(milliseconds=173 * (i % 20000))).isoformat(),
                "plate": f"冀E{10000 + (i * 7919) % 90000}",
                "vehicle_type": "combination",
                "axles": 6,
                "gross_kg": 40_000 + (i * 37) % 15_000,
                "speed_kmh": "65.5",
                "images": [f"img://B-WIM/{i}.jpg"],
            }
        )
    return out


def bench_wim(ctx: dict[str, Any], singles: int, batched: int) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from nonsite.models import WimRecord
    from nonsite.services import wim_ingest
    from zhifa import clock

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clock.set_now(START)
    client = Client(headers={"X-Station-Key": KEY})
    url = "/api/nonsite/records"

    def post(records: list[dict[str, Any]]) -> None:
        r = client.post(url, json.dumps({"records": records}), content_type="application/json")
        if r.status_code != 200:
            raise RuntimeError(r.content.decode())

    # Warm up: the first request imports the URLconf (and everything it imports).
    warm = _records(10**5, 2)
    for r in warm:
        r["record_no"] = "WARM" + r["record_no"]
        r["passed_at"] = (START - dt.timedelta(hours=3)).isoformat()
    post(warm)
    records = _records(0, singles)
    t = time.perf_counter()
    for rec in records:
        post([rec])
    single_s = time.perf_counter() - t
    batch = 500
    records = _records(singles, batched)
    t = time.perf_counter()
    for k in range(0, batched, batch):
        post(records[k : k + batch])
    batch_s = time.perf_counter() - t
    stored = WimRecord.objects.count()
    assert stored == singles + batched + len(warm), stored
    # The same batches through the service, without HTTP: what the request stack costs.
    records = _records(singles + batched, batched)
    for r in records:
        r["passed_at"] = dt.datetime.fromisoformat(r["passed_at"])
    station = ctx["station"]
    t = time.perf_counter()
    for k in range(0, batched, batch):
        wim_ingest(station=station, records=records[k : k + batch])
    service_s = time.perf_counter() - t
    # Baseline: the same rows as bare bulk INSERTs, no checks, no duplicate lookups.
    template = WimRecord.objects.filter(station=station).first()
    assert template is not None
    base_rows = []
    for i, r in enumerate(_records(singles + 2 * batched, batched)):
        row = WimRecord(
            **{
                f.attname: getattr(template, f.attname)
                for f in WimRecord._meta.concrete_fields
                if f.attname != "id"
            }
        )
        row.record_no = f"BASE{i:09d}"
        row.plate = r["plate"]
        row.gross_kg = r["gross_kg"]
        base_rows.append(row)
    t = time.perf_counter()
    from django.db import transaction

    for k in range(0, batched, batch):
        with transaction.atomic():
            WimRecord.objects.bulk_create(base_rows[k : k + batch])
    base_s = time.perf_counter() - t
    concurrent = _concurrent_wim(max(500, batched // 4 // 500 * 500))
    clock.set_now(None)
    connection.close()
    return {
        "concurrent": concurrent,
        "single": singles / single_s,
        "batched": batched / batch_s,
        "service": batched / service_s,
        "baseline": batched / base_s,
        "ratio": (batched / batch_s) / (batched / base_s),
    }


def _station_worker(args: tuple[int, int, int]) -> float:
    """One station posting its batches (run in a forked process)."""
    from django.db import connection
    from django.test import Client

    k, start, count = args
    connection.close()
    client = Client(headers={"X-Station-Key": f"{KEY}-{k}"})
    records = _records(start, count)
    t = time.perf_counter()
    for i in range(0, count, 500):
        body = json.dumps({"records": records[i : i + 500]})
        r = client.post("/api/nonsite/records", body, content_type="application/json")
        if r.status_code != 200:
            raise RuntimeError(r.content.decode())
    connection.close()
    return time.perf_counter() - t


def _concurrent_wim(per_station: int) -> dict[str, float]:
    """STATIONS stations posting batches of 500 at once, each from its own process."""
    import multiprocessing

    from django.db import connection

    connection.close()
    base = 10_000_000
    jobs = [(k, base + k * per_station, per_station) for k in range(STATIONS)]
    ctx = multiprocessing.get_context("fork")
    t = time.perf_counter()
    with ctx.Pool(STATIONS) as pool:
        pool.map(_station_worker, jobs)
    wall = time.perf_counter() - t
    return {
        "stations": STATIONS,
        "records": STATIONS * per_station,
        "per_second": STATIONS * per_station / wall,
    }


def run_database(db: str, reports: int, singles: int, batched: int) -> dict[str, Any]:
    _prepare_database(db)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    ctx = _setup()
    parking = bench_parking(ctx, reports)
    wim = bench_wim(ctx, singles, batched)
    result = {"db": db, "parking": parking, "wim": wim}
    _print(result)
    (VAR / f"field-result-{db}.json").write_text(json.dumps(result), encoding="utf-8")
    return result


def _print(r: dict[str, Any]) -> None:
    p, w = r["parking"], r["wim"]
    print(f"\n== {r['db']} ==")
    print(
        f"城警联动: {p['reports']} reports through the whole flow in {p['seconds']:.2f} s "
        f"= {p['per_second']:.0f} reports/s (a day of seed 002 is ~885)"
    )
    for name, s in p["phases"].items():
        print(f"  {name:<36} {s:7.2f} s")
    print(f"  《违法停车提示单》 PDF rendering      {p['pdf_ms']:7.1f} ms each")
    print(
        f"治超 WIM ingest: {w['single']:.0f} records/s one per request; "
        f"{w['batched']:.0f} records/s in batches of 500 (goal {GOAL_WIM:.0f}/s: "
        f"{'met' if w['batched'] >= GOAL_WIM else 'NOT met'}); "
        f"service without HTTP {w['service']:.0f}/s; bare bulk INSERT baseline "
        f"{w['baseline']:.0f}/s; endpoint/baseline = {w['ratio']:.2f}"
    )
    c = w["concurrent"]
    print(
        f"治超 WIM ingest, {c['stations']} stations posting at once (a process each): "
        f"{c['records']} records at {c['per_second']:.0f} records/s "
        f"(goal {GOAL_WIM:.0f}/s: {'met' if c['per_second'] >= GOAL_WIM else 'NOT met'})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=(*DATABASES, "both"), default="both")
    parser.add_argument("--reports", type=int, default=400)
    parser.add_argument("--singles", type=int, default=2000, help="one-record requests")
    parser.add_argument("--records", type=int, default=20000, help="records in batches of 500")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.db != "both":
        run_database(args.db, args.reports, args.singles, args.records)
        return 0
    results = []
    for db in DATABASES:
        cmd = [sys.executable, "-m", "bench.bench_field", "--child", "--db", db]
        cmd += ["--reports", str(args.reports), "--singles", str(args.singles)]
        cmd += ["--records", str(args.records)]
        done = subprocess.run(cmd, cwd=ROOT, check=False)
        if done.returncode != 0:
            print(f"\n{db}: the run failed (exit {done.returncode})", file=sys.stderr)
            return done.returncode
        results.append(json.loads((VAR / f"field-result-{db}.json").read_text(encoding="utf-8")))
    print("\n== summary ==")
    for r in results:
        print(
            f"{r['db']:<9} parking {r['parking']['per_second']:6.0f} reports/s   "
            f"WIM {r['wim']['batched']:6.0f} records/s batched, "
            f"{r['wim']['single']:5.0f}/s single, "
            f"{r['wim']['concurrent']['per_second']:6.0f}/s from {STATIONS} stations at once"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
