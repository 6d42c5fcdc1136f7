"""回避 (行政处罚法第四十三条): declared by an officer or applied for by the party, decided by the
agency head; an officer who withdraws is replaced on the case."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password

from cases.models import Case, Recusal
from cases.services.recusals import recusal_decide, recusal_request
from cases.tests.flow import act, add_evidence, advance, register, written
from conftest import PASSWORD
from demo.testing import certified_person
from ledger.models import Entry
from ledger.services import ledger_verify
from notices.models import Notice
from orgs.services import user_upsert
from procedure.recusal import SOURCES
from procedure.roles import Role
from procedure.testing import assert_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigating(org: Any, frozen: Any) -> Case:
    return advance(org, register(org), until="investigation")


@pytest.fixture
def spare(org: Any) -> Any:
    """Another certified handler of 城管局, free to take over."""
    return certified_person(
        "cgj-spare", org.cgj, Role.HANDLER, password_hash=make_password(PASSWORD)
    )


def request(org: Any, case: Case, **changes: Any) -> Recusal:
    kwargs = {
        "case_id": case.pk,
        "actor": org.handler,
        "officer": org.co_handler.username,
        "source": "party",
        "reason": "当事人称协办人系其亲属",
    }
    kwargs.update(changes)
    return recusal_request(**kwargs)


def test_an_application_tells_the_director_and_the_decision_reads_it(org, investigating, spare):
    recusal = request(org, investigating)
    waiting = Notice.objects.filter(subject=f"{investigating.stream}/recusal")
    assert [(n.user_id, n.kind) for n in waiting] == [(org.director.pk, Notice.Kind.APPROVAL)]
    recusal_decide(
        case_id=investigating.pk,
        actor=org.director,
        recusal_id=recusal.pk,
        granted=False,
        reason="不属于应当回避的情形",
    )
    assert waiting.get().read_at is not None


def test_a_granted_application_replaces_the_officer_and_the_new_one_carries_on(
    org, investigating, spare
):
    recusal = request(org, investigating)
    decided = recusal_decide(
        case_id=investigating.pk,
        actor=org.director,
        recusal_id=recusal.pk,
        granted=True,
        reason="协办人与当事人系近亲属，应当回避",
        replacement=spare.username,
    )
    assert decided.granted and decided.replacement == spare
    case = Case.objects.get(pk=investigating.pk)
    assert case.co_handler == spare and case.handler == org.handler
    actions = list(
        Entry.objects.filter(stream=case.stream).order_by("seq").values_list("action", flat=True)
    )
    assert actions[-2:] == ["recusal_request", "recusal_decide"]
    last = Entry.objects.filter(stream=case.stream).order_by("seq").last()
    assert last is not None and last.payload["replaced"] == "co_handler"
    assert last.payload["basis"] == "《行政处罚法》第四十三条"
    assert ledger_verify(stream=case.stream) == []
    # The investigation goes on with the new pair of officers (two certified, Art. 42).
    org.co_handler = spare
    add_evidence(org, case)
    assert act(org, case, "investigation").step == "investigation_report"


def test_a_refused_application_keeps_the_officer_and_names_no_replacement(org, investigating):
    recusal = request(org, investigating)
    decided = recusal_decide(
        case_id=investigating.pk,
        actor=org.director,
        recusal_id=recusal.pk,
        granted=False,
        reason="所称亲属关系不属实",
    )
    assert decided.granted is False and decided.replacement is None
    assert Case.objects.get(pk=investigating.pk).co_handler == org.co_handler


def test_only_the_agency_head_decides_and_only_once(org, investigating, spare):
    recusal = request(org, investigating)
    assert_refused(
        lambda: recusal_decide(
            case_id=investigating.pk,
            actor=org.chief,
            recusal_id=recusal.pk,
            granted=False,
            reason="不属实",
        ),
        "行政机关负责人决定",
        unchanged=written,
    )
    recusal_decide(
        case_id=investigating.pk,
        actor=org.director,
        recusal_id=recusal.pk,
        granted=False,
        reason="不属实",
    )
    fields = assert_refused(
        lambda: recusal_decide(
            case_id=investigating.pk,
            actor=org.director,
            recusal_id=recusal.pk,
            granted=True,
            reason="改变主意",
            replacement=spare.username,
        ),
        "已经作出决定",
        field="form",
        unchanged=written,
    ).fields
    assert fields == {"form": ["该回避申请已经作出决定"]}


def test_an_application_names_an_officer_of_the_case_a_source_and_a_reason(org, investigating):
    before = Entry.objects.count()
    fields = assert_refused(
        lambda: request(
            org, investigating, officer=org.chief.username, source="rumour", reason=" "
        ),
        "承办人或协办人",
        field="officer",
    ).fields
    assert set(fields) == {"officer", "source", "reason"}
    assert "承办人或协办人" in fields["officer"][0]
    fields = assert_refused(
        lambda: request(org, investigating, source="self"), "本人提出", field="source"
    ).fields
    assert fields == {"source": ["自行回避应由该执法人员本人提出"]}
    request(org, investigating)
    fields = assert_refused(
        lambda: request(org, investigating), "已有待决定的回避申请", field="officer"
    ).fields
    assert fields == {"officer": ["该执法人员已有待决定的回避申请"]}
    assert Entry.objects.count() == before + 1 and Recusal.objects.count() == 1


def test_the_replacement_is_a_certified_officer_of_the_unit_not_already_on_the_case(
    org, investigating
):
    recusal = request(org, investigating)
    uncertified = user_upsert(
        username="cgj-trainee",
        full_name="见习",
        unit=org.cgj,
        roles=(Role.HANDLER,),
        password_hash=make_password(PASSWORD),
    )

    def decide(replacement: str) -> object:
        return recusal_decide(
            case_id=investigating.pk,
            actor=org.director,
            recusal_id=recusal.pk,
            granted=True,
            reason="应当回避",
            replacement=replacement,
        )

    for replacement, message in (
        ("", "请指定本单位的执法人员接替"),
        (org.handler.username, "不能是本案现有的执法人员"),
        (org.other_officer.username, "不是本单位在职的执法人员"),  # another agency's officer
        (org.legal.username, "应为承办人或协办人"),
        (uncertified.username, "没有有效的行政执法证件"),
    ):
        fields = assert_refused(
            lambda r=replacement: decide(r), message, field="replacement", unchanged=written
        ).fields
        assert message in fields["replacement"][0], replacement
    assert Recusal.objects.get(pk=recusal.pk).granted is None
    assert Case.objects.get(pk=investigating.pk).co_handler == org.co_handler


def test_another_units_officer_and_a_closed_case_are_refused(org, frozen):
    case = advance(org, register(org), until="investigation")
    assert_refused(
        lambda: request(org, case, actor=org.other_officer), "本单位案件", unchanged=written
    )
    closed = advance(org, register(org), until="end")
    assert_refused(lambda: request(org, closed), "已办结", unchanged=written)


def test_the_step_table_and_the_model_share_the_sources():
    assert set(SOURCES) == set(Recusal.Source.values)
