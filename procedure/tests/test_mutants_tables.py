"""The guards and routers of the step tables (简易程序, 城警联动, 非现场执法, 一般程序's routers)
on their own, without a database: each refusal by its exact Chinese reason, each on the day it
starts and the day before. Written against the mutants mutmut left alive (scripts/mutation.sh)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from law.rules import Band
from procedure import PROCEDURES, general, joint, nonsite, procedure_of_step, simple
from procedure.tests.test_mutants_guards import MATTER, act, facts, party

# --- 简易程序 --------------------------------------------------------------------------------

ON_SPOT = {
    "certificate_shown": True,
    "facts": "占道经营",
    "basis": "条例第十条",
    "place": "东昌路",
    "penalties": [{"type": "fine", "amount": "200"}],
    "delivered_on_spot": True,
}
PERSON = facts(parties=(party(kind="person", name="张三"),))


def decide(f: Any = PERSON, **data: Any) -> list[str]:
    return list(simple.on_the_spot_decision_valid(f, act(**{**ON_SPOT, **data})))


def test_an_on_the_spot_fine_of_200_yuan_for_a_person_passes():
    assert decide() == []
    assert decide(delivered_on_spot=False, refused=True) == []


def test_an_on_the_spot_decision_is_for_one_party_only():
    assert decide(facts(parties=())) == ["简易程序当场处罚只适用于一名当事人"]
    two = facts(parties=(party(), party(index=2)))
    assert decide(two) == ["简易程序当场处罚只适用于一名当事人"]


def test_an_on_the_spot_decision_names_every_gap():
    assert decide(
        certificate_shown=False, facts=" ", basis="", place=" ", delivered_on_spot=False
    ) == [
        "当场作出处罚决定应当向当事人出示执法证件（《行政处罚法》第五十二条）",
        "请填写违法事实",
        "请填写处罚依据",
        "请填写地点",
        "当场处罚决定书应当场交付当事人；当事人拒绝签收的应在决定书上注明（第五十二条）",
    ]


def test_an_on_the_spot_decision_has_a_penalty_simple_procedure_allows():
    assert decide(penalties=[]) == [
        "请填写处罚种类",
        "简易程序应当给予警告或者罚款（行政处罚法第五十一条）",
    ]
    assert decide(penalties=[{"type": "nope"}]) == [
        "第1项处罚种类“nope”不是《行政处罚法》第九条规定的种类",
        "简易程序应当给予警告或者罚款（行政处罚法第五十一条）",
    ]
    assert decide(penalties=[{"type": "fine", "amount": "201"}]) == [
        "简易程序对公民的罚款不得超过200.00元，拟罚款201.00元，应当适用普通程序"
        "（行政处罚法第五十一条）"
    ]
    assert decide(penalties=[{"type": "close"}]) == [
        "简易程序只能给予警告或者罚款，不能给予责令关闭（行政处罚法第五十一条）",
        "权责事项M1的处罚依据不包含该处罚种类",
    ]
    assert decide(dataclasses.replace(PERSON, matter=None), penalties=[{"type": "warning"}]) == []
    warning_only = dataclasses.replace(MATTER, allowed=frozenset({"warning"}))
    assert decide(dataclasses.replace(PERSON, matter=warning_only)) == [
        "权责事项M1的处罚依据不包含该处罚种类"
    ]


def collect(**data: Any) -> list[str]:
    return list(simple.on_the_spot_collection_valid(PERSON, act(**data)))


def test_on_the_spot_collection_of_100_yuan_with_a_receipt_passes():
    assert collect(kind="on_spot", amount="100", receipt_no="No.1") == []
    assert collect(kind="none") == []
    assert collect(kind="bank", paid_on="2025-03-10") == []


def test_on_the_spot_collection_above_100_yuan_needs_a_reason():
    refused = (
        "当场收缴罚款只限于一百元以下或事后难以执行等情形，本次101元不得当场收缴"
        "（《行政处罚法》第六十八条、第六十九条）"
    )
    assert collect(kind="on_spot", amount="101", receipt_no="No.1") == [refused]
    assert collect(kind="on_spot", amount="101", receipt_no="1", hard_to_collect_later=True) == []
    assert collect(kind="on_spot", amount="101", receipt_no="1", remote_area=True) == []


def test_on_the_spot_collection_errors():
    assert collect(kind="x") == ["执行方式须为当场收缴、银行缴纳或无需缴款（警告）"]
    assert collect(kind="on_spot", amount="abc") == ["收缴金额无效"]
    assert collect(kind="on_spot", amount="50", receipt_no=" ") == [
        "当场收缴罚款必须出具专用票据，请填写票据号（《行政处罚法》第七十条）"
    ]
    assert collect(kind="bank") == ["请填写缴款日期"]


# --- 城警联动 --------------------------------------------------------------------------------

NOW = dt.datetime(2025, 3, 10, 9, 10)


def jf(**extra: Any) -> Any:
    return facts(extra=extra)


def test_a_parking_report_needs_two_photos_a_place_and_a_valid_plate():
    ok = {"scene_photos": 2, "place": "东昌路"}
    assert list(joint.report_complete(jf(**ok), act())) == []
    assert list(
        joint.report_complete(jf(scene_photos=1, place=" ", plate_errors=["号牌无效"]), act())
    ) == [
        "号牌无效",
        "请至少拍摄2张现场照片（车辆全貌及号牌、违停位置）",
        "请填写违停地点（无法定位时手工填写）",
    ]
    assert list(joint.report_complete(jf(), act())) == [
        "请至少拍摄2张现场照片（车辆全貌及号牌、违停位置）",
        "请填写违停地点（无法定位时手工填写）",
    ]


def test_the_ten_minute_window_ends_on_its_last_minute():
    at_end = jf(now=NOW, window_ends_at=NOW)
    after = jf(now=NOW + dt.timedelta(seconds=1), window_ends_at=NOW)
    before = jf(now=NOW - dt.timedelta(seconds=1), window_ends_at=NOW)
    assert list(joint.within_window(at_end, act())) == []
    assert list(joint.within_window(after, act())) == [
        "已超过限时驶离期限，不能再按驶离办结，记录已转交警审核"
    ]
    assert list(joint.window_elapsed(at_end, act())) == []
    assert list(joint.window_elapsed(before, act())) == ["限时驶离期限尚未届满"]


def test_a_departure_is_shown_by_the_officer_photo_or_the_owners_claim_an_officer_checked():
    assert list(joint.departure_shown(jf(departure_photos=1), act(via="officer"))) == []
    assert list(joint.departure_shown(jf(), act(via="officer"))) == ["请拍摄车辆驶离后的现场照片"]
    claimed = jf(owner_claim_pending=True)
    assert list(joint.departure_shown(claimed, act(via="owner"))) == []
    assert list(joint.departure_shown(jf(), act(via="owner"))) == ["车主尚未确认驶离"]
    # The owner's word alone (no officer) decides nothing.
    assert list(joint.departure_shown(claimed, act(0, via="owner"))) == [
        "车主的驶离确认须经执法人员核实"
    ]
    other = ["驶离须由执法人员拍照确认或核实车主的确认"]
    assert list(joint.departure_shown(jf(), act(via="x"))) == other
    assert list(joint.departure_shown(jf(), act())) == other


def test_an_owners_claim_made_on_the_windows_last_second_is_in_time_when_checked_later():
    late = NOW + dt.timedelta(minutes=5)
    on_time = jf(now=late, window_ends_at=NOW, owner_claimed_at=NOW)
    too_late = jf(now=late, window_ends_at=NOW, owner_claimed_at=NOW + dt.timedelta(seconds=1))
    assert list(joint.within_window(on_time, act(via="owner"))) == []
    assert list(joint.within_window(too_late, act(via="owner"))) == [
        "已超过限时驶离期限，不能再按驶离办结，记录已转交警审核"
    ]
    # The officer's own photo is judged at the time it is taken.
    assert list(joint.within_window(on_time, act(via="officer"))) == [
        "已超过限时驶离期限，不能再按驶离办结，记录已转交警审核"
    ]


def test_the_owner_claims_once_within_the_window_and_only_through_the_link():
    open_ = jf(now=NOW, window_ends_at=NOW)
    assert list(joint.window_open(open_, act())) == []
    assert list(
        joint.window_open(jf(now=NOW + dt.timedelta(seconds=1), window_ends_at=NOW), act())
    ) == ["限时驶离期限已届满"]
    assert list(joint.owner_only(open_, act(0))) == []
    assert list(joint.owner_only(open_, act())) == [
        "驶离确认由车主通过短信链接提交；执法人员请拍照确认驶离"
    ]
    assert list(joint.no_pending_claim(jf(owner_claim_pending=True), act())) == [
        "已收到车主的驶离确认，正等待执法人员核实"
    ]
    assert list(joint.no_pending_claim(jf(), act())) == []
    assert list(joint.claim_pending(jf(), act())) == ["没有待核实的车主驶离确认"]
    assert list(joint.claim_pending(jf(owner_claim_pending=True), act())) == []


def test_only_a_first_offence_is_warned():
    assert list(joint.first_offence(jf(first_offence=True), act())) == []
    assert list(joint.first_offence(jf(first_offence_days=365), act())) == [
        "该车辆365日内已有违停处罚或警告记录，不属于首次违法，不适用首违警告（免罚轻罚清单）"
    ]


def test_only_complete_evidence_is_uploaded():
    assert list(joint.evidence_complete(jf(scene_photos=2), act())) == []
    assert list(joint.evidence_complete(jf(scene_photos=1, plate_errors=["号牌无效"]), act())) == [
        "现场照片不足，证据不完整，应退回补正",
        "号牌无效",
    ]
    assert list(joint.evidence_complete(jf(), act())) == ["现场照片不足，证据不完整，应退回补正"]


def test_a_correction_is_explained_and_the_notice_printed_before_posting():
    assert list(joint.correction_given(jf(), act(note="补拍号牌"))) == []
    assert list(joint.correction_given(jf(), act(note=" "))) == ["请说明补正的内容"]
    assert list(joint.correction_given(jf(), act())) == ["请说明补正的内容"]
    assert list(joint.notice_printed(jf(notice_printed=True), act())) == []
    assert list(joint.notice_printed(jf(), act())) == ["请先打印《违法停车提示单》再确认张贴"]


# --- 非现场执法 ------------------------------------------------------------------------------

USABLE = {"device_usable": True, "flagged": True, "duplicate": False, "plate_valid": True}


def test_a_record_of_a_reviewed_device_flagged_and_identified_is_evidence():
    assert list(nonsite.usable_as_evidence(jf(**USABLE), act())) == []


def test_a_record_is_refused_for_each_of_article_41s_reasons():
    assert list(nonsite.usable_as_evidence(jf(), act())) == [
        "该检测设备的记录不能作为证据：设备未经审核（《行政处罚法》第四十一条：电子技术监控设备应经法制和技术审核）",
        "该记录未超过限定标准（含允许误差），不能确认为超限",
        "车牌未能识别，不能确认当事人",
    ]
    problems = {**USABLE, "device_usable": False, "device_problems": ["检定过期", "未公布"]}
    assert list(nonsite.usable_as_evidence(jf(**problems), act())) == [
        "该检测设备的记录不能作为证据：检定过期；未公布（《行政处罚法》第四十一条：电子技术监控设备应经法制和技术审核）"
    ]
    assert list(nonsite.usable_as_evidence(jf(**{**USABLE, "duplicate": True}), act())) == [
        "该记录是同一车辆同一次通行的重复记录，请审核首条记录"
    ]


# --- 一般程序's routers and the procedure registry --------------------------------------------


def route_after_approval(*outcomes: str) -> str:
    parties = tuple(party(index=i, proposal={"outcome": o}) for i, o in enumerate(outcomes))
    return general._after_penalty_approval(facts(parties=parties), act())


def test_after_approval_a_penalty_is_notified_a_transfer_closes_the_rest_is_decided():
    assert route_after_approval("penalty", "no_penalty") == "notice_issue"
    assert route_after_approval("transfer") == "closing_approve"
    assert route_after_approval("transfer", "no_penalty") == "decision_approve"
    assert route_after_approval("no_penalty") == "decision_approve"


def test_after_delivery_a_penalty_is_executed_otherwise_the_case_closes():
    penalised = facts(
        parties=(
            party(decision={"outcome": "no_penalty"}),
            party(index=2, decision={"outcome": "penalty"}),
        )
    )
    assert general._after_delivery(penalised, act()) == "execution"
    assert general._after_delivery(facts(), act()) == "closing_approve"


def test_going_back_returns_to_the_previous_step_or_execution():
    assert (
        general._back_to_previous(facts(extra={"previous_step": "delivery"}), act()) == "delivery"
    )
    assert general._back_to_previous(facts(), act()) == "execution"


@pytest.mark.parametrize("code", ["general", "simple"])
def test_each_step_code_belongs_to_its_procedure(code):
    proc = PROCEDURES[code]
    for step in proc.codes:
        assert procedure_of_step(step) is proc


def test_an_unknown_step_belongs_to_no_procedure():
    with pytest.raises(KeyError):
        procedure_of_step("nowhere")


# --- second pass: missing keys ----------------------------------------------------------------


def test_missing_fields_of_an_on_the_spot_decision_are_blank():
    bare = {"certificate_shown": True, "delivered_on_spot": True}
    assert list(simple.on_the_spot_decision_valid(PERSON, act(**bare))) == [
        "请填写违法事实",
        "请填写处罚依据",
        "请填写地点",
        "请填写处罚种类",
        "简易程序应当给予警告或者罚款（行政处罚法第五十一条）",
    ]
    assert collect(kind="on_spot", amount="50") == [
        "当场收缴罚款必须出具专用票据，请填写票据号（《行政处罚法》第七十条）"
    ]


def test_an_unknown_step_error_names_the_step():
    with pytest.raises(KeyError) as caught:
        procedure_of_step("nowhere")
    assert caught.value.args == ("nowhere",)


# --- 简易程序 within the legal band; 一事不再罚 (issue 15 item 9) ---------------------------


def test_an_on_the_spot_fine_below_the_legal_minimum_is_refused_on_its_last_lawful_amount():
    # MATTER's legal band is 100 to 1,000 元: 100.00 is the lowest lawful fine, 99.99 is below it.
    assert decide(penalties=[{"type": "fine", "amount": "100.00"}]) == []
    assert decide(penalties=[{"type": "fine", "amount": "99.99"}]) == [
        "罚款99.99元超出权责事项M1的法定幅度（100.00–1000.00元），不得当场处罚；"
        "需要减轻处罚的应当适用普通程序（《行政处罚法》第五十一条、第三十二条）"
    ]


def test_an_on_the_spot_fine_above_a_legal_maximum_under_the_simple_ceiling_is_refused():
    low = dataclasses.replace(MATTER, legal_band=Band(Decimal("5"), Decimal("50")))
    f = dataclasses.replace(PERSON, matter=low)
    assert decide(f, penalties=[{"type": "fine", "amount": "50"}]) == []
    assert decide(f, penalties=[{"type": "fine", "amount": "50.01"}]) == [
        "罚款50.01元超出权责事项M1的法定幅度（5.00–50.00元），不得当场处罚；"
        "需要减轻处罚的应当适用普通程序（《行政处罚法》第五十一条、第三十二条）"
    ]
    no_band = dataclasses.replace(MATTER, legal_band=None)
    f = dataclasses.replace(PERSON, matter=no_band)
    assert decide(f, penalties=[{"type": "fine", "amount": "1"}]) == []


def test_a_warning_is_not_held_to_the_fine_band():
    assert decide(penalties=[{"type": "warning"}]) == []


ART_29 = (
    "当事人“张三”的同一违法行为已在处罚决定书甲罚〔2025〕1号、处罚决定书甲罚〔2025〕2号中被处以罚款，"
    "不得再次给予罚款（《行政处罚法》第二十九条）"
)


def test_a_second_on_the_spot_fine_for_the_same_act_is_refused():
    earlier = {1: ["处罚决定书甲罚〔2025〕1号", "处罚决定书甲罚〔2025〕2号"]}
    f = dataclasses.replace(PERSON, extra={"earlier_fines": earlier})
    assert decide(f) == [ART_29]
    # A warning is not a second fine; another party's earlier fine is not this party's.
    assert decide(f, penalties=[{"type": "warning"}]) == []
    other = dataclasses.replace(PERSON, extra={"earlier_fines": {2: earlier[1]}})
    assert decide(other) == []
    assert decide(dataclasses.replace(PERSON, extra={"earlier_fines": {1: []}})) == []
