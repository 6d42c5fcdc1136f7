"""Writes of supervision: 填报, supervision items and their workflow (案卷评查: review_services).

Each service is one transaction with its ledger entry. Refusals raise procedure.engine.Refused
with Chinese reasons and change nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import Case
from cases.runner import FieldsRefused
from deadlines.models import Timer
from deadlines.services import register_timer_handler, timer_start
from jobs.models import JobRun
from jobs.registry import JobKind, Progress, register_job
from jobs.services import job_queue
from law.calendar import SHANGHAI
from ledger.services import SYSTEM_ACTOR, ledger_append
from orgs.models import Unit, User
from orgs.selectors import supervised_root
from procedure.engine import Refused
from procedure.roles import Role
from supervision import rules
from supervision.models import FormReport, Item
from supervision.render import as_csv, as_xlsx
from supervision.selectors import SCAN, STATS_EXPORT, Period, form_table, supervisor_scope
from supervision.tables import FORMS, report_errors
from zhifa import clock
from zhifa.query import query_day

log = logging.getLogger(__name__)

# 山东省行政执法监督条例: the unit corrects within 30 days of the notice.
CORRECTION_DAYS = 30
ANSWERING_ROLES = (Role.SECTION_CHIEF, Role.DEPUTY_DIRECTOR)


def _supervises(user: User, unit: Unit) -> bool:
    root = supervised_root(user)
    return root is not None and unit.path.startswith(root.path)


def _answering_role(user: User) -> str:
    return next(r.value for r in ANSWERING_ROLES if user.has_role(r))


def _name(user: User) -> str:
    return user.full_name or user.username


# --- 填报 --------------------------------------------------------------------------------------


@transaction.atomic
def report_submit(
    *,
    actor: User,
    unit: Unit,
    form: str,
    period_start: dt.date,
    period_end: dt.date,
    values: dict[str, str],
) -> FormReport:
    """A unit's figures for the 行政许可 or 行政征收征用 form, checked against the table's own
    identities; a second report for the same unit, form and period replaces the first."""
    if form not in FORMS or not FORMS[form].reported:
        raise FieldsRefused({"form": [f"“{form}”不是需要填报的统计表"]})
    own = actor.unit_id == unit.pk and any(actor.has_role(r) for r in ANSWERING_ROLES)
    if not own and not _supervises(actor, unit):
        raise Refused(["只有本单位业务科长、分管局长或上级执法监督员可以填报"])
    if period_end < period_start:
        raise Refused(["统计期间止不能早于统计期间起"])
    parsed, errors = report_errors(form, values)
    if errors:
        raise FieldsRefused(errors)
    stored = {k: str(v) for k, v in parsed.items()}
    report, created = FormReport.objects.update_or_create(
        unit=unit,
        form=form,
        period_start=period_start,
        period_end=period_end,
        defaults={"values": stored, "submitted_by": actor, "submitted_at": clock.now()},
    )
    ledger_append(
        stream=f"report:{report.pk}",
        action="report_submit" if created else "report_replace",
        payload={
            "unit": unit.code,
            "form": form,
            "from": period_start,
            "to": period_end,
            "values": stored,
        },
        actor_id=actor.pk,
        actor_name=_name(actor),
        role=_answering_role(actor) if own else Role.SUPERVISOR.value,
    )
    return report


# --- supervision items ---------------------------------------------------------------------


def _item_entry(item: Item, action: str, actor: User | None, role: str, **data: Any) -> None:
    ledger_append(
        stream=item.stream,
        action=action,
        payload={"status": item.status, **data},
        actor_id=actor.pk if actor else None,
        actor_name=_name(actor) if actor else SYSTEM_ACTOR,
        role=role,
    )


@transaction.atomic
def item_raise(*, actor: User, case: Case, title: str, detail: str, statute: str = "") -> Item:
    """A supervisor raises an item by hand about a case of its subtree."""
    if not _supervises(actor, case.unit):
        raise Refused(["只能对本级及下级单位的案件提出监督事项"])
    if not title.strip():
        raise Refused(["请填写监督事项"])
    item = Item.objects.create(
        unit=case.unit,
        case=case,
        title=title.strip()[:200],
        detail=detail,
        statute=statute,
        raised_by=actor,
        created_at=clock.now(),
    )
    _item_entry(item, "item_raise", actor, Role.SUPERVISOR.value, title=item.title)
    return item


@transaction.atomic
def item_send(
    *, actor: User, item_id: int, kind: str, due_on: dt.date | None = None, note: str = ""
) -> Item:
    """Send an item to its unit as 通报 or 督办 with a due date (default 30 days)."""
    item = Item.objects.select_for_update().select_related("unit").get(pk=item_id)
    if not _supervises(actor, item.unit):
        raise Refused(["无权处理该监督事项"])
    if item.status not in (Item.Status.RAISED, Item.Status.ANSWERED):
        raise Refused([f"监督事项当前状态为“{item.get_status_display()}”，不能下发"])
    if kind not in Item.Kind.values:
        raise Refused(["下发方式应为通报或督办"])
    today = clock.today()
    due = due_on or today + dt.timedelta(days=CORRECTION_DAYS)
    if due <= today:
        raise Refused(["整改期限应晚于今天"])
    action = "item_send_back" if item.status == Item.Status.ANSWERED else "item_send"
    item.status, item.kind, item.due_on = Item.Status.SENT, kind, due
    item.save(update_fields=["status", "kind", "due_on"])
    _item_entry(item, action, actor, Role.SUPERVISOR.value, kind=kind, due_on=due, note=note)
    return item


@transaction.atomic
def item_answer(*, actor: User, item_id: int, answer: str) -> Item:
    """The unit answers (an officer of that unit: 业务科长 or 分管局长)."""
    item = Item.objects.select_for_update().get(pk=item_id)
    roles = [r for r in ANSWERING_ROLES if actor.has_role(r)]
    if actor.unit_id != item.unit_id or not roles:
        raise Refused(["只有被监督单位的业务科长或分管局长可以答复"])
    if item.status != Item.Status.SENT:
        raise Refused(["监督事项尚未下发或已答复"])
    if not answer.strip():
        raise Refused(["请填写整改情况"])
    item.status, item.answer = Item.Status.ANSWERED, answer.strip()
    item.save(update_fields=["status", "answer"])
    _item_entry(item, "item_answer", actor, roles[0].value, answer=item.answer)
    return item


@transaction.atomic
def item_close(*, actor: User, item_id: int, note: str = "") -> Item:
    item = Item.objects.select_for_update().select_related("unit").get(pk=item_id)
    if not _supervises(actor, item.unit):
        raise Refused(["无权处理该监督事项"])
    if item.status not in (Item.Status.RAISED, Item.Status.ANSWERED):
        raise Refused(["监督事项已下发待答复或已办结，不能办结"])
    item.status, item.closed_at = Item.Status.CLOSED, clock.now()
    item.save(update_fields=["status", "closed_at"])
    _item_entry(item, "item_close", actor, Role.SUPERVISOR.value, note=note)
    return item


def supervision_scan(*, cases: Any = None) -> int:
    """Evaluate every irregularity rule over the cases (all by default, the 双随机 plans then
    too) and raise an item per finding not raised before (idempotent: keyed by rule, case and
    party, or by rule and plan). Returns new items."""
    qs = Case.objects.exclude(filed_on=None) if cases is None else cases
    created = 0
    findings = rules.detect(qs)
    if cases is None:  # the 双随机 plans are no case's: scanned with everything
        findings = itertools.chain(findings, rules.detect_plans(clock.today()))
    for finding in findings:
        key = finding.fingerprint
        if Item.objects.filter(fingerprint=key).exists():
            continue
        try:
            with transaction.atomic():
                item = Item.objects.create(
                    unit_id=finding.unit_id,
                    case_id=finding.case_id,
                    rule=finding.rule.code,
                    fingerprint=key,
                    title=finding.rule.title,
                    statute=finding.rule.statute,
                    detail=finding.detail,
                    created_at=clock.now(),
                )
                _item_entry(item, "item_raise", None, "system", rule=finding.rule.code)
        except IntegrityError:  # another worker raised it first
            continue
        created += 1
    return created


SCAN_TIMER = "supervision_scan"
SCAN_HOUR = 2  # 02:00 Asia/Shanghai, every night


def _next_scan() -> dt.datetime:
    now = clock.now().astimezone(SHANGHAI)
    due = now.replace(hour=SCAN_HOUR, minute=0, second=0, microsecond=0)
    return due if due > now else due + dt.timedelta(days=1)


def scan_schedule() -> Timer:
    """Arm the nightly scan: the worker (run_worker) fires it and it re-arms itself."""
    with transaction.atomic():
        return timer_start(kind=SCAN_TIMER, subject="nightly", due_at=_next_scan())


def _scan_fired(timer: Timer) -> None:
    supervision_scan()
    timer_start(kind=SCAN_TIMER, subject=timer.subject, due_at=_next_scan())


register_timer_handler(SCAN_TIMER, _scan_fired)


# --- the scan asked for from a page: a job the worker runs, with its progress -------------------

SCAN_RUN_BATCH = 500  # cases per batch: the progress moves (and commits) after each


def scan_request(*, actor: User) -> JobRun:
    """Queue a scan of the supervisor's subtree for the worker; while one is queued or running
    for the subtree, that one is the answer (asking twice does not scan twice)."""
    root = supervised_root(actor)
    if root is None:
        raise Refused(["只有执法监督员可以发起检查"])
    with transaction.atomic():
        return job_queue(kind=SCAN, unit=root, actor=actor, shared=True)


def _scan_execute(run: JobRun, progress: Progress) -> None:
    """Scan the run's subtree batch by batch, each batch its own transaction and the progress
    saved after it (a page reading the run sees it move). The scan is idempotent: a run taken
    again after its worker stopped raises nothing twice."""
    unit = Unit.objects.get(pk=run.unit_id)
    ids = list(
        Case.objects.filter(unit__path__startswith=unit.path)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    run.result_count = 0
    progress(0, len(ids))
    for start in range(0, len(ids), SCAN_RUN_BATCH):
        chunk = ids[start : start + SCAN_RUN_BATCH]
        run.result_count += supervision_scan(cases=Case.objects.filter(pk__in=chunk))
        JobRun.objects.filter(pk=run.pk).update(result_count=run.result_count)
        progress(start + len(chunk), len(ids))


def _scan_summary(run: JobRun) -> str:
    if run.status == JobRun.Status.DONE:
        return f"新增监督事项{run.result_count}项"
    return "未完成，已新增的监督事项保留，可重新发起检查"


register_job(
    JobKind(
        kind=SCAN,
        label="不规范执法行为检查",
        execute=_scan_execute,
        scope=supervisor_scope,
        url=lambda run: reverse("supervision:scan-run", args=[run.pk]),
        summary=_scan_summary,
    )
)


# --- a statistics form over a long period, exported by the worker ---------------------------------

EXPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def export_inline(period: Period) -> bool:
    """A form over at most STATS_INLINE_MAX_DAYS days is built in the request; longer, queued."""
    return (period.end - period.start).days + 1 <= settings.STATS_INLINE_MAX_DAYS


def stats_export_request(*, actor: User, form: str, fmt: str, start: str, end: str) -> JobRun:
    """Queue the file of a form over a period (YYYY-MM-DD, 2000 to 2100) for the worker, for the
    supervisor's subtree; the supervisor's same export still queued or running is the answer."""
    root = supervised_root(actor)
    if root is None:
        raise Refused(["只有执法监督员可以导出统计报表"])
    fields: dict[str, list[str]] = {}
    if form not in FORMS:
        fields["form"] = ["请选择统计报表"]
    if fmt not in EXPORT_FORMATS:
        fields["format"] = ["导出格式应为Excel（xlsx）或CSV"]
    first, last = query_day(start), query_day(end)
    if first is None:
        fields["from"] = ["请填写有效的统计期间起（2000年至2100年）"]
    if last is None:
        fields["to"] = ["请填写有效的统计期间止（2000年至2100年）"]
    elif first is not None and last < first:
        fields["to"] = ["统计期间止不能早于统计期间起"]
    if fields:
        raise FieldsRefused(fields)
    assert first is not None and last is not None
    period = Period(first, last)
    params = {
        "form": form,
        "format": fmt,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
    }
    with transaction.atomic():
        return job_queue(kind=STATS_EXPORT, unit=root, actor=actor, params=params, reuse=True)


def _stats_export_execute(run: JobRun, progress: Progress) -> None:
    progress(0, 1)
    root = Unit.objects.select_related("region").get(pk=run.unit_id)
    period = Period(
        dt.date.fromisoformat(run.params["from"]), dt.date.fromisoformat(run.params["to"])
    )
    table = form_table(run.params["form"], root=root, period=period)
    fmt = run.params["format"]
    run.output_data = as_xlsx(table) if fmt == "xlsx" else as_csv(table).encode("utf-8")
    run.output_name = f"{table.title}.{fmt}"[:200]
    run.output_type = EXPORT_FORMATS[fmt]
    run.result_count = len(table.rows)
    progress(1, 1)


def _stats_export_summary(run: JobRun) -> str:
    if run.status == JobRun.Status.DONE:
        return f"{run.output_name}已生成，可下载"
    return "统计报表文件未生成，请重新导出"


register_job(
    JobKind(
        kind=STATS_EXPORT,
        label="导出统计报表",
        execute=_stats_export_execute,
        scope=supervisor_scope,
        url=lambda run: reverse("supervision:stats-export-run", args=[run.pk]),
        summary=_stats_export_summary,
    )
)
