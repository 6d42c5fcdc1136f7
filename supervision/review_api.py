"""案卷评查 API (行政执法监督条例 Arts. 18-19), mounted under /api/supervision/reviews.

The standard is readable by every authenticated user; a round by the supervisor of its subtree,
or, once published, by an officer of a reviewed unit (its own files and figures only). Scoring,
publishing and raising an item are the supervisor's. Out of scope is 404; a refusal is 422 with
every reason in Chinese and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from cases.payloads import Day, ErrorOut
from orgs.models import User
from orgs.selectors import supervised_root
from supervision import review_selectors as rs
from supervision import review_services, standards
from supervision.models import FileReview, FileReviewCase
from supervision.selectors import Period
from zhifa import clock

router = Router(tags=["案卷评查"])

NOT_FOUND = {404: ErrorOut}
REFUSED = {404: ErrorOut, 422: ErrorOut}


class StandardItemOut(Schema):
    code: str
    label: str
    points: int
    basis: str


class HeadingOut(Schema):
    code: str
    label: str
    points: int
    items: list[StandardItemOut]


class StandardOut(Schema):
    version: str
    title: str
    basis: str
    published_on: dt.date
    points: int
    headings: list[HeadingOut]
    grades: dict[str, int] = Field(description="等次下限（含）：excellent 优秀、pass 合格")


class FileReviewOut(Schema):
    id: int
    name: str
    method: str
    standard: str
    period_start: dt.date
    period_end: dt.date
    published_at: dt.datetime | None


class UnitResultOut(Schema):
    unit: str
    name: str
    drawn: int
    scored: int
    average: Decimal | None = Field(description="平均分，两位小数")
    lowest: int | None
    grades: dict[str, int] = Field(description="各等次件数：excellent、pass、fail")
    headings: dict[str, Decimal | None] = Field(description="各方面平均分")


class FileOut(Schema):
    id: int
    case_id: int
    case_no: str
    unit: str
    scores: dict[str, int] | None
    reasons: dict[str, str]
    headings: dict[str, int] | None = Field(description="各方面小计（计算所得）")
    total: int | None
    grade: str
    remarks: str


class ReviewDetailOut(Schema):
    review: FileReviewOut
    units: list[UnitResultOut]
    files: list[FileOut]


class RankOut(Schema):
    rank: int
    unit: str
    name: str
    cases: int
    average: Decimal


class ScoreIn(Schema):
    scores: dict[str, int] = Field(description="评查项目代码 → 得分（整数，0至该项分值）")
    reasons: dict[str, str] = Field(default_factory=dict, description="扣分项目代码 → 扣分理由")
    remarks: str = ""


class DrawIn(Schema):
    name: str = Field(max_length=100)
    method: str = Field(description="random 随机抽取（每单位件数）| irregular 存在监督事项的案件")
    period_start: Day = Field(description="结案日期起")
    period_end: Day = Field(description="结案日期止")
    per_unit: int = Field(3, ge=0, le=1000)
    seed: str = Field("", max_length=40)


class FindingIn(Schema):
    title: str
    detail: str = ""


class FindingOut(Schema):
    item_id: int


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _standard(std: standards.Standard) -> dict[str, Any]:
    bands = {
        standards.EXCELLENT: settings.FILE_REVIEW_GRADE_EXCELLENT,
        standards.PASS: settings.FILE_REVIEW_GRADE_PASS,
    }
    return {
        "version": std.version,
        "title": std.title,
        "basis": std.basis,
        "published_on": std.published_on,
        "points": std.points,
        "headings": [
            {
                "code": h.code,
                "label": h.label,
                "points": h.points,
                "items": [
                    {"code": i.code, "label": i.label, "points": i.points, "basis": i.basis}
                    for i in h.items
                ],
            }
            for h in std.headings
        ],
        "grades": bands,
    }


def _review(r: FileReview) -> dict[str, Any]:
    return {
        "id": r.pk,
        "name": r.name,
        "method": r.method,
        "standard": r.standard,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "published_at": r.published_at,
    }


def _file(e: FileReviewCase, std: standards.Standard) -> dict[str, Any]:
    scores = e.scores if e.total is not None else None
    return {
        "id": e.pk,
        "case_id": e.case_id,
        "case_no": e.case.case_no,
        "unit": e.case.unit.code,
        "scores": scores,
        "reasons": e.reasons or {},
        "headings": None if scores is None else standards.heading_totals(std, scores),
        "total": e.total,
        "grade": e.grade,
        "remarks": e.remarks,
    }


@router.get("/standard", response={200: StandardOut, **REFUSED}, summary="案卷评查标准（公开）")
def standard(request: HttpRequest, version: str | None = None) -> Any:
    version = version or standards.CURRENT
    if version not in standards.STANDARDS:
        raise Http404("评查标准不存在")
    return _standard(standards.standard(version))


@router.get(
    "", response=list[FileReviewOut], summary="案卷评查（监督员：辖区；执法单位：已公布的）"
)
def reviews(request: HttpRequest) -> list[dict[str, Any]]:
    qs = rs.reviews_for_user(_user(request)).order_by("-created_at", "-pk")
    return [_review(r) for r in qs[:500]]


@router.get(
    "/ranking", response={200: list[RankOut], 404: ErrorOut}, summary="各单位案卷评查平均分排名"
)
def ranking(
    request: HttpRequest,
    year: Annotated[int, Field(ge=2000, le=2099, description="公布年度")] | None = None,
    start: Day | None = None,
    end: Day | None = None,
) -> Any:
    root = supervised_root(_user(request))
    if root is None:
        raise Http404("不存在")
    if start and end and start <= end:
        period = Period(start, end)
    else:
        period = Period.year(year or clock.today().year)
    return [
        {
            "rank": r.rank,
            "unit": r.unit.code,
            "name": r.unit.name,
            "cases": r.cases,
            "average": r.average,
        }
        for r in rs.unit_ranking(root, period)
    ]


@router.post(
    "",
    response={200: FileReviewOut, **REFUSED},
    summary="组织案卷评查：按结案日期抽取辖区已结案件（随机种子可复现）",
)
def draw(request: HttpRequest, body: DrawIn) -> Any:
    user = _user(request)
    if supervised_root(user) is None:
        raise Http404("不存在")
    review = review_services.file_review_create(
        actor=user,
        name=body.name,
        method=body.method,
        period_start=body.period_start,
        period_end=body.period_end,
        per_unit=body.per_unit,
        seed=body.seed,
    )
    return _review(review)


def _detail(access: rs.Access) -> dict[str, Any]:
    std = access.standard
    units = rs.review_results(access.review, None if access.supervisor else access.unit_id)
    return {
        "review": _review(access.review),
        "units": [
            {
                "unit": u.unit_code,
                "name": u.unit_name,
                "drawn": u.drawn,
                "scored": u.scored,
                "average": u.average,
                "lowest": u.lowest,
                "grades": u.grades,
                "headings": {
                    h.code: rs.average(u.heading_points.get(h.code, 0), u.scored)
                    for h in std.headings
                },
            }
            for u in units
        ],
        "files": [_file(e, std) for e in rs.entries_for(access)],
    }


@router.get(
    "/{review_id}", response={200: ReviewDetailOut, 404: ErrorOut}, summary="评查结果与评分表"
)
def review(request: HttpRequest, review_id: int) -> Any:
    return _detail(rs.review_for_user(_user(request), review_id))


@router.post(
    "/{review_id}/files/{entry_id}/score",
    response={200: FileOut, **REFUSED},
    summary="按评查标准逐项评分（扣分须写明理由；小计、总分、等次由系统计算）",
)
def score(request: HttpRequest, review_id: int, entry_id: int, body: ScoreIn) -> Any:
    user = _user(request)
    entry = rs.entry_for_user(user, review_id, entry_id)
    done = review_services.file_review_score(
        actor=user,
        entry_id=entry.pk,
        scores=dict(body.scores),
        reasons=dict(body.reasons),
        remarks=body.remarks,
    )
    return _file(done, standards.standard(entry.review.standard))


@router.post(
    "/{review_id}/publish",
    response={200: FileReviewOut, **REFUSED},
    summary="公布评查结果（全部案卷评分后）",
)
def publish(request: HttpRequest, review_id: int) -> Any:
    user = _user(request)
    access = rs.review_for_user(user, review_id)
    if not access.supervisor:
        raise Http404("案卷评查不存在")
    return _review(review_services.file_review_publish(actor=user, review_id=access.review.pk))


@router.post(
    "/{review_id}/files/{entry_id}/item",
    response={200: FindingOut, **REFUSED},
    summary="就评查案卷提出监督事项",
)
def finding(request: HttpRequest, review_id: int, entry_id: int, body: FindingIn) -> Any:
    user = _user(request)
    entry = rs.entry_for_user(user, review_id, entry_id)
    item = review_services.file_review_raise_item(
        actor=user, entry_id=entry.pk, title=body.title, detail=body.detail
    )
    return {"item_id": item.pk}
