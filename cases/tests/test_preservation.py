"""证据先行登记保存 (行政处罚法第五十六条): approved by the agency head, carried out by the two
officers of the case, decided within 7 working days."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cases.models import Case, Preservation
from cases.services.preservations import (
    PRESERVATION_LIMIT,
    preservation_approve,
    preservation_carry_out,
    preservation_decide,
    preservation_request,
)
from cases.tests.flow import act, advance, register, written
from conftest import move
from deadlines.models import Deadline
from deadlines.services import run_worker_once
from ledger.models import Entry
from ledger.services import ledger_verify
from procedure.preservation import DISPOSITIONS
from procedure.testing import assert_refused
from zhifa import clock

pytestmark = pytest.mark.django_db

ITEMS = [{"name": "涉案广告牌", "quantity": "1块", "note": "3米×6米"}]


@pytest.fixture
def investigating(org: Any, frozen: Any) -> Case:
    return advance(org, register(org), until="investigation")


def approved(org: Any, case: Case) -> Preservation:
    item = preservation_request(
        case_id=case.pk, actor=org.handler, items=ITEMS, reason="当事人正在拆除，证据可能灭失"
    )
    return preservation_approve(
        case_id=case.pk, actor=org.director, preservation_id=item.pk, approved=True, opinion="同意"
    )


def test_approved_kept_and_decided_in_time_each_on_the_record_with_its_limit(org, investigating):
    item = approved(org, investigating)
    item = preservation_carry_out(
        case_id=investigating.pk, actor=org.co_handler, preservation_id=item.pk, on=clock.today()
    )
    # 2025-03-03 (Monday) + 7 working days = 2025-03-12.
    assert item.status == "in_force" and item.decision_due == dt.date(2025, 3, 12)
    limit = Deadline.objects.get(case=investigating, code="evidence_preservation_decision")
    assert limit.due_on == item.decision_due and limit.citation.endswith("第五十六条")
    move(days=3)
    item = preservation_decide(
        case_id=investigating.pk,
        actor=org.handler,
        preservation_id=item.pk,
        disposition="release",
        note="经检查核对后退还",
    )
    assert item.status == "decided" and item.decided_on == dt.date(2025, 3, 6)
    limit.refresh_from_db()
    assert limit.status == "met" and limit.stopped_on == dt.date(2025, 3, 6)
    actions = list(
        Entry.objects.filter(stream=investigating.stream)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "preservation_request",
        "preservation_approve",
        "preservation_carry_out",
        "preservation_decide",
    ]
    assert ledger_verify(stream=investigating.stream) == []


def test_a_decision_after_seven_working_days_is_recorded_late_and_its_limit_stays_overdue(
    org, investigating
):
    item = approved(org, investigating)
    preservation_carry_out(
        case_id=investigating.pk, actor=org.handler, preservation_id=item.pk, on=clock.today()
    )
    move(days=12)
    run_worker_once()
    preservation_decide(
        case_id=investigating.pk,
        actor=org.handler,
        preservation_id=item.pk,
        disposition="seize",
        note="转为扣押",
    )
    limit = Deadline.objects.get(case=investigating, code="evidence_preservation_decision")
    assert limit.status == "overdue"
    last = Entry.objects.filter(stream=investigating.stream).order_by("seq").last()
    assert last is not None and last.payload["late"] is True


def test_each_preservation_stops_only_its_own_limit(org, investigating):
    first, second = approved(org, investigating), approved(org, investigating)
    for item in (first, second):
        preservation_carry_out(
            case_id=investigating.pk, actor=org.handler, preservation_id=item.pk, on=clock.today()
        )
    preservation_decide(
        case_id=investigating.pk,
        actor=org.handler,
        preservation_id=first.pk,
        disposition="release",
        note="",
    )
    statuses = sorted(
        Deadline.objects.filter(
            case=investigating, code="evidence_preservation_decision"
        ).values_list("status", flat=True)
    )
    assert statuses == ["met", "running"]


def test_only_the_agency_head_approves_and_nothing_is_kept_before_approval(org, investigating):
    item = preservation_request(
        case_id=investigating.pk, actor=org.handler, items=ITEMS, reason="证据可能灭失"
    )
    assert_refused(
        lambda: preservation_approve(
            case_id=investigating.pk,
            actor=org.chief,
            preservation_id=item.pk,
            approved=True,
            opinion="同意",
        ),
        "经行政机关负责人批准",
        unchanged=written,
    )
    assert_refused(
        lambda: preservation_carry_out(
            case_id=investigating.pk, actor=org.handler, preservation_id=item.pk, on=clock.today()
        ),
        "批准后实施",
        unchanged=written,
    )
    refused = preservation_approve(
        case_id=investigating.pk,
        actor=org.director,
        preservation_id=item.pk,
        approved=False,
        opinion="证据可以另行取得",
    )
    assert refused.status == "refused"
    assert_refused(
        lambda: preservation_approve(
            case_id=investigating.pk,
            actor=org.director,
            preservation_id=item.pk,
            approved=True,
            opinion="同意",
        ),
        "已经审批",
        unchanged=written,
    )


def test_a_request_lists_its_items_and_its_reason_and_bad_dates_are_refused(org, investigating):
    refusal = assert_refused(
        lambda: preservation_request(
            case_id=investigating.pk, actor=org.handler, items=[{"name": "广告牌"}], reason=" "
        ),
        "第1项物品应写明名称和数量",
        field="items",
        unchanged=written,
    )
    assert refusal.fields == {
        "items": ["第1项物品应写明名称和数量"],
        "reason": ["请写明证据可能灭失或者以后难以取得的情形"],
    }
    assert not Preservation.objects.exists()
    item = approved(org, investigating)
    refusal = assert_refused(
        lambda: preservation_carry_out(
            case_id=investigating.pk,
            actor=org.handler,
            preservation_id=item.pk,
            on=clock.today() + dt.timedelta(days=1),
        ),
        "不能晚于今天",
        field="on",
        unchanged=written,
    )
    assert refusal.fields == {"on": ["登记保存日期不能晚于今天"]}


def test_officers_outside_the_case_cannot_act_on_it(org, investigating):
    assert_refused(
        lambda: preservation_request(
            case_id=investigating.pk, actor=org.other_officer, items=ITEMS, reason="x"
        ),
        "本单位案件",
        unchanged=written,
    )
    assert_refused(
        lambda: preservation_request(
            case_id=investigating.pk, actor=org.chief, items=ITEMS, reason="x"
        ),
        "本案的承办人或协办人",
        unchanged=written,
    )


def test_a_case_cannot_close_while_evidence_is_still_held_undecided(org, investigating):
    item = approved(org, investigating)
    preservation_carry_out(
        case_id=investigating.pk, actor=org.handler, preservation_id=item.pk, on=clock.today()
    )
    case = advance(org, investigating, until="closing_approve")
    assert_refused(
        lambda: act(org, case, "closing_approve"),
        "先行登记保存的证据未作出处理决定",
        unchanged=written,
    )
    preservation_decide(
        case_id=case.pk,
        actor=org.handler,
        preservation_id=item.pk,
        disposition="confiscate",
        note="已在处罚决定中没收",
    )
    assert act(org, case, "closing_approve").status == "closed"


def test_the_step_table_and_the_model_share_the_dispositions():
    assert set(DISPOSITIONS) == set(Preservation.Disposition.values)
    assert PRESERVATION_LIMIT == "evidence_preservation_decision"
