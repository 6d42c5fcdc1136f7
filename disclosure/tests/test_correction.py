"""The agency's own correction (自行纠错) of a penalty decision: recorded by its legal reviewer
with a public reason, it starts the three-working-day withdrawal limit of a published decision
by itself (处罚法第四十八条) and keeps an unpublished one off the site."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from cases.models import Decision
from conftest import move
from deadlines.models import Deadline
from deadlines.services import run_worker_once
from disclosure.models import Correction, Publication
from disclosure.services import (
    decision_correct,
    publication_approve,
    publication_draft,
    publication_publish,
    publication_withdraw,
)
from ledger.models import Entry
from procedure.testing import assert_refused
from zhifa import clock

pytestmark = pytest.mark.django_db


def written() -> tuple[Any, ...]:
    return (
        Entry.objects.count(),
        Correction.objects.count(),
        list(Deadline.objects.values("code", "status")),
    )


def published(org: Any, decision: Decision) -> Publication:
    publication_draft(decision_id=decision.pk, actor=org.handler)
    publication_approve(decision_id=decision.pk, actor=org.legal)
    return publication_publish(decision_id=decision.pk, actor=org.legal)


def correct(org: Any, decision: Decision, **changes: Any) -> Correction:
    data: dict[str, Any] = {
        "decision_id": decision.pk,
        "actor": org.legal,
        "ending": "revoked",
        "corrected_on": clock.today(),
        "reason": "经本机关复查，认定事实不清，决定撤销",
    }
    data.update(changes)
    return decision_correct(**data)


def withdrawal(decision: Decision) -> Deadline:
    return Deadline.objects.get(
        case_id=decision.case_id, party=decision.party, code="disclosure_withdrawal"
    )


def corrected_on_friday(org: Any, decision: Decision) -> None:
    published(org, decision)
    move(days=4)  # Friday 2025-03-07
    correct(org, decision)


def test_the_agencys_own_correction_starts_the_withdrawal_limit_without_anyone_starting_it(
    org, decision
):
    corrected_on_friday(org, decision)
    row = withdrawal(decision)
    # Friday + 3 working days: Mon 10, Tue 11, Wed 12.
    assert (row.starts_on, row.due_on, row.status) == (
        dt.date(2025, 3, 7),
        dt.date(2025, 3, 12),
        "running",
    )
    entry = Entry.objects.filter(stream=decision.case.stream).order_by("-seq").first()
    assert entry.action == "decision_self_correct" and entry.payload["ending"] == "revoked"


def test_a_withdrawal_after_a_correction_on_its_last_lawful_day_is_on_time(org, decision):
    corrected_on_friday(org, decision)
    clock.set_now(dt.datetime(2025, 3, 12, 17, 0, tzinfo=clock.now().tzinfo))
    run_worker_once()
    publication_withdraw(decision_id=decision.pk, actor=org.legal, reason="本机关已自行撤销")
    assert withdrawal(decision).status == "met"


def test_a_withdrawal_after_a_correction_the_day_after_is_late_and_stays_overdue(org, decision):
    corrected_on_friday(org, decision)
    clock.set_now(dt.datetime(2025, 3, 13, 9, 0, tzinfo=clock.now().tzinfo))
    run_worker_once()
    assert withdrawal(decision).status == "overdue"
    publication_withdraw(decision_id=decision.pk, actor=org.legal, reason="本机关已自行撤销")
    assert withdrawal(decision).status == "overdue"


def test_a_correction_of_an_unpublished_decision_starts_no_limit_and_keeps_it_off_the_site(
    org, decision
):
    publication_draft(decision_id=decision.pk, actor=org.handler)
    publication_approve(decision_id=decision.pk, actor=org.legal)
    correct(org, decision, ending="changed")
    assert not Deadline.objects.filter(code="disclosure_withdrawal").exists()
    assert_refused(
        lambda: publication_publish(decision_id=decision.pk, actor=org.legal),
        "自行纠错",
        field="decision",
        unchanged=written,
    )


def test_only_the_units_legal_reviewer_records_a_correction(org, decision, other_legal):
    published(org, decision)
    for actor, reason in ((org.chief, "法制审核员"), (other_legal, "本单位")):
        assert_refused(lambda a=actor: correct(org, decision, actor=a), reason, unchanged=written)


def test_a_correction_is_refused_by_field_for_a_future_date_a_missing_reason_or_a_leak(
    org, decision
):
    published(org, decision)
    assert_refused(
        lambda: correct(org, decision, corrected_on=dt.date(2025, 3, 4)),
        "不能晚于今天",
        field="corrected_on",
        unchanged=written,
    )
    assert_refused(
        lambda: correct(org, decision, corrected_on=dt.date(2025, 3, 2)),
        "不能早于处罚决定日期",
        field="corrected_on",
        unchanged=written,
    )
    assert_refused(
        lambda: correct(org, decision, reason=" "),
        "请填写纠错理由",
        field="reason",
        unchanged=written,
    )
    assert_refused(
        lambda: correct(org, decision, reason="张三丰的违法事实不清"),
        "姓名",
        field="reason",
        unchanged=written,
    )
    assert_refused(
        lambda: correct(org, decision, ending="void"),
        "变更或撤销",
        field="ending",
        unchanged=written,
    )


def test_a_second_correction_of_the_same_decision_is_refused(org, decision):
    published(org, decision)
    correct(org, decision)
    assert_refused(
        lambda: correct(org, decision, reason="再次撤销"),
        "已登记自行纠错",
        field="decision",
        unchanged=written,
    )


def test_the_officer_page_records_a_correction_and_the_api_refuses_a_bad_date_by_field(
    org, decision
):
    published(org, decision)
    web = Client()
    web.force_login(org.legal)
    r = web.post(
        f"/disclosure/{decision.pk}/correct/",
        {
            "correct-ending": "revoked",
            "correct-corrected_on": "2025-03-03",
            "correct-reason": "本机关复查后撤销",
        },
    )
    assert r.status_code == 302
    assert withdrawal(decision).due_on == dt.date(2025, 3, 6)
    page = web.get(f"/disclosure/{decision.pk}/").content.decode()
    assert "本机关复查后撤销" in page
    r = web.post(
        f"/api/disclosure/decisions/{decision.pk}/correct",
        {"ending": "revoked", "corrected_on": "9999-99-99", "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "errors" in r.json()
    outsider = Client()
    outsider.force_login(org.other_officer)
    r = outsider.post(f"/disclosure/{decision.pk}/correct/", {"correct-ending": "revoked"})
    assert r.status_code == 404
