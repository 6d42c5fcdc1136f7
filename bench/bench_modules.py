"""Benchmark: a module's steps over the HTTP API — 行政强制措施 on a case that already holds
other measures — in ms per action and bytes per answer.

    .venv/bin/python -m bench.bench_modules [--db sqlite|postgres] [--measures N] [--held K]

A case gets K measures carried out first (untimed), then N more go propose → approve → carry
out → lift, each action a POST through Django's test client (the whole request path, not the
socket), followed in a second pass by a GET of the case's measures: what an action's answer
cost when it returned the list. The database is bench_cases' own (made afresh).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from typing import Any

from bench.bench_cases import _prepare_database

ACTIONS = ("propose", "decide", "carry_out", "lift")


def _on_site(org: Any) -> dict[str, Any]:
    return {
        "officers": [org.handler.pk, org.co_handler.pk],
        "certificate_shown": True,
        "party_present": True,
        "party_notified": True,
        "told": True,
        "statements_heard": True,
        "record_made": True,
        "party_signed": True,
        "decision_delivered": True,
    }


PROPOSE = {
    "type": "seize",
    "items": [{"name": "户外广告牌", "quantity": "1块", "description": "6米×3米"}],
    "reason": "防止涉案财物被转移",
    "basis": "《广告法》第四十九条第二款",
}


class Statements:
    """SQL statements per action label (connection.execute_wrapper): a figure load does not move."""

    def __init__(self) -> None:
        self.label = "other"
        self.counts: dict[str, int] = defaultdict(int)

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.counts[self.label] += 1
        return execute(sql, params, many, context)


METER = Statements()


def _measure(api: Any, org: Any, base: str, times: dict[str, list[float]] | None, whole: bool):
    def post(actor: Any, label: str, url: str, body: dict[str, Any]) -> dict[str, Any] | list:
        METER.label = label if times is not None and not whole else "other"
        start = time.perf_counter()
        r = api.client.post(
            url, json.dumps(body), content_type="application/json", **api.auth[actor.pk]
        )
        assert r.status_code in (200, 201), (url, r.status_code, r.content[:300])
        api.answer_bytes[label] += len(r.content)
        answer = r.json()
        if whole:
            api.get(actor, base, label + "+get")
        if times is not None:
            times[label].append(time.perf_counter() - start)
        METER.label = "other"
        return answer

    listed = post(org.handler, "propose", base, PROPOSE)
    assert isinstance(listed, dict)  # RecordStepOut: the measure made, not the case's list
    measure_id = listed["record_id"]
    approve = {"decision": "approve", "opinion": "同意扣押"}
    post(org.director, "decide", f"{base}/{measure_id}/decide", approve)
    post(org.handler, "carry_out", f"{base}/{measure_id}/carry-out", _on_site(org))
    post(
        org.handler,
        "lift",
        f"{base}/{measure_id}/lift",
        {"ground": "decided", "reason": "已作出处罚决定"},
    )


def run(db: str, n: int, held: int) -> None:
    _prepare_database(db)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.bench_cases import ApiClient
    from bench.org import START, build_org
    from cases.tests.flow import register
    from zhifa import clock

    call_command("migrate", verbosity=0)
    clock.set_now(START)
    org = build_org()
    case = register(org)
    api = ApiClient(org)
    base = f"/api/cases/{case.pk}/measures"
    for _ in range(held + 1):  # the first also warms up
        _measure(api, org, base, None, whole=False)
    results = {}
    with connection.execute_wrapper(METER):
        for whole in (False, True):
            times: dict[str, list[float]] = defaultdict(list)
            api.answer_bytes.clear()
            for _ in range(n):
                _measure(api, org, base, times, whole)
            results[whole] = (times, dict(api.answer_bytes))
    print(f"\n=== {db}: {n} measures x {len(ACTIONS)} actions, the case holding {held}+ ===")
    print(
        f"{'action':<10} {'ms (answer)':>12} {'ms (+GET)':>10} {'bytes/answer':>13}"
        f" {'SQL/action':>11}"
    )
    for action in ACTIONS:
        lean, _ = results[False]
        whole_times, _ = results[True]
        size = results[False][1].get(action, 0) / n
        print(
            f"{action:<10} {statistics.median(lean[action]) * 1000:>12.1f}"
            f" {statistics.median(whole_times[action]) * 1000:>10.1f} {size:>13.0f}"
            f" {METER.counts[action] / n:>11.1f}"
        )
    got = results[True][1]
    print(f"a GET of the measures: {got.get('decide+get', 0) / n:.0f} bytes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--measures", type=int, default=30, help="timed measures (default 30)")
    parser.add_argument("--held", type=int, default=20, help="measures held before (default 20)")
    args = parser.parse_args(argv)
    run(args.db, args.measures, args.held)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
