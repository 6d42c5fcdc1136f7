"""Request and response schemas of 行政强制措施 (API and the case page's forms)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from cases.payloads import Day, OneOf, described
from law.limits import SEIZURE_EXTENSION
from procedure.coercion import APPRAISALS, DISPOSALS, LIFT_GROUNDS

MeasureKind = Literal["seal_up", "seize", "freeze"]


class ItemIn(Schema):
    name: str = Field("", max_length=100, description="名称（查封、扣押）")
    quantity: str = Field("", max_length=40, description="数量及单位（查封、扣押）")
    description: str = Field("", max_length=500, description="规格、状况等（查封、扣押）")
    bank: str = Field("", max_length=100, description="开户银行（冻结）")
    account: str = Field("", max_length=40, description="账号（冻结）")
    amount: str = Field("", max_length=20, description="冻结金额（元，冻结）")


class OnSiteIn(Schema):
    """行政强制法第十八条、第二十四条: what was done on the spot."""

    officers: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(
        min_length=1, max_length=10, description="实施的执法人员（用户ID），须两名以上持证人员"
    )
    certificate_shown: bool = Field(False, description="已出示执法身份证件（第三项）")
    party_present: bool = Field(False, description="当事人到场")
    party_notified: bool = Field(False, description="已通知当事人到场（第四项）")
    told: bool = Field(False, description="已告知理由、依据、权利和救济途径（第五项）")
    statements_heard: bool = Field(False, description="已听取陈述和申辩（第六项）")
    record_made: bool = Field(False, description="已制作现场笔录（第七项）")
    party_signed: bool = Field(False, description="当事人已在笔录上签名或盖章（第八项）")
    refusal_note: str = Field("", max_length=200, description="当事人拒绝签名的注明（第八项）")
    witness: str = Field("", max_length=100, description="当事人不到场时的见证人（第九项）")
    decision_delivered: bool = Field(
        False, description="已当场交付查封、扣押决定书和清单（第二十四条）；冻结：已交付冻结通知书"
    )


class MeasureProposeIn(Schema):
    type: MeasureKind = Field(description="seal_up 查封 | seize 扣押 | freeze 冻结存款、汇款")
    items: list[ItemIn] = Field(
        min_length=1, max_length=200, description="清单；冻结填开户银行、账号和金额"
    )
    reason: str = Field(min_length=1, max_length=2000, description="采取措施的理由")
    basis: str = Field(min_length=1, max_length=500, description="法律依据")


class MeasureEmergencyIn(MeasureProposeIn, OnSiteIn):
    emergency_reason: str = Field(
        min_length=1, max_length=1000, description="情况紧急、需要当场实施的理由（第十九条）"
    )


class MeasureDecideIn(Schema):
    decision: Literal["approve", "reject"] = Field(description="approve 批准 | reject 不予批准")
    opinion: str = Field("", max_length=1000, description="批准意见（批准时必填）")
    reason: str = Field("", max_length=1000, description="不予批准的理由（不批准时必填）")
    notice_in_writing: bool = Field(
        False, description="延长：已书面告知当事人并说明理由（第二十五条第二款）"
    )


class MeasureWithdrawIn(Schema):
    reason: str = Field(min_length=1, max_length=1000, description="不再实施的理由")


class MeasureExtendIn(Schema):
    days: int = Field(
        ge=1,
        le=SEIZURE_EXTENSION.amount,
        description=f"延长日数（至多{SEIZURE_EXTENSION.duration_label}）",
    )
    reason: str = Field(min_length=1, max_length=1000, description="情况复杂需要延长的理由")


class MeasureLiftIn(Schema):
    ground: Annotated[str, OneOf(LIFT_GROUNDS)] = Field(
        description=f"解除情形（第二十八条、第三十三条）：{described(LIFT_GROUNDS)}"
    )
    reason: str = Field(min_length=1, max_length=1000, description="解除理由")


class MeasureHandleIn(Schema):
    disposal: Annotated[str, OneOf(DISPOSALS)] = Field(
        description=f"处理方式（第二十七条）：{described(DISPOSALS)}"
    )
    decision_no: str = Field(min_length=1, max_length=60, description="处理决定书文号")
    reason: str = Field("", max_length=1000, description="说明")


class MeasureAppraiseIn(Schema):
    kind: Annotated[str, OneOf(APPRAISALS)] = Field(description=described(APPRAISALS))
    until: Day = Field(description="预计完成日期（期间应当明确，第二十五条第三款）")
    notice_in_writing: bool = Field(False, description="已书面告知当事人检测鉴定期间")


class MeasureAppraisedIn(Schema):
    result: str = Field(min_length=1, max_length=1000, description="检测鉴定结论")


class MeasureOut(Schema):
    id: int
    type: str
    type_label: str
    step: str = Field(description="当前环节；end 已结束；空为导入记录")
    step_label: str
    on_platform: bool
    outcome: str
    emergency: bool
    items: list[dict[str, str]]
    reason: str
    basis: str
    proposed_by: str
    approved_by: str
    officers: list[str]
    on: dt.date | None = Field(description="实施日期（统计按此计数）")
    report_due_at: dt.datetime | None = Field(description="紧急措施补办批准期限（24小时）")
    due_on: dt.date | None = Field(description="期限届满日（含延长）")
    extended_until: dt.date | None
    appraisals: list[dict[str, Any]] = Field(
        description="检测、检验、检疫或者技术鉴定：kind, started_on, until, ended_on, "
        "days（不计入期限的日数）"
    )
    lifted_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str
    actions: list[str] = Field(description="当前用户可作的决定")
