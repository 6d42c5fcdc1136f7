"""Every guard refuses with a Chinese reason, and a refused action changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.models import Case, Party
from cases.services.steps import case_act
from cases.tests.flow import act, add_evidence, advance, fine, register, written
from conftest import move
from orgs.models import Certificate
from procedure.testing import assert_refused
from zhifa import clock

pytestmark = pytest.mark.django_db


def test_only_the_section_chief_approves_a_lead(org):
    case = register(org)
    assert_refused(
        lambda: act(org, case, "lead_approve", actor=org.director),
        "“案源处置审批”须由section_chief办理",
        unchanged=written,
    )


def test_a_step_cannot_be_taken_twice_or_out_of_order(org):
    case = register(org)
    assert_refused(
        lambda: act(org, case, "filing_review"), "不是“filing_review”", unchanged=written
    )
    case = act(org, case, "lead_approve")
    assert case.step == "filing_request"
    assert_refused(
        lambda: act(org, case, "lead_approve"),
        "当前环节为“filing_request”，不是“lead_approve”",
        unchanged=written,
    )


def test_an_officer_without_a_valid_certificate_cannot_act(org):
    case = advance(org, register(org), until="filing_request")
    Certificate.objects.filter(user=org.handler).update(valid_until=dt.date(2025, 1, 1))
    assert_refused(
        lambda: act(org, case, "filing_request"), "没有有效的行政执法证件", unchanged=written
    )


def test_the_co_handler_must_be_another_certified_officer_of_the_unit(org):
    case = advance(org, register(org), until="filing_request")
    assert_refused(
        lambda: act(org, case, "filing_request", co_handler=org.handler.username),
        "协办人不能与承办人为同一人",
        unchanged=written,
    )
    assert_refused(
        lambda: act(org, case, "filing_request", co_handler=org.other_officer.username),
        "不是本单位的执法人员",
        unchanged=written,
    )
    Certificate.objects.filter(user=org.co_handler).update(status="revoked")
    assert_refused(
        lambda: act(org, case, "filing_request"), "协办人没有有效的行政执法证件", unchanged=written
    )
    assert Case.objects.get(pk=case.pk).co_handler_id is None


def test_a_lead_past_the_two_year_time_bar_cannot_be_filed(org):
    today = dt.date(2025, 3, 3)
    case = register(org, act_on=dt.date(2023, 3, 2), discovered_on=today)
    case = advance(org, case, until="filing_request")
    assert_refused(lambda: act(org, case, "filing_request"), "第三十六条", unchanged=written)


def test_a_lead_just_inside_the_two_year_time_bar_can_be_filed(org):
    case = register(org, act_on=dt.date(2023, 3, 3), discovered_on=dt.date(2025, 3, 3))
    case = advance(org, case, until="filing_review")
    assert case.step == "filing_review"


def test_a_handler_cannot_approve_his_own_case_even_holding_the_chief_role(org):
    from orgs.models import RoleGrant

    RoleGrant.objects.create(user=org.handler, role="section_chief")
    case = register(org)
    assert_refused(
        lambda: act(org, case, "lead_approve", actor=org.handler),
        "不能审核或审批本人承办的案件",
        unchanged=written,
    )


def test_the_investigation_needs_evidence_and_records_signed_by_two_officers(org):
    case = advance(org, register(org), until="investigation")
    assert_refused(
        lambda: act(org, case, "investigation", records=[]),
        "尚未登记任何证据",
        "至少录入一份",
        unchanged=written,
    )
    add_evidence(org, case)
    one = [{"kind": "inquiry", "title": "询问笔录", "officers": [org.handler.pk]}]
    assert_refused(
        lambda: act(org, case, "investigation", records=one), "两名执法人员", unchanged=written
    )


def test_a_fine_outside_the_discretion_band_is_refused(org):
    case = advance(org, register(org), until="investigation_report")
    party = case.parties.get()
    proposal = {
        "party": party.index,
        "outcome": "penalty",
        "penalties": fine("12000.00"),
        "circumstance": "ordinary",
    }
    assert_refused(
        lambda: act(org, case, "investigation_report", proposals=[proposal]),
        "12000.00元超出法定幅度",
        "12000.00元超出裁量基准",
        unchanged=written,
    )
    proposal["penalties"] = fine("2000.00")  # inside the legal band, below the ordinary band
    assert_refused(
        lambda: act(org, case, "investigation_report", proposals=[proposal]),
        "2000.00元低于裁量基准",
        unchanged=written,
    )
    proposal["circumstance"] = "lighter"
    case = act(org, case, "investigation_report", proposals=[proposal])
    assert case.step == "investigation_review"


def test_a_penalty_type_the_matter_does_not_allow_is_refused(org):
    case = advance(org, register(org), until="investigation_report")
    proposal = {
        "party": 0,
        "outcome": "penalty",
        "penalties": [{"type": "revoke_permit"}],
        "circumstance": "ordinary",
    }
    assert_refused(
        lambda: act(org, case, "investigation_report", proposals=[proposal]),
        "不包含“吊销许可证件”",
        unchanged=written,
    )


def test_two_fines_for_one_act_are_refused(org):
    case = advance(org, register(org), until="investigation_report")
    proposal = {
        "party": 0,
        "outcome": "penalty",
        "circumstance": "ordinary",
        "penalties": [*fine("3000.00"), *fine("4000.00")],
    }
    assert_refused(
        lambda: act(org, case, "investigation_report", proposals=[proposal]),
        "第二十九条",
        unchanged=written,
    )


def test_the_legal_reviewer_is_never_a_handler_of_the_case(org):
    from orgs.models import RoleGrant

    RoleGrant.objects.create(user=org.co_handler, role="legal_reviewer")
    org.co_handler.legal_qualified = True
    org.co_handler.save()
    case = advance(org, register(org), until="legal_review")
    assert_refused(
        lambda: act(org, case, "legal_review", actor=org.co_handler),
        "法制审核人员不能是本案的承办人或协办人",
        unchanged=written,
    )


def test_a_legal_reviewer_without_the_legal_qualification_is_refused(org):
    org.legal.legal_qualified = False
    org.legal.save()
    case = advance(org, register(org), until="legal_review")
    assert_refused(lambda: act(org, case, "legal_review"), "第五十八条", unchanged=written)


def test_legal_review_can_send_the_case_back_for_more_investigation(org):
    case = advance(org, register(org), until="legal_review")
    case = act(org, case, "legal_review", decision="supplement", opinion="证据不足，补充调查")
    assert case.step == "investigation"


def test_a_major_case_needs_a_collective_discussion_record(org):
    case = advance(org, register(org), until="filing_request")
    case = act(org, case, "filing_request", matter_code=org.major_matter.code)
    case = advance(org, case, until="penalty_approve")
    assert_refused(lambda: act(org, case, "penalty_approve"), "集体讨论", unchanged=written)
    case = act(
        org,
        case,
        "penalty_approve",
        collective_discussion={
            "held_on": "2025-03-03",
            "participants": ["局长", "副局长"],
            "conclusion": "同意",
        },
    )
    assert case.step == "notice_issue"


def test_the_decision_waits_for_the_statement_window_unless_the_party_answered(org):
    case = advance(org, register(org), until="notice_response")
    assert_refused(
        lambda: act(org, case, "notice_response", responses=[]),
        "期限届满前须录入",
        unchanged=written,
    )
    assert_refused(
        lambda: act(org, case, "notice_response", responses=[{"party": 0, "kind": "none"}]),
        "尚未届满",
        unchanged=written,
    )
    # 2025-03-03 (Mon) + 5 working days = 2025-03-10; the day after, silence is recorded.
    move(days=8)
    case = act(org, case, "notice_response", responses=[{"party": 0, "kind": "none"}])
    assert case.step == "notice_review"


def test_a_hearing_is_refused_when_the_proposed_penalty_gives_no_right_to_one(org):
    case = advance(org, register(org), until="investigation_report")
    big = {
        "party": 0,
        "outcome": "penalty",
        "circumstance": "heavier",
        "penalties": fine("9000.00"),
    }
    case = act(org, case, "investigation_report", proposals=[big])
    for step in ("investigation_review", "legal_review", "penalty_approve", "notice_issue"):
        case = act(org, case, step)
    assert Party.objects.get(case=case).hearing_right is False  # below the example threshold
    hearing = {
        "party": 0,
        "kind": "hearing",
        "hearing": {
            "requested_on": "2025-03-04",
            "notified_on": "2025-03-05",
            "held_on": "2025-03-10",
            "record": "当事人到场陈述",
        },
    }
    assert_refused(
        lambda: act(org, case, "notice_response", responses=[hearing]),
        "第六十三条",
        unchanged=written,
    )


def test_a_hearing_held_too_soon_after_its_notice_is_refused(org):
    org.matter.legal_max = 200000
    org.matter.bands = None
    org.matter.save()
    case = advance(org, register(org), until="investigation_report")
    big = {
        "party": 0,
        "outcome": "penalty",
        "circumstance": "ordinary",
        "penalties": fine("150000.00"),
    }
    case = act(org, case, "investigation_report", proposals=[big])
    for step in ("investigation_review", "legal_review", "penalty_approve", "notice_issue"):
        case = act(org, case, step)
    assert Party.objects.get(case=case).hearing_right is True
    move(days=20)
    hearing = {
        "party": 0,
        "kind": "hearing",
        "hearing": {
            "requested_on": "2025-03-05",
            "notified_on": "2025-03-06",
            "held_on": "2025-03-12",
            "record": "当事人到场陈述申辩",
        },
    }
    assert_refused(
        lambda: act(org, case, "notice_response", responses=[hearing]), "七日后", unchanged=written
    )
    late = {**hearing, "hearing": {**hearing["hearing"], "requested_on": "2025-03-11"}}
    assert_refused(
        lambda: act(org, case, "notice_response", responses=[late]),
        "五日的申请期限",
        unchanged=written,
    )
    # Notice 2025-03-06 (Thu) + 7 working days = 2025-03-17 (Mon).
    ok = {**hearing, "hearing": {**hearing["hearing"], "held_on": "2025-03-17"}}
    case = act(org, case, "notice_response", responses=[ok])
    assert case.step == "notice_review"


def test_the_decision_is_never_heavier_than_the_notice(org):
    case = advance(org, register(org), until="decision_issue")
    decisions = [
        {
            "party": 0,
            "outcome": "penalty",
            "penalties": fine("6000.00"),
            "facts": "事实",
            "basis": "依据",
            "performance": "十五日内缴纳",
        }
    ]
    assert_refused(
        lambda: act(org, case, "decision_issue", decisions=decisions),
        "高于事先告知的5000.00元",
        "第四十五条第二款",
        unchanged=written,
    )


def test_a_decision_lacking_what_article_59_requires_is_refused(org):
    case = advance(org, register(org), until="decision_issue")
    decisions = [{"party": 0, "outcome": "penalty", "penalties": fine("5000.00")}]
    assert_refused(
        lambda: act(org, case, "decision_issue", decisions=decisions),
        "履行方式和期限",
        "第五十九条",
        unchanged=written,
    )


def test_the_decision_after_ninety_days_needs_a_recorded_extension(org):
    case = advance(org, register(org), until="decision_approve")
    move(days=91)
    assert_refused(lambda: act(org, case, "decision_approve"), "第六十条", unchanged=written)
    case = act(org, case, "decision_approve", extension_reason="案情复杂，经负责人批准延长")
    assert case.step == "decision_issue"


def test_electronic_delivery_needs_the_partys_consent(org):
    case = advance(org, register(org), until="delivery")
    d = [{"party": 0, "method": "electronic", "delivered_on": "2025-03-03"}]
    assert_refused(
        lambda: act(org, case, "delivery", deliveries=d), "第六十一条", unchanged=written
    )


def test_late_payment_must_include_the_three_percent_surcharge(org):
    case = advance(org, register(org), until="execution")
    # Delivered 2025-03-03: due 2025-03-18; paid 2025-03-20 → 2 days × 3% × 5000 = 300.
    move(days=17)
    ex = [{"party": 0, "kind": "paid", "paid_on": "2025-03-20", "amount": "5000.00"}]
    assert_refused(
        lambda: act(org, case, "execution", executions=ex), "应缴5300.00元", unchanged=written
    )
    ex[0]["amount"] = "5300.00"
    case = act(org, case, "execution", executions=ex)
    assert case.step == "closing_approve"
    assert list(case.enforcements.values_list("type", flat=True)) == ["surcharge"]


def test_a_no_penalty_outcome_skips_notice_and_execution(org):
    case = advance(org, register(org), until="investigation_report")
    proposal = {"party": 0, "outcome": "no_penalty", "reason": "首次违法、危害后果轻微并及时改正"}
    case = act(org, case, "investigation_report", proposals=[proposal])
    for step in ("investigation_review", "legal_review", "penalty_approve"):
        case = act(org, case, step)
    assert case.step == "decision_approve"
    case = act(org, case, "decision_approve")
    case = act(
        org,
        case,
        "decision_issue",
        decisions=[{"party": 0, "outcome": "no_penalty", "facts": "事实", "basis": "第三十三条"}],
    )
    case = act(org, case, "delivery")
    assert case.step == "closing_approve"
    case = act(org, case, "closing_approve")
    assert case.outcome == Case.Outcome.NO_PENALTY
    assert case.decisions.get().number.startswith("聊城管不罚决")


def test_a_transfer_to_judicial_organs_goes_to_closing(org):
    case = advance(org, register(org), until="investigation_report")
    case = act(
        org,
        case,
        "investigation_report",
        proposals=[{"party": 0, "outcome": "transfer", "reason": "涉嫌犯罪"}],
    )
    for step in ("investigation_review", "legal_review", "penalty_approve"):
        case = act(org, case, step)
    assert case.step == "closing_approve" and case.transferred_on == dt.date(2025, 3, 3)
    case = act(org, case, "closing_approve")
    assert case.outcome == Case.Outcome.TRANSFER


def test_the_agency_head_may_revoke_the_filing(org):
    case = advance(org, register(org), until="penalty_approve")
    errors = assert_refused(
        lambda: act(org, case, "penalty_approve", decision="revoke"),
        "请填写理由",
        unchanged=written,
    ).errors
    assert "请填写理由" in errors
    case = act(org, case, "penalty_approve", decision="revoke", reason="违法事实不能成立")
    case = act(org, case, "closing_approve")
    assert case.status == Case.Status.CLOSED and case.outcome == Case.Outcome.REVOKED


def test_a_lead_not_filed_ends_the_case(org):
    case = register(org)
    case = act(org, case, "lead_approve", decision="not_file", reason="不属于本机关管辖")
    assert case.status == Case.Status.CLOSED and case.outcome == Case.Outcome.NOT_FILED
    assert_refused(lambda: act(org, case, "lead_approve"), "已结案", unchanged=written)


def test_a_case_with_two_parties_gets_one_decision_each(org):
    case = register(
        org,
        parties=[
            {
                "kind": "organisation",
                "name": "甲公司",
                "id_number": "91350100M000100Y43",
                "address": "甲地",
            },
            {
                "kind": "person",
                "name": "乙某",
                "id_number": "11010519491231002X",
                "address": "乙地",
            },
        ],
    )
    case = advance(org, case, until="closing_approve")
    numbers = sorted(case.decisions.values_list("number", flat=True))
    assert numbers == ["聊城管罚决〔2025〕1号", "聊城管罚决〔2025〕2号"]


def test_a_minor_under_fourteen_is_not_penalised(org):
    case = register(
        org,
        parties=[
            {"kind": "person", "name": "小某", "id_number": _id_born("20120101"), "address": "某地"}
        ],
    )
    case = advance(org, case, until="investigation_report")
    assert_refused(
        lambda: act(org, case, "investigation_report"), "不满十四周岁", unchanged=written
    )


def test_a_refused_request_leaves_the_case_as_it_was(org):
    case = advance(org, register(org), until="filing_request")
    assert_refused(
        lambda: case_act(
            case_id=case.pk,
            actor=org.handler,
            step="filing_request",
            decision="submit",
            data={"matter_code": org.matter.code, "co_handler": org.handler.username},
        ),
        "协办人不能与承办人为同一人",
        unchanged=written,
    )
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.matter_id is None and fresh.co_handler_id is None
    assert fresh.step == "filing_request"


def _id_born(yyyymmdd: str) -> str:
    from law.validators import make_id_card

    return make_id_card(f"371502{yyyymmdd}123")


def test_filing_needs_the_date_of_the_act_for_the_time_bar(org):
    case = advance(org, register(org, act_on=None), until="filing_request")
    assert_refused(lambda: act(org, case, "filing_request"), "违法行为发生日期", unchanged=written)
    case = act(org, case, "filing_request", act_on="2025-02-01")
    assert case.act_on == dt.date(2025, 2, 1)


def test_the_days_of_a_review_recorded_on_the_case_are_not_charged_at_execution(org):
    from cases.services.reviews import review_conclude, review_file

    case = advance(org, register(org), until="execution")
    # Delivered 2025-03-03: due 2025-03-18. A 复议 filed 03-10 was decided 03-19 (its days, and
    # so the 19th, are not charged, 第七十三条第三款); paid 03-20 → 1 day × 3 % × 5000 = 150.
    move(days=7)
    review_file(
        case_id=case.pk,
        actor=org.legal,
        party=0,
        kind="reconsideration",
        filed_on=clock.today(),
        organ="聊城市人民政府",
    )
    move(days=9)
    review_conclude(
        case_id=case.pk,
        actor=org.legal,
        party=0,
        kind="reconsideration",
        ending="upheld",
        decided_on=clock.today(),
    )
    move(days=1)
    ex = [{"party": 0, "kind": "paid", "paid_on": "2025-03-20", "amount": "5300.00"}]
    assert_refused(
        lambda: act(org, case, "execution", executions=ex), "应缴5150.00元", unchanged=written
    )
    ex[0]["amount"] = "5150.00"
    assert act(org, case, "execution", executions=ex).step == "closing_approve"
