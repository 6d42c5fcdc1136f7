"""The step payload contract: what each step of a case accepts, as plain pydantic models.

The web forms, the HTTP API and the `case` command validate a step's data by the same model
before the runner sees it; the API documents them in its OpenAPI. Plain pydantic (no ninja) so
the core does not depend on a face.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, GetCoreSchemaHandler
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

# The days an input may name: wide enough for any act the law can still reach, narrow enough that a
# typo (9999-12-31) or a number read as a timestamp ("act_on": 0) is refused rather than stored.
DAY_MIN = dt.date(1949, 10, 1)
DAY_MAX = dt.date(2099, 12, 31)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


BAD_DAY = "日期格式无效，应为年-月-日"


def _iso_day(value: Any) -> Any:
    """A day as the API documents it: a YYYY-MM-DD string (or a date), within DAY_MIN–DAY_MAX.
    pydantic alone would take 0 as 1970-01-01 and a datetime's day silently."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"{BAD_DAY}（不含时间）")
    if isinstance(value, str):
        if not _ISO_DAY.fullmatch(value):
            raise ValueError(BAD_DAY)
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{BAD_DAY}：“{value}”这一天不存在") from None
    if not isinstance(value, dt.date):
        raise ValueError(BAD_DAY)
    if not DAY_MIN <= value <= DAY_MAX:
        raise ValueError(f"日期应在{DAY_MIN.isoformat()}至{DAY_MAX.isoformat()}之间")
    return value


Day = Annotated[dt.date, BeforeValidator(_iso_day)]


def error_message(err: Mapping[str, Any]) -> str:
    """A pydantic validation error in Chinese, as every face shows it (the web forms beside
    their field, the API by field): our own validators' reasons as they are, pydantic's by
    type."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error") or err.get("msg", "")).removeprefix("Value error, ")
    messages = {
        "missing": "此项必填",
        "string_too_short": "此项不能为空",
        "string_too_long": f"不能超过{ctx.get('max_length')}个字",
        "string_type": "应为文本",
        "too_short": f"至少填写{ctx.get('min_length')}项",
        "too_long": f"最多填写{ctx.get('max_length')}项",
        "literal_error": f"请从列表中选择：{ctx.get('expected')}",
        "enum": f"请从列表中选择：{ctx.get('expected')}",
        "date_parsing": BAD_DAY,
        "date_from_datetime_parsing": BAD_DAY,
        "date_from_datetime_inexact": BAD_DAY,
        "date_type": BAD_DAY,
        "datetime_parsing": "时间格式无效，应如 2026-12-02T09:30:00+08:00",
        "datetime_from_date_parsing": "时间格式无效，应如 2026-12-02T09:30:00+08:00",
        "datetime_type": "时间格式无效，应如 2026-12-02T09:30:00+08:00",
        "decimal_parsing": "金额应为数字",
        "decimal_type": "金额应为数字",
        "decimal_max_places": "金额最多保留两位小数",
        "decimal_max_digits": "金额位数过多",
        "decimal_whole_digits": "金额位数过多",
        "finite_number": "应为有限的数字",
        "float_parsing": "应为数字",
        "float_type": "应为数字",
        "int_parsing": "应为整数",
        "int_type": "应为整数",
        "int_from_float": "应为整数",
        "bool_parsing": "应为是或否",
        "bool_type": "应为是或否",
        "greater_than_equal": f"不能小于{ctx.get('ge')}",
        "greater_than": f"应大于{ctx.get('gt')}",
        "less_than_equal": f"不能大于{ctx.get('le')}",
        "less_than": f"应小于{ctx.get('lt')}",
        "list_type": "请至少填写一项",
        "dict_type": "请填写此部分",
        "model_type": "请填写此部分",
        "model_attributes_type": "请填写此部分",
        "json_invalid": "不是有效的JSON",
        "json_type": "不是有效的JSON",
        "extra_forbidden": "不是可接受的字段",
    }
    return messages.get(kind, "输入无效")


class BatchRefusedOut(BaseModel):
    id: int
    errors: list[str] = Field(description="该条被拒绝的全部理由（中文），该条未作改动")


class BatchOut(BaseModel):
    """A batch of a review queue: each record acted on in its own transaction (cases.batch)."""

    done: list[int] = Field(description="已办理的记录编号")
    refused: list[BatchRefusedOut] = Field(description="被拒绝的记录及理由")


# A row's id as a request names it: positive and within the databases' 64-bit integers (a
# larger one reached SQLite's driver, which cannot bind it, and answered 500).
RowId = Annotated[int, Field(gt=0, lt=2**63)]


class BatchIn(BaseModel):
    ids: list[RowId] = Field(
        min_length=1, max_length=100, description="记录编号（每次最多100条，重复的只办一次）"
    )


class ErrorOut(BaseModel):
    """A refusal: every reason, in Chinese (the runner's `Refused`). The answer of every
    endpoint that refuses, the core's and the modules' alike."""

    errors: list[str] = Field(description="拒绝的全部理由（中文）")
    fields: dict[str, list[str]] = Field(
        default_factory=dict,
        description="按字段的理由：键为字段（如 parties[0].id_number），值为该字段的全部理由",
    )


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
    discovered_on: Day = Field(description="发现日期")
    act_on: Day | None = Field(None, description="违法行为发生日期（追责时效起算）")
    act_ended_on: Day | None = Field(None, description="连续或继续状态的违法行为终了日期")
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
    act_on: Day | None = Field(None, description="违法行为发生日期（登记案源时未填的）")
    act_ended_on: Day | None = Field(None, description="连续或继续状态的违法行为终了日期")


class RecordIn(BaseModel):
    kind: Annotated[str, OneOf(RecordKind)] = Field(
        description=" | ".join(k.label for k in RecordKind)
    )
    title: str = Field(min_length=1, max_length=200)
    place: str = Field("", max_length=200)
    held_at: dt.datetime | None = None
    officers: list[RowId] = Field(description="在场执法人员的用户ID（承办人、协办人）")
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
    held_on: Day
    participants: list[str] = Field(min_length=1)
    conclusion: str = Field(min_length=1, max_length=5000)


class PenaltyApproveIn(ApprovalIn):
    collective_discussion: CollectiveDiscussionIn | None = None


class NoticeIn(SubmitIn):
    served_on: Day | None = Field(None, description="告知书送达当事人之日（默认今天）")


class HearingIn(BaseModel):
    requested_on: Day
    notified_on: Day = Field(description="听证通知送达日期（应在举行七日前）")
    held_on: Day
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
    delivered_on: Day
    consent: bool = Field(False, description="电子送达须当事人同意")
    witness: str = Field("", max_length=100, description="留置送达见证人")
    receiver: str = Field("", max_length=100)


class DeliveriesIn(SubmitIn):
    deliveries: list[DeliveryIn]


class ExecutionIn(BaseModel):
    party: int
    kind: Annotated[str, OneOf(ExecutionKind)]
    paid_on: Day | None = None
    amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    applied_on: Day | None = None
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
    paid_on: Day | None = None
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
