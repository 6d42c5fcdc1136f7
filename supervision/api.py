"""执法监督 API: the dashboard figures, the five statistics forms and the supervision items.

All endpoints need a supervisor (执法监督员) token or session, except the items, which an officer
of the unit an item was sent to may also read and answer. Out of scope is 404.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from cases.models import Case
from cases.payloads import Day, ErrorOut
from cases.runner import FieldsRefused
from jobs.answers import run_answer
from jobs.downloads import run_file
from orgs.models import Unit, User
from supervision import matters, selectors, services
from supervision.review_api import router as review_router
from supervision.tables import FORMS
from zhifa import clock

router = Router(tags=["执法监督"])
router.add_router("/reviews", review_router)  # 案卷评查


class ItemOut(Schema):
    id: int
    unit: str
    case_id: int | None
    rule: str
    title: str
    statute: str
    detail: str
    status: str
    kind: str
    due_on: dt.date | None
    answer: str


class SendIn(Schema):
    kind: str
    due_on: Day | None = None
    note: str = ""


class AnswerIn(Schema):
    answer: str


class NoteIn(Schema):
    note: str = ""


class OfficerMeasureOut(Schema):
    id: int
    officer: str
    measure: str
    reason: str
    recommended_on: dt.date
    authority: str
    decision: str
    decided_on: dt.date | None


class SupervisionMatterOut(Schema):
    id: int
    unit: str
    case_id: int | None
    item_id: int | None
    review_case_id: int | None
    source: str
    channel: str
    listed: bool
    escalated: bool
    major: bool
    title: str
    facts: str
    status: str
    instrument: str
    number: str
    demand: str
    sent_on: dt.date | None
    reply_due_on: dt.date | None
    replied_on: dt.date | None
    reply: str
    evidence_sha256: str
    objection: str
    objection_ruling: str
    proposal: str
    decision_no: str
    decision_on: dt.date | None
    decision_content: str
    report_due_on: dt.date | None
    reported_on: dt.date | None
    publication: str
    published_on: dt.date | None
    due_on: dt.date | None = Field(description="正在计算（或最近计算）的期限届满日")
    late: bool = Field(description="是否逾期")
    measures: list[OfficerMeasureOut]


_SID = Annotated[int, Field(ge=1, le=2**53)]


class MatterOpenIn(Schema):
    source: str = Field("manual", description="irregularity/file_review/complaint/manual")
    title: str = Field(max_length=200)
    facts: str = Field(max_length=5000)
    unit: str | None = Field(None, max_length=40, description="被监督单位代码")
    case_id: _SID | None = None
    item_id: _SID | None = None
    review_case_id: _SID | None = None
    channel: str = Field("", max_length=10, description="12345 或 business（重点监督线索）")
    listed: bool = Field(False, description="挂牌督办")
    escalated: bool = Field(False, description="提级监督")
    major: bool = Field(False, description="重大事项")


class MatterSendIn(Schema):
    instrument: str = Field(description="urge 督办函 / opinion 意见书")
    demand: str = Field(max_length=5000)
    number: str = Field("", max_length=60)


class MatterAnswerIn(Schema):
    reply: str = Field(max_length=5000)
    evidence_base64: str = Field("", max_length=20_000_000)
    evidence_name: str = Field("", max_length=120)


class MatterReasonIn(Schema):
    reason: str = Field(max_length=5000)


class MatterRulingIn(Schema):
    accept: bool
    ruling: str = Field(max_length=5000)


class MatterNoteIn(Schema):
    note: str = Field("", max_length=5000)


class MatterProposalIn(Schema):
    proposal: str = Field(max_length=5000)


class MatterDecisionIn(Schema):
    decided_on: Day
    number: str = Field(max_length=60)
    content: str = Field(max_length=5000)


class MatterReportIn(Schema):
    report: str = Field(max_length=5000)


class MatterPublishIn(Schema):
    kind: str = Field(description="circulate 通报 / publish 向社会公开")
    text: str = Field(max_length=5000)


class MeasureIn(Schema):
    officer: str = Field(max_length=150, description="执法人员账号")
    measure: str = Field(description="criticism/retraining/reassignment/disqualification")
    reason: str = Field(max_length=5000)


class MeasureDecisionIn(Schema):
    authority: str = Field(max_length=100)
    decision: str = Field(max_length=5000)
    decided_on: Day


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _root(request: HttpRequest, unit: str | None = None) -> Unit:
    root = selectors.supervisor_root(_user(request))
    if root is None:
        raise Http404("不存在")
    if unit:
        picked = (
            Unit.objects.select_related("region")
            .filter(code=unit, path__startswith=root.path)
            .first()
        )
        if picked is None:
            raise Http404("单位不存在")
        return picked
    return root


def _period(year: int | None, start: dt.date | None, end: dt.date | None) -> selectors.Period:
    if start and end and start <= end:
        return selectors.Period(start, end)
    return selectors.Period.year(year or clock.today().year)


def _item(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "unit": item.unit.code,
        "case_id": item.case_id,
        "rule": item.rule,
        "title": item.title,
        "statute": item.statute,
        "detail": item.detail,
        "status": item.status,
        "kind": item.kind,
        "due_on": item.due_on,
        "answer": item.answer,
    }


@router.get(
    "/dashboard",
    summary="监督总览：各单位立案、结案、办理中、结案率、期限预警、监督事项；强制执行"
    "（enforcement：逾期未履行按天数、申请法院强制执行期限即将届满、本期执行完毕按途径）",
)
def dashboard(
    request: HttpRequest,
    year: Annotated[int, Field(ge=2000, le=2099, description="统计年度")] | None = None,
    start: Day | None = None,
    end: Day | None = None,
) -> dict[str, Any]:
    root = _root(request)
    data = selectors.dashboard(root, _period(year, start, end))
    return {
        "unit": root.code,
        "rows": [
            {
                "unit": r["unit"].code,
                "name": r["unit"].name,
                **{k: r[k] for k in (*selectors.DRILL_KINDS, "rate")},
            }
            for r in data["rows"]
        ],
        "totals": data["totals"],
        "limits": data["limits"],
        "irregularities": data["by_rule"],
        "enforcement": data["enforcement"],
    }


@router.get(
    "/forms/{form}",
    summary="统计报表（permit 行政许可、penalty 行政处罚、coercion 行政强制、levy 行政征收征用、"
    "inspection 行政检查）；万元金额为精确小数字符串",
)
def form(
    request: HttpRequest,
    form: str,
    year: Annotated[int, Field(ge=2000, le=2099, description="统计年度")] | None = None,
    start: Day | None = None,
    end: Day | None = None,
    unit: str | None = None,
) -> dict[str, Any]:
    if form not in FORMS:
        raise Http404("报表不存在")
    table = selectors.form_table(form, root=_root(request, unit), period=_period(year, start, end))
    return selectors.table_json(table)


@router.get(
    "/items", response=list[ItemOut], summary="监督事项（监督员：辖区；执法单位：本单位已下发的）"
)
def items(request: HttpRequest, status: str | None = None) -> list[dict[str, Any]]:
    qs = selectors.items_for_user(_user(request)).order_by("-created_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    return [_item(i) for i in qs[:500]]


@router.post("/items/{item_id}/send", response=ItemOut, summary="下发（通报/督办），或退回重新整改")
def item_send(request: HttpRequest, item_id: int, body: SendIn) -> dict[str, Any]:
    item = selectors.get_item_for_user(_user(request), item_id)
    return _item(
        services.item_send(
            actor=_user(request),
            item_id=item.pk,
            kind=body.kind,
            due_on=body.due_on,
            note=body.note,
        )
    )


@router.post("/items/{item_id}/answer", response=ItemOut, summary="被监督单位答复整改情况")
def item_answer(request: HttpRequest, item_id: int, body: AnswerIn) -> dict[str, Any]:
    item = selectors.get_item_for_user(_user(request), item_id)
    return _item(services.item_answer(actor=_user(request), item_id=item.pk, answer=body.answer))


@router.post("/items/{item_id}/close", response=ItemOut, summary="办结")
def item_close(request: HttpRequest, item_id: int, body: NoteIn) -> dict[str, Any]:
    item = selectors.get_item_for_user(_user(request), item_id)
    return _item(services.item_close(actor=_user(request), item_id=item.pk, note=body.note))


# --- 执法监督事项 (行政执法监督条例 2026) ------------------------------------------------------

MATTER_ANSWERS: dict[int, Any] = {200: SupervisionMatterOut, 404: ErrorOut, 422: ErrorOut}
Id = Annotated[int, Field(ge=1, le=2**53)]


def _matter(m: Any) -> dict[str, Any]:
    due, late = selectors.matter_due(m, clock.today())
    return {
        "id": m.pk,
        "unit": m.unit.code,
        "case_id": m.case_id,
        "item_id": m.item_id,
        "review_case_id": m.review_case_id,
        "source": m.source,
        "channel": m.channel,
        "listed": m.listed,
        "escalated": m.escalated,
        "major": m.major,
        "title": m.title,
        "facts": m.facts,
        "status": m.status,
        "instrument": m.instrument,
        "number": m.number,
        "demand": m.demand,
        "sent_on": m.sent_on,
        "reply_due_on": m.reply_due_on,
        "replied_on": m.replied_on,
        "reply": m.reply,
        "evidence_sha256": m.evidence_sha256,
        "objection": m.objection,
        "objection_ruling": m.objection_ruling,
        "proposal": m.proposal,
        "decision_no": m.decision_no,
        "decision_on": m.decision_on,
        "decision_content": m.decision_content,
        "report_due_on": m.report_due_on,
        "reported_on": m.reported_on,
        "publication": m.publication,
        "published_on": m.published_on,
        "due_on": due,
        "late": late,
        "measures": [
            {
                "id": r.pk,
                "officer": r.officer.username,
                "measure": r.measure,
                "reason": r.reason,
                "recommended_on": r.recommended_on,
                "authority": r.authority,
                "decision": r.decision,
                "decided_on": r.decided_on,
            }
            for r in m.measures.select_related("officer").order_by("pk")
        ],
    }


def _fresh(request: HttpRequest, matter_id: int) -> dict[str, Any]:
    return _matter(selectors.get_matter_for_user(_user(request), matter_id))


@router.get(
    "/matters",
    response=list[SupervisionMatterOut],
    summary="执法监督事项（监督员：辖区；执法单位：本单位已发函的）",
)
def matter_list(request: HttpRequest, status: str | None = None) -> list[dict[str, Any]]:
    qs = selectors.matters_for_user(_user(request)).order_by("-opened_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    return [_matter(m) for m in qs[:500]]


@router.post(
    "/matters",
    response={201: SupervisionMatterOut, 404: ErrorOut, 422: ErrorOut},
    summary="立执法监督事项（来自监督规则、案卷评查、投诉线索或监督员发现）",
)
def matter_open(request: HttpRequest, body: MatterOpenIn) -> Any:
    user = _user(request)
    if selectors.supervisor_root(user) is None:
        raise Http404("不存在")
    unit = Unit.objects.filter(code=body.unit).first() if body.unit else None
    case = Case.objects.filter(pk=body.case_id).first() if body.case_id else None
    fields: dict[str, list[str]] = {}
    if body.unit and unit is None:
        fields["unit"] = ["单位不存在"]
    if body.case_id and (case is None or not selectors.supervised_case(user, case)):
        fields["case_id"] = ["案件不存在或不在本辖区"]
    if fields:
        raise matters.FieldRefused(fields)
    m = matters.matter_open(
        actor=user,
        source=body.source,
        title=body.title,
        facts=body.facts,
        unit=unit,
        case=case,
        item_id=body.item_id,
        review_case_id=body.review_case_id,
        channel=body.channel,
        listed=body.listed,
        escalated=body.escalated,
        major=body.major,
    )
    return Status(201, _matter(m))


@router.get("/matters/{matter_id}", response=MATTER_ANSWERS, summary="执法监督事项详情")
def matter_get(request: HttpRequest, matter_id: Id) -> Any:
    return _fresh(request, matter_id)


def _mine(request: HttpRequest, matter_id: int) -> Any:
    return selectors.get_matter_for_user(_user(request), matter_id)


@router.post(
    "/matters/{matter_id}/send",
    response=MATTER_ANSWERS,
    summary="发函：督办函（不作为，第二十七条）或意见书（违法或明显不当，第二十八条），答复期限起算",
)
def matter_send(request: HttpRequest, matter_id: Id, body: MatterSendIn) -> Any:
    m = _mine(request, matter_id)
    matters.matter_send(
        actor=_user(request),
        matter_id=m.pk,
        instrument=body.instrument,
        demand=body.demand,
        number=body.number,
    )
    return _fresh(request, m.pk)


@router.post(
    "/matters/{matter_id}/answer",
    response=MATTER_ANSWERS,
    summary="被监督单位答复整改情况（证明材料：base64，PDF/JPG/PNG/docx）",
)
def matter_answer(request: HttpRequest, matter_id: Id, body: MatterAnswerIn) -> Any:
    m = _mine(request, matter_id)
    evidence = None
    if body.evidence_base64:
        try:
            evidence = base64.b64decode(body.evidence_base64, validate=True)
        except (binascii.Error, ValueError):
            raise matters.FieldRefused({"evidence_base64": ["证明材料应为base64编码"]}) from None
    matters.matter_answer(
        actor=_user(request),
        matter_id=m.pk,
        reply=body.reply,
        evidence=evidence,
        filename=body.evidence_name,
    )
    return _fresh(request, m.pk)


@router.post("/matters/{matter_id}/object", response=MATTER_ANSWERS, summary="提出异议（第三十条）")
def matter_object(request: HttpRequest, matter_id: Id, body: MatterReasonIn) -> Any:
    m = _mine(request, matter_id)
    matters.matter_object(actor=_user(request), matter_id=m.pk, reason=body.reason)
    return _fresh(request, m.pk)


@router.post(
    "/matters/{matter_id}/objection",
    response=MATTER_ANSWERS,
    summary="监督员决定异议：成立则办结；不成立则限期整改（重新计算期限）",
)
def matter_objection(request: HttpRequest, matter_id: Id, body: MatterRulingIn) -> Any:
    m = _mine(request, matter_id)
    matters.matter_objection_decide(
        actor=_user(request), matter_id=m.pk, accept=body.accept, ruling=body.ruling
    )
    return _fresh(request, m.pk)


@router.post("/matters/{matter_id}/return", response=MATTER_ANSWERS, summary="退回重新整改")
def matter_return(request: HttpRequest, matter_id: Id, body: MatterNoteIn) -> Any:
    m = _mine(request, matter_id)
    matters.matter_return(actor=_user(request), matter_id=m.pk, note=body.note)
    return _fresh(request, m.pk)


@router.post("/matters/{matter_id}/close", response=MATTER_ANSWERS, summary="办结")
def matter_close(request: HttpRequest, matter_id: Id, body: MatterNoteIn) -> Any:
    m = _mine(request, matter_id)
    matters.matter_close(actor=_user(request), matter_id=m.pk, note=body.note)
    return _fresh(request, m.pk)


@router.post(
    "/matters/{matter_id}/propose",
    response=MATTER_ANSWERS,
    summary="向本级人民政府提出处理建议（逾期未整改或重大事项，第二十九条）",
)
def matter_propose(request: HttpRequest, matter_id: Id, body: MatterProposalIn) -> Any:
    m = _mine(request, matter_id)
    matters.matter_propose(actor=_user(request), matter_id=m.pk, proposal=body.proposal)
    return _fresh(request, m.pk)


@router.post(
    "/matters/{matter_id}/decide",
    response=MATTER_ANSWERS,
    summary="登记本级人民政府决定书（日期、文号、内容），报告期限起算",
)
def matter_decide(request: HttpRequest, matter_id: Id, body: MatterDecisionIn) -> Any:
    m = _mine(request, matter_id)
    matters.matter_decide(
        actor=_user(request),
        matter_id=m.pk,
        decided_on=body.decided_on,
        number=body.number,
        content=body.content,
    )
    return _fresh(request, m.pk)


@router.post("/matters/{matter_id}/report", response=MATTER_ANSWERS, summary="报告决定书执行情况")
def matter_report(request: HttpRequest, matter_id: Id, body: MatterReportIn) -> Any:
    m = _mine(request, matter_id)
    matters.matter_report(actor=_user(request), matter_id=m.pk, report=body.report)
    return _fresh(request, m.pk)


@router.post(
    "/matters/{matter_id}/publish",
    response=MATTER_ANSWERS,
    summary="通报或向社会公开（第三十一条）",
)
def matter_publish(request: HttpRequest, matter_id: Id, body: MatterPublishIn) -> Any:
    m = _mine(request, matter_id)
    matters.matter_publish(actor=_user(request), matter_id=m.pk, kind=body.kind, text=body.text)
    return _fresh(request, m.pk)


@router.post(
    "/matters/{matter_id}/measures",
    response=MATTER_ANSWERS,
    summary="建议对执法人员采取措施（批评教育、离岗教育、调离执法岗位、取消执法资格；第三十二条）",
)
def measure_recommend(request: HttpRequest, matter_id: Id, body: MeasureIn) -> Any:
    m = _mine(request, matter_id)
    matters.measure_recommend(
        actor=_user(request),
        matter_id=m.pk,
        officer=body.officer,
        measure=body.measure,
        reason=body.reason,
    )
    return _fresh(request, m.pk)


@router.post(
    "/matters/{matter_id}/measures/{measure_id}/decide",
    response=MATTER_ANSWERS,
    summary="登记有权机关对执法人员处理建议的决定",
)
def measure_decide(
    request: HttpRequest, matter_id: Id, measure_id: Id, body: MeasureDecisionIn
) -> Any:
    m = _mine(request, matter_id)
    row = m.measures.filter(pk=measure_id).first()
    if row is None:
        raise Http404("执法人员处理建议不存在")
    matters.measure_decide(
        actor=_user(request),
        measure_id=row.pk,
        authority=body.authority,
        decision=body.decision,
        decided_on=body.decided_on,
    )
    return _fresh(request, m.pk)


class PeriodsIn(Schema):
    region_code: str = Field(max_length=6, description="行政区划代码（本级或下一级）")
    urge_days: int = Field(ge=1, le=365, description="督办函答复期限（日）")
    opinion_days: int = Field(ge=1, le=365, description="意见书整改期限（日）")
    report_days: int = Field(ge=1, le=365, description="决定书报告期限（日）")
    source: str = Field(max_length=200, description="依据")


class PeriodsOut(Schema):
    urge_days: int
    opinion_days: int
    report_days: int
    source: str


@router.post(
    "/periods",
    response={200: PeriodsOut, 422: ErrorOut},
    summary="设置本辖区执法监督答复期限（督办函、意见书、决定书报告；按行政区划）",
)
def periods_set(request: HttpRequest, body: PeriodsIn) -> Any:
    row = matters.oversight_periods_set(actor=_user(request), **body.dict())
    return {
        "urge_days": row.urge_days,
        "opinion_days": row.opinion_days,
        "report_days": row.report_days,
        "source": row.source,
    }


@router.get(
    "/periods/{unit}",
    response={200: PeriodsOut, 404: ErrorOut},
    summary="某执法机关适用的执法监督答复期限",
)
def periods_get(request: HttpRequest, unit: str) -> Any:
    picked = _root(request, unit)
    p = selectors.oversight_periods(picked)
    return {
        "urge_days": p.urge_days,
        "opinion_days": p.opinion_days,
        "report_days": p.report_days,
        "source": p.source,
    }


# --- long actions the worker runs: the irregularity scan and a form's file over a long period ----


class ScanRunOut(Schema):
    id: int
    unit: str = Field(description="检查范围（监督员的辖区）单位代码")
    status: str = Field(description="queued 排队中；running 检查中；done 已完成；failed 失败")
    total: int = Field(description="辖区内的案件数（开始检查后）")
    done: int = Field(description="已检查的案件数")
    created: int = Field(description="新增的监督事项数")
    errors: list[str] = Field(description="未完成时的原因")
    requested_at: dt.datetime
    finished_at: dt.datetime | None


def _scan_run(run: Any) -> dict[str, Any]:
    return {**run_answer(run), "unit": run.unit.code, "created": run.result_count}


@router.post(
    "/scans",
    response={202: ScanRunOut, 404: ErrorOut},
    summary="立即检查辖区的不规范执法行为：排入后台任务，答复202和检查任务",
    description="同一辖区已有排队或进行中的检查时，答复该检查而不重复检查。"
    "用 GET /scans/{run_id} 查询进度。",
)
def scan_request(request: HttpRequest) -> Any:
    _root(request)
    return Status(202, _scan_run(services.scan_request(actor=_user(request))))


@router.get(
    "/scans/{run_id}",
    response={200: ScanRunOut, 404: ErrorOut},
    summary="不规范执法行为检查的进度和结果（辖区的执法监督员）",
)
def scan_run(request: HttpRequest, run_id: int) -> Any:
    return _scan_run(selectors.scan_run_for(_user(request), run_id))


class StatsExportIn(Schema):
    form: str = Field(max_length=20, description="permit、penalty、coercion、levy 或 inspection")
    format: str = Field(max_length=10, description="xlsx 或 csv")
    start: str = Field(max_length=10, description="统计期间起（YYYY-MM-DD）")
    end: str = Field(max_length=10, description="统计期间止（YYYY-MM-DD）")


class StatsExportOut(Schema):
    id: int
    status: str = Field(description="queued 排队中；running 生成中；done 已完成；failed 失败")
    form: str
    format: str
    start: dt.date
    end: dt.date
    file: str = Field(description="生成的文件名（完成后）")
    file_url: str | None = Field(description="下载地址（完成后）")
    errors: list[str]
    requested_at: dt.datetime
    finished_at: dt.datetime | None


def _export_run(run: Any) -> dict[str, Any]:
    done = run.status == run.Status.DONE and bool(run.output_name)  # the file is not read
    return {
        **run_answer(run),
        "form": run.params["form"],
        "format": run.params["format"],
        "start": run.params["from"],
        "end": run.params["to"],
        "file": run.output_name if done else "",
        "file_url": f"/api/supervision/exports/{run.pk}/file" if done else None,
    }


@router.post(
    "/exports",
    response={202: StatsExportOut, 404: ErrorOut, 422: ErrorOut},
    summary="导出统计报表文件（任意期间）：排入后台任务，答复202和导出任务",
    description="同一监督员相同的导出排队或进行中时答复该任务。报表数据本身可即时由 "
    "GET /forms/{form} 取得；文件完成后由 GET /exports/{run_id}/file 下载。",
)
def export_request(request: HttpRequest, body: StatsExportIn) -> Any:
    _root(request)
    try:
        run = services.stats_export_request(
            actor=_user(request), form=body.form, fmt=body.format, start=body.start, end=body.end
        )
    except FieldsRefused as exc:  # the page's field names are the API's start and end
        names = {"from": "start", "to": "end"}
        raise FieldsRefused({names.get(k, k): v for k, v in exc.fields.items()}) from None
    return Status(202, _export_run(run))


@router.get(
    "/exports/{run_id}",
    response={200: StatsExportOut, 404: ErrorOut},
    summary="统计报表导出任务的进度和结果（辖区的执法监督员）",
)
def export_run(request: HttpRequest, run_id: int) -> Any:
    return _export_run(selectors.stats_export_run_for(_user(request), run_id))


@router.get(
    "/exports/{run_id}/file",
    response={404: ErrorOut},
    summary="下载已生成的统计报表文件（未完成的返回404）",
    openapi_extra={
        "responses": {
            200: {
                "description": "统计报表文件",
                "content": {
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                        "schema": {"type": "string", "format": "binary"}
                    },
                    "text/csv": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def export_file(request: HttpRequest, run_id: int) -> Any:
    return run_file(selectors.stats_export_run_for(_user(request), run_id))


# --- 填报 --------------------------------------------------------------------------------------

REPORTED = {code: spec for code, spec in FORMS.items() if spec.reported}


def _columns_doc() -> str:
    return "；".join(
        f"{spec.title}（{code}）：" + "、".join(f"{c.key} {c.label}" for c in spec.columns)
        for code, spec in REPORTED.items()
    )


class FormReportIn(Schema):
    form: Literal["permit", "levy"] = Field(description="permit 行政许可；levy 行政征收征用")
    unit_id: int = Field(description="填报单位：本单位，或执法监督员辖区内的执法机关、乡镇")
    year: int = Field(ge=2000, le=2100, description="统计年度")
    values: dict[str, str] = Field(
        description="各栏数值（整数；万元金额至多6位小数），栏目：" + _columns_doc()
    )


class FormReportOut(Schema):
    id: int
    unit_id: int
    unit: str
    form: str
    period_start: dt.date
    period_end: dt.date
    values: dict[str, str]
    submitted_at: dt.datetime


@router.post(
    "/reports",
    response={201: FormReportOut, 404: ErrorOut, 422: ErrorOut},
    summary="填报行政许可或行政征收征用统计表（业务科长、分管局长或上级执法监督员）",
    description=(
        "按表内勾稽关系检查，有误的返回422及全部理由，不作任何改动；同一单位、统计表、年度再次"
        "填报的替换前一次。填报单位不在本人可填报范围内的返回404。"
    ),
)
def report_submit(request: HttpRequest, body: FormReportIn) -> Any:
    user = _user(request)
    unit = next((u for u in selectors.report_units(user) if u.pk == body.unit_id), None)
    if unit is None:
        raise Http404
    period = selectors.Period.year(body.year)
    spec = REPORTED[body.form]
    report = services.report_submit(
        actor=user,
        unit=unit,
        form=body.form,
        period_start=period.start,
        period_end=period.end,
        values={c.key: body.values.get(c.key, "") for c in spec.columns},
    )
    return Status(
        201,
        {
            "id": report.pk,
            "unit_id": unit.pk,
            "unit": unit.name,
            "form": report.form,
            "period_start": report.period_start,
            "period_end": report.period_end,
            "values": report.values,
            "submitted_at": report.submitted_at,
        },
    )
