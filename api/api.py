"""The HTTP API (django-ninja). Thin: validate, call one service or selector, shape the answer.

OpenAPI at /api/openapi.json, interactive docs at /api/docs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from typing import Annotated, Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import Http404, HttpRequest
from ninja import File, Form, NinjaAPI, Router, Schema, Status, UploadedFile
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf
from pydantic import BaseModel, Field

from administration.api import router as admin_router
from api import openapi
from api import schemas as s
from api.calendar import router as calendar_router
from api.certificates import router as certificates_router
from api.errors import validation_answer
from api.notices import router as notices_router
from cases import personal as case_personal
from cases import selectors
from cases.answers import RecordStepOut, lean, record_step_answer
from cases.payloads import STEP_SCHEMAS, ErrorOut, LeadIn
from cases.runner import Done, FieldsRefused, watch
from cases.services import evidence as case_evidence
from cases.services import preservations as case_preservations
from cases.services import recusals as case_recusals
from cases.services import reviews as case_reviews
from cases.services import steps as case_steps
from catalog.models import Matter
from catalog.selectors import matters_matching
from coercion.api import router as coercion_router
from complaints.api import router as complaints_router
from disclosure.api import router as disclosure_router
from documents.api import documents_router as documents_issue_router
from documents.api import router as documents_router
from enforcement.api import cases_router as enforcement_cases_router
from enforcement.api import router as enforcement_router
from inspections.api import router as random_router
from joint.api import router as joint_router
from law.limits import EVIDENCE_PRESERVATION_DECISION
from ledger.services import ledger_verify
from nonsite.api import router as nonsite_router
from orgs import identity
from orgs.models import ApiToken, User
from procedure import PROCEDURES
from procedure.engine import END, Refused
from procedure.recusal import RECUSAL
from supervision.api import router as supervision_router
from zhifa import clock


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        digest = hashlib.sha256(token.encode()).hexdigest()
        row = (
            ApiToken.objects.select_related("user", "user__unit")
            .filter(key_hash=digest, expires_at__gt=clock.now(), user__is_active=True)
            .first()
        )
        if row is None:
            return None
        request.user = row.user
        request.api_token_id = row.pk  # type: ignore[attr-defined]
        return row.user


class Session(SessionAuth):
    """A logged-in browser session, with Django's CSRF check; without a session there is nothing
    to check and the answer is 401 like a missing token, not ninja's 403."""

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(
                403, "会话登录的请求须携带CSRF令牌（X-CSRFToken 请求头），或改用接口令牌"
            )
        return request.COOKIES.get(self.param_name)


class ChineseJSONRenderer(JSONRenderer):
    """Chinese stays readable in responses instead of \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class ZhifaAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        openapi.complete(schema)
        return schema


api = ZhifaAPI(
    title="执法办案与监督平台 API",
    version="1",
    description=(
        "行政处罚与行政强制网络运行系统的接口。先以 POST /api/auth/token 取得令牌，"
        "再在请求头中携带 Authorization: Bearer <token>。超出数据范围的案件一律返回404。"
        "被拒绝的操作返回422及全部中文理由，且不作任何改动。"
    ),
    auth=[BearerToken(), Session()],
    renderer=ChineseJSONRenderer(),
    urls_namespace="api",
)


@api.exception_handler(Refused)
def refused(request: HttpRequest, exc: Refused) -> Any:
    body: dict[str, Any] = {"errors": exc.errors}
    if isinstance(exc, FieldsRefused):
        body["fields"] = exc.fields
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> Any:
    message = "未登录或接口令牌无效、已过期，请重新取得令牌"
    return api.create_response(request, {"errors": [message]}, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> Any:
    if exc.status_code == 400:  # ninja's "Cannot parse request body": a refusal by field
        message = "请求正文无法解析：应为合法的JSON（或表单）"
        body = {"errors": [message], "fields": {"请求正文": [message]}}
        return api.create_response(request, body, status=422)
    return api.create_response(request, {"errors": [exc.message]}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> Any:
    # Out of scope is not found, with nothing said of whether it exists; Django's own English
    # reasons (get_object_or_404's) are not ours to show.
    message = str(exc) if str(exc) and not str(exc).isascii() else "请求的对象不存在"
    return api.create_response(request, {"errors": [message]}, status=404)


@api.exception_handler(NinjaValidationError)
def invalid(request: HttpRequest, exc: NinjaValidationError) -> Any:
    return api.create_response(request, validation_answer(exc.errors), status=422)


MAX_PAGE = 10_000  # 500,000 cases deep: narrow the filters beyond it


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@api.post(
    "/auth/token",
    auth=None,
    response={200: s.TokenOut, 401: ErrorOut, 429: ErrorOut},
    tags=["认证"],
    summary="用户名密码（及动态口令）换取接口令牌",
    description=(
        f"连续{settings.LOGIN_FAILURE_LIMIT}次登录失败（密码或动态口令错误）后，该账号和该地址"
        f"各被锁定{settings.LOGIN_LOCKOUT_MINUTES}分钟，期间返回429。每次尝试均记入登录审计。"
    ),
)
def token(request: HttpRequest, body: s.TokenIn) -> Any:
    user = authenticate(request, username=body.username, password=body.password)
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"errors": [identity.locked_message()]})
    if user is None or not isinstance(user, User):
        return Status(401, {"errors": ["用户名或密码错误"]})
    if identity.needs_code(user):
        device = identity.totp_device(user)
        if device is None:
            return Status(
                401, {"errors": ["该账号须使用动态口令登录，请先在网页“两步验证”页绑定动态口令"]}
            )
        if not identity.code_matches(device, body.otp_token):
            identity.login_failed(request, user.get_username())
            if getattr(request, "axes_locked_out", False):
                return Status(429, {"errors": [identity.locked_message()]})
            return Status(401, {"errors": ["动态口令错误或未填写（otp_token）"]})
    identity.login_succeeded(request, user)
    key = secrets.token_urlsafe(32)
    expires = clock.now() + dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    ApiToken.objects.create(
        user=user, key_hash=hashlib.sha256(key.encode()).hexdigest(), expires_at=expires
    )
    return Status(200, {"token": key, "expires_at": expires})


@api.delete("/auth/token", response={204: None}, tags=["认证"], summary="注销当前令牌")
def token_revoke(request: HttpRequest) -> Any:
    token_id = getattr(request, "api_token_id", None)
    if token_id is not None:
        ApiToken.objects.filter(pk=token_id).delete()
    return Status(204, None)


@api.get("/me", response=s.MeOut, tags=["认证"], summary="当前用户、所属单位和角色")
def me(request: HttpRequest) -> Any:
    user = _user(request)
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "unit_code": user.unit.code if user.unit else None,
        "unit_name": user.unit.name if user.unit else None,
        "roles": sorted(user.role_set),
    }


@api.get("/matters", response=list[s.MatterOut], tags=["权责清单"], summary="权责事项目录")
def matters(request: HttpRequest, domain: str | None = None, q: str | None = None) -> Any:
    """Every matter, or those of a domain; `q`: every word in the name or code, or in the law
    or article violated or applied (as the registration form's picker)."""
    qs = Matter.objects.order_by("code")
    if domain:
        qs = qs.filter(domain=domain)
    if q:
        qs = matters_matching(qs, q)
    return [
        {
            "code": m.code,
            "name": m.name,
            "domain": m.domain,
            "basis": m.basis,
            "penalty_types": m.penalty_types,
            "legal_min": m.legal_min,
            "legal_max": m.legal_max,
            "bands": m.bands,
            "lenient": m.lenient,
        }
        for m in qs
    ]


cases_router = Router(tags=["案件"])


@cases_router.get("", response=s.CasePageOut, summary="本人数据范围内的案件（分页）")
def case_list(
    request: HttpRequest,
    status: str | None = None,
    step: str | None = None,
    q: str | None = None,
    page: Annotated[int, Field(ge=1, le=MAX_PAGE, description="页码（每页50件）")] = 1,
) -> Any:
    qs = selectors.cases_for_user(_user(request)).select_related("unit")
    if status:
        qs = qs.filter(status=status)
    if step:
        qs = qs.filter(step=step)
    if q:
        qs = selectors.search(qs, q)
    size = 50
    page = max(page, 1)
    rows = qs.order_by("-id").prefetch_related("parties")[(page - 1) * size : page * size]
    return {"count": qs.count(), "page": page, "items": [selectors.case_summary(c) for c in rows]}


@cases_router.post(
    "",
    response={201: s.CaseOut, 422: ErrorOut},
    summary="案源登记（一般程序第1步）或开始简易程序案件",
)
def case_register(request: HttpRequest, body: LeadIn) -> Any:
    user = _user(request)
    case = case_steps.case_register(actor=user, **body.service_kwargs())
    return Status(201, selectors.case_detail(case, reader=user))


@cases_router.get("/{case_id}", response=s.CaseOut, summary="案件详情（含当前环节可作的决定）")
def case_get(request: HttpRequest, case_id: int) -> Any:
    user = _user(request)
    return selectors.case_detail(selectors.get_case_for_user(user, case_id), reader=user)


@cases_router.post(
    "/{case_id}/parties/{index}/reveal",
    response={200: s.RevealOut, 422: ErrorOut},
    summary="显示当事人完整的证件号码和联系电话（承办人、协办人一键，其他审批人员需事由；记入个人信息访问日志）",
)
def party_reveal(request: HttpRequest, case_id: int, index: int, body: s.RevealIn) -> Any:
    return case_personal.party_reveal(
        actor=_user(request), case_id=case_id, index=index, reason=body.reason
    )


@cases_router.get(
    "/{case_id}/record", response=s.RecordOut, summary="全过程记录（含完整性校验结果）"
)
def case_record(request: HttpRequest, case_id: int) -> Any:
    case = selectors.get_case_for_user(_user(request), case_id)
    problems = [str(b) for b in ledger_verify(stream=case.stream)]
    return {"verified": not problems, "problems": problems, "entries": selectors.case_record(case)}


@cases_router.post(
    "/{case_id}/evidence",
    response={201: s.EvidenceOut, 422: ErrorOut},
    summary="上传证据（计算SHA-256与SM3指纹）",
)
def evidence_upload(
    request: HttpRequest,
    case_id: int,
    kind: Form[str],
    title: Form[str],
    file: File[UploadedFile],
) -> Any:
    case = selectors.get_case_for_user(_user(request), case_id)
    ev = case_evidence.evidence_add(
        case_id=case.pk,
        actor=_user(request),
        kind=kind,
        title=title,
        content=file,
        filename=file.name or "",
        content_type=file.content_type or "",
    )
    return Status(201, ev)


@cases_router.get(
    "/{case_id}/reviews",
    response=list[s.DecisionReviewsOut],
    summary="各决定的行政复议、行政诉讼情况",
)
def review_list(request: HttpRequest, case_id: int) -> Any:
    return selectors.case_reviews(selectors.get_case_for_user(_user(request), case_id))


@cases_router.post(
    "/{case_id}/reviews",
    response={201: list[s.DecisionReviewsOut], 422: ErrorOut},
    summary="登记当事人申请行政复议或提起行政诉讼",
    description=(
        "本单位法制审核员、业务科长或承办人登记。决定须已作出；申请（起诉）日期不早于决定日期、"
        "不晚于今天；同一决定每类只登记一次。超过申请期限（《行政复议法》第二十条六十日，"
        "《行政诉讼法》第四十六条六个月、第四十五条复议后十五日）的照常登记并标记 late，"
        "是否受理由复议机关或人民法院决定。"
    ),
)
def review_file(request: HttpRequest, case_id: int, body: s.ReviewFileIn) -> Any:
    user = _user(request)
    case = selectors.get_case_for_user(user, case_id)
    case_reviews.review_file(case_id=case.pk, actor=user, **body.model_dump())
    return Status(201, selectors.case_reviews(case))


@cases_router.post(
    "/{case_id}/reviews/conclude",
    response={200: list[s.DecisionReviewsOut], 422: ErrorOut},
    summary="登记行政复议决定、行政诉讼裁判或撤回、不予受理",
    description=(
        "每件复议（诉讼）只登记一次结果；结果日期不早于申请日期、不晚于今天。"
        "结果按 ending 计入统计：维持、驳回为 upheld，撤销、变更、确认违法或无效、责令（判决）"
        "履行为 corrected（纠错/败诉），撤回、不予受理办结但无结果。"
    ),
)
def review_conclude(request: HttpRequest, case_id: int, body: s.ReviewConcludeIn) -> Any:
    user = _user(request)
    case = selectors.get_case_for_user(user, case_id)
    case_reviews.review_conclude(case_id=case.pk, actor=user, **body.model_dump())
    return Status(200, selectors.case_reviews(case))


@cases_router.get(
    "/{case_id}/recusals",
    response=list[s.RecusalOut],
    summary="回避申请及决定（《行政处罚法》第四十三条）",
)
def recusal_list(request: HttpRequest, case_id: int) -> Any:
    return selectors.case_recusals(selectors.get_case_for_user(_user(request), case_id))


@cases_router.post(
    "/{case_id}/recusals",
    response={201: RecordStepOut, 422: ErrorOut},
    summary="登记当事人的回避申请或执法人员自行回避",
    description=(
        "本单位承办人、协办人或业务科长登记；对象为本案的承办人或协办人；自行回避由其本人提出。"
        "决定作出前不停止调查（第四十三条第三款）。" + lean("/api/cases/{case_id}/recusals")
    ),
)
def recusal_request(request: HttpRequest, case_id: int, body: s.RecusalIn) -> Any:
    user = _user(request)
    case_id = selectors.case_id_for_user(user, case_id)
    with watch() as done:
        recusal = case_recusals.recusal_request(case_id=case_id, actor=user, **body.model_dump())
    waiting = RECUSAL.step("recusal_decide")
    return Status(
        201,
        record_step_answer(
            case_id=case_id,
            record="recusal",
            record_id=recusal.pk,
            step=waiting.code,
            step_name=waiting.name,
            status="",
            done=done,
        ),
    )


@cases_router.post(
    "/{case_id}/recusals/{recusal_id}/decide",
    response={200: RecordStepOut, 422: ErrorOut},
    summary="行政机关负责人决定是否回避",
    description=(
        "由分管局长（行政机关负责人）决定；决定回避的，指定本单位持有效执法证的承办人或协办人"
        "接替被回避的执法人员。" + lean("/api/cases/{case_id}/recusals")
    ),
)
def recusal_decide(
    request: HttpRequest, case_id: int, recusal_id: int, body: s.RecusalDecideIn
) -> Any:
    user = _user(request)
    case_id = selectors.case_id_for_user(user, case_id)
    with watch() as done:
        recusal = case_recusals.recusal_decide(
            case_id=case_id, actor=user, recusal_id=recusal_id, **body.model_dump()
        )
    return Status(
        200,
        record_step_answer(
            case_id=case_id,
            record="recusal",
            record_id=recusal.pk,
            step=END,
            step_name="已决定",
            status="granted" if recusal.granted else "refused",
            done=done,
        ),
    )


PRESERVATION_ACTIONS: dict[str, tuple[type[Schema], Callable[..., Any], str]] = {
    "approve": (
        s.PreservationApproveIn,
        case_preservations.preservation_approve,
        "行政机关负责人审批",
    ),
    "carry-out": (
        s.PreservationCarryOutIn,
        case_preservations.preservation_carry_out,
        "实施登记保存",
    ),
    "decide": (
        s.PreservationDecideIn,
        case_preservations.preservation_decide,
        f"{EVIDENCE_PRESERVATION_DECISION.duration_label}内作出处理决定",
    ),
}


@cases_router.get(
    "/{case_id}/preservations",
    response=list[s.PreservationOut],
    summary="证据先行登记保存（《行政处罚法》第五十六条）",
)
def preservation_list(request: HttpRequest, case_id: int) -> Any:
    return selectors.case_preservations(selectors.get_case_for_user(_user(request), case_id))


@cases_router.post(
    "/{case_id}/preservations",
    response={201: RecordStepOut, 422: ErrorOut},
    summary="申请证据先行登记保存",
    description="本案承办人或协办人申请，列明物品和证据可能灭失或者以后难以取得的情形。"
    + lean("/api/cases/{case_id}/preservations"),
)
def preservation_request(request: HttpRequest, case_id: int, body: s.PreservationIn) -> Any:
    user = _user(request)
    case_id = selectors.case_id_for_user(user, case_id)
    data = body.model_dump()
    with watch() as done:
        item = case_preservations.preservation_request(case_id=case_id, actor=user, **data)
    return Status(201, _preservation_answer(case_id, item, done))


def _preservation_answer(case_id: int, item: Any, done: Done) -> dict[str, Any]:
    return record_step_answer(
        case_id=case_id,
        record="preservation",
        record_id=item.pk,
        step=item.status,
        step_name=item.get_status_display(),
        status=item.status,
        done=done,
    )


def _preservation_endpoint(action: str) -> None:
    schema, service, summary = PRESERVATION_ACTIONS[action]

    def endpoint(request: HttpRequest, case_id: int, preservation_id: int, body: Schema) -> Any:
        user = _user(request)
        case_id = selectors.case_id_for_user(user, case_id)
        data = body.model_dump()
        with watch() as done:
            item = service(case_id=case_id, actor=user, preservation_id=preservation_id, **data)
        return Status(200, _preservation_answer(case_id, item, done))

    endpoint.__name__ = f"preservation_{action.replace('-', '_')}"
    endpoint.__annotations__ = {
        "request": HttpRequest,
        "case_id": int,
        "preservation_id": int,
        "body": schema,
        "return": Any,
    }
    cases_router.post(
        f"/{{case_id}}/preservations/{{preservation_id}}/{action}",
        response={200: RecordStepOut, 422: ErrorOut},
        summary=summary,
        description=lean("/api/cases/{case_id}/preservations"),
        operation_id=endpoint.__name__,
    )(endpoint)


for _action in PRESERVATION_ACTIONS:
    _preservation_endpoint(_action)


def _step_answer(case: Any, decision: str, done: Done) -> dict[str, Any]:
    """A step's answer from what the step did: no read of the case beyond the step's own."""
    entry = done.entry
    assert entry is not None  # a step that ran appended its entry
    index = {p.pk: p.index for p in case_steps.case_parties(case)} if done.limits else {}
    return {
        "case_id": case.pk,
        "step": case.step,
        "step_name": selectors.step_name(case),
        "status": case.status,
        "decision": decision,
        "result": entry.payload.get("result", {}),
        "limits": [
            {
                "code": m.code,
                "name": m.name,
                "party": index.get(m.party_id) if m.party_id is not None else None,
                "due_on": m.due_on,
                "status": m.status,
                "moved": m.moved,
            }
            for m in done.limits
        ],
        "entry": {"seq": entry.seq, "hash": entry.hash, "action": entry.action},
    }


# One documented endpoint per step, each with its own payload schema.
def _register_step(code: str, schema: type[BaseModel]) -> None:
    proc = next(p for p in PROCEDURES.values() if code in p.codes)
    step = proc.step(code)
    decisions = "；".join(f"{t.decision}（{t.label}）" for t in step.transitions)
    roles = "、".join(sorted(step.roles))
    description = (
        f"{proc.name}·{step.stage}·{step.name}。办理角色：{roles}。可作决定：{decisions}。"
        "案件不在当前环节、角色不符或任何检查未通过时返回422及全部理由，不作任何改动。"
        "办理成功时只应答新的环节、本次起算或停止的期限和全过程记录的序号与哈希；"
        "案件全貌请 GET /api/cases/{case_id}。"
    )

    def act(request: HttpRequest, case_id: int, body: BaseModel) -> Any:
        user = _user(request)
        case_id = selectors.case_id_for_user(user, case_id)
        data = body.model_dump(mode="json")
        decision = data.pop("decision")
        case, done = case_steps.case_step(
            case_id=case_id, actor=user, step=code, decision=decision, data=data
        )
        return Status(200, _step_answer(case, decision, done))

    act.__name__ = f"step_{code}"
    # Each step documents and validates its own payload schema.
    act.__annotations__ = {"request": HttpRequest, "case_id": int, "body": schema, "return": Any}
    cases_router.post(
        f"/{{case_id}}/{code}",
        response={200: s.StepOut, 422: ErrorOut},
        summary=f"{step.name}（{code}）",
        description=description,
        operation_id=f"step_{code}",
    )(act)


for _code, _schema in STEP_SCHEMAS.items():
    _register_step(_code, _schema)

api.add_router("/cases", cases_router)
api.add_router("/cases", coercion_router)
api.add_router("/cases", enforcement_cases_router)
api.add_router("/cases", documents_router)
api.add_router("/cases", documents_issue_router)
api.add_router("/enforcements", enforcement_router)

# Each area's own endpoints.
api.add_router("/supervision", supervision_router)
api.add_router("/joint", joint_router)
api.add_router("/nonsite", nonsite_router)
api.add_router("/certificates", certificates_router)
api.add_router("/disclosure", disclosure_router)
api.add_router("/complaints", complaints_router)
api.add_router("/random", random_router)
api.add_router("/notices", notices_router)
api.add_router("/admin", admin_router)
api.add_router("/calendar", calendar_router)
