"""Request and response schemas of the HTTP API; every field documented in Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from law import reviews

PartyKind = Literal["person", "organisation", "other"]
PenaltyCode = Literal[
    "warning",
    "criticism",
    "fine",
    "confiscate_gains",
    "confiscate_property",
    "suspend_permit",
    "lower_qualification",
    "revoke_permit",
    "restrict_business",
    "suspend_business",
    "close",
    "restrict_practice",
    "detention",
    "other",
]


class ErrorOut(Schema):
    errors: list[str] = Field(description="拒绝的全部理由（中文）")


class TokenIn(Schema):
    username: str
    password: str


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


class PartyIn(Schema):
    kind: PartyKind = Field(description="person 公民 | organisation 法人 | other 其他组织")
    name: str = Field(min_length=1, max_length=200, description="姓名或名称")
    id_number: str = Field("", max_length=18, description="身份证号码或统一社会信用代码（校验位）")
    address: str = Field("", max_length=200, description="住址（决定书必备，第五十九条）")
    phone: str = Field("", max_length=20)
    legal_rep: str = Field("", max_length=50, description="法定代表人")


class LeadIn(Schema):
    procedure: Literal["general", "simple"] = Field(
        "general", description="general 一般程序（案源登记）| simple 简易程序（当场处罚）"
    )
    source: Literal[
        "patrol", "complaint", "assigned", "referred", "monitoring", "random_inspection", "other"
    ] = Field(description="案件来源")
    clue: str = Field(min_length=1, max_length=5000, description="案源线索")
    discovered_on: dt.date = Field(description="发现日期")
    act_on: dt.date | None = Field(None, description="违法行为发生日期（追责时效起算）")
    act_ended_on: dt.date | None = Field(None, description="连续或继续状态的违法行为终了日期")
    place: str = Field("", max_length=200)
    matter_code: str | None = Field(None, description="权责事项编码（简易程序必填）")
    parties: list[PartyIn] = Field(min_length=1)

    def service_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of cases.services.steps.case_register (dates typed, parties
        plain)."""
        return {
            "procedure": self.procedure,
            "source": self.source,
            "clue": self.clue,
            "discovered_on": self.discovered_on,
            "act_on": self.act_on,
            "act_ended_on": self.act_ended_on,
            "place": self.place,
            "matter_code": self.matter_code,
            "parties": [p.model_dump(mode="json") for p in self.parties],
        }


class ApprovalIn(Schema):
    decision: str = Field(description="本环节的决定，见接口说明")
    opinion: str = Field("", max_length=5000, description="审核（审批）意见")
    reason: str = Field("", max_length=5000, description="不予立案、移送、撤销立案等的理由")


class SubmitIn(Schema):
    decision: Literal["submit"] = "submit"


class FilingRequestIn(SubmitIn):
    matter_code: str = Field(description="权责事项编码")
    co_handler: str = Field(description="协办人用户名（执法人员不得少于两人）")
    summary: str = Field("", max_length=5000, description="立案依据及简要案情")
    complex: bool = Field(False, description="是否重大复杂案件（须集体讨论）")
    act_on: dt.date | None = Field(None, description="违法行为发生日期（登记案源时未填的）")
    act_ended_on: dt.date | None = Field(None, description="连续或继续状态的违法行为终了日期")


class RecordIn(Schema):
    kind: Literal["inquiry", "inspection"] = Field(description="询问笔录 | 现场检查（勘验）笔录")
    title: str = Field(min_length=1, max_length=200)
    place: str = Field("", max_length=200)
    held_at: dt.datetime | None = None
    officers: list[int] = Field(description="在场执法人员的用户ID（承办人、协办人）")
    content: str = Field("", max_length=20000)


class InvestigationIn(SubmitIn):
    records: list[RecordIn] = Field(description="询问笔录、现场检查（勘验）笔录")


class PenaltyIn(Schema):
    type: PenaltyCode
    amount: Decimal | None = Field(None, max_digits=14, decimal_places=2, description="元")


class ProposalIn(Schema):
    party: int = Field(description="当事人序号（从0开始）")
    outcome: Literal["penalty", "no_penalty", "no_penalty_facts", "transfer"]
    penalties: list[PenaltyIn] = []
    circumstance: Literal["ordinary", "lighter", "mitigated", "heavier"] = "ordinary"
    reason: str = Field("", max_length=5000, description="裁量理由")


class ReportIn(SubmitIn):
    facts: str = Field(max_length=20000, description="调查认定的违法事实")
    basis: str = Field("", max_length=5000, description="法律依据")
    proposals: list[ProposalIn]


class CollectiveDiscussionIn(Schema):
    held_on: dt.date
    participants: list[str] = Field(min_length=1)
    conclusion: str = Field(min_length=1, max_length=5000)


class PenaltyApproveIn(ApprovalIn):
    collective_discussion: CollectiveDiscussionIn | None = None


class NoticeIn(SubmitIn):
    served_on: dt.date | None = Field(None, description="告知书送达当事人之日（默认今天）")


class HearingIn(Schema):
    requested_on: dt.date
    notified_on: dt.date = Field(description="听证通知送达日期（应在举行七日前）")
    held_on: dt.date
    place: str = Field("", max_length=200, description="听证地点")
    chair: int | None = Field(None, description="主持人用户ID（非本案调查人员）")
    record: str = Field("", max_length=20000, description="听证笔录要点")


class ResponseIn(Schema):
    party: int
    kind: Literal["statement", "hearing", "waiver", "none"] = Field(
        description="statement 陈述申辩 | hearing 听证 | waiver 放弃 | none 逾期未答复"
    )
    statement: str = Field("", max_length=20000)
    hearing: HearingIn | None = None


class NoticeResponseIn(SubmitIn):
    responses: list[ResponseIn]


class DecisionApproveIn(ApprovalIn):
    extension_reason: str = Field("", max_length=5000, description="超过九十日的延期理由及依据")


class DecisionIn(Schema):
    party: int
    outcome: Literal["penalty", "no_penalty"]
    penalties: list[PenaltyIn] = []
    facts: str = Field("", max_length=20000, description="违法事实和证据")
    basis: str = Field("", max_length=5000, description="处罚种类和依据")
    performance: str = Field("", max_length=2000, description="履行方式和期限")
    reason: str = Field("", max_length=5000)


class DecisionIssueIn(SubmitIn):
    decisions: list[DecisionIn]


class DeliveryIn(Schema):
    party: int
    method: Literal["direct", "left", "post", "electronic", "public"]
    delivered_on: dt.date
    consent: bool = Field(False, description="电子送达须当事人同意")
    witness: str = Field("", max_length=100, description="留置送达见证人")
    receiver: str = Field("", max_length=100)


class DeliveriesIn(SubmitIn):
    deliveries: list[DeliveryIn]


class ExecutionIn(Schema):
    party: int
    kind: Literal["paid", "court", "coercion", "performed"]
    paid_on: dt.date | None = None
    amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    applied_on: dt.date | None = None
    excluded_days: int = Field(0, ge=0, description="复议、诉讼期间不计加处罚款的天数")
    enforcement_type: (
        Literal["transfer_funds", "auction", "restore", "substitute", "other"] | None
    ) = Field(None, description="行政机关自行强制执行的方式（行政强制法第十二条）")


class ExecutionsIn(SubmitIn):
    executions: list[ExecutionIn]


class SimpleDecideIn(SubmitIn):
    certificate_shown: bool = Field(description="已出示执法证件")
    facts: str = Field(max_length=5000)
    basis: str = Field(max_length=2000)
    place: str = Field(max_length=200)
    penalties: list[PenaltyIn]
    delivered_on_spot: bool = True
    refused: bool = Field(False, description="当事人拒绝签收（已注明）")
    performance: str = Field("", max_length=2000)


class SimpleExecuteIn(SubmitIn):
    kind: Literal["on_spot", "bank", "none"]
    amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    receipt_no: str = Field("", max_length=50)
    paid_on: dt.date | None = None
    hard_to_collect_later: bool = False
    remote_area: bool = False


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


ReviewKind = Literal["reconsideration", "litigation"]
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
    filed_on: dt.date = Field(description="申请行政复议（提起行政诉讼）日期")
    organ: str = Field(min_length=1, max_length=100, description="行政复议机关或人民法院名称")
    organ_case_no: str = Field("", max_length=60, description="复议机关（法院）案号")


class ReviewConcludeIn(Schema):
    party: int = Field(ge=0, description="当事人序号")
    kind: ReviewKind = Field(description="reconsideration 行政复议 | litigation 行政诉讼")
    ending: Literal[
        "upheld",
        "dismissed",
        "changed",
        "revoked",
        "unlawful",
        "perform",
        "void",
        "withdrawn",
        "not_accepted",
    ] = Field(description=_ENDINGS_DOC)
    decided_on: dt.date = Field(description="复议决定（裁判）或撤回、不予受理的日期")


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
    source: Literal["party", "self"] = Field(description="party 当事人申请 | self 执法人员自行回避")
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
    on: dt.date = Field(description="登记保存日期（不早于批准日期、不晚于今天）")


class PreservationDecideIn(Schema):
    disposition: Literal["release", "seize", "confiscate", "transfer"] = Field(
        description="release 解除并退还 | seize 依法查封扣押 | confiscate 依法没收（在处罚决定中）"
        " | transfer 移送有关机关"
    )
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
