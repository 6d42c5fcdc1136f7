"""强制执行 over the API: /api/cases/{case_id}/enforcements and /api/enforcements/…; out of scope
is 404, a refusal 422 with the Chinese reasons (by field where a field is at fault)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cases.answers import RecordStepOut, lean, record_step_answer
from cases.payloads import Day, ErrorOut, OneOf, RowId, described
from cases.runner import Done, watch
from cases.selectors import get_case_for_user
from enforcement import selectors, services
from law.enforcement import (
    END_GROUNDS,
    OBLIGATIONS,
    REVERSAL_CAUSES,
    REVERSAL_REMEDIES,
    SUSPEND_GROUNDS,
    UTILITY_CUTS,
)
from orgs.models import User
from procedure.enforcement import ENFORCEMENT, SELF_TYPES
from procedure.engine import END
from procedure.roles import Role

cases_router = Router(tags=["强制执行"])
router = Router(tags=["强制执行"])

DECISIONS = sorted({t.decision for s in ENFORCEMENT.steps for t in s.transitions})
Money = Annotated[Decimal, Field(ge=0, le=Decimal("1e12"), max_digits=16, decimal_places=2)]
Text = Annotated[str, Field(max_length=2000)]


class StageIn(Schema):
    due: Day = Field(description="履行期限（YYYY-MM-DD）")
    amount: Money = Field(description="金额（元）")


class ActIn(Schema):
    """The input of an action; each step reads the fields it needs (see the step table)."""

    decision: Annotated[str, OneOf(DECISIONS)] = Field(
        description="所作决定：" + "、".join(DECISIONS)
    )
    term_ends: Day | None = Field(
        None, description="催告书载明的履行期限（第三十五条）；代履行费用的缴纳期限（第五十一条）"
    )
    obligation: Annotated[str, OneOf(["", *OBLIGATIONS])] = Field(
        "",
        description="催告履行的义务（第三十五条）：money 罚款、加处罚款 | "
        "performance 处罚决定责令的行为义务",
    )
    act: Text = Field("", description="催告履行的行为义务：须完成的事项（obligation=performance）")
    manner: Text = Field("", description="履行方式（催告、代履行）；金钱给付的给付方式")
    amount: Money | None = Field(None, description="涉及金钱给付的金额（元，第三十五条第三项）")
    rights_told: bool = Field(False, description="已告知陈述权和申辩权（第三十五条第四项）")
    served_on: Day | None = Field(None, description="送达日期（第三十八条）")
    statement: Text = Field("", description="当事人的陈述、申辩（第三十六条）")
    no_statement: bool = Field(False, description="当事人未提出陈述、申辩")
    opinion: Text = Field("", description="审核（审批）意见")
    reason: Text = Field("", description="理由")
    type: Annotated[str, OneOf(["", *SELF_TYPES])] = Field(
        "", description="强制执行方式：" + described(SELF_TYPES)
    )
    remedies_told: bool = Field(False, description="决定书已载明复议、诉讼途径和期限（第三十七条）")
    officers: list[RowId] = Field(default_factory=list, max_length=10, description="实施人员用户ID")
    carried_out_at: dt.datetime | None = Field(None, description="实施时间（ISO 8601，含时区）")
    urgent_reason: Text = Field("", description="情况紧急的理由（第四十三条第一款）")
    methods: list[Annotated[str, Field(max_length=20)]] = Field(
        default_factory=list,
        max_length=10,
        description="采取的方式；" + described(UTILITY_CUTS) + " 一律不予允许（第四十三条第二款）",
    )
    object: Text = Field(
        "", description="代履行标的；立即代履行：spill 遗洒物 | obstacle 障碍物 | pollutant 污染物"
    )
    place: Text = Field("", description="立即代履行地点：road | river | waterway | public_place")
    party_absent: bool = Field(
        False, description="立即代履行时当事人不在场（事后立即通知当事人，第五十二条）"
    )
    performer: Text = Field("", description="代履行人（第五十一条）")
    budget: Money | None = Field(None, description="代履行费用预算（元）")
    planned_on: Day | None = Field(
        None, description="代履行时间；强制执行决定的执行时间（第三十七条第二款第三项）"
    )
    officer_present: bool = Field(False, description="执法人员到场监督（第五十一条）")
    signed: bool = Field(
        False, description="已签名盖章（代履行文书；申请书由负责人签名，第五十五条）"
    )
    cost: Money | None = Field(
        None, description="代履行费用（元，按照成本合理确定，由当事人承担，第五十一条第二款）"
    )
    court: Text = Field("", description="受理申请的人民法院")
    materials_complete: bool = Field(False, description="第五十五条的申请材料齐全")
    on: Day | None = Field(None, description="日期（法院受理、裁定；当事人履行）")
    stages: list[StageIn] = Field(
        default_factory=list, max_length=60, description="执行协议的履行阶段"
    )
    waived: Money | None = Field(None, description="减免的加处罚款（元，第四十二条）")
    remedied: bool = Field(False, description="当事人已采取补救措施（第四十二条）")
    ground: Text = Field(
        "",
        description="中止情形："
        + described({str(k): v for k, v in SUSPEND_GROUNDS.items()})
        + "；终结情形："
        + described({str(k): v for k, v in END_GROUNDS.items()}),
    )
    cause: Annotated[str, OneOf(["", *REVERSAL_CAUSES])] = Field(
        "", description="执行回转原因（第四十一条）：" + described(REVERSAL_CAUSES)
    )
    remedy: Annotated[str, OneOf(["", *REVERSAL_REMEDIES])] = Field(
        "", description="回转方式：" + described(REVERSAL_REMEDIES)
    )


class OpenIn(ActIn):
    party: int = Field(ge=0, le=1000, description="当事人序号")
    decision: Literal["issue", "immediate_substitute"] = Field(
        "issue", description="issue 制作催告书 | immediate_substitute 立即代履行（第五十二条）"
    )


class EnforcementOut(Schema):
    id: int
    case_id: int
    party: str
    party_index: int
    decision_no: str
    obligation: str = Field(description="催告履行的义务：money 金钱给付 | performance 行为义务")
    obligation_name: str
    step: str
    step_name: str
    outcome: str
    outcome_name: str
    actions: list[str]
    notice_term_ends: dt.date | None
    notice_served_on: dt.date | None
    route: str
    suspended_on: dt.date | None
    completed_on: dt.date | None
    ended_on: dt.date | None
    surcharge: Decimal = Field(description="截至今日的加处罚款（元）")
    surcharge_days: int
    window_opens: dt.date | None = Field(description="申请法院强制执行期间的起始日")
    window_closes: dt.date | None = Field(description="申请法院强制执行期间的最后一日")


class UnpaidOut(Schema):
    case_id: int
    decision_no: str
    party: str
    party_index: int
    payment_due: dt.date


class InboxOut(Schema):
    unpaid: list[UnpaidOut]
    waiting: list[EnforcementOut]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def act_data(body: ActIn) -> dict[str, Any]:
    """The action's input as the service reads it (the API's and the `case` command's)."""
    data = body.model_dump(exclude={"decision", "party"})
    return {k: v for k, v in data.items() if not (v is None or v is False or v in ("", []))}


@cases_router.get(
    "/{case_id}/enforcements",
    response={200: list[EnforcementOut], 404: ErrorOut},
    summary="案件的强制执行",
)
def enforcement_list(request: HttpRequest, case_id: int) -> Any:
    return selectors.case_enforcements(get_case_for_user(_user(request), case_id))


@cases_router.post(
    "/{case_id}/enforcements",
    response={201: RecordStepOut, 404: ErrorOut, 422: ErrorOut},
    summary="开始强制执行：催告或立即代履行",
    description="当事人在决定的期限内不履行的，承办人制作催告书（《行政强制法》第三十四条、"
    "第三十五条）；或对道路、河道、航道、公共场所的遗洒物、障碍物、污染物立即代履行（第五十二条）。"
    + lean("/api/enforcements/{record_id}"),
)
def enforcement_open(request: HttpRequest, case_id: int, body: OpenIn) -> Any:
    user = _user(request)
    case = get_case_for_user(user, case_id)
    with watch() as done:
        record = services.enforcement_open(
            case_id=case.pk,
            actor=user,
            party=body.party,
            decision=body.decision,
            data=act_data(body),
        )
    return Status(201, _answer(record, done))


def _answer(record: Any, done: Done) -> dict[str, Any]:
    """What the action did to the record, not the record re-read whole."""
    return record_step_answer(
        case_id=record.case_id,
        record="enforcement",
        record_id=record.pk,
        step=record.step,
        step_name="已结束" if record.step == END else ENFORCEMENT.step(record.step).name,
        status=record.outcome,
        done=done,
    )


class DeferralIn(Schema):
    party: int = Field(ge=0, le=1000, description="当事人序号")
    schedule: list[StageIn] = Field(min_length=1, max_length=60, description="各期缴纳期限和金额")
    reason: Text = Field(description="当事人确有经济困难的情况")


class DeferralOut(Schema):
    id: int
    approved_on: dt.date
    ends_on: dt.date


@cases_router.post(
    "/{case_id}/deferrals",
    response={201: DeferralOut, 404: ErrorOut, 422: ErrorOut},
    summary="批准延期（分期）缴纳罚款",
    description="当事人确有经济困难的，经分管局长批准可以暂缓或者分期缴纳（《行政处罚法》第六十六条"
    "第二款）；各期金额合计等于罚款，期限晚于原缴款期限。加处罚款自各期期限届满次日起计算，"
    "申请法院强制执行的期限自最后一期届满起计算（第七十二条第二款）。",
)
def deferral_approve(request: HttpRequest, case_id: int, body: DeferralIn) -> Any:
    user = _user(request)
    case = get_case_for_user(user, case_id)
    deferral = services.deferral_approve(
        case_id=case.pk,
        actor=user,
        party=body.party,
        schedule=[row.model_dump() for row in body.schedule],
        reason=body.reason,
    )
    return Status(201, deferral)


class InstalmentPaidIn(Schema):
    party: int = Field(ge=0, le=1000, description="当事人序号")
    instalment: int = Field(ge=1, le=60, description="第几期（从1起）")
    paid_on: Day = Field(description="缴款日期")
    amount: Money | None = Field(
        None,
        description="缴款金额（元，可不填）：大于零，不少于该期金额，不超过该期金额及至缴款之日的"
        "加处罚款",
    )


@cases_router.post(
    "/{case_id}/deferrals/instalments",
    response={200: DeferralOut, 404: ErrorOut, 422: ErrorOut},
    summary="登记分期缴款",
    description="承办人登记当事人按期缴纳的一期罚款。某一期逾期未缴纳的，自该期期限届满次日起"
    "列入强制执行待办，可以催告（《行政处罚法》第六十六条第二款），该期的加处罚款自其期限届满次日起"
    "计算（第七十二条）。",
)
def instalment_paid(request: HttpRequest, case_id: int, body: InstalmentPaidIn) -> Any:
    user = _user(request)
    case = get_case_for_user(user, case_id)
    return services.instalment_paid(
        case_id=case.pk,
        actor=user,
        party=body.party,
        instalment=body.instalment,
        paid_on=body.paid_on,
        amount=body.amount,
    )


@router.get(
    "/inbox",
    response={200: InboxOut},
    summary="强制执行待办：逾期未缴纳的决定和待本角色办理的环节",
)
def enforcement_inbox(request: HttpRequest, role: Role | None = None) -> Any:
    user = _user(request)
    unpaid = [
        {
            "case_id": d.case_id,
            "decision_no": d.number,
            "party": d.party.name,
            "party_index": d.party.index,
            "payment_due": d.payment_due,
        }
        for d in selectors.unpaid_overdue(user)[:200]
    ]
    roles = [role] if role else [r for r in Role if user.has_role(r)]
    waiting = [
        selectors.record_row(r) for want in roles for r in selectors.waiting_for(user, want)[:200]
    ]
    return {"unpaid": unpaid, "waiting": waiting}


@router.get("/{record_id}", response={200: EnforcementOut, 404: ErrorOut}, summary="一项强制执行")
def enforcement_get(request: HttpRequest, record_id: int) -> Any:
    return selectors.record_row(selectors.enforcement_for_user(_user(request), record_id))


@router.post(
    "/{record_id}/act",
    response={200: RecordStepOut, 404: ErrorOut, 422: ErrorOut},
    summary="办理当前环节",
    description="按当前环节可选的决定（actions）办理；各环节的条件引用《行政强制法》条文。"
    + lean("/api/enforcements/{record_id}"),
)
def enforcement_act(request: HttpRequest, record_id: int, body: ActIn) -> Any:
    user = _user(request)
    record = selectors.enforcement_for_user(user, record_id)
    with watch() as done:
        record = services.enforcement_act(
            record_id=record.pk, actor=user, decision=body.decision, data=act_data(body)
        )
    return _answer(record, done)
