"""行政复议 and 行政诉讼 recorded against a decision of a case handled on the platform."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cases.models import Case, Review
from cases.services.reviews import review_conclude, review_file
from cases.tests.flow import advance, register
from conftest import move
from ledger.models import Entry
from ledger.services import ledger_verify
from procedure.testing import assert_refused
from zhifa import clock

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 3)  # the frozen clock's day: the decision is made and delivered on it


@pytest.fixture
def decided(org) -> Case:
    """A case whose decision (party 0) was issued and delivered on 2025-03-03."""
    return advance(org, register(org), until="execution")


def file(org: Any, case: Case, **changes: Any) -> Review:
    kwargs = {
        "case_id": case.pk,
        "actor": org.legal,
        "party": 0,
        "kind": "reconsideration",
        "filed_on": clock.today(),
        "organ": "聊城市人民政府",
        "organ_case_no": "聊政复〔2025〕7号",
    }
    kwargs.update(changes)
    return review_file(**kwargs)


def conclude(org: Any, case: Case, **changes: Any) -> Review:
    kwargs = {
        "case_id": case.pk,
        "actor": org.legal,
        "party": 0,
        "kind": "reconsideration",
        "ending": "changed",
        "decided_on": clock.today(),
    }
    kwargs.update(changes)
    return review_conclude(**kwargs)


def entries(case: Case) -> list[Entry]:
    return list(Entry.objects.filter(stream=case.stream).order_by("seq"))


def test_the_legal_reviewer_files_and_concludes_a_reconsideration_each_with_a_ledger_entry(
    org, decided
):
    move(days=20)
    review = file(org, decided)
    assert (review.kind, review.filed_on, review.result, review.decided_on) == (
        "reconsideration",
        dt.date(2025, 3, 23),
        "",
        None,
    )
    assert review.filing_due == dt.date(2025, 5, 6) and not review.late
    last = entries(decided)[-1]
    assert last.action == "review_file" and last.role == "legal_reviewer"
    assert last.payload["organ"] == "聊城市人民政府" and last.payload["late"] is False

    move(days=40)
    review = conclude(org, decided)
    assert (review.result, review.ending, review.decided_on) == (
        "corrected",
        "changed",
        dt.date(2025, 5, 2),
    )
    last = entries(decided)[-1]
    assert last.action == "review_conclude"
    assert last.payload["basis"] == "《行政复议法》第六十三条"
    assert last.payload["result"] == "corrected"
    assert ledger_verify(stream=decided.stream) == []


def test_a_late_application_is_recorded_with_the_warning_not_refused(org, decided):
    move(days=70)
    review = file(org, decided)
    assert review.late and review.filing_due == dt.date(2025, 5, 6)
    assert "超过申请行政复议期限" in review.warnings and "由行政复议机关决定" in review.warnings
    assert entries(decided)[-1].payload["late"] is True


def test_a_withdrawal_ends_the_review_without_a_result(org, decided):
    file(org, decided, kind="litigation", organ="聊城市东昌府区人民法院")
    review = conclude(org, decided, kind="litigation", ending="withdrawn")
    assert (review.result, review.ending, review.decided_on) == ("", "withdrawn", DAY)


def stored() -> tuple[int, int]:
    """What a refused record must leave as it was (for `assert_refused(..., unchanged=stored)`)."""
    return Review.objects.count(), Entry.objects.count()


def test_filing_dates_before_the_decision_or_in_the_future_are_refused_by_field(org, decided):
    errors = assert_refused(
        lambda: file(org, decided, filed_on=DAY - dt.timedelta(days=1)),
        "申请（起诉）日期不能早于决定日期2025-03-03",
        field="filed_on",
        unchanged=stored,
    ).fields
    assert errors == {"filed_on": ["申请（起诉）日期不能早于决定日期2025-03-03"]}
    errors = assert_refused(
        lambda: file(org, decided, filed_on=DAY + dt.timedelta(days=1)),
        "申请（起诉）日期不能晚于今天",
        field="filed_on",
        unchanged=stored,
    ).fields
    assert errors == {"filed_on": ["申请（起诉）日期不能晚于今天"]}
    errors = assert_refused(
        lambda: file(org, decided, organ="  ", kind="appeal", party=3),
        "请填写行政复议机关或人民法院名称",
        "类型“appeal”无效",
        "没有已作出的处罚决定",
        unchanged=stored,
    ).fields
    assert set(errors) == {"organ", "kind", "party"}


def test_a_decision_gets_one_review_of_each_kind(org, decided):
    file(org, decided)
    errors = assert_refused(
        lambda: file(org, decided),
        "该决定已登记行政复议，同一决定每类只登记一次",
        field="kind",
        unchanged=stored,
    ).fields
    assert errors == {"kind": ["该决定已登记行政复议，同一决定每类只登记一次"]}
    litigation = file(org, decided, kind="litigation", organ="聊城市东昌府区人民法院")
    # Suing while the reconsideration runs: recorded, with the warning of Art. 29.
    assert "第二十九条" in litigation.warnings


def test_a_result_is_recorded_once_not_before_the_filing_and_not_in_the_future(org, decided):
    errors = assert_refused(
        lambda: conclude(org, decided), "该决定尚未登记行政复议", field="kind", unchanged=stored
    ).fields
    assert errors == {"kind": ["该决定尚未登记行政复议"]}
    move(days=10)
    file(org, decided)
    errors = assert_refused(
        lambda: conclude(org, decided, decided_on=DAY),
        "结果日期不能早于申请（起诉）日期2025-03-13",
        field="decided_on",
        unchanged=stored,
    ).fields
    assert errors == {"decided_on": ["结果日期不能早于申请（起诉）日期2025-03-13"]}
    errors = assert_refused(
        lambda: conclude(org, decided, decided_on=clock.today() + dt.timedelta(days=1)),
        "结果日期不能晚于今天",
        field="decided_on",
        unchanged=stored,
    ).fields
    assert errors == {"decided_on": ["结果日期不能晚于今天"]}
    errors = assert_refused(
        lambda: conclude(org, decided, ending="perform_judgment"),
        "决定维持",
        field="ending",
        unchanged=stored,
    ).fields
    assert list(errors) == ["ending"] and "决定维持" in errors["ending"][0]
    conclude(org, decided, ending="upheld")
    errors = assert_refused(
        lambda: conclude(org, decided, ending="revoked"),
        "该行政复议已于2025-03-13办结，不能重复登记结果",
        field="kind",
        unchanged=stored,
    ).fields
    assert errors == {"kind": ["该行政复议已于2025-03-13办结，不能重复登记结果"]}
    assert Review.objects.get().result == "upheld"


def test_a_case_without_a_decision_has_nothing_to_review(org):
    case = register(org)
    errors = assert_refused(
        lambda: file(org, case),
        "该当事人在本案中没有已作出的处罚决定",
        field="party",
        unchanged=stored,
    ).fields
    assert errors == {"party": ["该当事人在本案中没有已作出的处罚决定"]}


@pytest.mark.parametrize("who", ["handler", "chief", "legal"])
def test_the_handler_the_chief_and_the_legal_reviewer_may_record(org, decided, who):
    assert file(org, decided, actor=getattr(org, who)).pk


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("director", "只有本单位的法制审核员、业务科长或承办人可以登记复议诉讼情况"),
        ("supervisor", "只能登记本单位案件的复议诉讼情况"),
        ("other_officer", "只能登记本单位案件的复议诉讼情况"),
    ],
)
def test_other_roles_and_other_units_are_refused(org, decided, who, reason):
    refusal = assert_refused(
        lambda: file(org, decided, actor=getattr(org, who)), reason, unchanged=stored
    )
    assert refusal.errors == [reason]
    assert not Review.objects.exists()


def test_an_imported_case_is_not_touched_by_this_path(org, decided):
    Case.objects.filter(pk=decided.pk).update(imported=True)
    refusal = assert_refused(lambda: file(org, decided), "导入的历史案件", unchanged=stored)
    assert "导入的历史案件" in refusal.errors[0]
    assert not Review.objects.exists()
