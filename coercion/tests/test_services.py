"""行政强制措施 on a platform case: services, ledger entries, deadlines, the statistics form."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.http import Http404

from cases.models import Case
from cases.selectors import get_case_for_user
from cases.services.steps import case_act
from cases.tests.flow import advance, register
from coercion import services
from coercion.models import CoerciveMeasure
from coercion.selectors import case_measures
from conftest import PASSWORD, move
from deadlines.models import Deadline
from deadlines.services import run_timers_once
from demo.testing import certified_person
from exchange.export import export_lines
from exchange.load import import_lines
from ledger.models import Entry
from notices.models import Notice
from orgs.models import RoleGrant, User
from orgs.services import regions_ensure
from procedure.roles import Role
from procedure.testing import assert_refused
from supervision.selectors import Period, form_table
from zhifa import clock

pytestmark = pytest.mark.django_db

ITEMS = [{"name": "户外广告牌", "quantity": "1块", "description": "6米×3米，钢结构"}]


def on_site(org: Any, **overrides: Any) -> dict[str, Any]:
    return {
        "certificate_shown": True,
        "party_present": True,
        "party_notified": True,
        "told": True,
        "statements_heard": True,
        "record_made": True,
        "party_signed": True,
        "decision_delivered": True,
        **overrides,
    }


def propose(org: Any, case: Any, kind: str = "seize") -> CoerciveMeasure:
    return services.measure_propose(
        case_id=case.pk,
        actor=org.handler,
        type=kind,
        items=ITEMS,
        reason="涉案广告牌可能被转移，需扣押",
        basis="《广告法》第四十九条第二款",
    )


def approve(org: Any, case: Any, m: CoerciveMeasure) -> CoerciveMeasure:
    return services.measure_decide(
        case_id=case.pk, measure_id=m.pk, actor=org.director, decision="approve", opinion="同意"
    )


def carry_out(org: Any, case: Any, m: CoerciveMeasure) -> CoerciveMeasure:
    return services.measure_carry_out(
        case_id=case.pk,
        measure_id=m.pk,
        actor=org.handler,
        officers=[org.handler.pk, org.co_handler.pk],
        on_site=on_site(org),
    )


def in_force(org: Any, case: Any) -> CoerciveMeasure:
    return carry_out(org, case, approve(org, case, propose(org, case)))


def actions(case: Any) -> list[str]:
    return list(
        Entry.objects.filter(stream=case.stream).order_by("seq").values_list("action", flat=True)
    )


def test_a_seizure_is_proposed_approved_and_carried_out_with_its_ledger_and_its_30_day_limit(org):
    case = register(org)
    m = in_force(org, case)
    assert (m.step, m.on, m.due_on) == ("cm_in_force", clock.today(), dt.date(2025, 4, 2))
    assert actions(case)[-3:] == ["cm_apply", "cm_approve", "cm_carry_out"]
    entry = Entry.objects.filter(stream=case.stream).order_by("-seq").first()
    assert (
        entry is not None
        and entry.payload["measure"] == m.pk
        and entry.payload["result"]["due_on"] == "2025-04-02"
    )
    d = Deadline.objects.get(case=case, code="seizure_period")
    assert (d.due_on, d.status, m.deadline_id) == (dt.date(2025, 4, 2), "running", d.pk)


def test_a_proposed_measure_tells_the_director_and_the_approval_reads_it(org):
    case = register(org)
    m = propose(org, case)
    waiting = Notice.objects.filter(
        kind=Notice.Kind.APPROVAL, subject=f"{case.stream}/measure:{m.pk}"
    )
    assert [n.user_id for n in waiting] == [org.director.pk]
    assert waiting.get().url == f"/cases/{case.pk}/?open=measures#measures"
    approve(org, case, m)
    assert waiting.get().read_at is not None


def test_an_extension_replaces_the_period_and_lifting_stops_it(org):
    case = register(org)
    m = in_force(org, case)
    move(days=20)
    services.measure_extend(
        case_id=case.pk, measure_id=m.pk, actor=org.handler, days=15, reason="需技术鉴定"
    )
    m = services.measure_decide(
        case_id=case.pk,
        measure_id=m.pk,
        actor=org.director,
        decision="approve",
        opinion="同意延长",
        notice_in_writing=True,
    )
    assert (m.extended_until, m.due_on) == (dt.date(2025, 4, 17), dt.date(2025, 4, 17))
    assert Deadline.objects.get(code="seizure_period").status == "met"
    ext = Deadline.objects.get(code="seizure_extension")
    assert (ext.starts_on, ext.due_on, ext.status) == (
        dt.date(2025, 4, 2),
        dt.date(2025, 4, 17),
        "running",
    )
    refusal = assert_refused(
        lambda: services.measure_extend(
            case_id=case.pk, measure_id=m.pk, actor=org.handler, days=5, reason="再延"
        ),
        "只能延长一次",
    )
    assert "只能延长一次" in refusal.errors[0]
    move(days=5)
    m = services.measure_lift(
        case_id=case.pk,
        measure_id=m.pk,
        actor=org.handler,
        ground="decided",
        reason="已作出处罚决定",
    )
    assert (m.step, m.outcome, m.lifted_on) == ("end", "lifted", clock.today())
    assert Deadline.objects.get(code="seizure_extension").status == "met"
    assert actions(case)[-3:] == ["cm_in_force", "cm_extend", "cm_in_force"]


def test_a_refused_action_changes_nothing(org):
    case = register(org)
    m = approve(org, case, propose(org, case))
    before = Entry.objects.count()
    refusal = assert_refused(
        lambda: services.measure_carry_out(
            case_id=case.pk,
            measure_id=m.pk,
            actor=org.handler,
            officers=[org.handler.pk],
            on_site=on_site(org),
        ),
        "两名以上行政执法人员",
    )
    assert "两名以上行政执法人员" in refusal.errors[0]
    m.refresh_from_db()
    assert (m.step, m.on, m.officers, Entry.objects.count()) == ("cm_carry_out", None, [], before)
    assert not Deadline.objects.filter(case=case).exclude(code="decision_limit").exists()


def test_the_proposer_cannot_approve_and_a_handler_cannot_approve(org):
    case = register(org)
    m = propose(org, case)  # by org.handler

    def approve_as(actor: User) -> CoerciveMeasure:
        return services.measure_decide(
            case_id=case.pk, measure_id=m.pk, actor=actor, decision="approve", opinion="同意"
        )

    # Another handler of the case lacks the agency head's role.
    refusal = assert_refused(lambda: approve_as(org.co_handler), "“审批”须由deputy_director办理")
    assert len(refusal.errors) == 1
    # The proposer, even holding the head's role, is refused for approving his own measure.
    RoleGrant.objects.create(user=org.handler, role=Role.DEPUTY_DIRECTOR)
    proposer = User.objects.get(pk=org.handler.pk)
    refusal = assert_refused(lambda: approve_as(proposer), "不能审核或审批本人承办的案件")
    assert refusal.errors == ["承办人、协办人不能审核或审批本人承办的案件"]
    assert CoerciveMeasure.objects.get(pk=m.pk).step == "cm_approve"


def test_an_emergency_measure_starts_the_24_hour_report_and_rejection_lifts_it_at_once(org):
    case = register(org)
    m = services.measure_emergency(
        case_id=case.pk,
        actor=org.handler,
        type="seal_up",
        items=[{"name": "加工车间", "quantity": "1间"}],
        reason="正在生产假冒产品",
        basis="《产品质量法》第十八条",
        emergency_reason="当事人正在转移、销毁证据",
        officers=[org.handler.pk, org.co_handler.pk],
        on_site=on_site(org),
    )
    assert m.step == "cm_report" and m.on == clock.today()
    assert m.report_due_at == clock.now() + dt.timedelta(hours=24)
    report = Deadline.objects.get(code="emergency_measure_report")
    assert (report.due_on, report.status) == (dt.date(2025, 3, 4), "running")
    m = services.measure_decide(
        case_id=case.pk,
        measure_id=m.pk,
        actor=org.director,
        decision="reject",
        reason="不符合紧急情形",
    )
    assert (m.step, m.outcome, m.lifted_on) == ("end", "not_approved", clock.today())
    assert set(
        Deadline.objects.filter(
            case=case, code__in=["emergency_measure_report", "seizure_period"]
        ).values_list("status", flat=True)
    ) == {"met"}


def test_an_emergency_measure_reported_after_24_hours_cannot_be_approved(org):
    case = register(org)
    m = services.measure_emergency(
        case_id=case.pk,
        actor=org.handler,
        type="seize",
        items=ITEMS,
        reason="r",
        basis="b",
        emergency_reason="紧急",
        officers=[org.handler.pk, org.co_handler.pk],
        on_site=on_site(org, party_present=False, witness="村委会主任李某"),
    )
    move(hours=25)
    refusal = assert_refused(
        lambda: services.measure_decide(
            case_id=case.pk, measure_id=m.pk, actor=org.director, decision="approve", opinion="同意"
        ),
        "二十四小时",
        "第十九条",
    )
    assert "第十九条" in refusal.errors[0]
    move(hours=1)
    approved = services.measure_decide(
        case_id=case.pk, measure_id=m.pk, actor=org.director, decision="reject", reason="超时"
    )
    assert approved.outcome == "not_approved"


def test_a_freeze_keeps_its_account_and_runs_the_freeze_period(org):
    case = register(org)
    m = services.measure_propose(
        case_id=case.pk,
        actor=org.handler,
        type="freeze",
        items=[{"bank": "工商银行聊城分行", "account": "1610001234", "amount": "50000.00"}],
        reason="r",
        basis="b",
    )
    m = carry_out(org, case, approve(org, case, m))
    assert m.items == [{"bank": "工商银行聊城分行", "account": "1610001234", "amount": "50000.00"}]
    assert Deadline.objects.get(case=case, code="freeze_period").due_on == dt.date(2025, 4, 2)
    m = services.measure_handle(
        case_id=case.pk,
        measure_id=m.pk,
        actor=org.handler,
        disposal="confiscate",
        decision_no="聊城管罚〔2025〕1号",
    )
    assert (m.outcome, m.lifted_on, m.ended_on) == ("handled", None, clock.today())
    assert Deadline.objects.get(case=case, code="freeze_period").status == "met"


def test_the_coercion_form_counts_a_platform_measure_by_type_and_the_day_it_was_carried_out(org):
    regions_ensure()
    case = register(org)
    pending = propose(org, case, "seal_up")  # not carried out: not counted
    in_force(org, case)
    g = {
        r.label: r.values
        for r in form_table("coercion", root=org.city, period=Period.year(2025)).all_rows()
    }
    row = g["市直部门(单位)"]
    assert (row["m_seize"], row["m_seal_up"], row["measures_total"]) == (1, 0, 1)
    assert pending.on is None
    assert (
        form_table("coercion", root=org.city, period=Period.year(2024))
        .all_rows()[-1]
        .values["measures_total"]
        == 0
    )


def test_an_imported_or_closed_case_takes_no_measure(org):
    case = register(org)
    case.imported = True
    case.save(update_fields=["imported"])
    refusal = assert_refused(lambda: propose(org, case), "导入的历史案件")
    assert "导入的历史案件" in refusal.errors[0]
    closed = advance(org, register(org), until="end")
    assert closed.status == Case.Status.CLOSED
    refusal = assert_refused(lambda: propose(org, closed), "案件已结案，不能再采取行政强制措施")
    assert refusal.errors == ["案件已结案，不能再采取行政强制措施"]
    assert not CoerciveMeasure.objects.exists()


def test_an_officer_of_another_unit_is_refused_and_cannot_read_the_case(org):
    case = register(org)
    m = propose(org, case)
    # The head of another agency holds the approving role: only the unit is wrong.
    other_head = certified_person(
        "scjg-head", org.scjg, Role.DEPUTY_DIRECTOR, password_hash=make_password(PASSWORD)
    )
    refusal = assert_refused(
        lambda: services.measure_decide(
            case_id=case.pk,
            measure_id=m.pk,
            actor=other_head,
            decision="approve",
            opinion="同意",
        ),
        "只能办理本单位的案件",
    )
    assert refusal.errors == ["只能办理本单位的案件"]
    for who in (org.other_officer, org.county_officer, org.sysadmin):
        with pytest.raises(Http404):
            get_case_for_user(who, case.pk)
    assert get_case_for_user(org.co_handler, case.pk) == case
    assert [r["actions"] for r in case_measures(case, org.director)] == [["approve", "reject"]]
    assert [r["actions"] for r in case_measures(case, org.handler)] == [[]]


def test_the_days_items_spend_in_appraisal_are_not_counted_in_the_period(org):
    case = register(org)
    m = in_force(org, case)
    move(days=5)
    m = services.measure_appraise(
        case_id=case.pk,
        measure_id=m.pk,
        actor=org.handler,
        kind="appraisal",
        until=clock.today() + dt.timedelta(days=10),
        notice_in_writing=True,
    )
    assert (m.step, m.due_on) == ("cm_appraisal", dt.date(2025, 4, 12))
    assert Deadline.objects.get(code="seizure_period").due_on == dt.date(2025, 4, 12)
    move(days=7)  # back three days early: seven days are not counted, not ten
    m = services.measure_appraised(
        case_id=case.pk, measure_id=m.pk, actor=org.handler, result="系假冒产品"
    )
    assert (m.step, m.due_on) == ("cm_in_force", dt.date(2025, 4, 9))
    assert m.appraisals == [
        {
            "kind": "appraisal",
            "started_on": "2025-03-08",
            "until": "2025-03-18",
            "provisional_days": 10,
            "ended_on": "2025-03-15",
            "days": 7,
            "result": "系假冒产品",
        }
    ]
    d = Deadline.objects.get(code="seizure_period")
    assert (d.due_on, d.status) == (dt.date(2025, 4, 9), "running")
    assert actions(case)[-2:] == ["cm_in_force", "cm_appraisal"]


def test_the_worker_marks_an_unapproved_emergency_measure_overdue_at_the_24th_hour(org):
    case = register(org)
    m = services.measure_emergency(
        case_id=case.pk,
        actor=org.handler,
        type="seize",
        items=ITEMS,
        reason="r",
        basis="b",
        emergency_reason="紧急",
        officers=[org.handler.pk, org.co_handler.pk],
        on_site=on_site(org),
    )
    move(hours=23, minutes=59)
    assert run_timers_once()["fired"] == 0
    move(minutes=2)
    assert run_timers_once()["fired"] == 1
    d = Deadline.objects.get(code="emergency_measure_report")
    assert d.status == "overdue" and d.due_on == dt.date(2025, 3, 4)
    assert actions(case)[-1] == "deadline_overdue"
    m = services.measure_decide(
        case_id=case.pk, measure_id=m.pk, actor=org.director, decision="reject", reason="超时未批"
    )
    assert Deadline.objects.get(code="emergency_measure_report").status == "overdue"


def test_an_emergency_measure_approved_in_time_cancels_its_timer(org):
    case = register(org)
    m = services.measure_emergency(
        case_id=case.pk,
        actor=org.handler,
        type="seize",
        items=ITEMS,
        reason="r",
        basis="b",
        emergency_reason="紧急",
        officers=[org.handler.pk, org.co_handler.pk],
        on_site=on_site(org),
    )
    move(hours=3)
    m = services.measure_decide(
        case_id=case.pk, measure_id=m.pk, actor=org.director, decision="approve", opinion="同意"
    )
    assert m.step == "cm_in_force"
    assert Deadline.objects.get(code="emergency_measure_report").status == "met"
    move(hours=30)
    assert run_timers_once()["fired"] == 0


def test_a_case_cannot_close_while_a_measure_is_still_in_force(org):
    case = advance(org, register(org), until="closing_approve")
    m = in_force(org, case)
    refusal = assert_refused(
        lambda: case_act(
            case_id=case.pk,
            actor=org.chief,
            step="closing_approve",
            decision="approve",
            data={"opinion": "同意结案"},
        ),
        "行政强制措施未解除或处理",
    )
    assert refusal.errors == [
        "本案尚有1项行政强制措施未解除或处理，须先依法解除或随案处理后再结案"
        "（《行政强制法》第二十七条、第二十八条）"
    ]
    services.measure_handle(
        case_id=case.pk,
        measure_id=m.pk,
        actor=org.handler,
        disposal="confiscate",
        decision_no="聊城管罚决〔2025〕1号",
    )
    closed = case_act(
        case_id=case.pk,
        actor=org.chief,
        step="closing_approve",
        decision="approve",
        data={"opinion": "同意结案"},
    )
    assert closed.status == "closed"


def test_the_export_carries_the_measures_carried_out_and_imports_again(org):
    regions_ensure()
    case = advance(org, register(org), until="investigation")
    kept = in_force(org, case)
    propose(org, case, "seal_up")  # proposed, not carried out: no date, not in the record
    (line,) = [x for x in export_lines() if '"case_no"' in x]
    record = json.loads(line)
    assert record["coercive_measures"] == [{"type": "seize", "on": kept.on.isoformat()}]
    record["case_no"] = "历史-1"  # the same record as another city's history
    import_lines([json.dumps(record, ensure_ascii=False)])
    imported = Case.objects.get(case_no="历史-1")
    assert list(imported.coercive_measures.values_list("type", "on")) == [("seize", kept.on)]
