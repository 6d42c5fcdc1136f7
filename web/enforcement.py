"""The case page's 强制执行 section: each record of the case with a form per action its step
allows (htmx swaps the section; without JavaScript the page posts and redirects), and the form to
start one for a party whose decision was not performed. Reads through enforcement.selectors
(the one access function), writes through enforcement.services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cases.models import Case, Decision
from cases.selectors import get_case_for_user
from documents.selectors import enforcement_documents_available, may_issue
from enforcement import selectors, services
from law.enforcement import (
    END_GROUNDS,
    IMMEDIATE_OBJECTS,
    IMMEDIATE_PLACES,
    REVERSAL_CAUSES,
    REVERSAL_REMEDIES,
    SUSPEND_GROUNDS,
    UTILITY_CUTS,
)
from procedure.enforcement import ENFORCEMENT, SELF_TYPES
from procedure.engine import END, Refused
from procedure.roles import Role
from procedure.vocab import DecisionOutcome
from web.nav import active_role
from web.views import _user
from zhifa import clock

OBLIGATION_CHOICES = {
    "money": "金钱给付义务（罚款、加处罚款）",
    "performance": "处罚决定责令的行为义务（如限期拆除）",
}
# (name, label, kind[, choices]) of each field; kinds: text, area, date, datetime, money, flag,
# select, officers, stages, multi.
F = tuple[Any, ...]
NOTICE: list[F] = [
    ("obligation", "催告履行的义务", "select", OBLIGATION_CHOICES),
    ("term_ends", "催告履行期限", "date"),
    ("manner", "履行方式（金钱给付的写明给付方式）", "text"),
    ("amount", "金钱给付金额（元；行为义务不填）", "money"),
    ("act", "应当履行的行为义务（须完成的事项；金钱给付不填）", "text"),
    ("rights_told", "已告知陈述权和申辩权（第三十五条第四项）", "flag"),
]
IMMEDIATE: list[F] = [
    ("object", "清除对象", "select", IMMEDIATE_OBJECTS),
    ("place", "所在地点", "select", IMMEDIATE_PLACES),
    ("reason", "情况说明", "text"),
    ("party_absent", "当事人不在场（事后立即通知当事人）", "flag"),
]
SERVE: list[F] = [("served_on", "送达日期", "date")]
ON: list[F] = [("on", "日期", "date")]
REASON: list[F] = [("reason", "理由", "area")]
OPINION: list[F] = [("opinion", "意见", "area")]
CARRY: list[F] = [
    ("officers", "实施的执法人员", "officers"),
    ("carried_out_at", "实施时间", "datetime"),
    ("methods", "采取的方式", "multi", {"transfer_funds": "划拨存款、汇款", **UTILITY_CUTS}),
    ("urgent_reason", "情况紧急的理由（夜间、节假日实施时必填，第四十三条）", "text"),
]
SUB_CARRY: list[F] = [
    ("carried_out_at", "实施时间", "datetime"),
    ("officer_present", "执法人员到场监督", "flag"),
    ("signed", "执法人员、代履行人和当事人或者见证人已签名盖章", "flag"),
    ("urgent_reason", "情况紧急的理由（夜间、节假日实施时必填）", "text"),
]
FIELDS: dict[str, list[F]] = {
    "issue": NOTICE,
    "immediate_substitute": IMMEDIATE,
    "serve": SERVE,
    "record": [
        ("statement", "当事人的陈述、申辩", "area"),
        ("no_statement", "当事人未提出陈述、申辩", "flag"),
    ],
    "immediate": [("reason", "有转移或者隐匿财物迹象的证据", "area")],
    "adopt": REASON,
    "reject": REASON,
    "agency": [],
    "substitute": [],
    "court": [],
    "agreement": [
        ("stages", "履行阶段（每行：YYYY-MM-DD 金额）", "stages"),
        ("waived", "减免的加处罚款（元）", "money"),
        ("remedied", "当事人已采取补救措施", "flag"),
    ],
    "draft": [
        ("reason", "理由和依据", "area"),
        ("type", "强制执行方式", "select", SELF_TYPES),
        ("planned_on", "强制执行时间（第三十七条第二款第三项）", "date"),
        ("remedies_told", "已载明复议、诉讼途径和期限", "flag"),
        ("court", "受理的人民法院", "text"),
        ("materials_complete", "申请材料齐全（第五十五条）", "flag"),
    ],
    "approve": OPINION,
    "carry_out": CARRY,
    "decide": [
        ("reason", "理由和依据", "text"),
        ("manner", "方式", "text"),
        ("object", "标的", "text"),
        ("performer", "代履行人", "text"),
        ("budget", "费用预算（元）", "money"),
        ("planned_on", "代履行时间", "date"),
    ],
    "charge": [
        ("cost", "代履行费用（元，按照成本合理确定）", "money"),
        ("term_ends", "缴纳期限（费用为0元的不填）", "date"),
    ],
    "sign": [("signed", "负责人已签名并加盖印章", "flag")],
    "accepted": ON,
    "not_accepted": ON,
    "granted": ON,
    "refused": ON,
    "fulfilled": ON,
    "breach": REASON,
    "performed": ON,
    "suspend": [("ground", "中止情形", "select", SUSPEND_GROUNDS), *REASON],
    "resume": REASON,
    "end": [("ground", "终结情形", "select", END_GROUNDS), *REASON],
    "reverse": [
        ("cause", "原因", "select", REVERSAL_CAUSES),
        ("remedy", "方式", "select", REVERSAL_REMEDIES),
        ("reason", "撤销、变更决定的文书或者执行错误的情况", "area"),
    ],
}
DRAFT_FIELDS = {
    "en_decide": ("reason", "type", "planned_on", "remedies_told"),
    "en_court_apply": ("court", "materials_complete"),
}


def _fields(step: str, decision: str) -> list[F]:
    fields = FIELDS.get(decision, [])
    if decision == "draft":
        keep = DRAFT_FIELDS.get(step, ())
        fields = [f for f in fields if f[0] in keep]
    if decision == "carry_out" and step == "en_sub_carry_out":
        fields = SUB_CARRY
    if decision == "reject" and step == "en_review":
        fields = OPINION  # the review of the statements gives an opinion (g.opinion_given)
    return [(*f, None)[:4] if len(f) == 3 else f for f in fields]


def _data(request: HttpRequest, step: str, decision: str) -> dict[str, Any]:
    """The posted form as the service reads it (strings; the service types and checks them)."""
    out: dict[str, Any] = {}
    for name, _label, kind, *_ in _fields(step, decision):
        if kind == "flag":
            out[name] = request.POST.get(name) == "true"
        elif kind in ("officers", "multi"):
            out[name] = request.POST.getlist(name)
        elif kind == "stages":
            rows = []
            for line in request.POST.get(name, "").splitlines():
                parts = line.split()
                if parts:
                    rows.append({"due": parts[0], "amount": parts[-1]})
            out[name] = rows
        else:
            out[name] = request.POST.get(name, "")
    if "officers" in out:
        try:
            out["officers"] = [int(o) for o in out["officers"]]
        except ValueError:
            out["officers"] = []
    return out


def _actions(row: dict[str, Any]) -> list[dict[str, Any]]:
    if row["step"] == END:
        return []
    step = ENFORCEMENT.step(row["step"])
    return [
        {"decision": t.decision, "label": t.label, "fields": _fields(step.code, t.decision)}
        for t in step.transitions
    ]


def _openable(case: Case) -> list[Decision]:
    """The served, unperformed decisions with an obligation (money, or the act ordered) no
    enforcement covers yet: a fine and a demolition of one decision each get their 催告."""
    decisions = (
        Decision.objects.filter(
            case=case, outcome=DecisionOutcome.PENALTY, delivered_on__isnull=False
        )
        .filter(executed_on__isnull=True)
        .select_related("party")
        .order_by("party__index")
    )
    out = []
    for d in decisions:
        holds = selectors.holds_of(d) or {"money"}
        if not holds <= selectors.open_obligations(d):
            out.append(d)
    return out


def _render(
    request: HttpRequest,
    case: Case,
    *,
    problems: list[str] | None = None,
    errors: dict[str, list[str]] | None = None,
    posted: dict[str, Any] | None = None,
    status: int = 200,
    fold: bool = False,
) -> HttpResponse:
    rows = selectors.case_enforcements(case)
    for row in rows:
        row["forms"] = _actions(row)
    officers = case.unit.users.filter(is_active=True).order_by("username") if case.unit else []
    user = request.user
    context = {
        "case": case,
        "records": rows,
        "openable": _openable(case),
        "open_fields": [(*f, None)[:4] if len(f) == 3 else f for f in NOTICE],
        "immediate_fields": [(*f, None)[:4] if len(f) == 3 else f for f in IMMEDIATE],
        "officers": officers,
        "problems": problems or [],
        "errors": errors or {},
        "posted": posted or {},
        # 分期缴款 (行政处罚法第六十六条第二款): the plans, and the form for the case's officers.
        "deferrals": selectors.case_deferrals(case),
        "records_payment": user.pk in (case.handler_id, case.co_handler_id),
        "today": clock.today(),
    }
    if request.headers.get("HX-Request") == "true":
        if fold:
            context.update(_fold(request, case))
            return render(request, "web/_enforcement_fold.html", context)
        # htmx swaps only 2xx answers: a refused form comes back as the section with its reasons.
        return render(request, "web/_enforcement.html", context)
    return render(request, "web/enforcement.html", context, status=status)


def _fold(request: HttpRequest, case: Case) -> dict[str, Any]:
    """The case page's fold of the section: what waits for the user in it (the 待办's items of
    the case: a record at a step of their role, a decision past its payment limit or ordering an
    act for the 承办人; for the case's officers a 文书 never issued, an instalment due to
    record), and whether it opens — something waits, or the page was asked to open it."""
    user, role = _user(request), active_role(request)
    waiting = 0
    if role is not None:
        waiting = selectors.waiting_for(user, role).filter(case=case).count()
    if role == Role.HANDLER and user.pk == case.handler_id:
        waiting += selectors.unpaid_overdue(user).filter(case=case).count()
        # A decision ordering an act and no fine: its 催告 is the handler's to start.
        waiting += sum(1 for d in _openable(case) if d.payment_due is None)
    if user.pk in (case.handler_id, case.co_handler_id) and may_issue(user, case):
        # A 文书 the records produced that was never issued (催告书, 决定书, 费用通知书…).
        available = enforcement_documents_available(case).values()
        waiting += sum(1 for docs in available for a in docs if a.latest is None)
    if user.pk in (case.handler_id, case.co_handler_id):
        today = clock.today()
        waiting += sum(
            1 for d in selectors.case_deferrals(case) for row in d["unpaid"] if row["due"] <= today
        )
    return {
        "enforcement_waiting": waiting,
        "enforcement_open": bool(waiting) or request.GET.get("open") == "enforcement",
    }


@login_required
@require_GET
def enforcement_section(request: HttpRequest, case_id: int) -> HttpResponse:
    """The section on its own page, or (htmx, ?fold=1) folded into the case page."""
    case = get_case_for_user(_user(request), case_id)
    return _render(request, case, fold=request.GET.get("fold") == "1")


@login_required
@require_POST
def enforcement_post(
    request: HttpRequest, case_id: int, record_id: int | None = None
) -> HttpResponse:
    user = _user(request)
    case = get_case_for_user(user, case_id)
    decision = request.POST.get("decision", "")
    try:
        if record_id is None:
            services.enforcement_open(
                case_id=case.pk,
                actor=user,
                party=int(request.POST.get("party") or 0),
                decision=decision,
                data=_data(request, ENFORCEMENT.first, decision),
            )
        else:
            record = selectors.enforcement_for_user(user, record_id)
            if record.case_id != case.pk:
                raise Refused(["强制执行记录不属于本案"])
            services.enforcement_act(
                record_id=record.pk,
                actor=user,
                decision=decision,
                data=_data(request, record.step, decision),
            )
    except Refused as exc:
        posted = {"record": record_id, "decision": decision, **request.POST.dict()}
        return _render(
            request, case, problems=exc.errors, errors=exc.fields, posted=posted, status=422
        )
    except ValueError:
        return _render(request, case, problems=["当事人序号无效"], status=422)
    if request.headers.get("HX-Request") == "true":
        return _render(request, case)
    messages.success(request, "已办理")
    return redirect("enforcement", case_id=case.pk)


@login_required
@require_POST
def instalment_post(request: HttpRequest, case_id: int) -> HttpResponse:
    """The 承办人 records an instalment of an approved 延期/分期 paid (行政处罚法第六十六条第二款):
    the day on the bank's receipt and the sum, refused by field."""
    user = _user(request)
    case = get_case_for_user(user, case_id)
    posted = {"decision": "instalment", **request.POST.dict()}
    try:
        party = int(request.POST.get("party") or 0)
        number = int(request.POST.get("instalment") or 0)
    except ValueError:
        return _render(
            request, case, errors={"instalment": ["请选择第几期"]}, posted=posted, status=422
        )
    try:
        services.instalment_paid(
            case_id=case.pk,
            actor=user,
            party=party,
            instalment=number,
            paid_on=request.POST.get("paid_on", ""),
            amount=request.POST.get("amount", ""),
        )
    except Refused as exc:
        return _render(
            request, case, problems=exc.errors, errors=exc.fields, posted=posted, status=422
        )
    if request.headers.get("HX-Request") == "true":
        return _render(request, case)
    messages.success(request, f"第{number}期缴款已登记")
    return redirect("enforcement", case_id=case.pk)
