"""The step payload contract: what each step of a case accepts, as plain pydantic models.

The web forms, the HTTP API and the `case` command validate a step's data by the same model
before the runner sees it; the API documents them in its OpenAPI. Plain pydantic (no ninja) so
the core does not depend on a face.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

from law.penalties import PartyKind, PenaltyType
from procedure.vocab import (
    SELF_ENFORCEMENT_TYPES,
    Circumstance,
    DecisionOutcome,
    DeliveryMethod,
    ExecutionKind,
    ProposalOutcome,
    RecordKind,
    ResponseKind,
    SimpleExecuteKind,
)


class ErrorOut(BaseModel):
    """A refusal: every reason, in Chinese (the runner's `Refused`). The answer of every
    endpoint that refuses, the core's and the modules' alike."""

    errors: list[str] = Field(description="拒绝的全部理由（中文）")


class OneOf:
    """A field taking one of a value list's stored values: validated and documented exactly as
    a spelled-out Literal would be (inline enum, literal_error), from the list in
    procedure.vocab, and read back as the plain string."""

    def __init__(self, values: Iterable[str]) -> None:
        self.values = [str(v) for v in values]

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.literal_schema(self.values)


def _described(values: Iterable[Any]) -> str:
    """value label | value label …, for a field's description."""
    return " | ".join(f"{v} {v.label}" for v in values)


def described(labels: Mapping[str, str]) -> str:
    """code label | code label …, for a field whose list is a step table's {code: label}."""
    return " | ".join(f"{code} {label}" for code, label in labels.items())


PenaltyCode = Annotated[str, OneOf(PenaltyType)]


class PartyIn(BaseModel):
    kind: PartyKind = Field(description="person 公民 | organisation 法人 | other 其他组织")
    name: str = Field(min_length=1, max_length=200, description="姓名或名称")
    id_number: str = Field("", max_length=18, description="身份证号码或统一社会信用代码（校验位）")
    address: str = Field("", max_length=200, description="住址（决定书必备，第五十九条）")
    phone: str = Field("", max_length=20)
    legal_rep: str = Field("", max_length=50, description="法定代表人")


class LeadIn(BaseModel):
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


class ApprovalIn(BaseModel):
    decision: str = Field(description="本环节的决定，见接口说明")
    opinion: str = Field("", max_length=5000, description="审核（审批）意见")
    reason: str = Field("", max_length=5000, description="不予立案、移送、撤销立案等的理由")


class SubmitIn(BaseModel):
    decision: Literal["submit"] = "submit"


class FilingRequestIn(SubmitIn):
    matter_code: str = Field(description="权责事项编码")
    co_handler: str = Field(description="协办人用户名（执法人员不得少于两人）")
    summary: str = Field("", max_length=5000, description="立案依据及简要案情")
    complex: bool = Field(False, description="是否重大复杂案件（须集体讨论）")
    harmful_consequences: bool = Field(
        False,
        description="违法行为是否造成危害后果（涉及公民生命健康安全、金融安全且有危害后果的，"
        "追责时效为五年，《行政处罚法》第三十六条）",
    )
    act_on: dt.date | None = Field(None, description="违法行为发生日期（登记案源时未填的）")
    act_ended_on: dt.date | None = Field(None, description="连续或继续状态的违法行为终了日期")


class RecordIn(BaseModel):
    kind: Annotated[str, OneOf(RecordKind)] = Field(
        description=" | ".join(k.label for k in RecordKind)
    )
    title: str = Field(min_length=1, max_length=200)
    place: str = Field("", max_length=200)
    held_at: dt.datetime | None = None
    officers: list[int] = Field(description="在场执法人员的用户ID（承办人、协办人）")
    content: str = Field("", max_length=20000)


class InvestigationIn(SubmitIn):
    records: list[RecordIn] = Field(description="询问笔录、现场检查（勘验）笔录")


class PenaltyIn(BaseModel):
    type: PenaltyCode
    amount: Decimal | None = Field(None, max_digits=14, decimal_places=2, description="元")


class ProposalIn(BaseModel):
    party: int = Field(description="当事人序号（从0开始）")
    outcome: Annotated[str, OneOf(ProposalOutcome)]
    penalties: list[PenaltyIn] = []
    circumstance: Annotated[str, OneOf(Circumstance)] = Circumstance.NONE.value
    reason: str = Field("", max_length=5000, description="裁量理由")


class ReportIn(SubmitIn):
    facts: str = Field(max_length=20000, description="调查认定的违法事实")
    basis: str = Field("", max_length=5000, description="法律依据")
    proposals: list[ProposalIn]


class CollectiveDiscussionIn(BaseModel):
    held_on: dt.date
    participants: list[str] = Field(min_length=1)
    conclusion: str = Field(min_length=1, max_length=5000)


class PenaltyApproveIn(ApprovalIn):
    collective_discussion: CollectiveDiscussionIn | None = None


class NoticeIn(SubmitIn):
    served_on: dt.date | None = Field(None, description="告知书送达当事人之日（默认今天）")


class HearingIn(BaseModel):
    requested_on: dt.date
    notified_on: dt.date = Field(description="听证通知送达日期（应在举行七日前）")
    held_on: dt.date
    place: str = Field("", max_length=200, description="听证地点")
    chair: int | None = Field(None, description="主持人用户ID（非本案调查人员）")
    record: str = Field("", max_length=20000, description="听证笔录要点")


class ResponseIn(BaseModel):
    party: int
    kind: Annotated[str, OneOf(ResponseKind)] = Field(description=_described(ResponseKind))
    statement: str = Field("", max_length=20000)
    hearing: HearingIn | None = None


class NoticeResponseIn(SubmitIn):
    responses: list[ResponseIn]


class DecisionApproveIn(ApprovalIn):
    extension_reason: str = Field("", max_length=5000, description="超过九十日的延期理由及依据")


class DecisionIn(BaseModel):
    party: int
    outcome: Annotated[str, OneOf(DecisionOutcome)]
    penalties: list[PenaltyIn] = []
    facts: str = Field("", max_length=20000, description="违法事实和证据")
    basis: str = Field("", max_length=5000, description="处罚种类和依据")
    performance: str = Field("", max_length=2000, description="履行方式和期限")
    reason: str = Field("", max_length=5000)


class DecisionIssueIn(SubmitIn):
    decisions: list[DecisionIn]


class DeliveryIn(BaseModel):
    party: int
    method: Annotated[str, OneOf(DeliveryMethod)]
    delivered_on: dt.date
    consent: bool = Field(False, description="电子送达须当事人同意")
    witness: str = Field("", max_length=100, description="留置送达见证人")
    receiver: str = Field("", max_length=100)


class DeliveriesIn(SubmitIn):
    deliveries: list[DeliveryIn]


class ExecutionIn(BaseModel):
    party: int
    kind: Annotated[str, OneOf(ExecutionKind)]
    paid_on: dt.date | None = None
    amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    applied_on: dt.date | None = None
    excluded_days: int = Field(0, ge=0, description="复议、诉讼期间不计加处罚款的天数")
    enforcement_type: Annotated[str, OneOf(SELF_ENFORCEMENT_TYPES)] | None = Field(
        None, description="行政机关自行强制执行的方式（行政强制法第十二条）"
    )


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
    kind: Annotated[str, OneOf(SimpleExecuteKind)]
    amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    receipt_no: str = Field("", max_length=50)
    paid_on: dt.date | None = None
    hard_to_collect_later: bool = False
    remote_area: bool = False


# One payload model per step: the API's step endpoints, the web's step forms and the CLI.
STEP_SCHEMAS: dict[str, type[BaseModel]] = {
    "lead_approve": ApprovalIn,
    "filing_request": FilingRequestIn,
    "filing_review": ApprovalIn,
    "filing_approve": ApprovalIn,
    "investigation": InvestigationIn,
    "investigation_report": ReportIn,
    "investigation_review": ApprovalIn,
    "legal_review": ApprovalIn,
    "penalty_approve": PenaltyApproveIn,
    "notice_issue": NoticeIn,
    "notice_response": NoticeResponseIn,
    "notice_review": ApprovalIn,
    "decision_approve": DecisionApproveIn,
    "decision_issue": DecisionIssueIn,
    "delivery": DeliveriesIn,
    "execution": ExecutionsIn,
    "closing_approve": ApprovalIn,
    "simple_decide": SimpleDecideIn,
    "simple_execute": SimpleExecuteIn,
    "simple_record": ApprovalIn,
}
