"""Writes of 双随机、一公开: the 名录库, the plan, its freeze and draw, the checks, the results.

Each state change is one transaction with its ledger entry. The draw itself is law.random_draw:
the plan keeps the frozen canonical texts, so the draw runs on exactly what was published.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import secrets
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse

from cases.models import Case
from cases.runner import FieldsRefused
from cases.services.steps import case_register
from deadlines.services import working_calendar
from inspections.models import (
    Inspection,
    RandomConflict,
    RandomMatter,
    RandomPhoto,
    RandomPlan,
    RandomRedraw,
    RandomTarget,
    RandomTask,
)
from inspections.random_selectors import TARGETS_IMPORT
from inspections.services import inspection_record
from jobs.models import JobRun
from jobs.registry import JobFailed, JobKind, Progress, register_job
from jobs.services import job_queue
from law import random_draw as rd
from law.limits import RANDOM_INSPECTION_PUBLISH, due_date
from law.validators import credit_code_errors, name_errors, normalize_credit_code
from ledger.services import ledger_append
from orgs.models import Unit, User
from orgs.selectors import valid_certificates
from procedure.engine import Refused
from procedure.roles import CASE_ROLES, Role
from zhifa import clock

#: Who keeps the 名录库 and plans the draws: an agency's 业务科长 or 分管局长.
PLANNER_ROLES = (Role.SECTION_CHIEF, Role.DEPUTY_DIRECTOR)

#: The columns of a 名录 file, by their header; 类型 is optional (default 单位).
COLUMNS = {"名称": "name", "统一社会信用代码": "reg_no", "类别": "category", "地址": "address"}
COLUMNS |= {"风险等级": "grade", "类型": "kind"}
REQUIRED = ("名称", "统一社会信用代码", "类别", "风险等级")
KIND_WORDS = {
    "": "organisation",
    "单位": "organisation",
    "个体工商户": "person",
    "自然人": "person",
}
PHOTO_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def _role(actor: User, roles: Sequence[Role]) -> str:
    return next(r.value for r in roles if actor.has_role(r))


def _planner(actor: User) -> Unit:
    if actor.unit is None or actor.unit.kind != Unit.Kind.AGENCY:
        raise Refused(["只有行政执法机关的业务科长或分管局长可以管理双随机抽查"])
    if not any(actor.has_role(r) for r in PLANNER_ROLES):
        raise Refused(["只有行政执法机关的业务科长或分管局长可以管理双随机抽查"])
    return actor.unit


def _entry(stream: str, action: str, payload: dict[str, Any], actor: User, role: str) -> None:
    ledger_append(
        stream=stream,
        action=action,
        payload=payload,
        actor_id=actor.pk,
        actor_name=actor.full_name or actor.username,
        role=role,
    )


# --- 检查对象名录库 ---------------------------------------------------------------------------


def _rows(filename: str, content: bytes) -> list[list[str]]:
    """The file's rows as text cells: xlsx by its content, CSV (UTF-8 or GBK) otherwise."""
    if len(content) > settings.RANDOM_IMPORT_MAX_BYTES:
        raise FieldsRefused({"file": [f"文件超过{settings.RANDOM_IMPORT_MAX_BYTES}字节"]})
    kind = filetype.guess(content[:8192]) if content else None
    if kind is not None and kind.extension in ("xlsx", "zip"):
        from openpyxl import load_workbook  # type: ignore[import-untyped]

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            rows = [
                ["" if v is None else str(v) for v in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        except Exception:
            raise FieldsRefused({"file": ["无法读取该xlsx文件"]}) from None
        return rows
    if filename.lower().endswith(".xlsx"):
        raise FieldsRefused({"file": ["无法读取该xlsx文件"]})
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FieldsRefused({"file": ["文件编码无法识别，请使用UTF-8或GBK编码的CSV或xlsx文件"]})
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error:
        raise FieldsRefused({"file": ["CSV文件格式有误"]}) from None


def _row_errors(n: int, get: Mapping[str, str]) -> list[str]:
    out: list[str] = []

    def bad(column: str, message: str) -> None:
        out.append(f"第{n}行“{column}”：{message}")

    for column, value in get.items():
        if "\x00" in value:
            bad(column, "含有空字符")
            return out
    if not get["名称"].strip():
        bad("名称", "不能为空")
    else:
        for e in name_errors(get["名称"]):
            bad("名称", e)
    if len(get["名称"]) > 200:
        bad("名称", "不能超过200个字")
    for e in credit_code_errors(get["统一社会信用代码"]):
        bad("统一社会信用代码", e)
    if not get["类别"].strip():
        bad("类别", "不能为空")
    elif len(get["类别"].strip()) > 50:
        bad("类别", "不能超过50个字")
    if len(get.get("地址", "")) > 200:
        bad("地址", "不能超过200个字")
    if get["风险等级"].strip().upper() not in rd.GRADES:
        bad("风险等级", "应为A、B、C、D之一")
    if get.get("类型", "").strip() not in KIND_WORDS:
        bad("类型", "应为单位、个体工商户或自然人")
    return out


def targets_import(
    *, actor: User, filename: str, content: bytes, progress: Progress | None = None
) -> int:
    """Import (add or update) the agency's 检查对象名录 from CSV or xlsx: every error is listed by
    row and column, and a file with any error imports nothing. The worker runs it for a queued
    upload (`targets_import_request`), reporting the rows checked through `progress`."""
    unit = _planner(actor)
    rows = [r for r in _rows(filename, content) if any(c.strip() for c in r)]
    if not rows:
        raise FieldsRefused({"file": ["文件没有内容"]})
    header = [c.strip() for c in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FieldsRefused({"file": [f"第1行缺少列：{'、'.join(missing)}"]})
    if len(rows) - 1 > settings.RANDOM_IMPORT_MAX_ROWS:
        raise FieldsRefused({"file": [f"一次最多导入{settings.RANDOM_IMPORT_MAX_ROWS}行"]})
    total = len(rows) - 1
    errors: list[str] = []
    parsed: dict[str, dict[str, str]] = {}
    seen: dict[str, int] = {}
    for n, row in enumerate(rows[1:], start=2):
        get = {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h in COLUMNS}
        found = _row_errors(n, get)
        code = normalize_credit_code(get["统一社会信用代码"])
        if code in seen and not credit_code_errors(code):
            found.append(f"第{n}行“统一社会信用代码”：与第{seen[code]}行重复")
        seen.setdefault(code, n)
        errors += found
        if not found:
            parsed[code] = {
                "row": str(n),
                "name": get["名称"].strip(),
                "category": get["类别"].strip(),
                "address": get.get("地址", "").strip(),
                "grade": get["风险等级"].strip().upper(),
                "kind": KIND_WORDS[get.get("类型", "").strip()],
            }
        if progress is not None and ((n - 1) % IMPORT_PROGRESS_ROWS == 0 or n - 1 == total):
            progress(n - 1, total)
    if errors:
        raise FieldsRefused({"file": errors})
    with transaction.atomic():
        for code, v in parsed.items():
            RandomTarget.objects.update_or_create(
                unit=unit,
                reg_no=code,
                defaults={k: v[k] for k in ("name", "category", "address", "grade", "kind")},
            )
        _entry(
            f"random-targets:{unit.pk}",
            "random_targets_import",
            {"file": filename[:100], "rows": len(parsed)},
            actor,
            _role(actor, PLANNER_ROLES),
        )
    return len(parsed)


IMPORT_PROGRESS_ROWS = 200  # the run's progress is saved every so many rows


@transaction.atomic
def targets_import_request(*, actor: User, filename: str, content: bytes) -> JobRun:
    """Keep the uploaded 名录 file (bounded as the import bounds it) and queue its import for the
    worker: the request writes no target; the run checks every row and imports all or nothing."""
    unit = _planner(actor)
    if len(content) > settings.RANDOM_IMPORT_MAX_BYTES:
        raise FieldsRefused({"file": [f"文件超过{settings.RANDOM_IMPORT_MAX_BYTES}字节"]})
    if not content.strip():
        raise FieldsRefused({"file": ["文件没有内容"]})
    return job_queue(
        kind=TARGETS_IMPORT, unit=unit, actor=actor, input_name=filename, input_data=content
    )


def _targets_import_execute(run: JobRun, progress: Progress) -> None:
    try:
        run.result_count = targets_import(
            actor=run.requested_by,
            filename=run.input_name,
            content=bytes(run.input_data),
            progress=progress,
        )
    except Refused as exc:  # a bad row, or the requester no longer may import
        raise JobFailed(list(exc.errors)) from None


def _targets_import_scope(user: User) -> Q | None:
    """An import run is seen by the officers of its unit who may import (业务科长, 分管局长)."""
    if user.unit is None or user.unit.kind != Unit.Kind.AGENCY:
        return None
    if not any(user.has_role(r) for r in PLANNER_ROLES):
        return None
    return Q(unit=user.unit)


def _targets_import_summary(run: JobRun) -> str:
    if run.status == JobRun.Status.DONE:
        return f"已导入{run.result_count}个检查对象（{run.input_name}）"
    return f"{run.input_name}共{len(run.errors)}处问题，未导入任何检查对象"


register_job(
    JobKind(
        kind=TARGETS_IMPORT,
        label="导入检查对象名录",
        execute=_targets_import_execute,
        scope=_targets_import_scope,
        url=lambda run: reverse("random:targets_import_run", args=[run.pk]),
        summary=_targets_import_summary,
    )
)


@transaction.atomic
def matter_save(
    *, actor: User, code: str, name: str, basis: str, checklist: Sequence[str]
) -> RandomMatter:
    """Add or change an entry of the 随机抽查事项清单 and its checklist."""
    unit = _planner(actor)
    fields: dict[str, list[str]] = {}
    items = [str(i).strip() for i in checklist if str(i).strip()]
    for field, value, most in (("code", code, 40), ("name", name, 200), ("basis", basis, 300)):
        if "\x00" in value:
            fields.setdefault(field, []).append("含有空字符")
        elif len(value.strip()) > most:
            fields.setdefault(field, []).append(f"不能超过{most}个字")
    if not code.strip():
        fields.setdefault("code", []).append("请填写事项编码")
    if not name.strip():
        fields.setdefault("name", []).append("请填写抽查事项")
    if not items:
        fields.setdefault("checklist", []).append("请至少填写一个检查项目")
    if any("\x00" in i or len(i) > 200 for i in items) or len(items) > 50:
        fields.setdefault("checklist", []).append("检查项目每项不超过200个字，最多50项")
    if fields:
        raise FieldsRefused(fields)
    matter, _ = RandomMatter.objects.update_or_create(
        unit=unit,
        code=code.strip(),
        defaults={"name": name.strip(), "basis": basis.strip(), "checklist": items},
    )
    _entry(
        f"random-matter:{matter.pk}",
        "random_matter_save",
        {"code": matter.code, "name": matter.name, "items": len(items)},
        actor,
        _role(actor, PLANNER_ROLES),
    )
    return matter


# --- 抽查计划 ---------------------------------------------------------------------------------


def _ratio(value: str) -> Decimal | None:
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite() or d <= 0 or d > 100 or d != d.quantize(Decimal("0.01")):
        return None
    return d


def default_ratios() -> dict[str, str]:
    return {g: settings.RANDOM_INSPECTION_RATIO_PERCENT for g in rd.GRADES}


def plan_ratios(plan: RandomPlan) -> dict[str, Fraction]:
    return {g: Fraction(Decimal(v)) / 100 for g, v in plan.ratios.items()}


@transaction.atomic
def plan_create(
    *,
    actor: User,
    title: str,
    matter_id: int,
    categories: Sequence[str],
    ratios: Mapping[str, str],
    ratio_confirmed: bool,
    starts_on: dt.date,
    ends_on: dt.date,
    partner_ids: Sequence[int] = (),
) -> RandomPlan:
    """Draft a plan: its 抽查事项, scope (categories), ratio per risk grade (confirmed by the
    planner), period and, for a 跨部门联合抽查, the partner agencies bringing inspectors."""
    unit = _planner(actor)
    fields: dict[str, list[str]] = {}
    if not title.strip() or "\x00" in title or len(title) > 200:
        fields["title"] = ["请填写计划名称（不超过200个字）"]
    matter = RandomMatter.objects.filter(unit=unit, pk=matter_id).first()
    if matter is None:
        fields["matter_id"] = ["抽查事项不存在"]
    cats = sorted({str(c).strip() for c in categories if str(c).strip()})
    if not cats:
        fields["categories"] = ["请至少选择一个抽查类别"]
    elif not RandomTarget.objects.filter(
        unit__in=[unit, *Unit.objects.filter(pk__in=set(partner_ids), kind=Unit.Kind.AGENCY)],
        category__in=cats,
    ).exists():
        fields["categories"] = ["名录库中没有所选类别的检查对象"]
    clean: dict[str, str] = {}
    for g in rd.GRADES:
        d = _ratio(ratios.get(g, ""))
        if d is None:
            fields.setdefault("ratios", []).append(f"{g}级抽查比例应为大于0、不超过100的数（%）")
        else:
            clean[g] = format(d.normalize(), "f") if d == d.to_integral() else str(d)
    if not ratio_confirmed:
        fields["ratio_confirmed"] = ["请确认抽查比例"]
    if not EARLIEST <= starts_on <= LATEST:
        fields["starts_on"] = ["检查开始日期超出范围"]
    if not EARLIEST <= ends_on <= LATEST:
        fields["ends_on"] = ["检查结束日期超出范围"]
    elif ends_on < starts_on:
        fields["ends_on"] = ["检查结束日期不能早于开始日期"]
    partners = list(Unit.objects.filter(pk__in=set(partner_ids), kind=Unit.Kind.AGENCY))
    if len(partners) != len(set(partner_ids)) or unit in partners:
        fields["partner_ids"] = ["联合抽查单位应为本单位以外的行政执法机关"]
    if fields:
        raise FieldsRefused(fields)
    assert matter is not None
    today = clock.today()
    # The unit's row is the lock of its plan numbers: two plans drafted at once get two numbers.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    prefix = f"{unit.code}-SJ{today.year}-"
    count = RandomPlan.objects.filter(plan_no__startswith=prefix).count() + 1
    plan = RandomPlan.objects.create(
        unit=unit,
        plan_no=f"{prefix}{count:03d}",
        title=title.strip(),
        matter=matter,
        categories=cats,
        ratios=clean,
        ratio_confirmed=True,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    plan.partners.set(partners)
    _entry(
        f"random-plan:{plan.pk}",
        "random_plan_create",
        {
            "no": plan.plan_no,
            "matter": matter.code,
            "categories": cats,
            "ratios": clean,
            "period": [starts_on, ends_on],
            "partners": [p.code for p in partners],
        },
        actor,
        _role(actor, PLANNER_ROLES),
    )
    return plan


def _locked_plan(plan_id: int, unit: Unit) -> RandomPlan:
    plan = RandomPlan.objects.select_for_update().filter(pk=plan_id, unit=unit).first()
    if plan is None:
        raise Refused(["抽查计划不存在"])
    return plan


def plan_units(plan: RandomPlan) -> list[Unit]:
    return [plan.unit, *plan.partners.order_by("path")]


def plan_directory(plan: RandomPlan) -> QuerySet[RandomTarget]:
    """The 检查对象名录 a plan draws from: the lead agency's and, for a 跨部门联合抽查, every
    partner's, one entry per 登记号 (an enterprise in two agencies' lists is one target, checked
    once for all: 优化营商环境条例第五十四条). Where two lists disagree the lead's entry wins, then
    the partners' in the order of `plan_units`."""
    units = plan_units(plan)
    rank = {u.pk: n for n, u in enumerate(units)}
    seen: dict[str, RandomTarget] = {}
    for t in RandomTarget.objects.filter(unit__in=units):
        kept = seen.get(t.reg_no)
        if kept is None or rank[t.unit_id] < rank[kept.unit_id]:
            seen[t.reg_no] = t
    return RandomTarget.objects.filter(pk__in=[t.pk for t in seen.values()])


@transaction.atomic
def conflict_add(
    *, actor: User, plan_id: int, officer_id: int, reg_no: str, reason: str
) -> RandomConflict:
    """Record that an officer must not inspect a target (before the lists are frozen)."""
    plan = _locked_plan(plan_id, _planner(actor))
    fields: dict[str, list[str]] = {}
    if plan.status != RandomPlan.Status.DRAFT:
        raise Refused(["名录冻结后不能再登记回避关系"])
    officer = User.objects.filter(pk=officer_id, unit__in=plan_units(plan)).first()
    if officer is None:
        fields["officer_id"] = ["该人员不是本计划参与单位的人员"]
    code = normalize_credit_code(reg_no)
    if not plan_directory(plan).filter(reg_no=code).exists():
        fields["reg_no"] = ["名录库中没有该检查对象"]
    if not reason.strip() or "\x00" in reason or len(reason) > 200:
        fields["reason"] = ["请填写回避原因（不超过200个字）"]
    if fields:
        raise FieldsRefused(fields)
    assert officer is not None
    conflict, _ = RandomConflict.objects.get_or_create(
        plan=plan, officer=officer, reg_no=code, defaults={"reason": reason.strip()}
    )
    _entry(
        f"random-plan:{plan.pk}",
        "random_conflict_add",
        {"officer": officer.pk, "reg_no": code, "reason": reason.strip()},
        actor,
        _role(actor, PLANNER_ROLES),
    )
    return conflict


def _pools(
    plan: RandomPlan, day: dt.date
) -> tuple[list[rd.Target], list[rd.Inspector], list[tuple[str, str]]]:
    targets = [
        rd.Target(t.reg_no, t.category, t.grade)
        for t in plan_directory(plan).filter(category__in=plan.categories)
    ]
    certs: dict[int, tuple[str, str, str]] = {}
    for c in (
        valid_certificates(day)
        .filter(
            user__unit__in=plan_units(plan),
            user__is_active=True,
            user__in=User.objects.filter(roles__role__in=sorted(CASE_ROLES)),
        )
        .select_related("user", "user__unit")
        .order_by("number")
    ):
        who = c.user
        agency = who.unit.name if who.unit else ""
        certs.setdefault(c.user_id, (c.number, who.full_name or who.username, agency))
    inspectors = [rd.Inspector(*v) for v in certs.values()]
    cert_of = {uid: v[0] for uid, v in certs.items()}
    in_pool = {t.reg_no for t in targets}
    conflicts = [
        (cert_of[c.officer_id], c.reg_no)
        for c in plan.conflicts.all()
        if c.officer_id in cert_of and c.reg_no in in_pool
    ]
    return targets, inspectors, conflicts


@transaction.atomic
def plan_freeze(*, actor: User, plan_id: int) -> RandomPlan:
    """Freeze and publish the pools (targets in scope, inspectors certified today, conflicts)
    with their SM3, and commit to the seed (its SM3): from now on nothing in the draw can move."""
    plan = _locked_plan(plan_id, _planner(actor))
    if plan.status != RandomPlan.Status.DRAFT:
        raise Refused(["该计划的名录已经冻结"])
    today = clock.today()
    targets, inspectors, conflicts = _pools(plan, today)
    errors = []
    if not targets:
        errors.append("抽查范围内没有检查对象")
    if len(inspectors) < 2:
        errors.append("持有效执法证的执法检查人员不足两名")
    if errors:
        raise Refused(errors)
    texts = rd.pools_text(targets, inspectors, conflicts)
    seed = rd.seed_from_secret(secrets.token_bytes(32))
    plan.targets_text, plan.inspectors_text, plan.conflicts_text = texts
    plan.pools_hash = rd.pools_hash(*texts)
    plan.commitment = rd.commitment(seed)
    plan.seed = seed
    plan.frozen_at = clock.now()
    plan.status = RandomPlan.Status.FROZEN
    plan.save()
    _entry(
        f"random-plan:{plan.pk}",
        "random_plan_freeze",
        {
            "targets": len(targets),
            "inspectors": len(inspectors),
            "conflicts": len(conflicts),
            "pools_sm3": plan.pools_hash,
            "commitment": plan.commitment,
            "algorithm": rd.ALGORITHM_VERSION,
        },
        actor,
        _role(actor, PLANNER_ROLES),
    )
    return plan


def frozen_pools(
    plan: RandomPlan,
) -> tuple[list[rd.Target], list[rd.Inspector], list[tuple[str, str]]]:
    """The pools as published (parsed back from the frozen canonical texts)."""

    def rows(text: str) -> list[list[str]]:
        return [json.loads(line) for line in text.splitlines() if line]

    return (
        [rd.Target(*r) for r in rows(plan.targets_text)],
        [rd.Inspector(*r) for r in rows(plan.inspectors_text)],
        [(r[0], r[1]) for r in rows(plan.conflicts_text)],
    )


def recompute(plan: RandomPlan, seed: str) -> rd.DrawResult:
    targets, inspectors, conflicts = frozen_pools(plan)
    return rd.draw(
        seed, targets, inspectors, plan_ratios(plan), conflicts, joint=plan.partners.exists()
    )


@transaction.atomic
def plan_draw(*, actor: User, plan_id: int) -> RandomPlan:
    """摇号: reveal the seed (refused unless it opens the published commitment), draw by the
    published algorithm on the frozen pools, and give each drawn target its two inspectors."""
    plan = _locked_plan(plan_id, _planner(actor))
    if plan.status != RandomPlan.Status.FROZEN:
        raise Refused(["只有名录已冻结、尚未摇号的计划可以摇号"])
    try:
        rd.check_reveal(plan.seed, plan.commitment)
        result = recompute(plan, plan.seed)
    except rd.RevealRefused as e:
        raise Refused([str(e)]) from None
    except rd.DrawImpossible as e:
        raise Refused(e.errors) from None
    from orgs.models import Certificate

    user_of = dict(
        Certificate.objects.filter(
            number__in={c for p in result.pairs for c in p.inspectors}
        ).values_list("number", "user_id")
    )
    entries = {t.reg_no: t for t in plan_directory(plan).filter(reg_no__in=result.targets)}
    grade_of = {t.reg_no: t.grade for t in frozen_pools(plan)[0]}
    RandomTask.objects.bulk_create(
        RandomTask(
            plan=plan,
            order=n,
            reg_no=p.reg_no,
            name=entries[p.reg_no].name,
            kind=entries[p.reg_no].kind,
            address=entries[p.reg_no].address,
            grade=grade_of[p.reg_no],
            lead_id=user_of[p.inspectors[0]],
            second_id=user_of[p.inspectors[1]],
        )
        for n, p in enumerate(result.pairs, start=1)
    )
    plan.drawn_at = clock.now()
    plan.status = RandomPlan.Status.DRAWN
    plan.save(update_fields=["drawn_at", "status"])
    _entry(
        f"random-plan:{plan.pk}",
        "random_plan_draw",
        {
            "seed": plan.seed,
            "drawn": list(result.targets),
            "pairs": [[p.reg_no, *p.inspectors] for p in result.pairs],
        },
        actor,
        _role(actor, PLANNER_ROLES),
    )
    return plan


REDRAW_REASON_MAX = 200


@transaction.atomic
def plan_redraw(*, actor: User, plan_id: int, reason: str) -> RandomPlan:
    """Undo a draw before any drawn target is checked, with the reason the public reads (an
    inspector gone, a conflict learnt after the draw): the draw is kept as it was (a
    `RandomRedraw`: pools' SM3, commitment, seed, pairs), its tasks go, and the plan returns to
    草稿 to be frozen again under a new commitment. Never silent: the public page lists every
    redraw and the supervisor's scan raises each one."""
    plan = _locked_plan(plan_id, _planner(actor))
    reason = reason.strip()
    fields: dict[str, list[str]] = {}
    if not reason or "\x00" in reason or len(reason) > REDRAW_REASON_MAX:
        fields["reason"] = [f"请填写重新摇号的原因（将向社会公开，不超过{REDRAW_REASON_MAX}个字）"]
    if fields:
        raise FieldsRefused(fields)
    if plan.status != RandomPlan.Status.DRAWN:
        raise Refused(["只有已摇号、尚未公示结果的计划可以重新摇号"])
    if plan.tasks.exclude(result="").exists():
        raise Refused(["已有检查结果的计划不能重新摇号"])
    assert plan.drawn_at is not None
    drawn = recompute(plan, plan.seed)
    previous_seed = plan.seed
    number = plan.redraws.count() + 1
    RandomRedraw.objects.create(
        plan=plan,
        number=number,
        reason=reason,
        targets_text=plan.targets_text,
        inspectors_text=plan.inspectors_text,
        conflicts_text=plan.conflicts_text,
        pools_hash=plan.pools_hash,
        commitment=plan.commitment,
        seed=plan.seed,
        drawn_at=plan.drawn_at,
        pairs=[[p.reg_no, *p.inspectors] for p in drawn.pairs],
        by=actor,
        at=clock.now(),
    )
    plan.tasks.all().delete()
    plan.status = RandomPlan.Status.DRAFT
    plan.targets_text = plan.inspectors_text = plan.conflicts_text = ""
    plan.pools_hash = plan.commitment = plan.seed = ""
    plan.frozen_at = plan.drawn_at = None
    plan.save()
    _entry(
        f"random-plan:{plan.pk}",
        "random_plan_redraw",
        {"number": number, "reason": reason, "previous_seed": previous_seed},
        actor,
        _role(actor, PLANNER_ROLES),
    )
    return plan


# --- 检查 -------------------------------------------------------------------------------------

INSPECTION_RESULT = {
    RandomTask.Result.NO_PROBLEM: Inspection.Result.NO_PROBLEM,
    RandomTask.Result.PROBLEM: Inspection.Result.PROBLEM_FOUND,
    RandomTask.Result.RECTIFY: Inspection.Result.PROBLEM_FOUND,
    RandomTask.Result.CASE: Inspection.Result.CASE_FILED,
}
#: The results that become a lead (案源) with source 双随机抽查.
LEAD_RESULTS = (RandomTask.Result.PROBLEM, RandomTask.Result.CASE)


def publish_limit() -> Any:
    """RANDOM_INSPECTION_PUBLISH with the configured number of working days."""
    return dataclasses.replace(
        RANDOM_INSPECTION_PUBLISH, amount=settings.RANDOM_INSPECTION_PUBLISH_DAYS
    )


@dataclasses.dataclass(frozen=True)
class Photo:
    content: bytes
    filename: str = ""


@transaction.atomic
def task_complete(
    *,
    actor: User,
    task_id: int,
    checked_on: dt.date,
    items: Sequence[Mapping[str, Any]],
    result: str,
    note: str,
    photos: Sequence[Photo] = (),
) -> RandomTask:
    """Record one drawn target's inspection by one of its two inspectors: the checklist, the
    result, the photos; the 行政检查 row the form counts; a lead when a problem was found."""
    task = (
        RandomTask.objects.select_for_update()
        .select_related("plan", "plan__matter", "plan__unit")
        .filter(pk=task_id)
        .first()
    )
    if task is None or actor.pk not in (task.lead_id, task.second_id):
        raise Refused(["抽查任务不存在"])
    plan = task.plan
    if task.result:
        raise Refused(["该检查对象的检查结果已经记录"])
    if plan.status != RandomPlan.Status.DRAWN:
        raise Refused(["该抽查计划不在检查阶段"])
    today = clock.today()
    fields: dict[str, list[str]] = {}
    if checked_on > today:
        fields["checked_on"] = ["检查日期不能晚于今天"]
    elif not plan.starts_on <= checked_on <= plan.ends_on:
        fields["checked_on"] = [f"检查日期应在计划期间（{plan.starts_on}至{plan.ends_on}）内"]
    elif not valid_certificates(checked_on).filter(user=actor).exists():
        fields["checked_on"] = ["检查当日您没有有效的执法证"]
    checklist = plan.matter.checklist
    if len(items) != len(checklist):
        fields["items"] = [f"应逐项填写全部{len(checklist)}个检查项目"]
    stored = []
    for n, (text, given) in enumerate(zip(checklist, items, strict=False), start=1):
        passed = given.get("passed")
        item_note = str(given.get("note") or "")
        if not isinstance(passed, bool):
            fields.setdefault(f"items[{n - 1}].passed", []).append(f"第{n}项请选择合格或不合格")
        if "\x00" in item_note or len(item_note) > 500:
            fields.setdefault(f"items[{n - 1}].note", []).append(f"第{n}项说明不超过500个字")
        stored.append({"item": text, "passed": passed, "note": item_note.strip()})
    if result not in RandomTask.Result.values:
        fields["result"] = ["检查结果无效"]
    elif result == RandomTask.Result.NO_PROBLEM and any(i["passed"] is False for i in stored):
        fields["result"] = ["有不合格项目的，检查结果不能为未发现问题"]
    elif result in LEAD_RESULTS and not actor.has_role(Role.HANDLER):
        fields["result"] = ["发现问题须登记案源，应由具有承办人角色的检查人员记录"]
    if "\x00" in note or len(note) > 1000:
        fields["note"] = ["检查情况不超过1000个字"]
    elif result != RandomTask.Result.NO_PROBLEM and not note.strip():
        fields["note"] = ["发现问题的，请填写检查情况"]
    sniffed = []
    for n, p in enumerate(photos, start=1):
        kind = filetype.guess(p.content[:8192]) if p.content else None
        if kind is None or kind.mime not in PHOTO_TYPES:
            fields.setdefault("photos", []).append(f"第{n}张照片不是JPEG、PNG或WebP图片")
        elif len(p.content) > settings.RANDOM_PHOTO_MAX_BYTES:
            fields.setdefault("photos", []).append(f"第{n}张照片过大")
        else:
            sniffed.append((p.content, kind.mime))
    if fields:
        raise FieldsRefused(fields)
    kind = "organisation" if task.kind == RandomTarget.Kind.ORGANISATION else "other"
    inspection = inspection_record(
        actor=actor,
        inspection_no=f"{plan.plan_no}-{task.order:04d}",
        on=checked_on,
        kind=Inspection.Kind.RANDOM,
        result=INSPECTION_RESULT[RandomTask.Result(result)],
        targets=[{"kind": kind, "name": task.name, "id_number": task.reg_no}],
    )
    case: Case | None = None
    if result in LEAD_RESULTS:
        case = case_register(
            actor=actor,
            source=Case.Source.RANDOM_INSPECTION,
            clue=f"双随机抽查（{plan.plan_no}，{plan.matter.name}）发现问题：{note.strip()}",
            discovered_on=checked_on,
            parties=[{"kind": kind, "name": task.name, "id_number": task.reg_no}],
            place=task.address,
        )
    for content, mime in sniffed:
        import hashlib

        digest = hashlib.new("sm3", content).hexdigest()
        photo = RandomPhoto(
            task=task,
            content_type=mime,
            size=len(content),
            sm3=digest,
            by=actor,
            taken_at=clock.now(),
        )
        photo.file.save(f"{digest}{PHOTO_TYPES[mime]}", ContentFile(content), save=False)
        photo.save()
    task.checked_on, task.items, task.result = checked_on, stored, result
    task.note, task.inspection, task.case = note.strip(), inspection, case
    task.save()
    if not RandomTask.objects.filter(plan=plan, result="").exists():
        ended = RandomTask.objects.filter(plan=plan).aggregate(m=Max("checked_on"))["m"]
        plan.checks_ended_on = ended
        plan.publish_due_on = due_date(publish_limit(), ended, working_calendar())
        plan.save(update_fields=["checks_ended_on", "publish_due_on"])
    _entry(
        f"random-plan:{plan.pk}",
        "random_task_complete",
        {
            "reg_no": task.reg_no,
            "on": checked_on,
            "result": result,
            "failed": sum(1 for i in stored if i["passed"] is False),
            "photos": len(sniffed),
            "inspection": inspection.inspection_no,
            "lead": case.lead_no if case else None,
        },
        actor,
        _role(actor, [Role.HANDLER, Role.CO_HANDLER, *PLANNER_ROLES, Role.LEGAL_REVIEWER]),
    )
    return task


@transaction.atomic
def plan_publish(*, actor: User, plan_id: int) -> RandomPlan:
    """公示 the results once every drawn target is inspected (within the working days of
    RANDOM_INSPECTION_PUBLISH from the last check; a late publication is recorded as late)."""
    plan = _locked_plan(plan_id, _planner(actor))
    if plan.status != RandomPlan.Status.DRAWN:
        raise Refused(["只有已摇号的计划可以公示结果"])
    if plan.tasks.filter(result="").exists() or plan.checks_ended_on is None:
        raise Refused(["还有抽中的检查对象没有检查结果"])
    today = clock.today()
    plan.published_on = today
    plan.status = RandomPlan.Status.PUBLISHED
    plan.save(update_fields=["published_on", "status"])
    late = plan.publish_due_on is not None and today > plan.publish_due_on
    _entry(
        f"random-plan:{plan.pk}",
        "random_plan_publish",
        {"on": today, "due": plan.publish_due_on, "late": late},
        actor,
        _role(actor, PLANNER_ROLES),
    )
    return plan
