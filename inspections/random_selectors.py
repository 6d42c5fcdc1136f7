"""Reads of 双随机、一公开: the officers' access functions (out of scope is 404) and the public
site's reads (only what is frozen or published)."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cases.todo import TODO_CAP, TodoItem
from inspections.models import RandomMatter, RandomPlan, RandomRedraw, RandomTarget, RandomTask
from jobs.models import JobRun
from jobs.selectors import job_run_for, job_runs_for
from law import random_draw as rd
from orgs.models import Certificate, User
from orgs.selectors import unit_scope_q, valid_certificates
from procedure.roles import CASE_ROLES
from zhifa import clock


def _plan_q(user: User) -> Q | None:
    q = unit_scope_q(user)
    if q is None:
        return None
    if user.unit_id is not None and user.role_set & CASE_ROLES:
        q |= Q(partners=user.unit_id)
    return q


def may_read_random(user: User) -> bool:
    return _plan_q(user) is not None


def random_plans_for_user(user: User) -> QuerySet[RandomPlan]:
    """The plans of the user's unit, the joint plans it takes part in, a supervisor's subtree."""
    q = _plan_q(user)
    if q is None:
        return RandomPlan.objects.none()
    ids = RandomPlan.objects.filter(q).values("pk")
    return RandomPlan.objects.filter(pk__in=ids).select_related("unit", "matter")


def get_random_plan_for_user(user: User, plan_id: int) -> RandomPlan:
    """THE access function for plans: out of scope is 404."""
    plan = random_plans_for_user(user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404("抽查计划不存在")
    return plan


def get_random_task_for_user(user: User, task_id: int) -> RandomTask:
    """THE access function for tasks: its two inspectors, and those who may read its plan."""
    task = RandomTask.objects.select_related("plan", "plan__matter", "lead", "second")
    found = task.filter(pk=task_id).first()
    if found is None:
        raise Http404("抽查任务不存在")
    if user.pk in (found.lead_id, found.second_id):
        return found
    if not random_plans_for_user(user).filter(pk=found.plan_id).exists():
        raise Http404("抽查任务不存在")
    return found


def random_todo(user: User) -> QuerySet[RandomTask]:
    """The drawn targets still waiting for this inspector (its 待办)."""
    if not user.is_authenticated:
        return RandomTask.objects.none()
    return (
        RandomTask.objects.filter(Q(lead=user) | Q(second=user), result="")
        .filter(plan__status=RandomPlan.Status.DRAWN)
        .select_related("plan")
        .order_by("plan__ends_on", "order")
    )


def targets_of_unit(user: User) -> QuerySet[RandomTarget]:
    if user.unit_id is None or not user.role_set & CASE_ROLES:
        return RandomTarget.objects.none()
    return RandomTarget.objects.filter(unit_id=user.unit_id)


def inspectors_today(user: User) -> QuerySet[Certificate]:
    """The unit's 执法检查人员名录库: its officers holding a valid 执法证 today (the register's
    one definition, orgs.selectors.valid_certificates), as the freeze takes them."""
    if user.unit_id is None or not user.role_set & CASE_ROLES:
        return Certificate.objects.none()
    return (
        valid_certificates(clock.today())
        .filter(
            user__unit_id=user.unit_id,
            user__is_active=True,
            user__in=User.objects.filter(roles__role__in=sorted(CASE_ROLES)),
        )
        .select_related("user")
        .order_by("number")
    )


def matters_of_unit(user: User) -> QuerySet[RandomMatter]:
    if user.unit_id is None or not user.role_set & CASE_ROLES:
        return RandomMatter.objects.none()
    return RandomMatter.objects.filter(unit_id=user.unit_id).order_by("code")


# --- the public site --------------------------------------------------------------------------


def public_plans() -> QuerySet[RandomPlan]:
    """Plans whose pools are frozen and published (a draft is nobody's business yet), and a plan
    drawn once and since redrawn (its earlier draws were public: so is that it was redone)."""
    shown = ~Q(status=RandomPlan.Status.DRAFT) | Q(pk__in=RandomRedraw.objects.values("plan_id"))
    return (
        RandomPlan.objects.filter(shown)
        .select_related("unit", "matter")
        .prefetch_related("partners")
        .order_by("-frozen_at", "-pk")
    )


def get_public_plan(plan_id: int) -> RandomPlan:
    plan = public_plans().filter(pk=plan_id).first()
    if plan is None:
        raise Http404("抽查计划不存在")
    return plan


def public_matters_part(unit: Any) -> str:
    """The agency's 随机抽查事项清单 on its 事前公示 page ("" when it lists none)."""
    from django.template.loader import render_to_string

    matters = list(RandomMatter.objects.filter(unit=unit).order_by("code"))
    if not matters:
        return ""
    return render_to_string("inspections/public_agency_matters.html", {"matters": matters})


def mask_name(name: str) -> str:
    """A natural person's (or 个体工商户's) name on the public site: its first character only."""
    return name[:1] + "*" * max(len(name) - 1, 1)


def public_target(task: RandomTask, published: bool) -> dict[str, Any]:
    person = task.kind == RandomTarget.Kind.PERSON
    row: dict[str, Any] = {
        "order": task.order,
        "name": mask_name(task.name) if person else task.name,
        "reg_no": task.reg_no,
        "grade": task.grade,
        "inspectors": [task.lead.full_name, task.second.full_name],
    }
    if published:
        row["checked_on"] = task.checked_on.isoformat() if task.checked_on else None
        row["result"] = task.get_result_display() if task.result else None
    return row


def public_plan_data(plan: RandomPlan) -> dict[str, Any]:
    """What the public site shows of a plan, as JSON: the frozen lists' hash and the commitment,
    the seed and the drawn targets after the draw, the results once published."""
    drawn = plan.drawn_at is not None
    published = plan.status == RandomPlan.Status.PUBLISHED
    tasks = plan.tasks.select_related("lead", "second").order_by("order") if drawn else []
    return {
        "id": plan.pk,
        "plan_no": plan.plan_no,
        "title": plan.title,
        "agency": plan.unit.name,
        "partners": [p.name for p in plan.partners.all()],
        "matter": plan.matter.name,
        "categories": plan.categories,
        "ratios": plan.ratios,
        "period": [plan.starts_on.isoformat(), plan.ends_on.isoformat()],
        "status": plan.get_status_display(),
        "algorithm": rd.ALGORITHM_VERSION,
        "frozen_at": plan.frozen_at.isoformat() if plan.frozen_at else None,
        "pools_sm3": plan.pools_hash,
        "commitment": plan.commitment,
        "seed": plan.seed if drawn else None,
        "drawn_at": plan.drawn_at.isoformat() if plan.drawn_at else None,
        "targets": [public_target(t, published) for t in tasks],
        # The draw as 执法证号 (the inspectors' list holds them): what a recomputation compares.
        "pairs": (
            [[t.reg_no, t.lead_cert, t.second_cert] for t in _tasks_with_certs(plan)]
            if drawn
            else []
        ),
        "published_on": plan.published_on.isoformat() if plan.published_on else None,
        "redraws": [
            {
                "number": r.number,
                "reason": r.reason,
                "at": r.at.isoformat(),
                "drawn_at": r.drawn_at.isoformat(),
                "pools_sm3": r.pools_hash,
                "commitment": r.commitment,
                "seed": r.seed,
                "pairs": r.pairs,
            }
            for r in plan.redraws.order_by("number")
        ],
    }


def public_lists(plan: RandomPlan) -> dict[str, str]:
    """The frozen canonical texts, exactly as hashed. Natural persons' names in the target list
    are published in the hash only: the text itself is what the draw ran on."""
    return {
        "targets": plan.targets_text,
        "inspectors": plan.inspectors_text,
        "conflicts": plan.conflicts_text,
    }


@dataclasses.dataclass(frozen=True)
class Verification:
    pools_match: bool
    commitment_match: bool | None
    draw_match: bool | None
    recomputed: list[list[str]]
    published: list[list[str]]

    @property
    def ok(self) -> bool:
        return (
            self.pools_match and self.commitment_match is not False and self.draw_match is not False
        )


def verify_plan(plan: RandomPlan) -> Verification:
    """Recompute from the published lists and seed: the lists' SM3, the commitment, the draw."""
    from inspections.random_services import recompute

    pools_match = rd.pools_hash(*public_lists(plan).values()) == plan.pools_hash
    if plan.drawn_at is None:
        return Verification(pools_match, None, None, [], [])
    try:
        rd.check_reveal(plan.seed, plan.commitment)
        commitment_match = True
    except rd.RevealRefused:
        commitment_match = False
    try:
        published = [[t.reg_no, t.lead_cert, t.second_cert] for t in _tasks_with_certs(plan)]
        result = recompute(plan, plan.seed)
        recomputed = [[p.reg_no, *p.inspectors] for p in result.pairs]
    except (ValueError, TypeError):  # lists that no longer parse, a seed that is no seed
        published = [[t.reg_no, "?", "?"] for t in plan.tasks.order_by("order")]
        recomputed = []
    return Verification(
        pools_match, commitment_match, recomputed == published, recomputed, published
    )


@dataclasses.dataclass(frozen=True)
class _TaskCerts:
    reg_no: str
    lead_cert: str
    second_cert: str


def _tasks_with_certs(plan: RandomPlan) -> list[_TaskCerts]:
    """Each stored task with the 执法证号 its inspectors had in the frozen list."""
    from inspections.random_services import frozen_pools

    _, inspectors, _ = frozen_pools(plan)
    from orgs.models import Certificate

    listed = {i.cert_no for i in inspectors}
    cert_of: dict[int, str] = {}
    for number, user_id in Certificate.objects.filter(number__in=listed).values_list(
        "number", "user_id"
    ):
        cert_of[user_id] = number
    return [
        _TaskCerts(t.reg_no, cert_of.get(t.lead_id, "?"), cert_of.get(t.second_id, "?"))
        for t in plan.tasks.order_by("order")
    ]


def random_todo_items(user: User, role: Any) -> list[TodoItem]:
    """The 待办's 双随机抽查: the drawn targets waiting for the user as one of their two
    inspectors (the person's task, whichever role they work in), by the plan's last day."""
    from django.urls import reverse

    return [
        TodoItem(
            kind="random",
            subject=f"{t.name} · {t.plan.title}",
            asked="实施抽查",
            url=reverse("random:task", args=[t.pk]),
            due=t.plan.ends_on,
        )
        for t in random_todo(user)[:TODO_CAP]
    ]


# --- the 名录 import, run by the worker ---------------------------------------------------------

TARGETS_IMPORT = "targets_import"


def targets_import_run_for(user: User, run_id: int) -> JobRun:
    """An import run of the 名录: to the officers of its unit who may import; others 404."""
    return job_run_for(user, TARGETS_IMPORT, run_id)


def targets_import_runs(user: User) -> QuerySet[JobRun]:
    return job_runs_for(user, TARGETS_IMPORT)
