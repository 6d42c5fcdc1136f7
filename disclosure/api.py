"""事后公示 over the API: /api/disclosure/…; a decision out of scope is 404, a refusal 422 by
field, nothing changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from cases.payloads import Day, ErrorOut
from cases.runner import FieldsRefused
from cases.services.responses import ResponseIn, party_response_submit
from disclosure import selectors, services
from disclosure.models import AgencyProfile, Publication
from orgs.models import User

router = Router(tags=["处罚决定公示"])


class DisclosurePublicationOut(Schema):
    decision_id: int
    number: str = Field(description="决定书文号")
    decided_on: dt.date
    in_scope: bool = Field(description="属于公示范围（普通程序的处罚决定，仅警告的除外）")
    publish_due: dt.date | None = Field(description="公示期限（最后一日）")
    status: str = Field(description="none 待拟写 | draft | approved | published | withdrawn")
    party: str | None = Field(description="公示的当事人（自然人已隐去部分姓名）")
    text: str | None = Field(description="公示内容（已隐去个人信息）")
    published_on: dt.date | None
    late: bool = Field(description="超过公示期限才公示")
    shown_until: dt.date | None = Field(description="公示截止日（保留期限）")
    withdrawn_on: dt.date | None
    withdrawal_reason: str | None
    public_url: str | None = Field(description="公开页面地址（已公示或已撤回的）")


class DisclosureTextIn(Schema):
    text: str = Field(
        "",
        max_length=services.TEXT_MAX,
        description="公示内容；留空：拟写时由平台按决定生成（已隐去个人信息），审核时沿用草稿",
    )


class DisclosureWithdrawIn(Schema):
    reason: str = Field(
        min_length=1, max_length=services.REASON_MAX, description="撤回理由（公开）"
    )


class DisclosureCorrectIn(Schema):
    ending: str = Field(max_length=10, description="changed 变更；revoked 撤销")
    corrected_on: Day = Field(description="纠错决定日期")
    reason: str = Field(max_length=services.REASON_MAX, description="纠错理由（撤回公示时公开）")


class AgencyProfileIn(Schema):
    basis: str = Field(max_length=2000, description="执法主体资格依据（必填）")
    reconsideration_organ: str = Field("", max_length=100, description="行政复议机关")
    court: str = Field("", max_length=100, description="管辖人民法院")
    address: str = Field("", max_length=200, description="办公地址")
    phone: str = Field("", max_length=30, description="咨询电话")


class AgencyProfileOut(AgencyProfileIn):
    unit_id: int
    unit: str


ANSWERS: dict[int, Any] = {200: DisclosurePublicationOut, 422: ErrorOut}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _out(decision_id: int, user: User) -> dict[str, Any]:
    from django.urls import reverse

    d = selectors.decision_for_user(user, decision_id)
    pub: Publication | None = getattr(d, "publication", None)
    on_site = pub is not None and pub.status in selectors.ON_SITE
    return {
        "decision_id": d.pk,
        "number": d.number,
        "decided_on": d.decided_on,
        "in_scope": selectors.in_scope(d),
        "publish_due": pub.publish_due if pub and pub.publish_due else selectors.publish_due(d),
        "status": pub.status if pub else "none",
        "party": pub.party_name if pub else None,
        "text": pub.text if pub else None,
        "published_on": pub.published_on if pub else None,
        "late": bool(pub and pub.late),
        "shown_until": pub.shown_until if pub else None,
        "withdrawn_on": pub.withdrawn_on if pub else None,
        "withdrawal_reason": pub.withdrawal_reason if pub and pub.withdrawal_reason else None,
        "public_url": reverse("disclosure:decision", args=[pub.pk]) if pub and on_site else None,
    }


@router.get("/queue", response=list[DisclosurePublicationOut], summary="待公示、待撤回的处罚决定")
def queue(request: HttpRequest) -> Any:
    user = _user(request)
    return [_out(r.decision.pk, user) for r in selectors.queue(user, limit=100)]


@router.get("/decisions/{decision_id}", response=ANSWERS, summary="处罚决定的公示情况")
def publication(request: HttpRequest, decision_id: int) -> Any:
    return _out(decision_id, _user(request))


@router.post(
    "/decisions/{decision_id}/draft",
    response=ANSWERS,
    summary="拟写公示内容（本单位承办人、业务科长或法制审核员）",
    description="不得包含身份证件号码、电话号码，自然人的完整姓名和住址。",
)
def draft(request: HttpRequest, decision_id: int, body: DisclosureTextIn) -> Any:
    user = _user(request)
    d = selectors.decision_for_user(user, decision_id)
    services.publication_draft(decision_id=d.pk, actor=user, text=body.text)
    return _out(d.pk, user)


@router.post(
    "/decisions/{decision_id}/approve",
    response=ANSWERS,
    summary="法制审核员审核同意公示内容（可修改，不得恢复被隐去的个人信息）",
)
def approve(request: HttpRequest, decision_id: int, body: DisclosureTextIn) -> Any:
    user = _user(request)
    d = selectors.decision_for_user(user, decision_id)
    services.publication_approve(decision_id=d.pk, actor=user, text=body.text)
    return _out(d.pk, user)


@router.post(
    "/decisions/{decision_id}/publish",
    response=ANSWERS,
    summary="发布公示（经审核同意后；停止公示期限）",
)
def publish(request: HttpRequest, decision_id: int) -> Any:
    user = _user(request)
    d = selectors.decision_for_user(user, decision_id)
    services.publication_publish(decision_id=d.pk, actor=user)
    return _out(d.pk, user)


@router.post(
    "/decisions/{decision_id}/withdraw",
    response=ANSWERS,
    summary="撤回已公示的处罚决定并公开理由（《行政处罚法》第四十八条）",
)
def withdraw(request: HttpRequest, decision_id: int, body: DisclosureWithdrawIn) -> Any:
    user = _user(request)
    d = selectors.decision_for_user(user, decision_id)
    services.publication_withdraw(decision_id=d.pk, actor=user, reason=body.reason)
    return _out(d.pk, user)


@router.post(
    "/decisions/{decision_id}/correct",
    response=ANSWERS,
    summary="登记本机关自行纠错（变更、撤销处罚决定；已公示的自动开始三个工作日的撤回期限）",
)
def correct(request: HttpRequest, decision_id: int, body: DisclosureCorrectIn) -> Any:
    user = _user(request)
    d = selectors.decision_for_user(user, decision_id)
    services.decision_correct(
        decision_id=d.pk,
        actor=user,
        ending=body.ending,
        corrected_on=body.corrected_on,
        reason=body.reason,
    )
    return _out(d.pk, user)


# --- a party's online 陈述申辩 and 听证 request (cases.services.responses) ------------------------


class PartyResponseIn(Schema):
    code: str = Field(max_length=40, description="告知书上的查询码，如 1234-0-QX4K9ACMTR")
    id_tail: str = Field(max_length=20, description="当事人证件号码后六位")
    submitter: str = Field(max_length=200, description="提交人姓名")
    relation: str = Field(max_length=10, description="self 当事人本人 | agent 委托代理人")
    statement: str = Field("", max_length=20000, description="陈述、申辩意见（不超过5000字）")
    hearing: bool = Field(False, description="要求举行听证（仅限享有听证权利的当事人）")


class PartyResponseOut(Schema):
    seq: int = Field(description="在案件全过程记录中的序号")
    hash: str = Field(description="该条记录的SM3校验值")
    at: dt.datetime
    party_name: str
    hearing: bool
    window_end: Day | None = Field(description="陈述、申辩和听证申请期限的最后一日")


@router.post(
    "/responses",
    auth=None,
    response={201: PartyResponseOut, 422: ErrorOut},
    summary="当事人凭告知书查询码在线提交陈述、申辩意见或听证申请（无需登录）",
    description=(
        "期限为告知书载明的陈述、申辩和听证申请期限（含最后一日，《行政处罚法》第六十四条第一项）；"
        "查询码或证件号码后六位不符、期限已过、案件不在陈述申辩阶段、无听证权利而申请听证的，"
        "返回422并按字段说明理由，不作任何改动。"
    ),
)
def party_response(request: HttpRequest, body: PartyResponseIn) -> Any:
    entry = party_response_submit(
        ResponseIn(
            code=body.code,
            id_tail=body.id_tail,
            submitter=body.submitter,
            relation=body.relation,
            statement=body.statement,
            wants_hearing=body.hearing,
        )
    )
    return Status(
        201,
        {
            "seq": entry.seq,
            "hash": entry.hash,
            "at": entry.at,
            "party_name": entry.payload["party_name"],
            "hearing": entry.payload["hearing"],
            "window_end": entry.payload["window_end"],
        },
    )


def _profile_unit(user: User) -> Any:
    """The agency whose 事前公示 the user keeps (法制审核员 or 分管局长); anyone else: 404, as
    the page."""
    unit = services.profile_unit(user)
    if unit is None:
        raise Http404
    return unit


def _profile_out(unit: Any) -> dict[str, Any]:
    current = AgencyProfile.objects.filter(unit=unit).first()
    names = ("basis", "reconsideration_organ", "court", "address", "phone")
    return {
        "unit_id": unit.pk,
        "unit": unit.name,
        **{name: getattr(current, name) if current is not None else "" for name in names},
    }


@router.get(
    "/profile",
    response={200: AgencyProfileOut, 404: ErrorOut},
    summary="本机关的事前公示信息（法制审核员、分管局长）",
)
def profile(request: HttpRequest) -> Any:
    return _profile_out(_profile_unit(_user(request)))


@router.post(
    "/profile",
    response={200: AgencyProfileOut, 404: ErrorOut, 422: ErrorOut},
    summary="维护本机关的事前公示信息（法制审核员、分管局长；公示网站即时更新）",
)
def profile_edit(request: HttpRequest, body: AgencyProfileIn) -> Any:
    user = _user(request)
    unit = _profile_unit(user)
    data = {name: value.strip() for name, value in body.model_dump().items()}
    if not data["basis"]:
        raise FieldsRefused({"basis": ["请填写执法主体资格依据"]})
    services.agency_profile_edit(actor=user, **data)
    return _profile_out(unit)
