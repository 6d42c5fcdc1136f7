"""事后公示 of a penalty decision: drafted, approved by the unit's legal reviewer, published within
its limit, withdrawn within three working days of a result that undoes it; every action on the
case's record, every refusal by its reason with nothing changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cases.models import Decision
from cases.services.reviews import review_conclude, review_file
from conftest import move
from deadlines.models import Deadline
from deadlines.services import run_worker_once
from disclosure.models import Publication
from disclosure.services import (
    publication_approve,
    publication_draft,
    publication_publish,
    publication_withdraw,
)
from disclosure.tests.conftest import PERSON
from ledger.models import Entry
from ledger.services import ledger_verify
from procedure.testing import assert_refused
from zhifa import clock

pytestmark = pytest.mark.django_db
DECIDED = dt.date(2025, 3, 3)  # Monday
PUBLISH_DUE = dt.date(2025, 3, 12)  # the 7th working day after it


def written() -> tuple[Any, ...]:
    return (
        Entry.objects.count(),
        list(Publication.objects.values()),
        list(Deadline.objects.values("status", "stopped_on")),
    )


def limit(decision: Decision, code: str) -> Deadline:
    return Deadline.objects.get(case_id=decision.case_id, party=decision.party, code=code)


def approved(org: Any, decision: Decision) -> Publication:
    publication_draft(decision_id=decision.pk, actor=org.handler)
    return publication_approve(decision_id=decision.pk, actor=org.legal)


def test_issuing_a_general_procedure_penalty_starts_its_publication_limit(org, decision):
    row = limit(decision, "disclosure_penalty")
    assert (row.starts_on, row.due_on, row.status) == (DECIDED, PUBLISH_DUE, "running")
    assert row.citation == "国办发〔2018〕118号“加强事后公开”"


def test_the_publication_limit_follows_its_setting(org, settings):
    from cases.tests.flow import advance, register

    settings.DISCLOSURE_PENALTY_WORKING_DAYS = 5
    case = advance(org, register(org), until="execution")
    d = Decision.objects.get(case=case)
    assert limit(d, "disclosure_penalty").due_on == dt.date(2025, 3, 10)


def test_drafted_approved_and_published_each_on_the_record_with_the_party_masked(org, decision):
    pub = publication_draft(decision_id=decision.pk, actor=org.handler)
    assert pub.status == "draft" and pub.party_name == "张**"
    for secret in (PERSON["id_number"], PERSON["name"], PERSON["address"], PERSON["phone"]):
        assert secret not in pub.text
    assert "张**" in pub.text and decision.number in pub.text
    pub = publication_approve(decision_id=decision.pk, actor=org.legal)
    assert pub.status == "approved" and pub.approved_by == org.legal
    pub = publication_publish(decision_id=decision.pk, actor=org.legal)
    assert (pub.status, pub.published_on, pub.late) == ("published", DECIDED, False)
    # 罚款5000元 is not a low fine: three years on the site.
    assert pub.shown_until == dt.date(2028, 3, 3)
    actions = list(
        Entry.objects.filter(stream=decision.case.stream, action__startswith="disclosure_")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["disclosure_draft", "disclosure_approve", "disclosure_publish"]
    assert ledger_verify() == []


def test_a_publication_on_the_last_day_of_its_limit_is_on_time(org, decision):
    approved(org, decision)
    clock.set_now(dt.datetime(2025, 3, 12, 17, 0, tzinfo=clock.now().tzinfo))
    run_worker_once()
    pub = publication_publish(decision_id=decision.pk, actor=org.legal)
    assert (pub.publish_due, pub.late) == (PUBLISH_DUE, False)
    assert limit(decision, "disclosure_penalty").status == "met"


def test_a_publication_the_day_after_its_limit_is_late_and_stays_overdue(org, decision):
    approved(org, decision)
    clock.set_now(dt.datetime(2025, 3, 13, 9, 0, tzinfo=clock.now().tzinfo))
    run_worker_once()
    assert limit(decision, "disclosure_penalty").status == "overdue"
    pub = publication_publish(decision_id=decision.pk, actor=org.legal)
    assert pub.late is True
    row = limit(decision, "disclosure_penalty")
    assert (row.status, row.stopped_on) == ("overdue", dt.date(2025, 3, 13))


def test_an_edit_that_unmasks_the_id_number_is_refused_and_changes_nothing(org, decision):
    pub = publication_draft(decision_id=decision.pk, actor=org.handler)
    text = pub.text + f"\n当事人身份证号码：{PERSON['id_number']}"
    assert_refused(
        lambda: publication_approve(decision_id=decision.pk, actor=org.legal, text=text),
        "身份证件号码",
        field="text",
        unchanged=written,
    )


def test_an_edit_that_restores_the_full_name_is_refused_and_changes_nothing(org, decision):
    pub = publication_draft(decision_id=decision.pk, actor=org.handler)
    text = pub.text.replace("张**", "张三丰")
    assert_refused(
        lambda: publication_approve(decision_id=decision.pk, actor=org.legal, text=text),
        "完整姓名",
        field="text",
        unchanged=written,
    )


def test_only_the_units_legal_reviewer_approves(org, decision, other_legal):
    publication_draft(decision_id=decision.pk, actor=org.handler)
    for actor in (org.handler, org.chief):
        assert_refused(
            lambda a=actor: publication_approve(decision_id=decision.pk, actor=a),
            "只有本单位的法制审核员可以审核公示内容",
            unchanged=written,
        )
    assert_refused(
        lambda: publication_approve(decision_id=decision.pk, actor=other_legal),
        "只能审核公示内容本单位作出的处罚决定",
        unchanged=written,
    )


def test_an_unapproved_text_is_not_published(org, decision):
    publication_draft(decision_id=decision.pk, actor=org.handler)
    assert_refused(
        lambda: publication_publish(decision_id=decision.pk, actor=org.legal),
        "须经法制审核员审核同意",
        field="decision",
        unchanged=written,
    )


def test_a_simple_procedure_decision_is_never_published(org):
    from cases.services.steps import case_act, case_register

    case = case_register(
        actor=org.handler,
        source="patrol",
        clue="店外乱设广告牌",
        discovered_on=clock.today(),
        procedure="simple",
        matter_code=org.matter.code,
        parties=[dict(PERSON)],
    )
    case = case_act(
        case_id=case.pk,
        actor=org.handler,
        step="simple_decide",
        decision="submit",
        data={
            "certificate_shown": True,
            "facts": "店外乱设广告牌",
            "basis": "条例第三十六条",
            "place": "柳园路",
            "penalties": [{"type": "fine", "amount": "100.00"}],
            "delivered_on_spot": True,
        },
    )
    d = Decision.objects.get(case=case)
    assert not Deadline.objects.filter(case=case, code="disclosure_penalty").exists()
    assert_refused(
        lambda: publication_draft(decision_id=d.pk, actor=org.handler),
        "不属于公示范围",
        field="decision",
        unchanged=written,
    )


def published(org: Any, decision: Decision) -> Publication:
    approved(org, decision)
    return publication_publish(decision_id=decision.pk, actor=org.legal)


def revoke(org: Any, decision: Decision, ending: str = "revoked") -> None:
    review_file(
        case_id=decision.case_id,
        actor=org.legal,
        party=0,
        kind="reconsideration",
        filed_on=clock.today(),
        organ="聊城市人民政府",
    )
    review_conclude(
        case_id=decision.case_id,
        actor=org.legal,
        party=0,
        kind="reconsideration",
        ending=ending,
        decided_on=clock.today(),
    )


def test_a_revoking_review_result_starts_the_three_working_day_withdrawal_limit(org, decision):
    published(org, decision)
    move(days=4)  # Friday 2025-03-07
    revoke(org, decision)
    row = limit(decision, "disclosure_withdrawal")
    # Friday + 3 working days: Mon 10, Tue 11, Wed 12.
    assert (row.starts_on, row.due_on) == (dt.date(2025, 3, 7), dt.date(2025, 3, 12))
    assert row.citation == "《行政处罚法》第四十八条"


def test_an_upholding_result_starts_no_withdrawal_limit(org, decision):
    published(org, decision)
    revoke(org, decision, ending="upheld")
    assert not Deadline.objects.filter(code="disclosure_withdrawal").exists()


def test_a_withdrawal_on_the_last_day_is_on_time(org, decision):
    published(org, decision)
    move(days=4)
    revoke(org, decision)
    clock.set_now(dt.datetime(2025, 3, 12, 16, 0, tzinfo=clock.now().tzinfo))
    run_worker_once()
    pub = publication_withdraw(decision_id=decision.pk, actor=org.legal, reason="复议决定撤销")
    assert (pub.status, pub.withdrawn_on) == ("withdrawn", dt.date(2025, 3, 12))
    assert limit(decision, "disclosure_withdrawal").status == "met"


def test_a_withdrawal_the_day_after_is_late_and_stays_overdue(org, decision):
    published(org, decision)
    move(days=4)
    revoke(org, decision)
    clock.set_now(dt.datetime(2025, 3, 13, 9, 0, tzinfo=clock.now().tzinfo))
    run_worker_once()
    publication_withdraw(decision_id=decision.pk, actor=org.legal, reason="复议决定撤销")
    assert limit(decision, "disclosure_withdrawal").status == "overdue"


def test_a_withdrawal_needs_a_reason_and_changes_nothing_without_one(org, decision):
    published(org, decision)
    assert_refused(
        lambda: publication_withdraw(decision_id=decision.pk, actor=org.legal, reason="  "),
        "请填写撤回理由",
        field="reason",
        unchanged=written,
    )


def test_a_decision_undone_before_publication_is_not_published(org, decision):
    approved(org, decision)
    revoke(org, decision)
    assert_refused(
        lambda: publication_publish(decision_id=decision.pk, actor=org.legal),
        "不予公示",
        field="decision",
        unchanged=written,
    )
