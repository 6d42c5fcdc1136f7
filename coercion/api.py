"""行政强制措施 over the API: /api/cases/{case_id}/measures…; out of scope is 404, refused 422."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from cases.answers import RecordStepOut, lean, record_step_answer
from cases.payloads import ErrorOut
from cases.runner import Done, watch
from cases.selectors import case_id_for_user, get_case_for_user
from coercion import schemas as s
from coercion import services
from coercion.models import CoerciveMeasure
from coercion.selectors import case_measures, step_label
from orgs.models import User

router = Router(tags=["行政强制措施"])
LIST = list[s.MeasureOut]
ANSWERS: dict[int, Any] = {200: RecordStepOut, 422: ErrorOut}
MADE: dict[int, Any] = {201: RecordStepOut, 422: ErrorOut}
LEAN = lean("/api/cases/{case_id}/measures")


def _answer(measure: CoerciveMeasure, done: Done) -> dict[str, Any]:
    """What the action did to the measure, not the case's whole list of measures."""
    return record_step_answer(
        case_id=measure.case_id,
        record="measure",
        record_id=measure.pk,
        step=measure.step,
        step_name=step_label(measure),
        status=measure.outcome,
        done=done,
    )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@router.get("/{case_id}/measures", response=LIST, summary="案件的行政强制措施")
def measure_list(request: HttpRequest, case_id: int) -> Any:
    user = _user(request)
    return case_measures(get_case_for_user(user, case_id), user)


@router.post(
    "/{case_id}/measures",
    response=MADE,
    summary="申请采取查封、扣押、冻结（报负责人批准）",
    description="本单位持证承办人申请；须列明清单（冻结：账户和金额）、理由和法律依据"
    "（《行政强制法》第十八条、第二十四条）。" + LEAN,
)
def measure_propose(request: HttpRequest, case_id: int, body: s.MeasureProposeIn) -> Any:
    user = _user(request)
    case_id = case_id_for_user(user, case_id)
    with watch() as done:
        measure = services.measure_propose(
            case_id=case_id,
            actor=user,
            type=body.type,
            items=[i.model_dump() for i in body.items],
            reason=body.reason,
            basis=body.basis,
        )
    return Status(201, _answer(measure, done))


@router.post(
    "/{case_id}/measures/emergency",
    response=MADE,
    summary="情况紧急，当场实施（24小时内补办批准）",
    description="两名以上持证执法人员当场实施并履行第十八条规定的程序；"
    "应当在二十四小时内向负责人报告并补办批准手续（《行政强制法》第十九条）。" + LEAN,
)
def measure_emergency(request: HttpRequest, case_id: int, body: s.MeasureEmergencyIn) -> Any:
    user = _user(request)
    case_id = case_id_for_user(user, case_id)
    data = body.model_dump()
    with watch() as done:
        measure = services.measure_emergency(
            case_id=case_id,
            actor=user,
            type=data.pop("type"),
            items=data.pop("items"),
            reason=data.pop("reason"),
            basis=data.pop("basis"),
            emergency_reason=data.pop("emergency_reason"),
            officers=data.pop("officers"),
            on_site=data,
        )
    return Status(201, _answer(measure, done))


@router.post(
    "/{case_id}/measures/{measure_id}/decide",
    response=ANSWERS,
    description=LEAN,
    summary="负责人审批：批准或不予批准（事前批准、紧急补办批准、延长）",
)
def measure_decide(
    request: HttpRequest, case_id: int, measure_id: int, body: s.MeasureDecideIn
) -> Any:
    user = _user(request)
    case_id = case_id_for_user(user, case_id)
    with watch() as done:
        measure = services.measure_decide(
            case_id=case_id, measure_id=measure_id, actor=user, **body.model_dump()
        )
    return _answer(measure, done)


@router.post(
    "/{case_id}/measures/{measure_id}/carry-out",
    response=ANSWERS,
    description=LEAN,
    summary="经批准后实施（两名以上持证执法人员，第十八条）",
)
def measure_carry_out(request: HttpRequest, case_id: int, measure_id: int, body: s.OnSiteIn) -> Any:
    user = _user(request)
    case_id = case_id_for_user(user, case_id)
    with watch() as done:
        data = body.model_dump()
        measure = services.measure_carry_out(
            case_id=case_id,
            measure_id=measure_id,
            actor=user,
            officers=data.pop("officers"),
            on_site=data,
        )
    return _answer(measure, done)


@router.post(
    "/{case_id}/measures/{measure_id}/withdraw",
    response=ANSWERS,
    description=LEAN,
    summary="批准后不再实施",
)
def measure_withdraw(
    request: HttpRequest, case_id: int, measure_id: int, body: s.MeasureWithdrawIn
) -> Any:
    user = _user(request)
    case_id = case_id_for_user(user, case_id)
    with watch() as done:
        measure = services.measure_withdraw(
            case_id=case_id, measure_id=measure_id, actor=user, **body.model_dump()
        )
    return _answer(measure, done)


@router.post(
    "/{case_id}/measures/{measure_id}/extend",
    response=ANSWERS,
    description=LEAN,
    summary="报请延长期限（一次，至多30日，第二十五条、第三十二条）",
)
def measure_extend(
    request: HttpRequest, case_id: int, measure_id: int, body: s.MeasureExtendIn
) -> Any:
    user = _user(request)
    case_id = case_id_for_user(user, case_id)
    with watch() as done:
        measure = services.measure_extend(
            case_id=case_id, measure_id=measure_id, actor=user, **body.model_dump()
        )
    return _answer(measure, done)


@router.post(
    "/{case_id}/measures/{measure_id}/lift",
    response=ANSWERS,
    description=LEAN,
    summary="解除（第二十八条、第三十三条）",
)
def measure_lift(request: HttpRequest, case_id: int, measure_id: int, body: s.MeasureLiftIn) -> Any:
    user = _user(request)
    case_id = case_id_for_user(user, case_id)
    with watch() as done:
        measure = services.measure_lift(
            case_id=case_id, measure_id=measure_id, actor=user, **body.model_dump()
        )
    return _answer(measure, done)


@router.post(
    "/{case_id}/measures/{measure_id}/handle",
    response=ANSWERS,
    description=LEAN,
    summary="期限内随案处理：没收、销毁或移送（第二十七条）",
)
def measure_handle(
    request: HttpRequest, case_id: int, measure_id: int, body: s.MeasureHandleIn
) -> Any:
    user = _user(request)
    case_id = case_id_for_user(user, case_id)
    with watch() as done:
        measure = services.measure_handle(
            case_id=case_id, measure_id=measure_id, actor=user, **body.model_dump()
        )
    return _answer(measure, done)


@router.post(
    "/{case_id}/measures/{measure_id}/appraise",
    response=ANSWERS,
    description=LEAN,
    summary="送检测、检验、检疫或者技术鉴定（期间不计入查封、扣押期限，第二十五条第三款）",
)
def measure_appraise(
    request: HttpRequest, case_id: int, measure_id: int, body: s.MeasureAppraiseIn
) -> Any:
    user = _user(request)
    case_id = case_id_for_user(user, case_id)
    with watch() as done:
        measure = services.measure_appraise(
            case_id=case_id, measure_id=measure_id, actor=user, **body.model_dump()
        )
    return _answer(measure, done)


@router.post(
    "/{case_id}/measures/{measure_id}/appraised",
    response=ANSWERS,
    description=LEAN,
    summary="检测鉴定完成（按实际期间顺延期限）",
)
def measure_appraised(
    request: HttpRequest, case_id: int, measure_id: int, body: s.MeasureAppraisedIn
) -> Any:
    user = _user(request)
    case_id = case_id_for_user(user, case_id)
    with watch() as done:
        measure = services.measure_appraised(
            case_id=case_id, measure_id=measure_id, actor=user, **body.model_dump()
        )
    return _answer(measure, done)
