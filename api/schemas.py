"""Request and response schemas of the HTTP API; every field documented in Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from cases.answers import EntryRefOut, LimitMoveOut
from cases.payloads import Day, OneOf, PenaltyIn, described
from law import reviews
from procedure.preservation import DISPOSITIONS
from procedure.recusal import SOURCES as RECUSAL_SOURCES


class TokenIn(Schema):
    username: str
    password: str
    otp_token: str = Field(
        "",
        description=(
            "动态口令（TOTP，验证器显示的6位数字）。执法监督员、分管局长和系统、安全、审计管理员"
            "必填，已绑定动态口令的其他用户也须填写；尚未绑定的须先在网页“两步验证”页绑定"
        ),
        max_length=8,
    )


class TokenOut(Schema):
    token: str = Field(description="在请求头 Authorization: Bearer <token> 中使用")
    expires_at: dt.datetime


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    unit_code: str | None
    unit_name: str | None
    roles: list[str]


class PartyOut(Schema):
    index: int
    kind: str
    name: str
    id_number: str
    address: str
    proposal: dict[str, object] | None
    notified: list[dict[str, object]] | None
    hearing_right: bool
    response: dict[str, object] | None


class RevealIn(Schema):
    reason: str = Field(
        default="",
        max_length=200,
        description="查看完整信息的事由（记入个人信息访问日志）；案件的承办人、协办人可不填，记为“承办”",
    )


class RevealOut(Schema):
    index: int
    name: str
    id_number: str
    phone: str


class DecisionOut(Schema):
    party: int
    number: str
    outcome: str
    decided_on: dt.date
    heaviest: str
    total_amount: Decimal
    penalties: list[PenaltyIn]
    delivered_on: dt.date | None
    payment_due: dt.date | None
    executed_on: dt.date | None


class DeadlineOut(Schema):
    code: str
    name: str
    citation: str
    party: int | None
    starts_on: dt.date
    due_on: dt.date
    status: str


class ActionOut(Schema):
    step: str
    name: str
    decisions: list[dict[str, str]]


class CaseSummaryOut(Schema):
    id: int
    unit: str
    lead_no: str
    case_no: str
    procedure: str
    step: str
    step_name: str
    status: str
    outcome: str
    parties: list[str]
    discovered_on: dt.date
    filed_on: dt.date | None
    closed_on: dt.date | None


class CaseOut(CaseSummaryOut):
    matter_code: str | None
    matter_name: str | None
    basis: str
    handler: str
    handler_id: int
    co_handler: str | None
    co_handler_id: int | None
    clue: str
    facts: str
    party_details: list[PartyOut]
    decisions: list[DecisionOut]
    deadlines: list[DeadlineOut]
    next_action: ActionOut | None
    suggestions: list[str] = Field(description="免罚轻罚清单等提示（不代替审核）")


class CasePageOut(Schema):
    count: int
    page: int
    items: list[CaseSummaryOut]


class StepOut(Schema):
    """一个环节办理后的应答：新的环节、本次变动的期限、全过程记录的序号和哈希。

    案件全貌请 GET /api/cases/{id}。"""

    case_id: int
    step: str
    step_name: str
    status: str
    decision: str
    result: dict[str, object] = Field(description="本环节产生的编号、日期等（与全过程记录一致）")
    limits: list[LimitMoveOut]
    entry: EntryRefOut


class EntryOut(Schema):
    seq: int
    at: dt.datetime
    actor_name: str
    role: str
    action: str
    payload: dict[str, object]
    hash: str


class RecordOut(Schema):
    verified: bool
    problems: list[str]
    entries: list[EntryOut]


class EvidenceOut(Schema):
    id: int
    kind: str
    title: str
    size: int
    sha256: str
    sm3: str


class MatterOut(Schema):
    code: str
    name: str
    domain: str
    basis: str
    penalty_types: list[str]
    legal_min: Decimal | None
    legal_max: Decimal | None
    bands: dict[str, object] | None
    lenient: dict[str, object] | None


ReviewKind = Annotated[str, OneOf(reviews.Kind)]
_ENDINGS_DOC = (
    "；".join(
        f"{reviews.KIND_LABELS[k]}："
        + "、".join(f"{e.code} {e.label}（{e.article}）" for e in reviews.endings_of(k))
        for k in reviews.Kind
    )
    + "。维持、驳回计为 upheld；撤销、变更、确认违法或无效、责令（判决）履行计为 corrected"
    "（纠错/败诉）；撤回、不予受理办结但无结果"
)


class ReviewFileIn(Schema):
    party: int = Field(ge=0, description="当事人序号（与决定的 party 相同）")
    kind: ReviewKind = Field(description="reconsideration 行政复议 | litigation 行政诉讼")
    filed_on: Day = Field(description="申请行政复议（提起行政诉讼）日期")
    organ: str = Field(min_length=1, max_length=100, description="行政复议机关或人民法院名称")
    organ_case_no: str = Field("", max_length=60, description="复议机关（法院）案号")


class ReviewConcludeIn(Schema):
    party: int = Field(ge=0, description="当事人序号")
    kind: ReviewKind = Field(description="reconsideration 行政复议 | litigation 行政诉讼")
    ending: Annotated[str, OneOf(dict.fromkeys(e.code for e in reviews.ENDINGS))] = Field(
        description=_ENDINGS_DOC
    )
    decided_on: Day = Field(description="复议决定（裁判）或撤回、不予受理的日期")


class ReviewOut(Schema):
    kind: str
    kind_label: str
    filed_on: dt.date
    organ: str
    organ_case_no: str
    filing_due: dt.date | None = Field(description="申请（起诉）期限届满日；无法核对时为空")
    late: bool = Field(description="超过申请（起诉）期限（只作提示，是否受理由复议机关或法院决定）")
    warnings: list[str]
    concluded: bool
    decided_on: dt.date | None
    result: str = Field(description="upheld 维持 | corrected 纠错/败诉 | 空：未办结或无结果办结")
    result_label: str
    ending: str
    ending_label: str
    basis: str


class DecisionReviewsOut(Schema):
    party: int
    party_name: str
    number: str
    decided_on: dt.date
    delivered_on: dt.date | None
    reviews: list[ReviewOut]


class RecusalIn(Schema):
    officer: str = Field(description="申请回避的执法人员（本案承办人或协办人）的用户名")
    source: Annotated[str, OneOf(RECUSAL_SOURCES)] = Field(description=described(RECUSAL_SOURCES))
    reason: str = Field(min_length=1, max_length=500, description="理由")


class RecusalDecideIn(Schema):
    granted: bool = Field(description="true 决定回避 | false 不予回避")
    reason: str = Field(min_length=1, max_length=500, description="决定理由")
    replacement: str = Field(
        "", max_length=150, description="决定回避时接替的本单位执法人员用户名；不予回避时留空"
    )


class RecusalOut(Schema):
    id: int
    officer: str
    officer_name: str
    source: str
    source_label: str
    reason: str
    requested_on: dt.date
    requested_by: str
    decided: bool
    granted: bool | None
    decision_reason: str
    decided_on: dt.date | None
    decided_by: str
    replacement: str
    replacement_name: str


class PreservationItem(Schema):
    name: str = Field(min_length=1, max_length=100, description="物品名称")
    quantity: str = Field(min_length=1, max_length=30, description="数量（含单位）")
    note: str = Field("", max_length=200, description="规格、特征等")


class PreservationIn(Schema):
    items: list[PreservationItem] = Field(min_length=1, description="先行登记保存的物品清单")
    reason: str = Field(
        min_length=1, max_length=500, description="证据可能灭失或者以后难以取得的情形"
    )


class PreservationApproveIn(Schema):
    approved: bool = Field(description="true 批准 | false 不予批准")
    opinion: str = Field(min_length=1, max_length=500, description="负责人审批意见")


class PreservationCarryOutIn(Schema):
    on: Day = Field(description="登记保存日期（不早于批准日期、不晚于今天）")


class PreservationDecideIn(Schema):
    disposition: Annotated[str, OneOf(DISPOSITIONS)] = Field(description=described(DISPOSITIONS))
    note: str = Field("", max_length=500, description="处理说明")


class PreservationOut(Schema):
    id: int
    status: str
    status_label: str
    items: list[dict[str, str]]
    reason: str
    requested_by: str
    requested_on: dt.date
    approved_by: str
    approved_on: dt.date | None
    approval_opinion: str
    carried_out_on: dt.date | None
    decision_due: dt.date | None
    disposition: str
    disposition_label: str
    disposition_note: str
    decided_on: dt.date | None
    late: bool
