"""双随机、一公开 over HTTP (mounted at /api/random): the officers' actions. The public data is
the public site's JSON (/gs/choucha/<id>/data.json and verify.json), with no login.

Plans and tasks out of the caller's scope are 404; refusals are 422 with every reason, by field,
and change nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, File, Router, Schema, Status, UploadedFile

from cases.payloads import ErrorOut
from inspections import random_selectors as sel
from inspections import random_services as rs
from inspections.models import RandomPlan, RandomTask
from jobs.answers import run_answer
from orgs.models import User

router = Router(tags=["双随机抽查"])

Text = str
LONG_TEXT = 1000


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class RandomPlanOut(Schema):
    id: int
    plan_no: str
    title: str
    unit: str
    partners: list[str]
    matter: str
    categories: list[str]
    ratios: dict[str, str] = Field(description="各风险等级的抽查比例（%）")
    starts_on: dt.date
    ends_on: dt.date
    status: str = Field(description="draft 草稿；frozen 名录已冻结；drawn 已摇号；published 已公示")
    pools_sm3: str = Field(description="冻结名录的SM3杂凑值（冻结前为空）")
    commitment: str = Field(description="种子承诺值SM3(种子)（冻结前为空）")
    seed: str | None = Field(description="种子（摇号后公布）")
    publish_due_on: dt.date | None = Field(description="结果公示期限（最后一项检查后计算）")
    published_on: dt.date | None


class RandomTaskOut(Schema):
    id: int
    plan_id: int
    order: int
    name: str
    reg_no: str
    grade: str
    lead_id: int
    second_id: int
    checklist: list[str]
    result: str = Field(description="空：待检查；no_problem；problem；rectify；case")
    checked_on: dt.date | None
    case_id: int | None = Field(description="发现问题登记的案源")


class RandomImportRunOut(Schema):
    id: int
    file: str = Field(description="上传的文件名")
    status: str = Field(description="queued 排队中；running 处理中；done 已完成；failed 失败")
    total: int = Field(description="文件的数据行数（开始检查后）")
    done: int = Field(description="已检查的行数")
    imported: int = Field(description="已导入（新增或更新）的检查对象数（完成后）")
    errors: list[str] = Field(description="失败时按行、列列出的错误；有错误的文件不导入任何一行")
    requested_at: dt.datetime
    finished_at: dt.datetime | None


def _import_run(run: Any) -> dict[str, Any]:
    return {**run_answer(run), "file": run.input_name, "imported": run.result_count}


class RandomMatterIn(Schema):
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    basis: str = Field("", max_length=300)
    checklist: list[str] = Field(max_length=50)


class RandomMatterOut(Schema):
    id: int
    code: str
    name: str
    checklist: list[str]


class RandomPlanIn(Schema):
    title: str = Field(max_length=200)
    matter_id: int = Field(ge=1, le=2**31 - 1)
    categories: list[str] = Field(max_length=100)
    ratios: dict[str, str] = Field(description='A/B/C/D 各级抽查比例（%），如 {"A": "5"}')
    ratio_confirmed: bool = Field(description="计划人确认抽查比例（必须为true）")
    starts_on: dt.date
    ends_on: dt.date
    partner_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        default_factory=list, max_length=20
    )


class RandomConflictIn(Schema):
    officer_id: int = Field(ge=1, le=2**31 - 1)
    reg_no: str = Field(max_length=18)
    reason: str = Field(max_length=200)


class RandomItemIn(Schema):
    passed: bool
    note: str = Field("", max_length=500)


class RandomResultIn(Schema):
    checked_on: dt.date
    items: list[RandomItemIn] = Field(max_length=50)
    result: str = Field(
        description="no_problem 未发现问题；problem 发现问题；rectify 责令整改；case 立案"
    )
    note: str = Field("", max_length=LONG_TEXT)


def _plan(p: RandomPlan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "plan_no": p.plan_no,
        "title": p.title,
        "unit": p.unit.name,
        "partners": [u.name for u in p.partners.all()],
        "matter": p.matter.name,
        "categories": p.categories,
        "ratios": p.ratios,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "status": p.status,
        "pools_sm3": p.pools_hash,
        "commitment": p.commitment,
        "seed": p.seed if p.drawn_at else None,
        "publish_due_on": p.publish_due_on,
        "published_on": p.published_on,
    }


def _task(t: RandomTask) -> dict[str, Any]:
    return {
        "id": t.pk,
        "plan_id": t.plan_id,
        "order": t.order,
        "name": t.name,
        "reg_no": t.reg_no,
        "grade": t.grade,
        "lead_id": t.lead_id,
        "second_id": t.second_id,
        "checklist": t.plan.matter.checklist,
        "result": t.result,
        "checked_on": t.checked_on,
        "case_id": t.case_id,
    }


@router.get("/plans", response=list[RandomPlanOut], summary="本人数据范围内的抽查计划")
def plan_list(request: HttpRequest) -> Any:
    plans = sel.random_plans_for_user(_user(request)).prefetch_related("partners")
    return [_plan(p) for p in plans.order_by("-pk")[:200]]


@router.get("/plans/{plan_id}", response=RandomPlanOut, summary="抽查计划详情")
def plan_get(request: HttpRequest, plan_id: int) -> Any:
    return _plan(sel.get_random_plan_for_user(_user(request), plan_id))


@router.post(
    "/targets/import",
    response={202: RandomImportRunOut, 422: ErrorOut},
    summary="上传检查对象名录（CSV或xlsx），由后台任务导入；任何一行有错误的不导入",
    description="答复202和导入任务；用 GET /targets/imports/{run_id} 查询进度和结果。",
)
def targets_import(request: HttpRequest, file: File[UploadedFile]) -> Any:
    run = rs.targets_import_request(
        actor=_user(request), filename=file.name or "", content=file.read()
    )
    return Status(202, _import_run(run))


@router.get(
    "/targets/imports/{run_id}",
    response={200: RandomImportRunOut, 404: ErrorOut},
    summary="检查对象名录导入任务的进度和结果（本单位业务科长、分管局长）",
)
def targets_import_run(request: HttpRequest, run_id: int) -> Any:
    return _import_run(sel.targets_import_run_for(_user(request), run_id))


@router.post(
    "/matters", response={200: RandomMatterOut, 422: ErrorOut}, summary="新增或修改随机抽查事项"
)
def matter_save(request: HttpRequest, body: RandomMatterIn) -> Any:
    m = rs.matter_save(actor=_user(request), **body.dict())
    return {"id": m.pk, "code": m.code, "name": m.name, "checklist": m.checklist}


@router.post("/plans", response={201: RandomPlanOut, 422: ErrorOut}, summary="制定抽查计划")
def plan_create(request: HttpRequest, body: RandomPlanIn) -> Any:
    plan = rs.plan_create(actor=_user(request), **body.dict())
    return Status(201, _plan(plan))


@router.post(
    "/plans/{plan_id}/conflicts",
    response={200: RandomPlanOut, 422: ErrorOut},
    summary="登记检查人员回避（冻结名录前）",
)
def conflict_add(request: HttpRequest, plan_id: int, body: RandomConflictIn) -> Any:
    user = _user(request)
    plan = sel.get_random_plan_for_user(user, plan_id)
    rs.conflict_add(actor=user, plan_id=plan.pk, **body.dict())
    return _plan(plan)


@router.post(
    "/plans/{plan_id}/freeze",
    response={200: RandomPlanOut, 422: ErrorOut},
    summary="冻结名录，公布名录SM3和种子承诺值",
)
def plan_freeze(request: HttpRequest, plan_id: int) -> Any:
    user = _user(request)
    plan = sel.get_random_plan_for_user(user, plan_id)
    return _plan(rs.plan_freeze(actor=user, plan_id=plan.pk))


@router.post(
    "/plans/{plan_id}/draw",
    response={200: RandomPlanOut, 422: ErrorOut},
    summary="摇号：公布种子，按公开算法抽取检查对象和检查人员",
)
def plan_draw(request: HttpRequest, plan_id: int) -> Any:
    user = _user(request)
    plan = sel.get_random_plan_for_user(user, plan_id)
    return _plan(rs.plan_draw(actor=user, plan_id=plan.pk))


class RandomRedrawIn(Schema):
    reason: str = Field(max_length=rs.REDRAW_REASON_MAX, description="重新摇号原因（向社会公开）")


@router.post(
    "/plans/{plan_id}/redraw",
    response={200: RandomPlanOut, 422: ErrorOut},
    summary="撤销摇号（尚无检查结果时），计划退回草稿待重新冻结、摇号；原摇号和原因向社会公开",
)
def plan_redraw(request: HttpRequest, plan_id: int, body: RandomRedrawIn) -> Any:
    user = _user(request)
    plan = sel.get_random_plan_for_user(user, plan_id)
    return _plan(rs.plan_redraw(actor=user, plan_id=plan.pk, reason=body.reason))


@router.post(
    "/plans/{plan_id}/publish",
    response={200: RandomPlanOut, 422: ErrorOut},
    summary="公示抽查结果",
)
def plan_publish(request: HttpRequest, plan_id: int) -> Any:
    user = _user(request)
    plan = sel.get_random_plan_for_user(user, plan_id)
    return _plan(rs.plan_publish(actor=user, plan_id=plan.pk))


@router.get("/tasks", response=list[RandomTaskOut], summary="本人待检查的抽中对象")
def task_list(request: HttpRequest) -> Any:
    tasks = sel.random_todo(_user(request)).select_related("plan__matter")
    return [_task(t) for t in tasks[:500]]


@router.post(
    "/tasks/{task_id}/result",
    response={200: RandomTaskOut, 422: ErrorOut},
    summary="记录检查结果（逐项检查、结果；发现问题的登记案源）",
)
def task_result(request: HttpRequest, task_id: int, body: RandomResultIn) -> Any:
    user = _user(request)
    found = sel.get_random_task_for_user(user, task_id)
    task = rs.task_complete(
        actor=user,
        task_id=found.pk,
        checked_on=body.checked_on,
        items=[i.dict() for i in body.items],
        result=body.result,
        note=body.note,
    )
    return _task(task)
