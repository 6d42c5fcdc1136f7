"""The 行政强制措施 step table and its guards, pure (no database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from procedure.coercion import COERCION
from procedure.engine import END, Act, CaseFacts, evaluate
from procedure.roles import Role
from procedure.testing import assert_refused

HANDLER, PARTNER, HEAD, UNIT = 1, 2, 9, 100
NOW = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
ITEMS = [{"name": "户外广告牌", "quantity": "1块", "description": "6米×3米"}]
APPLY = {"items": ITEMS, "reason": "防止证据损毁", "basis": "《广告法》第四十九条"}
ON_SITE: dict[str, Any] = {
    "officers": [HANDLER, PARTNER],
    "certificate_shown": True,
    "party_present": True,
    "party_notified": True,
    "told": True,
    "statements_heard": True,
    "record_made": True,
    "party_signed": True,
    "decision_delivered": True,
}


def facts(step: str, **extra: Any) -> CaseFacts:
    return CaseFacts(
        procedure="coercion",
        step=step,
        unit_id=UNIT,
        handler_id=HANDLER,
        co_handler_id=None,
        certified=frozenset({HANDLER, PARTNER}),
        qualified_reviewers=frozenset(),
        evidence_count=0,
        matter=None,
        parties=(),
        complex=False,
        today=NOW.date(),
        act_on=None,
        discovered_on=None,
        filed_on=None,
        decision_due=None,
        response_window_end=None,
        extra={"type": "seize", "now": NOW, "approved": False, "extended": False, **extra},
    )


def act(
    decision: str, data: dict[str, Any], actor: int = HANDLER, role: Role = Role.HANDLER
) -> Act:
    return Act(actor, UNIT, frozenset({role}), decision, data)


def head(decision: str, data: dict[str, Any]) -> Act:
    return act(decision, data, HEAD, Role.DEPUTY_DIRECTOR)


def refusals(step: str, a: Act, *fragments: str, **extra: Any) -> list[str]:
    """The reasons the step refuses `a` with, each fragment among them."""
    return assert_refused(lambda: evaluate(COERCION, facts(step, **extra), a), *fragments).errors


def test_the_ordinary_path_goes_apply_approve_carry_out_and_in_force():
    assert evaluate(COERCION, facts("cm_apply"), act("submit", APPLY)).next_step == "cm_approve"
    ok = evaluate(COERCION, facts("cm_approve"), head("approve", {"opinion": "同意"}))
    assert ok.next_step == "cm_carry_out"
    out = evaluate(COERCION, facts("cm_carry_out", approved=True), act("carry_out", ON_SITE))
    assert out.next_step == "cm_in_force"


def test_an_application_without_the_list_reason_or_basis_is_refused_with_each_reason():
    errors = refusals("cm_apply", act("submit", {"items": []}), "第二十四条", "理由", "法律依据")
    assert any("第二十四条" in e and "清单" in e for e in errors)
    assert any("理由" in e for e in errors) and any("法律依据" in e for e in errors)


def test_a_freeze_needs_the_bank_account_and_a_positive_amount():
    data = {**APPLY, "items": [{"bank": "", "account": "6222", "amount": "-1"}]}
    errors = refusals(
        "cm_apply",
        act("submit", data),
        "第1个账户请填写开户银行（金融机构）",
        "第1个账户的冻结金额须大于零",
        type="freeze",
    )
    assert "第1个账户请填写开户银行（金融机构）" in errors
    assert "第1个账户的冻结金额须大于零" in errors


def test_a_handler_cannot_approve_and_the_head_cannot_approve_without_an_opinion():
    assert any(
        "分管局长" in e or "deputy_director" in e
        for e in refusals(
            "cm_approve", act("approve", {"opinion": "好"}), "“审批”须由deputy_director办理"
        )
    )
    assert refusals("cm_approve", head("approve", {}), "请填写审核（审批）意见") == [
        "请填写审核（审批）意见"
    ]


def test_the_measure_cannot_be_carried_out_without_the_heads_approval():
    errors = refusals("cm_carry_out", act("carry_out", ON_SITE), "第十八条第一项")
    assert errors == ["实施前须向行政机关负责人报告并经批准（《行政强制法》第十八条第一项）"]


def test_one_officer_alone_cannot_carry_out_the_measure():
    errors = refusals(
        "cm_carry_out",
        act("carry_out", {**ON_SITE, "officers": [HANDLER]}),
        "两名以上行政执法人员",
        approved=True,
    )
    assert errors == [
        "实施行政强制措施须由两名以上行政执法人员实施（《行政强制法》第十八条第二项）"
    ]


def test_an_uncertified_partner_cannot_carry_out_the_measure():
    errors = refusals(
        "cm_carry_out",
        act("carry_out", {**ON_SITE, "officers": [HANDLER, 7]}),
        "有效的行政执法证件",
        approved=True,
    )
    assert any("有效的行政执法证件" in e and "第十八条第二项" in e for e in errors)


def test_every_on_site_duty_of_article_18_is_checked():
    bare = {"officers": [HANDLER, PARTNER], "party_present": False}
    errors = refusals(
        "cm_carry_out",
        act("carry_out", bare),
        *("第三项", "第五项", "第六项", "第七项", "第九项", "第二十四条第一款"),
        approved=True,
    )
    joined = "\n".join(errors)
    for article in ("第三项", "第五项", "第六项", "第七项", "第九项", "第二十四条第一款"):
        assert article in joined, article
    present = {**ON_SITE, "party_signed": False}
    assert any(
        "第八项" in e
        for e in refusals("cm_carry_out", act("carry_out", present), "第八项", approved=True)
    )
    noted = {**present, "refusal_note": "当事人拒绝签名，已注明"}
    assert evaluate(COERCION, facts("cm_carry_out", approved=True), act("carry_out", noted))


def test_an_emergency_measure_goes_in_force_at_once_and_waits_for_the_heads_approval():
    data = {**APPLY, **ON_SITE, "emergency_reason": "当事人正在转移物品"}
    assert evaluate(COERCION, facts("cm_apply"), act("emergency", data)).next_step == "cm_report"
    errors = refusals("cm_apply", act("emergency", {**APPLY, **ON_SITE}), "第十九条")
    assert any("第十九条" in e for e in errors)


def test_the_emergency_approval_after_24_hours_is_refused_and_only_lifting_remains():
    due = NOW - dt.timedelta(minutes=1)
    errors = refusals(
        "cm_report", head("approve", {"opinion": "同意"}), "二十四小时", report_due_at=due
    )
    assert len(errors) == 1 and "二十四小时" in errors[0] and "第十九条" in errors[0]
    out = evaluate(
        COERCION, facts("cm_report", report_due_at=due), head("reject", {"reason": "超时"})
    )
    assert (out.next_step, out.case_outcome) == (END, "not_approved")
    in_time = NOW + dt.timedelta(hours=1)
    ok = evaluate(
        COERCION, facts("cm_report", report_due_at=in_time), head("approve", {"opinion": "同意"})
    )
    assert ok.next_step == "cm_in_force"


def test_an_extension_is_once_and_at_most_thirty_days():
    due = NOW.date() + dt.timedelta(days=3)
    ok = evaluate(
        COERCION, facts("cm_in_force", due_on=due), act("extend", {"days": 30, "reason": "需检测"})
    )
    assert ok.next_step == "cm_extend"
    errors = refusals(
        "cm_in_force", act("extend", {"days": 31, "reason": "复杂"}), "1至30日", due_on=due
    )
    assert any("1至30日" in e for e in errors)
    errors = refusals(
        "cm_in_force",
        act("extend", {"days": 10, "reason": "复杂"}),
        "只能延长一次",
        due_on=due,
        extended=True,
    )
    assert errors == [
        "行政强制措施的期限只能延长一次（《行政强制法》第二十五条第一款、第三十二条第一款）"
    ]


def test_the_extension_approval_needs_the_written_notice_to_the_party():
    data = {"days": 10, "reason": "复杂", "opinion": "同意"}
    errors = refusals("cm_extend", head("approve", data), "书面告知当事人", due_on=NOW.date())
    assert errors == ["延长决定须及时书面告知当事人并说明理由（《行政强制法》第二十五条第二款）"]
    ok = evaluate(
        COERCION,
        facts("cm_extend", due_on=NOW.date()),
        head("approve", {**data, "notice_in_writing": True}),
    )
    assert ok.next_step == "cm_in_force"


def test_after_the_period_the_measure_can_only_be_lifted():
    past = NOW.date() - dt.timedelta(days=1)
    errors = refusals(
        "cm_in_force",
        act("handle", {"disposal": "confiscate", "decision_no": "X"}),
        "第二十八条第一款第四项",
        due_on=past,
    )
    assert any("第二十八条第一款第四项" in e for e in errors)
    errors = refusals(
        "cm_in_force", act("extend", {"days": 5, "reason": "复杂"}), "不能再延长", due_on=past
    )
    assert any("不能再延长" in e for e in errors)
    out = evaluate(
        COERCION,
        facts("cm_in_force", due_on=past),
        act("lift", {"ground": "expired", "reason": "期限届满"}),
    )
    assert (out.next_step, out.case_outcome) == (END, "lifted")


def test_lifting_needs_a_ground_of_article_28():
    errors = refusals(
        "cm_in_force",
        act("lift", {"ground": "bored", "reason": ""}),
        "请选择解除的情形",
        "请填写解除的理由",
    )
    assert (
        "请选择解除的情形（《行政强制法》第二十八条、第三十三条）" in errors
        and "请填写解除的理由" in errors
    )


def test_another_units_officer_is_refused():
    a = Act(HANDLER, UNIT + 1, frozenset({Role.HANDLER}), "submit", APPLY)
    assert refusals("cm_apply", a, "只能办理本单位的案件") == ["只能办理本单位的案件"]


def test_items_sent_for_appraisal_need_a_stated_period_told_in_writing_and_not_for_a_freeze():
    data = {"kind": "appraisal", "until": NOW.date() + dt.timedelta(days=10)}
    errors = refusals("cm_in_force", act("appraise", data), "第二十五条第三款")
    assert errors == [
        "检测、检验、检疫或者技术鉴定的期间须书面告知当事人（《行政强制法》第二十五条第三款）"
    ]
    ok = evaluate(
        COERCION, facts("cm_in_force"), act("appraise", {**data, "notice_in_writing": True})
    )
    assert ok.next_step == "cm_appraisal"
    errors = refusals(
        "cm_in_force",
        act("appraise", {**data, "notice_in_writing": True}),
        "冻结存款、汇款不适用",
        type="freeze",
    )
    assert any("冻结存款、汇款不适用" in e for e in errors)
    errors = refusals(
        "cm_in_force", act("appraise", {"kind": "x", "notice_in_writing": True}), "第二十五条第三款"
    )
    assert len(errors) == 2 and all("第二十五条第三款" in e for e in errors)
